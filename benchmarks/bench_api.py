"""REST API under load: 50 concurrent clients against planning and read endpoints.

Starts ``python -m airlift serve`` as a subprocess on loopback (a fresh SQLite database with
the demo data, an admin API token), then runs ``--clients`` concurrent closed loops, each
on its own keep-alive connection, for ``--seconds`` over POST /api/plan (the 4-leg reference
circuit) and GET /api/requests, /api/tails, /api/airfields, round robin. Prints one Rich
table per endpoint: requests, throughput (req/s), p50 and p99 latency (ms), errors; and
whether the planning endpoint's p99 meets the 50 ms target. Client and server share the
machine's cores, so the figures include the load generator's own (small) CPU use.

    python benchmarks/bench_api.py [--seconds 30] [--clients 50] [--workers 2] [--pg URL]

``--profile mixed`` instead runs the mixed workload of ``benchmarks/mixed_load.py`` (60 %
reads, 20 % plans, 20 % writes and imports) and prints p50 and p99 per route, against the
targets p99 < 1 s for writes and < 100 ms for reads (one process: ``--workers 1``); plans
are shown without a target (``mixed_table``).

``--pin`` puts the load generator on a core of its own and the server on the others (on this
2-core machine: one each). Without it the generator's CPU delays the server's answers and its
latencies count in the server's; run both ways and compare.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvloop
from rich.console import Console
from rich.table import Table

import mixed_load
import rawhttp
from airlift.scheduling.readers import demo_dir

PLAN_TARGET_P99_MS = 50.0
MIXED_TARGET_P99_MS = {"read": 100.0, "write": 1000.0}
"""The issue's targets under the mixed load, by ``mixed_load.kind``; plans have none."""
SWEEP_SHARES = (0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
"""Open-loop steps, as shares of the closed-loop (saturation) throughput."""
PASSWORD = "benchmark password"


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    body: dict[str, Any] | None = None


@dataclass
class Stats:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def reference_circuit() -> dict[str, Any]:
    """The demo's reference circuit (GABS-GAGO-GATS-DRRN-GABS, 6 manifest items) as a
    POST /api/plan body."""
    raw = tomllib.loads((demo_dir() / "reference_circuit.toml").read_text("utf-8"))
    return {
        "aircraft": raw["aircraft"],
        "stops": raw["stops"],
        "departure_utc": raw["departure_utc"],
        "policy": raw.get("fuel_policy", "icao"),
        "items": [
            {
                "id": item["id"],
                "origin": item["origin"],
                "destination": item["destination"],
                "cargo_kg": item.get("cargo_kg", 0),
                "pallets": item.get("pallets", 0),
                "pax": item.get("pax", 0),
                "description": item.get("description", ""),
            }
            for item in raw["item"]
        ],
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def database(pg_url: str | None, folder: Path) -> Iterator[str]:
    """A fresh database URL: a SQLite file in ``folder``, or a new schema on the PostgreSQL
    server at ``pg_url`` (selected through the URL's search_path, dropped at the end)."""
    if not pg_url:
        yield f"sqlite:///{folder / 'bench.sqlite'}"
        return
    from airlift.store.db import scratch_schema

    with scratch_schema(pg_url, "airlift_bench") as url:
        yield url


def admin_token(db: str, env: dict[str, str]) -> str:
    command = [sys.executable, "-m", "airlift", "users", "create-admin", "bench"]
    done = subprocess.run(
        [*command, "--password-stdin", "--db", db],
        input=f"{PASSWORD}\n".encode(),
        env=env,
        capture_output=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise SystemExit(f"create-admin failed: {done.stderr.decode()}{done.stdout.decode()}")
    from sqlalchemy import select

    from airlift.store import accounts
    from airlift.store.db import make_engine, session_factory, transaction
    from airlift.store.models import User

    engine = make_engine(db)
    try:
        with transaction(session_factory(engine)) as s:
            user = s.scalars(select(User).where(User.username == "bench")).one()
            return accounts.create_token(s, user, "bench")
    finally:
        engine.dispose()


def split_cores() -> tuple[set[int], set[int]] | None:
    """(server cores, load-generator cores) for ``--pin``: the last core drives the load, the
    others serve; None on a single core."""
    cores = sorted(os.sched_getaffinity(0))
    return (set(cores[:-1]), {cores[-1]}) if len(cores) > 1 else None


def start_server(
    db: str, port: int, env: dict[str, str], log: Path, workers: int, cores: set[int] | None = None
) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "airlift", "serve", "--port", str(port), "--db", db]
    command += ["--workers", str(workers)]

    def pin() -> None:  # in the child, before exec: the server and its workers stay there
        if cores:
            os.sched_setaffinity(0, cores)

    with log.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=env, preexec_fn=pin
        )
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            raise SystemExit(f"server exited:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise SystemExit(f"server did not come up:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def encode(e: Endpoint, port: int, token: str) -> bytes:
    headers = {"Authorization": f"Bearer {token}"}
    return rawhttp.encode_json(e.method, e.path, f"127.0.0.1:{port}", headers, e.body)


def warm_up(port: int, token: str, endpoints: list[Endpoint], workers: int) -> None:
    """Check each endpoint answers, and warm up every HTTP process (the serve process deals
    new connections round robin, so one connection per process reaches them all)."""
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(2 * workers):
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=30.0
        ) as client:
            for e in endpoints:
                for _ in range(3):
                    response = client.request(e.method, e.path, json=e.body)
                    if response.status_code >= 400:
                        raise SystemExit(f"{e.name}: HTTP {response.status_code}: {response.text}")


async def load(
    port: int,
    token: str,
    endpoints: list[Endpoint],
    clients: int,
    seconds: float,
    rate: float | None = None,
) -> tuple[dict[str, Stats], float]:
    """``clients`` clients, each on its own keep-alive connection, round robin over
    ``endpoints`` for ``seconds``.

    ``rate`` None: closed loops, each client sends its next request as soon as the answer
    arrives (the server's saturation). ``rate`` R: open loop, each client sends at Poisson
    times of rate R / clients (seeded), and a request's latency counts from the time it was
    due, so a request held up behind a slow one counts its wait too (no coordinated
    omission)."""
    raw = [encode(e, port, token) for e in endpoints]
    stats: dict[str, Stats] = {e.name: Stats() for e in endpoints}
    connections = [await rawhttp.connect("127.0.0.1", port) for _ in range(clients)]
    start = time.perf_counter()
    end = start + seconds

    async def client(n: int, connection: rawhttp.Connection) -> None:
        arrivals = random.Random(n)
        due = start + (arrivals.expovariate(rate / clients) if rate else 0.0)
        i = n
        while due < end:
            if rate:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
            else:
                due = time.perf_counter()
            e, request = endpoints[i % len(endpoints)], raw[i % len(endpoints)]
            i += 1
            try:
                code, _ = await connection.send(request)
            except (ConnectionError, TimeoutError) as exc:
                # The connection is gone or out of step: this client stops.
                stats[e.name].errors += 1
                stats[e.name].error_kinds[type(exc).__name__] += 1
                return
            if code < 400:
                stats[e.name].latencies_ms.append((time.perf_counter() - due) * 1000.0)
            else:
                stats[e.name].errors += 1
                stats[e.name].error_kinds[f"HTTP {code}"] += 1
            due = due + arrivals.expovariate(rate / clients) if rate else time.perf_counter()

    await asyncio.gather(*(client(n, c) for n, c in enumerate(connections)))
    wall = time.perf_counter() - start
    for c in connections:
        c.close()
    return stats, wall


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def endpoint_table(
    title: str, endpoints: list[Endpoint], stats: dict[str, Stats], wall: float
) -> Table:
    table = Table(title=title)
    for column in ("endpoint", "requests", "req/s", "p50 ms", "p99 ms", "errors"):
        table.add_column(column, justify="left" if column == "endpoint" else "right")
    total = 0
    for e in endpoints:
        s = stats[e.name]
        n = len(s.latencies_ms) + s.errors
        total += n
        table.add_row(
            e.name,
            f"{n:,}",
            f"{n / wall:,.1f}",
            f"{percentile(s.latencies_ms, 50):.1f}",
            f"{percentile(s.latencies_ms, 99):.1f}",
            f"{s.errors:,}" + (f" ({dict(s.error_kinds)})" if s.errors else ""),
        )
    table.add_row("all", f"{total:,}", f"{total / wall:,.1f}", "", "", "")
    return table


def verdict(p99: float) -> str:
    met = p99 < PLAN_TARGET_P99_MS
    return f"p99 {p99:.1f} ms: " + ("[green]met[/green]" if met else "[red]NOT met[/red]")


@contextmanager
def served(
    pg: str | None, workers: int, console: Console, doing: str, pin: bool = False
) -> Iterator[tuple[int, str]]:
    """A fresh database with the demo data, an admin API token and ``airlift serve`` on a free
    loopback port: (port, token); the server is stopped at the end."""
    with (
        tempfile.TemporaryDirectory(prefix="airlift-bench-") as tmp,
        database(pg, Path(tmp)) as db,
    ):
        folder = Path(tmp)
        env = {**os.environ, "AIRLIFT_DATA_DIR": str(folder / "data"), "AIRLIFT_DB_URL": db}
        env["AIRLIFT_SECURE_COOKIES"] = "false"
        token = admin_token(db, env)
        port = free_port()
        console.print(
            f"server on 127.0.0.1:{port} ({workers} HTTP process(es)), "
            f"{'PostgreSQL' if pg else 'SQLite'} with the demo data; {doing}"
        )
        split = split_cores() if pin else None
        if split:
            # The load generator on a core of its own: its CPU no longer delays the server's
            # answers, so the latencies are the server's (on 2 cores: 1 serves, 1 loads).
            os.sched_setaffinity(0, split[1])
            console.print(f"pinned: server on cores {sorted(split[0])}, load on {sorted(split[1])}")
        server = start_server(db, port, env, folder / "server.log", workers, split and split[0])
        try:
            yield port, token
        finally:
            stop_server(server)


def mixed_table(title: str, result: mixed_load.Result, wall: float) -> tuple[Table, list[str]]:
    """Per route: requests, req/s, p50, p99 and errors (5xx or lost), and the misses of the
    mixed targets, which are the issue's: reads and writes. Plans are the workload's third
    kind and have no target here (their latency under a closed loop that saturates the
    server is queueing behind everything else): ``--profile reads`` holds them to their own
    target below saturation, in an open-loop sweep."""
    table = Table(title=title)
    for column in ("route", "requests", "req/s", "p50 ms", "p99 ms", "errors", "target"):
        table.add_column(column, justify="left" if column == "route" else "right")
    misses = []
    for route, answers in sorted(result.by_route().items()):
        ms = [s * 1000.0 for _, s in answers]
        errors = sum(1 for code, _ in answers if code >= 500 or code == 0)
        target = MIXED_TARGET_P99_MS.get(mixed_load.kind(route))
        p99 = percentile(ms, 99)
        ok = (target is None or p99 < target) and not errors
        if not ok:
            misses.append(route)
        if target is None:
            verdict = "plan: none" if not errors else "[red]errors[/red]"
        else:
            verdict = f"< {target:,.0f} " + ("[green]met[/green]" if ok else "[red]NOT met[/red]")
        table.add_row(
            route,
            f"{len(answers):,}",
            f"{len(answers) / wall:,.1f}",
            f"{percentile(ms, 50):.1f}",
            f"{p99:.1f}",
            f"{errors:,}",
            verdict,
        )
    return table, misses


def run_mixed(args: argparse.Namespace, console: Console) -> None:
    seconds = max(1.0, min(600.0, args.seconds))
    clients = max(1, min(500, args.clients))
    workers = max(1, args.workers)
    note = f"mixed load: {clients} clients for {seconds:g} s ..."
    with served(args.pg, workers, console, note, args.pin) as (port, token):
        start = time.perf_counter()
        result = uvloop.run(mixed_load.run(f"http://127.0.0.1:{port}", token, clients, seconds))
        wall = time.perf_counter() - start
        health_s = mixed_load.health_after(f"http://127.0.0.1:{port}")
    title = f"Mixed load: {clients} clients, {workers} process(es), {wall:.1f} s, loopback"
    table, misses = mixed_table(title, result, wall)
    console.print(table)
    console.print(
        f"slowest request {result.slowest_s * 1000:,.0f} ms; /api/health right after the "
        f"load: {health_s * 1000:,.0f} ms; read and write targets "
        + ("[green]met on every route[/green]" if not misses else f"[red]NOT met[/red]: {misses}")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=30.0, help="closed-loop load duration (1-600 s)"
    )
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (1-500)")
    parser.add_argument(
        "--workers", type=int, default=2, help="server HTTP processes (airlift serve --workers)"
    )
    parser.add_argument(
        "--pg",
        metavar="URL",
        help="PostgreSQL server URL instead of SQLite (a schema of its own, dropped after)",
    )
    parser.add_argument(
        "--step-seconds",
        type=float,
        default=10.0,
        help="duration of each open-loop step (0: skip the open-loop sweep)",
    )
    parser.add_argument(
        "--profile",
        choices=("reads", "mixed"),
        default="reads",
        help="reads: plans and lists (with an open-loop sweep); mixed: reads, plans, writes",
    )
    parser.add_argument(
        "--pin",
        action="store_true",
        help="server and load generator on separate cores (the last core drives the load)",
    )
    args = parser.parse_args()
    if args.profile == "mixed":
        run_mixed(args, Console())
        return
    seconds = max(1.0, min(600.0, args.seconds))
    clients = max(1, min(500, args.clients))
    step = max(0.0, min(600.0, args.step_seconds))

    console = Console()
    endpoints = [
        Endpoint("POST /api/plan (4-leg circuit)", "POST", "/api/plan", reference_circuit()),
        Endpoint("GET /api/requests", "GET", "/api/requests"),
        Endpoint("GET /api/tails", "GET", "/api/tails"),
        Endpoint("GET /api/airfields", "GET", "/api/airfields"),
    ]
    plan = endpoints[0].name
    sweep: list[tuple[float, dict[str, Stats], float]] = []
    workers = max(1, args.workers)
    with served(args.pg, workers, console, "warming up", args.pin) as (port, token):
        warm_up(port, token, endpoints, workers)
        console.print(f"closed loop: {clients} clients for {seconds:g} s ...")
        stats, wall = uvloop.run(load(port, token, endpoints, clients, seconds))
        saturation = sum(len(s.latencies_ms) for s in stats.values()) / wall
        for share in SWEEP_SHARES if step else ():
            rate = float(round(saturation * share))
            console.print(f"open loop: {rate} requests/s offered for {step:g} s ...")
            sweep.append((rate, *uvloop.run(load(port, token, endpoints, clients, step, rate))))

    console.print(
        endpoint_table(
            f"Closed loop (saturation): {clients} clients, {wall:.1f} s, loopback",
            endpoints,
            stats,
            wall,
        )
    )
    console.print(
        f"planning endpoint at saturation: {verdict(percentile(stats[plan].latencies_ms, 99))}"
    )
    if not sweep:
        return
    table = Table(title=f"Open loop: {clients} clients, Poisson arrivals, {step:g} s per step")
    for column in (
        "offered req/s",
        "served req/s",
        "plan p50 ms",
        "plan p99 ms",
        "all p99 ms",
        "errors",
    ):
        table.add_column(column, justify="right")
    best: float | None = None
    previous: float | None = None
    for rate, s, w in sweep:
        every = [x for st in s.values() for x in st.latencies_ms]
        p99 = percentile(s[plan].latencies_ms, 99)
        if p99 < PLAN_TARGET_P99_MS and best == previous:
            best = rate  # met here and at every lower rate
        previous = rate
        table.add_row(
            f"{rate:,.0f}",
            f"{len(every) / w:,.1f}",
            f"{percentile(s[plan].latencies_ms, 50):.1f}",
            f"{p99:.1f}",
            f"{percentile(every, 99):.1f}",
            f"{sum(st.errors for st in s.values()):,}",
        )
    console.print(table)
    console.print(
        f"planning endpoint p99 < {PLAN_TARGET_P99_MS:g} ms "
        + (
            f"up to {best:,.0f} requests/s offered ({best / saturation:.0%} of saturation)"
            if best is not None
            else "at none of the offered rates"
        )
    )


if __name__ == "__main__":
    main()
