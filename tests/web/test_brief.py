"""The printable mission brief of a demo mission: the navigation log (one row per leg), the
dangerous goods the mission carries (R007, Jet A-1: UN1863 class 3) and where the daylight
rule comes from. One short demo schedule shared by the module (about 5 s)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest

from airlift.export.programme import programme_document
from airlift.scheduling.readers import demo_dir, read_fleet, read_requests, read_scenario
from airlift.scheduling.scheduler import schedule
from airlift.web.brief import mission_brief_html
from airlift.web.routes.runs import airfields_by_code


class _Rows(HTMLParser):
    """The cells' text of each body row of the table with a given id."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id, self.inside, self.body = table_id, False, False
        self.rows: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tbody":
            self.body = True
        elif self.inside and self.body and tag == "tr":
            self.rows.append([])
        elif self.inside and self.body and tag == "td":
            self.rows[-1].append("")
        elif self.inside and self.body and tag == "br" and self.rows and self.rows[-1]:
            self.rows[-1][-1] += " "

    def handle_endtag(self, tag: str) -> None:
        if self.inside and tag == "table":
            self.inside = self.body = False

    def handle_data(self, data: str) -> None:
        if self.inside and self.body and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data


def table_rows(html: str, table_id: str) -> list[list[str]]:
    parser = _Rows(table_id)
    parser.feed(html)
    return [[re.sub(r"\s+", " ", cell).strip() for cell in row] for row in parser.rows]


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    d = demo_dir()
    scenario = read_scenario(d / "scenario.toml")
    p = schedule(
        read_requests(d / "requests.csv"),
        read_fleet(d / "fleet.csv"),
        scenario,
        time_limit_s=3,
    )
    return {"document": programme_document(p), "scenario": scenario}


def _brief(demo: dict[str, Any], mission: dict[str, Any]) -> str:
    airfields = airfields_by_code(demo["document"], demo["scenario"], list(mission["route"]))
    return mission_brief_html(mission, airfields)


def _carrying(demo: dict[str, Any], ref: str) -> dict[str, Any]:
    for m in demo["document"]["missions"]:
        if any(lift["request_id"] == ref for lift in m["lifts"]):
            return dict(m)
    pytest.fail(f"no demo mission carries {ref}: the test needs one")


def test_brief_of_the_jet_a1_mission_lists_its_dangerous_goods(demo: dict[str, Any]) -> None:
    mission = _carrying(demo, "R007")
    html = _brief(demo, mission)
    assert "Jet A-1" in html and "UN1863" in html
    notoc = table_rows(html, "notoc")
    r007 = [x for x in mission["lifts"] if x["request_id"] == "R007"]
    jet = [row for row in notoc if row[0] == "UN1863"]
    assert len(jet) == len(r007)
    for row, lift in zip(jet, r007, strict=True):
        # UN number, class, description, quantity, loaded at, off-loaded at
        assert row[1] == "3" and row[2].startswith("Jet A-1 in 200 l drums"), row
        assert row[3:6] == [f"{lift['cargo_kg']:,.0f} kg", "GAGO", "GATS"], row
    # every hazardous lift on board is in the NOTOC, no other lift is
    assert len(notoc) == len([x for x in mission["lifts"] if x["hazardous"]])


def test_nav_log_has_one_row_per_leg(demo: dict[str, Any]) -> None:
    for mission in demo["document"]["missions"][:6]:
        legs = mission["plan"]["legs"]
        rows = table_rows(_brief(demo, mission), "navlog")
        assert len(rows) == len(legs)
        for row, leg in zip(rows, legs, strict=True):
            assert row[0].startswith(f"{leg['number']}. {leg['origin']} → {leg['destination']}")
            assert re.fullmatch(r"\d\d:\d\dZ \d\d:\d\d L \(UTC[+-]\d+\)", row[1]), row
            assert row[3] == f"{leg['dist_nm']:,.0f}"
            fuel = [
                f"{leg[k]:,.0f}" for k in ("trip_fuel_kg", "reserve_fuel_kg", "landing_fuel_kg")
            ]
            assert row[5:8] == fuel
            assert row[8:10] == [f"{leg['tow_kg']:,.0f}", f"{leg['payload_kg']:,.0f}"]
            assert row[10].startswith(leg["binding_limit"])


def test_nav_log_local_time_uses_the_airfield_zone(demo: dict[str, Any]) -> None:
    """Niamey is UTC+1 (Africa/Niamey), Bamako and Gao UTC+0: from the zone, not longitude."""
    mission = next(m for m in demo["document"]["missions"] if m["route"][0] == "DRRN")
    row = table_rows(_brief(demo, mission), "navlog")[0]
    etd = mission["plan"]["legs"][0]["etd_utc"]
    hour = (int(etd[11:13]) + 1) % 24
    assert row[1] == f"{etd[11:16]}Z {hour:02d}:{etd[14:16]} L (UTC+1)", row


def test_a_mission_without_dangerous_goods_says_none(demo: dict[str, Any]) -> None:
    mission = next(
        m for m in demo["document"]["missions"] if not any(x["hazardous"] for x in m["lifts"])
    )
    html = _brief(demo, mission)
    assert "None: no lift on this mission is marked hazardous." in html
    assert "DANGEROUS GOODS ON BOARD" not in html


def test_an_old_run_without_cargo_fields_is_not_called_free_of_dangerous_goods(
    demo: dict[str, Any],
) -> None:
    mission = _carrying(demo, "R007")
    old = {
        **mission,
        "lifts": [
            {k: v for k, v in x.items() if k not in ("hazardous", "dg_class", "un_number")}
            for x in mission["lifts"]
        ],
    }
    html = _brief(demo, old)
    assert "run the schedule again" in html
    assert "None: no lift" not in html


def test_daylight_only_at_bamako_names_the_scenario_rule(demo: dict[str, Any]) -> None:
    mission = next(m for m in demo["document"]["missions"] if "GABS" in m["route"])
    html = _brief(demo, mission)
    assert "scenario rule night_ops = false" in html
    assert "theatre file daylight_only = false" in html
