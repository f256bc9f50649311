"""``--zones``, ``--operator`` and ``--planning-date`` of ``plan``, ``maxload`` and
``schedule``, through subprocess as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HOMBORI = [[-2.0, 14.5], [-1.0, 14.5], [-1.0, 15.8], [-2.0, 15.8], [-2.0, 14.5]]
"""A box across the great circle Bamako - Gao."""
PLAN = ["plan", "GABS", "GAGO", "--aircraft", "C-130H", "--depart", "2023-10-27T06:30Z"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "airlift", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def zones(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("zones") / "zones.geojson"
    feature = {
        "type": "Feature",
        "properties": {"name": "R-Hombori", "kind": "restricted"},
        "geometry": {"type": "Polygon", "coordinates": [HOMBORI]},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


def test_plan_routes_around_the_zones_and_lists_clearances(zones: Path) -> None:
    r = run(
        *PLAN,
        "--fl",
        "200",
        "--zones",
        str(zones),
        "--operator",
        "FRA",
        "--planning-date",
        "2023-10-01",
        "--json",
        "-",
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    leg = doc["legs"][0]
    assert leg["zones_avoided"] == ["R-Hombori"] and leg["detour_nm"] > 0
    assert len(leg["route"]) > 2 and leg["countries"] == ["MLI"]
    assert [(c["country"], c["kind"], c["obtainable"]) for c in doc["clearances"]] == [
        ("MLI", "landing", True)
    ]


def test_plan_console_shows_the_airspace_and_a_late_clearance(zones: Path) -> None:
    r = run(*PLAN, "--fl", "200", "--zones", str(zones), "--operator", "FRA",
            "--planning-date", "2023-10-26")  # fmt: skip
    assert r.returncode == 1  # the clearance can no longer be had: infeasible
    assert "R-Hombori" in r.stdout and "MLI" in r.stdout
    assert "clearance exceeded by" in r.stdout and "NO: too late" in r.stdout


def test_maxload_takes_the_zones(zones: Path) -> None:
    r = run("maxload", "GABS", "GAGO", "--zones", str(zones))
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--zones", "missing.geojson"], "cannot read the zone file"),
        (["--operator", "ZZZ"], "operator 'ZZZ' is not an ISO 3166-1"),
        (["--planning-date", "9999-01-01"], "outside the planning horizon"),
        (["--planning-date", "27/10/2023"], "must be YYYY-MM-DD"),
    ],
)
def test_bad_airspace_options_are_one_line_and_exit_2(extra: list[str], message: str) -> None:
    r = run(*PLAN, *extra)
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_a_self_intersecting_zone_names_the_file_and_feature(tmp_path: Path) -> None:
    bow = [[-2.0, 14.5], [-1.0, 15.8], [-1.0, 14.5], [-2.0, 15.8], [-2.0, 14.5]]
    path = tmp_path / "bad.geojson"
    feature = {
        "type": "Feature",
        "properties": {"name": "bow tie", "kind": "restricted"},
        "geometry": {"type": "Polygon", "coordinates": [bow]},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    r = run(*PLAN, "--zones", str(path))
    assert r.returncode == 2
    assert "bad.geojson" in r.stderr and "bow tie" in r.stderr


def test_schedule_routes_the_programme_around_the_zones(zones: Path, tmp_path: Path) -> None:
    out = tmp_path / "programme.json"
    r = run("schedule", "--time-limit", "3s", "--iterations", "200", "--zones", str(zones),
            "--json", str(out))  # fmt: skip
    assert r.returncode == 0, r.stderr
    legs = [leg for m in json.loads(out.read_text())["missions"] for leg in m["plan"]["legs"]]
    crossing = [leg for leg in legs if "R-Hombori" in leg["zones_avoided"]]
    for leg in legs:
        assert leg["countries"], leg["origin"] + leg["destination"]
    assert crossing  # the demo week flies Bamako - Gao
    assert all(leg["detour_nm"] > 0 for leg in crossing)
