"""Request and response bodies of the REST API, layered ``Base -> Create/Update -> Public``.

Units are in the field names (``cargo_kg``, ``oat_c``). Times are ISO 8601 with an explicit
offset (a naive time is refused). These schemas check shape, types and ranges; the store
(``store/validation.py``) and the library check meaning (known airfield, known aircraft
type...) and name the field in their 422 answers. String lengths match the database columns.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from airlift.mission.inputs import MAX_DUTY_H, MAX_GROUND_TIME_MIN
from airlift.store.accounts import MIN_PASSWORD_LENGTH

INT32 = 2_147_483_647
"""Largest integer every supported database stores in an INTEGER column."""

Count = Annotated[int, Field(ge=0, le=INT32)]
Kg = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Hours = Annotated[float, Field(gt=0, le=24, allow_inf_nan=False)]
Icao = Annotated[
    str, Field(min_length=1, max_length=64, examples=["GAGO"], description="ICAO, IATA or name")
]
Nation = Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}$", examples=["NE"])]
Version = Annotated[int, Field(ge=1, le=INT32, description="the version you read (409 if stale)")]
Text = Annotated[str, Field(max_length=10_000)]
Role = Literal["viewer", "planner", "admin"]
PlanningDate = Annotated[
    date,
    Field(
        ge=date(1970, 1, 1),
        le=date(2100, 12, 31),
        description="the day clearances are requested from (default: today, UTC)",
    ),
]


class Problem(BaseModel):
    """Every error answer: one line, and the field it is about where known."""

    detail: str
    field: str | None = None


class FieldProblem(BaseModel):
    field: str
    message: str


class ValidationProblem(Problem):
    """A request that does not fit the schema: ``detail`` and ``field`` tell the first
    problem, ``fields`` every one."""

    fields: list[FieldProblem] = Field(default_factory=list)


class NotFoundAirfield(Problem):
    suggestions: list[str]
    """The closest codes or names, e.g. ``GAGO (Gao)``."""


class Public(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class Body(BaseModel):
    """A request body. No text may hold a NUL character (PostgreSQL cannot store one).

    Only what clients send is checked: the ``*Base`` field sets are shared by the bodies
    (``*Create``, ``*Update``: checked) and the answers (``*Public``: built from stored rows,
    not checked again). NaN and infinity survive ``model_dump(mode="json")`` (pydantic would
    make them null, which the readers take for "not given") so that the readers refuse them."""

    model_config = ConfigDict(ser_json_inf_nan="constants")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if _has_nul(value):
            raise ValueError("text must not contain NUL (\\x00) characters")
        return value


# --- movement requests --------------------------------------------------------------------------


class RequestBase(BaseModel):
    """A movement request: move a load from ``origin`` to ``destination`` in a time window."""

    ref: str = Field(min_length=1, max_length=32, examples=["R-001"])
    origin: Icao
    destination: Icao
    cargo_kg: Kg = 0.0
    pallets: Count = 0
    pax: Count = 0
    earliest_utc: AwareDatetime
    """Ready for pickup."""
    latest_utc: AwareDatetime
    """Delivered by."""
    priority: int = Field(default=3, ge=1, le=4, description="1 = most urgent")
    optional: bool = False
    allowed_nations: list[Nation] = Field(default_factory=list, max_length=100)
    allowed_types: list[Annotated[str, Field(max_length=32)]] = Field(
        default_factory=list, max_length=100
    )
    hazardous: bool = False
    """Implied by ``dg_class``: a request with a class is stored hazardous."""
    description: Text = ""
    dg_class: str = Field(
        default="", max_length=16, examples=["3", "1.4S"], description="UN dangerous-goods class"
    )
    un_number: str = Field(
        default="", max_length=16, examples=["UN1863"], description="UN number (needs dg_class)"
    )


class RequestCreate(RequestBase, Body):
    pass


class RequestUpdate(RequestBase, Body):
    version: Version


class RequestPublic(RequestBase, Public):
    id: int
    version: int


# --- tails --------------------------------------------------------------------------------------


class TailBase(BaseModel):
    """One airframe of the pooled fleet. ``unavailable``: maintenance windows [start, end)."""

    registration: str = Field(min_length=1, max_length=16, examples=["5U-MBD"])
    aircraft_type: str = Field(min_length=1, max_length=32, examples=["C-130H"])
    nation: Nation
    home_base: Icao
    military: bool = True
    unavailable: list[tuple[AwareDatetime, AwareDatetime]] = Field(
        default_factory=list, max_length=1000
    )
    duty_limit_h: Hours = 16.0
    max_flying_h_per_day: Hours = 10.0
    operator: str = Field(default="", max_length=128)
    icao24: str = Field(
        default="",
        max_length=6,
        examples=["062a01"],
        description="ICAO 24-bit transponder address, 6 hex digits (stored in lower case)",
    )


class TailCreate(TailBase, Body):
    pass


class TailUpdate(TailBase, Body):
    version: Version


class TailPublic(TailBase, Public):
    id: int
    version: int


# --- scenarios ----------------------------------------------------------------------------------


class ScenarioBase(BaseModel):
    """A planning horizon of ``days`` from ``start_utc``, with scenario airfield overrides
    (ICAO -> the fields of an airfield override) on top of the global ones."""

    name: str = Field(min_length=1, max_length=128)
    start_utc: AwareDatetime
    days: int = Field(ge=1, le=INT32, description="horizon length (at most 366)")
    fuel_policy: str = Field(default="icao", max_length=128)
    night_ops: bool = False
    overrides: dict[Annotated[str, Field(max_length=64)], dict[str, Any]] = Field(
        default_factory=dict
    )


class ScenarioCreate(ScenarioBase, Body):
    pass


class ScenarioUpdate(ScenarioBase, Body):
    version: Version


class ScenarioPublic(ScenarioBase, Public):
    id: int
    version: int


# --- airfield overrides -------------------------------------------------------------------------


class AirfieldOverrideBase(BaseModel):
    """A change to an airfield's planning attributes for every scenario; null keeps the
    theatre value."""

    icao: Icao
    fuel_available: bool | None = None
    daylight_only: bool | None = None
    mog: int | None = Field(default=None, ge=1, le=INT32)
    oat_c: float | None = Field(default=None, ge=-60, le=60, allow_inf_nan=False)
    closed: bool = False
    hours_utc: str | None = Field(default=None, max_length=11, examples=["06:00-18:00"])
    note: Text = ""


class AirfieldOverrideCreate(AirfieldOverrideBase, Body):
    pass


class AirfieldOverrideUpdate(AirfieldOverrideBase, Body):
    version: Version


class AirfieldOverridePublic(AirfieldOverrideBase, Public):
    id: int
    version: int


# --- aircraft types -----------------------------------------------------------------------------


class AircraftTypeBase(BaseModel):
    """A user-added aircraft type: the TOML of a type file (see ``data/aircraft/*.toml``)."""

    designator: str = Field(min_length=1, max_length=32)
    toml: str = Field(min_length=1, max_length=200_000)


class AircraftTypeCreate(AircraftTypeBase, Body):
    pass


class AircraftTypeUpdate(AircraftTypeBase, Body):
    version: Version


class AircraftTypePublic(AircraftTypeBase, Public):
    id: int
    version: int


# --- airspace -----------------------------------------------------------------------------------


class ZoneBase(BaseModel):
    """A zone to route around: a lon/lat GeoJSON Polygon, its kind, an optional altitude band
    (ft MSL) and UTC window, and for threats a stand-off (m)."""

    name: str = Field(min_length=1, max_length=128, examples=["Threat Mopti"])
    kind: str = Field(
        max_length=16, examples=["threat"], description="threat, prohibited, restricted"
    )
    geometry: dict[str, Any] = Field(
        examples=[{"type": "Polygon", "coordinates": [[[-4.5, 13.5], [-3.5, 13.5], [-4, 15]]]}],
        description="GeoJSON Polygon, [lon, lat] degrees, one ring",
    )
    lower_ft: float | None = Field(default=None, ge=-2000, le=100_000, allow_inf_nan=False)
    upper_ft: float | None = Field(default=None, ge=-2000, le=100_000, allow_inf_nan=False)
    from_utc: AwareDatetime | None = None
    until_utc: AwareDatetime | None = None
    standoff_m: float = Field(default=0.0, ge=0, le=1_000_000, allow_inf_nan=False)
    note: Text = ""


class ZoneCreate(ZoneBase, Body):
    pass


class ZoneUpdate(ZoneBase, Body):
    version: Version


class ZonePublic(ZoneBase, Public):
    id: int
    version: int

    @field_validator("geometry", mode="before")
    @classmethod
    def _parsed(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value


class ClearanceBase(BaseModel):
    """A diplomatic clearance record: what was asked of a country and what it gave."""

    country: str = Field(min_length=2, max_length=3, examples=["MLI"], description="ISO 3166")
    kind: str = Field(max_length=16, examples=["overflight"], description="overflight, landing")
    status: str = Field(
        default="needed", max_length=16, description="needed, requested, granted, refused"
    )
    number: str = Field(default="", max_length=64, description="required when granted")
    valid_from: date | None = None
    valid_until: date | None = None
    note: Text = ""


class ClearanceCreate(ClearanceBase, Body):
    pass


class ClearanceUpdate(ClearanceBase, Body):
    version: Version


class ClearancePublic(ClearanceBase, Public):
    id: int
    version: int


# --- imports ------------------------------------------------------------------------------------


class RowErrorPublic(Public):
    row: int
    """Line of the file (the header is line 1) or index of the JSON item."""
    field: str
    reason: str


class ImportReportPublic(Public):
    created: int
    updated: int
    errors: list[RowErrorPublic]
    stored: bool
    """False: nothing was stored (every row error is listed)."""


class ImportProblem(ImportReportPublic):
    detail: str
    field: str | None = None


# --- users, sessions, tokens --------------------------------------------------------------------


class UserBase(BaseModel):
    username: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
    role: Role = "viewer"
    nation: Nation | None = None
    """None: coalition staff."""


class UserCreate(UserBase, Body):
    password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=256)


class UserUpdate(Body):
    """Fields to change; absent fields stay as they are (``nation: null`` makes coalition
    staff)."""

    role: Role | None = None
    nation: Nation | None = None
    active: bool | None = None


class UserPublic(UserBase, Public):
    id: int
    active: bool
    created_at: datetime


class LoginRequest(Body):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class LoginPublic(BaseModel):
    csrf_token: str | None
    """Send it back as the ``X-CSRF-Token`` header on every write with this session (null
    when authenticated by a bearer token, which needs none)."""
    user: UserPublic


class TokenCreate(Body):
    name: str = Field(min_length=1, max_length=64, examples=["ops-dashboard"])


class TokenPublic(Public):
    id: int
    name: str
    user_id: int
    created_at: datetime
    revoked_at: datetime | None


class TokenCreated(TokenPublic):
    token: str
    """The token itself: shown once, never stored (only its hash is)."""


# --- planning -----------------------------------------------------------------------------------


class LoadIn(BaseModel):
    """What is on board for one leg. Only ever inside a ``PlanRequest``, whose NUL check
    already looks into its items."""

    cargo_kg: Kg = 0.0
    pallets: Count = 0
    pax: Count = 0


class ManifestItemIn(LoadIn):
    id: str = Field(min_length=1, max_length=64)
    origin: Icao
    destination: Icao
    description: str = Field(default="", max_length=1000)
    dg_class: str = Field(
        default="", max_length=8, description="dangerous-goods class or division: 3, 1.4S..."
    )
    un_number: str = Field(default="", max_length=8, description="UN1863; needs dg_class")


class PlanRequest(Body):
    """The same input as ``airlift plan``."""

    aircraft: str = Field(
        default="C-130H",
        max_length=32,
        description="aircraft type (shipped or added) or a tail registration of the fleet",
    )
    stops: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        min_length=2, max_length=30, examples=[["GABS", "GAGO", "GATS", "DRRN", "GABS"]]
    )
    departure_utc: str = Field(max_length=40, examples=["2023-10-27T06:30Z"])
    loads: list[LoadIn] = Field(
        default_factory=list, max_length=30, description="once for all legs or once per leg"
    )
    items: list[ManifestItemIn] = Field(
        default_factory=list, max_length=500, description="manifest items (instead of loads)"
    )
    policy: str = Field(default="icao", max_length=128, examples=["icao", "usaf-c130"])
    oat: list[Annotated[str, Field(max_length=40)]] = Field(
        default_factory=list, max_length=30, examples=[["45", "GAGO=44"]]
    )
    metar: list[Annotated[str, Field(max_length=500)]] = Field(default_factory=list, max_length=30)
    wind: list[Annotated[str, Field(max_length=20)]] = Field(
        default_factory=list, max_length=30, examples=[["070/20"]]
    )
    closed: list[Annotated[str, Field(max_length=40)]] = Field(
        default_factory=list, max_length=30, examples=[["GATS:05/23"]]
    )
    duty_limit_h: float = Field(default=16.0, ge=0.5, le=MAX_DUTY_H, allow_inf_nan=False)
    ground_time_min: float | None = Field(
        default=None, ge=0, le=MAX_GROUND_TIME_MIN, allow_inf_nan=False
    )
    extra_fuel_kg: Kg = 0.0
    fl: float | None = Field(
        default=None, ge=0, le=600, allow_inf_nan=False, description="cruise flight level"
    )
    speed: str | None = Field(
        default=None, max_length=16, description="mrc, lrc, mcr, max-endurance or a TAS in kt"
    )
    isa_dev_c: float = Field(default=0.0, ge=-40, le=40, allow_inf_nan=False)
    ground_mode: Literal["normal", "expedited", "ero"] = "normal"
    payload_limit: Literal["structural", "acl"] = "structural"
    operator: str | None = Field(
        default=None,
        max_length=3,
        examples=["FRA"],
        description="nation flying, ISO code: sets the clearances (default: the tail's)",
    )
    planning_date: PlanningDate | None = None


class MaxLoadRequest(Body):
    """The same input as ``airlift maxload``."""

    origin: str = Field(min_length=1, max_length=64, examples=["GAGO"])
    destination: str = Field(min_length=1, max_length=64, examples=["GATS"])
    aircraft: str = Field(
        default="C-130H",
        max_length=32,
        description="aircraft type (shipped or added) or a tail registration of the fleet",
    )
    oat: list[Annotated[str, Field(max_length=40)]] = Field(
        default_factory=list, max_length=30, examples=[["45"]]
    )
    metar: list[Annotated[str, Field(max_length=500)]] = Field(default_factory=list, max_length=30)
    wind: list[Annotated[str, Field(max_length=20)]] = Field(default_factory=list, max_length=2)
    policy: str = Field(default="icao", max_length=128)
    then: str | None = Field(
        default=None,
        max_length=64,
        description="where the aircraft goes next if the destination has no fuel "
        "(default: back to the origin)",
    )
    departure_utc: str = Field(default="2023-10-27T12:00Z", max_length=40)
    operator: str | None = Field(default=None, max_length=3, examples=["FRA"])
    planning_date: PlanningDate | None = None


class MaxLoadPublic(BaseModel):
    payload_kg: float
    """Most cargo on the first leg, kg."""
    binding_limit: str
    by_limit: dict[str, float | None]
    """Most cargo each weight limit alone allows, kg (null: that limit never binds)."""
    plan: dict[str, Any]
    """The plan at that payload (the ``POST /api/plan`` document)."""


# --- reference data -----------------------------------------------------------------------------


class RunwayPublic(Public):
    ident: str
    length_m: float | None
    width_m: float | None
    surface: str
    paved: bool
    lighted: bool
    closed: bool
    source: str


class PlanningPublic(BaseModel):
    fuel_available: bool | None
    daylight_only: bool
    hours_utc: tuple[str, str] | None
    mog: int | None
    planning_oat_c: float | None
    closed: bool
    """Every runway closed by an override."""
    notes: str
    source: str


class AirfieldMatchPublic(BaseModel):
    """An airfield a search found (``GET /api/airfields/search``)."""

    icao: str
    iata: str
    name: str
    city: str
    country: str
    source: str = Field(description="theatre file or airportsdata")


class AirfieldPublic(BaseModel):
    icao: str
    name: str
    lat: float
    lon: float
    elevation_ft: float
    tz: str
    iata: str
    country: str
    city: str
    runways: list[RunwayPublic]
    runway_source: str
    planning: PlanningPublic


class AircraftSummary(BaseModel):
    designator: str
    name: str
    aliases: list[str]
    military: bool
    mtow_kg: float
    max_payload_kg: float
    max_fuel_kg: float
    cruise_tas_kt: float
    pallet_positions: int
    seats: int
    unpaved_approved: bool


class AircraftDetail(AircraftSummary):
    mlw_kg: float
    assault_landing_weight_kg: float | None
    mzfw_kg: float
    oew_kg: float
    acl_kg: float | None
    ballast_cargo_threshold_kg: float | None
    ballast_min_fuel_kg: float | None
    ceiling_ft: float
    propulsion: str
    normal_speed: str
    ground_time_min: float
    ground_time_expedited_min: float
    ground_time_ero_min: float
    taxi_fuel_kg: float
    aero: dict[str, float | None]
    """Drag polar and lift: wing_area_m2, span_m, oswald, cd0, cl_max_*, mmo, vmo_kt."""
    engine: dict[str, float | int | str | None]
    calibration: dict[str, float]
    """Factors fitted to the published figures (1.0 = public parameters as given)."""
    published: list[dict[str, Any]]
    """Every published figure with its conditions, source and role (fitted / held out)."""
    sources: dict[str, str]
    """Figure name -> its source as written in the type file ("[2]", "assumption: ...")."""
    references: dict[str, str]


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    database: str
