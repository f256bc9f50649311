"""One field list per scheduling input: movement request, fleet tail, scenario, airfield override.

Each :class:`Field` names a field once for every layer: the domain dataclass attribute
(:mod:`airlift.scheduling.inputs`, the name the code uses), the key in files (CSV header,
JSON key, TOML key) and the database column (:mod:`airlift.store.models`, also the API's JSON
key). The file readers take their columns from here and the store derives its row <-> domain
mapping from here; ``tests/scheduling/test_fields.py`` checks the lists against the
dataclasses, the ORM models and the API schemas.

A request's key is ``ref`` everywhere in the code and the database; request files call the
column ``id`` (and keep doing so), so its file name is ``id``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Naming = Literal["file", "column"]
"""Which names a row of raw values uses: a file's, or the database's (API bodies)."""


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    """The domain dataclass attribute (and the name in code)."""
    file: str = ""
    """The key in files where it differs from ``name``."""
    column: str = ""
    """The database column (and API key) where it differs from ``name``."""
    header: bool = False
    """A CSV file must have this column."""
    required: bool = False
    """Every row must give it (a JSON object may leave out the others)."""
    stored: bool = True
    """A database column exists (False: files only)."""
    domain: bool = True
    """An attribute of the domain dataclass (False: kept in files or rows only)."""

    def key(self, naming: Naming) -> str:
        """The field's name in files or in rows."""
        if naming == "file":
            return self.file or self.name
        return self.column or self.name


@dataclass(frozen=True, slots=True)
class Fields:
    """The fields of one entity, in file order."""

    entity: str
    fields: tuple[Field, ...]

    def keys(self, naming: Naming) -> tuple[str, ...]:
        """Every key a row may have, in that naming."""
        return tuple(f.key(naming) for f in self.fields if naming == "file" or f.stored)

    def header(self) -> tuple[str, ...]:
        """The columns a CSV file must have."""
        return tuple(f.key("file") for f in self.fields if f.header)

    def optional_columns(self) -> tuple[str, ...]:
        """The columns a CSV file may have."""
        return tuple(f.key("file") for f in self.fields if not f.header)

    def required(self, naming: Naming) -> tuple[str, ...]:
        """The keys every row must give."""
        return tuple(f.key(naming) for f in self.fields if f.required)

    def stored(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.stored)

    def in_domain(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.domain)

    def key(self, name: str, naming: Naming) -> str:
        """The key of the field ``name`` in that naming."""
        for f in self.fields:
            if f.name == name:
                return f.key(naming)
        raise KeyError(name)

    def renamed(self, source: Naming, target: Naming) -> dict[str, str]:
        """Key in ``source`` naming -> key in ``target`` naming, where they differ."""
        return {
            f.key(source): f.key(target)
            for f in self.fields
            if f.stored and f.key(source) != f.key(target)
        }


REQUEST = Fields(
    "request",
    (
        Field("ref", file="id", header=True, required=True),
        Field("origin", header=True, required=True),
        Field("destination", header=True, required=True),
        Field("cargo_kg", header=True),
        Field("pallets", header=True),
        Field("pax", header=True),
        Field("earliest_utc", header=True, required=True),
        Field("latest_utc", header=True, required=True),
        Field("priority"),
        Field("optional"),
        Field("allowed_nations"),
        Field("allowed_types"),
        Field("hazardous"),
        Field("description"),
        Field("dg_class"),
        Field("un_number"),
    ),
)

TAIL = Fields(
    "tail",
    (
        Field("registration", header=True, required=True),
        Field("type", column="aircraft_type", header=True, required=True),
        Field("nation", header=True, required=True),
        Field("home_base", header=True, required=True),
        Field("military"),
        Field("unavailable"),
        Field("duty_limit_h"),
        Field("max_flying_h_per_day"),
        Field("operator"),
        Field("icao24"),
    ),
)

SCENARIO = Fields(
    "scenario",
    (
        Field("name"),
        Field("description", stored=False, domain=False),
        Field("start_utc", required=True),
        Field("days", required=True),
        Field("fuel_policy"),
        Field("night_ops"),
        Field("ground_mode", stored=False),
        Field("overrides", file="airfield"),
    ),
)

OVERRIDE = Fields(
    "airfield override",
    (
        Field("fuel_available"),
        Field("daylight_only"),
        Field("mog"),
        Field("oat_c"),
        Field("closed"),
        Field("hours_utc"),
        Field("notes", column="note", domain=False),
    ),
)
"""An airfield override: a scenario's ``[airfield.ICAO]`` table (and the scenario rows'
``overrides`` values, which keep the file names), or a global override row (keyed by its
``icao`` column)."""


__all__ = ["OVERRIDE", "REQUEST", "SCENARIO", "TAIL", "Field", "Fields", "Naming"]
