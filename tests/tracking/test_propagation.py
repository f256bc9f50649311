"""Properties of delay propagation down a tail's day (Hypothesis): a leg not yet reported is
never moved earlier than planned, and a reported time is never changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from airlift.tracking.compare import propagate
from airlift.tracking.legs import PlannedLeg
from airlift.tracking.model import LegActual, Source

START = datetime(2023, 10, 27, 5, 0, tzinfo=UTC)


def _day(blocks: list[tuple[int, int, int, int]]) -> list[PlannedLeg]:
    """Legs from (taxi out, flight, taxi in, turnaround after) minutes."""
    legs, t = [], START
    for n, (taxi_out, flight, taxi_in, turn) in enumerate(blocks, start=1):
        out = t
        off = out + timedelta(minutes=taxi_out)
        on = off + timedelta(minutes=flight)
        in_ = on + timedelta(minutes=taxi_in)
        legs.append(
            PlannedLeg(
                "5U-MBD",
                f"A{n:03d}",
                f"A{n + 1:03d}",
                out,
                off,
                on,
                in_,
                aircraft="C-130H",
                number=n,
                burn_kg=4000.0,
            )
        )
        t = in_ + timedelta(minutes=turn)
    return legs


leg_shape = st.tuples(
    st.integers(0, 20), st.integers(20, 300), st.integers(0, 15), st.integers(0, 180)
)
# Per leg: None (not reported), or a report: delay (min, may be early), landed or not.
report_shape = st.one_of(
    st.none(), st.tuples(st.integers(-60, 600), st.booleans(), st.integers(-30, 90))
)


@given(
    st.lists(leg_shape, min_size=1, max_size=6).flatmap(
        lambda shape: st.tuples(
            st.just(shape), st.lists(report_shape, min_size=len(shape), max_size=len(shape))
        )
    ),
    st.integers(0, 120),
)
def test_propagation_never_moves_a_leg_earlier_nor_a_landed_one(
    case: tuple[list[tuple[int, int, int, int]], list[tuple[int, bool, int] | None]],
    turnaround: int,
) -> None:
    shape, reports = case
    legs = _day(shape)
    actuals: list[LegActual | None] = []
    for p, r in zip(legs, reports, strict=True):
        if r is None:
            actuals.append(None)
            continue
        delay, landed, extra = r
        out = p.out_utc + timedelta(minutes=delay)
        off = out + (p.off_utc - p.out_utc)
        on = off + (p.on_utc - p.off_utc) + timedelta(minutes=max(extra, -20))
        actuals.append(
            LegActual(
                p.tail,
                p.origin,
                p.destination,
                Source.CREW,
                out_utc=out,
                off_utc=off,
                on_utc=on if landed else None,
                in_utc=on + timedelta(minutes=5) if landed else None,
            )
        )
    times = propagate(legs, actuals, turnaround)
    for p, a, x in zip(legs, actuals, times, strict=True):
        if a is None:
            assert x.out_utc >= p.out_utc  # never earlier than planned
            assert x.in_utc >= p.in_utc
        else:
            assert x.out_utc == a.out_utc and x.off_utc == a.off_utc  # reported: unchanged
            if a.on_utc is not None:
                assert (x.on_utc, x.in_utc) == (a.on_utc, a.in_utc)
    # A leg not reported never leaves before the previous one is in plus the turnaround
    # (or the plan's own shorter gap).
    for i in range(1, len(legs)):
        if actuals[i] is None:
            gap = min(timedelta(minutes=turnaround), legs[i].out_utc - legs[i - 1].in_utc)
            assert times[i].out_utc >= times[i - 1].in_utc + gap
