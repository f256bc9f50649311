"""REST API under load: 50 concurrent clients against planning and read endpoints.

Starts ``python -m airlift serve`` as a subprocess on loopback (a fresh SQLite database with
the demo data, an admin API token), then runs ``--clients`` concurrent ``httpx.AsyncClient``
loops for ``--seconds`` over POST /api/plan (the 4-leg reference circuit) and GET
/api/requests, /api/tails, /api/airfields, round robin. Prints one Rich table per endpoint:
requests, throughput (req/s), p50 and p99 latency (ms), errors; and whether the planning
endpoint's p99 meets the 50 ms target. Client and server share the machine, so the
figures include the load generator's own CPU use.

    python benchmarks/bench_api.py [--seconds 30] [--clients 50]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from airlift.scheduling.readers import demo_dir

PLAN_TARGET_P99_MS = 50.0
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

    from airlift.store import repositories as repo
    from airlift.store.db import make_engine, session_factory, transaction
    from airlift.store.models import User

    engine = make_engine(db)
    try:
        with transaction(session_factory(engine)) as s:
            user = s.scalars(select(User).where(User.username == "bench")).one()
            return repo.create_token(s, user, "bench")
    finally:
        engine.dispose()


def start_server(db: str, port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "airlift", "serve", "--port", str(port), "--db", db]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
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


async def call(client: httpx.AsyncClient, e: Endpoint) -> httpx.Response:
    return await client.request(e.method, e.path, json=e.body)


async def load(
    base: str, token: str, endpoints: list[Endpoint], clients: int, seconds: float
) -> tuple[dict[str, Stats], float]:
    stats: dict[str, Stats] = {e.name: Stats() for e in endpoints}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=30.0
    ) as client:
        for e in endpoints:  # warm-up: imports, caches, connections
            for _ in range(3):
                response = await call(client, e)
                if response.status_code >= 400:
                    raise SystemExit(f"{e.name}: HTTP {response.status_code}: {response.text}")
        end = time.perf_counter() + seconds

        async def worker(offset: int) -> None:
            i = offset
            while time.perf_counter() < end:
                e = endpoints[i % len(endpoints)]
                i += 1
                t0 = time.perf_counter()
                try:
                    response = await call(client, e)
                    ok = response.status_code < 400
                    kind = f"HTTP {response.status_code}"
                except httpx.HTTPError as exc:
                    ok, kind = False, type(exc).__name__
                elapsed_ms = (time.perf_counter() - t0) * 1000.0
                if ok:
                    stats[e.name].latencies_ms.append(elapsed_ms)
                else:
                    stats[e.name].errors += 1
                    stats[e.name].error_kinds[kind] += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(clients)))
        wall = time.perf_counter() - started
    return stats, wall


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="load duration (1-600 s)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (1-500)")
    args = parser.parse_args()
    seconds = max(1.0, min(600.0, args.seconds))
    clients = max(1, min(500, args.clients))

    console = Console()
    endpoints = [
        Endpoint("POST /api/plan (4-leg circuit)", "POST", "/api/plan", reference_circuit()),
        Endpoint("GET /api/requests", "GET", "/api/requests"),
        Endpoint("GET /api/tails", "GET", "/api/tails"),
        Endpoint("GET /api/airfields", "GET", "/api/airfields"),
    ]
    with tempfile.TemporaryDirectory(prefix="airlift-bench-") as tmp:
        folder = Path(tmp)
        db = f"sqlite:///{folder / 'bench.sqlite'}"
        env = {**os.environ, "AIRLIFT_DATA_DIR": str(folder / "data"), "AIRLIFT_DB_URL": db}
        env["AIRLIFT_SECURE_COOKIES"] = "false"
        token = admin_token(db, env)
        port = free_port()
        console.print(f"server on 127.0.0.1:{port}, SQLite with the demo data; warming up")
        server = start_server(db, port, env, folder / "server.log")
        try:
            console.print(f"{clients} clients for {seconds:g} s ...")
            stats, wall = asyncio.run(
                load(f"http://127.0.0.1:{port}", token, endpoints, clients, seconds)
            )
        finally:
            stop_server(server)

    table = Table(title=f"REST API: {clients} concurrent clients, {wall:.1f} s, loopback")
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
    console.print(table)
    p99 = percentile(stats[endpoints[0].name].latencies_ms, 99)
    met = p99 < PLAN_TARGET_P99_MS
    console.print(
        f"planning endpoint p99 {p99:.1f} ms: target < {PLAN_TARGET_P99_MS:g} ms "
        + ("[green]met[/green]" if met else "[red]NOT met[/red]")
    )


if __name__ == "__main__":
    main()
