"""``airlift track report``: the table, JSON and CSV from a programme file and reports; bad
input is one line on stderr and exit status 2."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from tracking_helpers import flown
from typer.testing import CliRunner

from airlift.cli import main
from airlift.export.tracking import LEG_COLUMNS
from airlift.scheduling.readers import demo_dir
from airlift.tracking.legs import PlannedLeg

runner = CliRunner()


def _run(args: list[str]) -> tuple[int, str, str]:
    """``airlift ARGS`` through the real entry point (errors -> one line, exit 2)."""
    with runner.isolation() as (out, err, _):
        old, sys.argv = sys.argv, ["airlift", *args]
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            sys.argv = old
        return code, out.getvalue().decode(), err.getvalue().decode()


@pytest.fixture
def files(tmp_path: Path, demo_document: dict[str, Any], three_legs: list[PlannedLeg]) -> Path:
    (tmp_path / "programme.json").write_text(json.dumps(demo_document), encoding="utf-8")
    first, second = three_legs[0], three_legs[1]
    a = flown(first, 25)
    rows = [
        "tail,origin,destination,out_utc,off_utc,on_utc,in_utc,fuel_out_kg,fuel_in_kg",
        f"{a.tail},{a.origin},{a.destination},{a.out_utc:%Y-%m-%dT%H:%MZ},"
        f"{a.off_utc:%Y-%m-%dT%H:%MZ},{a.on_utc:%Y-%m-%dT%H:%MZ},{a.in_utc:%Y-%m-%dT%H:%MZ},"
        "9000,4000",
    ]
    (tmp_path / "actuals.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    day = second.out_utc.day
    out = second.out_utc.replace(minute=0) if second.out_utc.minute else second.out_utc
    mvt = f"MVT\n{second.tail}/{day:02d}.{second.origin}\nAD{out:%H%M}\n"
    (tmp_path / "ops.mvt").write_text(mvt, encoding="utf-8")
    return tmp_path


def _args(d: Path, *extra: str) -> list[str]:
    return [
        "track",
        "report",
        str(d / "programme.json"),
        "--actuals",
        str(d / "actuals.csv"),
        "--mvt",
        str(d / "ops.mvt"),
        "--scenario",
        str(demo_dir() / "scenario.toml"),
        "--as-of",
        "2023-11-03T00:00Z",
        *extra,
    ]


def test_json_to_stdout_has_legs_requests_and_figures(files: Path) -> None:
    code, out, err = _run(_args(files, "--json", "-"))
    assert code == 0, err
    doc = json.loads(out)
    leg = doc["legs"][0]
    for key in (
        "tail",
        "origin",
        "destination",
        "planned_off_utc",
        "actual_off_utc",
        "delay_min",
        "status",
    ):
        assert key in leg
    reported = [x for x in doc["legs"] if x["actual_out_utc"]]
    assert reported[0]["delay_min"] == 25.0 and reported[0]["status"] == "landed"
    assert doc["figures"]["departed"] == 2
    assert doc["requests"] and "status" in doc["requests"][0]
    assert doc["units"]["delay_min"].startswith("min")


def test_table_and_csv(files: Path) -> None:
    target = files / "legs.csv"
    code, out, err = _run(_args(files, "--csv", str(target)))
    assert code == 0, err
    assert "Plan against actual" in out and "On-time departures" in out
    with target.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == LEG_COLUMNS
    assert any(r["status"] == "landed" for r in rows)


def test_bad_input_is_one_line_and_exit_2(files: Path) -> None:
    (files / "actuals.csv").write_text(
        "tail,origin,destination,out_utc,off_utc\n5U-MBD,GABS,GAGO,2023-10-27T07:00Z,"
        "2023-10-27T06:00Z\n",
        encoding="utf-8",
    )
    code, _, err = _run(_args(files))
    assert code == 2 and err.count("\n") == 1
    assert "actuals.csv line 2 (5U-MBD): off_utc" in err


def test_a_file_that_is_not_a_programme(files: Path) -> None:
    (files / "programme.json").write_text("{}", encoding="utf-8")
    code, _, err = _run(_args(files))
    assert code == 2 and "not a programme document" in err


def test_no_reports_given(files: Path) -> None:
    code, _, err = _run(["track", "report", str(files / "programme.json")])
    assert code == 2 and "--actuals" in err
