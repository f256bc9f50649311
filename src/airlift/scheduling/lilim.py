"""Li & Lim pickup-and-delivery benchmark: reader, :class:`Problem` builder, checker.

The Li & Lim instances (see ``../shared/data/pdptw/README.md``) are the yardstick for the
scheduling engines: :func:`read_instance` parses one file, :func:`to_problem` turns it into the
same generic :class:`~airlift.scheduling.problem.Problem` the airlift model builds,
:func:`solution_routes` maps an engine's :class:`~airlift.scheduling.problem.Solution` back to
task ids and :func:`check` verifies a route list independently, in double precision, the way the
benchmark defines feasibility and distance. :func:`read_best_known` reads the best-known table.

Scaling. The engines work in integers: distances and times are multiplied by ``scale``.
Distances are rounded (they only steer the search; :func:`check` measures the real ones), while
everything that decides feasibility is rounded towards the safe side: travel times and service
times up, window openings up and window closings down. An integer schedule then starts every
service no earlier than the real schedule can, and no later than the real window closes, so a
route that is feasible in integers is feasible in double precision too (the converse may fail on
routes within 1/scale of a window: the integer model is slightly conservative).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from airlift.errors import DataFileError
from airlift.scheduling.problem import Problem, Shipment, Solution, VehicleType

TOLERANCE = 1e-6
"""Slack the checker allows on time windows (double-precision sums of square roots)."""


@dataclass(frozen=True, slots=True)
class LiLimInstance:
    """One Li & Lim instance. Task ``i`` is at index ``i`` of every tuple; task 0 is the depot
    (its window is the planning horizon). ``pairs`` lists (pickup, delivery) task ids in file
    order of the pickups."""

    name: str
    vehicles: int
    capacity: int
    coords: tuple[tuple[float, float], ...]
    demand: tuple[int, ...]
    tw: tuple[tuple[float, float], ...]
    service: tuple[float, ...]
    pairs: tuple[tuple[int, int], ...]

    @property
    def num_tasks(self) -> int:
        """Tasks including the depot."""
        return len(self.coords)

    def distance(self, i: int, j: int) -> float:
        """Euclidean distance between tasks ``i`` and ``j`` (double precision, no rounding)."""
        (xi, yi), (xj, yj) = self.coords[i], self.coords[j]
        return math.sqrt((xi - xj) ** 2 + (yi - yj) ** 2)


def _number(path: Path, lineno: int, text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DataFileError(f"{path}:{lineno}: {what} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise DataFileError(f"{path}:{lineno}: {what} {text!r} is not finite")
    return value


def _integer(path: Path, lineno: int, text: str, what: str) -> int:
    value = _number(path, lineno, text, what)
    if value != int(value):
        raise DataFileError(f"{path}:{lineno}: {what} {text!r} is not an integer")
    return int(value)


_TASK_FIELDS = ("id", "x", "y", "demand", "earliest", "latest", "service", "pickup", "delivery")


def read_instance(path: str | Path) -> LiLimInstance:  # noqa: C901 (a validating parser: one branch per documented check)
    """Read a Li & Lim file (``vehicles capacity speed`` then one task per line).

    Raises :class:`~airlift.errors.DataFileError` naming the file and line when the file is
    missing, a line is malformed, ids are out of order, or a pickup and its delivery do not
    point at each other with opposite demands."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: cannot read Li & Lim instance: {exc}") from exc
    lines = [(n, line.split()) for n, line in enumerate(text.splitlines(), start=1)]
    lines = [(n, fields) for n, fields in lines if fields]
    if not lines:
        raise DataFileError(f"{path}: empty file, expected 'vehicles capacity speed'")
    head_no, head = lines[0]
    if len(head) != 3:
        raise DataFileError(
            f"{path}:{head_no}: expected 3 fields 'vehicles capacity speed', got {len(head)}"
        )
    vehicles = _integer(path, head_no, head[0], "vehicles")
    capacity = _integer(path, head_no, head[1], "capacity")
    _number(path, head_no, head[2], "speed")
    if vehicles < 1 or capacity < 0:
        raise DataFileError(f"{path}:{head_no}: vehicles must be >= 1 and capacity >= 0")

    coords: list[tuple[float, float]] = []
    demand: list[int] = []
    tw: list[tuple[float, float]] = []
    service: list[float] = []
    links: list[tuple[int, int]] = []
    line_of: list[int] = []
    for lineno, fields in lines[1:]:
        if len(fields) != len(_TASK_FIELDS):
            raise DataFileError(
                f"{path}:{lineno}: expected {len(_TASK_FIELDS)} fields "
                f"({' '.join(_TASK_FIELDS)}), got {len(fields)}"
            )
        task = _integer(path, lineno, fields[0], "task id")
        if task != len(coords):
            raise DataFileError(f"{path}:{lineno}: expected task id {len(coords)}, got {task}")
        x = _number(path, lineno, fields[1], "x")
        y = _number(path, lineno, fields[2], "y")
        q = _integer(path, lineno, fields[3], "demand")
        early = _number(path, lineno, fields[4], "earliest")
        late = _number(path, lineno, fields[5], "latest")
        serv = _number(path, lineno, fields[6], "service")
        pick = _integer(path, lineno, fields[7], "pickup index")
        deliv = _integer(path, lineno, fields[8], "delivery index")
        if early > late:
            raise DataFileError(f"{path}:{lineno}: earliest {early:g} is after latest {late:g}")
        if serv < 0:
            raise DataFileError(f"{path}:{lineno}: negative service time {serv:g}")
        coords.append((x, y))
        demand.append(q)
        tw.append((early, late))
        service.append(serv)
        links.append((pick, deliv))
        line_of.append(lineno)
    if not coords:
        raise DataFileError(f"{path}: no tasks after the header line")
    if demand[0] != 0 or links[0] != (0, 0):
        raise DataFileError(
            f"{path}:{line_of[0]}: task 0 is the depot: expected demand 0 and no pair indices"
        )

    n = len(coords)
    pairs: list[tuple[int, int]] = []
    for task in range(1, n):
        pick, deliv = links[task]
        where = f"{path}:{line_of[task]}: task {task}"
        if demand[task] > 0:
            if pick != 0 or not 0 < deliv < n:
                raise DataFileError(
                    f"{where}: a pickup (demand > 0) needs pickup index 0 and the id of an "
                    f"existing delivery task, got {pick} {deliv}"
                )
            if links[deliv][0] != task:
                raise DataFileError(
                    f"{where}: delivery {deliv} does not name this pickup as its pair "
                    f"(missing pair; see line {line_of[deliv]})"
                )
            if demand[deliv] != -demand[task]:
                raise DataFileError(
                    f"{where}: delivery {deliv} has demand {demand[deliv]}, expected "
                    f"{-demand[task]}"
                )
            pairs.append((task, deliv))
        elif demand[task] < 0:
            if deliv != 0 or not 0 < pick < n:
                raise DataFileError(
                    f"{where}: a delivery (demand < 0) needs the id of an existing pickup task "
                    f"and delivery index 0, got {pick} {deliv}"
                )
            if links[pick][1] != task:
                raise DataFileError(
                    f"{where}: pickup {pick} does not name this delivery as its pair "
                    f"(missing pair; see line {line_of[pick]})"
                )
        else:
            raise DataFileError(f"{where}: demand 0 is neither a pickup nor a delivery")
    return LiLimInstance(
        name=path.stem,
        vehicles=vehicles,
        capacity=capacity,
        coords=tuple(coords),
        demand=tuple(demand),
        tw=tuple(tw),
        service=tuple(service),
        pairs=tuple(pairs),
    )


def to_problem(inst: LiLimInstance, scale: int = 10_000) -> Problem:
    """The generic :class:`Problem` for ``inst``: location ``i`` is task ``i`` (0 the depot),
    shipment ``k`` is ``inst.pairs[k]``, and one vehicle type with ``inst.vehicles`` vehicles.

    Hierarchical objective (fewest vehicles, then distance): the fixed cost per vehicle is
    larger than the distance of any solution. See the module docstring for the rounding."""
    xy = np.asarray(inst.coords, dtype=np.float64)
    real = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=-1)) * scale
    distance = np.rint(real).astype(np.int64)
    duration = np.ceil(real).astype(np.int64)
    # Any solution has at most (tasks + vehicles) arcs, none longer than the longest one.
    arcs = inst.num_tasks - 1 + inst.vehicles
    fixed_cost = arcs * int(distance.max(initial=0)) + 1

    def window(task: int) -> tuple[int, int]:
        early, late = inst.tw[task]
        return math.ceil(early * scale), math.floor(late * scale)

    shipments = tuple(
        Shipment(
            pickup=p,
            delivery=d,
            amount=(inst.demand[p],),
            pickup_tw=window(p),
            delivery_tw=window(d),
            pickup_service=math.ceil(inst.service[p] * scale),
            delivery_service=math.ceil(inst.service[d] * scale),
            name=f"{p}->{d}",
        )
        for p, d in inst.pairs
    )
    vehicle = VehicleType(
        count=inst.vehicles,
        capacity=(inst.capacity,),
        start=0,
        end=0,
        tw=window(0),
        fixed_cost=fixed_cost,
        name="vehicle",
    )
    return Problem(
        num_locations=inst.num_tasks,
        distance=(distance,),
        duration=(duration,),
        vehicle_types=(vehicle,),
        shipments=shipments,
        coords=inst.coords,
        scale=float(scale),
        names=tuple(str(i) for i in range(inst.num_tasks)),
    )


def solution_routes(inst: LiLimInstance, solution: Solution) -> list[list[int]]:
    """Task ids per used route, in visiting order (depot left out)."""
    routes = []
    for route in solution.routes:
        tasks = [inst.pairs[s.shipment][0 if s.pickup else 1] for s in route.stops]
        if tasks:
            routes.append(tasks)
    return routes


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What :func:`check` found: ``vehicles`` non-empty routes, ``distance`` their total
    Euclidean length, and one human-readable line per violation (each starts with its kind:
    ``unknown task``, ``duplicate``, ``missing``, ``pair split``, ``precedence``, ``capacity``,
    ``time window``, ``depot horizon``, ``fleet``)."""

    feasible: bool
    vehicles: int
    distance: float
    violations: list[str] = field(default_factory=list)


def check(inst: LiLimInstance, routes: Sequence[Sequence[int]]) -> CheckResult:  # noqa: C901 (a solution checker: one branch per documented rule)
    """Check ``routes`` (task ids per vehicle, depot left out) against ``inst`` in double
    precision: every task exactly once, each pair on one route with the pickup first, load
    within 0..capacity, service starting within each window (waiting when early), back at the
    depot by the end of the horizon, at most ``inst.vehicles`` routes. Empty routes are
    ignored."""
    n = inst.num_tasks
    violations: list[str] = []
    used = [list(r) for r in routes if len(r) > 0]

    where: dict[int, tuple[int, int]] = {}  # task -> (route, position), first occurrence
    for r, route in enumerate(used):
        for pos, task in enumerate(route):
            if not isinstance(task, int | np.integer) or not 0 < task < n:
                violations.append(f"unknown task: route {r} visits {task!r}, not a task id")
                continue
            task = int(task)
            if task in where:
                violations.append(
                    f"duplicate: task {task} visited again (route {r} position {pos}, first at "
                    f"route {where[task][0]} position {where[task][1]})"
                )
                continue
            where[task] = (r, pos)
    missing = [t for t in range(1, n) if t not in where]
    if missing:
        shown = ", ".join(map(str, missing[:10])) + (" ..." if len(missing) > 10 else "")
        violations.append(f"missing: {len(missing)} task(s) not visited: {shown}")

    for p, d in inst.pairs:
        if p not in where or d not in where:
            continue
        (rp, pp), (rd, pd) = where[p], where[d]
        if rp != rd:
            violations.append(f"pair split: pickup {p} on route {rp}, delivery {d} on route {rd}")
        elif pp > pd:
            violations.append(
                f"precedence: route {rp} visits delivery {d} (position {pd}) before its "
                f"pickup {p} (position {pp})"
            )

    total = 0.0
    horizon_early, horizon_late = inst.tw[0]
    for r, route in enumerate(used):
        tasks = [int(t) for t in route if isinstance(t, int | np.integer) and 0 < t < n]
        load = 0
        time = horizon_early
        prev = 0
        for task in tasks:
            leg = inst.distance(prev, task)
            total += leg
            arrival = time + inst.service[prev] + leg
            early, late = inst.tw[task]
            if arrival > late + TOLERANCE:
                violations.append(
                    f"time window: route {r} reaches task {task} at {arrival:.4f}, after its "
                    f"latest start {late:g}"
                )
            time = max(arrival, early)
            load += inst.demand[task]
            if load > inst.capacity or load < 0:
                violations.append(
                    f"capacity: route {r} carries {load} after task {task}, outside "
                    f"0..{inst.capacity}"
                )
            prev = task
        leg = inst.distance(prev, 0)
        total += leg
        back = time + inst.service[prev] + leg
        if back > horizon_late + TOLERANCE:
            violations.append(
                f"depot horizon: route {r} returns to the depot at {back:.4f}, after the "
                f"horizon end {horizon_late:g}"
            )
    if len(used) > inst.vehicles:
        violations.append(f"fleet: {len(used)} routes, the fleet has {inst.vehicles} vehicles")
    return CheckResult(
        feasible=not violations, vehicles=len(used), distance=total, violations=violations
    )


def read_best_known(path: str | Path) -> dict[str, tuple[int, float]]:
    """The best-known table (``instance, vehicles, distance[, source]``): name -> (vehicles,
    distance). Raises :class:`~airlift.errors.DataFileError` naming the line when malformed."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: cannot read best-known table: {exc}") from exc
    reader = csv.DictReader(text.splitlines())
    needed = {"instance", "vehicles", "distance"}
    if reader.fieldnames is None or not needed <= set(reader.fieldnames):
        raise DataFileError(
            f"{path}:1: expected columns {', '.join(sorted(needed))}, got {reader.fieldnames}"
        )
    table: dict[str, tuple[int, float]] = {}
    for row in reader:
        lineno = reader.line_num
        name = (row["instance"] or "").strip()
        if not name:
            raise DataFileError(f"{path}:{lineno}: empty instance name")
        vehicles = _integer(path, lineno, (row["vehicles"] or "").strip(), "vehicles")
        distance = _number(path, lineno, (row["distance"] or "").strip(), "distance")
        table[name] = (vehicles, distance)
    return table
