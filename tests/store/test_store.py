"""The database layer on SQLite and PostgreSQL: migrations, collections, imports, accounts,
demo, runs, CLI."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, update
from sqlalchemy.orm import Session, sessionmaker

from airlift.errors import Conflict, FieldError, InputError, NotFound
from airlift.scheduling import readers
from airlift.store import accounts, demo, domain, imports, migrate
from airlift.store import runs as store_runs
from airlift.store.collections import (
    AIRCRAFT_TYPES,
    AIRFIELD_OVERRIDES,
    COLLECTIONS,
    REQUESTS,
    SCENARIOS,
    TAILS,
    Collection,
)
from airlift.store.db import make_engine, session_factory, transaction
from airlift.store.models import (
    ApiToken,
    AuditEntry,
    Base,
    MovementRequestRow,
    ScheduleRun,
    Tail,
    User,
    WebSession,
    utcnow,
)
from airlift.store.rows import flush, row_dict

REQUEST: dict[str, Any] = {
    "ref": "R100",
    "origin": "BKO",  # IATA: stored as the ICAO code
    "destination": "GAGO",
    "cargo_kg": 2400,
    "pallets": 1,
    "pax": 36,
    "earliest_utc": "2023-10-28T06:00Z",
    "latest_utc": "2023-10-29T18:00+01:00",
    "priority": 2,
    "allowed_nations": "NE;ml",
    "description": "Tessalit garrison relief",
}
TAIL: dict[str, Any] = {
    "registration": "5U-MBX",
    "aircraft_type": "c130h",
    "nation": "NE",
    "home_base": "DRRN",
    "unavailable": "2023-10-29T00:00Z/2023-10-31T00:00Z",
}
SCENARIO: dict[str, Any] = {
    "name": "Week 44",
    "start_utc": "2023-10-27T00:00Z",
    "days": 7,
    "fuel_policy": "icao",
    "overrides": {"GATS": {"mog": 1, "notes": "apron works"}},
}
REQUEST_HEADER = "id,origin,destination,cargo_kg,pallets,pax,earliest_utc,latest_utc,priority"


@pytest.fixture
def factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    yield session_factory(engine)
    engine.dispose()


def audit(factory: sessionmaker[Session]) -> list[AuditEntry]:
    with factory() as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))


# --- migrations ---------------------------------------------------------------------------------


def test_migrations_create_the_whole_schema(db_url: str) -> None:
    assert migrate.current(db_url) == migrate.head()
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            assert tables == {*Base.metadata.tables, "alembic_version"}
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()
    migrate.upgrade(db_url)  # at head already: nothing to do
    assert migrate.current(db_url) == migrate.head()


def test_downgrade_then_upgrade_again(tmp_path: Any) -> None:
    from alembic import command
    from alembic.config import Config

    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert migrate.current(url) is None
    migrate.upgrade(url)
    with migrate._config(url) as config:
        assert isinstance(config, Config)
        command.downgrade(config, "base")
    assert migrate.current(url) is None
    migrate.upgrade(url)
    assert migrate.current(url) == migrate.head()


# --- CRUD ---------------------------------------------------------------------------------------


def test_dangerous_goods_are_stored_normalised_and_counted(
    factory: sessionmaker[Session],
) -> None:
    """A class and UN number are stored as a NOTOC spells them, make the request hazardous,
    and the write bumps the requests' change counter (migration 0004 kept 0002's triggers)."""
    from airlift.store import revisions

    with factory() as s:
        before = revisions.read(s.connection())["movement_requests"]
    body = {**REQUEST, "hazardous": False, "dg_class": " 1.4s", "un_number": "0012"}
    with transaction(factory) as s:
        row_id = REQUESTS.create(s, body, "alice").id
    with factory() as s:
        got = row_dict(REQUESTS.get(s, row_id))
        assert (got["dg_class"], got["un_number"], got["hazardous"]) == ("1.4S", "UN0012", True)
        assert revisions.read(s.connection())["movement_requests"] > before
        request = domain.domain_request(REQUESTS.get(s, row_id))
        assert (request.dg_class, request.un_number) == ("1.4S", "UN0012")
    with pytest.raises(FieldError) as info, transaction(factory) as s:
        REQUESTS.create(s, {**REQUEST, "ref": "R101", "un_number": "UN12"}, "alice")
    assert info.value.field == "un_number"


def test_a_tails_icao24_is_stored_in_lower_case_and_counted(
    factory: sessionmaker[Session],
) -> None:
    """The transponder address is stored as 6 lower-case hex digits and reaches the domain
    tail; the write bumps the tails' change counter (migration 0005 kept 0002's triggers)."""
    from airlift.store import revisions

    with factory() as s:
        before = revisions.read(s.connection())["tails"]
    with transaction(factory) as s:
        row_id = TAILS.create(s, {**TAIL, "icao24": " 062A0F"}, "alice").id
    with factory() as s:
        assert row_dict(TAILS.get(s, row_id))["icao24"] == "062a0f"
        assert revisions.read(s.connection())["tails"] > before
        assert [t.icao24 for t in domain.domain_fleet(s)] == ["062a0f"]
    with pytest.raises(FieldError) as info, transaction(factory) as s:
        TAILS.create(s, {**TAIL, "registration": "5U-MBY", "icao24": "06zz01"}, "alice")
    assert info.value.field == "icao24"


def test_crud_round_trip(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        request = REQUESTS.create(s, REQUEST, "alice")
        tail = TAILS.create(s, TAIL, "alice")
        scenario = SCENARIOS.create(s, SCENARIO, "alice")
        override = AIRFIELD_OVERRIDES.create(s, {"icao": "gatb", "fuel_available": False}, "alice")
        ids = [r.id for r in (request, tail, scenario, override)]
    with factory() as s:
        got = row_dict(REQUESTS.get(s, ids[0]))
        assert got["id"] == ids[0] and got["version"] == 1
        assert got["ref"] == "R100" and got["origin"] == "GABS"
        assert got["earliest_utc"] == "2023-10-28T06:00:00Z"
        assert got["latest_utc"] == "2023-10-29T17:00:00Z"
        assert got["allowed_nations"] == ["ML", "NE"]
        json.dumps(got)
        t = row_dict(TAILS.get(s, ids[1]))
        assert t["aircraft_type"] == "C-130H"
        assert t["unavailable"] == [["2023-10-29T00:00:00Z", "2023-10-31T00:00:00Z"]]
        sc = row_dict(SCENARIOS.get(s, ids[2]))
        assert sc["overrides"] == {"GATS": {"mog": 1, "notes": "apron works"}}
        assert row_dict(AIRFIELD_OVERRIDES.get(s, ids[3]))["icao"] == "GATB"
        assert [r.id for r in TAILS.rows(s, nation="NE")] == [ids[1]]
        assert TAILS.rows(s, nation="ML") == []
    with transaction(factory) as s:
        row = REQUESTS.update(s, ids[0], {"pax": 40, "version": 1}, 1, "bob")
        assert row.version == 2
    with factory() as s:
        got = row_dict(REQUESTS.get(s, ids[0]))
        assert (got["pax"], got["version"], got["cargo_kg"]) == (40, 2, 2400)
    with transaction(factory) as s:
        REQUESTS.delete(s, ids[0], 2, "bob")
    with factory() as s, pytest.raises(NotFound):
        REQUESTS.get(s, ids[0])
    with factory() as s, pytest.raises(FieldError, match="cannot filter tails by 'colour'"):
        TAILS.rows(s, colour="red")


def test_driver_rows_convert_as_the_orm_reads_them(factory: sessionmaker[Session]) -> None:
    """The lists' fast path (``driver_rows``, web/routes/_common.py) gives the values the ORM
    gives, for every collection, on every database the suite runs on."""
    with transaction(factory) as s:
        demo.load_demo(s)
        REQUESTS.create(s, REQUEST, "alice")
        TAILS.create(s, TAIL, "alice")
        SCENARIOS.create(s, SCENARIO, "alice")
    with factory() as s:
        for collection in COLLECTIONS.values():
            names, plain = collection.plain_rows(s)
            found = collection.driver_rows(s)
            assert found.names == names
            assert [tuple(found.convert(row).values()) for row in found.rows] == plain
        assert REQUESTS.driver_rows(s).rows, "the demo has requests"


def test_validation_names_the_field(factory: sessionmaker[Session]) -> None:
    cases = [
        ({**REQUEST, "cargo_kg": -3}, "cargo_kg", "must be >= 0"),
        ({**REQUEST, "origin": "XXXX"}, "origin", "unknown airfield"),
        ({**REQUEST, "latest_utc": "2023-10-27T00:00Z"}, "latest_utc", "must be after"),
        ({k: v for k, v in REQUEST.items() if k != "ref"}, "ref", "missing field 'ref'"),
        ({**REQUEST, "ref": "R" * 40}, "ref", "at most 32 characters"),
        ({**REQUEST, "colour": "red"}, "colour", "unknown field"),
    ]
    for data, field, words in cases:
        with factory() as s, pytest.raises(FieldError) as err:
            REQUESTS.create(s, data, "alice")
        assert (err.value.field, words in str(err.value)) == (field, True), str(err.value)
        assert isinstance(err.value, InputError)
    tail_cases = [
        ({**TAIL, "aircraft_type": "B747"}, "aircraft_type"),
        ({**TAIL, "nation": "Niger"}, "nation"),
        ({**TAIL, "max_flying_h_per_day": 20}, "max_flying_h_per_day"),
        ({**SCENARIO, "fuel_policy": "lots"}, "fuel_policy"),
        ({**SCENARIO, "overrides": {"GATS": {"mog": 0}}}, "overrides.GATS.mog"),
        ({**SCENARIO, "overrides": {"GATS": {"hours_utc": "25:00-26:00"}}}, "overrides.GATS"),
        ({**SCENARIO, "days": 0}, "days"),
    ]
    for data, field in tail_cases:
        rows: Collection[Any] = TAILS if "registration" in data else SCENARIOS
        with factory() as s, pytest.raises(FieldError) as err:
            rows.create(s, data, "alice")
        assert err.value.field.startswith(field), str(err.value)
    with factory() as s, pytest.raises(FieldError) as err:
        AIRFIELD_OVERRIDES.create(s, {"icao": "GATS", "oat_c": 99}, "alice")
    assert err.value.field == "oat_c"
    with factory() as s, pytest.raises(FieldError) as err:
        AIRCRAFT_TYPES.create(s, {"toml": "designator = 'X'"}, "alice")
    assert err.value.field == "toml"


def test_stale_version_is_a_conflict_and_changes_nothing(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        row_id = REQUESTS.create(s, REQUEST, "alice").id
    with transaction(factory) as s:
        REQUESTS.update(s, row_id, {"pax": 1}, 1, "alice")
    for action in ("update", "delete"):
        with pytest.raises(Conflict, match="version 2, not 1"), transaction(factory) as s:
            if action == "update":
                REQUESTS.update(s, row_id, {"pax": 99}, 1, "bob")
            else:
                REQUESTS.delete(s, row_id, 1, "bob")
    with factory() as s:
        row = s.get(MovementRequestRow, row_id)
        assert row is not None and (row.pax, row.version) == (1, 2)


def test_concurrent_writer_loses_with_a_conflict(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        row_id = TAILS.create(s, TAIL, "alice").id
    slow = factory()
    try:
        slow.begin()
        seen = TAILS.get(slow, row_id)  # read at version 1, kept in the session
        if slow.get_bind().dialect.name == "sqlite":
            # SQLite writers queue for the write lock (store/db.py): the slow writer's
            # transaction must end before the fast one can start. Its next one still
            # writes against the version it read.
            slow.commit()
        with transaction(factory) as fast:
            TAILS.update(fast, row_id, {"operator": "fast"}, 1, "fast")
        with pytest.raises(Conflict, match="changed or deleted by someone else"):
            TAILS.update(slow, row_id, {"operator": "slow"}, 1, "slow")
        slow.rollback()
        assert seen.version == 2  # reloaded after the rollback
    finally:
        slow.close()
    with factory() as s:
        row = s.get(Tail, row_id)
        assert row is not None and (row.operator, row.version) == ("fast", 2)


def test_unique_key_clash_is_a_conflict(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        TAILS.create(s, TAIL, "alice")
        other = TAILS.create(s, {**TAIL, "registration": "5U-MBY"}, "alice")
        other_id = other.id
    clash = "registration '5u-mbx' already exists"
    with pytest.raises(Conflict, match=clash), transaction(factory) as s:
        TAILS.create(s, {**TAIL, "registration": "5u-mbx"}, "alice")
    with pytest.raises(Conflict, match="already exists"), transaction(factory) as s:
        TAILS.update(s, other_id, {"registration": "5U-MBX"}, 1, "alice")
    # The database's own unique index backs the check up (two writers at once).
    with pytest.raises(Conflict, match="same key"), transaction(factory) as s:
        s.add(Tail(registration="5U-MBX", aircraft_type="C-130H", nation="NE", home_base="DRRN"))
        flush(s, "tail")
    with factory() as s:
        assert len(TAILS.rows(s)) == 2


def test_every_write_is_audited(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        row_id = REQUESTS.create(s, REQUEST, "alice").id
    with transaction(factory) as s:
        REQUESTS.update(s, row_id, {"pax": 12, "priority": 1}, 1, "bob")
        REQUESTS.update(s, row_id, {"pax": 12}, 2, "bob")  # no change: no entry
    with transaction(factory) as s:
        REQUESTS.delete(s, row_id, 2, "carol")
    entries = audit(factory)
    assert [(e.username, e.action, e.entity, e.entity_id) for e in entries] == [
        ("alice", "create", "requests", str(row_id)),
        ("bob", "update", "requests", str(row_id)),
        ("carol", "delete", "requests", str(row_id)),
    ]
    assert entries[0].detail["fields"]["origin"] == "GABS"
    assert entries[1].detail["changed"] == {
        "pax": {"old": 36, "new": 12},
        "priority": {"old": 2, "new": 1},
    }
    assert entries[2].detail["key"] == "R100"
    assert all(e.at.tzinfo is not None for e in entries)


def test_failed_write_leaves_the_previous_state(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        row_id = REQUESTS.create(s, REQUEST, "alice").id
    before = audit(factory)
    with pytest.raises(FieldError), transaction(factory) as s:
        REQUESTS.update(s, row_id, {"pax": 50}, 1, "bob")
        REQUESTS.create(s, {**REQUEST, "ref": "R101", "pax": -1}, "bob")
    with pytest.raises(Conflict), transaction(factory) as s:
        REQUESTS.create(s, {**REQUEST, "ref": "R102"}, "bob")
        REQUESTS.create(s, REQUEST, "bob")
    with factory() as s:
        rows = REQUESTS.rows(s)
        assert [(r.ref, r.pax, r.version) for r in rows] == [("R100", 36, 1)]
    assert len(audit(factory)) == len(before)


def test_aircraft_types_added_by_users(factory: sessionmaker[Session]) -> None:
    shipped = (resources.files("airlift") / "data" / "aircraft" / "C295.toml").read_text("utf-8")
    custom = shipped.replace('designator = "C295"', 'designator = "C295X"', 1)
    assert custom != shipped
    with pytest.raises(Conflict, match="shipped"), transaction(factory) as s:
        AIRCRAFT_TYPES.create(s, {"toml": shipped}, "admin")
    with transaction(factory) as s:
        atype = AIRCRAFT_TYPES.create(s, {"toml": custom}, "admin")
        tail = TAILS.create(s, {**TAIL, "aircraft_type": "c295x"}, "admin")
        assert tail.aircraft_type == "C295X"
        type_id = atype.id
    with factory() as s:
        (fleet_tail,) = domain.domain_fleet(s)
        assert fleet_tail.type.designator == "C295X"
    with pytest.raises(Conflict, match="used by tails 5U-MBX"), transaction(factory) as s:
        AIRCRAFT_TYPES.delete(s, type_id, 1, "admin")


# --- imports ------------------------------------------------------------------------------------


def _upload(*lines: str) -> bytes:
    return "\n".join([REQUEST_HEADER, *lines]).encode()


GOOD_1 = "R1,GABS,GAGO,1000,1,0,2023-10-27T06:00Z,2023-10-28T18:00Z,2"
GOOD_2 = "R2,GAGO,GATS,500,0,10,2023-10-27T06:00Z,2023-10-28T18:00Z,3"
BAD_CARGO = "R3,GABS,GAGO,-5,1,0,2023-10-27T06:00Z,2023-10-28T18:00Z,2"
BAD_FIELD = "R4,GABS,NOWHERE,100,0,0,2023-10-27T06:00Z,2023-10-28T18:00Z,2"
DUPLICATE = "R1,GABS,GATS,100,0,1,2023-10-27T06:00Z,2023-10-28T18:00Z,9"


def test_import_reports_every_error_and_stores_nothing(factory: sessionmaker[Session]) -> None:
    rows = imports.parse_upload(
        REQUESTS, "week.csv", _upload(GOOD_1, BAD_CARGO, GOOD_2, "", BAD_FIELD, DUPLICATE)
    )
    assert [r["_line"] for r in rows] == [2, 3, 4, 6, 7]
    with transaction(factory) as s:
        report = imports.import_rows(s, REQUESTS, rows, "alice")
    assert (report.stored, report.created, report.updated) == (False, 0, 0)
    found = {(e.row, e.field) for e in report.errors}
    assert found == {(3, "cargo_kg"), (6, "destination"), (7, "priority"), (7, "id")}
    reasons = {(e.row, e.field): e.reason for e in report.errors}
    assert reasons[(3, "cargo_kg")] == "cargo_kg must be >= 0, got -5"
    assert "duplicate of line 2" in reasons[(7, "id")]
    with factory() as s:
        assert REQUESTS.rows(s) == []
    assert audit(factory) == []


def test_import_good_rows_only_and_upsert(factory: sessionmaker[Session]) -> None:
    rows = imports.parse_upload(REQUESTS, "week.csv", _upload(GOOD_1, BAD_CARGO, GOOD_2))
    with transaction(factory) as s:
        report = imports.import_rows(s, REQUESTS, rows, "alice", good_rows_only=True)
    assert (report.stored, report.created, report.updated) == (True, 2, 0)
    assert [(e.row, e.field) for e in report.errors] == [(3, "cargo_kg")]
    changed = GOOD_2.replace(",10,", ",12,")
    rows = imports.parse_upload(REQUESTS, "week.csv", _upload(GOOD_1, changed))
    with transaction(factory) as s:
        report = imports.import_rows(s, REQUESTS, rows, "bob")
    assert (report.stored, report.created, report.updated, report.errors) == (True, 0, 1, [])
    with factory() as s:
        stored = {r.ref: (r.pax, r.version) for r in REQUESTS.rows(s)}
    assert stored == {"R1": (0, 1), "R2": (12, 2)}
    imported = [e for e in audit(factory) if e.action == "import"]
    assert [(e.username, e.detail["created"], e.detail["updated"]) for e in imported] == [
        ("alice", ["R1", "R2"], []),
        ("bob", [], ["R2"]),
    ]
    assert imported[0].detail["skipped_lines"] == [3]


def test_import_tails_from_json(factory: sessionmaker[Session]) -> None:
    doc = {
        "fleet": [
            {"registration": "TZ-9", "type": "C295", "nation": "ML", "home_base": "GABS"},
            {"registration": "tz-9", "type": "C295", "nation": "ML", "home_base": "GABS"},
            {"registration": "TZ-8", "type": "C295", "nation": "Mali", "home_base": "GABS"},
        ]
    }
    rows = imports.parse_upload(TAILS, "fleet.json", json.dumps(doc).encode())
    with transaction(factory) as s:
        report = imports.import_rows(s, TAILS, rows, "alice")
    assert not report.stored
    assert [(e.row, e.field) for e in report.errors] == [(2, "registration"), (3, "nation")]
    with transaction(factory) as s:
        report = imports.import_rows(s, TAILS, rows[:1], "alice")
    assert (report.stored, report.created) == (True, 1)


def test_rows_exported_by_the_api_import_again(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        REQUESTS.create(s, REQUEST, "alice")
        TAILS.create(s, TAIL, "alice")
    with factory() as s:
        exported = {c.name: [row_dict(r) for r in c.rows(s)] for c in (REQUESTS, TAILS)}
    exported["requests"][0]["pax"] = 30
    with transaction(factory) as s:
        requests = imports.import_rows(s, REQUESTS, exported["requests"], "bob")
        tails = imports.import_rows(s, TAILS, exported["tails"], "bob")
    assert (requests.created, requests.updated, requests.errors) == (0, 1, [])
    assert (tails.created, tails.updated, tails.errors) == (0, 0, [])


def test_parse_upload_refuses_unreadable_files() -> None:
    with pytest.raises(InputError, match=r"r\.csv line 2: not UTF-8"):
        imports.parse_upload(REQUESTS, "r.csv", REQUEST_HEADER.encode() + b"\nR1,\xe9")
    with pytest.raises(InputError, match="unsupported file type"):
        imports.parse_upload(REQUESTS, "r.xlsx", b"PK")
    with pytest.raises(InputError, match="not valid JSON"):
        imports.parse_upload(TAILS, "f.json", b"[{")
    with pytest.raises(InputError, match="line 1: missing column 'earliest_utc'"):
        imports.parse_upload(REQUESTS, "r.csv", b"id,origin,destination,cargo_kg,pallets,pax")
    with pytest.raises(InputError, match="no rows"):
        imports.parse_upload(REQUESTS, "r.csv", REQUEST_HEADER.encode() + b"\n")


# --- users, tokens, sessions --------------------------------------------------------------------


def test_users_and_passwords(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        user = accounts.create_user(s, "alice", "correct horse battery", "planner", "ne")
        assert (user.role, user.nation) == ("planner", "NE")
        assert "correct horse" not in user.password_hash
        assert accounts.verify_password(user, "correct horse battery")
        assert not accounts.verify_password(user, "wrong password!")
    bad = [
        ("bob", "short", "viewer", None, "password"),
        ("bob", "long enough pw", "pilot", None, "role"),
        ("bob", "long enough pw", "viewer", "Niger", "nation"),
        ("bo b", "long enough pw", "viewer", None, "username"),
    ]
    for name, password, role, nation, field in bad:
        with factory() as s, pytest.raises(FieldError) as err:
            accounts.create_user(s, name, password, role, nation)
        assert err.value.field == field
    with pytest.raises(Conflict, match="already exists"), transaction(factory) as s:
        accounts.create_user(s, "Alice", "another long one", "viewer")
    with factory() as s:
        assert accounts.authenticate(s, "alice", "correct horse battery") is not None
        assert accounts.authenticate(s, "alice", "nope nope nope") is None
        assert accounts.authenticate(s, "nobody", "correct horse battery") is None


def test_tokens_are_stored_hashed_and_revocable(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        user = accounts.create_user(s, "alice", "correct horse battery", "planner")
        token = accounts.create_token(s, user, "laptop")
        other = accounts.create_user(s, "bob", "correct horse battery", "viewer")
    with factory() as s:
        (stored,) = s.scalars(select(ApiToken))
        assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in {stored.token_hash, stored.name}
        found = accounts.user_for_token(s, token)
        assert found is not None and found.username == "alice"
        assert accounts.user_for_token(s, token + "x") is None
        assert accounts.user_for_token(s, "") is None
        token_id = stored.id
    with pytest.raises(NotFound), transaction(factory) as s:
        accounts.revoke_token(s, token_id, s.get(User, other.id))
    with transaction(factory) as s:
        owner = s.get(User, user.id)
        assert owner is not None
        accounts.revoke_token(s, token_id, owner)
    with factory() as s:
        assert accounts.user_for_token(s, token) is None
        (stored,) = s.scalars(select(ApiToken))
        assert stored.revoked_at is not None
    with transaction(factory) as s:
        token2 = accounts.create_token(s, user, "ci")
        owner = s.get(User, user.id)
        assert owner is not None
        owner.active = False
    with factory() as s:
        assert accounts.user_for_token(s, token2) is None  # inactive users have no access
    actions = [(e.action, e.entity) for e in audit(factory)]
    assert ("create", "api_tokens") in actions and ("revoke", "api_tokens") in actions


def test_web_sessions_expire(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        user = accounts.create_user(s, "alice", "correct horse battery", "viewer")
        token, csrf = accounts.create_web_session(s, user)
        old_token, _ = accounts.create_web_session(s, user, hours=1)
    with factory() as s:
        found = accounts.user_for_session(s, token)
        assert found is not None
        assert (found[0].username, found[1].csrf_token) == ("alice", csrf)
        assert token not in {w.token_hash for w in s.scalars(select(WebSession))}
    with transaction(factory) as s:
        for w in s.scalars(select(WebSession)):
            if w.token_hash == hashlib.sha256(old_token.encode()).hexdigest():
                w.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    with factory() as s:
        assert accounts.user_for_session(s, old_token) is None
    with transaction(factory) as s:
        accounts.delete_web_session(s, token)
    with factory() as s:
        assert accounts.user_for_session(s, token) is None


def test_login_failures_are_counted(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        for _ in range(3):
            accounts.record_login(s, "alice", "10.0.0.1", False)
        accounts.record_login(s, "alice", "10.0.0.2", False)
    with factory() as s:
        assert accounts.recent_failures(s, "alice", "10.0.0.1") == 3
        assert accounts.recent_failures(s, "alice", "10.0.0.2") == 1
        assert accounts.recent_failures(s, "bob", "10.0.0.1") == 0
        assert accounts.recent_failures(s, "alice", "10.0.0.1", minutes=0) == 0
    with transaction(factory) as s:
        accounts.record_login(s, "alice", "10.0.0.1", True)
    with factory() as s:
        assert accounts.recent_failures(s, "alice", "10.0.0.1") == 0
    assert [(e.action, e.username) for e in audit(factory)] == [("login", "alice")]


# --- demo, domain objects, runs -----------------------------------------------------------------


def test_demo_loads_into_an_empty_database(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        demo.load_demo(s)
    shipped = readers.demo_dir()
    with factory() as s:
        assert domain.domain_fleet(s) == readers.read_fleet(shipped / "fleet.csv")
        assert domain.domain_requests(s) == readers.read_requests(shipped / "requests.csv")
        (scenario_row,) = SCENARIOS.rows(s)
        scenario = domain.domain_scenario(s, scenario_row.id)
        assert scenario == readers.read_scenario(shipped / "scenario.toml")
    with transaction(factory) as s:
        demo.load_demo(s)  # tails exist: nothing happens
    with factory() as s:
        assert len(TAILS.rows(s)) == 8
        assert len(REQUESTS.rows(s)) == 57
    assert {e.entity for e in audit(factory)} == {"tails", "requests", "scenarios"}


def test_domain_scenario_puts_its_overrides_over_the_global_ones(
    factory: sessionmaker[Session],
) -> None:
    with transaction(factory) as s:
        AIRFIELD_OVERRIDES.create(
            s,
            {"icao": "GATS", "fuel_available": False, "mog": 3, "hours_utc": "06:00-18:00"},
            "admin",
        )
        AIRFIELD_OVERRIDES.create(s, {"icao": "GAGO", "closed": True}, "admin")
        scenario_id = SCENARIOS.create(s, SCENARIO, "alice").id
    with factory() as s:
        scenario = domain.domain_scenario(s, scenario_id)
    gats = scenario.overrides["GATS"]
    assert (gats.mog, gats.fuel_available, gats.hours_utc) == (1, False, ("06:00", "18:00"))
    assert scenario.overrides["GAGO"].closed
    assert scenario.start_utc == datetime(2023, 10, 27, tzinfo=UTC)


def test_runs_and_interrupted_runs(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        scenario_id = SCENARIOS.create(s, SCENARIO, "alice").id
        runs = [store_runs.create_run(s, scenario_id, "alice", 30, seed) for seed in range(4)]
        runs[1].status = "running"
        runs[2].status = "done"
        runs[3].status = "cancelled"
    with factory() as s, pytest.raises(NotFound):
        store_runs.create_run(s, 999, "alice", 30, 0)
    with factory() as s, pytest.raises(FieldError):
        store_runs.create_run(s, scenario_id, "alice", -1, 0)
    with pytest.raises(Conflict, match="in progress"), transaction(factory) as s:
        SCENARIOS.delete(s, scenario_id, 1, "alice")
    # A running run without a heartbeat has a dead worker; a queued one waits for a worker.
    with transaction(factory) as s:
        assert store_runs.mark_interrupted_runs(s) == 1
    with transaction(factory) as s:
        assert store_runs.mark_interrupted_runs(s) == 0
    with factory() as s:
        got = {r.seed: (r.status, r.error) for r in s.scalars(select(ScheduleRun))}
    assert got == {
        0: ("queued", ""),
        1: ("failed", "interrupted by a server restart"),
        2: ("done", ""),
        3: ("cancelled", ""),
    }
    with transaction(factory) as s:
        store_runs.cancel_run(s, runs[0].id)
    with transaction(factory) as s:  # finished runs stay, detached from the scenario
        SCENARIOS.delete(s, scenario_id, 1, "alice")
    with factory() as s:
        assert {r.scenario_id for r in s.scalars(select(ScheduleRun))} == {None}


def test_lease_expiry_decides_which_running_runs_are_dead(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        scenario_id = SCENARIOS.create(s, SCENARIO, "alice").id
        ids = [store_runs.create_run(s, scenario_id, "alice", 30, seed).id for seed in range(3)]
    claimed = [store_runs.claim(factory) for _ in ids]
    assert claimed == ids
    with transaction(factory) as s:  # the database's clock stamps the heartbeats
        beats = [r.heartbeat_at for r in s.scalars(select(ScheduleRun).order_by(ScheduleRun.id))]
        assert all(b is not None and abs((b - utcnow()).total_seconds()) < 60 for b in beats)
        old = utcnow() - timedelta(seconds=store_runs.LEASE_S + 5)
        s.execute(update(ScheduleRun).where(ScheduleRun.id == ids[0]).values(heartbeat_at=old))
    with transaction(factory) as s:
        assert store_runs.mark_interrupted_runs(s) == 1  # only the one whose lease expired
    with transaction(factory) as s:
        assert store_runs.beat(s, ids[0], 1.0, 5.0) == (False, False)  # not its worker's now
        assert store_runs.beat(s, ids[1], 1.0, 5.0) == (True, False)
    time.sleep(1.2)
    with transaction(factory) as s:
        assert store_runs.beat(s, ids[1]) == (True, False)
        assert store_runs.mark_interrupted_runs(s, lease_s=1.0) == 1  # ids[2]: 1.2 s silent
    with factory() as s:
        got = {r.id: (r.status, r.error) for r in s.scalars(select(ScheduleRun))}
    assert got == {
        ids[0]: ("failed", "interrupted by a server restart"),
        ids[1]: ("running", ""),
        ids[2]: ("failed", "interrupted by a server restart"),
    }
    with transaction(factory) as s:
        assert store_runs.record_done(s, ids[2], {"kpis": {}}, 1.0, 2.0) is False  # stays failed
        assert store_runs.record_cancelled(s, ids[1], 3.0) is True


# --- CLI ----------------------------------------------------------------------------------------


def _airlift(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "airlift", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "AIRLIFT_DB_URL": ""},
        timeout=120,
        check=False,
    )


def test_cli_creates_an_admin(db_url: str, factory: sessionmaker[Session]) -> None:
    r = _airlift("db", "upgrade", "--db", db_url, stdin="")
    assert r.returncode == 0, r.stderr
    assert f"revision {migrate.head()}" in r.stdout
    args = ("users", "create-admin", "root", "--password-stdin", "--db", db_url)
    r = _airlift(*args, stdin="correct horse battery\n")
    assert r.returncode == 0, r.stderr
    r = _airlift(*args, stdin="correct horse battery\n")
    assert (r.returncode, r.stderr) == (2, "error: user 'root' already exists\n")
    r = _airlift("users", "create", "pat", "--password-stdin", "--db", db_url, stdin="short\n")
    assert r.returncode == 2 and "at least 10 characters" in r.stderr
    r = _airlift(
        *("users", "create", "pat", "--role", "planner", "--nation", "ne"),
        *("--password-stdin", "--db", db_url),
        stdin="another password\n",
    )
    assert r.returncode == 0, r.stderr
    with factory() as s:
        users = {u.username: u for u in s.scalars(select(User))}
        assert {n: (u.role, u.nation) for n, u in users.items()} == {
            "root": ("admin", None),
            "pat": ("planner", "NE"),
        }
        assert accounts.verify_password(users["root"], "correct horse battery")
