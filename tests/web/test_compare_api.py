"""GET /api/runs/compare judges two runs on the figures behind the scheduler's objective, in
its order: required requests served in full, then priority-weighted tonnes, then flying
hours (fewer is better); the first figure that differs decides, whatever the unitless
objective numbers say.

The runs are rows written straight into the store with small hand-made programme documents
(no solver), so each case is checkable by hand:

* request Q1: priority 1, required;  Q2: priority 3, required;  Q3: priority 4, optional.
* a lift's priority-weighted payload is (cargo kg + 100 kg per passenger) x 8, 4, 2 or 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select

from airlift.export.programme_compare import ObjectiveFigures, compare_objective, objective_figures
from airlift.store import accounts, demo
from airlift.store import runs as store_runs
from airlift.store.db import make_engine, session_factory, transaction
from airlift.store.models import ScenarioRow, ScheduleRun
from airlift.web.app import create_app
from airlift.web.settings import Settings

PRIORITIES = {"Q1": (1, False), "Q2": (3, False), "Q3": (4, True)}


def _document(
    statuses: dict[str, str], lifts: list[tuple[str, float, int]], hours: float
) -> dict[str, Any]:
    """A programme document: request statuses, one mission carrying ``lifts`` (request,
    cargo kg, pax) and flying ``hours`` h."""
    requests = [
        {"request_id": ref, "priority": p, "optional": opt, "status": statuses[ref]}
        for ref, (p, opt) in PRIORITIES.items()
    ]
    lift_dicts = [{"request_id": r, "cargo_kg": kg, "pax": pax} for r, kg, pax in lifts]
    mission = {"tail": "T1", "flight_time_min": hours * 60.0, "lifts": lift_dicts, "route": []}
    kpis = {"flying_hours": hours, "unmet": sum(s != "delivered" for s in statuses.values())}
    return {"requests": requests, "missions": [mission], "kpis": kpis}


def test_objective_figures_by_hand() -> None:
    # Q1 2,000 kg at priority 1 (x8) = 16 t; Q2 10 pax = 1,000 kg at priority 3 (x2) = 2 t;
    # Q3 500 kg optional at priority 4 (x1) = 0.5 t. Required: Q1 and Q2; served: Q1 only.
    doc = _document(
        {"Q1": "delivered", "Q2": "partial", "Q3": "delivered"},
        [("Q1", 2000.0, 0), ("Q2", 0.0, 10), ("Q3", 500.0, 0)],
        hours=7.5,
    )
    assert objective_figures(doc) == ObjectiveFigures(
        required_served=1, required=2, priority_weighted_t=18.5, flying_hours=7.5
    )


@pytest.mark.parametrize(
    ("a", "b", "better", "decides"),
    [
        # more required requests served wins though it carries less and flies more
        ((2, 2, 1.0, 20.0), (1, 2, 50.0, 5.0), "a", "required_served"),
        # equal on required: more priority-weighted tonnes wins though it flies more
        ((2, 2, 10.0, 5.0), (2, 2, 10.2, 9.0), "b", "priority_weighted_t"),
        # tonnes equal at 0.1 t (0.04 t apart): fewer flying hours wins
        ((2, 2, 10.01, 9.0), (2, 2, 10.04, 8.0), "b", "flying_hours"),
        # equal on every figure at its decimals: neither
        ((2, 2, 10.0, 8.01), (2, 2, 10.0, 8.04), "same", None),
    ],
)
def test_compare_objective_is_lexicographic(
    a: tuple[int, int, float, float],
    b: tuple[int, int, float, float],
    better: str,
    decides: str | None,
) -> None:
    judged = compare_objective(ObjectiveFigures(*a), ObjectiveFigures(*b))
    assert judged.better == better
    assert [f.name for f in judged.figures] == [
        "required_served",
        "priority_weighted_t",
        "flying_hours",
    ]
    assert [f.name for f in judged.figures if f.decides] == ([decides] if decides else [])


# --- through the API ------------------------------------------------------------------------


@pytest.fixture
def env(
    db_url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[TestClient, str]]:
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", lambda: cheap)
    engine = make_engine(db_url)
    try:
        with transaction(session_factory(engine)) as s:
            demo.load_demo(s)
            user = accounts.create_user(s, "viewer1", "correct horse battery", "viewer")
            token = accounts.create_token(s, user, "tests")
    finally:
        engine.dispose()
    app = create_app(Settings(db_url=db_url, secure_cookies=False), run_workers=False)
    with TestClient(app) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        yield client, db_url


def _run(db_url: str, document: dict[str, Any] | None, objective: float = 0.0) -> int:
    """A run row: done with ``document``, or left queued when ``document`` is None."""
    engine = make_engine(db_url)
    try:
        with transaction(session_factory(engine)) as s:
            scenario_id = s.scalar(select(ScenarioRow.id))
            assert scenario_id is not None
            run = store_runs.create_run(s, scenario_id, "viewer1", 1, 0)
            s.flush()
            if document is not None:
                row = s.get(ScheduleRun, run.id)
                assert row is not None
                row.status = "done"
                row.result = document
                row.kpis = document["kpis"]
                row.best_objective = objective
            return int(run.id)
    finally:
        engine.dispose()


def test_compare_api_judges_on_figures_not_objective(env: tuple[TestClient, str]) -> None:
    client, db_url = env
    # A: both required requests served, 2 t of Q1 (16 t weighted), 9 h; its objective number
    # is the worse (higher) one. B: Q2 unmet but more payload and fewer hours, objective lower.
    a = _run(
        db_url,
        _document(
            {"Q1": "delivered", "Q2": "delivered", "Q3": "unmet"},
            [("Q1", 2000.0, 0), ("Q2", 100.0, 0)],
            hours=9.0,
        ),
        objective=90_000.0,
    )
    b = _run(
        db_url,
        _document(
            {"Q1": "delivered", "Q2": "unmet", "Q3": "delivered"},
            [("Q1", 4000.0, 0), ("Q3", 3000.0, 0)],
            hours=6.0,
        ),
        objective=10_000.0,
    )
    response = client.get(f"/api/runs/compare?a={a}&b={b}")
    assert response.status_code == 200, response.text
    objective = response.json()["objective"]
    assert objective["better"] == "a"
    assert objective["a"] == {
        "required_served": 2,
        "required": 2,
        "priority_weighted_t": 16.2,
        "flying_hours": 9.0,
    }
    assert objective["b"]["required_served"] == 1
    assert objective["b"]["priority_weighted_t"] == 35.0  # 4 t x 8 + 3 t x 1
    figures = {f["name"]: f for f in objective["figures"]}
    assert list(figures) == ["required_served", "priority_weighted_t", "flying_hours"]
    assert figures["required_served"] | {"unit": "requests"} == {
        "name": "required_served",
        "unit": "requests",
        "a": 2.0,
        "b": 1.0,
        "difference": -1.0,
        "better": "a",
        "decides": True,
    }
    assert figures["priority_weighted_t"]["better"] == "b"
    assert figures["priority_weighted_t"]["decides"] is False
    assert figures["priority_weighted_t"]["unit"] == "t"
    assert figures["flying_hours"]["better"] == "b"
    assert figures["flying_hours"]["unit"] == "h"

    # The other way round, the verdict follows the runs, not the order of the question.
    swapped = client.get(f"/api/runs/compare?a={b}&b={a}").json()["objective"]
    assert swapped["better"] == "b"

    # The run's result carries the same figures.
    result = client.get(f"/api/runs/{a}/result").json()
    assert result["objective_figures"] == objective["a"]


def test_compare_api_unknown_or_unfinished_run(env: tuple[TestClient, str]) -> None:
    client, db_url = env
    done = _run(db_url, _document({"Q1": "delivered", "Q2": "unmet", "Q3": "unmet"}, [], 1.0))
    queued = _run(db_url, None)
    unknown = client.get(f"/api/runs/compare?a={done}&b=999")
    assert unknown.status_code == 404, unknown.text
    unfinished = client.get(f"/api/runs/compare?a={done}&b={queued}")
    assert unfinished.status_code == 409, unfinished.text
    assert f"schedule run {queued} is queued" in unfinished.text
