"""The study file (TOML) as data, every key checked before anything runs.

```toml
name = "fleet-and-tessalit"
target_served_pct = 95          # the share of required requests "served" means (default 95)

[base]                          # paths relative to this file; none given: the demo week
# requests = "requests.csv"     # fleet = "fleet.csv"; scenario = "scenario.toml"
time_limit_s = 3                # engine time limit per run (s)
iterations = 200                # search iterations per run: with the seed, a fixed result
engine = "pyvrp"

[design]
kind = "full-factorial"         # full-factorial | one-at-a-time | latin-hypercube
replications = 2                # seeds first_seed, first_seed + 1, ...
first_seed = 0
# samples = 12                  # latin-hypercube: design points; seed = its sampling seed

[[factor]]
name = "fleet"
kind = "fleet_size"             # tails of the base fleet kept (copies added beyond it)
levels = [5, 6, 8]
# type = "C295"; nation = "ML"  # only that type / nation's tails

[[factor]]
name = "tessalit"
kind = "closure"
airfield = "GATS"
levels = ["open", "closed"]
```

Factor kinds (``FACTOR_KINDS``) and their levels: ``fleet_size`` (whole tails >= 0; with
``type`` / ``nation``, of those tails only), ``fleet_mix`` (tables ``{"C295:ML" = 3}``:
tails per type and nation, the others as in the base), ``mog`` (>= 1), ``fuel``
(``"available"`` / ``"none"``), ``closure`` (``"open"`` / ``"closed"``), ``demand_scale``
(> 0, multiplies cargo, pallets and passengers), ``duty_limit_h`` and ``flying_h_per_day``
(hours, optional ``type`` / ``nation``), ``fuel_policy`` (a policy name or ``custom:...``),
``time_limit_s`` (> 0). ``base`` on a factor: its level in one-at-a-time designs (default
the first).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from airlift.errors import FieldError, Where

FACTOR_KINDS = (
    "fleet_size",
    "fleet_mix",
    "mog",
    "fuel",
    "closure",
    "demand_scale",
    "duty_limit_h",
    "flying_h_per_day",
    "fuel_policy",
    "time_limit_s",
)
DESIGNS = ("full-factorial", "one-at-a-time", "latin-hypercube")
FLEET_KINDS = ("fleet_size", "fleet_mix")
AIRFIELD_KINDS = ("mog", "fuel", "closure")
TAIL_KINDS = ("fleet_size", "duty_limit_h", "flying_h_per_day")
"""Kinds that may narrow to one ``type`` and/or ``nation``."""

MAX_RUNS = 10_000
"""More runs than any study on a few machines finishes in a day: a typo in the levels."""
MAX_TAILS = 200
"""Tails per fleet level: beyond any coalition fleet of the theatre."""
MAX_DEMAND_SCALE = 20.0
"""Demand x20 breaks the readers' own bounds on a request long before it means anything."""

Level = int | float | str | dict[str, int]


@dataclass(frozen=True, slots=True)
class Factor:
    name: str
    kind: str
    levels: tuple[Level, ...]
    airfield: str = ""
    type: str = ""
    nation: str = ""
    base: Level | None = None

    @property
    def base_level(self) -> Level:
        return self.levels[0] if self.base is None else self.base


@dataclass(frozen=True, slots=True)
class Design:
    kind: str = "full-factorial"
    replications: int = 1
    first_seed: int = 0
    samples: int = 0
    seed: int = 0

    @property
    def seeds(self) -> tuple[int, ...]:
        return tuple(range(self.first_seed, self.first_seed + self.replications))


@dataclass(frozen=True, slots=True)
class Study:
    """A what-if study: base inputs, factors, a design. ``source`` is the file it came from
    (errors name it); paths are absolute (None: the demo week's file)."""

    name: str
    factors: tuple[Factor, ...]
    design: Design
    requests: Path | None = None
    fleet: Path | None = None
    scenario: Path | None = None
    time_limit_s: float = 5.0
    iterations: int | None = 200
    engine: str = "pyvrp"
    target_served_pct: float = 95.0
    source: str = "study"

    @property
    def fleet_factor(self) -> Factor | None:
        return next((f for f in self.factors if f.kind in FLEET_KINDS), None)

    def digest(self) -> str:
        """A short hash of everything that makes the runs what they are (not the name):
        results stored under another digest belong to another study."""
        doc = {
            "factors": [repr(f) for f in self.factors],
            "design": repr(self.design),
            "paths": [str(p) for p in (self.requests, self.fleet, self.scenario)],
            "run": [self.time_limit_s, self.iterations, self.engine],
        }
        return hashlib.sha256(json.dumps(doc).encode()).hexdigest()[:16]


def load_study(path: Path) -> Study:
    """Read and check a study file; a bad key is a FieldError naming the file and key."""
    from airlift.formats import toml_loads

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FieldError(
            None, f"cannot read the study file ({exc.strerror or exc})", Where(file=str(path))
        ) from None
    return parse_study(toml_loads(text, str(path)), str(path), path.parent)


def demo_study_path() -> Path:
    """The shipped demo study (``airlift study`` without a file)."""
    from importlib import resources

    return Path(str(resources.files("airlift") / "data" / "studies" / "demo.toml"))


class _Reader:
    """Checks for one TOML table: each error names the file, the table and the key."""

    def __init__(self, source: str, section: str, raw: Any) -> None:
        self.source, self.section = source, section
        if not isinstance(raw, dict):
            raise self.bad(None, f"{section or 'the file'} must be a table")
        self.raw: dict[str, Any] = raw

    record = ""
    """The factor's name, once known: errors show it (``[factor.2] (tessalit)``)."""

    def bad(self, key: str | None, reason: str) -> FieldError:
        dotted = f"{self.section}.{key}" if self.section and key else key
        if key and not reason.startswith(key):
            reason = f"{key}: {reason}"
        where = Where(file=self.source, section=self.section, record=self.record)
        return FieldError(dotted, reason, where)

    def only(self, keys: set[str]) -> None:
        for key in self.raw:
            if key not in keys:
                raise self.bad(key, f"unknown key {key!r}; known: {', '.join(sorted(keys))}")

    def text(self, key: str, default: str = "") -> str:
        value = self.raw.get(key, default)
        if not isinstance(value, str):
            raise self.bad(key, f"{key} must be text, got {value!r}")
        return value.strip()

    def number(self, key: str, default: float, low: float, high: float) -> float:
        value = self.raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.bad(key, f"{key} must be a number, got {value!r}")
        if not low < value <= high or math.isnan(value):
            raise self.bad(key, f"{key} must be > {low:g} and <= {high:g}, got {value!r}")
        return float(value)

    def whole(self, key: str, default: int | None, low: int, high: int) -> int | None:
        value = self.raw.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.bad(key, f"{key} must be a whole number {low} to {high}, got {value!r}")
        return value


def parse_study(raw: dict[str, Any], source: str, folder: Path) -> Study:
    """A study from its parsed TOML; ``folder`` anchors relative paths."""
    from airlift.scheduling.engines import ENGINES
    from airlift.scheduling.problem import ITERATIONS_MAX, SEED_MAX

    top = _Reader(source, "", raw)
    top.only({"name", "description", "target_served_pct", "base", "design", "factor"})
    name = top.text("name") or Path(source).stem
    target = top.number("target_served_pct", 95.0, 0.0, 100.0)

    base = _Reader(source, "base", raw.get("base", {}))
    base.only({"requests", "fleet", "scenario", "time_limit_s", "iterations", "engine"})
    paths: dict[str, Path | None] = {}
    for key in ("requests", "fleet", "scenario"):
        given = base.text(key)
        path = (folder / given).resolve() if given else None
        paths[key] = path
        if path is not None and not path.is_file():
            raise base.bad(
                key, f"{key} file {given} does not exist (paths are relative to the study file)"
            )
    if paths["requests"] is not None and paths["fleet"] is None:
        raise base.bad("fleet", "fleet is required with your own requests file")
    engine = base.text("engine", "pyvrp")
    if engine not in ENGINES:
        raise base.bad("engine", f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")

    design = _design(_Reader(source, "design", raw.get("design", {})), SEED_MAX)
    factors_raw = raw.get("factor", [])
    if not isinstance(factors_raw, list) or not factors_raw:
        raise top.bad("factor", "a study needs at least one [[factor]] table")
    factors = tuple(
        _factor(_Reader(source, f"factor.{i + 1}", f)) for i, f in enumerate(factors_raw)
    )
    names = [f.name for f in factors]
    if len(set(names)) < len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise top.bad("factor", f"two factors are named {dup!r}; names must differ")
    if sum(f.kind in FLEET_KINDS for f in factors) > 1:
        raise top.bad("factor", "at most one fleet_size or fleet_mix factor per study")
    study = Study(
        name=name,
        factors=factors,
        design=design,
        requests=paths["requests"],
        fleet=paths["fleet"],
        scenario=paths["scenario"],
        time_limit_s=base.number("time_limit_s", 5.0, 0.0, 86_400.0),
        iterations=base.whole("iterations", 200, 1, ITERATIONS_MAX),
        engine=engine,
        target_served_pct=target,
        source=source,
    )
    from airlift.studies.design import run_count

    if run_count(study) > MAX_RUNS:
        raise top.bad(
            "design",
            f"{run_count(study)} runs is more than {MAX_RUNS:,}; fewer levels or replications",
        )
    return study


def _design(r: _Reader, seed_max: int) -> Design:
    r.only({"kind", "replications", "first_seed", "samples", "seed"})
    kind = r.text("kind", "full-factorial")
    if kind not in DESIGNS:
        raise r.bad("kind", f"kind must be one of {', '.join(DESIGNS)}, got {kind!r}")
    samples = r.whole("samples", 0, 0, MAX_RUNS) or 0
    if kind == "latin-hypercube" and samples < 1:
        raise r.bad("samples", "a latin-hypercube design needs samples >= 1")
    return Design(
        kind=kind,
        replications=r.whole("replications", 1, 1, 1_000) or 1,
        first_seed=r.whole("first_seed", 0, 0, seed_max - 1_000) or 0,
        samples=samples,
        seed=r.whole("seed", 0, 0, seed_max) or 0,
    )


def _factor(r: _Reader) -> Factor:
    r.only({"name", "kind", "levels", "airfield", "type", "nation", "base"})
    kind = r.text("kind")
    if kind not in FACTOR_KINDS:
        raise r.bad("kind", f"unknown factor kind {kind!r}; known: {', '.join(FACTOR_KINDS)}")
    name = r.text("name") or kind
    r.record = name
    levels = r.raw.get("levels")
    if not isinstance(levels, list) or not levels:
        raise r.bad("levels", "levels must be a non-empty list")
    checked = tuple(_level(r, kind, level) for level in levels)
    if len({json.dumps(v, sort_keys=True) for v in checked}) < len(checked):
        raise r.bad("levels", f"levels repeat a value: {levels!r}")
    airfield = r.text("airfield").upper()
    if kind in AIRFIELD_KINDS:
        if not airfield:
            raise r.bad("airfield", f'a {kind} factor needs airfield = "ICAO"')
        _known_airfield(r, airfield)
    elif airfield:
        raise r.bad("airfield", f"a {kind} factor has no airfield")
    type_, nation = r.text("type"), r.text("nation").upper()
    if (type_ or nation) and kind not in TAIL_KINDS:
        raise r.bad("type" if type_ else "nation", f"a {kind} factor has no type or nation")
    if type_:
        type_ = _known_type(r, "type", type_)
    base = r.raw.get("base")
    if base is not None:
        base = _level(r, kind, base, key="base")
        if base not in checked:
            raise r.bad("base", f"base {r.raw['base']!r} is not one of the levels")
    return Factor(name, kind, checked, airfield, type_, nation, base)


def _level(r: _Reader, kind: str, value: Any, key: str = "levels") -> Level:
    """One level checked for its kind (a negative fleet, MOG 0, demand <= 0 are refused)."""
    try:
        return _LEVEL_CHECKS[kind](r, key, value)
    except _BadLevel as exc:
        raise r.bad(key, f"{kind} level {value!r}: {exc}") from None


class _BadLevel(Exception):
    """Why a level makes no sense (made into a FieldError by _level)."""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _whole(low: int, high: int, what: str) -> Any:
    def check(r: _Reader, key: str, value: Any) -> int:
        if not _is_number(value) or value != int(value) or not low <= value <= high:
            raise _BadLevel(what)
        return int(value)

    return check


def _real(low: float, high: float, what: str) -> Any:
    def check(r: _Reader, key: str, value: Any) -> float:
        if not _is_number(value) or not low < value <= high:
            raise _BadLevel(what)
        return float(value)

    return check


def _choice(*options: str) -> Any:
    def check(r: _Reader, key: str, value: Any) -> str:
        if value not in options:
            raise _BadLevel(" or ".join(f'"{o}"' for o in options) + " only")
        return str(value)

    return check


def _mix(r: _Reader, key: str, value: Any) -> dict[str, int]:
    if not isinstance(value, dict) or not value:
        raise _BadLevel('must be a table such as {"C295:ML" = 3, "C-130H:NE" = 2}')
    mix: dict[str, int] = {}
    for group, count in value.items():
        type_, sep, nation = str(group).partition(":")
        if not sep or not nation.strip():
            raise _BadLevel(f"group {group!r} must be TYPE:NATION, such as C295:ML")
        designator = _known_type(r, key, type_.strip())
        mix[f"{designator}:{nation.strip().upper()}"] = _whole(
            0, MAX_TAILS, f"{group} must be a whole number of tails 0 to {MAX_TAILS}"
        )(r, key, count)
    return dict(sorted(mix.items()))


def _policy(r: _Reader, key: str, value: Any) -> str:
    from airlift.errors import InputError
    from airlift.fuel_policy import policy

    if not isinstance(value, str):
        raise _BadLevel("must be a policy name")
    try:
        policy(value)
    except InputError as exc:
        raise _BadLevel(str(exc)) from None
    return value


def _max_duty_h() -> float:
    from airlift.mission.inputs import MAX_DUTY_H

    return MAX_DUTY_H


_LEVEL_CHECKS: dict[str, Callable[[_Reader, str, Any], Level]] = {
    "fleet_size": _whole(0, MAX_TAILS, f"must be a whole number of tails 0 to {MAX_TAILS}"),
    "fleet_mix": _mix,
    "mog": _whole(
        1,
        1_000,
        "MOG must be a whole number >= 1 (0 grounds every aircraft there; to shut the "
        "airfield use a closure factor)",
    ),
    "fuel": _choice("available", "none"),
    "closure": _choice("open", "closed"),
    "demand_scale": _real(0.0, MAX_DEMAND_SCALE, f"must be > 0 and <= {MAX_DEMAND_SCALE:g}"),
    "duty_limit_h": _real(0.0, _max_duty_h(), f"must be hours > 0 and <= {_max_duty_h():g}"),
    "flying_h_per_day": _real(0.0, 24.0, "must be hours > 0 and <= 24"),
    "fuel_policy": _policy,
    "time_limit_s": _real(0.0, 86_400.0, "must be seconds > 0 and <= 86400"),
}


def _known_type(r: _Reader, key: str, name: str) -> str:
    from airlift.aircraft import aircraft_type
    from airlift.errors import AirliftError

    try:
        return aircraft_type(name).designator
    except AirliftError as exc:
        raise r.bad(key, f"unknown aircraft type {name!r} ({exc})") from None


def _known_airfield(r: _Reader, icao: str) -> None:
    from airlift.airfields import lookup
    from airlift.errors import AirliftError

    try:
        found = lookup(icao)
    except AirliftError as exc:
        raise r.bad("airfield", f"unknown airfield {icao!r} ({exc})") from None
    if found.icao != icao:
        raise r.bad("airfield", f"airfield {icao!r} is {found.icao}: give its ICAO code")
