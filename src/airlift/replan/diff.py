"""What a re-plan changes: per request, per tail, and in the programme's figures.

Both programmes are read from their documents, so any two programme documents compare (a
proposal against the approved one, or two runs).

Per request (``change``):

* ``kept``: delivered before and after, by the same tails, within :data:`RETIME_MIN`;
* ``moved``: delivered before and after, by other tails;
* ``retimed``: by the same tails, its delivery more than :data:`RETIME_MIN` earlier or later
  (``shift_min``);
* ``served_new``: more of it delivered now (lifts, for a request split into several) than
  before, a new request included;
* ``unmet_new``: less of it delivered now than before (``reason``), or a new request not
  served;
* ``still_unmet``: unmet before and after;
* ``cancelled``: no longer requested.

Per tail: missions added, changed (route, loads or more than :data:`RETIME_MIN` of time)
and cancelled, by programme day. Legs re-timed: legs of missions in both programmes (same
tail and day) whose off-block moved more than :data:`RETIME_MIN`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

RETIME_MIN = 30.0
"""A delivery or leg moved by more than this many minutes is re-timed."""
CHANGES = (
    "kept",
    "moved",
    "retimed",
    "served_new",
    "unmet_new",
    "still_unmet",
    "cancelled",
)
FIGURES = (
    ("delivered", "requests"),
    ("required_unmet", "requests"),
    ("unmet", "requests"),
    ("tonnes_delivered", "t"),
    ("pax_delivered", "pax"),
    ("flying_hours", "h"),
    ("missions", "missions"),
    ("on_time_pct", "%"),
)


@dataclass(frozen=True, slots=True)
class MissionChange:
    state: str
    """frozen | kept | changed | new"""
    base: int | None
    """Index of the mission it comes from in the old document (None: new)."""
    retimed_min: float
    """Largest off-block shift of its legs against the old mission, min."""


def _time(text: Any) -> datetime:
    return datetime.fromisoformat(str(text))


def _deliveries(doc: Mapping[str, Any]) -> dict[str, tuple[set[str], datetime | None]]:
    """Request id -> (tails carrying it, its last delivery)."""
    out: dict[str, tuple[set[str], datetime | None]] = {}
    for m in doc.get("missions", []):
        legs = m["plan"]["legs"]
        for lift in m.get("lifts", []):
            tails, last = out.get(lift["request_id"], (set(), None))
            when = _time(legs[int(lift["delivery_leg"])]["eta_utc"])
            tails.add(str(m["tail"]))
            out[lift["request_id"]] = (tails, when if last is None or when > last else last)
    return out


def _lifts(status: Mapping[str, Any] | None) -> int:
    """Lifts of the request delivered (0: none, or not requested)."""
    return int(status.get("lifts_delivered") or 0) if status is not None else 0


def _request_change(
    ref: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    carried_before: tuple[set[str], datetime | None],
    carried_after: tuple[set[str], datetime | None],
) -> dict[str, Any]:
    tails_before, when_before = carried_before
    tails_after, when_after = carried_after
    lifts_before, lifts_after = _lifts(before), _lifts(after)
    shift = None
    if when_before is not None and when_after is not None:
        shift = round((when_after - when_before).total_seconds() / 60.0, 1)
    if after is None:
        change = "cancelled"
    elif lifts_after < lifts_before or (before is None and lifts_after == 0):
        change = "unmet_new"  # a lift fewer delivered counts: the request is short
    elif lifts_after == 0:
        change = "still_unmet"
    elif lifts_after > lifts_before:
        change = "served_new"
    elif tails_after != tails_before:
        change = "moved"
    elif shift is not None and abs(shift) > RETIME_MIN:
        change = "retimed"
    else:
        change = "kept"
    return {
        "request_id": ref,
        "change": change,
        "tails_before": sorted(tails_before),
        "tails_after": sorted(tails_after),
        "shift_min": shift,
        "lifts_before": lifts_before,
        "lifts_after": lifts_after,
        "reason": str((after or {}).get("reason") or ""),
    }


def _missions(doc: Mapping[str, Any]) -> dict[tuple[str, int], Mapping[str, Any]]:
    return {(str(m["tail"]), int(m["day"])): m for m in doc.get("missions", [])}


def _leg_shifts(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[float]:
    """Off-block shifts (min) of the legs the two missions share by position and route."""
    out = []
    for a, b in zip(old["plan"]["legs"], new["plan"]["legs"], strict=False):
        if (a["origin"], a["destination"]) == (b["origin"], b["destination"]):
            out.append((_time(b["etd_utc"]) - _time(a["etd_utc"])).total_seconds() / 60.0)
    return out


def _same_loads(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    def key(m: Mapping[str, Any]) -> list[tuple[str, int, int]]:
        return sorted(
            (str(x["lift_id"]), int(x["pickup_leg"]), int(x["delivery_leg"])) for x in m["lifts"]
        )

    return bool(old["route"] == new["route"] and key(old) == key(new))


def programme_diff(
    before: Mapping[str, Any], after: Mapping[str, Any], forced: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The diff of two programme documents (see the module docstring) as a JSON-ready dict:
    counts per change, ``requests`` (every request whose change is not ``kept``),
    ``tails``, ``legs_retimed``, ``figures`` (before, after, change, unit) and
    ``moved_unforced``: requests moved or re-timed although no event forced them to
    (``forced``: the requests that had to move)."""
    old = {str(r["request_id"]): r for r in before.get("requests", [])}
    new = {str(r["request_id"]): r for r in after.get("requests", [])}
    carried_old, carried_new = _deliveries(before), _deliveries(after)
    nothing: tuple[set[str], datetime | None] = (set(), None)
    rows = [
        _request_change(
            ref,
            old.get(ref),
            new.get(ref),
            carried_old.get(ref, nothing),
            carried_new.get(ref, nothing),
        )
        for ref in sorted(old.keys() | new.keys())
    ]
    counts = Counter(r["change"] for r in rows)
    m_old, m_new = _missions(before), _missions(after)
    per_tail: dict[str, dict[str, list[int]]] = {}
    legs_retimed = 0
    for key in sorted(m_old.keys() | m_new.keys()):
        tail, day = key
        entry = per_tail.setdefault(tail, {"added": [], "changed": [], "cancelled": []})
        if key not in m_new:
            entry["cancelled"].append(day)
        elif key not in m_old:
            entry["added"].append(day)
        else:
            shifts = _leg_shifts(m_old[key], m_new[key])
            legs_retimed += sum(abs(s) > RETIME_MIN for s in shifts)
            if not _same_loads(m_old[key], m_new[key]) or any(abs(s) > RETIME_MIN for s in shifts):
                entry["changed"].append(day)
    figures = {}
    k_old, k_new = before.get("kpis", {}), after.get("kpis", {})
    for name, unit in FIGURES:
        a, b = k_old.get(name), k_new.get(name)
        change = (
            round(b - a, 2) if isinstance(a, int | float) and isinstance(b, int | float) else None
        )
        figures[name] = {"before": a, "after": b, "change": change, "unit": unit}
    unforced = sum(
        r["change"] in ("moved", "retimed") and r["request_id"] not in forced for r in rows
    )
    return {
        **{c: counts.get(c, 0) for c in CHANGES},
        "legs_retimed": legs_retimed,
        "moved_unforced": unforced,
        "requests": [r for r in rows if r["change"] != "kept"],
        "tails": [
            {"tail": t, **{k: sorted(v) for k, v in e.items()}}
            for t, e in sorted(per_tail.items())
            if any(e.values())
        ],
        "figures": figures,
    }


DIFF_CSV_COLUMNS = (
    "request_id",
    "change",
    "tails_before",
    "tails_after",
    "shift_min",
    "lifts_before",
    "lifts_after",
    "reason",
)


def diff_csv(diff: Mapping[str, Any]) -> str:
    """The per-request rows of a diff (those not kept) as CSV."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=DIFF_CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in diff["requests"]:
        writer.writerow(
            {
                **r,
                "tails_before": ";".join(r["tails_before"]),
                "tails_after": ";".join(r["tails_after"]),
                "shift_min": "" if r["shift_min"] is None else r["shift_min"],
            }
        )
    return buffer.getvalue()
