"""Execution-tracking performance: plan against actual for a 500-leg programme.

Target (issue 12): under 200 ms for a 500-leg programme. The programme is the demo week
(scheduled for 3 s) repeated under renamed tails until it holds 500 legs; the reports are
made from it. Two cases, each the median of several runs:

* mid-week: days 1-3 flown and reported (a fifth of the missions 10-90 min late), the rest
  not yet: only missions with a leg still to fly and moved later are re-planned;
* worst case: every mission's first leg reported 60 min late, nothing else: every mission is
  re-timed and re-planned by the mission planner.

    python benchmarks/bench_tracking.py [--legs 500] [--runs 5]
"""

from __future__ import annotations

import argparse
import copy
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from rich.console import Console
from rich.table import Table

from airlift.export.programme import programme_document
from airlift.scheduling.readers import demo_dir, read_fleet, read_requests, read_scenario
from airlift.scheduling.scheduler import schedule
from airlift.tracking.compare import PlannedLeg, compare, planned_legs
from airlift.tracking.model import LegActual, Source

TARGET_MS = 200.0


def programme_of(legs: int) -> tuple[dict[str, Any], Any]:
    """The demo week's programme document, its missions repeated under renamed tails until
    it holds at least ``legs`` legs; and the demo scenario."""
    d = demo_dir()
    scenario = read_scenario(d / "scenario.toml")
    p = schedule(read_requests(d / "requests.csv"), read_fleet(d / "fleet.csv"), scenario, 3.0)
    base = programme_document(p)
    doc = copy.deepcopy(base)
    copy_no = 1
    while len(planned_legs(doc)) < legs:
        for m in base["missions"]:
            twin = copy.deepcopy(m)
            twin["tail"] = f"{m['tail']}-{copy_no}"
            doc["missions"].append(twin)
        copy_no += 1
    return doc, scenario


def _flown(p: PlannedLeg, delay_min: float) -> LegActual:
    d = timedelta(minutes=delay_min)
    return LegActual(
        p.tail,
        p.origin,
        p.destination,
        Source.CREW,
        out_utc=p.out_utc + d,
        off_utc=p.off_utc + d,
        on_utc=p.on_utc + d,
        in_utc=p.in_utc + d,
        fuel_out_kg=9000.0,
        fuel_in_kg=9000.0 - p.burn_kg,
    )


def mid_week(legs: list[PlannedLeg], seed: int = 0) -> list[LegActual]:
    rng = random.Random(seed)
    late = {m: rng.uniform(10, 90) for m in {p.mission for p in legs} if rng.random() < 0.2}
    return [_flown(p, late.get(p.mission, 0.0)) for p in legs if p.day <= 3]


def worst_case(legs: list[PlannedLeg]) -> list[LegActual]:
    return [_flown(p, 60.0) for p in legs if p.number == 1]


def _median_ms(doc: dict[str, Any], actuals: list[LegActual], scenario: Any, runs: int) -> float:
    as_of = datetime(2023, 10, 30, 0, 0, tzinfo=UTC)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        compare(doc, actuals, scenario=scenario, as_of=as_of)
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def bench_plan_against_actual(legs: int = 500, runs: int = 5) -> list[tuple[str, str, float]]:
    """(case, what it holds, median ms) per case."""
    doc, scenario = programme_of(legs)
    planned = planned_legs(doc)
    missions = len(doc["missions"])
    rows = []
    for name, actuals in (
        ("mid-week", mid_week(planned)),
        ("worst case: every mission re-planned", worst_case(planned)),
    ):
        report = compare(doc, actuals, scenario=scenario, as_of=datetime(2023, 10, 30, tzinfo=UTC))
        what = (
            f"{len(planned)} legs, {missions} missions, {len(actuals)} reports, "
            f"{report.figures.newly_infeasible} legs now breaking a limit"
        )
        rows.append((name, what, _median_ms(doc, actuals, scenario, runs)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--legs", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    table = Table(title=f"Plan against actual (target < {TARGET_MS:.0f} ms)")
    table.add_column("Case")
    table.add_column("Programme and reports")
    table.add_column("Median", justify="right")
    table.add_column("Target", justify="right")
    for name, what, ms in bench_plan_against_actual(args.legs, args.runs):
        verdict = "met" if ms < TARGET_MS else "missed"
        table.add_row(name, what, f"{ms:,.0f} ms", f"< {TARGET_MS:.0f} ms: {verdict}")
    Console().print(table)


if __name__ == "__main__":
    main()
