"""Airspace: what a route flies through and over, and what it needs before it may fly there.

``zones`` (threat, prohibited and restricted areas; GeoJSON, KML and OpenAIR readers),
``buffer`` (geodesic stand-off buffers), ``routing`` (legs routed around active zones),
``countries`` (the countries a path crosses, in order, with the distance flown in each) and
``clearances`` (the diplomatic overflight and landing clearances those countries require, and
by when to ask for them). ``mission.airspace`` applies them to a mission's legs.
"""

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
