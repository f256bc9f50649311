"""Li & Lim PDPTW benchmark: our PyVRP engine (fleet minimisation on) against OR-Tools and
plain PyVRP (its default settings; ``--engines ... pyvrp-plain``).

Each instance is read by :mod:`airlift.scheduling.lilim`, turned into the generic ``Problem``,
solved by each engine with the same time limit, and every result is re-checked by the
independent double-precision checker (``lilim.check``) before it is compared with the
best-known solution (fewest vehicles first, then distance). Prints one table per instance and
a summary per solver; ``--csv`` writes one row per instance and solver as results come in.

    python benchmarks/bench_pdptw.py --time-limit 10 [--set 100|200] [--instances lc101 ...]
        [--data DIR] [--csv FILE] [--seed 0] [--engines pyvrp ortools pyvrp-plain] [--repeat N]
        [--contention | --half-speed]

``--repeat N`` runs the set N times (same seed: what differs is the machine's timing) and
prints each instance's spread of vehicles and gap over the repeats; ``--contention`` runs a
CPU hog (a process spinning on one core) beside every solve, as on a shared server;
``--half-speed`` pins the hog and the solver to one core, so the solver runs at about half
speed (a machine half as fast). Every summary line gives the largest overrun of the time
limit; with peers, a line per repeat says on how many instances ours used as few vehicles or
fewer, naming those where it used more.

The data (``li-lim/*.txt``, ``best-known.csv``) is read from ``../shared/data/pdptw`` beside
the repository and never copied into it.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from airlift.errors import AirliftError
from airlift.scheduling import lilim
from airlift.scheduling.engines import ENGINES, solve
from airlift.scheduling.problem import SolveOptions

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "pdptw"
"""The repository is /work/main and the shared data /work/shared: two levels up from here."""

PLAIN = "pyvrp-plain"
"""Peer: PyVRP with its default settings (our engine with fleet minimisation off; the
instance's fixed cost per vehicle still pushes the fleet down)."""
SOLVERS = (*ENGINES, PLAIN)
SOLVER_LABEL = {"pyvrp": "ours (PyVRP)", "ortools": "OR-Tools", PLAIN: "plain PyVRP"}
TABLE_LABEL = {"pyvrp": "ours", "ortools": "OR-Tools", PLAIN: "plain PyVRP"}
CSV_COLUMNS = (
    "instance",
    "solver",
    "vehicles",
    "distance",
    "feasible",
    "bk_vehicles",
    "bk_distance",
    "gap_pct",
    "seconds",
    "repeat",
)


@dataclass(frozen=True, slots=True)
class Run:
    instance: str
    solver: str
    vehicles: int
    distance: float
    feasible: bool
    bk_vehicles: int | None
    bk_distance: float | None
    seconds: float
    violations: tuple[str, ...]
    repeat: int = 1

    @property
    def matches_bk_vehicles(self) -> bool:
        return self.feasible and self.bk_vehicles is not None and self.vehicles == self.bk_vehicles

    @property
    def gap_pct(self) -> float | None:
        """Distance gap to the best known, only when the vehicle counts match (and feasible)."""
        if not self.matches_bk_vehicles or not self.bk_distance:
            return None
        # Rounded (and -0.0 made 0.0): the table's distances have 4 decimals.
        return round((self.distance - self.bk_distance) / self.bk_distance * 100, 4) + 0.0

    def key(self) -> tuple[bool, int, float]:
        """Hierarchical objective, smaller is better: feasible first, vehicles, distance."""
        return (not self.feasible, self.vehicles, self.distance)

    def csv_row(self) -> list[str]:
        gap = self.gap_pct
        return [
            self.instance,
            self.solver,
            str(self.vehicles),
            f"{self.distance:.4f}",
            str(self.feasible).lower(),
            "" if self.bk_vehicles is None else str(self.bk_vehicles),
            "" if self.bk_distance is None else f"{self.bk_distance:.4f}",
            "" if gap is None else f"{gap:.4f}",
            f"{self.seconds:.2f}",
            str(self.repeat),
        ]


def _natural(path: Path) -> list[int | str]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", path.stem)]


def instance_files(folder: Path, which: str, names: Sequence[str] | None) -> list[Path]:
    """The instance files to run: ``names`` if given (in that order), else the whole set
    ("100": names without ``_2_``, "200": names with it)."""
    files = sorted(folder.glob("*.txt"), key=_natural)
    if names:
        by_name = {f.stem: f for f in files}
        unknown = [n for n in names if n.removesuffix(".txt") not in by_name]
        if unknown:
            raise SystemExit(f"error: no instance {', '.join(unknown)} in {folder}")
        return [by_name[n.removesuffix(".txt")] for n in names]
    return [f for f in files if ("_2_" in f.stem) == (which == "200")]


@contextmanager
def cpu_hog(on: bool, same_core: bool = False) -> Iterator[None]:
    """A process spinning on a core while the block runs (``--contention``). With
    ``same_core`` (``--half-speed``) the hog and this process are pinned to one core, which
    they share: the solver runs at about half speed, a machine half as fast."""
    if not on:
        yield
        return
    before = os.sched_getaffinity(0)
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        if same_core:
            core = {min(before)}
            os.sched_setaffinity(0, core)
            os.sched_setaffinity(hog.pid, core)
        yield
    finally:
        hog.kill()
        hog.wait()
        os.sched_setaffinity(0, before)


def conditions(contention: bool, half_speed: bool) -> str:
    if half_speed:
        return "a CPU hog pinned with the solver to one core (about half speed)"
    return "a CPU hog beside every solve" if contention else "no CPU hog"


def run_one(
    inst: lilim.LiLimInstance,
    solver: str,
    time_limit: float,
    seed: int,
    best_known: tuple[int, float] | None,
    contention: bool = False,
    repeat: int = 1,
    half_speed: bool = False,
) -> Run:
    problem = lilim.to_problem(inst)
    options = SolveOptions(time_limit_s=time_limit, seed=seed, minimise_vehicles=solver != PLAIN)
    with cpu_hog(contention or half_speed, same_core=half_speed):
        started = time.perf_counter()
        solution = solve(problem, options, engine="pyvrp" if solver == PLAIN else solver)
        seconds = time.perf_counter() - started
    result = lilim.check(inst, lilim.solution_routes(inst, solution))
    return Run(
        instance=inst.name,
        solver=solver,
        vehicles=result.vehicles,
        distance=result.distance,
        feasible=result.feasible,
        bk_vehicles=None if best_known is None else best_known[0],
        bk_distance=None if best_known is None else best_known[1],
        seconds=seconds,
        violations=tuple(result.violations),
        repeat=repeat,
    )


def instance_table(inst: lilim.LiLimInstance, runs: list[Run]) -> Table:
    bk = (
        f"best known {runs[0].bk_vehicles} / {runs[0].bk_distance:.2f}"
        if runs and runs[0].bk_distance is not None
        else "no best known"
    )
    table = Table(
        title=f"{inst.name}: {inst.num_tasks - 1} tasks, fleet {inst.vehicles}, {bk}",
        title_justify="left",
    )
    # Short headers and labels so the table fits 80 columns (logs, CI).
    for name in ("solver", "veh", "distance", "BK veh", "BK dist", "gap %", "feasible", "s"):
        table.add_column(name, justify="left" if name == "solver" else "right")
    for run in runs:
        gap = run.gap_pct
        table.add_row(
            TABLE_LABEL.get(run.solver, run.solver),
            str(run.vehicles),
            f"{run.distance:.2f}",
            "-" if run.bk_vehicles is None else str(run.bk_vehicles),
            "-" if run.bk_distance is None else f"{run.bk_distance:.2f}",
            "-" if gap is None else f"{gap:.2f}",
            "yes" if run.feasible else "[red]NO[/red]",
            f"{run.seconds:.1f}",
        )
    return table


def spread_table(runs: list[Run], solvers: Sequence[str]) -> Table:
    """Per instance and solver, over the repeats: vehicles and gap, lowest to highest."""
    table = Table(title="Spread over the repeats (vehicles; gap % where the vehicles match BK)")
    for name in ("instance", "solver", "BK veh", "veh min-max", "gap % min-max", "max s"):
        table.add_column(name, justify="left" if name in ("instance", "solver") else "right")
    for inst in dict.fromkeys(r.instance for r in runs):
        for solver in solvers:
            mine = [r for r in runs if r.instance == inst and r.solver == solver]
            if not mine:
                continue
            veh = [r.vehicles for r in mine]
            gaps = [g for r in mine if (g := r.gap_pct) is not None]
            table.add_row(
                inst,
                TABLE_LABEL.get(solver, solver),
                "-" if mine[0].bk_vehicles is None else str(mine[0].bk_vehicles),
                f"{min(veh)}-{max(veh)}",
                f"{min(gaps):.2f}-{max(gaps):.2f}" if gaps else "-",
                f"{max(r.seconds for r in mine):.1f}",
            )
    return table


def summary(runs: list[Run], solvers: Sequence[str], time_limit: float) -> list[str]:
    lines = []
    instances = sorted({r.instance for r in runs})
    for solver in solvers:
        for repeat in sorted({r.repeat for r in runs}):
            mine = [r for r in runs if r.solver == solver and r.repeat == repeat]
            gaps = [g for r in mine if (g := r.gap_pct) is not None]
            matched = sum(r.matches_bk_vehicles for r in mine)
            feasible = sum(r.feasible for r in mine)
            gap_text = (
                f"mean gap {statistics.fmean(gaps):.2f}%, max gap {max(gaps):.2f}% "
                f"(over {len(gaps)} with matching vehicles)"
                if gaps
                else "no gap (no instance with matching vehicles)"
            )
            over = max((r.seconds - time_limit for r in mine), default=0.0)
            lines.append(
                f"{SOLVER_LABEL.get(solver, solver)} (run {repeat}): best-known vehicles on "
                f"{matched}/{len(mine)}, {gap_text}, feasible {feasible}/{len(mine)}, "
                f"largest overrun {over:+.2f} s"
            )
    for peer in (p for p in (PLAIN, "ortools") if p in solvers and "pyvrp" in solvers):
        theirs = {r.instance: r for r in runs if r.solver == peer and r.repeat == 1}
        for repeat in sorted({r.repeat for r in runs if r.solver == "pyvrp"}):
            ours = {r.instance: r for r in runs if r.solver == "pyvrp" and r.repeat == repeat}
            both = [i for i in instances if i in ours and i in theirs]
            fewer_or_same = [i for i in both if ours[i].key()[:2] <= theirs[i].key()[:2]]
            not_worse = sum(_not_worse(ours[i].key(), theirs[i].key()) for i in both)
            more = sorted(set(both) - set(fewer_or_same))
            lines.append(
                f"ours (run {repeat}) vs {SOLVER_LABEL[peer]} (run 1): as few vehicles or fewer "
                f"on {len(fewer_or_same)}/{len(both)}"
                + (f" (more on {', '.join(more)})" if more else "")
                + f"; as good or better (vehicles, then distance) on {not_worse}/{len(both)}"
            )
    return lines


def _not_worse(a: tuple[bool, int, float], b: tuple[bool, int, float]) -> bool:
    if a[:2] != b[:2]:
        return a[:2] < b[:2]
    return a[2] <= b[2] + 1e-6


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--time-limit",
        type=float,
        default=10.0,
        help="seconds per instance and solver (default 10)",
    )
    parser.add_argument(
        "--set",
        dest="which",
        choices=("100", "200"),
        default="100",
        help="instance set when --instances is not given (default 100)",
    )
    parser.add_argument(
        "--instances",
        nargs="+",
        metavar="NAME",
        help="instance names, e.g. lc101 lr101 (overrides --set)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help=f"folder with li-lim/ and best-known.csv (default {DEFAULT_DATA})",
    )
    parser.add_argument(
        "--csv", type=Path, metavar="FILE", help="write one row per instance and solver"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--engines",
        nargs="+",
        choices=SOLVERS,
        default=list(ENGINES),
        help=f"solvers to run (default: pyvrp ortools; {PLAIN}: PyVRP's default settings)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="run the set N times, then print the spread"
    )
    parser.add_argument("--contention", action="store_true", help="a CPU hog beside every solve")
    parser.add_argument(
        "--half-speed",
        action="store_true",
        help="a CPU hog pinned with the solver to one core: a machine about half as fast",
    )
    args = parser.parse_args(argv)

    folder = args.data / "li-lim"
    if not folder.is_dir():
        raise SystemExit(
            f"error: PDPTW data not found: no folder {folder} (see ../shared/data/pdptw/README.md"
            " or pass --data DIR)"
        )
    if args.time_limit <= 0:
        raise SystemExit("error: --time-limit must be positive")
    files = instance_files(folder, args.which, args.instances)
    if not files:
        raise SystemExit(f"error: no instances of set {args.which} in {folder}")
    console = Console()
    console.print(f"conditions: {conditions(args.contention, args.half_speed)}")
    try:
        bk_file = args.data / "best-known.csv"
        best = lilim.read_best_known(bk_file) if bk_file.is_file() else {}
        if not best:
            console.print(f"[yellow]no best-known table at {bk_file}; gaps left blank[/yellow]")
        engines: list[str] = list(dict.fromkeys(args.engines))
        runs: list[Run] = []
        out = args.csv.open("w", newline="", encoding="utf-8") if args.csv else None
        try:
            writer = csv.writer(out) if out else None
            if writer and out:
                writer.writerow(CSV_COLUMNS)
                out.flush()
            for repeat, path in ((k, p) for k in range(1, max(1, args.repeat) + 1) for p in files):
                inst = lilim.read_instance(path)
                these = [
                    run_one(
                        inst,
                        e,
                        args.time_limit,
                        args.seed,
                        best.get(inst.name),
                        args.contention,
                        repeat,
                        args.half_speed,
                    )
                    for e in engines
                ]
                runs += these
                console.print(instance_table(inst, these))
                for run in these:
                    for violation in run.violations[:3]:
                        console.print(f"  [red]{run.solver}: {violation}[/red]")
                sys.stdout.flush()  # a long run's log (nohup ... > log) stays current
                if writer and out:
                    writer.writerows(run.csv_row() for run in these)
                    out.flush()
        finally:
            if out:
                out.close()
    except AirliftError as exc:
        raise SystemExit(f"error: {exc}") from None
    console.print()
    if args.repeat > 1:
        console.print(spread_table(runs, engines))
    for line in summary(runs, engines, args.time_limit):
        console.print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
