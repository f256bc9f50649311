"""Summaries on hand-made rows (no runs): level means and spread, the smallest fleet at the
base conditions and per condition, the report page."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from airlift.studies import load_study
from airlift.studies.report import level_stats, smallest_fleet, summary, write_report
from airlift.studies.run import complete, reason_kind
from airlift.studies.runner import schema

STUDY = """
target_served_pct = 90
[[factor]]
name = "fleet"
kind = "fleet_size"
levels = [4, 6, 8]
[[factor]]
name = "tessalit"
kind = "closure"
airfield = "GATS"
levels = ["open", "closed"]
"""

# served % per (fleet, tessalit) for seeds 0 and 1: open needs 6 tails, closed never makes it
SERVED = {
    (4, "open"): (80.0, 84.0),
    (6, "open"): (90.0, 94.0),
    (8, "open"): (96.0, 96.0),
    (4, "closed"): (70.0, 70.0),
    (6, "closed"): (75.0, 77.0),
    (8, "closed"): (78.0, 78.0),
}


def rows() -> list[dict[str, Any]]:
    out = []
    for (fleet, gats), pair in SERVED.items():
        for seed, served in enumerate(pair):
            out.append(
                complete(
                    {
                        "run_id": f"{fleet}-{gats}-{seed}",
                        "levels": json.dumps({"fleet": fleet, "tessalit": gats}),
                        "seed": seed,
                        "status": "ok",
                        "error": "",
                        "required_served_pct": served,
                        "tonnes_delivered": served * 2,
                        "tonnes_late": 0.0,
                        "ton_nm_per_day": 1000.0,
                        "flying_hours": 10.0 * fleet,
                        "fleet_tails": fleet,
                        "utilisation_by_type": json.dumps({"C295": 3.0, "C-130H": 4.0}),
                        "unmet_reasons": json.dumps({"fleet capacity exhausted": 2}),
                    }
                )
            )
    out.append(
        complete(
            {
                "run_id": "x",
                "levels": json.dumps({"fleet": 8, "tessalit": "open"}),
                "seed": 9,
                "status": "failed",
                "error": "KilledWorker: gone",
            }
        )
    )
    return out


@pytest.fixture
def study(write_study: Callable[[str], Path]) -> Any:
    return load_study(write_study(STUDY))


def test_level_means_and_spread(study: Any) -> None:
    stats = {(s.factor, s.level): s for s in level_stats(study, rows())}
    six = stats[("fleet", "6")]
    assert six.runs == 4 and six.failed == 0
    assert six.mean["required_served_pct"] == pytest.approx((90 + 94 + 75 + 77) / 4)
    assert stats[("fleet", "8")].failed == 1  # the failed run counts, apart from the means
    assert stats[("tessalit", "closed")].mean["required_served_pct"] == pytest.approx(74.666667)


def test_smallest_fleet_at_base_conditions_and_per_condition(study: Any) -> None:
    best = smallest_fleet(study, rows())
    assert best is not None
    assert (best["level"], best["tails"], best["served_pct"]) == ("6", 6, 92.0)
    assert best["conditions"] == "tessalit=open"
    doc = summary(study, pa.Table.from_pylist(rows(), schema=schema()))
    assert doc["runs"] == 13 and doc["failed"] == 1
    assert doc["smallest_fleet_by_condition"]["tessalit=closed"] is None
    assert doc["smallest_fleet_by_condition"]["tessalit=open"]["tails"] == 6


def test_report_is_one_self_contained_page(study: Any, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    page = write_report(study, pa.Table.from_pylist(rows(), schema=schema()), out)
    html = page.read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 3
    assert "KilledWorker: gone" in html and "6 tails" in html
    assert list(out.iterdir()) == [page]  # no other file to carry along


def test_reason_kinds_drop_particulars() -> None:
    reason = "split into 3 lifts; bumped from 5U-MBD on day 3 by R001#2/4 (more urgent)"
    assert reason_kind(reason, ["5U-MBD"]) == "bumped from TAIL on day N by REQ (more urgent)"
