"""Diplomatic clearances a flight needs, and the last day each can be requested.

Why: a state aircraft entering foreign airspace without a diplomatic clearance number is
turned back at the border; the request must reach the country a set number of days before
first use, so a plan is only flyable if every clearance can still be asked for in time.

The rules are data: ``data/clearances/rules.toml`` (one table per ISO alpha-3 country and a
``[default]``, each number with its source; the file's header says what each key means).
:func:`load_rules` validates it strictly (a bad value is a FieldError naming the file and the
table). :func:`clearances_needed` applies it to a flight's legs:

* no clearance from the operator's own country, nor from a country whose ``exempt`` list
  holds the operator (the coalition's pooled forces: MLI, NER, BFA among themselves);
* a state (military) flight follows the country's ``state_aircraft``, a civil one ``civil``;
* a landing clearance for each leg's destination country (so every intermediate stop);
  an overflight clearance for each country a leg overflies other than its origin and
  destination (departing is covered by the landing clearance that brought the aircraft
  there, or the country is the operator's base);
* one need per (country, kind), at its earliest use: a landing at the leg's arrival time (its
  departure time when none is given), an overflight at the leg's departure time (the
  entry is later: this is on the safe side);
* latest request date = first use date - lead days (- ``hazardous_extra_days`` with
  dangerous goods); obtainable when that date is not before the planning date.

Not modelled: working days and national holidays (all days are calendar days), the validity
window (a second use after ``validity_days`` needs a second clearance, not listed), and the
first leg's origin when it is foreign (it must have been cleared before the plan starts).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal

import pycountry

from airlift.errors import FieldError, Where

RULES_FILE = Path(__file__).resolve().parents[1] / "data" / "clearances" / "rules.toml"
"""The shipped rules."""

DEFAULT = "default"
"""The table that applies to every country without its own."""

_DAY_KEYS = ("overflight_lead_days", "landing_lead_days", "validity_days", "hazardous_extra_days")
_BOOL_KEYS = ("state_aircraft", "civil")
_KEYS = frozenset((*_DAY_KEYS, *_BOOL_KEYS, "exempt", "source"))

Kind = Literal["overflight", "landing"]


@dataclass(frozen=True, slots=True)
class CountryRule:
    """One country's clearance rule (``country`` is ISO alpha-3, or ``default``); days are
    calendar days."""

    country: str
    overflight_lead_days: int
    landing_lead_days: int
    validity_days: int
    state_aircraft: bool
    civil: bool
    hazardous_extra_days: int
    exempt: frozenset[str]
    source: str

    def lead_days(self, kind: Kind) -> int:
        return self.overflight_lead_days if kind == "overflight" else self.landing_lead_days


@dataclass(frozen=True, slots=True)
class ClearanceRules:
    """Every country's rule; :meth:`rule` falls back to ``default``."""

    countries: Mapping[str, CountryRule]
    default: CountryRule
    file: str = ""

    def rule(self, country: str) -> CountryRule:
        return self.countries.get(country, self.default)


@dataclass(frozen=True, slots=True)
class ClearanceLeg:
    """A leg as clearances see it: departure (and optional arrival) time, timezone-aware UTC;
    origin and destination country (ISO alpha-3); the countries overflown in order
    (``airspace.countries.countries_of_legs``; origin and destination may be among them)."""

    departure_utc: datetime
    origin: str
    destination: str
    overflown: tuple[str, ...] = ()
    arrival_utc: datetime | None = None


@dataclass(frozen=True, slots=True)
class ClearanceNeed:
    """One clearance to request: from ``country`` (ISO alpha-3), of ``kind``, first used at
    ``first_use_utc``; to be requested by ``latest_request_date`` = first use date minus
    ``lead_days`` (which includes the hazardous extra days when ``hazardous``);
    ``obtainable``: that date is not before the planning date; ``source`` of the rule."""

    country: str
    kind: Kind
    first_use_utc: datetime
    latest_request_date: date
    lead_days: int
    hazardous: bool
    obtainable: bool
    source: str = field(compare=False)


# --- the rules file ----------------------------------------------------------------------------


def _is_iso3(code: object) -> bool:
    return (
        isinstance(code, str)
        and code.isupper()
        and pycountry.countries.get(alpha_3=code) is not None
    )


def _rule(table: str, values: Any, where: Where) -> CountryRule:
    """One table, checked key by key."""
    if not isinstance(values, dict):
        raise FieldError(table, f"{table} must be a table of rules", where)
    unknown = sorted(set(values) - _KEYS)
    if unknown:
        raise FieldError(
            f"{table}.{unknown[0]}",
            f"unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})",
            where,
        )
    missing = sorted(_KEYS - set(values))
    if missing:
        raise FieldError(f"{table}.{missing[0]}", f"{missing[0]} is missing", where)
    for key in _DAY_KEYS:
        v = values[key]
        if isinstance(v, bool) or not isinstance(v, int):
            raise FieldError(
                f"{table}.{key}", f"{key} must be a whole number of days, got {v!r}", where
            )
        if v < 0:
            raise FieldError(f"{table}.{key}", f"{key} must be >= 0, got {v}", where)
    for key in _BOOL_KEYS:
        if not isinstance(values[key], bool):
            raise FieldError(f"{table}.{key}", f"{key} must be true or false", where)
    exempt = values["exempt"]
    if not isinstance(exempt, list):
        raise FieldError(f"{table}.exempt", "exempt must be a list of ISO alpha-3 codes", where)
    for code in exempt:
        if not _is_iso3(code):
            raise FieldError(
                f"{table}.exempt", f"exempt: {code!r} is not an ISO 3166-1 alpha-3 code", where
            )
    source = values["source"]
    if not isinstance(source, str) or not source.strip():
        raise FieldError(f"{table}.source", "source must say where the numbers come from", where)
    return CountryRule(
        country=table,
        overflight_lead_days=values["overflight_lead_days"],
        landing_lead_days=values["landing_lead_days"],
        validity_days=values["validity_days"],
        state_aircraft=values["state_aircraft"],
        civil=values["civil"],
        hazardous_extra_days=values["hazardous_extra_days"],
        exempt=frozenset(exempt),
        source=source.strip(),
    )


def parse_rules(text: str, file: str) -> ClearanceRules:
    """The rules in TOML ``text`` from ``file`` (named in every error)."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FieldError(None, f"not valid TOML: {exc}", Where(file=file)) from exc
    countries: dict[str, CountryRule] = {}
    for table, values in doc.items():
        where = Where(file=file, section=table)
        if table != DEFAULT and not _is_iso3(table):
            raise FieldError(
                table,
                f"[{table}] is not an ISO 3166-1 alpha-3 country code (nor [{DEFAULT}])",
                where,
            )
        countries[table] = _rule(table, values, where)
    if DEFAULT not in countries:
        raise FieldError(DEFAULT, f"a [{DEFAULT}] table is required", Where(file=file))
    default = countries.pop(DEFAULT)
    return ClearanceRules(countries=countries, default=default, file=file)


def load_rules(path: Path | None = None) -> ClearanceRules:
    """The rules of ``path`` (default: the shipped ``data/clearances/rules.toml``)."""
    if path is None:
        return _shipped_rules()
    return _read(path)


@cache
def _shipped_rules() -> ClearanceRules:
    return _read(RULES_FILE)


def _read(path: Path) -> ClearanceRules:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FieldError(None, f"cannot read the rules: {exc}", Where(file=str(path))) from exc
    return parse_rules(text, str(path))


# --- needs -----------------------------------------------------------------------------------


def _uses(leg: ClearanceLeg) -> list[tuple[str, Kind, datetime]]:
    """(country, kind, time of use) of one leg, landing first."""
    uses: list[tuple[str, Kind, datetime]] = [
        (leg.destination, "landing", leg.arrival_utc or leg.departure_utc)
    ]
    uses.extend(
        (country, "overflight", leg.departure_utc)
        for country in leg.overflown
        if country not in (leg.origin, leg.destination)
    )
    return uses


def _check_leg(leg: ClearanceLeg, index: int) -> None:
    for name in ("departure_utc", "arrival_utc"):
        value = getattr(leg, name)
        if value is not None and value.utcoffset() is None:
            raise FieldError(
                f"legs.{index}.{name}", f"{name} must be timezone-aware UTC, got {value}"
            )


def clearances_needed(
    legs: Sequence[ClearanceLeg],
    operator: str,
    military: bool,
    hazardous: bool,
    rules: ClearanceRules,
    planning_date: date,
) -> tuple[ClearanceNeed, ...]:
    """The clearances a flight of ``legs`` by ``operator`` (the nation, ISO alpha-3) needs,
    by first use (see the module's docstring for the rules)."""
    if not _is_iso3(operator):
        raise FieldError("operator", f"operator must be an ISO alpha-3 nation, got {operator!r}")
    first: dict[tuple[str, Kind], datetime] = {}
    for index, leg in enumerate(legs):
        _check_leg(leg, index)
        for country, kind, when in _uses(leg):
            rule = rules.rule(country)
            if not country or country == operator or operator in rule.exempt:
                continue
            if not (rule.state_aircraft if military else rule.civil):
                continue
            if (country, kind) not in first or when < first[(country, kind)]:
                first[(country, kind)] = when
    needs = []
    for (country, kind), when in first.items():
        rule = rules.rule(country)
        lead = rule.lead_days(kind) + (rule.hazardous_extra_days if hazardous else 0)
        latest = when.astimezone(UTC).date() - timedelta(days=lead)
        needs.append(
            ClearanceNeed(
                country=country,
                kind=kind,
                first_use_utc=when,
                latest_request_date=latest,
                lead_days=lead,
                hazardous=hazardous,
                obtainable=latest >= planning_date,
                source=rule.source,
            )
        )
    return tuple(sorted(needs, key=lambda n: (n.first_use_utc, n.country, n.kind)))
