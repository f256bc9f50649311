"""Schedule runs through the API: the worker process, progress events, cancel, compare,
exports, the printable brief, and recovery of runs a dead server left running.

Every test runs the real app (``create_app`` in a TestClient, so the lifespan starts the
worker process) on the ``db_url`` databases: SQLite, and PostgreSQL when configured.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from geojson_pydantic import FeatureCollection
from lxml import etree  # type: ignore[import-untyped]
from sqlalchemy import select, update

from airlift.export.programme import (
    LEG_COLUMNS,
    legs_csv,
    programme_document,
    programme_feature_collection,
    programme_kml,
    requests_csv,
    write_programme_csv,
    write_programme_geojson,
    write_requests_csv,
)
from airlift.export.programme_compare import compare_kpis
from airlift.runs import supervisor, worker
from airlift.store import accounts, demo
from airlift.store import runs as store_runs
from airlift.store.db import make_engine, session_factory, transaction
from airlift.store.models import ScenarioRow, ScheduleRun, utcnow
from airlift.web.app import create_app
from airlift.web.routes import runs
from airlift.web.settings import Settings

KML = "{http://www.opengis.net/kml/2.2}"
TIMEOUT_S = 60.0
PASSWORD = "correct horse battery"


@dataclass
class Env:
    client: TestClient
    url: str
    scenario_id: int
    planner: dict[str, str]
    viewer: dict[str, str]


def _seed(url: str) -> tuple[int, str, str]:
    """Demo data and two users; returns (scenario id, planner token, viewer token)."""
    engine = make_engine(url)
    try:
        with transaction(session_factory(engine)) as s:
            demo.load_demo(s)
            scenario_id = s.scalar(select(ScenarioRow.id))
            assert scenario_id is not None
            planner = accounts.create_user(s, "planner1", PASSWORD, "planner")
            viewer = accounts.create_user(s, "viewer1", PASSWORD, "viewer")
            return (
                scenario_id,
                accounts.create_token(s, planner, "tests"),
                accounts.create_token(s, viewer, "tests"),
            )
    finally:
        engine.dispose()


@pytest.fixture
def env(db_url: str, data_dir: Any) -> Iterator[Env]:
    scenario_id, planner, viewer = _seed(db_url)
    app = create_app(Settings(db_url=db_url, secure_cookies=False))
    with TestClient(app) as client:
        yield Env(
            client,
            db_url,
            scenario_id,
            {"Authorization": f"Bearer {planner}"},
            {"Authorization": f"Bearer {viewer}"},
        )


def _start(env: Env, time_limit_s: float = 2, seed: int = 1) -> dict[str, Any]:
    response = env.client.post(
        "/api/runs",
        json={"scenario_id": env.scenario_id, "time_limit_s": time_limit_s, "seed": seed},
        headers=env.planner,
    )
    assert response.status_code == 202, response.text
    run: dict[str, Any] = response.json()
    assert run["status"] == "queued"
    assert response.headers["location"] == f"/api/runs/{run['id']}"
    return run


def _wait(env: Env, run_id: int, *statuses: str, timeout: float = TIMEOUT_S) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        run: dict[str, Any] = env.client.get(f"/api/runs/{run_id}", headers=env.viewer).json()
        if run["status"] in statuses:
            return run
        assert time.monotonic() < deadline, f"run {run_id} still {run['status']}: {run}"
        time.sleep(0.2)


def _events(env: Env, run_id: int) -> list[tuple[str, dict[str, Any]]]:
    """Read the event stream to its end: [(event name, data), ...]."""
    out: list[tuple[str, dict[str, Any]]] = []
    with env.client.stream("GET", f"/api/runs/{run_id}/events", headers=env.viewer) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        name = "message"
        for line in response.iter_lines():
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: "):
                out.append((name, json.loads(line.removeprefix("data: "))))
                name = "message"
            assert len(out) < 1000, "the stream did not end"
    return out


def test_run_lifecycle_result_events_compare_exports_and_brief(env: Env) -> None:
    first = _start(env, seed=1)
    events = _events(env, first["id"])  # follows the run from queued to done
    assert events, "no events"
    assert [name for name, _ in events[:-1]] == ["progress"] * (len(events) - 1)
    assert events[-1][0] == "end"
    assert events[-1][1]["status"] == "done", events[-1][1]
    statuses = [data["status"] for _, data in events]
    assert set(statuses) <= {"queued", "running", "done"}
    assert "result" not in events[-1][1]
    # Progress is written while it solves: elapsed seconds, the best objective.
    running = [data for _, data in events if data["status"] == "running"]
    if len(running) >= 2:
        assert running[-1]["progress_s"] >= running[0]["progress_s"]

    done = env.client.get(f"/api/runs/{first['id']}", headers=env.viewer).json()
    assert done["status"] == "done" and done["error"] == ""
    assert done["progress_pct"] == 100.0
    assert done["best_objective"] is not None
    assert done["kpis"]["requests"] == 57
    assert done["kpis"]["missions"] > 0
    assert "result" not in done
    assert done["started_at"] and done["finished_at"]

    result = env.client.get(f"/api/runs/{first['id']}/result", headers=env.viewer)
    assert result.status_code == 200
    document = result.json()
    assert document["scenario"].startswith("Sahel pooled airlift")
    assert document["kpis"] == done["kpis"]
    assert document["feasible"] is True
    assert len(document["missions"]) == done["kpis"]["missions"]
    assert {r["request_id"] for r in document["requests"]} >= {"R001", "R013"}

    # A second run (another seed) to compare with; listed newest first.
    second = _start(env, seed=2)
    _wait(env, second["id"], "done")
    listed = env.client.get("/api/runs", headers=env.viewer).json()
    assert [r["id"] for r in listed][:2] == [second["id"], first["id"]]
    assert all("result" not in r for r in listed)
    assert env.client.get("/api/runs?status=done", headers=env.viewer).json()[0]["status"] == "done"

    comparison = env.client.get(
        f"/api/runs/compare?a={first['id']}&b={second['id']}", headers=env.viewer
    )
    assert comparison.status_code == 200, comparison.text
    body = comparison.json()
    assert body["a"]["id"] == first["id"] and body["b"]["id"] == second["id"]
    rows = {row["name"]: row for row in body["kpis"]}
    kpis_a = done["kpis"]
    kpis_b = env.client.get(f"/api/runs/{second['id']}", headers=env.viewer).json()["kpis"]
    for name in ("tonnes_delivered", "delivered", "unmet", "flying_hours", "missions"):
        assert rows[name]["a"] == kpis_a[name]
        assert rows[name]["b"] == kpis_b[name]
        assert rows[name]["difference"] == pytest.approx(kpis_b[name] - kpis_a[name], abs=1e-3)
        assert rows[name]["unit"]
    assert rows["unmet"]["better"] in ("a", "b", "same")
    assert {t["tail"] for t in body["utilisation_h_per_day"]} == set(
        kpis_a["utilisation_h_per_day"]
    )

    _check_exports(env, first["id"], document)
    _check_brief(env, first["id"], document)


def _check_exports(env: Env, run_id: int, document: dict[str, Any]) -> None:
    legs = [leg for m in document["missions"] for leg in m["plan"]["legs"]]
    base = f"/api/runs/{run_id}/export"

    response = env.client.get(f"{base}/json", headers=env.viewer)
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    assert json.loads(response.text) == document

    response = env.client.get(f"{base}/csv", headers=env.viewer)
    assert response.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert len(table) == len(legs)
    assert list(table[0]) == list(LEG_COLUMNS)
    assert table[0]["tail"] == document["missions"][0]["tail"]
    assert float(table[0]["dist_nm"]) == legs[0]["dist_nm"]

    response = env.client.get(f"{base}/requests.csv", headers=env.viewer)
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert len(table) == len(document["requests"])
    assert {row["status"] for row in table} <= {"delivered", "partial", "unmet"}

    response = env.client.get(f"{base}/geojson", headers=env.viewer)
    assert response.headers["content-type"].startswith("application/geo+json")
    collection: FeatureCollection[Any] = FeatureCollection.model_validate_json(response.text)
    kinds = [f.properties["kind"] for f in collection.features if f.properties]
    assert kinds.count("leg") == len(legs)
    assert kinds.count("stop") == len({c for m in document["missions"] for c in m["route"]})

    response = env.client.get(f"{base}/kml", headers=env.viewer)
    assert response.headers["content-type"].startswith("application/vnd.google-earth.kml+xml")
    root = etree.fromstring(response.content)
    assert root.tag == f"{KML}kml"
    folders = root.findall(f"{KML}Document/{KML}Folder")
    assert len(folders) == 1 + len(document["missions"])  # airfields, then one per mission
    placemarks = root.findall(f".//{KML}Folder/{KML}Placemark/{KML}LineString/..")
    assert len(placemarks) == len(legs)
    assert all(pm.find(f"{KML}TimeSpan/{KML}begin") is not None for pm in placemarks)

    assert env.client.get(f"{base}/pdf", headers=env.viewer).status_code == 422


def _check_brief(env: Env, run_id: int, document: dict[str, Any]) -> None:
    mission = document["missions"][0]
    response = env.client.get(f"/api/runs/{run_id}/missions/1/brief", headers=env.viewer)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert " → ".join(mission["route"]) in html
    assert mission["tail"] in html and mission["aircraft"] in html
    for unit in (" kg", " NM", " min", "Z", " L (UTC"):
        assert unit in html, unit
    assert "@media print" in html and "A4" in html
    # Self-contained: nothing to fetch from anywhere.
    assert "http://" not in html and "https://" not in html and "<script" not in html
    assert "Violations" in html and "Binding limit" in html
    n = len(document["missions"])
    assert (
        env.client.get(f"/api/runs/{run_id}/missions/{n + 1}/brief", headers=env.viewer).status_code
        == 404
    )


def test_cancel_queued_and_running(env: Env) -> None:
    long = _start(env, time_limit_s=120, seed=3)
    _wait(env, long["id"], "running")
    queued = _start(env, time_limit_s=5, seed=4)  # waits behind the long run (one worker)

    response = env.client.post(f"/api/runs/{queued['id']}/cancel", headers=env.planner)
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"  # at once: it never started

    time.sleep(1.0)  # let it solve a little, so that progress is written
    progress = env.client.get(f"/api/runs/{long['id']}", headers=env.viewer).json()
    assert progress["status"] == "running" and progress["progress_s"] > 0
    asked = time.monotonic()
    response = env.client.post(f"/api/runs/{long['id']}/cancel", headers=env.planner)
    assert response.status_code == 200
    assert response.json()["cancel_requested"] is True
    stopped = _wait(env, long["id"], "cancelled", "done", "failed", timeout=30)
    assert stopped["status"] == "cancelled", stopped
    # The watch thread stops the search within about a second, not at the 120 s limit.
    assert time.monotonic() - asked < 10
    assert env.client.get(f"/api/runs/{long['id']}/result", headers=env.viewer).status_code == 409
    # Cancelling again changes nothing; the worker is free for the next run.
    again = env.client.post(f"/api/runs/{long['id']}/cancel", headers=env.planner)
    assert again.status_code == 200 and again.json()["status"] == "cancelled"
    after = _start(env, time_limit_s=1, seed=5)
    assert _wait(env, after["id"], "done")["status"] == "done"
    assert (
        env.client.post(f"/api/runs/{after['id']}/cancel", headers=env.planner).status_code == 409
    )
    compared = env.client.get(
        f"/api/runs/compare?a={after['id']}&b={long['id']}", headers=env.viewer
    )
    assert compared.status_code == 409


def test_permissions_and_validation(env: Env) -> None:
    client = env.client
    body = {"scenario_id": env.scenario_id, "time_limit_s": 2, "seed": 0}
    assert client.post("/api/runs", json=body).status_code == 401
    assert client.get("/api/runs").status_code == 401
    assert client.post("/api/runs", json=body, headers=env.viewer).status_code == 403
    for bad in ({"time_limit_s": 0}, {"time_limit_s": 601}, {"seed": -1}, {"extra": 1}):
        response = client.post("/api/runs", json={**body, **bad}, headers=env.planner)
        assert response.status_code == 422, (bad, response.text)
    missing = client.post("/api/runs", json={**body, "scenario_id": 9999}, headers=env.planner)
    assert missing.status_code == 404
    assert client.get("/api/runs/9999", headers=env.viewer).status_code == 404
    assert client.get("/api/runs/9999/events", headers=env.viewer).status_code == 404
    assert client.post("/api/runs/9999/cancel", headers=env.planner).status_code == 404

    run = _start(env, time_limit_s=1)
    assert client.post(f"/api/runs/{run['id']}/cancel", headers=env.viewer).status_code == 403
    # Not done yet (or just done): results only exist for a finished run.
    early = client.get(f"/api/runs/{run['id']}/result", headers=env.viewer)
    assert early.status_code in (200, 409)
    if early.status_code == 409:
        assert "done" in early.json()["detail"]
    _wait(env, run["id"], "done")
    assert client.get(f"/api/runs/{run['id']}/result", headers=env.viewer).status_code == 200


def test_restart_marks_interrupted_runs_failed(db_url: str, data_dir: Any) -> None:
    scenario_id, _, viewer = _seed(db_url)
    engine = make_engine(db_url)
    try:
        with transaction(session_factory(engine)) as s:
            left = ScheduleRun(
                scenario_id=scenario_id,
                status="running",
                created_by="planner1",
                started_at=utcnow(),
                time_limit_s=30,
                progress_s=12.5,
            )
            s.add(left)
            s.flush()
            left_id = left.id
    finally:
        engine.dispose()
    app = create_app(Settings(db_url=db_url, secure_cookies=False))
    with TestClient(app) as client:  # the lifespan calls start_workers
        run = client.get(f"/api/runs/{left_id}", headers={"Authorization": f"Bearer {viewer}"})
        assert run.status_code == 200
        assert run.json()["status"] == "failed"
        assert "restart" in run.json()["error"]
        assert run.json()["finished_at"]
    # Stopped with the app: the worker processes are gone.
    assert getattr(app.state, "run_workers", None) is None


def test_shutdown_interrupts_a_running_run(db_url: str, data_dir: Any) -> None:
    scenario_id, planner, _ = _seed(db_url)
    app = create_app(Settings(db_url=db_url, secure_cookies=False))
    with TestClient(app) as client:
        env = Env(client, db_url, scenario_id, {"Authorization": f"Bearer {planner}"}, {})
        env.viewer = env.planner
        run = _start(env, time_limit_s=300, seed=7)
        _wait(env, run["id"], "running")
        stopping = time.monotonic()
    # Leaving the TestClient ran the lifespan's stop_workers: the run was stopped, not lost.
    assert time.monotonic() - stopping < supervisor.STOP_TIMEOUT_S
    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as s:
            row = s.get(ScheduleRun, run["id"])
            assert row is not None
            assert row.status == "failed"
            assert row.error == worker.SHUTDOWN_ERROR
    finally:
        engine.dispose()


def _row(url: str, run_id: int) -> ScheduleRun:
    engine = make_engine(url)
    try:
        with session_factory(engine)() as s:
            row = s.get(ScheduleRun, run_id)
            assert row is not None
            return row
    finally:
        engine.dispose()


def test_a_second_server_leaves_the_first_ones_running_run_alone(env: Env) -> None:
    run = _start(env, time_limit_s=300, seed=3)
    _wait(env, run["id"], "running")
    first_beat = _row(env.url, run["id"]).heartbeat_at
    assert first_beat is not None
    # A second server on the same database: its start-up recovery and its idle worker's
    # sweeps see a heartbeat younger than the lease.
    second = create_app(Settings(db_url=env.url, secure_cookies=False))
    with TestClient(second) as client:
        time.sleep(2 * worker.BEAT_S + 1)
        seen = client.get(f"/api/runs/{run['id']}", headers=env.viewer).json()
        assert seen["status"] == "running", seen
    engine = make_engine(env.url)
    try:
        with transaction(session_factory(engine)) as s:
            assert store_runs.mark_interrupted_runs(s) == 0
    finally:
        engine.dispose()
    row = _row(env.url, run["id"])
    assert row.status == "running" and not row.error
    assert row.heartbeat_at is not None and row.heartbeat_at > first_beat  # still beating
    # The first server's worker still holds it: it stops on a cancel.
    env.client.post(f"/api/runs/{run['id']}/cancel", headers=env.planner)
    assert _wait(env, run["id"], "cancelled", "failed")["status"] == "cancelled"


def test_a_worker_stops_solving_a_run_it_lost(env: Env) -> None:
    run = _start(env, time_limit_s=300, seed=4)
    _wait(env, run["id"], "running")
    # As recovery does when the lease has expired (a worker stalled for longer than that).
    engine = make_engine(env.url)
    try:
        with transaction(session_factory(engine)) as s:
            s.execute(
                update(ScheduleRun)
                .where(ScheduleRun.id == run["id"])
                .values(status="failed", error="interrupted by a server restart")
            )
    finally:
        engine.dispose()
    # The worker sees its run is no longer running, drops it without a write, and is free
    # for the next one long before the first one's 300 s.
    after = _start(env, time_limit_s=2, seed=5)
    assert _wait(env, after["id"], "done", "failed", timeout=60)["status"] == "done"
    row = _row(env.url, run["id"])
    assert (row.status, row.error) == ("failed", "interrupted by a server restart")


def test_two_workers_never_take_the_same_run(db_url: str) -> None:
    scenario_id, _, _ = _seed(db_url)
    engine = make_engine(db_url)
    sessions = session_factory(engine)
    try:
        with transaction(sessions) as s:
            ids = {store_runs.create_run(s, scenario_id, "planner1", 5, n).id for n in range(24)}
        taken: list[int] = []
        errors: list[BaseException] = []

        def take() -> None:
            try:
                while (run_id := store_runs.claim(sessions)) is not None:
                    taken.append(run_id)
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=take) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not errors, errors
        assert sorted(taken) == sorted(ids)  # every run once, none twice
        with sessions() as s:
            statuses = set(s.scalars(select(ScheduleRun.status)))
        assert statuses == {"running"}
    finally:
        engine.dispose()


def test_exports_match_the_programme_exports(data_dir: Any, tmp_path: Any) -> None:
    """The exports built from a stored (JSON round-tripped) document equal the files the
    library writes for the Programme itself."""
    from airlift.scheduling import readers
    from airlift.scheduling.scheduler import schedule

    demo = readers.demo_dir()
    programme = schedule(
        readers.read_requests(demo / "requests.csv")[:12],
        readers.read_fleet(demo / "fleet.csv"),
        readers.read_scenario(demo / "scenario.toml"),
        time_limit_s=1,
        seed=0,
        iterations=200,
    )
    assert programme.missions
    document = json.loads(json.dumps(programme_document(programme)))  # as stored

    def written(write: Any) -> str:
        return str(write(programme, tmp_path / "f").read_bytes().decode("utf-8"))

    assert legs_csv(document) == written(write_programme_csv)
    assert requests_csv(document) == written(write_requests_csv)
    ours = programme_feature_collection(document, runs.airfields_by_code(document))
    assert ours == json.loads(written(write_programme_geojson))
    kml = etree.fromstring(programme_kml(document, runs.airfields_by_code(document)))
    assert len(kml.findall(f".//{KML}Placemark")) == len(ours["features"])


def test_compare_kpis_direction() -> None:
    a = {"tonnes_delivered": 10.0, "unmet": 3, "flying_hours": 5.0, "utilisation_h_per_day": {}}
    b = {"tonnes_delivered": 12.5, "unmet": 3, "flying_hours": 4.0, "utilisation_h_per_day": {}}
    rows, tails = compare_kpis(a, b)
    by_name = {r.name: r for r in rows}
    assert by_name["tonnes_delivered"].difference == 2.5
    assert by_name["tonnes_delivered"].better == "b"
    assert by_name["unmet"].better == "same"
    assert by_name["flying_hours"].better is None
    assert by_name["flying_hours"].difference == -1.0
    assert tails == []


def test_one_line_errors() -> None:
    assert worker.one_line(ValueError("first\nsecond  line")) == "ValueError: first second line"
    assert len(worker.one_line(RuntimeError("x" * 2000))) == 500


def test_a_run_routes_its_legs_around_the_stored_zones(env: Env) -> None:
    """A zone stored with /api/zones (across Bamako - Gao, every level) is in the run's
    inputs, and the programme's legs between the two go round it."""
    zone = {
        "name": "R-Hombori",
        "kind": "restricted",
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[-2.0, 14.5], [-1.0, 14.5], [-1.0, 15.8], [-2.0, 15.8], [-2.0, 14.5]]],
        },
    }
    assert env.client.post("/api/zones", json=zone, headers=env.planner).status_code == 201
    run = _start(env, time_limit_s=3)
    done = _wait(env, run["id"], "done", "failed")
    assert done["status"] == "done", done
    document = env.client.get(f"/api/runs/{run['id']}/result", headers=env.viewer).json()
    legs = [leg for m in document["missions"] for leg in m["plan"]["legs"]]
    crossing = [leg for leg in legs if {leg["origin"], leg["destination"]} == {"GABS", "GAGO"}]
    assert crossing, "the demo week flies Bamako - Gao"
    assert all("R-Hombori" in leg["zones_avoided"] for leg in crossing)
