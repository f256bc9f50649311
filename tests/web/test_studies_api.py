"""What-if studies through the API: launch (a tiny study, the study worker runs it serially
in the server), follow it to done with its summary, download its report and results, cancel,
and the refusals (bad TOML, unknown factor kind, file paths, a viewer): 4xx naming the key."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from airlift.runs.studies import SHUTDOWN_ERROR
from airlift.store import accounts
from airlift.store import studies as store
from airlift.store.db import make_engine, session_factory, transaction
from airlift.store.models import StudyRow
from airlift.web.app import create_app
from airlift.web.settings import Settings

TINY = """\
name = "tiny"
[base]
time_limit_s = 2
iterations = 50
[design]
kind = "full-factorial"
replications = 1
[[factor]]
name = "fleet"
kind = "fleet_size"
levels = [6, 8]
"""
"""2 runs of the demo week (6 and 8 tails), 50 iterations each: a few seconds in all."""
TIMEOUT_S = 120.0


@dataclass
class Env:
    client: TestClient
    url: str
    planner: dict[str, str]
    viewer: dict[str, str]


@pytest.fixture
def env(db_url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Env]:
    """The app with its study worker (serial: ``study_workers=0``), no schedule-run workers."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", lambda: cheap)
    engine = make_engine(db_url)
    headers = {}
    try:
        with transaction(session_factory(engine)) as s:
            for role in ("viewer", "planner"):
                user = accounts.create_user(s, role, "correct horse battery", role)
                headers[role] = {"Authorization": f"Bearer {accounts.create_token(s, user, 't')}"}
    finally:
        engine.dispose()
    settings = Settings(db_url=db_url, data_dir=data_dir, study_workers=0)
    app = create_app(settings, run_workers=False, study_worker=True)
    with TestClient(app, base_url="https://testserver") as client:
        yield Env(client, db_url, headers["planner"], headers["viewer"])


def _wait(env: Env, study_id: int, until: frozenset[str] = frozenset({"done", "failed"})) -> Any:
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        state = env.client.get(f"/api/studies/{study_id}", headers=env.viewer).json()
        if state["status"] in until:
            return state
        time.sleep(0.2)
    raise AssertionError(f"study {study_id} still {state['status']} after {TIMEOUT_S} s")


def test_a_tiny_study_runs_to_done_with_its_summary_report_and_results(env: Env) -> None:
    import pyarrow.parquet as pq

    answer = env.client.post("/api/studies", json={"study_toml": TINY}, headers=env.planner)
    assert answer.status_code == 202, answer.text
    study = answer.json()
    assert answer.headers["Location"] == f"/api/studies/{study['id']}"
    assert (study["status"], study["name"], study["runs_total"]) == ("queued", "tiny", 2)

    done = _wait(env, study["id"])
    assert done["status"] == "done", done
    assert (done["runs_done"], done["runs_failed"], done["progress_pct"]) == (2, 0, 100.0)
    summary = done["summary"]
    assert (summary["runs"], summary["failed"]) == (2, 0)
    assert "smallest_fleet" in summary

    listed = env.client.get("/api/studies", headers=env.viewer).json()
    assert [s["id"] for s in listed] == [study["id"]]

    report = env.client.get(done["report_url"], headers=env.viewer)
    assert report.status_code == 200
    assert report.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in report.headers["content-security-policy"]
    assert "tiny" in report.text

    results = env.client.get(done["results_url"], headers=env.viewer)
    assert results.status_code == 200
    assert "attachment" in results.headers["content-disposition"]
    table = pq.read_table(io.BytesIO(results.content))
    assert table.num_rows == 2
    assert set(table.column("status").to_pylist()) == {"ok"}

    # A finished study cannot be cancelled.
    again = env.client.post(f"/api/studies/{study['id']}/cancel", headers=env.planner)
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("toml", "field", "words"),
    [
        # TOML that does not parse: the line is named
        ("name = \n", "study_toml", "line 1"),
        # a key the design table does not know
        (
            TINY.replace('kind = "full-factorial"', 'kind = "full-factorial"\nsmaples = 3'),
            "study_toml.design.smaples",
            "unknown key",
        ),
        # an unknown factor kind
        (
            TINY.replace('kind = "fleet_size"', 'kind = "fleet_colour"'),
            "study_toml.factor.1.kind",
            "fleet_colour",
        ),
        # a file on the server: refused in the web app
        (
            TINY.replace("[base]\n", '[base]\nrequests = "/etc/passwd"\n'),
            "study_toml.base.requests",
            "demo week",
        ),
    ],
)
def test_a_bad_study_is_refused_naming_the_key(env: Env, toml: str, field: str, words: str) -> None:
    answer = env.client.post("/api/studies", json={"study_toml": toml}, headers=env.planner)
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["field"] == field
    assert words in body["detail"]
    assert env.client.get("/api/studies", headers=env.viewer).json() == []


def test_a_viewer_cannot_launch_or_cancel_a_study(env: Env) -> None:
    answer = env.client.post("/api/studies", json={"study_toml": TINY}, headers=env.viewer)
    assert answer.status_code == 403
    assert env.client.post("/api/studies/1/cancel", headers=env.viewer).status_code == 403
    assert env.client.get("/api/studies/1", headers=env.viewer).status_code == 404


FOUR = TINY.replace("[6, 8]", "[4, 5, 6, 8]")
"""4 runs, one after another: a cancel or a shutdown comes while the first is solved."""


def test_cancel_stops_a_running_study_after_the_run_under_way(env: Env) -> None:
    answer = env.client.post("/api/studies", json={"study_toml": FOUR}, headers=env.planner)
    study_id = answer.json()["id"]
    _wait(env, study_id, frozenset({"running", "done", "failed"}))
    cancelled = env.client.post(f"/api/studies/{study_id}/cancel", headers=env.planner)
    assert cancelled.status_code == 200
    assert cancelled.json()["cancel_requested"] is True
    end = _wait(env, study_id, frozenset({"done", "failed", "cancelled"}))
    assert end["status"] == "cancelled", end
    # Stopped after the run under way: not all 4 ran; those that did are in the results.
    finished = end["runs_done"] + end["runs_failed"]
    assert 1 <= finished < 4
    assert end["summary"]["runs"] == finished
    results = env.client.get(f"/api/studies/{study_id}/results.parquet", headers=env.viewer)
    assert results.status_code == 200
    # Cancelling again changes nothing.
    again = env.client.post(f"/api/studies/{study_id}/cancel", headers=env.planner)
    assert again.json()["status"] == "cancelled"


def test_a_server_shutdown_fails_the_running_study(env: Env) -> None:
    answer = env.client.post("/api/studies", json={"study_toml": FOUR}, headers=env.planner)
    study_id = answer.json()["id"]
    _wait(env, study_id, frozenset({"running", "done", "failed"}))
    env.client.app.state.study_worker.stop()  # type: ignore[attr-defined]
    end = env.client.get(f"/api/studies/{study_id}", headers=env.viewer).json()
    assert (end["status"], end["error"]) == ("failed", SHUTDOWN_ERROR)
    assert end["runs_done"] + end["runs_failed"] < 4


def test_a_queued_study_cancelled_never_runs_and_has_no_files(env: Env) -> None:
    env.client.app.state.study_worker.stop()  # type: ignore[attr-defined]
    answer = env.client.post("/api/studies", json={"study_toml": TINY}, headers=env.planner)
    study_id = answer.json()["id"]
    for name in ("report", "results.parquet"):
        missing = env.client.get(f"/api/studies/{study_id}/{name}", headers=env.viewer)
        assert missing.status_code == 409
    cancelled = env.client.post(f"/api/studies/{study_id}/cancel", headers=env.planner).json()
    assert cancelled["status"] == "cancelled"


def test_an_empty_body_launches_the_demo_study(env: Env) -> None:
    env.client.app.state.study_worker.stop()  # type: ignore[attr-defined]
    answer = env.client.post("/api/studies", headers=env.planner)
    assert answer.status_code == 202, answer.text
    assert (answer.json()["name"], answer.json()["runs_total"]) == ("demo", 16)


def test_a_study_left_running_by_a_dead_server_is_failed_at_start_up(
    db_url: str, data_dir: Path
) -> None:
    from airlift.runs.studies import StudyCluster, start_study_worker

    engine = make_engine(db_url)
    try:
        with transaction(session_factory(engine)) as s:
            row = store.create_study(s, TINY, "planner")
            s.flush()
            row.status, row.heartbeat_at = "running", None
            study_id = row.id
        worker = start_study_worker(db_url, data_dir / "studies", StudyCluster(workers=0))
        worker.stop()
        with transaction(session_factory(engine)) as s:
            found = s.get(StudyRow, study_id)
            assert found is not None
            assert (found.status, found.error) == ("failed", store.INTERRUPTED)
    finally:
        engine.dispose()


def test_a_study_runs_on_a_dask_cluster_from_the_worker_thread(db_url: str, data_dir: Path) -> None:
    """The server's path (a LocalCluster started by the study thread, rows as futures
    finish), with the cluster's workers as threads to keep the test light."""
    from airlift.runs.studies import StudyCluster, start_study_worker

    engine = make_engine(db_url)
    try:
        with transaction(session_factory(engine)) as s:
            study_id = store.create_study(s, TINY, "planner").id
        cluster = StudyCluster(workers=2, processes=False)
        worker = start_study_worker(db_url, data_dir / "studies", cluster)
        try:
            deadline = time.monotonic() + TIMEOUT_S
            while True:
                with session_factory(engine)() as s:
                    row = store.get_study(s, study_id)
                if row.status not in ("queued", "running"):
                    break
                assert time.monotonic() < deadline, row.status
                time.sleep(0.2)
        finally:
            worker.stop()
        assert (row.status, row.runs_done, row.runs_failed, row.error) == ("done", 2, 0, "")
        assert row.summary is not None
        assert row.summary["workers"] == 2
        assert (Path(row.out_dir) / "report.html").is_file()
    finally:
        engine.dispose()
