"""The REST API through FastAPI's TestClient, on SQLite and on PostgreSQL (``db_url``).

Fixtures, each small enough to check by hand:

* ``client`` (``conftest.py``): the real app (``create_app``) on a fresh migrated database,
  over ``https://testserver`` so the Secure session cookie travels as in production. The
  schedule-run worker process is not started: runs are tested in ``test_runs.py``.
* ``accounts``: four users, each with an API token: ``viewer``; ``planner_ne``, a Niger
  (NE) national planner; ``planner``, coalition staff; ``admin``.

The access table (:data:`PLANNER_WRITES`, :data:`ADMIN_ROUTES`...) is checked against every
route of the app: a new route fails :func:`test_access_table_names_every_route` until it is
classified.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from airlift import export
from airlift.mission import Load, max_load, plan
from airlift.mission_file import build
from airlift.store import accounts as store_accounts
from airlift.store.db import transaction

PASSWORD = "correct horse battery staple"
BASE_URL = "https://testserver"

# --- fixtures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    nation: str | None
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


ACCOUNTS = {
    "viewer": ("viewer", None),
    "planner_ne": ("planner", "NE"),
    "planner": ("planner", None),
    "admin": ("admin", None),
}


@pytest.fixture
def accounts(app: FastAPI, client: TestClient) -> dict[str, Account]:
    made = {}
    with transaction(app.state.sessions) as session:
        for name, (role, nation) in ACCOUNTS.items():
            user = store_accounts.create_user(session, name, PASSWORD, role, nation)
            made[name] = Account(
                name, role, nation, store_accounts.create_token(session, user, "tests")
            )
    return made


@pytest.fixture
def admin(accounts: dict[str, Account]) -> dict[str, str]:
    return accounts["admin"].headers


@pytest.fixture
def planner(accounts: dict[str, Account]) -> dict[str, str]:
    return accounts["planner"].headers


# --- valid bodies -------------------------------------------------------------------------------

REQUEST = {
    "ref": "R-1",
    "origin": "GABS",
    "destination": "GAGO",
    "cargo_kg": 4000.0,
    "pallets": 2,
    "pax": 10,
    "earliest_utc": "2023-10-27T06:00:00Z",
    "latest_utc": "2023-10-28T18:00:00Z",
}
TAIL_NE = {"registration": "5U-MBD", "aircraft_type": "C-130H", "nation": "NE", "home_base": "DRRN"}
TAIL_ML = {"registration": "TZ-02C", "aircraft_type": "C295", "nation": "ML", "home_base": "GABS"}
SCENARIO = {
    "name": "Week 1",
    "start_utc": "2023-10-27T00:00:00Z",
    "days": 7,
    "overrides": {"GATS": {"mog": 1}},
}
OVERRIDE = {"icao": "GATB", "fuel_available": False, "note": "no uplift confirmed"}


def _custom_type_toml() -> str:
    """The shipped Twin Otter file renamed DHC-6X (a shipped designator is refused)."""
    text = (resources.files("airlift") / "data" / "aircraft" / "DHC-6.toml").read_text("utf-8")
    text = text.replace('designator = "DHC-6"', 'designator = "DHC-6X"')
    lines = [ln for ln in text.splitlines() if not ln.startswith("aliases")]
    return "\n".join(lines) + "\n"


AIRCRAFT_TYPE = {"designator": "DHC-6X", "toml": _custom_type_toml()}

REFERENCE_PLAN = {
    "aircraft": "5U-MBD",
    "stops": ["GABS", "GAGO", "GATS", "DRRN", "GABS"],
    "departure_utc": "2023-10-27T06:30Z",
    "loads": [
        {"cargo_kg": 8600, "pallets": 3, "pax": 42},
        {"cargo_kg": 5000, "pallets": 2, "pax": 18},
        {"cargo_kg": 1200, "pallets": 1, "pax": 32},
        {"cargo_kg": 5500, "pallets": 2, "pax": 20},
    ],
    "metar": ["GAGO 271200Z 09012KT 9999 44/M02 Q1008"],
    "wind": ["070/20"],
}
"""The README's reference circuit, as ``airlift plan`` takes it."""


def _reference_mission() -> Any:
    return build(
        "5U-MBD",
        ["GABS", "GAGO", "GATS", "DRRN", "GABS"],
        "2023-10-27T06:30Z",
        loads=[Load(8600, 3, 42), Load(5000, 2, 18), Load(1200, 1, 32), Load(5500, 2, 20)],
        metars=["GAGO 271200Z 09012KT 9999 44/M02 Q1008"],
        wind=["070/20"],
    )


# --- the access table ---------------------------------------------------------------------------

PUBLIC = {
    ("GET", "/api/health"),
    ("POST", "/api/auth/login"),
    ("GET", "/login"),
    ("GET", "/"),  # a redirect to /map, which asks for a login
    ("GET", "/docs"),  # Swagger UI (web/api_docs.py); no OAuth2, so no /docs/oauth2-redirect
    ("GET", "/openapi.json"),
    ("GET", "/vendor/{name:path}"),  # the npm map assets (a fixed list of files)
}
"""Open to anonymous callers."""

SELF_SERVICE = {
    ("POST", "/api/auth/logout"),
    ("POST", "/api/tokens"),
    ("DELETE", "/api/tokens/{token_id}"),
}
"""Writes any logged-in user (viewers too) makes on their own session or tokens."""

PLANNER_WRITES = {
    ("POST", "/api/requests"),
    ("PUT", "/api/requests/{row_id}"),
    ("DELETE", "/api/requests/{row_id}"),
    ("POST", "/api/requests/import"),
    ("POST", "/api/scenarios"),
    ("PUT", "/api/scenarios/{row_id}"),
    ("DELETE", "/api/scenarios/{row_id}"),
    ("PUT", "/api/tails/{row_id}"),  # national planners: their nation's tails only
    ("DELETE", "/api/tails/{row_id}"),
    ("POST", "/api/plan"),
    ("POST", "/api/maxload"),
    ("POST", "/api/plan/export/{fmt}"),
    ("POST", "/api/plan/brief"),
    ("POST", "/api/plan/manifest"),
    ("POST", "/api/runs"),
    ("POST", "/api/runs/{run_id}/cancel"),
    ("POST", "/api/runs/{run_id}/disruptions"),
    ("DELETE", "/api/runs/{run_id}/disruptions/{event_id}"),
    ("POST", "/api/runs/{run_id}/replan"),
    ("POST", "/api/runs/{run_id}/approve"),
    ("POST", "/api/runs/{run_id}/discard"),
    ("POST", "/api/studies"),  # no body: the demo study, queued (no worker runs it here)
    ("POST", "/api/studies/{study_id}/cancel"),
    ("POST", "/api/actuals"),
    ("POST", "/api/actuals/import"),
    ("DELETE", "/api/actuals/{row_id}"),
    ("POST", "/api/sightings"),
    ("POST", "/api/sightings/photo"),
    ("DELETE", "/api/sightings/{row_id}"),
    ("POST", "/api/zones"),
    ("POST", "/api/zones/import"),
    ("PUT", "/api/zones/{row_id}"),
    ("DELETE", "/api/zones/{row_id}"),
    ("POST", "/api/clearances"),
    ("PUT", "/api/clearances/{row_id}"),
    ("DELETE", "/api/clearances/{row_id}"),
}
"""Planners and admins."""

ADMIN_ROUTES = {
    ("GET", "/api/users"),
    ("GET", "/api/users/{user_id}"),
    ("POST", "/api/users"),
    ("PATCH", "/api/users/{user_id}"),
    ("DELETE", "/api/users/{user_id}"),
    ("POST", "/api/tails"),
    ("POST", "/api/tails/import"),
    ("POST", "/api/airfield_overrides"),
    ("PUT", "/api/airfield_overrides/{row_id}"),
    ("DELETE", "/api/airfield_overrides/{row_id}"),
    ("POST", "/api/aircraft_types"),
    ("PUT", "/api/aircraft_types/{row_id}"),
    ("DELETE", "/api/aircraft_types/{row_id}"),
}
"""Admins only. Every other GET is for any logged-in user."""

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

PATH_VALUES = {
    "row_id": "999999",
    "user_id": "999999",
    "token_id": "999999",
    "run_id": "999999",
    "study_id": "999999",
    "event_id": "999999",
    "n": "1",
    "code": "GAGO",
    "designator": "C-130H",
    "fmt": "json",
    "name:path": "nothing.js",
}
"""A value for every path parameter: ids that do not exist (so no handler changes anything)."""


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every route of the app; HEAD is GET's twin, mounts (static) aside."""
    found = set()
    for route in iter_route_contexts(app.routes):
        for method in route.methods or ():
            if method != "HEAD":
                found.add((method, str(route.path)))
    return found


def required_role(method: str, path: str) -> str:
    """public | self | viewer | planner | admin | page (an HTML page: login required)."""
    key = (method, path)
    if key in PUBLIC:
        return "public"
    if key in ADMIN_ROUTES:
        return "admin"
    if key in PLANNER_WRITES:
        return "planner"
    if key in SELF_SERVICE:
        return "self"
    if method in WRITES:
        raise AssertionError(f"{method} {path}: a write route missing from the access table")
    return "viewer" if path.startswith("/api/") else "page"


def concrete(path: str) -> str:
    for name, value in PATH_VALUES.items():
        path = path.replace("{" + name + "}", value)
    assert "{" not in path, f"no PATH_VALUES entry for a parameter of {path}"
    return path


def test_access_table_names_every_route(app: FastAPI) -> None:
    routes = app_routes(app)
    listed = PUBLIC | SELF_SERVICE | PLANNER_WRITES | ADMIN_ROUTES
    assert not listed - routes, f"table entries that are no route: {sorted(listed - routes)}"
    for method, path in routes:
        required_role(method, path)  # raises for an unclassified write route
        concrete(path)


def test_every_route_enforces_its_role(
    app: FastAPI, client: TestClient, accounts: dict[str, Account]
) -> None:
    """Walk every route of the app: anonymous 401 (HTML pages: a redirect to the login page),
    viewers 403 on writes, planners 403 on admin routes, and no refusal where allowed."""
    denied = {401, 403}
    problems = []
    routes = sorted(app_routes(app))
    assert len(routes) > 50
    for method, path in routes:
        role = required_role(method, path)
        url = concrete(path)

        def call(who: str | None, method: str = method, url: str = url) -> Any:
            headers = accounts[who].headers if who else {}
            return client.request(method, url, headers=headers, follow_redirects=False)

        anonymous = call(None)
        if role == "public":
            if anonymous.status_code in denied:
                problems.append(f"{method} {path}: public but {anonymous.status_code}")
            continue
        if role == "page":
            to_login = anonymous.status_code in (302, 303, 307) and anonymous.headers.get(
                "location", ""
            ).startswith("/login")
            if not (to_login or anonymous.status_code == 401):
                problems.append(f"{method} {path}: anonymous page got {anonymous.status_code}")
        elif anonymous.status_code != 401:
            problems.append(f"{method} {path}: anonymous got {anonymous.status_code}, not 401")
        allowed = {
            "self": {"viewer", "planner_ne", "planner", "admin"},
            "viewer": {"viewer", "planner_ne", "planner", "admin"},
            "page": {"viewer", "planner_ne", "planner", "admin"},
            "planner": {"planner_ne", "planner", "admin"},
            "admin": {"admin"},
        }[role]
        for who in ACCOUNTS:
            status = call(who).status_code
            if who in allowed and status in denied:
                problems.append(f"{method} {path}: {who} refused ({status})")
            if who not in allowed and status != 403:
                problems.append(f"{method} {path}: {who} got {status}, not 403")
    assert not problems, "\n".join(problems)


def test_health_and_docs_are_public(client: TestClient) -> None:
    health = client.get("/api/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/plan" in paths
    assert "/api/tails/{row_id}" in paths


def test_a_bad_bearer_token_is_401_even_on_public_reads(client: TestClient) -> None:
    assert client.get("/api/requests", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/api/requests", headers={"Authorization": "Basic x"}).status_code == 401


# --- resources: happy paths ---------------------------------------------------------------------

RESOURCES = [
    # (path, who may write, a valid body, a change for PUT)
    ("/api/requests", "planner", REQUEST, {"cargo_kg": 5000.0}),
    ("/api/tails", "admin", TAIL_NE, {"home_base": "GABS"}),
    ("/api/scenarios", "planner", SCENARIO, {"days": 3}),
    ("/api/airfield_overrides", "admin", OVERRIDE, {"mog": 2}),
    ("/api/aircraft_types", "admin", AIRCRAFT_TYPE, {"toml": AIRCRAFT_TYPE["toml"] + "\n"}),
]


@pytest.mark.parametrize(
    ("path", "writer", "body", "change"), RESOURCES, ids=[r[0] for r in RESOURCES]
)
def test_resource_lifecycle(
    client: TestClient,
    accounts: dict[str, Account],
    path: str,
    writer: str,
    body: dict[str, Any],
    change: dict[str, Any],
) -> None:
    """Create, read, list, update (version 1 -> 2), delete; viewers read."""
    headers = accounts[writer].headers
    viewer = accounts["viewer"].headers
    created = client.post(path, json=body, headers=headers)
    assert created.status_code == 201, created.text
    row = created.json()
    assert row["version"] == 1
    row_id = row["id"]
    assert client.get(f"{path}/{row_id}", headers=viewer).json() == row
    assert [r["id"] for r in client.get(path, headers=viewer).json()] == [row_id]

    updated = client.put(f"{path}/{row_id}", json={**body, **change, "version": 1}, headers=headers)
    assert updated.status_code == 200, updated.text
    assert updated.json()["version"] == 2
    for key, value in change.items():
        assert updated.json()[key] == value

    assert (
        client.delete(f"{path}/{row_id}", params={"version": 2}, headers=headers).status_code == 204
    )
    missing = client.get(f"{path}/{row_id}", headers=viewer)
    assert missing.status_code == 404
    assert "not found" in missing.json()["detail"]


def test_a_duplicate_natural_key_is_409(client: TestClient, planner: dict[str, str]) -> None:
    assert client.post("/api/requests", json=REQUEST, headers=planner).status_code == 201
    again = client.post("/api/requests", json=REQUEST, headers=planner)
    assert again.status_code == 409
    assert "R-1" in again.json()["detail"]


# --- validation: 422 naming the field -----------------------------------------------------------

INVALID = [
    # (path, writer, body, the field the 422 names)
    ("/api/requests", "planner", {**REQUEST, "origin": "GABX"}, "origin"),  # unknown airfield
    ("/api/requests", "planner", {**REQUEST, "cargo_kg": -1}, "cargo_kg"),  # negative
    ("/api/requests", "planner", {**REQUEST, "earliest_utc": "2023-10-27T06:00"}, "earliest_utc"),
    ("/api/requests", "planner", {**REQUEST, "latest_utc": "2023-10-26T06:00Z"}, "latest_utc"),
    ("/api/requests", "planner", {**REQUEST, "priority": 9}, "priority"),
    ("/api/requests", "planner", {**REQUEST, "description": "a\x00b"}, "description"),  # NUL
    (
        "/api/plan",
        "planner",
        {
            "stops": ["GABS", "GAGO"],
            "departure_utc": "2023-10-27T06:00:00Z",
            "items": [{"id": "1", "origin": "GABS", "destination": "GAGO", "description": "\x00"}],
        },
        "items",
    ),
    (
        "/api/plan",
        "planner",
        {
            "stops": ["GABS", "GAGO"],
            "departure_utc": "2023-10-27T06:00:00Z",
            "items": [{"id": "A", "origin": "GABS", "destination": "GAGO"}] * 2,
        },
        "items[1].id",  # a duplicate id
    ),
    ("/api/tails", "admin", {**TAIL_NE, "aircraft_type": "C-999"}, "aircraft_type"),
    ("/api/tails", "admin", {**TAIL_NE, "nation": "N1"}, "nation"),
    (
        "/api/tails",
        "admin",
        {**TAIL_NE, "unavailable": [["2023-10-30T00:00Z", "2023-10-29T00:00Z"]]},
        "unavailable",
    ),
    ("/api/scenarios", "planner", {**SCENARIO, "days": 0}, "days"),
    ("/api/scenarios", "planner", {**SCENARIO, "fuel_policy": "nonsense"}, "fuel_policy"),
    ("/api/airfield_overrides", "admin", {**OVERRIDE, "icao": "QQQQ"}, "icao"),
    ("/api/airfield_overrides", "admin", {**OVERRIDE, "hours_utc": "25:00-26:00"}, "hours_utc"),
    ("/api/aircraft_types", "admin", {"designator": "X", "toml": "not toml"}, "toml"),
    ("/api/users", "admin", {"username": "u", "password": "short", "role": "viewer"}, "password"),
    ("/api/users", "admin", {"username": "u", "password": PASSWORD, "role": "boss"}, "role"),
]


@pytest.mark.parametrize(
    ("path", "writer", "body", "field"), INVALID, ids=[f"{r[0]}-{r[3]}" for r in INVALID]
)
def test_invalid_input_is_422_naming_the_field(
    client: TestClient,
    accounts: dict[str, Account],
    path: str,
    writer: str,
    body: dict[str, Any],
    field: str,
) -> None:
    before = client.get(path, headers=accounts["admin"].headers).json()
    response = client.post(path, json=body, headers=accounts[writer].headers)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["field"] == field, problem
    assert isinstance(problem["detail"], str)
    assert "\n" not in problem["detail"]
    assert client.get(path, headers=accounts["admin"].headers).json() == before


def test_scenario_override_errors_name_the_airfield(
    client: TestClient, planner: dict[str, str]
) -> None:
    body = {**SCENARIO, "overrides": {"GATS": {"mog": 0}}}
    response = client.post("/api/scenarios", json=body, headers=planner)
    assert response.status_code == 422
    assert response.json()["field"].startswith("overrides.GATS")


def test_a_body_off_the_schema_lists_every_field(
    client: TestClient, planner: dict[str, str]
) -> None:
    body = {**REQUEST, "cargo_kg": "heavy", "pax": -3}
    del body["ref"]
    problem = client.post("/api/requests", json=body, headers=planner).json()
    assert problem["field"] == "ref"
    assert problem["detail"] == "ref: Field required"
    assert [f["field"] for f in problem["fields"]] == ["ref", "cargo_kg", "pax"]


def test_a_malformed_json_body_is_422(client: TestClient, planner: dict[str, str]) -> None:
    response = client.post(
        "/api/requests",
        content=b"{not json",
        headers={**planner, "Content-Type": "application/json"},
    )
    assert response.status_code == 422


# --- optimistic locking: a stale version is 409 -------------------------------------------------

STALE = [
    ("/api/tails", "admin", TAIL_NE, {"home_base": "GABS"}),
    ("/api/requests", "planner", REQUEST, {"pax": 12}),
    ("/api/scenarios", "planner", SCENARIO, {"night_ops": True}),
]


@pytest.mark.parametrize(("path", "writer", "body", "change"), STALE, ids=[s[0] for s in STALE])
def test_a_stale_version_is_409(
    client: TestClient,
    accounts: dict[str, Account],
    path: str,
    writer: str,
    body: dict[str, Any],
    change: dict[str, Any],
) -> None:
    """Two planners read version 1; the first to save wins, the second gets 409."""
    headers = accounts[writer].headers
    row_id = client.post(path, json=body, headers=headers).json()["id"]
    first = client.put(f"{path}/{row_id}", json={**body, **change, "version": 1}, headers=headers)
    assert first.status_code == 200
    second = client.put(f"{path}/{row_id}", json={**body, "version": 1}, headers=headers)
    assert second.status_code == 409
    assert "version" in second.json()["detail"]
    stale_delete = client.delete(f"{path}/{row_id}", params={"version": 1}, headers=headers)
    assert stale_delete.status_code == 409
    assert client.get(f"{path}/{row_id}", headers=headers).json()["version"] == 2


# --- the nation rule ----------------------------------------------------------------------------


@pytest.fixture
def two_tails(client: TestClient, admin: dict[str, str]) -> dict[str, int]:
    ne = client.post("/api/tails", json=TAIL_NE, headers=admin).json()["id"]
    ml = client.post("/api/tails", json=TAIL_ML, headers=admin).json()["id"]
    return {"NE": ne, "ML": ml}


def test_a_national_planner_edits_only_their_nations_tails(
    client: TestClient, accounts: dict[str, Account], two_tails: dict[str, int]
) -> None:
    ne_planner = accounts["planner_ne"].headers
    edit_ne = {**TAIL_NE, "operator": "Niger AF", "version": 1}
    assert (
        client.put(f"/api/tails/{two_tails['NE']}", json=edit_ne, headers=ne_planner).status_code
        == 200
    )
    edit_ml = {**TAIL_ML, "operator": "Mali AF", "version": 1}
    refused = client.put(f"/api/tails/{two_tails['ML']}", json=edit_ml, headers=ne_planner)
    assert refused.status_code == 403
    assert "NE" in refused.json()["detail"]
    # Nor may they hand their tail to another nation, or delete another nation's tail.
    moved = {**TAIL_NE, "nation": "ML", "version": 2}
    assert (
        client.put(f"/api/tails/{two_tails['NE']}", json=moved, headers=ne_planner).status_code
        == 403
    )
    delete_ml = client.delete(
        f"/api/tails/{two_tails['ML']}", params={"version": 1}, headers=ne_planner
    )
    assert delete_ml.status_code == 403
    assert client.get(f"/api/tails/{two_tails['ML']}", headers=ne_planner).json()["version"] == 1


def test_coalition_planners_and_admins_edit_every_nations_tails(
    client: TestClient, accounts: dict[str, Account], two_tails: dict[str, int]
) -> None:
    url = f"/api/tails/{two_tails['ML']}"
    by_planner = client.put(
        url, json={**TAIL_ML, "operator": "x", "version": 1}, headers=accounts["planner"].headers
    )
    assert by_planner.status_code == 200
    by_admin = client.put(
        url, json={**TAIL_ML, "operator": "y", "version": 2}, headers=accounts["admin"].headers
    )
    assert by_admin.status_code == 200
    gone = client.delete(url, params={"version": 3}, headers=accounts["planner"].headers)
    assert gone.status_code == 204


# --- browser sessions: cookie, CSRF, logout, rate limit -----------------------------------------


def _login(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    return client.post("/api/auth/login", json={"username": username, "password": password})


def test_login_sets_a_strict_cookie_and_returns_the_csrf_token(
    client: TestClient, accounts: dict[str, Account]
) -> None:
    response = _login(client, "planner")
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["username"] == "planner"
    assert body["user"]["role"] == "planner"
    assert "password" not in json.dumps(body)
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith("airlift_session=")
    for attribute in ("httponly", "secure", "samesite=strict", "path=/"):
        assert attribute in cookie
    me = client.get("/api/auth/me")
    assert me.status_code == 200
    assert me.json() == body  # a reloaded page gets its CSRF token back


def test_cookie_writes_need_the_csrf_token(
    client: TestClient, accounts: dict[str, Account]
) -> None:
    csrf = _login(client, "planner").json()["csrf_token"]
    assert client.get("/api/requests").status_code == 200  # reads need none
    no_header = client.post("/api/requests", json=REQUEST)
    assert no_header.status_code == 403
    assert "CSRF" in no_header.json()["detail"]
    wrong = client.post("/api/requests", json=REQUEST, headers={"X-CSRF-Token": "guess"})
    assert wrong.status_code == 403
    assert client.get("/api/requests").json() == []
    ok = client.post("/api/requests", json=REQUEST, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 201
    # An HTML form sends the token as a form field instead.
    form = client.post(
        "/api/requests/import",
        data={"csrf_token": csrf},
        files={"file": ("requests.csv", _requests_csv([_csv_row("R-2")]), "text/csv")},
    )
    assert form.status_code == 200, form.text
    no_field = client.post(
        "/api/requests/import",
        files={"file": ("requests.csv", _requests_csv([_csv_row("R-3")]), "text/csv")},
    )
    assert no_field.status_code == 403


def test_bearer_writes_need_no_csrf_token(client: TestClient, planner: dict[str, str]) -> None:
    assert client.post("/api/requests", json=REQUEST, headers=planner).status_code == 201


def test_logout_ends_the_session(client: TestClient, accounts: dict[str, Account]) -> None:
    csrf = _login(client, "viewer").json()["csrf_token"]
    assert client.post("/api/auth/logout").status_code == 403  # CSRF applies to logout too
    assert client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get("/api/auth/me").status_code == 401


def test_wrong_password_is_401_and_the_sixth_try_is_429(
    client: TestClient, accounts: dict[str, Account]
) -> None:
    for _ in range(5):
        assert _login(client, "admin", "wrong password!").status_code == 401
    limited = _login(client, "admin")  # even the right password, now
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) > 0
    assert _login(client, "viewer").status_code == 200  # other usernames are not locked out


def test_unknown_and_inactive_users_cannot_log_in(
    client: TestClient, accounts: dict[str, Account], admin: dict[str, str]
) -> None:
    assert _login(client, "nobody").status_code == 401
    viewer_id = next(
        u["id"] for u in client.get("/api/users", headers=admin).json() if u["username"] == "viewer"
    )
    assert client.delete(f"/api/users/{viewer_id}", headers=admin).json()["active"] is False
    assert _login(client, "viewer").status_code == 401
    assert client.get("/api/requests", headers=accounts["viewer"].headers).status_code == 401


# --- imports ------------------------------------------------------------------------------------

CSV_HEADER = "id,origin,destination,cargo_kg,pallets,pax,earliest_utc,latest_utc,priority"


def _csv_row(ref: str, origin: str = "GABS") -> str:
    return f"{ref},{origin},GAGO,2000,1,0,2023-10-27T06:00Z,2023-10-28T18:00Z,2"


def _requests_csv(rows: list[str]) -> bytes:
    return ("\n".join([CSV_HEADER, *rows]) + "\n").encode()


def test_an_import_with_a_bad_row_stores_nothing_and_lists_every_error(
    client: TestClient, planner: dict[str, str]
) -> None:
    content = _requests_csv(
        [_csv_row("R-1"), _csv_row("R-2", origin="XXXX"), _csv_row("R-3"), _csv_row("R-4", "")]
    )
    response = client.post(
        "/api/requests/import",
        files={"file": ("requests.csv", content, "text/csv")},
        headers=planner,
    )
    assert response.status_code == 422
    report = response.json()
    assert report["stored"] is False
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(3, "origin"), (5, "origin")]
    assert "nothing stored" in report["detail"]
    assert client.get("/api/requests", headers=planner).json() == []

    partial = client.post(
        "/api/requests/import",
        params={"good_rows_only": "true"},
        files={"file": ("requests.csv", content, "text/csv")},
        headers=planner,
    )
    assert partial.status_code == 200, partial.text
    assert partial.json()["created"] == 2
    assert partial.json()["stored"] is True
    assert len(partial.json()["errors"]) == 2
    refs = [r["ref"] for r in client.get("/api/requests", headers=planner).json()]
    assert refs == ["R-1", "R-3"]


def test_the_demo_fleet_imports_as_tails(client: TestClient, admin: dict[str, str]) -> None:
    fleet = (resources.files("airlift") / "data" / "demo" / "fleet.csv").read_bytes()
    response = client.post(
        "/api/tails/import", files={"file": ("fleet.csv", fleet, "text/csv")}, headers=admin
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"created": 8, "updated": 0, "errors": [], "stored": True}
    again = client.post(
        "/api/tails/import", files={"file": ("fleet.csv", fleet, "text/csv")}, headers=admin
    )
    assert again.json()["created"] == 0  # same registrations: updates, here with no change


def test_an_unreadable_upload_is_422(client: TestClient, planner: dict[str, str]) -> None:
    response = client.post(
        "/api/requests/import",
        files={"file": ("requests.xlsx", b"PK\x03\x04", "application/octet-stream")},
        headers=planner,
    )
    assert response.status_code == 422
    assert ".csv or .json" in response.json()["detail"]


# --- planning: the library's numbers ------------------------------------------------------------


def test_plan_returns_the_library_document(client: TestClient, planner: dict[str, str]) -> None:
    response = client.post("/api/plan", json=REFERENCE_PLAN, headers=planner)
    assert response.status_code == 200, response.text
    expected = json.loads(export.document.dumps(export.plan_document(plan(_reference_mission()))))
    assert response.json() == expected


def test_plan_with_a_manifest(client: TestClient, planner: dict[str, str]) -> None:
    body = {
        "aircraft": "C-130H",
        "stops": ["GABS", "GAGO", "GATS"],
        "departure_utc": "2023-10-27T06:30Z",
        "items": [{"id": "A", "origin": "GABS", "destination": "GATS", "cargo_kg": 3000}],
    }
    legs = client.post("/api/plan", json=body, headers=planner).json()["legs"]
    assert [leg["cargo_kg"] for leg in legs] == [3000.0, 3000.0]


def test_plan_flies_the_cells_own_tails_and_types(
    client: TestClient, admin: dict[str, str], planner: dict[str, str]
) -> None:
    # A tail and a type that exist only in this cell's database, not in the shipped files.
    created = client.post("/api/aircraft_types", json=AIRCRAFT_TYPE, headers=admin)
    assert created.status_code == 201, created.text
    tail = {**TAIL_NE, "registration": "5U-NEW", "aircraft_type": AIRCRAFT_TYPE["designator"]}
    created = client.post("/api/tails", json=tail, headers=admin)
    assert created.status_code == 201, created.text
    body = {"stops": ["GABS", "GAGO"], "departure_utc": "2023-10-27T06:30Z"}
    for name in ("5u-new", AIRCRAFT_TYPE["designator"]):
        response = client.post("/api/plan", json={**body, "aircraft": name}, headers=planner)
        assert response.status_code == 200, response.text
        assert response.json()["aircraft"] == AIRCRAFT_TYPE["designator"]
    response = client.post("/api/plan", json={**body, "aircraft": "5U-NEX"}, headers=planner)
    assert response.status_code == 422
    assert "5U-NEW" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({**REFERENCE_PLAN, "stops": ["GABS", "NOWHERE"]}, "unknown airfield"),
        ({**REFERENCE_PLAN, "departure_utc": "2023-10-27T06:30"}, "no timezone"),
        ({**REFERENCE_PLAN, "aircraft": "B-52"}, "unknown aircraft"),
        ({**REFERENCE_PLAN, "metar": ["GAGO garbage"]}, "METAR"),
        ({**REFERENCE_PLAN, "wind": ["1/2/3"]}, "wind"),
        ({**REFERENCE_PLAN, "policy": "lavish"}, "policy"),
    ],
    ids=["airfield", "naive-time", "aircraft", "metar", "wind", "policy"],
)
def test_bad_plan_input_is_422(
    client: TestClient, planner: dict[str, str], body: dict[str, Any], words: str
) -> None:
    response = client.post("/api/plan", json=body, headers=planner)
    assert response.status_code == 422, response.text
    assert words.lower() in response.json()["detail"].lower()


def test_maxload_returns_the_library_numbers(client: TestClient, planner: dict[str, str]) -> None:
    """Gao -> Tessalit on a 45 °C afternoon; Tessalit has no fuel, so the aircraft returns."""
    body = {
        "origin": "GAGO",
        "destination": "GATS",
        "aircraft": "C-130H",
        "oat": ["45"],
        "departure_utc": "2023-10-27T13:00Z",
    }
    response = client.post("/api/maxload", json=body, headers=planner)
    assert response.status_code == 200, response.text
    got = response.json()
    expected = max_load(build("C-130H", ["GAGO", "GATS", "GAGO"], "2023-10-27T13:00Z", oats=["45"]))
    assert got["payload_kg"] == expected.payload_kg
    assert got["binding_limit"] == expected.binding_limit
    assert got["by_limit"] == {
        k: (None if v == float("inf") else v) for k, v in expected.by_limit.items()
    }
    assert got["plan"]["route"] == ["GAGO", "GATS", "GAGO"]


EXPORTS = [
    ("json", "application/json", export.write_json),
    ("csv", "text/csv; charset=utf-8", export.write_csv),
    ("geojson", "application/geo+json", None),
    ("kml", "application/vnd.google-earth.kml+xml", None),
]


@pytest.mark.parametrize(("fmt", "media_type", "writer"), EXPORTS, ids=[e[0] for e in EXPORTS])
def test_plan_export_is_the_cli_file(
    client: TestClient,
    planner: dict[str, str],
    tmp_path: Path,
    fmt: str,
    media_type: str,
    writer: Any,
) -> None:
    response = client.post(f"/api/plan/export/{fmt}", json=REFERENCE_PLAN, headers=planner)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media_type
    disposition = response.headers["content-disposition"]
    assert disposition == (
        f'attachment; filename="plan-GABS-GAGO-GATS-DRRN-GABS-20231027T0630Z.{fmt}"'
    )
    mission = _reference_mission()
    result = plan(mission)
    path = tmp_path / f"plan.{fmt}"
    if fmt == "geojson":
        export.write_geojson(result, mission.stops, path)
    elif fmt == "kml":
        export.write_kml(result, mission.stops, path)
    else:
        writer(result, path)
    assert response.content == path.read_bytes()


def test_global_overrides_reach_the_airfields_and_the_planner(
    client: TestClient, admin: dict[str, str]
) -> None:
    """An admin closes Gao: the airfield list says so and a plan through Gao is refused."""
    before = client.get("/api/airfields/GAGO", headers=admin).json()["planning"]
    assert before["closed"] is False
    override = {"icao": "GAGO", "closed": True, "mog": 1, "note": "runway works"}
    assert client.post("/api/airfield_overrides", json=override, headers=admin).status_code == 201
    listed = {a["icao"]: a for a in client.get("/api/airfields", headers=admin).json()}
    assert listed["GAGO"]["planning"]["closed"] is True
    assert listed["GAGO"]["planning"]["mog"] == 1
    assert all(r["closed"] for r in listed["GAGO"]["runways"])
    refused = client.post("/api/plan", json=REFERENCE_PLAN, headers=admin)
    assert refused.status_code == 422
    assert "GAGO" in refused.json()["detail"]


# --- reference data -----------------------------------------------------------------------------


def test_airfields(client: TestClient, planner: dict[str, str]) -> None:
    listed = client.get("/api/airfields", headers=planner).json()
    assert {"GABS", "GAGO", "GATS", "DRRN"} <= {a["icao"] for a in listed}
    bamako = client.get("/api/airfields/BKO", headers=planner).json()  # IATA
    assert bamako["icao"] == "GABS"
    assert bamako["runways"]
    missing = client.get("/api/airfields/GAGX", headers=planner)
    assert missing.status_code == 404
    assert any("GAGO" in s for s in missing.json()["suggestions"])


@pytest.mark.parametrize("code", ["EGLX", "00A"])
def test_a_typo_of_a_world_airfield_is_404_not_500(
    client: TestClient, planner: dict[str, str], code: str
) -> None:
    response = client.get(f"/api/airfields/{code}", headers=planner)
    assert response.status_code == 404
    request = client.post("/api/requests", json={**REQUEST, "origin": code}, headers=planner)
    assert request.status_code == 422


def test_aircraft(client: TestClient, planner: dict[str, str]) -> None:
    listed = client.get("/api/aircraft", headers=planner).json()
    assert "C-130H" in {t["designator"] for t in listed}
    c130 = client.get("/api/aircraft/c130h", headers=planner).json()  # an alias, any case
    assert c130["designator"] == "C-130H"
    assert c130["sources"]["mtow_kg"]
    assert client.get("/api/aircraft/B-52", headers=planner).status_code == 404


# --- tokens and users ---------------------------------------------------------------------------


def test_tokens_are_shown_once_listed_and_revoked(
    client: TestClient, accounts: dict[str, Account]
) -> None:
    viewer = accounts["viewer"].headers
    created = client.post("/api/tokens", json={"name": "dashboard"}, headers=viewer)
    assert created.status_code == 201
    token = created.json()["token"]
    mine = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/auth/me", headers=mine).json()["user"]["username"] == "viewer"
    listed = client.get("/api/tokens", headers=viewer).json()
    assert {t["name"] for t in listed} == {"dashboard", "tests"}
    assert all("token" not in t for t in listed)
    # Another user's token is not theirs to see or revoke, except for an admin.
    planner = accounts["planner"].headers
    assert client.delete(f"/api/tokens/{created.json()['id']}", headers=planner).status_code == 404
    every = client.get("/api/tokens", params={"all": "true"}, headers=accounts["admin"].headers)
    assert len(every.json()) == len(ACCOUNTS) + 1
    assert client.delete(f"/api/tokens/{created.json()['id']}", headers=viewer).status_code == 204
    assert client.get("/api/auth/me", headers=mine).status_code == 401


def test_admins_manage_users(client: TestClient, admin: dict[str, str]) -> None:
    body = {"username": "ops.bf", "password": PASSWORD, "role": "planner", "nation": "bf"}
    created = client.post("/api/users", json=body, headers=admin)
    assert created.status_code == 201, created.text
    user = created.json()
    assert (user["role"], user["nation"], user["active"]) == ("planner", "BF", True)
    assert client.post("/api/users", json=body, headers=admin).status_code == 409
    changed = client.patch(f"/api/users/{user['id']}", json={"nation": None}, headers=admin)
    assert changed.json()["nation"] is None  # now coalition staff
    assert changed.json()["role"] == "planner"
    promoted = client.patch(f"/api/users/{user['id']}", json={"role": "admin"}, headers=admin)
    assert promoted.json()["role"] == "admin"
    assert client.get(f"/api/users/{user['id']}", headers=admin).json() == promoted.json()
    assert client.get("/api/users/999999", headers=admin).status_code == 404


def test_the_last_admin_cannot_be_demoted_or_deactivated(
    client: TestClient, accounts: dict[str, Account], admin: dict[str, str]
) -> None:
    me = client.get("/api/auth/me", headers=admin).json()["user"]
    demote = client.patch(f"/api/users/{me['id']}", json={"role": "planner"}, headers=admin)
    assert demote.status_code == 409
    assert "last active admin" in demote.json()["detail"]
    assert client.delete(f"/api/users/{me['id']}", headers=admin).status_code == 409
