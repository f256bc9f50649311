"""Events applied to the scheduling inputs: the requests, fleet and scenario after them.

* ``unserviceable``: a maintenance window on the tail (the model then has no vehicle on the
  days it touches; the re-planner also cuts a started mission at it).
* ``closed``: a :class:`~airlift.scheduling.model.Closure` for the model.
* ``mog`` / ``fuel`` / ``hours``: a scenario override of the airfield for the horizon, or,
  with a window, an :class:`~airlift.scheduling.model.AirfieldWindow` for the model.
* ``add-request`` / ``cancel`` / ``change``: the requests.
* ``delay`` and ``duty-reset`` act on the programme, not the inputs: they are returned as
  they are for the re-planner.

Every event names a tail, airfield or request of the inputs: one that does not is a
:class:`~airlift.errors.FieldError` on ``event`` with the closest names.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from airlift.errors import FieldError
from airlift.replan.events import (
    AddRequests,
    AirfieldChange,
    Cancel,
    Change,
    Closed,
    Delay,
    DutyReset,
    Event,
    Unserviceable,
    event_text,
)
from airlift.scheduling.fields import REQUEST
from airlift.scheduling.inputs import AirfieldOverride, FleetTail, MovementRequest, Scenario
from airlift.scheduling.model import AirfieldWindow, Closure


@dataclass(frozen=True, slots=True)
class Applied:
    """The inputs after the events, and the events that act on the programme itself."""

    requests: tuple[MovementRequest, ...]
    fleet: tuple[FleetTail, ...]
    scenario: Scenario
    closures: tuple[Closure, ...]
    windows: tuple[AirfieldWindow, ...]
    unserviceable: tuple[Unserviceable, ...]
    delays: tuple[Delay, ...]
    duty_resets: tuple[DutyReset, ...]
    changed_refs: frozenset[str]
    """Requests cancelled, changed or added: their old lifts are not kept."""


def _unknown(event: Event, what: str, name: str, known: Sequence[str]) -> FieldError:
    close = difflib.get_close_matches(name, list(known), n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return FieldError(
        "event",
        f"event {event_text(event)!r}: unknown {what} {name!r}{hint}",
        suggestions=tuple(close),
    )


def _tail(event: Event, name: str, fleet: tuple[FleetTail, ...]) -> str:
    key = name.replace("-", "").upper()
    for t in fleet:
        if t.registration.replace("-", "").upper() == key:
            return t.registration
    raise _unknown(event, "tail", name, [t.registration for t in fleet])


def _request_row(r: MovementRequest) -> dict[str, Any]:
    """A request as the request files write it (``id`` for its ref), every field the
    readers know (``scheduling/fields.py``)."""
    row: dict[str, Any] = {}
    for f in REQUEST.in_domain():
        value = getattr(r, f.name)
        if isinstance(value, frozenset):
            value = ";".join(sorted(value))
        elif isinstance(value, datetime):
            value = value.isoformat()
        row[f.key("file")] = value
    return row


def _changed(event: Change, r: MovementRequest) -> MovementRequest:
    from airlift.scheduling.readers import request_from_row

    row = _request_row(r)
    for column, value in event.values:
        if column == REQUEST.key("ref", "file"):
            raise FieldError("event", f"event {event_text(event)!r}: a request's id cannot change")
        if column not in row:
            known = ", ".join(k for k in row if k != REQUEST.key("ref", "file"))
            raise FieldError(
                "event", f"event {event_text(event)!r}: no request column {column!r} ({known})"
            )
        row[column] = value
    try:
        return request_from_row(row)
    except FieldError as exc:
        raise FieldError("event", f"event {event_text(event)!r}: {exc.reason}") from None


def apply_events(
    events: Sequence[Event],
    requests: tuple[MovementRequest, ...],
    fleet: tuple[FleetTail, ...],
    scenario: Scenario,
) -> Applied:
    """The inputs after ``events``, in order (a later event on the same thing wins)."""
    by_ref = {r.ref: r for r in requests}
    tails = {t.registration: t for t in fleet}
    overrides = dict(scenario.overrides)
    closures: list[Closure] = []
    windows: list[AirfieldWindow] = []
    unserviceable: list[Unserviceable] = []
    delays: list[Delay] = []
    resets: list[DutyReset] = []
    changed: set[str] = set()
    horizon_end = scenario.end_utc + timedelta(days=1)
    for event in events:
        match event:
            case Unserviceable():
                reg = _tail(event, event.tail, fleet)
                until = event.until_utc or horizon_end
                t = tails[reg]
                tails[reg] = replace(t, unavailable=(*t.unavailable, (event.from_utc, until)))
                unserviceable.append(replace(event, tail=reg, until_utc=until))
            case Closed():
                closures.append(Closure(event.icao, event.from_utc, event.until_utc))
            case AirfieldChange():
                change = AirfieldOverride(
                    fuel_available=event.fuel_available, mog=event.mog, hours_utc=event.hours_utc
                )
                if event.from_utc is not None and event.until_utc is not None:
                    windows.append(
                        AirfieldWindow(event.icao, change, event.from_utc, event.until_utc)
                    )
                    continue
                o = overrides.get(event.icao, AirfieldOverride())
                overrides[event.icao] = replace(
                    o,
                    mog=event.mog if event.mog is not None else o.mog,
                    fuel_available=event.fuel_available
                    if event.fuel_available is not None
                    else o.fuel_available,
                    hours_utc=event.hours_utc or o.hours_utc,
                )
            case AddRequests():
                for r in event.requests:
                    if r.ref in by_ref:
                        raise FieldError(
                            "event",
                            f"event {event_text(event)!r}: request {r.ref} exists already "
                            "(use change to alter it)",
                        )
                    by_ref[r.ref] = r
                    changed.add(r.ref)
            case Cancel():
                if event.ref not in by_ref:
                    raise _unknown(event, "request", event.ref, list(by_ref))
                del by_ref[event.ref]
                changed.add(event.ref)
            case Change():
                if event.ref not in by_ref:
                    raise _unknown(event, "request", event.ref, list(by_ref))
                by_ref[event.ref] = _changed(event, by_ref[event.ref])
                changed.add(event.ref)
            case Delay():
                delays.append(replace(event, tail=_tail(event, event.tail, fleet)))
            case DutyReset():
                resets.append(replace(event, tail=_tail(event, event.tail, fleet)))
    return Applied(
        requests=tuple(by_ref.values()),
        fleet=tuple(tails[t.registration] for t in fleet),
        scenario=replace(scenario, overrides=overrides),
        closures=tuple(closures),
        windows=tuple(windows),
        unserviceable=tuple(unserviceable),
        delays=tuple(delays),
        duty_resets=tuple(resets),
        changed_refs=frozenset(changed),
    )


def unserviceable_at(applied: Applied, tail: str, start: datetime, end: datetime) -> bool:
    """True when ``tail`` is out of service at some time in [start, end)."""
    return any(
        u.tail == tail and u.from_utc < end and start < (u.until_utc or end)
        for u in applied.unserviceable
    )
