"""The Airspace page in Chromium: a planner imports a GeoJSON zone file (first one with a
self-intersecting polygon: refused, naming the feature; nothing stored), sees the zone in the
table, sees it drawn in red on the map page, and plans GABS -> GAGO on the plan page, whose
leg is drawn along its path around the zone, with the clearances a French aircraft needs.
Reuses ``test_e2e``'s server. Screenshots:
``/tmp/airweb-{airspace,map,plan,plan-clearances}.png``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from test_e2e import PASSWORD, USERNAME, Server, browser_page, server
from test_e2e import pytestmark as pytestmark
from test_e2e_board import _login

__all__ = ["server"]

SHOTS = Path("/tmp")
ZONE = "Threat Mopti"


def _zone_file(path: Path, ring: list[list[float]]) -> Path:
    feature = {
        "type": "Feature",
        "properties": {"name": ZONE, "kind": "threat", "standoff_nm": 3, "note": "e2e"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


def _shot(page: Any, name: str) -> None:
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / f"airweb-{name}.png"), full_page=False)


def test_a_zone_imported_on_the_airspace_page_is_drawn_on_the_maps(
    server: Server, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    base = server.url
    box = [[-4.5, 13.5], [-3.5, 13.5], [-3.5, 15.5], [-4.5, 15.5], [-4.5, 13.5]]
    bowtie = [[-4.5, 13.5], [-3.5, 15.5], [-3.5, 13.5], [-4.5, 15.5], [-4.5, 13.5]]
    with browser_page(server, "airspace") as page:
        _login(page, base, USERNAME, PASSWORD, f"{base}/airspace")
        expect(page.get_by_role("link", name="Airspace")).to_have_attribute("aria-current", "page")

        page.set_input_files("#zone-file", str(_zone_file(tmp_path / "bowtie.geojson", bowtie)))
        page.get_by_role("button", name="Import zones").click()
        msg = page.locator("#zones-msg")
        expect(msg).to_contain_text("Nothing stored")
        expect(msg).to_contain_text("bowtie.geojson feature 1")
        expect(msg).to_contain_text("invalid polygon")
        expect(page.locator("#zones-table")).to_contain_text("No zones stored")

        page.set_input_files("#zone-file", str(_zone_file(tmp_path / "mopti.geojson", box)))
        page.get_by_role("button", name="Import zones").click()
        expect(msg).to_contain_text("Imported mopti.geojson: 1 zone stored")
        row = page.locator("#zones tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(ZONE)
        expect(row).to_contain_text("threat")
        expect(row).to_contain_text("3.0 NM")

        page.fill("#cl-country", "NER")
        page.select_option("#cl-kind", "landing")
        page.select_option("#cl-status", "granted")
        page.fill("#cl-number", "NE-77/2026")
        page.get_by_role("button", name="Add the record").click()
        expect(page.locator("#clearances tbody tr")).to_contain_text("NE-77/2026")
        _shot(page, "airspace")

        page.goto(f"{base}/map")
        page.wait_for_selector("body[data-ready=true]")
        zone = page.locator(f'#map path[data-zone="{ZONE}"]')
        expect(zone).to_have_count(1)
        expect(page.locator("#zone-note")).to_contain_text("1 airspace zone")
        page.evaluate("window.scrollTo(0, 0)")
        _shot(page, "map")

        page.goto(f"{base}/plan?stops=GABS,GAGO")
        page.locator("#more summary").click()
        page.fill("#operator", "FRA")
        page.fill("#planning-date", "2023-10-01")
        page.get_by_role("button", name="Plan", exact=True).click()
        expect(page.locator("#result-title")).to_contain_text("GABS → GAGO")
        expect(page.locator(f'#plan-map path[data-zone="{ZONE}"]')).to_have_count(1)
        leg = page.locator("#plan-map path.plan-leg")
        expect(leg).to_have_count(1)
        # drawn along the routed path: more than the two ends of a straight line
        assert leg.get_attribute("d").count("L") >= 2
        needs = page.locator("#clearance-needs tbody")
        expect(needs).to_contain_text("MLI")  # landing at Gao
        expect(needs).to_contain_text("landing")
        _shot(page, "plan")
        page.locator("#clearances-needed").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "airweb-plan-clearances.png"))
