"""``airlift track import FILE`` on a SQLite file: stores a JSON list, a CSV or MVT messages of
reports, adds nothing the second time, stores nothing from a file with a bad report."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from airlift.cli import app
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


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["track", "import", *args])
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


CSV = (
    "tail,origin,destination,out_utc,off_utc,on_utc,in_utc,fuel_out_kg,fuel_in_kg,loads\n"
    "5U-MBD,GABS,GAGO,2023-10-27T06:40Z,2023-10-27T06:52Z,2023-10-27T08:47Z,"
    "2023-10-27T08:55Z,9000,5200,R001:4000/2/0\n"
)
MVT = "MVT\n5U-MBD/27.GAGO\nAD1010/1021 EA1140 GATS\n"


def test_track_import_reads_csv_and_mvt_by_suffix(tmp_path: Path, data_dir: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    crew = tmp_path / "crew.csv"
    crew.write_text(CSV)
    code, output = _invoke(str(crew), "--db", db)
    assert code == 0 and "stored 1 csv report(s)" in output, output
    ops = tmp_path / "ops.mvt"
    ops.write_text(MVT)
    code, output = _invoke(str(ops), "--db", db)
    # MVT gives the day of month only: without a month it is the latest past 27th.
    assert code == 0 and "stored 1 mvt report(s)" in output, output
    broken = tmp_path / "broken.csv"
    broken.write_text(CSV.replace("2023-10-27T08:47Z", "2023-10-27T06:00Z"))
    code, output = _invoke(str(broken), "--db", db)
    assert code == 2 and "on_utc" in output and "line 2" in output, output


def test_track_import_maps_an_adsb_file_through_the_stored_fleet(
    tmp_path: Path, data_dir: Path
) -> None:
    """An OpenSky CSV (read as ADS-B by its content): 5U-MBD (icao24 062a01 in the demo
    fleet) Bamako -> Gao is stored; 0a0b0c, no tail of the fleet, is a warning."""
    from datetime import UTC, datetime

    import pyarrow as pa

    from airlift.airfields import theatre
    from airlift.cli.database import upgrade_schema
    from airlift.store import demo
    from airlift.store.db import transaction
    from airlift.tracking import synthetic

    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    upgrade_schema(db)
    engine = make_engine(db)
    with transaction(session_factory(engine)) as s:
        demo.load_demo(s)
    af = theatre()
    t0 = datetime(2023, 10, 27, 7, 5, tzinfo=UTC).timestamp()
    table = pa.concat_tables(
        [
            synthetic.programme(
                [synthetic.FlownLeg(af[a], af[b], t0, t0 + 3600 * h, 20000.0, 1200.0, 1200.0)],
                icao,
            )
            for a, b, h, icao in (("GABS", "GAGO", 2, "062a01"), ("DRRN", "DFFD", 1, "0a0b0c"))
        ]
    )
    states = synthetic.write_opensky_csv(table, tmp_path / "states.csv")
    code, output = _invoke(str(states), "--db", db)
    assert code == 0, output
    assert "warning: icao24 0a0b0c is not in the stored fleet" in output
    assert "stored 1 adsb report(s)" in output and "0 already stored" in output
    code, output = _invoke(str(states), "--db", db, "--format", "adsb")
    assert code == 0 and "stored 0 adsb report(s)" in output and "1 already stored" in output
    with session_factory(engine)() as s:
        (leg,) = actuals.merged_legs(s)
        assert (leg.leg.tail, leg.leg.origin, leg.leg.destination) == ("5U-MBD", "GABS", "GAGO")
        assert str(leg.leg.source) == "adsb"
    engine.dispose()
