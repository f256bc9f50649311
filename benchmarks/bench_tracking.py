"""Execution-tracking performance. Part 1, ADS-B ingest: read state vectors and detect
take-offs and landings.

Target (issue 12): >= 200,000 state vectors/s from file to detected flights, per format.
Generates ``--vectors`` (default 1,000,000) reports of many aircraft flying random legs
between the theatre airfields (tracking/synthetic.py), writes them as OpenSky Parquet and
readsb traces in a temporary folder, then times reading + detection (median of ``--runs``).
Prints one table per part; the plan-against-actual part is added beside ``ingest``.

    python benchmarks/bench_tracking.py [--vectors 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
from rich.console import Console
from rich.table import Table

from airlift.airfields import theatre
from airlift.tracking import adsb, synthetic
from airlift.tracking.detect import detect

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
            seconds, result = _median_s(lambda paths=paths: detect(adsb.read(paths)), runs)
            found = len(result.flights)  # type: ignore[attr-defined]
            rate = table.num_rows / seconds
            size = sum(p.stat().st_size for p in paths) / 1e6
            out.add_row(
                name, f"{len(paths):,}", f"{size:,.1f}", f"{seconds:.2f}", f"{rate:,.0f}",
                f"{found:,} of {legs:,}", "yes" if rate >= TARGET_VECTORS_PER_S else "NO",
            )  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vectors", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    console = Console()
    console.print(ingest(args.vectors, args.runs))


if __name__ == "__main__":
    main()
