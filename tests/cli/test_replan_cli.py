"""``airlift replan PROGRAMME --event ... --now ... --json --diff`` on the demo week's
programme (``tests/conftest.py``'s ``demo_document``): the contract's JSON keys, the diff
CSV, and bad input refused with exit status 2 and one line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from airlift.cli import app
from airlift.errors import AirliftError
from airlift.replan.diff import DIFF_CSV_COLUMNS
from airlift.scheduling.checker import Checker

NOW = "2023-10-28T06:00Z"


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["replan", *args])
    if isinstance(result.exception, AirliftError):
        return 2, str(result.exception)
    return result.exit_code, result.output


@pytest.fixture
def programme(tmp_path: Path, demo_document: dict[str, Any]) -> Path:
    path = tmp_path / "programme.json"
    path.write_text(json.dumps(demo_document), encoding="utf-8")
    return path


def test_replan_writes_the_new_programme_and_its_diff(programme: Path, tmp_path: Path) -> None:
    tail = json.loads(programme.read_text())["missions"][0]["tail"]
    new, diff = tmp_path / "new.json", tmp_path / "diff.csv"
    code, output = _invoke(
        str(programme),
        "--event", f"unserviceable {tail} 2023-10-29T00:00Z/2023-10-31T00:00Z",
        "--event", "mog GATS 1",
        "--now", NOW,
        "--time-limit", "0.5s",
        "--json", str(new),
        "--diff", str(diff),
    )  # fmt: skip
    assert code == 0, output
    assert "Re-plan at 2023-10-28T06:00:00Z" in output and f"wrote {new}" in output
    doc = json.loads(new.read_text())
    assert doc["solve_seconds"] > 0
    assert {"moved", "retimed", "unmet_new", "served_new"} <= doc["diff"].keys()
    assert [e["kind"] for e in doc["replan"]["events"]] == ["unserviceable", "mog"]
    assert all(
        m["replan"]["state"] in ("frozen", "kept", "changed", "new") for m in doc["missions"]
    )
    text = diff.read_text()
    assert text.splitlines()[0] == ",".join(DIFF_CSV_COLUMNS)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["request_id"] for r in rows} == {r["request_id"] for r in doc["diff"]["requests"]}


def test_replan_json_to_standard_output(programme: Path) -> None:
    code, output = _invoke(
        str(programme),
        "--event",
        "cancel R001",
        "--now",
        NOW,
        "--time-limit",
        "0.3s",
        "--json",
        "-",
    )
    assert code == 0, output
    doc = json.loads(output)
    assert doc["diff"]["cancelled"] == 1


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--event", "unserviceable XX-NONE 2023-10-29T00:00Z/"], "unknown tail 'XX-NONE'"),
        (["--event", "closed GATS 2023-10-29T00:00Z/2023-10-28T00:00Z"], "ends"),
        (["--event", "explode GAGO"], "unknown kind"),
        (["--now", "2023-10-28T06:00"], "timezone"),
        (["--horizon", "3 days"], "--horizon"),
        (["--time-limit", "-1s"], "--time-limit"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(programme: Path, args: list[str], words: str) -> None:
    code, output = _invoke(str(programme), *(["--now", NOW] if "--now" not in args else []), *args)
    assert code == 2, output
    assert words in output and "\n" not in output.strip()


def test_a_file_that_is_not_a_programme(tmp_path: Path) -> None:
    notes = tmp_path / "notes.json"
    notes.write_text('{"hello": 1}', encoding="utf-8")
    code, output = _invoke(str(notes), "--now", NOW)
    assert code == 2 and "not a programme document" in output


def test_a_replan_the_limit_cut_short_says_so(
    programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def out_of_time(self: Checker) -> bool:
        self.cut_short = True
        return True

    monkeypatch.setattr(Checker, "out_of_time", out_of_time)
    tail = json.loads(programme.read_text())["missions"][0]["tail"]
    event = f"unserviceable {tail} 2023-10-29T00:00Z/2023-10-31T00:00Z"
    code, output = _invoke(str(programme), "--event", event, "--now", NOW)
    assert code == 0, output
    assert "(the time limit cut the search short)" in output
