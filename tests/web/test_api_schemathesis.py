"""Property-based API test: schemathesis generates requests from the app's own OpenAPI schema
and checks that none of them is answered with a server error (5xx), on SQLite and PostgreSQL.

Calls are made as an admin (bearer token), so every route gets past authentication, on a
database holding the demo fleet, requests and scenario. ``POST /api/runs`` is left out: it
queues schedule solves (``test_runs.py`` covers it), and the worker process is not started.

Cost: schemathesis' coverage phase (boundary values of every field) plus ``MAX_EXAMPLES``
random cases per operation. The coverage phase keeps to valid values (``POSITIVE``): its
invalid ones only exercise FastAPI's own 422s, and would double the run time.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from sqlalchemy import select

from airlift.store import accounts, demo
from airlift.store.db import transaction
from airlift.store.models import User
from airlift.web.app import create_app
from airlift.web.settings import Settings

MAX_EXAMPLES = int(os.environ.get("AIRLIFT_SCHEMATHESIS_EXAMPLES", "5"))
"""Random cases per operation, besides the boundary cases: with ~55 operations and two
databases the file runs in under a minute. Raise it for a deeper search."""


def _served_schema() -> dict[str, Any]:
    """The OpenAPI document the app serves at /openapi.json (no database needed for it)."""
    app = create_app(Settings(db_url="sqlite://"), run_workers=False)
    document: dict[str, Any] = TestClient(app).get("/openapi.json").json()
    app.state.engine.dispose()
    return document


# Loaded at import and bound to each test's app at call time (``app=``): schemathesis'
# fixture-based loader (``schemathesis.pytest.from_fixture``) fails on pytest 9.
schema = schemathesis.openapi.from_dict(_served_schema()).exclude(method="POST", path="/api/runs")
schema.config.phases.coverage.generation.modes = [GenerationMode.POSITIVE]


@pytest.fixture
def web_app(db_url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FastAPI]:
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", lambda: cheap)
    app = create_app(Settings(db_url=db_url), run_workers=False)
    with transaction(app.state.sessions) as session:
        demo.load_demo(session)
        # Tokens of a bystander take the small ids generators favour, so a generated
        # DELETE /api/tokens/{id} rarely hits the admin's.
        bystander = accounts.create_user(session, "bystander", "bystander-password", "viewer")
        for n in range(5):
            accounts.create_token(session, bystander, f"spare {n}")
        accounts.create_user(session, "admin", "admin-password", "admin")
    yield app
    # schemathesis starts the lifespan once per app and never ends it: free the connections.
    app.state.engine.dispose()


class AdminToken:
    """The admin's bearer header, renewed when a generated call revoked the token."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.headers = self.renew()

    def renew(self) -> dict[str, str]:
        with transaction(self.app.state.sessions) as session:
            admin = session.scalars(select(User).filter_by(username="admin")).one()
            self.headers = {
                "Authorization": f"Bearer {accounts.create_token(session, admin, 'schemathesis')}"
            }
        return self.headers


@pytest.fixture
def admin(web_app: FastAPI) -> AdminToken:
    return AdminToken(web_app)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors(case: Any, web_app: FastAPI, admin: AdminToken) -> None:
    where = {"app": web_app, "base_url": "http://testserver"}
    response = case.call(headers=admin.headers, **where)
    if response.status_code == 401:
        response = case.call(headers=admin.renew(), **where)
    case.validate_response(response, checks=[not_a_server_error], transport_kwargs=where)
