"""The field list of each scheduling input (scheduling/fields.py) agrees with every other
place that spells the entity out: the domain dataclass, the ORM model (and so the database),
the API schemas, the file readers' columns and the shipped demo files."""

from __future__ import annotations

import csv
import dataclasses
import io
import tomllib

import pytest
from pydantic import BaseModel
from sqlalchemy import inspect

from airlift.scheduling import readers
from airlift.scheduling.fields import OVERRIDE, REQUEST, SCENARIO, TAIL, Fields
from airlift.scheduling.inputs import AirfieldOverride, FleetTail, MovementRequest, Scenario
from airlift.store.models import (
    AirfieldOverrideRow,
    Base,
    MovementRequestRow,
    ScenarioRow,
    Tail,
)
from airlift.web.schemas import AirfieldOverrideBase, RequestBase, ScenarioBase, TailBase

# (field list, domain dataclass, ORM model, API schema, the row's own key besides the fields)
ENTITIES: list[tuple[Fields, type, type[Base], type[BaseModel], set[str]]] = [
    (REQUEST, MovementRequest, MovementRequestRow, RequestBase, set()),
    (TAIL, FleetTail, Tail, TailBase, set()),
    (SCENARIO, Scenario, ScenarioRow, ScenarioBase, set()),
    (OVERRIDE, AirfieldOverride, AirfieldOverrideRow, AirfieldOverrideBase, {"icao"}),
]
IDS = [e[0].entity for e in ENTITIES]


@pytest.mark.parametrize(("fields", "domain", "model", "schema", "key"), ENTITIES, ids=IDS)
def test_the_field_list_names_every_domain_attribute(
    fields: Fields, domain: type, model: type[Base], schema: type[BaseModel], key: set[str]
) -> None:
    attributes = {f.name for f in dataclasses.fields(domain)}
    assert {f.name for f in fields.in_domain()} == attributes


@pytest.mark.parametrize(("fields", "domain", "model", "schema", "key"), ENTITIES, ids=IDS)
def test_the_field_list_names_every_column(
    fields: Fields, domain: type, model: type[Base], schema: type[BaseModel], key: set[str]
) -> None:
    columns = {c.key for c in inspect(model).columns} - {"id", "version"}
    assert set(fields.keys("column")) | key == columns


@pytest.mark.parametrize(("fields", "domain", "model", "schema", "key"), ENTITIES, ids=IDS)
def test_the_api_schema_has_the_columns(
    fields: Fields, domain: type, model: type[Base], schema: type[BaseModel], key: set[str]
) -> None:
    assert set(schema.model_fields) == set(fields.keys("column")) | key


def test_the_readers_take_their_columns_from_the_lists() -> None:
    assert (*readers.REQUEST_COLUMNS, *readers.REQUEST_OPTIONAL) == REQUEST.keys("file")
    assert (*readers.FLEET_COLUMNS, *readers.FLEET_OPTIONAL) == TAIL.keys("file")
    assert SCENARIO.keys("file") == readers.SCENARIO_KEYS
    assert OVERRIDE.keys("file") == readers.OVERRIDE_KEYS


def test_a_request_is_keyed_by_ref_except_in_files() -> None:
    assert REQUEST.key("ref", "column") == "ref"
    assert REQUEST.key("ref", "file") == "id"  # the CSV/JSON column users and scripts write
    assert "ref" in {f.name for f in dataclasses.fields(MovementRequest)}
    assert REQUEST.renamed("column", "file") == {"ref": "id"}
    assert TAIL.renamed("column", "file") == {"aircraft_type": "type"}


def _csv_header(name: str) -> list[str]:
    text = (readers.demo_dir() / name).read_text("utf-8")
    return next(csv.reader(io.StringIO(text)))


def test_the_demo_files_use_the_file_names() -> None:
    assert set(_csv_header("requests.csv")) == set(REQUEST.keys("file"))
    assert set(_csv_header("fleet.csv")) == set(TAIL.keys("file"))
    scenario = tomllib.loads((readers.demo_dir() / "scenario.toml").read_text("utf-8"))
    assert set(scenario) <= set(SCENARIO.keys("file"))
    for table in scenario.get("airfield", {}).values():
        assert set(table) <= set(OVERRIDE.keys("file"))
