"""Airspace speed: routing per leg around 10 and 50 random zones, and countries per leg.

Routing, target (issue 14) under 50 ms per leg with 50 zones. Zones are seeded random circles
(15-60 NM, a third of them threats with a 5-15 NM stand-off) and convex or concave polygons
in the box lat 10-22 N, lon 12 W-6 E; legs join random points of the same box. The first
leg over a zone set pays for its buffers (cached per zone) and is included.

Countries, target under 1 s for 10,000 legs: ``--country-legs`` random straight legs in the
Sahel box (lat 5-25 N, lon 18 W-16 E, seeded) through ``countries_of_legs``. Cold: the
process caches emptied first, so the time includes decoding the Natural Earth TopoJSON into
polygons and rasterising the tiles the legs touch (not the Python imports). Warm: the same
legs again (nothing is cached per leg, so new legs over the same region cost the same). Each
the median of ``--runs``; wall and CPU seconds both shown (on a shared machine they differ).

    python benchmarks/bench_airspace.py [--legs 200] [--seed 1] [--country-legs 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import time
from datetime import UTC, datetime

import numpy as np
from rich.console import Console
from rich.table import Table
from shapely import Polygon

from airlift.airspace import Router, Zone, borders, countries, geodesic_circle
from airlift.units import M_PER_NM

LAT = (10.0, 22.0)
LON = (-12.0, 6.0)
TARGET_MS = 50.0
TARGET_COUNTRIES_S = 1.0
"""For 10,000 legs."""
T0 = datetime(2026, 1, 1, tzinfo=UTC)
T1 = datetime(2026, 1, 1, 4, tzinfo=UTC)


def random_zones(n: int, rng: np.random.Generator) -> list[Zone]:
    """n seeded zones: circles, threats with stand-off, star-shaped (concave) polygons."""
    zones = []
    for k in range(n):
        lat, lon = rng.uniform(*LAT), rng.uniform(*LON)
        radius_m = rng.uniform(15, 60) * M_PER_NM
        if k % 2 == 0:
            area = geodesic_circle(lat, lon, radius_m)
        else:
            m = int(rng.integers(5, 12))
            angles = np.sort(rng.uniform(0, 2 * math.pi, m))
            radii = radius_m * rng.uniform(0.4, 1.0, m) / 111_000.0
            area = Polygon(
                [
                    (lon + r * math.cos(a) / math.cos(math.radians(lat)), lat + r * math.sin(a))
                    for a, r in zip(angles, radii, strict=True)
                ]
            )
        threat = k % 3 == 0
        standoff_m = rng.uniform(5, 15) * M_PER_NM if threat else 0.0
        zones.append(
            Zone(f"Z{k:02d}", "threat" if threat else "restricted", area, standoff_m=standoff_m)
        )
    return zones


def run(n_zones: int, n_legs: int, seed: int) -> tuple[float, float, int]:
    """(median ms/leg, p95 ms/leg, legs rerouted)."""
    rng = np.random.default_rng(seed)
    router = Router(random_zones(n_zones, rng))
    times_ms = []
    rerouted = 0
    for _ in range(n_legs):
        a = (rng.uniform(*LAT), rng.uniform(*LON))
        b = (rng.uniform(*LAT), rng.uniform(*LON))
        t = time.perf_counter()
        route = router.route(a, b, 18_000.0, T0, T1)
        times_ms.append((time.perf_counter() - t) * 1000.0)
        rerouted += len(route.points) > 2
    return statistics.median(times_ms), float(np.percentile(times_ms, 95)), rerouted


def sahel_legs(n: int, seed: int) -> list[tuple[float, float, float, float]]:
    rng = np.random.default_rng(seed)
    lat = rng.uniform(5.0, 25.0, (n, 2))
    lon = rng.uniform(-18.0, 16.0, (n, 2))
    return [(a, b, c, d) for a, c, b, d in np.column_stack([lat, lon]).tolist()]


def timed(legs: list[tuple[float, float, float, float]], cold: bool) -> tuple[float, float]:
    """(wall seconds, this process's CPU seconds)."""
    if cold:
        borders.borders.cache_clear()
        countries._raster.cache_clear()
    start, cpu = time.perf_counter(), time.process_time()
    countries.countries_of_legs(legs)
    return time.perf_counter() - start, time.process_time() - cpu


def countries_per_leg_table(n_legs: int, runs: int, seed: int) -> Table:
    legs = sahel_legs(n_legs, seed)
    table = Table(
        title=f"countries per leg (target < {TARGET_COUNTRIES_S:g} s per 10,000 legs; "
        f"median of {runs})"
    )
    for column in ("case", "legs", "seconds", "CPU s", "legs/s", "target"):
        table.add_column(column, justify="left" if column == "case" else "right")
    for name, cold in (("cold (load polygons + tiles)", True), ("warm", False)):
        times = [timed(legs, cold) for _ in range(runs)]
        wall = statistics.median(w for w, _ in times)
        cpu = statistics.median(c for _, c in times)
        met = wall < TARGET_COUNTRIES_S * len(legs) / 10_000
        table.add_row(
            name,
            f"{len(legs):,}",
            f"{wall:.3f}",
            f"{cpu:.3f}",
            f"{len(legs) / wall:,.0f}",
            "met" if met else "NOT met",
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--legs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--country-legs", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    table = Table(title="airspace routing (ms per leg, Router over one zone set)")
    for col in ("zones", "legs", "median ms/leg", "p95 ms/leg", "legs rerouted", "target"):
        table.add_column(col, justify="right")
    for n_zones in (10, 50):
        median, p95, rerouted = run(n_zones, args.legs, args.seed)
        met = "" if n_zones != 50 else ("met" if median < TARGET_MS else "NOT met")
        target = f"< {TARGET_MS:g} ms: {met}" if met else ""
        table.add_row(
            str(n_zones), str(args.legs), f"{median:.1f}", f"{p95:.1f}", str(rerouted), target
        )
    console = Console()
    console.print(table)
    console.print(countries_per_leg_table(args.country_legs, args.runs, args.seed))
    load1, _, _ = os.getloadavg()
    console.print(f"load average {load1:.1f} on {os.cpu_count()} cores (others' work slows it)")


if __name__ == "__main__":
    main()
