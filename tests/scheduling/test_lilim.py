"""Li & Lim reader, Problem builder and checker; both engines on a hand-made instance; the
PDPTW benchmark script end to end (skipped without ../shared/data/pdptw)."""

from __future__ import annotations

import csv
import importlib.util
import itertools
import math
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import pyvrp

from airlift.errors import DataFileError
from airlift.scheduling import lilim
from airlift.scheduling.engines import pyvrp_engine, solve
from airlift.scheduling.problem import Problem, Shipment, SolveOptions, VehicleType

PDPTW = Path(__file__).resolve().parents[3] / "shared" / "data" / "pdptw"
"""The repository is /work/main and the shared data /work/shared: two levels up from tests/."""

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_pdptw.py"

# Depot at the origin, horizon [0, 30], capacity 10, three vehicles. Pair A (1 -> 2) to the
# north-east, pair B (3 -> 4) to the south-west, each leg a 3-4-5 triangle (5 long), one unit of
# service per task, and delivery 2 opens at 15 (the vehicle waits there from 11).
#   Route [1, 2]: 1 at 5, 2 at 11 -> waits to 15, leaves 16, depot at 26.  Distance 20.
#   Route [3, 4]: 3 at 5, 4 at 11, leaves 12, depot at 22.                 Distance 20.
# One route for both pairs needs a 15-long crossing and misses the horizon, so the optimum is
# two vehicles and distance 40 (each pair alone needs 20: out to distance 10 and back).
TINY = """\
3\t10\t1
0\t0\t0\t0\t0\t30\t0\t0\t0
1\t3\t4\t10\t0\t30\t1\t0\t2
2\t6\t8\t-10\t15\t30\t1\t1\t0
3\t-3\t-4\t10\t0\t30\t1\t0\t4
4\t-6\t-8\t-10\t0\t30\t1\t3\t0
"""


def write(tmp_path: Path, text: str, name: str = "tiny.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tiny(tmp_path: Path) -> lilim.LiLimInstance:
    return lilim.read_instance(write(tmp_path, TINY))


def kinds(result: lilim.CheckResult) -> set[str]:
    return {v.split(":")[0] for v in result.violations}


# --- reader ---------------------------------------------------------------------------------


def test_reads_the_tiny_instance(tiny: lilim.LiLimInstance) -> None:
    assert tiny.name == "tiny"
    assert (tiny.vehicles, tiny.capacity, tiny.num_tasks) == (3, 10, 5)
    assert tiny.pairs == ((1, 2), (3, 4))
    assert tiny.coords[2] == (6.0, 8.0)
    assert tiny.demand == (0, 10, -10, 10, -10)
    assert tiny.tw[0] == (0.0, 30.0) and tiny.tw[2] == (15.0, 30.0)
    assert tiny.service == (0.0, 1.0, 1.0, 1.0, 1.0)
    assert tiny.distance(0, 1) == 5.0 and tiny.distance(2, 3) == 15.0


def test_reader_names_the_malformed_line(tmp_path: Path) -> None:
    lines = TINY.splitlines()
    lines[2] = "1\t3\t4\t10\t0\t30\t1\t0"  # 8 fields
    with pytest.raises(DataFileError, match=r"tiny\.txt:3: expected 9 fields"):
        lilim.read_instance(write(tmp_path, "\n".join(lines)))
    lines[2] = "1\t3\tfour\t10\t0\t30\t1\t0\t2"
    with pytest.raises(DataFileError, match=r"tiny\.txt:3: y 'four' is not a number"):
        lilim.read_instance(write(tmp_path, "\n".join(lines)))
    with pytest.raises(DataFileError, match=r"tiny\.txt:1: expected 3 fields"):
        lilim.read_instance(write(tmp_path, "3 10\n" + "\n".join(TINY.splitlines()[1:])))
    with pytest.raises(DataFileError, match=r"nowhere\.txt: cannot read"):
        lilim.read_instance(tmp_path / "nowhere.txt")


def test_reader_names_the_line_of_a_missing_pair(tmp_path: Path) -> None:
    # Task 4, the delivery of pickup 3, is gone.
    without_4 = "\n".join(TINY.splitlines()[:-1])
    with pytest.raises(DataFileError, match=r"tiny\.txt:5: task 3: .*existing delivery"):
        lilim.read_instance(write(tmp_path, without_4))
    # Delivery 2 names pickup 3 instead of 1: pickup 1 has no partner.
    lines = TINY.splitlines()
    lines[3] = "2\t6\t8\t-10\t15\t30\t1\t3\t0"
    with pytest.raises(DataFileError, match=r"tiny\.txt:3: task 1: .*missing pair"):
        lilim.read_instance(write(tmp_path, "\n".join(lines)))


def test_reads_best_known(tmp_path: Path) -> None:
    path = write(tmp_path, "instance,vehicles,distance,source\nlc101,10,828.9369,x\n", "bk.csv")
    assert lilim.read_best_known(path) == {"lc101": (10, 828.9369)}
    bad = write(tmp_path, "instance,vehicles,distance\nlc101,ten,828.9\n", "bad.csv")
    with pytest.raises(DataFileError, match=r"bad\.csv:2: vehicles 'ten'"):
        lilim.read_best_known(bad)


# --- checker --------------------------------------------------------------------------------


def test_checker_accepts_the_optimum(tiny: lilim.LiLimInstance) -> None:
    result = lilim.check(tiny, [[1, 2], [], [3, 4]])
    assert result.feasible and result.violations == []
    assert result.vehicles == 2
    assert result.distance == pytest.approx(40.0, abs=1e-12)


@pytest.mark.parametrize(
    ("routes", "kind"),
    [
        ([[2, 1], [3, 4]], "precedence"),
        ([[1, 3, 2, 4]], "capacity"),
        ([[1, 2, 3, 4]], "time window"),
        ([[1, 2, 3, 4]], "depot horizon"),
        ([[1, 2]], "missing"),
        ([[1, 2], [3, 4], [1, 2]], "duplicate"),
        ([[1, 2, 1], [3, 4]], "duplicate"),
        ([[1, 4], [3, 2]], "pair split"),
        ([[1, 2], [3, 4, 7]], "unknown task"),
        ([[1, 2], [3], [4], [1, 2]], "fleet"),
    ],
)
def test_checker_flags_each_violation(
    tiny: lilim.LiLimInstance, routes: list[list[int]], kind: str
) -> None:
    result = lilim.check(tiny, routes)
    assert not result.feasible
    assert kind in kinds(result), result.violations


def test_checker_waits_for_a_window_to_open(tmp_path: Path) -> None:
    # Delivery 2 opens at 20 instead of 15: the route waits 9 and is back at 31 > 30.
    late = TINY.replace("2\t6\t8\t-10\t15\t30", "2\t6\t8\t-10\t20\t30")
    result = lilim.check(lilim.read_instance(write(tmp_path, late)), [[1, 2], [3, 4]])
    assert kinds(result) == {"depot horizon"}
    assert "31.0000" in result.violations[0]


# --- Problem builder ------------------------------------------------------------------------


def test_to_problem_builds_the_generic_problem(tiny: lilim.LiLimInstance) -> None:
    p = lilim.to_problem(tiny, scale=10_000)
    assert p.num_locations == 5 and p.scale == 10_000
    (vt,) = p.vehicle_types
    assert (vt.count, vt.capacity, vt.start, vt.end, vt.tw) == (3, (10,), 0, 0, (0, 300_000))
    a, b = p.shipments
    assert (a.pickup, a.delivery, a.amount) == (1, 2, (10,))
    assert a.delivery_tw == (150_000, 300_000) and a.pickup_service == 10_000
    assert (b.pickup, b.delivery) == (3, 4)
    assert p.distance[0][0, 1] == 50_000 and p.distance[0][2, 3] == 150_000
    # Hierarchical objective: one vehicle costs more than the longest possible solution.
    arcs = p.num_locations - 1 + vt.count
    assert vt.fixed_cost > arcs * int(p.distance[0].max())


def test_to_problem_rounds_to_the_safe_side(tmp_path: Path) -> None:
    # Pickup 1 at distance sqrt(2) must start by 1.4142 (< sqrt 2: infeasible in reals) and
    # pickup 3 by 1.415 (feasible). Windows and service are fractional.
    text = (
        "2\t10\t1\n"
        "0\t0\t0\t0\t0\t100.25\t0\t0\t0\n"
        "1\t1\t1\t5\t0.00005\t1.4142\t0.33\t0\t2\n"
        "2\t2\t2\t-5\t0\t100\t0\t1\t0\n"
        "3\t1\t-1\t5\t0\t1.415\t0\t0\t4\n"
        "4\t2\t-2\t-5\t0\t100\t0\t3\t0\n"
    )
    inst = lilim.read_instance(write(tmp_path, text))
    for scale in (10, 10_000):
        p = lilim.to_problem(inst, scale=scale)
        dist, dur = p.distance[0], p.duration[0]
        real = math.sqrt(2) * scale
        assert dur[0, 1] == math.ceil(real) >= real and dist[0, 1] == round(real)
        one = p.shipments[0]
        assert one.pickup_tw == (math.ceil(0.00005 * scale), math.floor(1.4142 * scale))
        assert one.pickup_service == math.ceil(0.33 * scale)
        assert p.vehicle_types[0].tw == (0, math.floor(100.25 * scale))
        # Real-infeasible stays integer-infeasible: the earliest start misses the window.
        assert dur[0, 1] > one.pickup_tw[1]
    # The feasible one is integer-feasible at the default scale (the coarse scale of 10 is
    # conservative: ceil(14.14) = 15 > floor(14.15) = 14).
    p = lilim.to_problem(inst)
    assert p.duration[0][0, 3] <= p.shipments[1].pickup_tw[1]
    # The checker agrees: only pickup 1 is late.
    (late,) = lilim.check(inst, [[1, 2], [3, 4]]).violations
    assert late.startswith("time window: route 0 reaches task 1 at 1.4142")


@pytest.mark.parametrize("engine", ["pyvrp", "ortools"])
def test_engines_solve_the_tiny_instance(tiny: lilim.LiLimInstance, engine: str) -> None:
    problem = lilim.to_problem(tiny)
    seen: list[float] = []
    options = SolveOptions(
        time_limit_s=1.0, minimise_vehicles=True, progress=lambda _t, cost: seen.append(cost)
    )
    solution = solve(problem, options, engine=engine)
    assert solution.feasible and solution.unserved == ()
    assert seen, "progress was never reported"
    routes = lilim.solution_routes(tiny, solution)
    assert sorted(routes) == [[1, 2], [3, 4]]
    result = lilim.check(tiny, routes)
    assert result.feasible and result.vehicles == 2
    assert result.distance == pytest.approx(40.0)
    # The integer schedule the engine reports is itself feasible in reals: each service starts
    # within the task's window and no earlier than the previous one allows.
    scale = problem.scale
    for route in solution.routes:
        prev, ready = 0, tiny.tw[0][0]
        for stop in route.stops:
            task = stop.location
            start = stop.start / scale
            assert ready + tiny.distance(prev, task) <= start + 1e-9
            assert tiny.tw[task][0] <= start <= tiny.tw[task][1]
            prev, ready = task, start + tiny.service[task]
        assert ready + tiny.distance(prev, 0) <= tiny.tw[0][1]


def test_pyvrp_fleet_minimisation_with_two_vehicle_types(tiny: lilim.LiLimInstance) -> None:
    # Three vehicles of the first type and one of a second: the reduction may empty a type.
    base = lilim.to_problem(tiny)
    (vt,) = base.vehicle_types
    problem = replace(
        base, vehicle_types=(vt, replace(vt, count=1, name="other", fixed_cost=vt.fixed_cost + 1))
    )
    solution = solve(problem, SolveOptions(time_limit_s=1.0, minimise_vehicles=True))
    assert solution.feasible and len(solution.routes) == 2
    used = [r.vehicle_type for r in solution.routes]
    assert used.count(1) <= 1 and set(used) <= {0, 1}
    assert sorted(lilim.solution_routes(tiny, solution)) == [[1, 2], [3, 4]]


def test_pyvrp_without_fleet_minimisation_still_solves(tiny: lilim.LiLimInstance) -> None:
    solution = solve(lilim.to_problem(tiny), SolveOptions(time_limit_s=0.5))
    assert solution.feasible
    assert lilim.check(tiny, lilim.solution_routes(tiny, solution)).feasible


@pytest.mark.skipif(not PDPTW.is_dir(), reason=f"Li & Lim data not found at {PDPTW}")
def test_fleet_minimisation_keeps_the_cheapest_final_solve(monkeypatch: pytest.MonkeyPatch) -> None:
    """When routes were taken away, the final phase solves the smallest fleet twice: from the
    solution that proved it feasible and from a new route elimination; the cheaper wins."""
    problem = lilim.to_problem(lilim.read_instance(PDPTW / "li-lim" / "lc103.txt"))
    polished: list[tuple[int, float]] = []
    polish = pyvrp_engine._polish

    def recorded(*args: Any, **kwargs: Any) -> tuple[pyvrp.Solution, list[int]]:
        found = polish(*args, **kwargs)
        polished.append((found[0].num_routes(), pyvrp_engine._cost(found[0])))
        return found

    monkeypatch.setattr(pyvrp_engine, "_polish", recorded)
    options = SolveOptions(60.0, 0, iterations=3_000, minimise_vehicles=True)
    solution = solve(problem, options, "pyvrp")
    assert solution.feasible and len(polished) == pyvrp_engine._FINAL_SOLVES == 2
    assert polished[0][0] == polished[1][0] == len(solution.routes)
    assert solution.objective == min(cost for _, cost in polished)


# --- benchmark script -----------------------------------------------------------------------


def test_benchmark_reports_a_missing_data_folder(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(BENCH), "--data", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode != 0
    assert run.stderr.strip().count("\n") == 0
    assert "PDPTW data not found" in run.stderr


def test_benchmark_half_speed_pins_the_solver_and_a_hog_to_one_core(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = importlib.util.spec_from_file_location("bench_pdptw", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_pdptw", bench)  # its dataclasses look it up
    spec.loader.exec_module(bench)
    before = os.sched_getaffinity(0)
    with bench.cpu_hog(True, same_core=True):
        assert os.sched_getaffinity(0) == {min(before)}
    assert os.sched_getaffinity(0) == before


def test_benchmark_smoke_on_lc101(tmp_path: Path) -> None:
    if not (PDPTW / "li-lim" / "lc101.txt").is_file():
        pytest.skip(f"Li & Lim data not found at {PDPTW}: the benchmark needs ../shared/data/pdptw")
    out = tmp_path / "lc101.csv"
    run = subprocess.run(
        [
            sys.executable,
            str(BENCH),
            "--time-limit",
            "2",
            "--instances",
            "lc101",
            "--engines",
            "pyvrp",
            "ortools",
            "pyvrp-plain",
            "--csv",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "ours (run 1) vs OR-Tools (run 1): as few vehicles or fewer on" in run.stdout
    assert "ours (run 1) vs plain PyVRP (run 1): as few vehicles or fewer on" in run.stdout
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == [
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
    ]
    by_solver = {r[1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert set(by_solver) == {"pyvrp", "ortools", "pyvrp-plain"}
    ours = by_solver["pyvrp"]
    assert ours["instance"] == "lc101" and ours["feasible"] == "true"
    assert ours["bk_vehicles"] == "10" and float(ours["bk_distance"]) == pytest.approx(828.9369)
    assert int(ours["vehicles"]) >= 10


@pytest.mark.parametrize("engine", ["pyvrp", "ortools"])
def test_engines_handle_types_profiles_and_prizes(engine: str) -> None:
    # Depots 0 and 1 on a line with places 2..5; profile 1 is twice as slow. Type 0 (depot 0,
    # capacity 5) cannot carry shipment 1 (8 units): only type 1 (depot 1) can. Shipment 2 is
    # optional with a prize worth the detour; shipment 3 is optional, far away and worth 1.
    xs = [0, 10, 2, 4, 12, 14, 1000]
    dist = np.array([[abs(a - b) for b in xs] for a in xs], dtype=np.int64)
    problem = Problem(
        num_locations=len(xs),
        distance=(dist, dist),
        duration=(dist, 2 * dist),
        vehicle_types=(
            VehicleType(count=1, capacity=(5,), start=0, end=0, fixed_cost=100, name="small"),
            VehicleType(
                count=1, capacity=(10,), start=1, end=1, tw=(0, 200), fixed_cost=100, profile=1
            ),
        ),
        shipments=(
            Shipment(2, 3, (4,), pickup_tw=(5, 50), delivery_service=3),
            Shipment(4, 5, (8,), delivery_tw=(0, 60)),
            Shipment(3, 2, (1,), prize=10_000, required=False),
            Shipment(6, 2, (1,), prize=1, required=False),
        ),
    )
    solution = solve(problem, SolveOptions(time_limit_s=0.5, minimise_vehicles=True), engine)
    assert solution.feasible
    assert solution.unserved == (3,)
    by_type = {r.vehicle_type: r for r in solution.routes}
    assert {s.shipment for s in by_type[1].stops} >= {1}
    for route in solution.routes:
        vt = problem.vehicle_types[route.vehicle_type]
        dur = problem.duration[vt.profile]
        load, prev, ready = 0, vt.start, route.start_time
        for stop in route.stops:
            s = problem.shipments[stop.shipment]
            early, late = s.pickup_tw if stop.pickup else s.delivery_tw
            assert ready + dur[prev, stop.location] <= stop.start
            assert early <= stop.start <= late
            load += s.amount[0] if stop.pickup else -s.amount[0]
            assert 0 <= load <= vt.capacity[0]
            service = s.pickup_service if stop.pickup else s.delivery_service
            prev, ready = stop.location, stop.start + service
        assert ready + dur[prev, vt.end] <= route.end_time <= vt.tw[1]
        path = [vt.start, *(s.location for s in route.stops), vt.end]
        assert route.distance == sum(int(dist[a, b]) for a, b in itertools.pairwise(path))


def test_own_neighbourhood_picks_the_nearest_shipments() -> None:
    # Places on a line; shipment 0 goes 1 -> 2. Shipment 1 (1 -> 2, same window) is nearest,
    # then 2 (2 -> 3), then 3 (same places as 0 but a window far later), then 4 (far away).
    xs = [0, 10, 20, 30, 500]
    dist = np.array([[abs(a - b) for b in xs] for a in xs], dtype=np.int64)
    slow = 3 * dist  # the fastest profile counts: profile 0 here
    problem = Problem(
        num_locations=len(xs),
        distance=(dist, dist),
        duration=(dist, slow),
        vehicle_types=(VehicleType(count=1, capacity=(5,), start=0, end=0),),
        shipments=(
            Shipment(1, 2, (1,), pickup_tw=(0, 100), delivery_tw=(0, 100)),
            Shipment(1, 2, (1,), pickup_tw=(0, 100), delivery_tw=(0, 100)),
            Shipment(2, 3, (1,), pickup_tw=(0, 100), delivery_tw=(0, 100)),
            Shipment(1, 2, (1,), pickup_tw=(400, 500), delivery_tw=(400, 500)),
            Shipment(4, 4, (1,), pickup_tw=(0, 100), delivery_tw=(0, 100)),
        ),
    )
    found = pyvrp_engine.neighbours(problem, k=3)
    pickup = pyvrp.ActivityType.PICKUP
    assert [a.idx for a in found] == [0, 1, 2, 3, 4]
    assert all(a.type == pickup and n.type == pickup for a in found for n in found[a])
    assert sorted(n.idx for n in found[pyvrp.Activity(pickup, 0)]) == [1, 2, 3]
    assert all(a.idx not in {n.idx for n in found[a]} for a in found)
    assert all(len(v) == 3 for v in found.values())
