"""The database schema as SQLAlchemy 2 ORM models. Migrations: ``store/migrations``.

Editable rows carry ``version`` (SQLAlchemy's version counter): an update that names a stale
version is refused (HTTP 409), never a silent overwrite. Times are timezone-aware UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC; SQLite gives back naive ones, made aware again here."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store timezone-aware UTC times only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012


class Versioned:
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    """viewer | planner | admin"""
    nation: Mapped[str | None] = mapped_column(String(3))
    """None: coalition staff (may edit every nation's tails, if the role allows)."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    """SHA-256 of the token; the token itself is shown once and never stored."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    user: Mapped[User] = relationship(back_populates="tokens")


class WebSession(Base):
    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    success: Mapped[bool] = mapped_column(Boolean)


class Tail(Versioned, Base):
    __tablename__ = "tails"
    id: Mapped[int] = mapped_column(primary_key=True)
    registration: Mapped[str] = mapped_column(String(16), unique=True)
    aircraft_type: Mapped[str] = mapped_column(String(32))
    nation: Mapped[str] = mapped_column(String(3))
    home_base: Mapped[str] = mapped_column(String(4))
    military: Mapped[bool] = mapped_column(Boolean, default=True)
    unavailable: Mapped[list[Any]] = mapped_column(default=list)
    """[[start ISO, end ISO], ...] maintenance windows, UTC."""
    duty_limit_h: Mapped[float] = mapped_column(Float, default=16.0)
    max_flying_h_per_day: Mapped[float] = mapped_column(Float, default=10.0)
    operator: Mapped[str] = mapped_column(String(128), default="")
    icao24: Mapped[str] = mapped_column(String(6), default="")
    """The transponder's ICAO 24-bit address, 6 lower-case hex digits; "" if not known."""


class MovementRequestRow(Versioned, Base):
    __tablename__ = "movement_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    origin: Mapped[str] = mapped_column(String(4))
    destination: Mapped[str] = mapped_column(String(4))
    cargo_kg: Mapped[float] = mapped_column(Float, default=0.0)
    pallets: Mapped[int] = mapped_column(Integer, default=0)
    pax: Mapped[int] = mapped_column(Integer, default=0)
    earliest_utc: Mapped[datetime]
    latest_utc: Mapped[datetime]
    priority: Mapped[int] = mapped_column(Integer, default=3)
    optional: Mapped[bool] = mapped_column(Boolean, default=False)
    allowed_nations: Mapped[list[Any]] = mapped_column(default=list)
    allowed_types: Mapped[list[Any]] = mapped_column(default=list)
    hazardous: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text, default="")
    dg_class: Mapped[str] = mapped_column(String(8), default="")
    """UN dangerous-goods class or division (3, 1.4S); "" none given."""
    un_number: Mapped[str] = mapped_column(String(6), default="")
    """UN1863; "" none given."""


class ScenarioRow(Versioned, Base):
    __tablename__ = "scenarios"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    start_utc: Mapped[datetime]
    days: Mapped[int] = mapped_column(Integer)
    fuel_policy: Mapped[str] = mapped_column(String(128), default="icao")
    night_ops: Mapped[bool] = mapped_column(Boolean, default=False)
    overrides: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """ICAO -> AirfieldOverride fields, applied on top of the global overrides."""


class AirfieldOverrideRow(Versioned, Base):
    """Planning attributes the admin changed for every scenario (fuel, hours, MOG, closure)."""

    __tablename__ = "airfield_overrides"
    id: Mapped[int] = mapped_column(primary_key=True)
    icao: Mapped[str] = mapped_column(String(4), unique=True)
    fuel_available: Mapped[bool | None] = mapped_column(Boolean, default=None)
    daylight_only: Mapped[bool | None] = mapped_column(Boolean, default=None)
    mog: Mapped[int | None] = mapped_column(Integer, default=None)
    oat_c: Mapped[float | None] = mapped_column(Float, default=None)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    hours_utc: Mapped[str | None] = mapped_column(String(11), default=None)
    note: Mapped[str] = mapped_column(Text, default="")


class AircraftTypeRow(Versioned, Base):
    """An aircraft type added by a user: the same TOML as the shipped type files."""

    __tablename__ = "aircraft_types"
    id: Mapped[int] = mapped_column(primary_key=True)
    designator: Mapped[str] = mapped_column(String(32), unique=True)
    toml: Mapped[str] = mapped_column(Text)


class ZoneRow(Versioned, Base):
    """An airspace zone to route around (``airspace.zones.Zone``), as the planning cell
    stores it (migration 0010). ``geometry``: the GeoJSON text of its lon/lat Polygon."""

    __tablename__ = "zones"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    """threat | prohibited | restricted"""
    geometry: Mapped[str] = mapped_column(Text)
    lower_ft: Mapped[float | None] = mapped_column(Float, default=None)
    """Band floor, ft MSL; None: from the surface."""
    upper_ft: Mapped[float | None] = mapped_column(Float, default=None)
    """Band ceiling, ft MSL; None: unlimited."""
    from_utc: Mapped[datetime | None] = mapped_column(default=None)
    until_utc: Mapped[datetime | None] = mapped_column(default=None)
    standoff_m: Mapped[float] = mapped_column(Float, default=0.0)
    """Distance a route keeps from a threat, m."""
    note: Mapped[str] = mapped_column(Text, default="")


class ClearanceRow(Versioned, Base):
    """A diplomatic clearance record (migration 0010): what the cell asked of a country and
    what it got; the brief shows its number against the clearances a plan needs."""

    __tablename__ = "clearances"
    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(String(3), index=True)
    """ISO 3166-1 alpha-3."""
    kind: Mapped[str] = mapped_column(String(16))
    """overflight | landing"""
    status: Mapped[str] = mapped_column(String(16), default="needed")
    """needed | requested | granted | refused"""
    number: Mapped[str] = mapped_column(String(64), default="")
    """The clearance number the country gave (required when granted)."""
    valid_from: Mapped[date | None] = mapped_column(Date, default=None)
    valid_until: Mapped[date | None] = mapped_column(Date, default=None)
    note: Mapped[str] = mapped_column(Text, default="")


class ScheduleRun(Base):
    __tablename__ = "schedule_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int | None] = mapped_column(ForeignKey("scenarios.id"))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    """queued | running | done | failed | cancelled"""
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    heartbeat_at: Mapped[datetime | None] = mapped_column(default=None)
    """Last sign of life of the worker solving the run (``store/runs.py``: its lease)."""
    time_limit_s: Mapped[float] = mapped_column(Float, default=30.0)
    seed: Mapped[int] = mapped_column(Integer, default=0)
    best_objective: Mapped[float | None] = mapped_column(Float, default=None)
    progress_s: Mapped[float] = mapped_column(Float, default=0.0)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    error: Mapped[str] = mapped_column(Text, default="")
    kpis: Mapped[dict[str, Any]] = mapped_column(default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    """The programme document (export/programme.py) of a finished run."""
    kind: Mapped[str] = mapped_column(String(16), default="schedule", server_default="schedule")
    """schedule (a worker solved it) | replan (a re-plan of ``parent_id`` after disruptions)"""
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("schedule_runs.id"), default=None)
    """The programme a re-plan started from."""
    approval: Mapped[str | None] = mapped_column(String(16), default=None)
    """None (a schedule run nobody approved) | proposed | approved | discarded | superseded"""
    approved_by: Mapped[str | None] = mapped_column(String(64), default=None)
    approved_at: Mapped[datetime | None] = mapped_column(default=None)


class StudyRow(Base):
    """A what-if study launched from the web app (``store/studies.py``): its TOML as given,
    its progress while a server's study worker runs it, and its outcome summary; the
    results (``results.parquet``) and ``report.html`` live in ``out_dir``."""

    __tablename__ = "studies"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    """queued | running | done | failed | cancelled"""
    study_toml: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    heartbeat_at: Mapped[datetime | None] = mapped_column(default=None)
    """Last sign of life of the study worker (its lease, as for schedule runs)."""
    runs_total: Mapped[int] = mapped_column(Integer, default=0)
    runs_done: Mapped[int] = mapped_column(Integer, default=0)
    runs_failed: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    """The outcome summary (``studies.report.summary``: runs, failed, smallest_fleet ...)."""
    error: Mapped[str] = mapped_column(Text, default="")
    out_dir: Mapped[str] = mapped_column(Text, default="")
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)


class DisruptionEvent(Base):
    """A disruption declared against a programme (a done run), as the one line of text
    ``airlift.replan.parse_event`` reads, with its author (``store/replans.py``)."""

    __tablename__ = "disruption_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("schedule_runs.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LegActualRow(Base):
    """One report of a flown leg (``tracking.model.LegActual``), as it came: every report is
    kept, never edited (a correction is a new report; a wrong one is deleted). The leg is the
    merge of the reports of one key (``store/actuals.py``). ``content_hash`` identifies the
    report by what it says, so the same report stored twice is one row."""

    __tablename__ = "leg_actuals"
    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    """SHA-256 of the report's fields (not of who stored it, when, or for which run)."""
    tail: Mapped[str] = mapped_column(String(16), index=True)
    origin: Mapped[str] = mapped_column(String(4))
    destination: Mapped[str] = mapped_column(String(4))
    source: Mapped[str] = mapped_column(String(16))
    """crew | mvt | adsb | sighting"""
    first_utc: Mapped[datetime] = mapped_column(index=True)
    """The earliest time reported (seen in cruise only: the first sighting): the leg's UTC
    date (its key) and the day filters."""
    out_utc: Mapped[datetime | None] = mapped_column(default=None)
    off_utc: Mapped[datetime | None] = mapped_column(default=None)
    on_utc: Mapped[datetime | None] = mapped_column(default=None)
    in_utc: Mapped[datetime | None] = mapped_column(default=None)
    fuel_out_kg: Mapped[float | None] = mapped_column(Float, default=None)
    fuel_in_kg: Mapped[float | None] = mapped_column(Float, default=None)
    loads: Mapped[list[Any]] = mapped_column(default=list)
    """[{request_ref, cargo_kg, pallets, pax}, ...]"""
    remarks: Mapped[str] = mapped_column(Text, default="")
    partial: Mapped[bool] = mapped_column(Boolean, default=False)
    reported_by: Mapped[str] = mapped_column(String(64), default="")
    received_from: Mapped[str] = mapped_column(String(255), default="")
    """The file and line (or item) it was read from; "" typed in."""
    run_id: Mapped[int | None] = mapped_column(ForeignKey("schedule_runs.id"), default=None)
    """The schedule run whose plan it reports on, if the reporter said."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))
    seen_from_utc: Mapped[datetime | None] = mapped_column(default=None)
    """Seen in the air only: first airborne report (migration 0008)."""
    seen_until_utc: Mapped[datetime | None] = mapped_column(default=None)
    seen_track_deg: Mapped[float | None] = mapped_column(Float, default=None)
    """Mean track over the ground, true degrees."""
    track: Mapped[list[Any]] = mapped_column(default=list)
    """[[lat deg, lon deg, altitude ft or null, epoch s], ...] (migration 0008)."""


class SightingRow(Base):
    """One sighting (``tracking.sightings.Sighting``): an aircraft seen at a place and time.
    Kept as reported, never edited; ``content_hash`` identifies it by what it says, so the
    same sighting reported twice is one row. A photo's bytes are not kept: only what was read
    from it and its SHA-256."""

    __tablename__ = "sightings"
    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    tail: Mapped[str] = mapped_column(String(16), default="")
    aircraft_type: Mapped[str] = mapped_column(String(32), default="")
    airfield: Mapped[str] = mapped_column(String(4), default="")
    """ICAO code; "" when only a position was given."""
    lat: Mapped[float | None] = mapped_column(Float, default=None)
    """WGS84 degrees."""
    lon: Mapped[float | None] = mapped_column(Float, default=None)
    at_utc: Mapped[datetime] = mapped_column(index=True)
    source: Mapped[str] = mapped_column(String(16))
    """photo | observer | press | social media"""
    confidence: Mapped[str] = mapped_column(String(8))
    """low | medium | high"""
    note: Mapped[str] = mapped_column(Text, default="")
    reported_by: Mapped[str] = mapped_column(String(64), default="")
    photo_sha256: Mapped[str] = mapped_column(String(64), default="")
    run_id: Mapped[int | None] = mapped_column(ForeignKey("schedule_runs.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    """create | update | delete | import | run | cancel | login | ..."""
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class TableRevision(Base):
    """How often a table's rows changed: bumped by database triggers (migration 0002) in the
    transaction that changes them, whoever the writer is (API, CLI, run workers, plain SQL).
    The web app's per-process read cache (``web/read_cache.py``) compares these counters to
    know whether what it holds is still current."""

    __tablename__ = "table_revisions"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger)
