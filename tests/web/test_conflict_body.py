"""A stale version's 409 says who changed the row and when (from the audit log), so that a
page can say "changed by X at T: reload"."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

REQUEST = {
    "ref": "R-1",
    "origin": "GABS",
    "destination": "GAGO",
    "cargo_kg": 4000.0,
    "earliest_utc": "2023-10-27T06:00:00Z",
    "latest_utc": "2023-10-28T18:00:00Z",
}


@pytest.fixture
def headers(bearer: Callable[..., dict[str, str]]) -> dict[str, dict[str, str]]:
    """Bearer headers of two planners, alice and bob."""
    return {name: bearer(name, "planner") for name in ("alice", "bob")}


def test_a_stale_write_names_who_changed_the_row_and_when(
    client: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    row = client.post("/api/requests", json=REQUEST, headers=headers["alice"]).json()
    before = datetime.now(UTC)
    edit = {**REQUEST, "pax": 4, "version": 1}
    assert client.put(f"/api/requests/{row['id']}", json=edit, headers=headers["bob"]).is_success

    stale = client.put(
        f"/api/requests/{row['id']}", json={**REQUEST, "version": 1}, headers=headers["alice"]
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["changed_by"] == "bob"
    changed_at = datetime.fromisoformat(body["changed_at"])
    assert before - timedelta(seconds=5) <= changed_at <= datetime.now(UTC)
    assert f"changed by bob at {body['changed_at']}" in body["detail"]

    gone = client.delete(
        f"/api/requests/{row['id']}", params={"version": 1}, headers=headers["alice"]
    )
    assert gone.status_code == 409
    assert gone.json()["changed_by"] == "bob"


def test_a_row_last_written_by_an_import_names_the_importer(
    client: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    row = client.post("/api/requests", json=REQUEST, headers=headers["alice"]).json()
    csv = (
        "id,origin,destination,cargo_kg,pallets,pax,earliest_utc,latest_utc\n"
        "R-1,GABS,GAGO,5000,0,0,2023-10-27T06:00:00Z,2023-10-28T18:00:00Z\n"
        "R-2,GABS,GAGO,100,0,0,2023-10-27T06:00:00Z,2023-10-28T18:00:00Z\n"
    )
    files = {"file": ("requests.csv", io.BytesIO(csv.encode()), "text/csv")}
    imported = client.post("/api/requests/import", files=files, headers=headers["bob"])
    assert imported.status_code == 200, imported.text
    assert imported.json()["updated"] == 1, imported.text
    # A later import that does not touch R-1 is not its last change.
    other = csv.replace("R-1,GABS,GAGO,5000", "R-3,GABS,GAGO,5000")
    files = {"file": ("more.csv", io.BytesIO(other.encode()), "text/csv")}
    assert client.post("/api/requests/import", files=files, headers=headers["alice"]).is_success

    stale = client.put(
        f"/api/requests/{row['id']}", json={**REQUEST, "version": 1}, headers=headers["alice"]
    )
    assert stale.status_code == 409
    assert stale.json()["changed_by"] == "bob"


def test_other_conflicts_have_no_author(
    client: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    """A natural key that exists already is not someone's change to this row."""
    assert client.post("/api/requests", json=REQUEST, headers=headers["alice"]).is_success
    again = client.post("/api/requests", json=REQUEST, headers=headers["bob"])
    assert again.status_code == 409
    assert "changed_by" not in again.json()
