"""Aircraft performance: a point-mass model per type, and the answers built on it.

Where is what:

- ``pointmass.py``   drag polar, power/thrust lapse, fuel flow at a weight, level and speed;
- ``tables.py``      speed schedules (MRC, LRC, max cruise, max endurance) and the cruise,
                     climb and descent tables computed from the point-mass model;
- ``profile.py``     a leg as climb + cruise + descent, cruise level choice, holding fuel;
- ``payload_range.py`` range, endurance and block time under stated conditions;
- ``field.py``       take-off and landing distances (ground roll, over 50 ft, balanced
                     field, factored landing distance);
- ``figures.py``     published figures run through the above under their conditions;
- ``calibrate.py``   the per-type factors fitted to the published figures (offline).

All of these are planning estimates from public figures, not flight-manual performance.
"""

from airlift.performance.payload_range import RangeAnswer, block_time_min, endurance_at, range_at
from airlift.performance.profile import (
    LegProfile,
    choose_level_ft,
    cruise_point,
    holding_fuel_kg,
    leg_backward,
    leg_forward,
)
from airlift.performance.tables import SCHEDULES, parse_speed, tables

__all__ = [
    "SCHEDULES",
    "LegProfile",
    "RangeAnswer",
    "block_time_min",
    "choose_level_ft",
    "cruise_point",
    "endurance_at",
    "holding_fuel_kg",
    "leg_backward",
    "leg_forward",
    "parse_speed",
    "range_at",
    "tables",
]
