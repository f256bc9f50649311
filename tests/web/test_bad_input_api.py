"""The bad-input corpus of the REST API (issue 10, "Bounds at the edges").

Generated like ``test_bad_input_cli.py``: tables of bad values per field type (numbers, dates,
airfield codes, aircraft, fuel policies, seeds, time limits, files...), each value paired with
every route that takes that field type. Every case must be answered the way the API promises:

* a 4xx (never a 5xx, never a 2xx) with a JSON body;
* whose ``field`` or ``detail`` names the offending field (for an import: its row errors);
* and a refused write stores nothing: the collection's list is the same before and after.

Poison data is among them: a request whose ``latest_utc`` is in 9999, a scenario starting in
9999, a policy ``custom:reserve=inf`` must be refused, not stored with 201 for every schedule
run to fail on later. A Hypothesis test feeds random bytes and random JSON to the import routes.

Only the public contract is used: ``create_app`` on a fresh database, the first admin created
by ``airlift users create-admin``, a token from ``POST /api/auth/login`` and ``/api/tokens``,
then HTTP. One app per module and database (SQLite, and PostgreSQL when
``$AIRLIFT_TEST_PG_URL`` is set), shared by the cases: each looks at its own rows only.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import sys
import uuid
from collections.abc import Iterable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from importlib import resources
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airlift.web.app import create_app
from airlift.web.settings import Settings
from pg import base_url_or_skip

BASE_URL = "https://testserver"
ADMIN = "corpus-admin"
PASSWORD = "correct horse battery staple"

# --- the app under test -------------------------------------------------------------------------


@dataclass
class Api:
    client: TestClient
    headers: dict[str, str]
    ids: dict[str, int]
    """Rows created once as the targets of PUT, DELETE and runs: request, tail, scenario..."""

    def send(self, case: ApiCase) -> Any:
        path = case.path.format(**self.ids)
        kwargs: dict[str, Any] = {"headers": dict(self.headers), "params": case.params}
        if case.upload is not None:
            name, data = case.upload
            kwargs["files"] = {"file": (name, data, "application/octet-stream")}
        elif case.raw is not None:
            kwargs["content"] = case.raw
            kwargs["headers"]["Content-Type"] = "application/json"
        elif case.body is not MISSING:
            kwargs["content"] = to_json_text(case.body)
            kwargs["headers"]["Content-Type"] = "application/json"
        return self.client.request(case.method, path, **kwargs)

    def listing(self, path: str) -> Any:
        r = self.client.get(path.format(**self.ids), headers=self.headers)
        assert r.status_code == 200, (path, r.status_code, r.text[:500])
        return r.json()


def _create_admin(url: str) -> None:
    """``airlift users create-admin`` (the console script's function, in this process)."""
    from importlib.metadata import entry_points

    found = [ep for ep in entry_points(group="console_scripts") if ep.name == "airlift"]
    main = found[0].load() if found else __import__("airlift.cli", fromlist=["main"]).main
    argv, stdin = sys.argv, sys.stdin
    sys.argv = ["airlift", "users", "create-admin", ADMIN, "--password-stdin", f"--db={url}"]
    sys.stdin = io.StringIO(PASSWORD + "\n")
    out, err = io.StringIO(), io.StringIO()
    try:
        with redirect_stdout(out), redirect_stderr(err):
            main()
    except SystemExit as exc:
        assert not exc.code, (exc.code, out.getvalue(), err.getvalue())
    finally:
        sys.argv, sys.stdin = argv, stdin


def _pg_schema_url(base: str, schema: str) -> str:
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options=-csearch_path%3D{schema}"


def _pg_engine(base: str) -> Any:
    from sqlalchemy import create_engine

    url = base.replace("postgresql://", "postgresql+psycopg://", 1)
    return create_engine(url)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An empty database for this module: a SQLite file, or a private PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('bad-input-api') / 'airlift.sqlite'}"
        return
    base = base_url_or_skip("the bad-input API corpus")
    from sqlalchemy import text

    worker = re.sub(r"\W", "", os.environ.get("PYTEST_XDIST_WORKER", "main")).lower()
    schema = f"airlift_badinput_{worker}_{uuid.uuid4().hex[:8]}"
    engine = _pg_engine(base)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield _pg_schema_url(base, schema)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(scope="module")
def api(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AIRLIFT_DATA_DIR", str(tmp_path_factory.mktemp("bad-input-data")))
        _create_admin(database_url)
        app = create_app(Settings(db_url=database_url), run_workers=False)
        with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as client:
            r = client.post("/api/auth/login", json={"username": ADMIN, "password": PASSWORD})
            assert r.status_code == 200, r.text
            csrf = {"X-CSRF-Token": r.json()["csrf_token"]}
            r = client.post("/api/tokens", json={"name": "bad-input corpus"}, headers=csrf)
            assert r.status_code in (200, 201), r.text
            headers = {"Authorization": f"Bearer {r.json()['token']}"}
            client.cookies.clear()
            ids: dict[str, int] = {}
            for key, path, body in SEEDS:
                r = client.post(path, json=body, headers=headers)
                assert r.status_code == 201, (path, r.status_code, r.text[:500])
                ids[key] = r.json()["id"]
            yield Api(client, headers, ids)


# --- JSON text with what json.dumps will not write ----------------------------------------------


@dataclass(frozen=True)
class Raw:
    """A JSON token written as is: ``NaN``, ``1e400``, a 5000-digit integer..."""

    text: str


class _Missing:
    pass


MISSING: Any = _Missing()


def to_json_text(value: Any) -> bytes:
    def enc(v: Any) -> str:
        if isinstance(v, Raw):
            return v.text
        if isinstance(v, bool) or v is None:
            return json.dumps(v)
        if isinstance(v, float):
            if math.isnan(v):
                return "NaN"
            if math.isinf(v):
                return "Infinity" if v > 0 else "-Infinity"
            return repr(v)
        if isinstance(v, int):
            return str(v)
        if isinstance(v, str):
            return json.dumps(v)
        if isinstance(v, dict):
            return "{" + ",".join(f"{json.dumps(str(k))}:{enc(x)}" for k, x in v.items()) + "}"
        if isinstance(v, list | tuple):
            return "[" + ",".join(enc(x) for x in v) + "]"
        raise TypeError(type(v))

    return enc(value).encode("utf-8")


# --- valid bodies (each accepted as it is: test_baseline_bodies_are_accepted) -------------------


def request_body(ref: str, /, **changes: Any) -> dict[str, Any]:
    return {
        "ref": ref,
        "origin": "GABS",
        "destination": "GAGO",
        "cargo_kg": 4000.0,
        "pallets": 2,
        "pax": 10,
        "earliest_utc": "2023-10-27T06:00:00Z",
        "latest_utc": "2023-10-28T18:00:00Z",
        "priority": 2,
        **changes,
    }


def tail_body(registration: str, /, **changes: Any) -> dict[str, Any]:
    return {
        "registration": registration,
        "aircraft_type": "C-130H",
        "nation": "NE",
        "home_base": "DRRN",
        **changes,
    }


def scenario_body(name: str, /, **changes: Any) -> dict[str, Any]:
    return {
        "name": name,
        "start_utc": "2023-10-27T00:00:00Z",
        "days": 3,
        "fuel_policy": "icao",
        "overrides": {"GATS": {"mog": 1}},
        **changes,
    }


def override_body(icao: str, /, **changes: Any) -> dict[str, Any]:
    return {"icao": icao, "fuel_available": False, "note": "corpus", **changes}


def _type_toml(designator: str, **numbers: str) -> str:
    """The shipped Twin Otter file renamed (a shipped designator is refused), with some
    top-level numbers replaced."""
    text = (resources.files("airlift") / "data" / "aircraft" / "DHC-6.toml").read_text("utf-8")
    text = text.replace('designator = "DHC-6"', f'designator = "{designator}"')
    lines = [ln for ln in text.splitlines() if not ln.startswith("aliases")]
    for key, value in numbers.items():
        lines = [
            re.sub(r"value\s*=\s*[-+0-9.eE_]+", f"value = {value}", ln)
            if ln.startswith(f"{key} =")
            else ln
            for ln in lines
        ]
    return "\n".join(lines) + "\n"


def aircraft_type_body(designator: str, **numbers: str) -> dict[str, Any]:
    return {"designator": designator, "toml": _type_toml(designator, **numbers)}


def plan_body(**changes: Any) -> dict[str, Any]:
    return {
        "aircraft": "C-130H",
        "stops": ["GABS", "GAGO"],
        "departure_utc": "2023-10-27T06:30Z",
        "loads": [{"cargo_kg": 4000, "pallets": 1, "pax": 10}],
        **changes,
    }


def maxload_body(**changes: Any) -> dict[str, Any]:
    return {"origin": "GAGO", "destination": "GATS", "aircraft": "C-130H", **changes}


SEEDS: list[tuple[str, str, dict[str, Any]]] = [
    ("request", "/api/requests", request_body("SEED-R")),
    ("tail", "/api/tails", tail_body("SEED-T")),
    ("scenario", "/api/scenarios", scenario_body("Seed scenario")),
    ("override", "/api/airfield_overrides", override_body("GATB")),
    ("aircraft_type", "/api/aircraft_types", aircraft_type_body("SEEDX")),
]
"""Rows the PUT and run cases point at (``{request}``, ``{tail}``... in paths)."""

# --- the cases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiCase:
    """One bad request: ``names`` are regexes of which one must match the answer's ``field``
    or ``detail`` (case-insensitive); ``listing`` is the collection that must not change."""

    id: str
    method: str
    path: str
    names: tuple[str, ...]
    body: Any = MISSING
    raw: bytes | None = None
    params: dict[str, Any] | None = None
    upload: tuple[str, bytes] | None = None
    listing: str | None = None


CASES: list[ApiCase] = []


def add(case_id: str, method: str, path: str, names: Iterable[str], **kw: Any) -> None:
    CASES.append(ApiCase(case_id, method, path, tuple(names), **kw))


NAN, INF = float("nan"), float("inf")

BAD_NUMBERS: dict[str, Any] = {
    "nan": NAN,
    "inf": INF,
    "-inf": -INF,
    "1e400": Raw("1e400"),
    "1e300": 1e300,
    "neg": -1,
    "text": "abc",
    "empty": "",
    "list": [1],
}
BAD_COUNTS: dict[str, Any] = {
    "neg": -1,
    "frac": 1.5,
    "int32+1": 2**31,
    "10**30": 10**30,
    "5000-digits": Raw("1" + "0" * 5000),
    "nan": NAN,
    "text": "two",
}
BAD_DATES: dict[str, Any] = {
    "year-1": "0001-01-01T00:00:00Z",
    "year-9999": "9999-12-31T23:59:00Z",
    "1969": "1969-07-20T20:17:00Z",
    "2101": "2101-01-01T00:00:00Z",
    "month-13": "2023-13-40T06:30:00Z",
    "tomorrow": "tomorrow",
    "empty": "",
    "naive": "2023-10-27T06:30:00",
    "offset-25h": "2023-10-27T06:30:00+25:00",
}
BAD_CODES: dict[str, Any] = {
    "unknown": "ZZZZ",
    "empty": "",
    "blank": "   ",
    "sql": "'; DROP TABLE airport; --",
    "200-chars": "A" * 200,
    "non-ascii": "ÄÖÜ€",
    "percent": "%",
    "nul": "GA\x00GO",
    "number": 42,
}
BAD_AIRCRAFT: dict[str, Any] = {
    "unknown-type": "B747",
    "unknown-tail": "5U-ZZZ",
    "empty": "",
    "sql": "C-130H'; DROP TABLE tails; --",
    "200-chars": "X" * 200,
    "non-ascii": "Ç-130H",
    "percent": "%",
}
BAD_POLICIES: dict[str, str] = {
    "reserve-inf": "custom:reserve=inf",
    "reserve-nan": "custom:reserve=nan",
    "reserve-neg": "custom:reserve=-5",
    "reserve-1e300": "custom:reserve=1e300",
    "contingency-1e6": "custom:contingency=1e6",
    "min-inf": "custom:min=inf",
    "bogus-key": "custom:bogus=1",
    "unknown": "ryanair",
}

# --- movement requests --------------------------------------------------------------------------

REQ = "/api/requests"
REQ_PUT = "/api/requests/{request}"
REQ_FIELD_VALUES: dict[str, dict[str, Any]] = {
    "cargo_kg": {**BAD_NUMBERS, "1e9-beyond-the-fleet": 1e9},
    "pallets": BAD_COUNTS,
    "pax": {**BAD_COUNTS, "1e9-beyond-the-fleet": 10**9},
    "priority": {"zero": 0, "five": 5, "frac": 1.5, "text": "urgent"},
    "earliest_utc": BAD_DATES,
    "latest_utc": BAD_DATES,
    "origin": BAD_CODES,
    "destination": BAD_CODES,
    "ref": {"empty": "", "33-chars": "R" * 33, "nul": "R\x00", "null": None, "number": 7},
    "allowed_nations": {"digits": ["N3"], "long": ["NEEE"], "text": "NE", "nested": [["NE"]]},
    "allowed_types": {"unknown": ["B747"], "33-chars": ["X" * 33]},
    "description": {"10001-chars": "d" * 10_001},
    "optional": {"maybe": "maybe"},
    "dg_class": {"no-such-class": "3.7", "class-1-no-group": "1.4", "17-chars": "3" * 17},
    "un_number": {"3-digits": "UN186", "letters": "UNABCD", "number": 1863, "null": None},
}
n = 0
for field, values in REQ_FIELD_VALUES.items():
    for label, value in values.items():
        n += 1
        names = (rf"\b{field}\b",)
        add(
            f"post-request-{field}[{label}]",
            "POST",
            REQ,
            names,
            body=request_body(f"BAD-R{n}", **{field: value}),
            listing=REQ,
        )
        if label in ("nan", "year-9999", "unknown", "1e9-beyond-the-fleet", "empty"):
            add(
                f"put-request-{field}[{label}]",
                "PUT",
                REQ_PUT,
                names,
                body=request_body("SEED-R", version=1, **{field: value}),
                listing=REQ,
            )
add(
    "post-request-latest-before-earliest",
    "POST",
    REQ,
    (r"latest_utc", r"earliest_utc"),
    body=request_body(
        "BAD-RW", earliest_utc="2023-10-28T18:00:00Z", latest_utc="2023-10-27T06:00:00Z"
    ),
    listing=REQ,
)
add(
    "post-request-same-origin-destination",
    "POST",
    REQ,
    (r"destination",),
    body=request_body("BAD-RS", destination="GABS"),
    listing=REQ,
)
add(
    "post-request-moves-nothing",
    "POST",
    REQ,
    (r"cargo_kg", r"pax", r"pallets", r"nothing"),
    body=request_body("BAD-RN", cargo_kg=0, pallets=0, pax=0),
    listing=REQ,
)
for field in ("ref", "origin", "earliest_utc", "latest_utc"):
    body = request_body("BAD-RM")
    del body[field]
    add(f"post-request-missing-{field}", "POST", REQ, (field,), body=body, listing=REQ)
add(
    "put-request-stale-version",
    "PUT",
    REQ_PUT,
    (r"version",),
    body=request_body("SEED-R", version=999),
    listing=REQ,
)

# --- tails --------------------------------------------------------------------------------------

TAILS = "/api/tails"
TAIL_FIELD_VALUES: dict[str, dict[str, Any]] = {
    "registration": {"empty": "", "17-chars": "R" * 17, "nul": "5U\x00X", "null": None},
    "aircraft_type": BAD_AIRCRAFT,
    "nation": {"digits": "N3", "empty": "", "long": "NEEE", "null": None},
    "home_base": BAD_CODES,
    "duty_limit_h": {"nan": NAN, "inf": INF, "zero": 0, "neg": -1, "25": 25, "1e300": 1e300},
    "max_flying_h_per_day": {"zero": 0, "25": 25, "nan": NAN},
    "military": {"maybe": "maybe"},
    "unavailable": {
        "reversed": [["2023-10-29T00:00:00Z", "2023-10-28T00:00:00Z"]],
        "year-1-start": [["0001-01-01T00:00:00Z", "2023-10-28T00:00:00Z"]],
        "year-9999-end": [["2023-10-28T00:00:00Z", "9999-12-31T00:00:00Z"]],
        "garbage": [["soon", "later"]],
        "one-end": [["2023-10-28T00:00:00Z"]],
        "naive": [["2023-10-28T00:00:00", "2023-10-29T00:00:00"]],
    },
}
for field, values in TAIL_FIELD_VALUES.items():
    for label, value in values.items():
        n += 1
        add(
            f"post-tail-{field}[{label}]",
            "POST",
            TAILS,
            (rf"\b{field}\b",),
            body=tail_body(f"BT-{n}", **{field: value}),
            listing=TAILS,
        )
add(
    "post-tail-flying-above-duty",
    "POST",
    TAILS,
    (r"max_flying_h_per_day", r"duty_limit_h"),
    body=tail_body("BT-FD", duty_limit_h=8, max_flying_h_per_day=10),
    listing=TAILS,
)
for field, value in (("aircraft_type", "B747"), ("home_base", "ZZZZ"), ("duty_limit_h", 25)):
    add(
        f"put-tail-{field}",
        "PUT",
        "/api/tails/{tail}",
        (field,),
        body=tail_body("SEED-T", version=1, **{field: value}),
        listing=TAILS,
    )

# --- scenarios ----------------------------------------------------------------------------------

SCEN = "/api/scenarios"
SCEN_FIELD_VALUES: dict[str, dict[str, Any]] = {
    "start_utc": BAD_DATES,
    "days": {
        "zero": 0,
        "neg": -1,
        "367": 367,
        "int32+1": 2**31,
        "frac": 1.5,
        "text": "seven",
        "nan": NAN,
    },
    "fuel_policy": BAD_POLICIES,
    "name": {"empty": "", "129-chars": "n" * 129, "nul": "a\x00b"},
    "night_ops": {"maybe": "maybe"},
}
for field, values in SCEN_FIELD_VALUES.items():
    for label, value in values.items():
        n += 1
        name = value if field == "name" else f"Bad {n}"
        add(
            f"post-scenario-{field}[{label}]",
            "POST",
            SCEN,
            (rf"\b{field}\b",),
            body={**scenario_body(f"Bad {n}"), "name": name, field: value},
            listing=SCEN,
        )
BAD_SCENARIO_OVERRIDES: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {
    "unknown-airfield": ({"ZZZZ": {"mog": 1}}, (r"ZZZZ", r"airfield", r"overrides")),
    "mog-zero": ({"GATS": {"mog": 0}}, (r"mog",)),
    "mog-neg": ({"GATS": {"mog": -1}}, (r"mog",)),
    "mog-1e300": ({"GATS": {"mog": 1e300}}, (r"mog",)),
    "oat-100": ({"GATS": {"oat_c": 100}}, (r"oat_c",)),
    "oat-nan": ({"GATS": {"oat_c": NAN}}, (r"oat_c",)),
    "hours-25h": ({"GATS": {"hours_utc": "25:00-26:00"}}, (r"hours_utc",)),
    "unknown-key": ({"GATS": {"bogus": 1}}, (r"bogus",)),
    "not-a-table": ({"GATS": "closed"}, (r"GATS", r"overrides")),
    "fuel-maybe": ({"GATS": {"fuel_available": "maybe"}}, (r"fuel_available",)),
}
for label, (overrides, names) in BAD_SCENARIO_OVERRIDES.items():
    n += 1
    add(
        f"post-scenario-overrides[{label}]",
        "POST",
        SCEN,
        names,
        body=scenario_body(f"Bad {n}", overrides=overrides),
        listing=SCEN,
    )
for field, value in (
    ("start_utc", "9999-12-31T00:00:00Z"),
    ("fuel_policy", "custom:reserve=inf"),
    ("days", 0),
):
    add(
        f"put-scenario-{field}",
        "PUT",
        "/api/scenarios/{scenario}",
        (field,),
        body=scenario_body("Seed scenario", version=1, **{field: value}),
        listing=SCEN,
    )

# --- airfield overrides -------------------------------------------------------------------------

OVR = "/api/airfield_overrides"
OVR_FIELD_VALUES: dict[str, dict[str, Any]] = {
    "icao": BAD_CODES,
    "mog": {"zero": 0, "neg": -1, "int32+1": 2**31, "frac": 1.5},
    "oat_c": {"nan": NAN, "inf": INF, "100": 100, "-100": -100, "text": "hot"},
    "hours_utc": {"25h": "25:00-26:00", "garbage": "daytime", "12-chars": "06:00-18:000"},
    "fuel_available": {"maybe": "maybe"},
    "note": {"10001-chars": "n" * 10_001},
}
for field, values in OVR_FIELD_VALUES.items():
    for label, value in values.items():
        icao = value if field == "icao" else "GAKL"
        add(
            f"post-override-{field}[{label}]",
            "POST",
            OVR,
            (rf"\b{field}\b",) if field != "icao" else (r"\bicao\b", r"airfield"),
            body=override_body(icao, **({} if field == "icao" else {field: value})),
            listing=OVR,
        )
add(
    "put-override-unknown-airfield",
    "PUT",
    "/api/airfield_overrides/{override}",
    (r"icao", r"airfield"),
    body=override_body("ZZZZ", version=1),
    listing=OVR,
)

# --- aircraft types -----------------------------------------------------------------------------

TYPES = "/api/aircraft_types"
BAD_TYPES: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {
    "shipped-designator": (
        {"designator": "C-130H", "toml": _type_toml("C-130H")},
        (r"designator",),
    ),
    "designator-empty": ({"designator": "", "toml": _type_toml("BADX1")}, (r"designator",)),
    "designator-33-chars": (
        {"designator": "D" * 33, "toml": _type_toml("D" * 33)},
        (r"designator",),
    ),
    "designator-differs-from-toml": (
        {"designator": "BADX2", "toml": _type_toml("OTHERX")},
        (r"designator",),
    ),
    "toml-not-toml": ({"designator": "BADX3", "toml": "this is not toml"}, (r"toml",)),
    "toml-empty": ({"designator": "BADX4", "toml": ""}, (r"toml",)),
    "toml-deep": ({"designator": "BADX5", "toml": "a = " + "[" * 100_000}, (r"toml",)),
    "toml-missing-fields": ({"designator": "BADX6", "toml": 'designator = "BADX6"\n'}, (r"toml",)),
    "toml-200001-chars": ({"designator": "BADX7", "toml": "#" * 200_001}, (r"toml",)),
    "mtow-nan": (aircraft_type_body("BADX8", mtow_kg="nan"), (r"mtow",)),
    "mtow-neg": (aircraft_type_body("BADX9", mtow_kg="-1"), (r"mtow",)),
    "mtow-1e300": (aircraft_type_body("BADX10", mtow_kg="1e300"), (r"mtow",)),
    "max-fuel-inf": (aircraft_type_body("BADX11", max_fuel_kg="inf"), (r"max_fuel",)),
}
for label, (body, names) in BAD_TYPES.items():
    add(f"post-aircraft-type[{label}]", "POST", TYPES, names, body=body, listing=TYPES)
add(
    "put-aircraft-type-mtow-nan",
    "PUT",
    "/api/aircraft_types/{aircraft_type}",
    (r"mtow",),
    body={**aircraft_type_body("SEEDX", mtow_kg="nan"), "version": 1},
    listing=TYPES,
)

# --- plan, export, maxload ----------------------------------------------------------------------

PLAN_FIELD_VALUES: dict[str, dict[str, Any]] = {
    "aircraft": BAD_AIRCRAFT,
    "departure_utc": {**BAD_DATES, "year-9999-short": "9999-12-31T23:59Z"},
    "policy": BAD_POLICIES,
    "duty_limit_h": {"nan": NAN, "zero": 0, "1e300": 1e300},
    "ground_time_min": {"neg": -1, "1e9": 1e9},
    "extra_fuel_kg": {"nan": NAN, "neg": -1, "1e9": 1e9},
    "fl": {"neg": -1, "1e9": 1e9, "above-ceiling": 400},
    "speed": {"unknown": "warp", "nan": "nan", "1e300": "1e300", "5kt": "5"},
    "isa_dev_c": {"100": 100, "nan": NAN},
    "ground_mode": {"warp": "warp"},
    "payload_limit": {"x": "x"},
}
for field, values in PLAN_FIELD_VALUES.items():
    for label, value in values.items():
        # The departure may be named in words ("departure time ..."): the field it is about
        # is checked apart, by test_library_errors_carry_the_field.
        names = (r"departure",) if field == "departure_utc" else (rf"\b{field}\b",)
        add(f"plan-{field}[{label}]", "POST", "/api/plan", names, body=plan_body(**{field: value}))
PLAN_LIST_VALUES: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {
    "stops-none": ({"stops": []}, (r"stops",)),
    "stops-one": ({"stops": ["GABS"]}, (r"stops",)),
    "stops-31": ({"stops": ["GABS", "GAGO"] * 15 + ["GABS"]}, (r"stops",)),
    "stops-unknown": ({"stops": ["GABS", "ZZZZ"]}, (r"stops", r"airfield")),
    "stops-empty-code": ({"stops": ["GABS", ""]}, (r"stops",)),
    "stops-sql": ({"stops": ["GABS", "'; DROP TABLE airport; --"]}, (r"stops", r"airfield")),
    "loads-cargo-nan": ({"loads": [{"cargo_kg": NAN}]}, (r"cargo_kg",)),
    "loads-cargo-1e9": ({"loads": [{"cargo_kg": 1e9}]}, (r"cargo_kg", r"payload", r"loads")),
    "loads-cargo-neg": ({"loads": [{"cargo_kg": -1}]}, (r"cargo_kg",)),
    "loads-pallets-frac": ({"loads": [{"pallets": 1.5}]}, (r"pallets",)),
    "loads-pax-int32+1": ({"loads": [{"pax": 2**31}]}, (r"pax",)),
    "loads-three-for-one-leg": ({"loads": [{}, {}, {}]}, (r"loads", r"leg")),
    "oat-nan": ({"oat": ["nan"]}, (r"oat",)),
    "oat-1e300": ({"oat": ["1e300"]}, (r"oat",)),
    "oat-unknown-stop": ({"oat": ["ZZZZ=40"]}, (r"oat", r"airfield")),
    "oat-stop-not-on-route": ({"oat": ["GATS=44"]}, (r"oat", r"GATS", r"route")),
    "metar-garbage": ({"metar": ["GAGO 271200Z garbage"]}, (r"metar",)),
    "metar-qnh-0": ({"metar": ["GAGO 271200Z 09012KT 9999 44/M02 Q0000"]}, (r"metar", r"qnh")),
    "metar-stop-not-on-route": (
        {"metar": ["GATS 271200Z 09012KT 9999 44/M02 Q1008"]},
        (r"metar", r"GATS", r"route"),
    ),
    "wind-nan": ({"wind": ["270/nan"]}, (r"wind",)),
    "wind-1e300": ({"wind": ["270/1e300"]}, (r"wind",)),
    "wind-three-for-one-leg": ({"wind": ["270/20"] * 3}, (r"wind",)),
    "closed-runway-99X": (
        {"stops": ["GABS", "GATS"], "closed": ["GATS:99X"]},
        (r"closed", r"runway"),
    ),
    "closed-unknown-airfield": ({"closed": ["ZZZZ"]}, (r"closed", r"airfield")),
    "closed-stop-not-on-route": ({"closed": ["GATS"]}, (r"closed", r"GATS", r"route")),
    "items-and-loads": (
        {"items": [{"id": "M1", "origin": "GABS", "destination": "GAGO", "cargo_kg": 100}]},
        (r"items", r"loads"),
    ),
    "items-stop-not-on-route": (
        {
            "loads": [],
            "items": [{"id": "M1", "origin": "GABS", "destination": "GATS", "cargo_kg": 100}],
        },
        (r"items", r"GATS", r"route"),
    ),
    "items-cargo-inf": (
        {
            "loads": [],
            "items": [{"id": "M1", "origin": "GABS", "destination": "GAGO", "cargo_kg": INF}],
        },
        (r"cargo_kg",),
    ),
}
for label, (changes, names) in PLAN_LIST_VALUES.items():
    add(f"plan-{label}", "POST", "/api/plan", names, body=plan_body(**changes))
for fmt, changes, names in (
    ("pdf", {}, (r"fmt",)),
    ("json", {"departure_utc": "9999-12-31T23:59Z"}, (r"departure_utc",)),
    ("kml", {"policy": "custom:reserve=inf"}, (r"policy",)),
):
    add(f"plan-export-{fmt}", "POST", f"/api/plan/export/{fmt}", names, body=plan_body(**changes))

MAXLOAD_FIELD_VALUES: dict[str, dict[str, Any]] = {
    "origin": {k: BAD_CODES[k] for k in ("unknown", "empty", "sql", "200-chars", "nul")},
    "destination": {k: BAD_CODES[k] for k in ("unknown", "empty", "percent")},
    "then": {k: BAD_CODES[k] for k in ("unknown", "empty", "sql")},
    "aircraft": {k: BAD_AIRCRAFT[k] for k in ("unknown-type", "empty", "percent")},
    "departure_utc": {k: BAD_DATES[k] for k in ("year-1", "year-9999", "1969", "tomorrow")},
    "policy": {k: BAD_POLICIES[k] for k in ("reserve-inf", "reserve-neg", "bogus-key")},
    "oat": {"nan": ["nan"], "stop-not-on-route": ["DRRN=40"]},
    "wind": {"nan": ["270/nan"], "three": ["270/20"] * 3},
    "metar": {"qnh-0": ["GAGO 271200Z 09012KT 9999 44/M02 Q0000"]},
}
for field, values in MAXLOAD_FIELD_VALUES.items():
    for label, value in values.items():
        names = (rf"\b{field}\b", r"DRRN", r"route") if "route" in label else (rf"\b{field}\b",)
        if field == "departure_utc":
            names = (r"departure",)
        if field in ("origin", "destination", "then"):
            names = (*names, r"airfield")
        add(
            f"maxload-{field}[{label}]",
            "POST",
            "/api/maxload",
            names,
            body=maxload_body(**{field: value}),
        )

# --- performance (query parameters) -------------------------------------------------------------

PERF_QUERY: dict[str, tuple[dict[str, Any], dict[str, dict[str, Any]]]] = {
    # route: (valid parameters, {parameter: {label: bad value}})
    "range": (
        {"type": "C-130H", "payload_kg": 5000},
        {
            "type": {**BAD_AIRCRAFT},
            "payload_kg": {
                "nan": "nan",
                "inf": "inf",
                "neg": -1,
                "1e300": "1e300",
                "text": "abc",
                "empty": "",
                "above-max-payload": 30000,
            },
            "fuel_kg": {"nan": "nan", "neg": -1, "1e9": "1e9", "above-max-fuel": 60000},
            "reserve_min": {"inf": "inf", "neg": -5, "1e9": "1e9"},
            "fl": {"neg": -1, "above-ceiling": 400, "nan": "nan"},
            "speed": {"unknown": "warp", "nan": "nan", "5kt": "5", "33-chars": "s" * 33},
            "isa_dev_c": {"100": 100, "nan": "nan"},
        },
    ),
    "endurance": (
        {"type": "C-130H", "payload_kg": 5000},
        {"payload_kg": {"nan": "nan", "neg": -1}, "reserve_min": {"inf": "inf"}},
    ),
    "cruise": (
        {"type": "C-130H", "weight_kg": 60000, "fl": 220},
        {
            "weight_kg": {"above-mtow": 90000, "below-oew": 1000, "nan": "nan", "neg": -1},
            "fl": {"above-ceiling": 400, "neg": -1, "inf": "inf"},
            "speed": {"unknown": "warp", "10000kt": "10000"},
        },
    ),
    "takeoff": (
        {"type": "C-130H", "weight_kg": 60000},
        {
            "weight_kg": {"above-mtow": 90000, "nan": "nan"},
            "elevation_ft": {"60000": 60000, "-5000": -5000, "nan": "nan"},
            "oat_c": {"100": 100, "nan": "nan"},
            "surface": {"ice": "ice", "empty": ""},
            "wet": {"maybe": "maybe"},
        },
    ),
    "landing": (
        {"type": "C-130H", "weight_kg": 50000},
        {
            "weight_kg": {"above-mtow": 90000},
            "factor": {"zero": 0, "neg": -1, "nan": "nan", "100": 100},
            "reverse": {"maybe": "maybe"},
        },
    ),
    "payload-range": (
        {"type": "C-130H"},
        {"type": {"unknown": "B747", "empty": ""}, "speed": {"unknown": "warp", "nan": "nan"}},
    ),
}
for route, (valid, fields) in PERF_QUERY.items():
    for field, values in fields.items():
        for label, value in values.items():
            names = (rf"\b{field}\b",)
            if field == "type":
                names = (r"\btype\b", r"aircraft")
            add(
                f"perf-{route}-{field}[{label}]",
                "GET",
                f"/api/perf/{route}",
                names,
                params={**valid, field: value},
            )
for route, (valid, _fields) in PERF_QUERY.items():
    required = "type" if route == "payload-range" else "weight_kg"
    if required in valid:
        params = {k: v for k, v in valid.items() if k != required}
        add(
            f"perf-{route}-missing-{required}",
            "GET",
            f"/api/perf/{route}",
            (required,),
            params=params,
        )

# --- runs: seed, time limit, scenario -----------------------------------------------------------

RUNS = "/api/runs"
RUN_FIELD_VALUES: dict[str, dict[str, Any]] = {
    "seed": {
        "neg": -1,
        "int32+1": 2**31,
        "2**64": 2**64,
        "frac": 1.5,
        "text": "abc",
        "null": None,
    },
    "time_limit_s": {
        "zero": 0,
        "neg": -1,
        "601": 601,
        "1e9": 1e9,
        "nan": NAN,
        "inf": INF,
        "text": "30s",
    },
    "scenario_id": {"zero": 0, "neg": -1, "int32+1": 2**31, "text": "abc", "missing-row": 999_999},
}
for field, values in RUN_FIELD_VALUES.items():
    for label, value in values.items():
        body = {"scenario_id": "{scenario}", "time_limit_s": 5, "seed": 0, field: value}
        names = (rf"\b{field}\b", r"scenario") if field == "scenario_id" else (rf"\b{field}\b",)
        add(f"post-run-{field}[{label}]", "POST", RUNS, names, body=body, listing=RUNS)
add(
    "post-run-unknown-key",
    "POST",
    RUNS,
    (r"bogus",),
    body={"scenario_id": "{scenario}", "bogus": 1},
    listing=RUNS,
)
for label, params, names in (
    ("status-bogus", {"status": "bogus"}, (r"status",)),
    ("limit-neg", {"limit": -1}, (r"limit",)),
    ("limit-zero", {"limit": 0}, (r"limit",)),
    ("limit-huge", {"limit": 10**12}, (r"limit",)),
    ("limit-text", {"limit": "all"}, (r"limit",)),
):
    add(f"list-runs-{label}", "GET", RUNS, names, params=params)
# --- studies: the study TOML, key by key ----------------------------------------------------------

STUDIES = "/api/studies"
STUDY_OK = (
    'name = "s"\n[base]\ntime_limit_s = 2\niterations = 50\n[design]\nkind = "full-factorial"\n'
    '[[factor]]\nname = "fleet"\nkind = "fleet_size"\nlevels = [6, 8]\n'
)
"""A valid study (never run here: no study worker); each case breaks one key of it."""
for label, toml, names in (
    ("not-toml", "name = \n", (r"study_toml", r"TOML")),
    ("top-unknown-key", STUDY_OK + "colour = 1\n", (r"colour",)),
    ("design-kind", STUDY_OK.replace("full-factorial", "half-factorial"), (r"design\.kind",)),
    ("factor-kind", STUDY_OK.replace("fleet_size", "fleet_colour"), (r"factor\.1\.kind",)),
    ("fleet-level-neg", STUDY_OK.replace("[6, 8]", "[-1, 8]"), (r"factor\.1\.levels",)),
    ("iterations-zero", STUDY_OK.replace("iterations = 50", "iterations = 0"), (r"iterations",)),
    (
        "time-limit-text",
        STUDY_OK.replace("time_limit_s = 2", 'time_limit_s = "2"'),
        (r"time_limit_s",),
    ),
    ("base-file", STUDY_OK.replace("[base]\n", '[base]\nfleet = "fleet.csv"\n'), (r"base\.fleet",)),
    ("target-101", "target_served_pct = 101\n" + STUDY_OK, (r"target_served_pct",)),
    ("name-long", STUDY_OK.replace('name = "s"', f'name = "{"s" * 65}"'), (r"study_toml\.name",)),
):
    add(f"post-study-{label}", "POST", STUDIES, names, body={"study_toml": toml}, listing=STUDIES)
for label, body, names in (
    ("toml-missing", {"name": "x"}, (r"study_toml",)),
    ("toml-number", {"study_toml": 3}, (r"study_toml",)),
    ("toml-empty", {"study_toml": ""}, (r"study_toml",)),
    ("toml-huge", {"study_toml": "#" * 100_001}, (r"study_toml",)),
    ("name-long", {"study_toml": STUDY_OK, "name": "n" * 65}, (r"\bname\b",)),
    ("unknown-key", {"study_toml": STUDY_OK, "bogus": 1}, (r"bogus",)),
):
    add(f"post-study-body-{label}", "POST", STUDIES, names, body=body, listing=STUDIES)
add("get-study-zero", "GET", f"{STUDIES}/0", (r"study_id",))
add("list-studies-limit-zero", "GET", STUDIES, (r"limit",), params={"limit": 0})
for label, params, names in (
    ("a-zero", {"a": 0, "b": 1}, (r"\ba\b",)),
    ("b-text", {"a": 1, "b": "x"}, (r"\bb\b",)),
    ("missing-b", {"a": 1}, (r"\bb\b",)),
):
    add(f"compare-runs-{label}", "GET", f"{RUNS}/compare", names, params=params)

# --- path parameters, versions, raw bodies ------------------------------------------------------

BAD_ROW_IDS = {"zero": "0", "neg": "-1", "text": "abc", "frac": "1.5", "huge": "9" * 30}
for label, row_id in BAD_ROW_IDS.items():
    for collection in ("requests", "tails", "scenarios"):
        add(f"get-{collection}-row-id[{label}]", "GET", f"/api/{collection}/{row_id}", (r"row_id",))
    add(f"get-run-id[{label}]", "GET", f"{RUNS}/{row_id}", (r"run_id",))
for label, params in {
    "version-zero": {"version": 0},
    "version-text": {"version": "x"},
    "version-missing": None,
    "version-stale": {"version": 999},
}.items():
    add(
        f"delete-request-{label}",
        "DELETE",
        REQ_PUT,
        (r"version",),
        params=params,
        listing=REQ,
    )
for label, code, names in (
    ("unknown", "ZZZZ", (r"code", r"airfield", r"ZZZZ")),
    ("percent", "%25", (r"code", r"airfield", r"%")),
    ("200-chars", "A" * 200, (r"code", r"airfield")),
):
    add(f"get-airfield[{label}]", "GET", f"/api/airfields/{code}", names)
add("get-aircraft[unknown]", "GET", "/api/aircraft/B747", (r"designator", r"aircraft", r"B747"))

RAW_BODIES: dict[str, bytes] = {
    "not-json": b"cargo_kg=4000",
    "empty": b"",
    "deep-array": b"[" * 100_000,
    "deep-object": b'{"a":' * 100_000,
    "array": b"[1, 2, 3]",
    "truncated": b'{"ref": "R',
    "latin1": '{"ref": "caf\u00e9"}'.encode("latin-1"),
}
for label, raw in RAW_BODIES.items():
    for path, listing in ((REQ, REQ), (TAILS, TAILS), (SCEN, SCEN), ("/api/plan", None)):
        add(
            f"raw-body{path.replace('/api/', '-')}[{label}]",
            "POST",
            path,
            (r"body", r"json"),
            raw=raw,
            listing=listing,
        )

# --- imports (files) ----------------------------------------------------------------------------

REQUEST_HEADER = "id,origin,destination,cargo_kg,pallets,pax,earliest_utc,latest_utc,description"


def requests_csv(**changes: str) -> str:
    row = {
        "id": "IMP-1",
        "origin": "GABS",
        "destination": "GAGO",
        "cargo_kg": "4000",
        "pallets": "1",
        "pax": "0",
        "earliest_utc": "2023-10-27T06:00Z",
        "latest_utc": "2023-10-28T18:00Z",
        "description": "imported",
        **changes,
    }
    second = {**row, "id": "IMP-2", "description": "second"}
    cols = REQUEST_HEADER.split(",")
    return (
        "\n".join(
            [REQUEST_HEADER, ",".join(row[c] for c in cols), ",".join(second[c] for c in cols)]
        )
        + "\n"
    )


TAIL_HEADER = "registration,type,nation,home_base,operator"


def tails_csv(**changes: str) -> str:
    row = {
        "registration": "IMP-T1",
        "type": "C-130H",
        "nation": "NE",
        "home_base": "DRRN",
        "operator": "imported",
        **changes,
    }
    cols = TAIL_HEADER.split(",")
    return TAIL_HEADER + "\n" + ",".join(row[c] for c in cols) + "\n"


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
BINARY = PNG + bytes(range(256)) * 8


def file_garbage(valid: str, text_field: str) -> dict[str, tuple[str, bytes, tuple[str, ...]]]:
    """Broken versions of a valid import file: (file name, content, names)."""
    header, first, *rest = valid.splitlines()
    cols = header.split(",")
    cells = first.split(",")
    i = cols.index(text_field)
    unclosed = ",".join([*cells[:i], '"unclosed quote', *cells[i + 1 :]])
    huge = ",".join([*cells[:i], "x" * 200_000, *cells[i + 1 :]])
    stem = "badfile"
    return {
        "unclosed-quote": (
            f"{stem}.csv",
            "\n".join([header, unclosed, *rest]).encode() + b"\n",
            (r"line \d+", r"row"),
        ),
        "200kB-field": (f"{stem}.csv", "\n".join([header, huge]).encode(), (text_field, r"line")),
        "wrong-header": (f"{stem}.csv", b"foo,bar,baz\n1,2,3\n", (r"column", r"header", r"foo")),
        "header-only": (
            f"{stem}.csv",
            (header + "\n").encode(),
            (stem, r"no (rows|requests|tails)", r"empty"),
        ),
        "binary-csv": (f"{stem}.csv", BINARY, (stem, r"utf-8", r"binary")),
        "binary-json": (f"{stem}.json", BINARY, (stem, r"utf-8", r"binary")),
        "empty-csv": (f"{stem}.csv", b"", (stem, r"empty")),
        "empty-json": (f"{stem}.json", b"", (stem, r"json", r"empty")),
        "deep-array": (f"{stem}.json", b"[" * 100_000, (stem, r"json", r"deep", r"nest")),
        "deep-object": (f"{stem}.json", b'{"a":' * 100_000, (stem, r"json", r"deep", r"nest")),
        "huge-int": (
            f"{stem}.json",
            b'[{"cargo_kg": 1' + b"0" * 5000 + b"}]",
            (stem, r"cargo_kg", r"number"),
        ),
        "json-in-csv": (f"{stem}.csv", b'[{"ref": "X"}]', (stem, r"json")),
        "csv-in-json": (f"{stem}.json", valid.encode(), (stem, r"json")),
        "png-extension": (f"{stem}.png", PNG, (stem, r"\.png", r"file type")),
        "txt-extension": (f"{stem}.txt", valid.encode(), (stem, r"\.txt", r"file type")),
        "no-extension": (stem, valid.encode(), (stem, r"file type", r"extension")),
        "latin1": (
            f"{stem}.csv",
            valid.replace("imported", "café").encode("latin-1"),
            (stem, r"utf-8", r"line"),
        ),
        "nul-byte": (
            f"{stem}.csv",
            valid.replace("imported", "a\x00b").encode(),
            (stem, r"nul", r"line", r"binary"),
        ),
        "extra-field": (
            f"{stem}.csv",
            valid.replace("imported", "a,b").encode(),
            (r"line", r"fields", r"column"),
        ),
        "over-5MB": (f"{stem}.csv", valid.encode() + b"#" * 5_000_001, (stem, r"bytes", r"large")),
    }


IMPORT_FIELD_VALUES: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "cargo-nan": ({"cargo_kg": "nan"}, (r"cargo_kg",)),
    "cargo-1e300": ({"cargo_kg": "1e300"}, (r"cargo_kg",)),
    "cargo-1e9": ({"cargo_kg": "1e9"}, (r"cargo_kg",)),
    "latest-9999": ({"latest_utc": "9999-12-31T23:59Z"}, (r"latest_utc",)),
    "earliest-year-1": ({"earliest_utc": "0001-01-01T00:00Z"}, (r"earliest_utc",)),
    "origin-unknown": ({"origin": "ZZZZ"}, (r"origin",)),
    "pax-int32+1": ({"pax": str(2**31)}, (r"pax",)),
}

for route, valid, text_field in (
    ("requests", requests_csv(), "description"),
    ("tails", tails_csv(), "operator"),
):
    for label, (name, data, names) in file_garbage(valid, text_field).items():
        add(
            f"import-{route}[{label}]",
            "POST",
            f"/api/{route}/import",
            names,
            upload=(name, data),
            listing=f"/api/{route}",
        )
    add(
        f"import-{route}[no-file]",
        "POST",
        f"/api/{route}/import",
        (r"file",),
        body={},
        listing=f"/api/{route}",
    )
    add(
        f"import-{route}[good-rows-only-maybe]",
        "POST",
        f"/api/{route}/import",
        (r"good_rows_only",),
        upload=("import.csv", valid.encode()),
        params={"good_rows_only": "maybe"},
        listing=f"/api/{route}",
    )
for label, (changes, names) in IMPORT_FIELD_VALUES.items():
    add(
        f"import-requests-field[{label}]",
        "POST",
        "/api/requests/import",
        names,
        upload=("import.csv", requests_csv(**changes).encode()),
        listing=REQ,
    )
for label, (changes, names) in {
    "type-unknown": ({"type": "B747"}, (r"type",)),
    "home-base-unknown": ({"home_base": "ZZZZ"}, (r"home_base",)),
    "nation-digits": ({"nation": "N3"}, (r"nation",)),
    "registration-17-chars": ({"registration": "R" * 17}, (r"registration",)),
}.items():
    add(
        f"import-tails-field[{label}]",
        "POST",
        "/api/tails/import",
        names,
        upload=("import.csv", tails_csv(**changes).encode()),
        listing=TAILS,
    )

_ids = [c.id for c in CASES]
assert len(_ids) == len(set(_ids)), sorted({i for i in _ids if _ids.count(i) > 1})


# --- the tests ----------------------------------------------------------------------------------


def _resolve(value: Any, ids: dict[str, int]) -> Any:
    """``"{scenario}"`` in a body -> the seeded scenario's id."""
    if isinstance(value, str) and re.fullmatch(r"\{\w+\}", value):
        return ids[value[1:-1]]
    if isinstance(value, dict):
        return {k: _resolve(v, ids) for k, v in value.items()}
    return value


def _named(body: dict[str, Any]) -> str:
    """What an answer names: its field and detail, and an import's row errors."""
    parts = [str(body.get("field") or ""), str(body.get("detail") or "")]
    for error in body.get("errors") or []:
        if isinstance(error, dict):
            parts += [str(error.get("field", "")), str(error.get("reason", ""))]
    return " | ".join(parts)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_a_4xx_naming_the_field(case: ApiCase, api: Api) -> None:
    if case.body is not MISSING:
        case = ApiCase(**{**case.__dict__, "body": _resolve(case.body, api.ids)})
    before = api.listing(case.listing) if case.listing else None
    r = api.send(case)
    shown = f"{case.method} {case.path} -> {r.status_code}: {r.text[:600]}"
    assert r.status_code < 500, shown
    assert 400 <= r.status_code < 500, shown
    try:
        body = r.json()
    except ValueError:
        pytest.fail(f"not a JSON answer: {shown}")
    assert isinstance(body, dict) and body.get("detail"), shown
    named = _named(body)
    assert any(re.search(p, named, re.IGNORECASE) for p in case.names), (
        f"neither field nor detail names any of {list(case.names)}: {shown}"
    )
    if case.listing:
        after = api.listing(case.listing)
        assert after == before, f"a refused write changed {case.listing}: {shown}"


FIELD_CASES: dict[str, tuple[str, dict[str, Any], str]] = {
    # The library's own refusals (not the schema's) carry the field too, for the web form to
    # show the message beside it: (route, body, expected field, or its prefix for list items).
    "plan-departure-not-iso": ("/api/plan", plan_body(departure_utc="tomorrow"), "departure_utc"),
    "plan-departure-naive": (
        "/api/plan",
        plan_body(departure_utc="2023-10-27T06:30"),
        "departure_utc",
    ),
    "plan-stop-unknown": ("/api/plan", plan_body(stops=["GABS", "ZZZZ"]), "stops"),
    "plan-aircraft-unknown": ("/api/plan", plan_body(aircraft="B747"), "aircraft"),
    "plan-policy-unknown": ("/api/plan", plan_body(policy="ryanair"), "policy"),
    "plan-oat-not-a-number": ("/api/plan", plan_body(oat=["hot"]), "oat"),
    "plan-wind-malformed": ("/api/plan", plan_body(wind=["270-25"]), "wind"),
    "plan-metar-malformed": ("/api/plan", plan_body(metar=["GAGO 271200Z garbage"]), "metar"),
    "maxload-origin-unknown": ("/api/maxload", maxload_body(origin="ZZZZ"), "origin"),
    "maxload-departure-not-iso": (
        "/api/maxload",
        maxload_body(departure_utc="tomorrow"),
        "departure_utc",
    ),
}


@pytest.mark.parametrize("name", list(FIELD_CASES))
def test_library_errors_carry_the_field(name: str, api: Api) -> None:
    path, body, field = FIELD_CASES[name]
    r = api.client.post(path, headers=api.headers, json=body)
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:500])
    got = r.json().get("field") or ""
    assert got == field or got.startswith(f"{field}["), (name, r.text[:500])


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 200


BASELINES: dict[str, tuple[str, str, Any, Any]] = {
    "request": ("POST", REQ, request_body("OK-R"), None),
    "tail": ("POST", TAILS, tail_body("OK-T"), None),
    "scenario": ("POST", SCEN, scenario_body("OK scenario"), None),
    "override": ("POST", OVR, override_body("GAKL"), None),
    "aircraft-type": ("POST", TYPES, aircraft_type_body("OKX"), None),
    "plan": ("POST", "/api/plan", plan_body(), None),
    "maxload": ("POST", "/api/maxload", maxload_body(), None),
    "perf-range": ("GET", "/api/perf/range", None, {"type": "C-130H", "payload_kg": 5000}),
    "perf-cruise": (
        "GET",
        "/api/perf/cruise",
        None,
        {"type": "C-130H", "weight_kg": 60000, "fl": 220},
    ),
    "import-requests": ("UPLOAD", "/api/requests/import", requests_csv(id="OK-IMP"), None),
    "import-tails": ("UPLOAD", "/api/tails/import", tails_csv(registration="OK-IMPT"), None),
}


@pytest.mark.parametrize("name", list(BASELINES))
def test_baseline_bodies_are_accepted(name: str, api: Api) -> None:
    """The valid bodies the corpus breaks one field at a time are accepted as they are, so a
    refused case is refused for its bad value."""
    method, path, body, params = BASELINES[name]
    if method == "UPLOAD":
        r = api.client.post(
            path, headers=api.headers, files={"file": ("ok.csv", body.encode(), "text/csv")}
        )
    else:
        r = api.client.request(method, path, headers=api.headers, json=body, params=params)
    assert r.status_code in (200, 201), (name, r.status_code, r.text[:800])


# --- random bytes and JSON to every import route ------------------------------------------------

IMPORT_ROUTES = ("/api/requests/import", "/api/tails/import", "/api/zones/import")
KEYS = (
    "ref",
    "id",
    "origin",
    "destination",
    "cargo_kg",
    "pallets",
    "pax",
    "earliest_utc",
    "latest_utc",
    "priority",
    "registration",
    "type",
    "nation",
    "home_base",
    "unavailable",
    "duty_limit_h",
)

_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**31 - 2, max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["GABS", "C-130H", "NE", "2023-10-27T06:00Z", "9999-12-31T23:59Z", "nan"]),
    st.integers(min_value=300, max_value=5000).map(lambda k: Raw("1" + "0" * k)),
    st.sampled_from([Raw("1e400"), Raw("-1e400"), Raw("NaN"), Raw("Infinity")]),
)
_json = st.recursive(
    _leaf,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(
            st.one_of(st.sampled_from(KEYS), st.text(max_size=10)), children, max_size=6
        ),
    ),
    max_leaves=30,
)
_rows = st.lists(st.dictionaries(st.sampled_from(KEYS), _leaf, max_size=len(KEYS)), max_size=5)
_deep = st.integers(min_value=500, max_value=200_000).flatmap(
    lambda depth: st.sampled_from(["[" * depth, "[" * depth + "]" * depth, '{"a":' * depth])
)
_json_text = st.one_of(_json.map(to_json_text), _rows.map(to_json_text), _deep.map(str.encode))
_headers = st.sampled_from(
    [b"", (REQUEST_HEADER + "\n").encode(), (TAIL_HEADER + "\n").encode(), b"\xef\xbb\xbf"]
)
_bytes = st.tuples(_headers, st.binary(max_size=3000)).map(lambda parts: parts[0] + parts[1])


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@pytest.mark.parametrize("route", IMPORT_ROUTES)
@given(suffix=st.sampled_from([".csv", ".json", ".txt", ""]), data=_bytes)
def test_random_bytes_to_imports_never_5xx(api: Api, route: str, suffix: str, data: bytes) -> None:
    r = api.client.post(
        route, headers=api.headers, files={"file": (f"f{suffix}", data, "text/csv")}
    )
    assert r.status_code < 500, (route, suffix, data[:200], r.status_code, r.text[:500])


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@pytest.mark.parametrize("route", IMPORT_ROUTES)
@given(data=_json_text)
def test_random_json_to_imports_never_5xx(api: Api, route: str, data: bytes) -> None:
    r = api.client.post(
        route, headers=api.headers, files={"file": ("f.json", data, "application/json")}
    )
    assert r.status_code < 500, (route, data[:200], r.status_code, r.text[:500])


def test_json_text_writes_what_json_dumps_will_not() -> None:
    assert to_json_text({"a": [NAN, INF, -INF, Raw("1e400"), 1.5, None, True]}) == (
        b'{"a":[NaN,Infinity,-Infinity,1e400,1.5,null,true]}'
    )
