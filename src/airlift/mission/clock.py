"""The times of a mission: each leg's off-block, take-off, landing and on-block, the next
off-block after the turnaround (or the leg's slot), and the crew's duty day.

Shared by :func:`~airlift.mission.planner.plan` and :func:`~airlift.mission.retime.retime`,
so that a re-timed plan keeps exactly the times a full plan would give. Minutes; UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from airlift.mission.inputs import MissionInput


def taxi_out_min(m: MissionInput) -> float:
    """Taxi-out (min): two thirds of the type's taxi time, to the minute."""
    return float(round(m.aircraft.taxi_time_min * 2.0 / 3.0))


def ground_min(m: MissionInput) -> float:
    """Turnaround (min) at an intermediate stop: the option, else the type's for the mode."""
    opts = m.options
    if opts.ground_time_min is not None:
        return opts.ground_time_min
    return m.aircraft.ground_time(opts.ground_mode)


def duty_start(m: MissionInput) -> datetime:
    """The crew's show time: the first off-block less the pre-flight time."""
    return m.departure_utc.astimezone(UTC) - timedelta(minutes=m.options.pre_flight_min)


def leg_clock(
    m: MissionInput, etd: datetime, taxi_out: float, flight_min: float
) -> tuple[datetime, datetime, datetime]:
    """(take-off, landing, on-block) of a leg leaving the blocks at ``etd``."""
    takeoff = etd + timedelta(minutes=taxi_out)
    landing = takeoff + timedelta(minutes=flight_min)
    eta = landing + timedelta(minutes=m.aircraft.taxi_time_min - taxi_out)
    return takeoff, landing, eta


def next_off_block(m: MissionInput, i: int, eta: datetime, turnaround_min: float) -> datetime:
    """Off-block of leg ``i + 1``: leg ``i``'s on-block plus the turnaround, or its slot
    (``not_before_utc``) if later."""
    etd = eta + timedelta(minutes=turnaround_min)
    if i + 1 < len(m.not_before_utc) and (slot := m.not_before_utc[i + 1]) is not None:
        etd = max(etd, slot.astimezone(UTC))
    return etd
