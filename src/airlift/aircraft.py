"""Aircraft types and tails: the catalogue of shipped type files, loaded into validated data.

Each type lives in ``data/aircraft/<designator>.toml``. Every figure carries a ``source``:
a reference key such as ``"[2]"`` listed in the file's ``[sources]`` table, or a text that
starts with ``derived:`` (says how it was derived) or ``assumption:`` (an editable planning
assumption). The fuel-burn calibration built on these figures is in :mod:`airlift.performance`.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from airlift.errors import DataFileError, FieldError, InputError, UnknownAircraft
from airlift.formats import toml_loads

_REF = re.compile(r"\[(\w+)\]")


FIGURE_MAX = 1e7
"""No figure of a type file is this large in its unit (the heaviest aircraft, the An-225,
weighed 640,000 kg): 1e300 kg is a typo that would overflow the performance model."""


class Figure(BaseModel):
    """One sourced figure from a type file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    value: float = Field(allow_inf_nan=False, ge=-FIGURE_MAX, le=FIGURE_MAX)
    source: str = Field(min_length=3)


FigureKind = Literal[
    "range",
    "endurance",
    "fuel_flow",
    "cruise_speed",
    "block_time",
    "takeoff_ground_roll",
    "takeoff_50ft",
    "balanced_field",
    "landing_ground_roll",
    "landing_50ft",
    "landing_distance",
]

UNIT_OF_KIND: dict[str, str] = {
    "range": "NM",
    "endurance": "h",
    "fuel_flow": "kg/h",
    "cruise_speed": "kt",
    "block_time": "min",
    "takeoff_ground_roll": "m",
    "takeoff_50ft": "m",
    "balanced_field": "m",
    "landing_ground_roll": "m",
    "landing_50ft": "m",
    "landing_distance": "m",
}

_CONDITIONS_OF_KIND: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ("range", "endurance"),
        frozenset({"payload_kg", "fuel_kg", "tow_kg", "reserve_min", "fl", "speed", "isa_dev_c"}),
    ),
    **dict.fromkeys(
        ("fuel_flow", "cruise_speed"), frozenset({"weight_kg", "fl", "speed", "isa_dev_c"})
    ),
    "block_time": frozenset({"distance_nm", "payload_kg", "fl", "speed", "isa_dev_c"}),
    **dict.fromkeys(
        (
            "takeoff_ground_roll",
            "takeoff_50ft",
            "balanced_field",
            "landing_ground_roll",
            "landing_50ft",
            "landing_distance",
        ),
        frozenset({"weight_kg", "elevation_ft", "oat_c", "surface", "wet", "factor", "reverse"}),
    ),
}

_SPEED = re.compile(r"^(mrc|lrc|mcr|max-endurance|\d+(\.\d+)?)$")


CONDITION_KEYS = (
    "payload_kg",
    "fuel_kg",
    "tow_kg",
    "weight_kg",
    "reserve_min",
    "fl",
    "speed",
    "isa_dev_c",
    "distance_nm",
    "elevation_ft",
    "oat_c",
    "surface",
    "factor",
)
"""The optional conditions of a published figure, besides the flags ``wet`` and ``reverse``."""


class PublishedFigure(BaseModel):
    """A published performance figure with the conditions its source states.

    ``value`` is in the unit of its ``kind`` (:data:`UNIT_OF_KIND`). Conditions the source
    leaves out are None and take the model's defaults (MTOW with full tanks for a range, the
    type's normal speed schedule and best level, ISA sea level for field lengths).
    ``holdout`` figures are kept out of the calibration, chosen before fitting; ``excluded``
    gives the evidence that a figure belongs to another variant (still shown, never fitted).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: FigureKind
    value: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    source: str = Field(min_length=3)
    conditions: str = ""
    holdout: bool = False
    excluded: str | None = None
    finding: str | None = None
    """Why the model misses this figure, by the conditions that separate it from the others
    (a finding to explain, never a reason to drop the figure: it still counts)."""
    tolerance_pct: Annotated[float, Field(gt=0, le=50)] = 10.0
    payload_kg: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    fuel_kg: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    tow_kg: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    weight_kg: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    reserve_min: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    fl: Annotated[float, Field(ge=0, le=600, allow_inf_nan=False)] | None = None
    speed: str | None = None
    isa_dev_c: Annotated[float, Field(ge=-40, le=40, allow_inf_nan=False)] | None = None
    distance_nm: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    elevation_ft: Annotated[float, Field(ge=-1500, le=15000, allow_inf_nan=False)] | None = None
    oat_c: Annotated[float, Field(ge=-60, le=60, allow_inf_nan=False)] | None = None
    surface: Literal["paved", "unpaved"] | None = None
    wet: bool = False
    factor: Annotated[float, Field(ge=1, le=3)] | None = None
    reverse: bool = False
    """Landing figures: reverse thrust credited (military flight manuals do)."""

    @model_validator(mode="after")
    def _conditions_fit_kind(self) -> PublishedFigure:
        allowed = _CONDITIONS_OF_KIND[self.kind]
        given = (
            {name for name in CONDITION_KEYS if getattr(self, name) is not None}
            | ({"wet"} if self.wet else set())
            | ({"reverse"} if self.reverse else set())
        )
        extra = sorted(given - allowed)
        if extra:
            raise ValueError(f"{self.kind} figure: condition {extra[0]} does not apply")
        if self.speed is not None and not _SPEED.match(self.speed):
            raise ValueError(f"speed {self.speed!r}: use mrc, lrc, mcr, max-endurance or a TAS")
        if self.kind == "block_time" and self.distance_nm is None:
            raise ValueError("block_time figure needs distance_nm")
        if self.factor is not None and self.kind != "landing_distance":
            raise ValueError(f"{self.kind} figure: condition factor applies to landing_distance")
        if self.reverse and not self.kind.startswith("landing"):
            raise ValueError(f"{self.kind} figure: condition reverse applies to landings")
        return self

    @property
    def unit(self) -> str:
        return UNIT_OF_KIND[self.kind]

    @property
    def fitted(self) -> bool:
        return not self.holdout and not self.excluded


class _Figures(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    mtow_kg: Figure
    mlw_kg: Figure
    assault_landing_weight_kg: Figure | None = None
    mzfw_kg: Figure
    oew_kg: Figure
    max_payload_kg: Figure
    acl_kg: Figure | None = None
    max_fuel_kg: Figure
    ballast_cargo_threshold_kg: Figure | None = None
    ballast_min_fuel_kg: Figure | None = None
    cruise_tas_kt: Figure
    ceiling_ft: Figure
    pallet_positions: Figure
    seats: Figure
    unpaved_approved: Figure
    ground_time_min: Figure
    ground_time_expedited_min: Figure
    ground_time_ero_min: Figure
    taxi_fuel_kg: Figure
    taxi_time_min: Figure


class _Aero(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    wing_area_m2: Figure
    span_m: Figure
    oswald: Figure
    cd0: Figure
    cl_max_clean: Figure
    cl_max_takeoff: Figure
    cl_max_landing: Figure
    mmo: Figure | None = None
    vmo_kt: Figure | None = None


class _Engine(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    count: Figure
    takeoff_power_kw: Figure | None = None
    psfc_kg_kwh: Figure | None = None
    prop_efficiency: Figure | None = None
    takeoff_thrust_kn: Figure | None = None
    tsfc_kg_kn_h: Figure | None = None
    max_continuous_power_kw: Figure | None = None
    max_continuous_thrust_kn: Figure | None = None


_ENGINE_KEYS = {
    "turboprop": ("takeoff_power_kw", "psfc_kg_kwh", "prop_efficiency"),
    "turbofan": ("takeoff_thrust_kn", "tsfc_kg_kn_h"),
}


class _TypeFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    designator: str
    name: str
    aliases: list[str] = []
    military: bool
    propulsion: Literal["turboprop", "turbofan"]
    normal_speed: str
    sources: dict[str, str]
    figures: _Figures
    aero: _Aero
    engine: _Engine
    published: list[PublishedFigure] = Field(min_length=1)

    @model_validator(mode="after")
    def _cited(self) -> _TypeFile:
        if not _SPEED.match(self.normal_speed):
            raise ValueError(
                f"normal_speed {self.normal_speed!r}: use mrc, lrc, mcr, max-endurance or a TAS"
            )
        for key in _ENGINE_KEYS[self.propulsion]:
            if getattr(self.engine, key) is None:
                raise ValueError(f"engine.{key} is required for a {self.propulsion}")
        for mcont, takeoff in (
            ("max_continuous_power_kw", "takeoff_power_kw"),
            ("max_continuous_thrust_kn", "takeoff_thrust_kn"),
        ):
            m, to = getattr(self.engine, mcont), getattr(self.engine, takeoff)
            if m is not None and (to is None or m.value > to.value):
                raise ValueError(f"engine.{mcont} must be at most engine.{takeoff}")
        cited = [
            (f"{section}.{n}", f.source)
            for section, table in (
                ("figures", self.figures),
                ("aero", self.aero),
                ("engine", self.engine),
            )
            for n, f in table
            if f is not None
        ] + [(f"published {p.kind} {p.value:g}", p.source) for p in self.published]
        for name, source in cited:
            refs = _REF.findall(source)
            if source.startswith(("derived:", "assumption:")):
                missing = [r for r in refs if r not in self.sources]
                if missing:
                    raise ValueError(f"{name}: note cites [{missing[0]}] missing from [sources]")
                continue
            if not refs:
                raise ValueError(
                    f"{name}: source {source!r} cites no [ref], derived: or assumption:"
                )
            missing = [r for r in refs if r not in self.sources]
            if missing:
                raise ValueError(f"{name}: source cites [{missing[0]}] missing from [sources]")
        return self


@dataclass(frozen=True, slots=True)
class Aero:
    """Drag polar and lift: m², m, dimensionless coefficients; ``mmo`` Mach; ``vmo_kt`` IAS."""

    wing_area_m2: float
    span_m: float
    oswald: float
    cd0: float
    cl_max_clean: float
    cl_max_takeoff: float
    cl_max_landing: float
    mmo: float | None
    vmo_kt: float | None

    @property
    def aspect_ratio(self) -> float:
        return self.span_m**2 / self.wing_area_m2

    @property
    def induced_k(self) -> float:
        """Induced-drag factor k = 1 / (pi AR e) of the parabolic polar CD = CD0 + k CL²."""
        return 1.0 / (math.pi * self.aspect_ratio * self.oswald)


@dataclass(frozen=True, slots=True)
class Engine:
    """Per-engine ratings: kW shaft, kN thrust; consumption kg/kWh or kg/(kN h)."""

    kind: str
    count: int
    takeoff_power_kw: float | None
    psfc_kg_kwh: float | None
    prop_efficiency: float | None
    takeoff_thrust_kn: float | None
    tsfc_kg_kn_h: float | None
    max_continuous_power_kw: float | None = None
    max_continuous_thrust_kn: float | None = None

    @property
    def continuous_share(self) -> float | None:
        """Maximum continuous (max cruise) rating as a share of take-off, where stated."""
        if self.max_continuous_power_kw and self.takeoff_power_kw:
            return self.max_continuous_power_kw / self.takeoff_power_kw
        if self.max_continuous_thrust_kn and self.takeoff_thrust_kn:
            return self.max_continuous_thrust_kn / self.takeoff_thrust_kn
        return None


@dataclass(frozen=True, slots=True)
class Calibration:
    """Factors fitted to a type's published figures (1.0 = the public parameters as given).

    ``drag`` scales CD0, ``induced`` the induced-drag factor, ``fuel`` the specific fuel
    consumption, ``power`` the available power or thrust; ``takeoff`` and ``landing`` scale
    the field-length physics (CLmax, friction and reaction times the public data leave open).
    """

    drag: float = 1.0
    induced: float = 1.0
    fuel: float = 1.0
    power: float = 1.0
    takeoff: float = 1.0
    landing: float = 1.0


@dataclass(frozen=True, slots=True)
class AircraftType:
    """A transport aircraft type. Weights kg, speeds kt TAS, distances m, times min."""

    designator: str
    name: str
    aliases: tuple[str, ...]
    military: bool
    propulsion: str
    normal_speed: str
    mtow_kg: float
    mlw_kg: float
    assault_landing_weight_kg: float | None
    mzfw_kg: float
    oew_kg: float
    max_payload_kg: float
    acl_kg: float | None
    max_fuel_kg: float
    ballast_cargo_threshold_kg: float | None
    ballast_min_fuel_kg: float | None
    cruise_tas_kt: float
    ceiling_ft: float
    pallet_positions: int
    seats: int
    unpaved_approved: bool
    ground_time_min: float
    ground_time_expedited_min: float
    ground_time_ero_min: float
    taxi_fuel_kg: float
    taxi_time_min: float
    aero: Aero
    engine: Engine
    published: tuple[PublishedFigure, ...]
    calibration: Calibration
    sources: tuple[tuple[str, str], ...]
    """(figure name, source as written: "[2]", "derived: ...", "assumption: ..."), file order."""
    references: tuple[tuple[str, str], ...]
    """(key, citation) for every [key] the sources use."""

    def __hash__(self) -> int:
        # Types key the performance tables' caches, hashed thousands of times a plan: hash
        # three numbers, not the nested aero, engine and calibration records. Variants of one
        # type (a re-calibration) share a hash and are told apart by equality, which still
        # compares everything.
        return hash((self.designator, self.mtow_kg, self.oew_kg))

    def source_of(self, figure: str) -> str:
        return dict(self.sources)[figure]

    def ground_time(self, mode: str = "normal") -> float:
        """Turnaround (min) for ``normal``, ``expedited`` or ``ero`` (engine-running offload)."""
        try:
            return {
                "normal": self.ground_time_min,
                "expedited": self.ground_time_expedited_min,
                "ero": self.ground_time_ero_min,
            }[mode]
        except KeyError:
            raise InputError(f"ground time mode {mode!r}: use normal, expedited or ero") from None


@dataclass(frozen=True, slots=True)
class Tail:
    """One airframe of the fleet."""

    registration: str
    type: AircraftType
    nation: str
    home_base: str
    operator: str = ""


def _calibration(designator: str) -> Calibration:
    table = _calibration_table().get(designator, {})
    return Calibration(**{k: float(v) for k, v in table.items() if k in Calibration.__slots__})


@cache
def _calibration_table() -> dict[str, dict[str, float]]:
    path = _data_dir() / "aircraft" / "calibration.toml"
    if not path.is_file():
        return {}
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _count(value: float | None, name: str, origin: str) -> int:
    if value is None or value < 0 or value != int(value):
        raise DataFileError(f"{origin}: figures.{name} must be a whole number >= 0")
    return int(value)


def parse_type_file(text: str, origin: str) -> AircraftType:
    """Validate the TOML text of one type file; ``origin`` names it in error messages."""
    try:
        raw = _TypeFile.model_validate(toml_loads(text, origin))
    except FieldError as exc:
        raise DataFileError(str(exc)) from None
    except ValidationError as exc:
        err = exc.errors()[0]
        where = "".join(f"{p}: " for p in (".".join(str(p) for p in err["loc"]),) if p)
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise DataFileError(f"{origin}: {where}{msg}") from None
    values = {name: fig.value if fig else None for name, fig in raw.figures}
    sources = tuple(
        (name, fig.source)
        for table in (raw.figures, raw.aero, raw.engine)
        for name, fig in table
        if fig is not None
    )
    for name in (
        "mtow_kg",
        "mlw_kg",
        "mzfw_kg",
        "oew_kg",
        "max_fuel_kg",
        "cruise_tas_kt",
        "ceiling_ft",
    ):
        if not (values[name] or 0) > 0:
            raise DataFileError(f"{origin}: figures.{name} must be > 0")
    w = {k: float(v) for k, v in values.items() if v is not None}
    checks = (
        (w["oew_kg"] < w["mzfw_kg"] <= w["mtow_kg"], "weights must satisfy OEW < MZFW <= MTOW"),
        (w["mlw_kg"] <= w["mtow_kg"], "figures.mlw_kg must be <= mtow_kg"),
        (
            w.get("assault_landing_weight_kg", 0.0) <= w["mlw_kg"],
            "figures.assault_landing_weight_kg must be <= mlw_kg",
        ),
        (w["max_fuel_kg"] < w["mtow_kg"], "figures.max_fuel_kg must be < mtow_kg"),
        (
            w["max_payload_kg"] <= w["mzfw_kg"] - w["oew_kg"] + 1.0,
            "figures.max_payload_kg must be <= mzfw_kg - oew_kg",
        ),
    )
    for ok, message in checks:
        if not ok:
            raise DataFileError(f"{origin}: {message}")
    aero = {n: f.value if f else None for n, f in raw.aero}
    engine = {n: f.value if f else None for n, f in raw.engine}
    for name, value in (*aero.items(), *engine.items()):
        if value is not None and not value > 0:
            raise DataFileError(f"{origin}: {name} must be > 0")
    return AircraftType(
        designator=raw.designator,
        name=raw.name,
        aliases=tuple(raw.aliases),
        military=raw.military,
        propulsion=raw.propulsion,
        normal_speed=raw.normal_speed,
        pallet_positions=_count(values.pop("pallet_positions"), "pallet_positions", origin),
        seats=_count(values.pop("seats"), "seats", origin),
        unpaved_approved=bool(values.pop("unpaved_approved")),
        aero=Aero(**aero),  # type: ignore[arg-type]
        engine=Engine(kind=raw.propulsion, count=int(engine.pop("count") or 0), **engine),
        published=tuple(raw.published),
        calibration=_calibration(raw.designator),
        sources=sources,
        references=tuple(raw.sources.items()),
        **values,  # type: ignore[arg-type]
    )


def _data_dir() -> resources.abc.Traversable:
    return resources.files("airlift") / "data"


@cache
def catalogue() -> dict[str, AircraftType]:
    """All shipped types by designator, loaded once."""
    types: dict[str, AircraftType] = {}
    for entry in sorted((_data_dir() / "aircraft").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml") and entry.name != "calibration.toml":
            t = parse_type_file(entry.read_text(encoding="utf-8"), f"aircraft/{entry.name}")
            types[t.designator] = t
    return types


def _norm(name: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", name.upper())


def aircraft_type(name: str) -> AircraftType:
    """Look a type up by designator or alias, ignoring case and punctuation (``c130h``)."""
    key = _norm(name)
    for t in catalogue().values():
        if key in {_norm(t.designator), *(_norm(a) for a in t.aliases)}:
            return t
    known = list(catalogue())
    close = difflib.get_close_matches(name.upper(), [k.upper() for k in known], n=3, cutoff=0.4)
    raise UnknownAircraft(name, [k for k in known if k.upper() in close] or known)


def resolve(name: str, fleet: Mapping[str, Tail]) -> tuple[AircraftType, Tail | None]:
    """An aircraft argument is a tail registration (a key of ``fleet``, in upper case) or a
    type name. The shipped demo fleet: :func:`airlift.scheduling.readers.demo_tails`."""
    tail = fleet.get(name.strip().upper())
    if tail is not None:
        return tail.type, tail
    return aircraft_type(name), None
