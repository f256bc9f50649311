"""The PostgreSQL server the tests use: ``$AIRLIFT_TEST_PG_URL``."""

from __future__ import annotations

import os

import pytest

PG_URL_ENV = "AIRLIFT_TEST_PG_URL"


def base_url_or_skip(what: str) -> str:
    """The server URL; without one, skip (a fail under ``CI=true``: CI must run ``what`` on
    PostgreSQL too; `make test` starts a throwaway server, scripts/with-postgres)."""
    base = os.environ.get(PG_URL_ENV)
    if not base:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{PG_URL_ENV} is not set: CI must run {what} on PostgreSQL")
        pytest.skip(f"PostgreSQL not configured: set {PG_URL_ENV} (or run `make test`)")
    return base
