"""Mission planning: a multi-stop mission with loads becomes legs with fuel, weights and times.

Where things are:

- ``inputs``: what a mission is planned from (``MissionInput``, ``Load``, ``Options``, manifest);
- ``route``: the legs before fuel (distance, course, wind, cruise level, TAS, alternate);
- ``fuel``: fuel per leg, backwards from the last stop (reserves, tankering), then forwards;
- ``limits``: every limit on a leg, and the binding one (``LimitName`` lists them);
- ``planner``: ``plan`` and ``max_load``;
- ``retime``: a planned mission at other times, its time limits checked again (``retime``,
  ``PlanCache``), equal to planning it again;
- ``result``: what comes back (``MissionPlan`` -> ``Leg`` -> ``Limit``, ``MaxLoad``);
- ``conditions``, ``runways``, ``draft``, ``clock``: weather and daylight at a stop; runway
  weights on the policy's distance basis; the leg being built; the times of each leg.
"""

from airlift.mission.conditions import density_at, surface_weather
from airlift.mission.inputs import Load, ManifestItem, MissionInput, Options, loads_from_manifest
from airlift.mission.planner import max_load, plan
from airlift.mission.result import Leg, Limit, LimitName, MaxLoad, MissionPlan, Violation
from airlift.mission.retime import PlanCache, retime
from airlift.mission.route import alternate_for

__all__ = [
    "Leg",
    "Limit",
    "LimitName",
    "Load",
    "ManifestItem",
    "MaxLoad",
    "MissionInput",
    "MissionPlan",
    "Options",
    "PlanCache",
    "Violation",
    "alternate_for",
    "density_at",
    "loads_from_manifest",
    "max_load",
    "plan",
    "retime",
    "surface_weather",
]
