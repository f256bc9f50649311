"""A mixed workload for a running ``airlift serve``: reads, mission plans, writes and imports.

Used by ``benchmarks/bench_api.py --profile mixed`` and by the mixed-load test
(``tests/web/test_mixed_load.py``). Each of ``clients`` closed loops keeps one keep-alive
connection and draws, request by request, a read (60 %), a plan (20 %) or a write (20 %):

* reads: the request, tail, airfield and scenario lists, one request by id, a static file;
* plans: POST /api/plan with the reference circuit (GABS-GAGO-GATS-DRRN-GABS);
* writes: create a movement request, update it (with its version), delete it, or import a
  three-row CSV, each with references of its own so that clients never collide.

Every answer is kept as (route, status, seconds); a connection error counts as status 0 and
stops that client. The clients speak HTTP through ``rawhttp`` (little CPU per request), so the
latencies are the server's rather than the load generator's.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import tomllib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

import rawhttp
from airlift.scheduling.readers import demo_dir

MIX = {"read": 0.6, "plan": 0.2, "write": 0.2}
READS = ("/api/requests", "/api/tails", "/api/airfields", "/api/scenarios", "/static/app.css")
CSV_HEADER = "id,origin,destination,cargo_kg,pallets,pax,earliest_utc,latest_utc,priority"
TIMEOUT_S = 60.0
PLAN_ROUTE = "POST /api/plan"


def kind(route: str) -> str:
    """Which part of the mix a route (as ``Result`` names it) is: read, plan or write."""
    if route.startswith("GET "):
        return "read"
    return "plan" if route == PLAN_ROUTE else "write"


@dataclass
class Result:
    """What the clients saw: one (route, status, seconds) per request."""

    answers: list[tuple[str, int, float]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    """The connection errors, as ``route: exception``."""

    def by_route(self) -> dict[str, list[tuple[int, float]]]:
        out: dict[str, list[tuple[int, float]]] = {}
        for route, code, seconds in self.answers:
            out.setdefault(route, []).append((code, seconds))
        return out

    @property
    def server_errors(self) -> list[tuple[str, int, float]]:
        return [a for a in self.answers if a[1] >= 500 or a[1] == 0]

    @property
    def slowest_s(self) -> float:
        return max((a[2] for a in self.answers), default=0.0)


def plan_body() -> dict[str, Any]:
    """The demo's reference circuit as a POST /api/plan body."""
    raw = tomllib.loads((demo_dir() / "reference_circuit.toml").read_text("utf-8"))
    keys = ("id", "origin", "destination", "cargo_kg", "pallets", "pax", "description")
    return {
        "aircraft": raw["aircraft"],
        "stops": raw["stops"],
        "departure_utc": raw["departure_utc"],
        "policy": raw.get("fuel_policy", "icao"),
        "items": [{k: item[k] for k in keys if k in item} for item in raw["item"]],
    }


def _request(ref: str) -> dict[str, Any]:
    return {
        "ref": ref,
        "origin": "GABS",
        "destination": "GAGO",
        "cargo_kg": 1500,
        "pallets": 1,
        "pax": 0,
        "earliest_utc": "2023-10-27T06:00Z",
        "latest_utc": "2023-10-29T18:00Z",
        "priority": 3,
    }


class _Client:
    """One closed loop on a keep-alive connection of its own."""

    def __init__(
        self,
        n: int,
        connection: rawhttp.Connection,
        host: str,
        token: str,
        result: Result,
        seed: int,
    ) -> None:
        self.n = n
        self.connection = connection
        self.host = host
        self.headers = {"Authorization": f"Bearer {token}"}
        self.result = result
        self.rng = random.Random(seed * 1000 + n)
        self.count = 0
        self.mine: list[tuple[int, int]] = []  # (row id, version) of requests this client made

    async def _send(self, route: str, raw: bytes) -> tuple[int, Any] | None:
        """The answer's status and decoded JSON body (None when it is not JSON); None on a
        connection error, which is kept as status 0."""
        start = time.perf_counter()
        try:
            code, body = await self.connection.send(raw)
        except (ConnectionError, TimeoutError) as exc:
            self.result.answers.append((route, 0, time.perf_counter() - start))
            self.result.failures.append(f"{route}: {type(exc).__name__}: {exc}")
            raise _Lost from exc
        self.result.answers.append((route, code, time.perf_counter() - start))
        try:
            return code, json.loads(body) if body[:1] in (b"{", b"[") else None
        except ValueError:
            return code, None

    def _json(self, method: str, path: str, body: Any = None) -> bytes:
        return rawhttp.encode_json(method, path, self.host, self.headers, body)

    def _ref(self) -> str:
        self.count += 1
        return f"LOAD-{self.n}-{self.count}"

    async def read(self) -> None:
        if self.mine and self.rng.random() < 0.2:
            row_id, _ = self.rng.choice(self.mine)
            await self._send("GET /api/requests/{id}", self._json("GET", f"/api/requests/{row_id}"))
            return
        path = self.rng.choice(READS)
        await self._send(f"GET {path}", self._json("GET", path))

    async def plan(self, raw: bytes) -> None:
        await self._send(PLAN_ROUTE, raw)

    async def write(self) -> None:
        pick = self.rng.random()
        if pick < 0.4 or not self.mine:
            answer = await self._send(
                "POST /api/requests", self._json("POST", "/api/requests", _request(self._ref()))
            )
            if answer is not None and answer[0] == 201:
                self.mine.append((answer[1]["id"], answer[1]["version"]))
        elif pick < 0.65:
            i = self.rng.randrange(len(self.mine))
            row_id, version = self.mine[i]
            body = {**_request(f"LOAD-{self.n}-u{row_id}"), "cargo_kg": 1800, "version": version}
            answer = await self._send(
                "PUT /api/requests/{id}", self._json("PUT", f"/api/requests/{row_id}", body)
            )
            if answer is not None and answer[0] == 200:
                self.mine[i] = (row_id, answer[1]["version"])
        elif pick < 0.8:
            row_id, version = self.mine.pop(self.rng.randrange(len(self.mine)))
            await self._send(
                "DELETE /api/requests/{id}",
                self._json("DELETE", f"/api/requests/{row_id}?version={version}"),
            )
        else:
            rows = [
                f"{self._ref()},GABS,GAGO,2000,1,0,2023-10-27T06:00Z,2023-10-28T18:00Z,2"
                for _ in range(3)
            ]
            csv = ("\n".join([CSV_HEADER, *rows]) + "\n").encode()
            raw = rawhttp.encode_upload(
                "/api/requests/import", self.host, self.headers, "requests.csv", csv, "text/csv"
            )
            await self._send("POST /api/requests/import", raw)

    async def loop(self, until: float, plan: bytes) -> None:
        kinds, weights = list(MIX), list(MIX.values())
        try:
            while time.monotonic() < until:
                kind = self.rng.choices(kinds, weights)[0]
                if kind == "read":
                    await self.read()
                elif kind == "plan":
                    await self.plan(plan)
                else:
                    await self.write()
        except _Lost:
            return  # the connection is gone or out of step: this client stops
        finally:
            self.connection.close()


class _Lost(Exception):
    """A client's connection failed (already recorded as status 0)."""


async def run(base: str, token: str, clients: int, seconds: float, seed: int = 1) -> Result:
    """``clients`` concurrent closed loops against ``base`` for ``seconds``."""
    result = Result()
    url = urlsplit(base)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    headers = {"Authorization": f"Bearer {token}"}
    plan = rawhttp.encode_json("POST", "/api/plan", url.netloc, headers, plan_body())
    connections = [await rawhttp.connect(host, port, TIMEOUT_S) for _ in range(clients)]
    until = time.monotonic() + seconds
    loops = [
        _Client(n, c, url.netloc, token, result, seed).loop(until, plan)
        for n, c in enumerate(connections)
    ]
    await asyncio.gather(*loops)
    return result


def health_after(base: str) -> float:
    """Seconds GET /api/health takes right now (an error or a non-200 raises)."""
    start = time.perf_counter()
    response = httpx.get(f"{base}/api/health", timeout=30)
    response.raise_for_status()
    return time.perf_counter() - start
