"""A what-if study of the demo week on Dask, with 1 worker and with 2: time and speedup.

The study: fleet size (6 levels from 3 to 8 tails by default) x Tessalit open or closed x 2
seeds = 24 runs, each with a fixed number of engine iterations (so both clusters compute
the same rows, checked) under a time limit. Each cluster is a LocalCluster of worker
processes started by :func:`airlift.studies.run_study` (its start-up is in the wall time).

Prints one table: per cluster, the wall time, the speedup over 1 worker, the runs' own
mean time (inside the worker), and the Dask overhead per run: (wall x workers - the runs'
own time) / runs, cluster start-up included; then the smallest fleet that serves 95 % of
required requests with Tessalit open.

    python benchmarks/bench_study.py [--runs 24] [--time-limit 5] [--iterations 200]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
from rich.console import Console
from rich.table import Table

from airlift.studies import load_study, run_study
from airlift.studies.runner import StudyOutcome

STUDY = """
name = "bench"
target_served_pct = 95
[base]
time_limit_s = {limit}
iterations = {iterations}
[design]
kind = "full-factorial"
replications = 2
[[factor]]
name = "fleet"
kind = "fleet_size"
levels = {levels}
[[factor]]
name = "tessalit"
kind = "closure"
airfield = "GATS"
levels = ["open", "closed"]
"""


def fleet_levels(runs: int) -> list[int]:
    """``runs`` // 4 fleet sizes spread over 3 to 8 tails (4 runs each: 2 closures x 2 seeds)."""
    n = max(1, min(6, runs // 4))
    return sorted({round(3 + i * 5 / max(1, n - 1)) for i in range(n)}) if n > 1 else [8]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=24, help="4 to 24 (a multiple of 4)")
    parser.add_argument("--time-limit", type=float, default=5.0, help="engine s per run")
    parser.add_argument("--iterations", type=int, default=200)
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.toml"
        path.write_text(
            STUDY.format(
                limit=args.time_limit,
                iterations=args.iterations,
                levels=fleet_levels(args.runs),
            ),
            encoding="utf-8",
        )
        study = load_study(path)
        outcomes: dict[int, StudyOutcome] = {}
        for workers in (1, 2):
            console.print(f"running {args.runs} runs on {workers} worker(s)...")
            outcomes[workers] = run_study(study, Path(tmp) / f"w{workers}", workers=workers)
        rows = {w: pq.read_table(o.results).to_pylist() for w, o in outcomes.items()}
    same = _figures(rows[1]) == _figures(rows[2])
    table = Table(
        title=f"Study of the demo week: {len(rows[1])} runs "
        f"({args.iterations} iterations, {args.time_limit:g} s limit)"
    )
    for column in (
        "workers",
        "wall s",
        "speedup",
        "run s (mean)",
        "Dask overhead s/run",
        "overhead / run time",
        "failed",
    ):
        table.add_column(column, justify="right")
    for workers, outcome in outcomes.items():
        own = [r["run_s"] for r in rows[workers] if r["run_s"] is not None]
        mean_run = sum(own) / len(own)
        overhead = (outcome.wall_s * workers - sum(own)) / len(own)
        table.add_row(
            str(workers),
            f"{outcome.wall_s:.1f}",
            f"{outcomes[1].wall_s / outcome.wall_s:.2f}",
            f"{mean_run:.2f}",
            f"{overhead:.2f}",
            f"{overhead / mean_run:.0%}",
            str(outcome.summary["failed"]),
        )
    console.print(table)
    best = outcomes[2].summary["smallest_fleet"]
    console.print(
        "smallest fleet serving 95 % of required requests "
        f"({best['conditions'] if best else 'tessalit=open'}): "
        + (f"{best['tails']} tails ({best['served_pct']} %)" if best else "none of the levels")
    )
    console.print(f"1 and 2 workers give the same rows: {'yes' if same else 'NO'}")


def _figures(rows: list[dict[str, object]]) -> list[tuple[object, ...]]:
    keys = ("run_id", "required_served_pct", "tonnes_delivered", "flying_hours")
    return sorted(tuple(r[k] for k in keys) for r in rows)


if __name__ == "__main__":
    main()
