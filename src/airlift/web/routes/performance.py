"""Aircraft performance over HTTP: the same questions, parameter names and JSON documents as
``airlift perf range|endurance|cruise|takeoff|landing`` (built by the same functions of
:mod:`airlift.performance.answers`), and every published figure of a type against the model.

``type`` is a shipped type (designator or alias), a stored tail's registration or a
user-added type, as for ``POST /api/plan``. Bad input is a 422 naming the field: the
type-independent bounds are the parameters' limits below, the type's own (max payload, MTOW,
ceiling) are checked by the library. Distances or speeds the model cannot give (no take-off
possible, outside its validity) are ``null``, with the reason in ``warnings``.

``/perf/payload-range`` gives the payload-range boundary at one speed schedule, the curves of
the aircraft page's chart (one request per schedule instead of one per payload).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Response, status
from pydantic import BaseModel

from airlift.aircraft import CONDITION_KEYS, AircraftType, aircraft_type
from airlift.errors import AirliftError, UnknownAircraft
from airlift.performance.answers import (
    PERF_LIMITS,
    PerfInputError,
    cruise_document,
    endurance_document,
    landing_document,
    range_document,
    takeoff_document,
)
from airlift.store import domain
from airlift.web.security import CurrentUser, ReadViewDep

router = APIRouter(prefix="/api", tags=["performance"])


def _bounded(field: str, description: str) -> Any:
    lo, hi, unit = PERF_LIMITS[field]
    return Query(
        ge=lo,
        le=hi,
        allow_inf_nan=False,
        description=f"{description} ({lo:g} to {hi:g}{' ' + unit if unit else ''})",
    )


TypeQuery = Annotated[
    str,
    Query(
        alias="type",
        min_length=1,
        max_length=64,
        description="aircraft type (C-130H, c130h), a tail's registration or a user-added type",
        examples=["C-130H"],
    ),
]
PayloadQuery = Annotated[float, _bounded("payload_kg", "payload, kg")]
FuelQuery = Annotated[
    float | None, _bounded("fuel_kg", "fuel at brake release, kg (default: full within MTOW)")
]
ReserveQuery = Annotated[
    float | None,
    _bounded("reserve_min", "reserve left on landing, min of holding at 1,500 ft (default 30)"),
]
FlQuery = Annotated[float | None, _bounded("fl", "cruise flight level (default: the best)")]
SpeedQuery = Annotated[
    str | None,
    Query(
        max_length=32,
        description="mrc, lrc, mcr, max-endurance or a TAS in kt (default: the type's normal)",
    ),
]
IsaQuery = Annotated[float, _bounded("isa_dev_c", "temperature deviation from ISA, °C")]
WeightQuery = Annotated[float, _bounded("weight_kg", "gross weight, kg")]
ElevationQuery = Annotated[
    float, _bounded("elevation_ft", "field elevation, ft (taken as the pressure altitude)")
]
OatQuery = Annotated[
    float | None, _bounded("oat_c", "outside air temperature, °C (default: ISA at the elevation)")
]
SurfaceQuery = Annotated[Literal["paved", "unpaved"], Query(description="runway surface")]
WetQuery = Annotated[bool, Query(description="wet runway")]
FactorQuery = Annotated[
    float | None,
    _bounded("factor", "dry factor on the landing distance from 50 ft (default 1/0.6; x1.15 wet)"),
]


# --- answers (the `airlift perf --json` documents) ----------------------------------------------


class PerfAnswer(BaseModel):
    type: str
    """The type's designator."""
    warnings: list[str]
    """Where the answer left the model's validity or the type's limits."""
    units: dict[str, str]
    """The unit of every numeric field."""


class RangeContext(PerfAnswer):
    payload_kg: float
    fuel_kg: float
    tow_kg: float
    reserve_min: float
    reserve_kg: float
    cruise_fl: float
    speed: str
    cruise_tas_kt: float
    isa_dev_c: float


class RangePublic(RangeContext):
    range_nm: float
    time_h: float


class EndurancePublic(RangeContext):
    endurance_h: float


class CruisePublic(PerfAnswer):
    tas_kt: float | None
    fuel_flow_kg_h: float | None
    flyable: bool
    """False: the schedule cannot be flown there (too heavy or too high); figures extrapolated."""
    weight_kg: float
    cruise_fl: float
    speed: str
    isa_dev_c: float


class FieldContext(PerfAnswer):
    ground_roll_m: float | None
    distance_50ft_m: float | None
    weight_kg: float
    elevation_ft: float
    oat_c: float
    surface: str
    wet: bool


class TakeoffPublic(FieldContext):
    balanced_field_m: float | None


class LandingPublic(FieldContext):
    landing_distance_m: float | None
    factor: float
    reverse: bool


def _type(view: Any, name: str) -> AircraftType:
    """The type ``name`` means, through the read cache (the planner's resolution)."""
    try:
        found: tuple[AircraftType, object] = view.get(
            ("aircraft", name),
            domain.AIRCRAFT_TABLES,
            lambda session: domain.resolve_aircraft(session, name),
        )
    except UnknownAircraft as exc:
        raise PerfInputError("type", str(exc)) from None
    return found[0]


# Range and endurance solve a flight over a distance grid (and may first build a schedule's
# tables, tens of ms): plain ``def`` routes, run in the thread pool, not on the event loop.
# Cruise, take-off and landing answer in well under a millisecond.
@router.get("/perf/range")
def perf_range(
    user: CurrentUser,
    view: ReadViewDep,
    type_: TypeQuery,
    payload_kg: PayloadQuery,
    fuel_kg: FuelQuery = None,
    reserve_min: ReserveQuery = None,
    fl: FlQuery = None,
    speed: SpeedQuery = None,
    isa_dev_c: IsaQuery = 0.0,
) -> RangePublic:
    """Still-air range (NM) and flight time (h) at a payload, landing with the reserve."""
    doc = range_document(_type(view, type_), payload_kg, fuel_kg, reserve_min, fl, speed, isa_dev_c)
    return RangePublic.model_validate(doc)


@router.get("/perf/endurance")
def perf_endurance(
    user: CurrentUser,
    view: ReadViewDep,
    type_: TypeQuery,
    payload_kg: PayloadQuery,
    fuel_kg: FuelQuery = None,
    reserve_min: ReserveQuery = None,
    fl: FlQuery = None,
    speed: SpeedQuery = None,
    isa_dev_c: IsaQuery = 0.0,
) -> EndurancePublic:
    """Hours from brake release to landing with the reserve left (``speed=max-endurance``:
    the longest)."""
    doc = endurance_document(
        _type(view, type_), payload_kg, fuel_kg, reserve_min, fl, speed, isa_dev_c
    )
    return EndurancePublic.model_validate(doc)


@router.get("/perf/cruise")
def perf_cruise(
    user: CurrentUser,
    view: ReadViewDep,
    type_: TypeQuery,
    weight_kg: WeightQuery,
    fl: Annotated[float, _bounded("fl", "flight level")],
    speed: SpeedQuery = None,
    isa_dev_c: IsaQuery = 0.0,
) -> CruisePublic:
    """True airspeed (kt) and fuel flow (kg/h) at a weight and flight level."""
    doc = cruise_document(_type(view, type_), weight_kg, fl, speed, isa_dev_c)
    return CruisePublic.model_validate(doc)


@router.get("/perf/takeoff")
def perf_takeoff(
    user: CurrentUser,
    view: ReadViewDep,
    type_: TypeQuery,
    weight_kg: WeightQuery,
    elevation_ft: ElevationQuery = 0.0,
    oat_c: OatQuery = None,
    surface: SurfaceQuery = "paved",
    wet: WetQuery = False,
) -> TakeoffPublic:
    """Take-off ground roll, distance over 50 ft and balanced field length (m)."""
    doc = takeoff_document(_type(view, type_), weight_kg, elevation_ft, oat_c, surface, wet)
    return TakeoffPublic.model_validate(doc)


@router.get("/perf/landing")
def perf_landing(
    user: CurrentUser,
    view: ReadViewDep,
    type_: TypeQuery,
    weight_kg: WeightQuery,
    elevation_ft: ElevationQuery = 0.0,
    oat_c: OatQuery = None,
    surface: SurfaceQuery = "paved",
    wet: WetQuery = False,
    factor: FactorQuery = None,
    reverse: Annotated[
        bool, Query(description="credit reverse thrust (military practice)")
    ] = False,
) -> LandingPublic:
    """Landing ground roll, distance from 50 ft and factored landing distance (m)."""
    doc = landing_document(
        _type(view, type_), weight_kg, elevation_ft, oat_c, surface, wet, factor, reverse
    )
    return LandingPublic.model_validate(doc)


# --- the payload-range boundary (the aircraft page's chart) ------------------------------------

Schedule = Literal["mrc", "lrc", "mcr", "max-endurance"]


class PayloadRangePublic(BaseModel):
    type: str
    """The type's designator."""
    speed: str
    """The schedule (or, for a user-added type whose normal speed is one, a TAS in kt)."""
    normal: bool
    """True: the schedule the type flies by default (its ``normal_speed``)."""
    ranges_nm: list[float]
    """Along the boundary, from (0, max payload) through max payload at MTOW to zero payload."""
    payloads_kg: list[float]
    """The payload at each of ``ranges_nm``."""
    units: dict[str, str]


@router.get("/perf/payload-range")
def perf_payload_range(
    user: CurrentUser,
    view: ReadViewDep,
    type_: TypeQuery,
    speed: Annotated[
        Schedule | None, Query(description="speed schedule (default: the type's normal)")
    ] = None,
) -> PayloadRangePublic:
    """The payload-range boundary at a speed schedule: take-off at MTOW with the tanks
    topped up, best level, ISA, 30 min reserve (``airlift.plots.payload_range_curve``).

    A plain ``def``: some 25 range solutions (about 0.1 s, more while a schedule's tables are
    first built) run in the thread pool, not on the event loop."""
    import numpy as np

    from airlift.plots import payload_range_curve

    t = _type(view, type_)
    schedule = speed or t.normal_speed
    try:
        with np.errstate(all="ignore"):
            ranges, payloads = payload_range_curve(t, schedule)
    except (AirliftError, ArithmeticError, IndexError, ValueError) as exc:
        raise PerfInputError(
            None, f"the performance model cannot draw the {schedule} payload-range curve ({exc})"
        ) from None
    points = [
        (r, p) for r, p in zip(ranges, payloads, strict=True) if math.isfinite(r + p) and r >= 0
    ]
    return PayloadRangePublic.model_validate(
        {
            "type": t.designator,
            "speed": schedule,
            "normal": schedule == t.normal_speed,
            "ranges_nm": [round(r, 1) for r, _ in points],
            "payloads_kg": [round(p, 1) for _, p in points],
            "units": {"ranges_nm": "NM (still air)", "payloads_kg": "kg"},
        }
    )


# --- published figures against the model -------------------------------------------------------


class FigurePublic(BaseModel):
    kind: str
    """range, endurance, fuel_flow, cruise_speed, block_time, takeoff_50ft..."""
    value: float
    """The published figure, in ``unit``."""
    unit: str
    model: float | None
    """The model's answer under the figure's conditions (null: it could not answer, see
    ``error``)."""
    error_pct: float | None
    """(model / value - 1) x 100."""
    tolerance_pct: float
    within: bool | None
    """|error_pct| <= tolerance_pct."""
    role: Literal["fitted", "held out", "excluded"]
    """fitted: used by the calibration; held out: kept aside to test it; excluded: another
    variant's figure (the reason in ``excluded``)."""
    excluded: str | None
    source: str
    conditions: str
    """The conditions as the source states them."""
    inputs: dict[str, Any]
    """The conditions given to the model (payload_kg, fl, speed, weight_kg...)."""
    error: str | None
    """Why the model could not answer, when ``model`` is null."""


_INPUTS = (*CONDITION_KEYS, "wet", "reverse")


def _finite(value: float | None, decimals: int) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(value, decimals) + 0.0


@lru_cache(maxsize=64)
def figures_json(designator: str) -> bytes:
    """Every published figure of a shipped type against the model, as JSON (computed once per
    type and process: the catalogue does not change while the process runs)."""
    from airlift.performance.figures import FigureCheck, model_value

    t = aircraft_type(designator)
    rows = []
    for f in t.published:
        error = None
        try:
            model: float | None = model_value(t, f)
        except (AirliftError, ArithmeticError, ValueError) as exc:
            model, error = None, str(exc) or type(exc).__name__
        if model is not None and not math.isfinite(model):
            model, error = None, "the model gives no finite answer under these conditions"
        check = FigureCheck(f, math.nan if model is None else model)
        answered = model is not None
        rows.append(
            FigurePublic.model_validate(
                {
                    "kind": f.kind,
                    "value": f.value,
                    "unit": f.unit,
                    "model": _finite(model, 2),
                    "error_pct": _finite(check.error_pct, 1) if answered else None,
                    "tolerance_pct": f.tolerance_pct,
                    "within": check.within if answered else None,
                    "role": check.role,
                    "excluded": f.excluded,
                    "source": f.source,
                    "conditions": f.conditions,
                    "inputs": {
                        k: v
                        for k in _INPUTS
                        if (v := getattr(f, k)) is not None and (k not in ("wet", "reverse") or v)
                    },
                    "error": error,
                }
            ).model_dump(mode="json")
        )
    return json.dumps(rows, allow_nan=False, ensure_ascii=False).encode()


@router.get("/aircraft/{designator}/figures", tags=["aircraft"], response_model=list[FigurePublic])
def aircraft_figures(designator: str, user: CurrentUser) -> Response:
    """Every published performance figure of a shipped type, with the model's answer under
    the figure's conditions and its error: how far to trust the model for that type.

    A plain ``def``: the first call per type runs every figure (tens of ms) in the thread
    pool."""
    try:
        t = aircraft_type(designator)
    except UnknownAircraft as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(exc)) from None
    return Response(figures_json(t.designator), media_type="application/json")
