"""``airlift track detect``: the JSON contract, the table, one-line errors (exit 2), run as
``python -m airlift`` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa

from airlift.airfields import theatre
from airlift.tracking import synthetic

LEG_OFF_S = 1698652200.0  # 2023-10-30T07:50:00Z


def _airlift(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AIRLIFT_DATA_DIR": str(cwd)}
    return subprocess.run(
        [sys.executable, "-m", "airlift", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env=env,
    )


def _opensky(tmp_path: Path) -> Path:
    af = theatre()
    leg = synthetic.FlownLeg(
        af["GABS"], af["GAGO"], LEG_OFF_S, LEG_OFF_S + 6840, 33000.0, 1020.0, 1290.0
    )
    mbd = synthetic.programme([leg], "062a01", callsign="NGR101")
    other = synthetic.programme([leg], "0d0e0f")
    return synthetic.write_opensky_parquet(
        pa.concat_tables([mbd, other]), tmp_path / "states.parquet"
    )


def test_detect_prints_the_flights_as_json(tmp_path: Path) -> None:
    path = _opensky(tmp_path)
    done = _airlift("track", "detect", str(path), "--json", "-", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    flights = json.loads(done.stdout)["flights"]
    contract = ("icao24", "registration", "origin", "destination", "off_utc", "on_utc")
    assert [tuple(f[k] for k in contract) for f in flights] == [
        ("062a01", "5U-MBD", "GABS", "GAGO", "2023-10-30T07:50:00Z", "2023-10-30T09:44:00Z"),
        ("0d0e0f", None, "GABS", "GAGO", "2023-10-30T07:50:00Z", "2023-10-30T09:44:00Z"),
    ]
    assert done.stderr.strip() == (
        "warning: icao24 0d0e0f is not in the demo fleet: its 1 flight(s) have no registration"
    )


def test_detect_prints_a_table_without_json(tmp_path: Path) -> None:
    done = _airlift("track", "detect", str(_opensky(tmp_path)), "--format", "opensky", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "5U-MBD" in done.stdout and "GABS" in done.stdout and "off (UTC)" in done.stdout


def test_a_bad_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = _opensky(tmp_path)
    path.write_bytes(path.read_bytes()[:200])
    done = _airlift("track", "detect", str(path), "--json", "-", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"error: {path} byte 200: Parquet file is truncated")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    done = _airlift("track", "detect", str(path), "--format", "gpx", cwd=tmp_path)
    assert done.returncode == 2 and "--format must be one of auto, readsb" in done.stderr
