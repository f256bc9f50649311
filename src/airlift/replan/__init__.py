"""Disruption re-planning: events, the re-planner and the diff of two programmes.

``events.py`` (what changed, as text and data) -> ``apply.py`` (the inputs after them) ->
``replanner.py`` (``freeze.py``, keep, pool: a new programme) -> ``diff.py`` (what moved);
``reported.py``: tracking reports as delays; ``baseline.py``: the programme read back.
"""

from airlift.replan.diff import diff_csv, programme_diff
from airlift.replan.events import Event, event_dict, event_text, parse_event
from airlift.replan.replanner import DEFAULT_HORIZON, Replan, replan

__all__ = [
    "DEFAULT_HORIZON",
    "Event",
    "Replan",
    "diff_csv",
    "event_dict",
    "event_text",
    "parse_event",
    "programme_diff",
    "replan",
]
