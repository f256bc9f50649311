"""Mission-planner performance: batch leg evaluation, one 4-leg plan, CLI cold start.

Targets (issue 2): >= 100,000 leg evaluations/s, a 4-leg plan under 2 ms in-process, the
CLI under 1 s from process start. Prints one table; machines here are noisy, so each figure
is the median of several runs.

    python benchmarks/bench_mission.py [--legs 1000000] [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from airlift import leg_batch
from airlift.aircraft import aircraft_type
from airlift.airfields import theatre
from airlift.fuel_policy import POLICIES
from airlift.mission import plan
from airlift.mission_file import mission_from_file

CLI = [
    sys.executable,
    "-m",
    "airlift",
    "plan",
    "GABS",
    "GAGO",
    "GATS",
    "DRRN",
    "GABS",
    "--aircraft",
    "C-130H",
    "--depart",
    "2023-10-27T06:30Z",
    "--load",
    "8600,3,42",
    "--load",
    "5000,2,18",
    "--load",
    "1200,1,32",
    "--load",
    "5500,2,20",
]


def batch_rate(n_legs: int, runs: int) -> tuple[float, float]:
    """(legs/s median, network set-up ms) on random legs among the theatre airfields."""
    t = aircraft_type("C-130H")
    airfields = list(theatre().values())
    start = time.perf_counter()
    net = leg_batch.network(t, airfields)
    setup_ms = (time.perf_counter() - start) * 1000
    rng = np.random.default_rng(7)
    origin = rng.integers(0, len(airfields), n_legs)
    dest = rng.integers(0, len(airfields), n_legs)
    payload = rng.uniform(0, t.max_payload_kg, n_legs)
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        leg_batch.evaluate(t, net, POLICIES["icao"], origin, dest, payload)
        rates.append(n_legs / (time.perf_counter() - start))
    return statistics.median(rates), setup_ms


def plan_latency_ms(runs: int) -> float:
    src = resources.files("airlift") / "data" / "demo" / "reference_circuit.toml"
    mission = mission_from_file("demo", src.read_text("utf-8"))
    plan(mission)  # warm caches (calibration, geodesics, sun times) as a running service has
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(100):
            plan(mission)
        times.append((time.perf_counter() - start) * 10)  # ms per plan
    return statistics.median(times)


def cli_cold_start_s(runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(CLI, check=False, capture_output=True, cwd=Path(__file__).parent)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--legs", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    rate, setup_ms = batch_rate(args.legs, args.runs)
    latency = plan_latency_ms(args.runs)
    cold = cli_cold_start_s(args.runs)
    table = Table(title="bench_mission (median of runs)")
    for col in ("measure", "value", "target", "ok"):
        table.add_column(col, justify="left" if col == "measure" else "right")
    rows = (
        (
            f"batch leg evaluations ({args.legs:,} legs, C-130H)",
            f"{rate:,.0f} legs/s",
            ">= 100,000 legs/s",
            rate >= 100_000,
        ),
        ("  network set-up (13 airfields, once)", f"{setup_ms:,.1f} ms", "-", True),
        ("4-leg mission plan, in-process", f"{latency:.3f} ms", "< 2 ms", latency < 2.0),
        ("CLI cold start `python -m airlift plan` 4 legs", f"{cold:.3f} s", "< 1 s", cold < 1.0),
    )
    for name, value, target, ok in rows:
        table.add_row(name, value, target, "yes" if ok else "NO")
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
