"""``airlift perf`` and ``/api/perf/*``: the JSON contract scripts use, units and sanity.

The calibration is being refitted: no test pins a model number. They check the keys, the
relations between answers (more payload, less range...) and broad planning ranges.

The CLI runs in-process through :func:`airlift.cli.main` (the real error wrapper: one line on
stderr, exit status 2) and, for the end-to-end cases, as ``python -m airlift``. The API runs
through FastAPI's TestClient on a fresh database (SQLite; PostgreSQL with
``$AIRLIFT_TEST_PG_URL``, see ``conftest.py``).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from airlift import cli
from airlift.aircraft import UNIT_OF_KIND, aircraft_type, catalogue
from airlift.performance import answers
from airlift.performance.field import LandingDistances, TakeoffDistances
from airlift.store import accounts
from airlift.store.db import transaction
from airlift.web.app import create_app
from airlift.web.settings import Settings

C130 = "C-130H"

RANGE_KEYS = {
    "type",
    "range_nm",
    "time_h",
    "payload_kg",
    "fuel_kg",
    "tow_kg",
    "reserve_min",
    "reserve_kg",
    "cruise_fl",
    "speed",
    "cruise_tas_kt",
    "warnings",
}
ENDURANCE_KEYS = (RANGE_KEYS - {"range_nm", "time_h"}) | {"endurance_h"}
CRUISE_KEYS = {
    "type",
    "tas_kt",
    "fuel_flow_kg_h",
    "flyable",
    "weight_kg",
    "cruise_fl",
    "speed",
    "warnings",
}
TAKEOFF_KEYS = {"type", "ground_roll_m", "distance_50ft_m", "balanced_field_m", "warnings"}
LANDING_KEYS = {
    "type",
    "ground_roll_m",
    "distance_50ft_m",
    "landing_distance_m",
    "factor",
    "warnings",
}


# --- helpers ------------------------------------------------------------------------------------


def perf(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``airlift perf ARGS`` in-process through the console entry point."""
    argv = sys.argv
    sys.argv = ["airlift", "perf", *args]
    try:
        with pytest.raises(SystemExit) as done:
            cli.main()
    finally:
        sys.argv = argv
    captured = capsys.readouterr()
    code = done.value.code
    return (code if isinstance(code, int) else 0 if code is None else 1), captured.out, captured.err


def perf_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code, out, err = perf(capsys, *args, "--json", "-")
    assert code == 0, err
    doc: dict[str, Any] = json.loads(out)
    return doc


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "airlift", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def numbers_in_units(doc: dict[str, Any]) -> None:
    """Every numeric key has its unit in ``units``; no NaN or infinity anywhere."""
    for key, value in doc.items():
        if isinstance(value, float | int) and not isinstance(value, bool):
            assert math.isfinite(value), key
            assert key in doc["units"], f"{key} has no unit"
    assert isinstance(doc["warnings"], list)


# --- range and endurance ------------------------------------------------------------------------


def test_range_json_to_stdout_has_the_contract_keys() -> None:
    r = run("perf", "range", C130, "--payload", "10000", "--json", "-")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc.keys() >= RANGE_KEYS
    numbers_in_units(doc)
    t = aircraft_type(C130)
    assert doc["type"] == "C-130H"
    assert 1_000 < doc["range_nm"] < 5_000
    assert 3 < doc["time_h"] < 20
    assert doc["payload_kg"] == 10_000
    assert 0 < doc["fuel_kg"] <= t.max_fuel_kg
    assert doc["tow_kg"] == pytest.approx(t.oew_kg + 10_000 + doc["fuel_kg"], abs=0.5)
    assert doc["tow_kg"] <= t.mtow_kg + 0.5
    assert doc["reserve_min"] == 30
    assert 0 < doc["reserve_kg"] < doc["fuel_kg"]
    assert 0 < doc["cruise_fl"] * 100 <= t.ceiling_ft
    assert doc["speed"] == t.normal_speed
    assert 150 < doc["cruise_tas_kt"] < 400
    # Mean speed over the flight: below the cruise TAS (climb, descent), not absurdly so.
    assert 0.5 * doc["cruise_tas_kt"] < doc["range_nm"] / doc["time_h"] < doc["cruise_tas_kt"]


def test_more_payload_less_range(capsys: pytest.CaptureFixture[str]) -> None:
    ranges = [
        perf_json(capsys, "range", C130, "--payload", str(p))["range_nm"]
        for p in (0, 5_000, 10_000, 15_000)
    ]
    assert ranges == sorted(ranges, reverse=True)
    assert len(set(ranges)) == len(ranges)


def test_more_reserve_or_less_fuel_less_range(capsys: pytest.CaptureFixture[str]) -> None:
    base = perf_json(capsys, "range", C130, "--payload", "5000")
    more_reserve = perf_json(capsys, "range", C130, "--payload", "5000", "--reserve-min", "90")
    less_fuel = perf_json(capsys, "range", C130, "--payload", "5000", "--fuel", "10000")
    assert more_reserve["reserve_kg"] > base["reserve_kg"]
    assert more_reserve["range_nm"] < base["range_nm"]
    assert less_fuel["fuel_kg"] == 10_000
    assert less_fuel["range_nm"] < base["range_nm"]


def test_range_at_a_stated_level_and_speed(capsys: pytest.CaptureFixture[str]) -> None:
    best = perf_json(capsys, "range", C130, "--payload", "8000", "--speed", "mcr")
    level = f"{best['cruise_fl']:.0f}"
    doc = perf_json(
        capsys,
        "range",
        C130,
        "--payload",
        "8000",
        "--fl",
        level,
        "--speed",
        "mcr",
        "--isa-dev",
        "10",
    )
    assert doc["cruise_fl"] == best["cruise_fl"]
    assert doc["speed"] == "mcr"
    assert doc["isa_dev_c"] == 10
    assert doc["range_nm"] > 0


def test_endurance_keys_and_max_endurance_lasts_longest(capsys: pytest.CaptureFixture[str]) -> None:
    normal = perf_json(capsys, "endurance", C130, "--payload", "10000")
    longest = perf_json(capsys, "endurance", C130, "--payload", "10000", "--speed", "max-endurance")
    for doc in (normal, longest):
        assert doc.keys() >= ENDURANCE_KEYS
        assert "range_nm" not in doc
        numbers_in_units(doc)
        assert 3 < doc["endurance_h"] < 24
    assert normal["speed"] == aircraft_type(C130).normal_speed
    assert longest["speed"] == "max-endurance"
    assert longest["endurance_h"] > normal["endurance_h"]
    assert longest["cruise_tas_kt"] < normal["cruise_tas_kt"]


def test_fuel_below_the_reserve_gives_no_range_and_says_why(
    capsys: pytest.CaptureFixture[str],
) -> None:
    doc = perf_json(capsys, "range", C130, "--payload", "1000", "--fuel", "200")
    assert doc["range_nm"] == 0
    assert any("reserve" in w for w in doc["warnings"])


# --- cruise -------------------------------------------------------------------------------------


def test_cruise_keys_and_heavier_burns_more(capsys: pytest.CaptureFixture[str]) -> None:
    light = perf_json(capsys, "cruise", C130, "--weight", "50000", "--fl", "200", "--speed", "250")
    heavy = perf_json(capsys, "cruise", C130, "--weight", "65000", "--fl", "200", "--speed", "250")
    for doc in (light, heavy):
        assert doc.keys() >= CRUISE_KEYS
        numbers_in_units(doc)
        assert doc["tas_kt"] == pytest.approx(250, abs=0.5)
        assert 800 < doc["fuel_flow_kg_h"] < 5_000
        assert doc["cruise_fl"] == 200
        assert doc["speed"] == "250"
    assert heavy["fuel_flow_kg_h"] > light["fuel_flow_kg_h"]


def test_cruise_on_the_normal_schedule(capsys: pytest.CaptureFixture[str]) -> None:
    doc = perf_json(capsys, "cruise", C130, "--weight", "55000", "--fl", "180")
    assert doc["speed"] == aircraft_type(C130).normal_speed
    assert doc["flyable"] is True
    assert doc["warnings"] == []
    assert 150 < doc["tas_kt"] < 400


def test_cruise_outside_the_model_warns(capsys: pytest.CaptureFixture[str]) -> None:
    t = aircraft_type(C130)
    doc = perf_json(
        capsys, "cruise", C130, "--weight", f"{t.mtow_kg:.0f}", "--fl", f"{t.ceiling_ft / 100:.0f}"
    )
    assert doc["flyable"] is False
    assert any("outside the model" in w for w in doc["warnings"])


# --- take-off and landing -----------------------------------------------------------------------


def test_takeoff_keys_order_and_hot_high_wet(capsys: pytest.CaptureFixture[str]) -> None:
    t = aircraft_type(C130)
    weight = f"{t.mtow_kg:.0f}"
    sea = perf_json(capsys, "takeoff", C130, "--weight", weight)
    hot_high = perf_json(
        capsys, "takeoff", C130, "--weight", weight, "--elevation-ft", "5000", "--oat", "40"
    )
    wet_dirt = perf_json(
        capsys, "takeoff", C130, "--weight", weight, "--surface", "unpaved", "--wet"
    )
    for doc in (sea, hot_high, wet_dirt):
        assert doc.keys() >= TAKEOFF_KEYS
        numbers_in_units(doc)
        assert doc["ground_roll_m"] <= doc["distance_50ft_m"] <= doc["balanced_field_m"]
    assert 300 < sea["ground_roll_m"] < sea["balanced_field_m"] < 4_000
    assert sea["oat_c"] == 15  # ISA at sea level unless given
    assert hot_high["elevation_ft"] == 5_000 and hot_high["oat_c"] == 40
    assert hot_high["distance_50ft_m"] > sea["distance_50ft_m"]
    assert wet_dirt["surface"] == "unpaved" and wet_dirt["wet"] is True
    assert wet_dirt["ground_roll_m"] > sea["ground_roll_m"]
    assert wet_dirt["balanced_field_m"] > sea["balanced_field_m"]


def test_landing_keys_and_factors(capsys: pytest.CaptureFixture[str]) -> None:
    dry = perf_json(capsys, "landing", C130, "--weight", "55000")
    wet = perf_json(capsys, "landing", C130, "--weight", "55000", "--wet")
    tactical = perf_json(capsys, "landing", C130, "--weight", "55000", "--factor", "1.25")
    for doc in (dry, wet, tactical):
        assert doc.keys() >= LANDING_KEYS
        numbers_in_units(doc)
        assert doc["ground_roll_m"] < doc["distance_50ft_m"] < doc["landing_distance_m"]
        assert doc["landing_distance_m"] == pytest.approx(
            doc["factor"] * doc["distance_50ft_m"], rel=1e-3
        )
    assert 200 < dry["ground_roll_m"] < dry["landing_distance_m"] < 4_000
    assert dry["factor"] == pytest.approx(1 / 0.6, abs=1e-3)
    assert wet["factor"] == pytest.approx(1.15 / 0.6, abs=1e-3)
    assert tactical["factor"] == pytest.approx(1.25)
    heavier = perf_json(capsys, "landing", C130, "--weight", "65000")
    assert heavier["landing_distance_m"] > dry["landing_distance_m"]


def test_landing_above_mlw_warns_but_answers(capsys: pytest.CaptureFixture[str]) -> None:
    heavy_landers = [t for t in catalogue().values() if t.mlw_kg < t.mtow_kg - 1]
    assert heavy_landers, "the shipped types include some with MLW below MTOW (C-17A, A400M)"
    t = heavy_landers[0]
    doc = perf_json(capsys, "landing", t.designator, "--weight", f"{t.mtow_kg:.0f}")
    assert doc["landing_distance_m"] > 0
    assert any("MLW" in w for w in doc["warnings"])


def test_an_impossible_takeoff_is_null_not_infinity(monkeypatch: pytest.MonkeyPatch) -> None:
    from airlift.performance import field

    inf = math.inf
    monkeypatch.setattr(
        field,
        "takeoff",
        lambda *a, **k: TakeoffDistances(900.0, inf, inf, ("no take-off possible",)),
    )
    monkeypatch.setattr(field, "landing", lambda *a, **k: LandingDistances(inf, inf, inf, 1.6, ()))
    t = aircraft_type(C130)
    doc = answers.takeoff_document(t, 60_000)
    assert doc["ground_roll_m"] == 900
    assert doc["distance_50ft_m"] is None and doc["balanced_field_m"] is None
    assert doc["warnings"] == ["no take-off possible"]
    json.dumps(doc, allow_nan=False)
    assert answers.landing_document(t, 50_000)["landing_distance_m"] is None


@pytest.mark.parametrize(
    "failure",
    [IndexError("index -9223372036854775808 is out of bounds"), ZeroDivisionError("division")],
)
def test_a_model_failure_is_one_line_not_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    import airlift.performance

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise failure

    monkeypatch.setattr(airlift.performance, "range_at", broken)
    code, _, err = perf(capsys, "range", C130, "--payload", "1000")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "performance model cannot answer" in lines[0], err


def test_a_nan_answer_is_refused_not_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    import airlift.performance

    real = airlift.performance.range_at

    def nan_range(*args: Any, **kwargs: Any) -> Any:
        from dataclasses import replace

        return replace(real(*args, **kwargs), range_nm=math.nan)

    monkeypatch.setattr(airlift.performance, "range_at", nan_range)
    with pytest.raises(answers.PerfInputError, match="cannot answer"):
        answers.range_document(aircraft_type(C130), 1000)


# --- the table and files ------------------------------------------------------------------------


def test_tables_show_every_number_with_its_unit() -> None:
    r = run("perf", "range", C130, "--payload", "10000")
    assert r.returncode == 0, r.stderr
    for label, unit in [("range", "NM"), ("flight time", "h"), ("payload", "kg")]:
        assert any(label in line and f" {unit} " in line for line in r.stdout.splitlines()), label
    for unit in ("min", "FL", "kt", "°C"):
        assert f" {unit} " in r.stdout
    r = run("perf", "takeoff", C130, "--weight", "60000", "--elevation-ft", "1000")
    assert r.returncode == 0, r.stderr
    for unit in (" m ", " ft ", " °C ", " kg "):
        assert unit in r.stdout
    assert "{" not in r.stdout  # a table, not JSON


def test_cruise_table_shows_kg_per_h(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = perf(capsys, "cruise", C130, "--weight", "60000", "--fl", "200")
    assert code == 0
    assert " kg/h " in out and " kt " in out


def test_json_file_is_written_beside_the_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "landing.json"
    code, out, err = perf(capsys, "landing", C130, "--weight", "50000", "--json", str(path))
    assert code == 0, err
    assert f"wrote {path}" in out
    assert json.loads(path.read_text(encoding="utf-8")).keys() >= LANDING_KEYS


# --- bad input ----------------------------------------------------------------------------------

BAD_CLI = [
    (["range", C130, "--payload", "-5"], "payload_kg"),
    (["range", C130, "--payload", "nan"], "payload_kg"),
    (["range", C130, "--payload", "inf"], "payload_kg"),
    (["range", C130, "--payload", "1e300"], "payload_kg"),
    (["range", C130, "--payload", "ten"], "payload_kg"),
    (["range", C130, "--payload", "30000"], "payload_kg"),  # above max payload
    (["range", C130, "--payload", "1000", "--fuel", "-1"], "fuel_kg"),
    (["range", C130, "--payload", "1000", "--fuel", "1e300"], "fuel_kg"),
    (["range", C130, "--payload", "15000", "--fuel", "28000"], "fuel_kg"),  # above MTOW
    (["range", C130, "--payload", "1000", "--fl", "400"], "ceiling"),
    (["range", C130, "--payload", "1000", "--fl", "1e300"], "fl"),
    (["range", C130, "--payload", "1000", "--speed", "warp"], "speed"),
    (["range", C130, "--payload", "1000", "--reserve-min", "nan"], "reserve_min"),
    (["endurance", C130, "--payload", "1000", "--isa-dev", "60"], "isa_dev_c"),
    (["endurance", C130, "--payload", "1000", "--speed", "5000"], "speed"),
    (["cruise", C130, "--weight", "90000", "--fl", "200"], "weight_kg"),  # above MTOW
    (["cruise", C130, "--weight", "1000", "--fl", "200"], "weight_kg"),  # below empty
    (["cruise", C130, "--weight", "60000", "--fl", "400"], "ceiling"),
    (["cruise", C130, "--weight", "60000", "--fl", "-10"], "fl"),
    (["cruise", C130, "--weight", "60000", "--fl", "200", "--isa-dev", "inf"], "isa_dev_c"),
    (["takeoff", C130, "--weight", "90000"], "weight_kg"),
    (["takeoff", C130, "--weight", "-1"], "weight_kg"),
    (["takeoff", C130, "--weight", "60000", "--elevation-ft", "1e300"], "elevation_ft"),
    (["takeoff", C130, "--weight", "60000", "--oat", "nan"], "oat_c"),
    (["takeoff", C130, "--weight", "60000", "--surface", "grass"], "surface"),
    (["landing", C130, "--weight", "90000"], "weight_kg"),
    (["landing", C130, "--weight", "50000", "--factor", "0.5"], "factor"),
    (["landing", C130, "--weight", "50000", "--factor", "1e300"], "factor"),
    (["landing", "B-52", "--weight", "50000"], "unknown aircraft type"),
]


@pytest.mark.parametrize(("args", "needle"), BAD_CLI)
def test_bad_input_is_one_line_naming_the_field_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    code, out, err = perf(capsys, *args)
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert needle in lines[0]
    assert len(lines[0]) < 300, "a huge number printed in full"


def test_bad_input_exits_2_as_a_process() -> None:
    r = run("perf", "takeoff", C130, "--weight", "1e300")
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        "error: weight_kg must be between 0 and 1,000,000 kg, got 1e+300"
    ]
    assert r.stdout == ""


# --- the web API --------------------------------------------------------------------------------

PASSWORD = "correct horse battery staple"


@pytest.fixture
def api(
    db_url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[TestClient, dict[str, str], dict[str, str]]]:
    """A client on a fresh database, with a viewer's and an admin's bearer headers."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", lambda: cheap)
    app = create_app(Settings(db_url=db_url), run_workers=False)
    with TestClient(app, base_url="https://testserver") as client:
        with transaction(app.state.sessions) as session:
            viewer = accounts.create_user(session, "viewer", PASSWORD, "viewer")
            admin = accounts.create_user(session, "admin", PASSWORD, "admin")
            tokens = [accounts.create_token(session, u, "tests") for u in (viewer, admin)]
        yield client, *({"Authorization": f"Bearer {tok}"} for tok in tokens)  # type: ignore[misc]


QUESTIONS = [
    (
        "range",
        {"payload_kg": 10000},
        RANGE_KEYS,
        lambda t: answers.range_document(t, 10000),
    ),
    (
        "endurance",
        {"payload_kg": 8000, "speed": "max-endurance", "reserve_min": 45},
        ENDURANCE_KEYS,
        lambda t: answers.endurance_document(t, 8000, reserve_min=45, speed="max-endurance"),
    ),
    (
        "cruise",
        {"weight_kg": 60000, "fl": 220, "isa_dev_c": 10},
        CRUISE_KEYS,
        lambda t: answers.cruise_document(t, 60000, 220, isa_dev_c=10),
    ),
    (
        "takeoff",
        {"weight_kg": 65000, "elevation_ft": 2000, "oat_c": 38, "wet": "true"},
        TAKEOFF_KEYS,
        lambda t: answers.takeoff_document(t, 65000, 2000, 38, wet=True),
    ),
    (
        "landing",
        {"weight_kg": 55000, "surface": "unpaved", "factor": 1.43},
        LANDING_KEYS,
        lambda t: answers.landing_document(t, 55000, surface="unpaved", factor=1.43),
    ),
]


@pytest.mark.parametrize(("question", "params", "keys", "same_as_cli"), QUESTIONS)
def test_api_answers_are_the_cli_documents(
    api: tuple[TestClient, dict[str, str], dict[str, str]],
    question: str,
    params: dict[str, Any],
    keys: set[str],
    same_as_cli: Any,
) -> None:
    client, viewer, _ = api
    r = client.get(f"/api/perf/{question}", params={"type": "c130h", **params}, headers=viewer)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert keys <= doc.keys()
    numbers_in_units(doc)
    assert doc == same_as_cli(aircraft_type(C130))


def test_api_more_payload_less_range(
    api: tuple[TestClient, dict[str, str], dict[str, str]],
) -> None:
    client, viewer, _ = api
    ranges = [
        client.get(
            "/api/perf/range", params={"type": C130, "payload_kg": p}, headers=viewer
        ).json()["range_nm"]
        for p in (0, 10_000, 19_000)
    ]
    assert ranges == sorted(ranges, reverse=True)
    assert 1_000 < ranges[1] < 5_000


def test_api_takes_a_tail_or_a_user_added_type(
    api: tuple[TestClient, dict[str, str], dict[str, str]],
) -> None:
    client, viewer, admin = api
    tail = client.get(
        "/api/perf/takeoff", params={"type": "5U-MBD", "weight_kg": 60000}, headers=viewer
    )
    assert tail.status_code == 200, tail.text
    assert tail.json()["type"] == "C-130H"  # the demo fleet's Niger C-130H
    toml = (resources.files("airlift") / "data" / "aircraft" / "DHC-6.toml").read_text("utf-8")
    toml = toml.replace('designator = "DHC-6"', 'designator = "DHC-6X"')
    toml = "\n".join(ln for ln in toml.splitlines() if not ln.startswith("aliases")) + "\n"
    added = client.post(
        "/api/aircraft_types", json={"designator": "DHC-6X", "toml": toml}, headers=admin
    )
    assert added.status_code == 201, added.text
    r = client.get(
        "/api/perf/takeoff", params={"type": "dhc-6x", "weight_kg": 5000}, headers=viewer
    )
    assert r.status_code == 200, r.text
    assert r.json()["type"] == "DHC-6X"
    assert 0 < r.json()["ground_roll_m"] < r.json()["distance_50ft_m"]


BAD_API = [
    ("range", {"payload_kg": -1}, "payload_kg"),
    ("range", {"payload_kg": "nan"}, "payload_kg"),
    ("range", {"payload_kg": "inf"}, "payload_kg"),
    ("range", {"payload_kg": 1e300}, "payload_kg"),
    ("range", {"payload_kg": 30000}, "payload_kg"),
    ("range", {"payload_kg": 15000, "fuel_kg": 28000}, "fuel_kg"),
    ("range", {"payload_kg": 1000, "fl": 400}, "fl"),
    ("range", {"payload_kg": 1000, "speed": "warp"}, "speed"),
    ("range", {"payload_kg": 1000, "reserve_min": 1e300}, "reserve_min"),
    ("endurance", {"payload_kg": 1000, "isa_dev_c": -90}, "isa_dev_c"),
    ("range", {"payload_kg": 1000, "type": "B-52"}, "type"),
    ("range", {"payload_kg": 1000, "type": ""}, "type"),
    ("cruise", {"weight_kg": 90000, "fl": 200}, "weight_kg"),
    ("cruise", {"weight_kg": 60000, "fl": 400}, "fl"),
    ("cruise", {"weight_kg": 60000}, "fl"),
    ("takeoff", {"weight_kg": 90000}, "weight_kg"),
    ("takeoff", {"weight_kg": 60000, "elevation_ft": 1e300}, "elevation_ft"),
    ("takeoff", {"weight_kg": 60000, "oat_c": 99}, "oat_c"),
    ("takeoff", {"weight_kg": 60000, "surface": "grass"}, "surface"),
    ("landing", {"weight_kg": 90000}, "weight_kg"),
    ("landing", {"weight_kg": 50000, "factor": 0.9}, "factor"),
]


@pytest.mark.parametrize(("question", "params", "field"), BAD_API)
def test_api_bad_input_is_422_naming_the_field(
    api: tuple[TestClient, dict[str, str], dict[str, str]],
    question: str,
    params: dict[str, Any],
    field: str,
) -> None:
    client, viewer, _ = api
    r = client.get(f"/api/perf/{question}", params={"type": C130, **params}, headers=viewer)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["field"] == field
    assert field in body["detail"] or (field == "type" and "aircraft" in body["detail"])
    assert "\n" not in body["detail"] and len(body["detail"]) < 400


def test_api_model_failure_is_422_not_500(
    api: tuple[TestClient, dict[str, str], dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import airlift.performance

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise IndexError("index out of bounds")

    monkeypatch.setattr(airlift.performance, "endurance_at", broken)
    client, viewer, _ = api
    r = client.get("/api/perf/endurance", params={"type": C130, "payload_kg": 1}, headers=viewer)
    assert r.status_code == 422
    assert "performance model cannot answer" in r.json()["detail"]


def test_api_needs_a_login(api: tuple[TestClient, dict[str, str], dict[str, str]]) -> None:
    client, _, _ = api
    assert client.get("/api/perf/range", params={"type": C130, "payload_kg": 1}).status_code == 401
    assert client.get("/api/aircraft/C-130H/figures").status_code == 401


def test_api_figures_of_a_type(api: tuple[TestClient, dict[str, str], dict[str, str]]) -> None:
    from airlift.web.routes.performance import figures_json

    client, viewer, _ = api
    t = aircraft_type(C130)
    r = client.get("/api/aircraft/c130h/figures", headers=viewer)
    assert r.status_code == 200, r.text
    figures = r.json()
    assert len(figures) == len(t.published)
    for got, published in zip(figures, t.published, strict=True):
        assert {
            "kind",
            "value",
            "unit",
            "model",
            "error_pct",
            "role",
            "source",
            "conditions",
        } <= got.keys()
        assert got["kind"] == published.kind and got["value"] == published.value
        assert got["unit"] == UNIT_OF_KIND[got["kind"]]
        assert got["role"] in ("fitted", "held out", "excluded")
        assert got["source"] == published.source
        if got["model"] is None:
            assert got["error"]
        else:
            assert got["model"] > 0
            assert got["error_pct"] == pytest.approx(
                (got["model"] / got["value"] - 1) * 100, abs=0.2
            )
    # Computed once per type and process.
    hits = figures_json.cache_info().hits
    assert client.get("/api/aircraft/C-130H/figures", headers=viewer).json() == figures
    assert figures_json.cache_info().hits == hits + 1
    assert client.get("/api/aircraft/B-52/figures", headers=viewer).status_code == 404


def test_api_figures_of_every_shipped_type_answer(
    api: tuple[TestClient, dict[str, str], dict[str, str]],
) -> None:
    client, viewer, _ = api
    for designator in catalogue():
        r = client.get(f"/api/aircraft/{designator}/figures", headers=viewer)
        assert r.status_code == 200, (designator, r.text)
        assert r.json(), designator
