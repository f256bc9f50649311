"""Airspace: zones to avoid (threats, prohibited and restricted areas), their readers,
geodesic buffers, and legs routed around them. See docs/architecture.md ("airspace/")."""

from airlift.airspace.buffer import CLEARANCE_M, buffered_area, margin_m
from airlift.airspace.routing import Route, Router, route_leg
from airlift.airspace.zones import KINDS, Kind, Zone, geodesic_circle, read_zones

__all__ = [
    "CLEARANCE_M",
    "KINDS",
    "Kind",
    "Route",
    "Router",
    "Zone",
    "buffered_area",
    "geodesic_circle",
    "margin_m",
    "read_zones",
    "route_leg",
]
