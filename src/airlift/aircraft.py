"""Aircraft types and tails: the catalogue of shipped type files, loaded into validated data.

Each type lives in ``data/aircraft/<designator>.toml``. Every figure carries a ``source``:
a reference key such as ``"[2]"`` listed in the file's ``[sources]`` table, or a text that
starts with ``derived:`` (says how it was derived) or ``assumption:`` (an editable planning
assumption). The fuel-burn calibration built on these figures is in :mod:`airlift.performance`.
"""

from __future__ import annotations

import csv
import difflib
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from airlift.errors import DataFileError, UnknownAircraft

_REF = re.compile(r"\[(\w+)\]")


class Figure(BaseModel):
    """One sourced figure from a type file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    value: float
    source: str = Field(min_length=3)


class PayloadRangePoint(BaseModel):
    """A published payload-range point: ``payload_kg`` carried over ``range_nm`` (still air).

    ``fuel_kg`` is given for ferry points ("range at max fuel"); otherwise the take-off weight
    is assumed to be MTOW with fuel topped up to capacity, as payload-range diagrams are drawn;
    ``tow_kg`` overrides MTOW where the publisher quotes the range at another weight.
    ``reserve_min`` is the holding time the publisher left in the tanks when known (e.g. 60
    for USAF planning figures: 45 + 15 min); otherwise the calibration's assumption applies.
    ``holdout`` points are kept out of the calibration and checked in tests. ``excluded``
    gives the reason a point is neither fitted nor checked (shown with its residual).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    range_nm: Annotated[float, Field(gt=0)]
    payload_kg: Annotated[float, Field(ge=0)]
    fuel_kg: Annotated[float, Field(gt=0)] | None = None
    tow_kg: Annotated[float, Field(gt=0)] | None = None
    reserve_min: Annotated[float, Field(ge=0)] | None = None
    source: str = Field(min_length=3)
    holdout: bool = False
    excluded: str | None = None


class RunwayTable(BaseModel):
    """Optional flight-manual table: distance_m[i][j] at weights_kg[i], density_alt_ft[j].

    When present it takes precedence over the generic model (interpolated, never extrapolated).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    weights_kg: list[float] = Field(min_length=2)
    density_alt_ft: list[float] = Field(min_length=2)
    distance_m: list[list[float]]
    source: str = Field(min_length=3)

    @model_validator(mode="after")
    def _shape(self) -> RunwayTable:
        if len(self.distance_m) != len(self.weights_kg) or any(
            len(row) != len(self.density_alt_ft) for row in self.distance_m
        ):
            raise ValueError("distance_m must have one row per weight and one column per altitude")
        for axis in (self.weights_kg, self.density_alt_ft):
            if sorted(axis) != axis or len(set(axis)) != len(axis):
                raise ValueError("table axes must be strictly increasing")
        return self


class _Figures(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    mtow_kg: Figure
    mlw_kg: Figure
    mzfw_kg: Figure
    oew_kg: Figure
    max_payload_kg: Figure
    max_fuel_kg: Figure
    cruise_tas_kt: Figure
    cruise_alt_ft: Figure
    pallet_positions: Figure
    seats: Figure
    takeoff_distance_m: Figure
    takeoff_ref_weight_kg: Figure
    landing_distance_m: Figure
    landing_ref_weight_kg: Figure
    unpaved_approved: Figure
    ground_time_min: Figure
    taxi_fuel_kg: Figure
    taxi_time_min: Figure
    climb_descent_extra_min: Figure
    climb_fuel_fraction: Figure
    holding_fuel_factor: Figure


class _TypeFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    designator: str
    name: str
    aliases: list[str] = []
    military: bool
    takeoff_distance_basis: Literal["ground_run", "over_50ft"]
    landing_distance_basis: Literal["ground_run", "over_50ft"]
    sources: dict[str, str]
    figures: _Figures
    payload_range: list[PayloadRangePoint] = Field(min_length=1)
    takeoff_table: RunwayTable | None = None
    landing_table: RunwayTable | None = None

    @model_validator(mode="after")
    def _cited(self) -> _TypeFile:
        if not any(not p.holdout and not p.excluded for p in self.payload_range):
            raise ValueError(
                "payload_range needs at least one point that is neither held out nor excluded"
            )
        cited = [(n, f.source) for n, f in self.figures] + [
            (f"payload_range {p.range_nm:g} NM", p.source) for p in self.payload_range
        ]
        for name, source in cited:
            if source.startswith(("derived:", "assumption:")):
                continue
            refs = _REF.findall(source)
            if not refs:
                raise ValueError(
                    f"{name}: source {source!r} cites no [ref], derived: or assumption:"
                )
            missing = [r for r in refs if r not in self.sources]
            if missing:
                raise ValueError(f"{name}: source cites [{missing[0]}] missing from [sources]")
        return self


@dataclass(frozen=True, slots=True)
class AircraftType:
    """A transport aircraft type. Weights kg, speeds kt TAS, distances m, times min."""

    designator: str
    name: str
    aliases: tuple[str, ...]
    military: bool
    mtow_kg: float
    mlw_kg: float
    mzfw_kg: float
    oew_kg: float
    max_payload_kg: float
    max_fuel_kg: float
    cruise_tas_kt: float
    cruise_alt_ft: float
    pallet_positions: int
    seats: int
    takeoff_distance_m: float
    takeoff_ref_weight_kg: float
    takeoff_distance_basis: str
    landing_distance_m: float
    landing_ref_weight_kg: float
    landing_distance_basis: str
    unpaved_approved: bool
    ground_time_min: float
    taxi_fuel_kg: float
    taxi_time_min: float
    climb_descent_extra_min: float
    climb_fuel_fraction: float
    holding_fuel_factor: float
    payload_range: tuple[PayloadRangePoint, ...]
    takeoff_table: RunwayTable | None
    landing_table: RunwayTable | None
    sources: tuple[tuple[str, str], ...]
    """(figure name, source as written: "[2]", "derived: ...", "assumption: ..."), file order."""
    references: tuple[tuple[str, str], ...]
    """(key, citation) for every [key] the sources use."""

    def source_of(self, figure: str) -> str:
        return dict(self.sources)[figure]


@dataclass(frozen=True, slots=True)
class Tail:
    """One airframe of the fleet."""

    registration: str
    type: AircraftType
    nation: str
    home_base: str
    operator: str = ""


def parse_type_file(text: str, origin: str) -> AircraftType:
    """Validate the TOML text of one type file; ``origin`` names it in error messages."""
    try:
        raw = _TypeFile.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{origin}: not valid TOML ({exc})") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        where = "".join(f"{p}: " for p in (".".join(str(p) for p in err["loc"]),) if p)
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise DataFileError(f"{origin}: {where}{msg}") from None
    f = raw.figures
    values = {name: fig.value for name, fig in f}
    sources = tuple((name, fig.source) for name, fig in f)
    for name in ("mtow_kg", "mlw_kg", "mzfw_kg", "oew_kg", "max_fuel_kg", "cruise_tas_kt"):
        if values[name] <= 0:
            raise DataFileError(f"{origin}: figures.{name} must be > 0")
    if not values["oew_kg"] < values["mzfw_kg"] <= values["mtow_kg"]:
        raise DataFileError(f"{origin}: weights must satisfy OEW < MZFW <= MTOW")
    return AircraftType(
        designator=raw.designator,
        name=raw.name,
        aliases=tuple(raw.aliases),
        military=raw.military,
        pallet_positions=int(values.pop("pallet_positions")),
        seats=int(values.pop("seats")),
        unpaved_approved=bool(values.pop("unpaved_approved")),
        takeoff_distance_basis=raw.takeoff_distance_basis,
        landing_distance_basis=raw.landing_distance_basis,
        payload_range=tuple(raw.payload_range),
        takeoff_table=raw.takeoff_table,
        landing_table=raw.landing_table,
        sources=sources,
        references=tuple(raw.sources.items()),
        **values,
    )


def _data_dir() -> resources.abc.Traversable:
    return resources.files("airlift") / "data"


@cache
def catalogue() -> dict[str, AircraftType]:
    """All shipped types by designator, loaded once."""
    types: dict[str, AircraftType] = {}
    for entry in sorted((_data_dir() / "aircraft").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
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


def read_fleet(path: Path | None = None) -> dict[str, Tail]:
    """Read a fleet CSV (registration,type,nation,home_base,operator); default: the demo fleet."""
    text = (
        path.read_text(encoding="utf-8")
        if path is not None
        else (_data_dir() / "demo" / "fleet.csv").read_text(encoding="utf-8")
    )
    origin = str(path) if path else "demo/fleet.csv"
    tails: dict[str, Tail] = {}
    for line_no, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        try:
            reg = row["registration"].strip()
            tails[reg.upper()] = Tail(
                registration=reg,
                type=aircraft_type(row["type"]),
                nation=row["nation"].strip(),
                home_base=row["home_base"].strip().upper(),
                operator=(row.get("operator") or "").strip(),
            )
        except KeyError as exc:
            raise DataFileError(f"{origin} line {line_no}: missing column {exc}") from None
        except UnknownAircraft as exc:
            raise DataFileError(f"{origin} line {line_no}: type: {exc}") from None
    return tails


@cache
def _demo_fleet() -> dict[str, Tail]:
    return read_fleet()


def resolve(name: str, fleet: dict[str, Tail] | None = None) -> tuple[AircraftType, Tail | None]:
    """An aircraft argument is a tail registration (from ``fleet``) or a type name."""
    tails = fleet if fleet is not None else _demo_fleet()
    tail = tails.get(name.strip().upper())
    if tail is not None:
        return tail.type, tail
    return aircraft_type(name), None
