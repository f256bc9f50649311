"""``track_import`` (``airlift track import FILE``) on a SQLite file: stores a JSON list of
reports, adds nothing the second time, stores nothing from a file with a bad report."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from airlift.cli.track_store import track_import
from airlift.errors import AirliftError
from airlift.store import actuals
from airlift.store.db import make_engine, session_factory

REPORT = {
    "tail": "5U-MBD",
    "origin": "GABS",
    "destination": "GAGO",
    "off_utc": "2023-10-27T06:50Z",
    "on_utc": "2023-10-27T08:50Z",
}


def _app() -> typer.Typer:
    """A ``track`` group as the CLI will register it."""
    app = typer.Typer()
    app.command("import")(track_import)
    app.command("noop", hidden=True)(lambda: None)  # a group of one command keeps its name
    return app


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(_app(), ["import", *args])
    if isinstance(result.exception, AirliftError):
        return 2, str(result.exception)
    return result.exit_code, result.output


def test_track_import_stores_once_and_refuses_bad_files(tmp_path: Path, data_dir: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    good = tmp_path / "crew.json"
    good.write_text(json.dumps([REPORT, {**REPORT, "source": "adsb"}]))
    code, output = _invoke(str(good), "--db", db, "--user", "ops1")
    assert code == 0, output
    assert "stored 2 json report(s)" in output and "0 already stored" in output
    code, output = _invoke(str(good), "--db", db)
    assert code == 0 and "stored 0 json report(s)" in output and "2 already stored" in output

    bad = tmp_path / "bad.json"
    landing_first = {**REPORT, "on_utc": "2023-10-27T06:00Z"}
    bad.write_text(json.dumps([{**REPORT, "tail": "TZ-03C"}, landing_first]))
    code, output = _invoke(str(bad), "--db", db)
    assert code == 2 and "1 bad report(s), nothing stored" in output
    notes = tmp_path / "notes.txt"
    notes.write_text("[]")
    code, output = _invoke(str(notes), "--db", db)
    assert code == 2 and "--format" in output
    engine = make_engine(db)
    with session_factory(engine)() as s:
        (leg,) = actuals.merged_legs(s)
        assert {r.created_by for r in leg.reports} == {"ops1"}
    engine.dispose()
