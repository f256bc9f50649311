"""The aircraft performance page (``/aircraft``) and the payload-range curve it draws.

Fixtures, small enough to check by hand:

* ``client``: the real app on a fresh migrated SQLite file (the page reads nothing that
  differs between databases; ``test_api.py`` covers PostgreSQL), over ``https://testserver``
  so the Secure session cookie travels as in production.
* ``logged_in``: that client after ``POST /api/auth/login`` as ``planner`` (the session
  cookie, as a browser holds it).

The page is a shell: its forms must name the API's query parameters exactly, and label every
input with its unit. What the browser does with the answers is in ``test_e2e.py``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from lxml import html  # type: ignore[import-untyped]

from airlift.aircraft import aircraft_type
from airlift.plots import payload_range_curve
from airlift.store import accounts
from airlift.store.db import transaction
from airlift.web.app import create_app
from airlift.web.settings import Settings

PASSWORD = "correct horse battery staple"
CALCULATORS = {
    "range": "/api/perf/range",
    "endurance": "/api/perf/endurance",
    "cruise": "/api/perf/cruise",
    "takeoff": "/api/perf/takeoff",
    "landing": "/api/perf/landing",
}
"""Each calculator form of the page and the GET endpoint it asks."""


@pytest.fixture
def app(
    _sqlite_template: Path, tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> FastAPI:
    db = tmp_path / "airlift.sqlite"
    shutil.copyfile(_sqlite_template, db)
    db_url = f"sqlite:///{db}"
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", lambda: cheap)
    app = create_app(Settings(db_url=db_url), run_workers=False)
    with transaction(app.state.sessions) as session:
        accounts.create_user(session, "planner", PASSWORD, "planner")
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="https://testserver") as c:
        yield c


@pytest.fixture
def logged_in(client: TestClient) -> TestClient:
    response = client.post("/api/auth/login", json={"username": "planner", "password": PASSWORD})
    assert response.status_code == 200, response.text
    return client


@pytest.fixture
def page(logged_in: TestClient) -> Any:
    response = logged_in.get("/aircraft")
    assert response.status_code == 200, response.text
    return html.fromstring(response.text)


def test_page_asks_for_a_login(client: TestClient) -> None:
    response = client.get("/aircraft", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Faircraft"


def test_page_renders_with_its_nav_entry_and_script(logged_in: TestClient, page: Any) -> None:
    assert page.findtext(".//h1") == "Aircraft performance"
    current = page.xpath('//nav//a[@aria-current="page"]')
    assert [(a.get("href"), a.text) for a in current] == [("/aircraft", "Aircraft")]
    scripts = [s.get("src") for s in page.xpath("//script[@type='module']")]
    assert any(src.startswith("/static/aircraft.js") for src in scripts), scripts
    # Every other page links to it too.
    other = html.fromstring(logged_in.get("/fleet").text)
    assert other.xpath('//nav//a[@href="/aircraft"]/text()') == ["Aircraft"]
    js = logged_in.get("/static/aircraft.js")
    assert js.status_code == 200
    assert "javascript" in js.headers["content-type"]


def test_page_has_the_type_picker_chart_and_figures_slots(page: Any) -> None:
    assert page.xpath('//label[@for="type"]/text()') == ["Aircraft type"]
    for slot in ("headline-body", "chart", "chart-legend", "figures", "figures-count"):
        assert page.get_element_by_id(slot) is not None, slot


@pytest.mark.parametrize("calc", CALCULATORS)
def test_calculator_fields_are_the_api_parameters(app: FastAPI, page: Any, calc: str) -> None:
    """A form sends its named inputs as the query: each name must be a parameter of its
    endpoint, and every required parameter but ``type`` (the page's picker) must be there."""
    (form,) = page.xpath(f'//form[@data-calc="{calc}"]')
    assert form.get("data-endpoint") == CALCULATORS[calc]
    operation = app.openapi()["paths"][CALCULATORS[calc]]["get"]
    params = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
    names = {e.get("name") for e in form.xpath(".//input[@name] | .//select[@name]")}
    assert names <= set(params), names - set(params)
    required = {n for n, p in params.items() if p.get("required")} - {"type"}
    assert required <= names, required - names
    assert {"speed"} <= names or calc in ("takeoff", "landing")


@pytest.mark.parametrize("calc", CALCULATORS)
def test_every_input_has_a_label_with_its_unit(page: Any, calc: str) -> None:
    (form,) = page.xpath(f'//form[@data-calc="{calc}"]')
    units = {
        "payload_kg": "(kg)",
        "fuel_kg": "(kg)",
        "weight_kg": "(kg)",
        "reserve_min": "(min)",
        "isa_dev_c": "(°C)",
        "oat_c": "(°C)",
        "elevation_ft": "(ft)",
        "fl": "(FL)",
    }
    for control in form.xpath(".//input | .//select"):
        if control.getparent().tag == "label":  # a checkbox inside its label
            assert control.getparent().text_content().strip()
            continue
        ident = control.get("id")
        labels = page.xpath(f'//label[@for="{ident}"]')
        assert len(labels) == 1, f"{calc}: {ident} has {len(labels)} labels"
        text = labels[0].text_content()
        name = control.get("name")
        if name in units:
            assert units[name] in text, f"{calc}: label {text!r} lacks {units[name]}"
        if control.get("data-tas") is not None:
            assert "(kt)" in text


def test_speed_select_offers_every_schedule_and_a_tas(page: Any) -> None:
    (select,) = page.xpath('//form[@data-calc="range"]//select[@name="speed"]')
    values = [o.get("value") for o in select.xpath("option")]
    assert values == ["", "mrc", "lrc", "mcr", "max-endurance", "tas"]


# --- GET /api/perf/payload-range ---------------------------------------------------------------


def test_payload_range_curve_runs_from_max_payload_to_the_ferry_range(
    logged_in: TestClient,
) -> None:
    t = aircraft_type("C-130H")
    body = logged_in.get("/api/perf/payload-range", params={"type": "c130h"}).json()
    assert body["type"] == "C-130H"
    assert body["speed"] == t.normal_speed
    assert body["normal"] is True
    ranges, payloads = body["ranges_nm"], body["payloads_kg"]
    assert len(ranges) == len(payloads) > 10
    assert (ranges[0], payloads[0]) == (0.0, t.max_payload_kg)
    assert payloads[-1] == 0.0
    assert all(a <= b for a, b in pairwise(ranges)), "range never falls"
    assert all(a >= b for a, b in pairwise(payloads))
    assert ranges[-1] > 1.5 * ranges[1], "the ferry range well beyond the max-payload range"
    # The library's curve, rounded (0.1 NM, 0.1 kg): the route adds no model of its own.
    lib_ranges, lib_payloads = payload_range_curve(t, t.normal_speed)
    assert ranges == [round(r, 1) for r in lib_ranges]
    assert payloads == [round(p, 1) for p in lib_payloads]
    assert body["units"] == {"ranges_nm": "NM (still air)", "payloads_kg": "kg"}


def test_payload_range_is_slower_at_max_cruise_than_at_mrc(logged_in: TestClient) -> None:
    """MCR trades range for speed: its ferry range is shorter than MRC's."""

    def ferry(speed: str) -> float:
        body = logged_in.get("/api/perf/payload-range", params={"type": "C-130H", "speed": speed})
        assert body.status_code == 200, body.text
        assert body.json()["normal"] is False
        last: float = body.json()["ranges_nm"][-1]
        return last

    assert ferry("mcr") < ferry("mrc")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"type": "B-52"}, "type"),  # not a type, tail or user type
        ({"type": "C-130H", "speed": "warp"}, "speed"),  # not a schedule
        ({"type": "C-130H", "speed": "250"}, "speed"),  # a TAS: the curves are per schedule
        ({}, "type"),  # required
    ],
)
def test_payload_range_bad_input_names_the_field(
    logged_in: TestClient, params: dict[str, str], field: str
) -> None:
    response = logged_in.get("/api/perf/payload-range", params=params)
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert response.json()["detail"]


def test_payload_range_needs_a_login(client: TestClient) -> None:
    response = client.get("/api/perf/payload-range", params={"type": "C-130H"})
    assert response.status_code == 401
