"""Execution-tracking performance, two parts, one table each.

1. ADS-B ingest (target >= 200,000 state vectors/s from file to detected flights, per
   format): ``--vectors`` (default 1,000,000) reports of many aircraft flying random legs
   between the theatre airfields (tracking/synthetic.py), written as OpenSky Parquet and
   readsb traces in a temporary folder; reading + detection timed (median of ``--runs``).
2. Plan against actual (target under 200 ms for a 500-leg programme): the demo week
   (scheduled for 3 s) repeated under renamed tails until it holds ``--legs`` legs, reports
   made from it. Two cases, each the median of ``--runs``:
   * mid-week: days 1-3 flown and reported (a fifth of the missions 10-90 min late), the rest
     not yet: only missions with a leg still to fly and moved later are re-planned;
   * worst case: every mission's first leg reported 60 min late, nothing else: every mission
     is re-timed and re-checked by the mission planner;
   * worst case, distinct missions: the same, each copy of the week at other surface
     temperatures, so that no mission is a twin of another (a programme of distinct
     missions: on a cold cache every one is planned in full).
   Each case three times: *no cache*, every re-check a full ``mission.plan`` (as before
   ``mission.retime``); *cold*, the re-check's plan cache (``compare.PLANS``) emptied before
   each run, so each distinct mission is planned in full once (the renamed twins of the
   demo week are not distinct: they are re-timed); and *warm*, the missions re-checked
   before (the board's refresh, a second report), so every re-check is a re-time.

    python benchmarks/bench_tracking.py [--part all|ingest|compare] [--vectors 1000000]
                                        [--legs 500] [--runs 3]
"""

from __future__ import annotations

import argparse
import copy
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from rich.console import Console
from rich.table import Table

from airlift.airfields import theatre
from airlift.export.programme import programme_document
from airlift.mission import PlanCache
from airlift.scheduling.readers import demo_dir, read_fleet, read_requests, read_scenario
from airlift.scheduling.scheduler import schedule
from airlift.tracking import adsb, synthetic
from airlift.tracking import compare as compare_module
from airlift.tracking.compare import compare
from airlift.tracking.detect import detect
from airlift.tracking.legs import PlannedLeg, planned_legs
from airlift.tracking.model import LegActual, Source

TARGET_MS = 200.0


def programme_of(legs: int, distinct: bool = False) -> tuple[dict[str, Any], Any]:
    """The demo week's programme document, its missions repeated under renamed tails until
    it holds at least ``legs`` legs; and the demo scenario. ``distinct``: each copy's
    surface temperatures 0.5 degC warmer than the copy before, so no two missions share a
    plan-cache key (``mission.retime.time_free_key`` reads the weather): every mission of
    the programme is planned in full on a cold cache, as a programme of distinct missions."""
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
            for leg in twin["plan"]["legs"] if distinct else ():
                for key in ("origin_oat_c", "destination_oat_c"):
                    if leg.get(key) is not None:
                        leg[key] = float(leg[key]) + 0.5 * copy_no
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


def _median_ms(
    doc: dict[str, Any], actuals: list[LegActual], scenario: Any, runs: int, cache: str
) -> float:
    """``cache``: "none" (every re-check a full plan, as before the cache), "cold" (emptied
    before each run) or "warm"."""
    as_of = datetime(2023, 10, 30, 0, 0, tzinfo=UTC)
    times = []
    kept = compare_module.PLANS
    if cache == "none":
        compare_module.PLANS = PlanCache(size=0)
    try:
        for _ in range(runs):
            if cache == "cold":
                compare_module.PLANS.clear()
            start = time.perf_counter()
            compare(doc, actuals, scenario=scenario, as_of=as_of)
            times.append((time.perf_counter() - start) * 1000.0)
    finally:
        compare_module.PLANS = kept
    return statistics.median(times)


def bench_plan_against_actual(
    legs: int = 500, runs: int = 5
) -> list[tuple[str, str, float, float, float]]:
    """(case, what it holds, median ms without cache, cold, warm) per case."""
    twins = programme_of(legs)
    distinct = programme_of(legs, distinct=True)
    rows = []
    for name, (doc, scenario), pick in (
        ("mid-week", twins, mid_week),
        ("worst case: every mission re-planned", twins, worst_case),
        ("worst case, distinct missions", distinct, worst_case),
    ):
        planned = planned_legs(doc)
        missions = len(doc["missions"])
        actuals = pick(planned)
        kept, compare_module.PLANS = compare_module.PLANS, PlanCache()
        report = compare(doc, actuals, scenario=scenario, as_of=datetime(2023, 10, 30, tzinfo=UTC))
        cache, compare_module.PLANS = compare_module.PLANS, kept
        what = (
            f"{len(planned)} legs, {missions} missions, {len(actuals)} reports, "
            f"{report.figures.newly_infeasible} legs now breaking a limit; "
            f"{cache.planned} missions re-checked cold by a full plan, {cache.retimed} by "
            "re-timing (twins of a mission seen before)"
        )
        none = _median_ms(doc, actuals, scenario, runs, "none")
        cold = _median_ms(doc, actuals, scenario, runs, "cold")
        warm = _median_ms(doc, actuals, scenario, runs, "warm")
        rows.append((name, what, none, cold, warm))
    return rows


TARGET_VECTORS_PER_S = 200_000
START_S = 1698649200.0  # 2023-10-30T07:00:00Z


def fleet_vectors(n_vectors: int, seed: int = 1) -> tuple[pa.Table, int]:
    """About ``n_vectors`` reports of aircraft each flying two random theatre legs (5 s
    apart in the air, 30 s on the ground), and how many legs they fly."""
    rng = np.random.default_rng(seed)
    fields = list(theatre().values())
    tables, legs, total, k = [], 0, 0, 0
    while total < n_vectors:
        a, b, c = rng.choice(len(fields), size=3, replace=False)
        off = START_S + float(rng.uniform(0, 6 * 3600))
        flown = []
        for o, d in ((a, b), (b, c)):
            km = float(np.hypot(fields[o].lat - fields[d].lat, fields[o].lon - fields[d].lon)) * 111
            on = off + max(km / 0.5, 1800.0)  # about 500 km/h, at least 30 min
            flown.append(synthetic.FlownLeg(fields[o], fields[d], off, on, 24000.0, 900.0, 900.0))
            off = on + 3600
        table = synthetic.noisy(synthetic.programme(flown, f"{0xA00000 + k:06x}"), rng)
        tables.append(table)
        total += table.num_rows
        legs += len(flown)
        k += 1
    return pa.concat_tables(tables), legs


def _median_s(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def ingest(n_vectors: int, runs: int) -> Table:
    """Part 1: reading + detection per format, vectors/s."""
    table, legs = fleet_vectors(n_vectors)
    title = f"ADS-B ingest ({table.num_rows:,} state vectors, {legs:,} legs; median of {runs})"
    out = Table(title=f"bench_tracking: {title}")
    for col in (
        "format",
        "files",
        "size (MB)",
        "read + detect (s)",
        "vectors/s",
        "flights found",
        f"target >= {TARGET_VECTORS_PER_S:,}/s",
    ):
        out.add_column(col, justify="right" if col != "format" else "left")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "traces").mkdir()
        cases = {
            "OpenSky Parquet": [synthetic.write_opensky_parquet(table, folder / "states.parquet")],
            "readsb traces": synthetic.write_readsb_traces(table, folder / "traces"),
        }
        for name, paths in cases.items():

            def ingest(paths: list[Path] = paths) -> object:
                return detect(adsb.read(paths))

            seconds, result = _median_s(ingest, runs)
            found = len(result.flights)  # type: ignore[attr-defined]
            rate = table.num_rows / seconds
            size = sum(p.stat().st_size for p in paths) / 1e6
            out.add_row(
                name, f"{len(paths):,}", f"{size:,.1f}", f"{seconds:.2f}", f"{rate:,.0f}",
                f"{found:,} of {legs:,}", "yes" if rate >= TARGET_VECTORS_PER_S else "NO",
            )  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", type=int, default=1_000_000, help="ADS-B state vectors")
    parser.add_argument("--legs", type=int, default=500, help="legs of the programme")
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (median)")
    parser.add_argument(
        "--part", choices=("all", "ingest", "compare"), default="all", help="which part to run"
    )
    args = parser.parse_args()
    console = Console()
    if args.part in ("all", "ingest"):
        console.print(ingest(args.vectors, args.runs))
    if args.part in ("all", "compare"):
        console.print(plan_against_actual(args.legs, args.runs))


def plan_against_actual(legs: int, runs: int) -> Table:
    """Part 2: the comparison, cold and warm, ms."""
    table = Table(title=f"Plan against actual (target < {TARGET_MS:.0f} ms; median of {runs})")
    table.add_column("Case")
    table.add_column("Programme and reports")
    table.add_column("No cache (ms)", justify="right")
    table.add_column("Cold (ms)", justify="right")
    table.add_column("Warm (ms)", justify="right")
    table.add_column("Target", justify="right")
    for name, what, none, cold, warm in bench_plan_against_actual(legs, runs):
        verdict = "met" if max(cold, warm) < TARGET_MS else "missed"
        table.add_row(
            name,
            what,
            f"{none:,.0f}",
            f"{cold:,.0f}",
            f"{warm:,.0f}",
            f"< {TARGET_MS:.0f} ms cold and warm: {verdict}",
        )
    return table


if __name__ == "__main__":
    main()
