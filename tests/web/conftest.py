"""What the web tests share: the real app on the test database (``db_url``: SQLite, and
PostgreSQL where configured) with cheap password hashing, its test client, and bearer
headers for users made on the spot."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from airlift.store import accounts
from airlift.store.db import transaction
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
