"""``airlift track sighting`` against a programme file, no database: ``python -m airlift`` in
a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sighting_helpers import jpeg, sighting_plan


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


def test_the_reference_sighting_is_an_unplanned_presence_with_candidates(tmp_path: Path) -> None:
    plan = tmp_path / "programme.json"
    plan.write_text(json.dumps(sighting_plan()), encoding="utf-8")
    args = ["track", "sighting", "--type", "C-130H", "--at", "GABS", "--programme", str(plan)]
    done = _airlift(*args, "--time", "2023-10-27T10:05Z", "--json", "-", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["match"]["outcome"] == "unplanned presence"
    assert {c["tail"] for c in doc["match"]["candidates"]} == {"5U-MBD", "5U-MBH"}
    table = _airlift(*args, "--time", "2023-10-27T10:05Z", cwd=tmp_path)
    assert "unplanned presence" in table.stdout and "on the ground at DRRN" in table.stdout
    assert "NM away" in table.stdout


def test_a_photo_without_zone_is_refused_until_tz_is_given(tmp_path: Path) -> None:
    plan = tmp_path / "programme.json"
    plan.write_text(json.dumps(sighting_plan()), encoding="utf-8")
    photo = tmp_path / "apron.jpg"
    photo.write_bytes(jpeg("2023:10:27 12:20:00"))
    args = ["track", "sighting", "--type", "C-130H", "--at", "GABS", "--photo", str(photo)]
    refused = _airlift(*args, "--programme", str(plan), cwd=tmp_path)
    assert refused.returncode == 2 and "time zone unknown" in refused.stderr
    done = _airlift(*args, "--tz", "UTC", "--programme", str(plan), "--json", "-", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["match"]["outcome"] == "confirmed"  # 5U-MBH on the ground at GABS from 12:00
    assert doc["sighting"]["source"] == "photo" and len(doc["sighting"]["photo_sha256"]) == 64
