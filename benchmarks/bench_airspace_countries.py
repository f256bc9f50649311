"""Countries per leg (airspace/countries.py), target 10,000 legs in under 1 s.

``--legs`` (default 10,000) random straight legs in the Sahel box (lat 5-25 N, lon 18 W-16 E,
seeded), through ``countries_of_legs``:

* cold: the process caches emptied first, so the time includes decoding the Natural Earth
  TopoJSON into polygons and rasterising the tiles the legs touch (not the Python imports);
* warm: the same legs again, borders and tiles in memory (a new set of random legs over the
  same region costs the same: nothing is cached per leg).

Each the median of ``--runs``. To be merged into bench_airspace.py.

    python benchmarks/bench_airspace_countries.py [--legs 10000] [--runs 3] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
from rich.console import Console
from rich.table import Table

from airlift.airspace import countries

TARGET_S = 1.0


def sahel_legs(n: int, seed: int) -> list[tuple[float, float, float, float]]:
    rng = np.random.default_rng(seed)
    lat = rng.uniform(5.0, 25.0, (n, 2))
    lon = rng.uniform(-18.0, 16.0, (n, 2))
    return [(a, b, c, d) for a, c, b, d in np.column_stack([lat, lon]).tolist()]


def timed(legs: list[tuple[float, float, float, float]], cold: bool) -> tuple[float, float]:
    """(wall seconds, this process's CPU seconds): on a shared machine the two differ."""
    if cold:
        countries._borders.cache_clear()
        countries._raster.cache_clear()
    start, cpu = time.perf_counter(), time.process_time()
    countries.countries_of_legs(legs)
    return time.perf_counter() - start, time.process_time() - cpu


def median_of(
    runs: int, legs: list[tuple[float, float, float, float]], cold: bool
) -> tuple[float, float]:
    times = [timed(legs, cold) for _ in range(runs)]
    return statistics.median(w for w, _ in times), statistics.median(c for _, c in times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--legs", type=int, default=10_000, help="random Sahel legs")
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (median)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random legs")
    args = parser.parse_args()
    legs = sahel_legs(args.legs, args.seed)
    cold = median_of(args.runs, legs, cold=True)
    warm = median_of(args.runs, legs, cold=False)
    per_leg = countries.countries_of_legs(legs)
    table = Table(
        title=f"Countries per leg (target < {TARGET_S:.0f} s for 10,000; median of {args.runs})"
    )
    for column in ("Case", "Legs", "Seconds", "CPU s", "Legs/s", "Target < 1 s"):
        table.add_column(column, justify="left" if column == "Case" else "right")
    for name, (seconds, cpu) in (("cold (load polygons + tiles)", cold), ("warm", warm)):
        table.add_row(
            name,
            f"{len(legs):,}",
            f"{seconds:.3f}",
            f"{cpu:.3f}",
            f"{len(legs) / seconds:,.0f}",
            "met" if seconds < TARGET_S * len(legs) / 10_000 else "NOT met",
        )
    Console().print(table)
    load1, _, _ = os.getloadavg()
    Console().print(f"load average {load1:.1f} on {os.cpu_count()} cores (others' work slows it)")
    mean = sum(len(c) for c in per_leg) / max(1, len(per_leg))
    Console().print(f"{mean:.2f} countries per leg on average; e.g. {per_leg[0]}")


if __name__ == "__main__":
    main()
