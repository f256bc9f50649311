"""What the web tests share: the real app on the test database (``db_url``: SQLite, and
PostgreSQL where configured) with cheap password hashing, its test client, and bearer
headers for users made on the spot; ``demo_env``: the app on the demo data with a viewer
and a planner (``run_helpers.stored_run`` stores a programme as a done run in it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from run_helpers import DemoEnv

from airlift.store import accounts, demo
from airlift.store.db import make_engine, session_factory, transaction
from airlift.web.app import create_app
from airlift.web.settings import Settings

BASE_URL = "https://testserver"
"""HTTPS, so the Secure session cookie travels as in production."""


@pytest.fixture
def app(db_url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    """The real app (``create_app``) on a fresh migrated database, without run workers."""
    # Cheap argon2 parameters: these tests check the API, not the hash's strength.
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", lambda: cheap)
    return create_app(Settings(db_url=db_url), run_workers=False)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url=BASE_URL) as c:
        yield c


@pytest.fixture
def bearer(app: FastAPI, client: TestClient) -> Callable[..., dict[str, str]]:
    """``bearer(username, role, nation=None)``: a new user's ``Authorization`` header."""

    def make(username: str, role: str, nation: str | None = None) -> dict[str, str]:
        with transaction(app.state.sessions) as session:
            user = accounts.create_user(session, username, "a long password 123", role, nation)
            return {"Authorization": f"Bearer {accounts.create_token(session, user, 'tests')}"}

    return make


@pytest.fixture(scope="session")
def document(demo_document: dict[str, Any]) -> dict[str, Any]:
    """The demo week's programme document (``tests/conftest.py``), as a stored run keeps it."""
    return demo_document


@pytest.fixture
def demo_env(db_url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DemoEnv]:
    """The app on the demo data, with a viewer and a planner (named as their role)."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", lambda: cheap)
    engine = make_engine(db_url)
    headers = {}
    try:
        with transaction(session_factory(engine)) as s:
            demo.load_demo(s)
            for role in ("viewer", "planner"):
                user = accounts.create_user(s, role, "correct horse battery", role)
                headers[role] = {"Authorization": f"Bearer {accounts.create_token(s, user, 't')}"}
    finally:
        engine.dispose()
    app = create_app(Settings(db_url=db_url, secure_cookies=False), run_workers=False)
    with TestClient(app) as client:
        yield client, db_url, headers
