"""The map draws tracks as flown, in Chromium.

Reuses ``test_e2e``'s server (demo data in a fresh SQLite file) and admin, and
``test_e2e_board``'s helpers. A short schedule run is started through the API; the reference
circuit (``tests/tracking/circuit.py``: 5U-MBD Bamako -> Gao -> Kidal -> Niamey -> Bamako on
2023-10-30, and TZ-02C seen in cruise only) is imported as a synthetic OpenSky CSV through
``/api/actuals/import?format=adsb``. The map, on that day, draws one dashed line per flight in
the tail's colour; 5U-MBD's first one's popup names the tail, Bamako -> Gao, its times and the
source; the side list opens each track's popup from the keyboard. Screenshot:
``out/screenshots/map-tracks.png``.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pyarrow.csv as pacsv
from test_e2e import PASSWORD, USERNAME, Server, _shot, browser_page, server
from test_e2e import pytestmark as pytestmark  # skipped only without Chromium outside CI
from test_e2e_board import _api, _finished_run, _login

from airlift.tracking import synthetic

sys.path.insert(0, str(Path(__file__).parents[1] / "tracking"))
from circuit import fly_circuit

__all__ = ["server"]  # the module-scoped server fixture, shared with test_e2e

DAY = "2023-10-30"
"""The reference circuit's UTC date."""


def _circuit_csv() -> bytes:
    buffer = io.BytesIO()
    pacsv.write_csv(synthetic.opensky_table(fly_circuit().table), buffer)
    return buffer.getvalue()


def test_the_map_draws_the_circuit_as_flown(server: Server) -> None:
    from playwright.sync_api import expect

    base = server.url
    with browser_page(server, "map-tracks") as page:
        _login(page, base, USERNAME, PASSWORD, f"{base}/map")
        run = _finished_run(page)
        doc = _api(page, "GET", f"/api/runs/{run}/result")
        day = next(m["day"] for m in doc["missions"] if m["date"] == DAY)
        csrf = page.locator('meta[name="csrf-token"]').get_attribute("content") or ""
        upload = {"name": "circuit.csv", "mimeType": "text/csv", "buffer": _circuit_csv()}
        resp = page.request.post(
            f"{base}/api/actuals/import?format=adsb",
            multipart={"file": upload},
            headers={"X-CSRF-Token": csrf},
        )
        assert resp.ok, resp.text()
        imported = resp.json()
        assert len(imported["created"]) == 5  # 4 legs of 5U-MBD, TZ-02C in cruise
        tracks = _api(page, "GET", f"/api/actuals/tracks?run={run}&day={DAY}")["features"]
        assert len(tracks) == 5

        page.goto(f"{base}/map?run={run}")
        page.wait_for_selector("body[data-ready=true]")
        page.select_option("#day", str(day))
        lines = page.locator("path.track-line")
        expect(lines).to_have_count(5)
        expect(page.locator('path.track-line[data-tail="TZ-02C"]')).to_have_count(1)
        mbd = page.locator('path.track-line[data-tail="5U-MBD"]')
        expect(mbd).to_have_count(4)
        expect(mbd.first).to_have_attribute("stroke-dasharray", "2 6")
        expect(page.locator("#track-note")).to_have_text("5 ADS-B tracks shown")
        expect(page.locator(".map-side")).to_contain_text("ADS-B track as flown")
        # The first flight's popup: tail, airfields, times and source.
        first = min(
            (f for f in tracks if f["properties"]["tail"] == "5U-MBD"),
            key=lambda f: f["properties"]["off_utc"],
        )
        # A real click on the path: the first point along it (from the middle on) that no
        # marker or label covers, from the SVG geometry.
        x, y = page.evaluate(
            """(id) => {
              const path = document.querySelector(`path.track-line[data-report="${id}"]`);
              const length = path.getTotalLength();
              for (let k = 0; k < 20; k += 1) {
                const at = path.getPointAtLength(length * (0.5 + (k % 2 ? 1 : -1) * k / 45));
                const pt = new DOMPoint(at.x, at.y).matrixTransform(path.getScreenCTM());
                if (document.elementFromPoint(pt.x, pt.y) === path) return [pt.x, pt.y];
              }
              throw new Error(`track ${id}: no clickable point`);
            }""",
            first["id"],
        )
        page.mouse.click(x, y)
        popup = page.locator(".leaflet-popup .track-popup")
        expect(popup).to_be_visible()
        # Leaflet fades a popup in: shoot it once opaque.
        expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
        expect(popup).to_contain_text("5U-MBD as flown: GABS → GAGO")
        expect(popup).to_contain_text("ADSB")
        expect(popup).to_contain_text("Take-off")
        _shot(page, "map-tracks", full_page=False)
        # The keyboard way: the side list names each track; Enter opens its popup.
        flown = page.locator(".track-list button")
        expect(flown).to_have_count(5)
        cruise = flown.filter(has_text="TZ-02C ? → ? as flown")
        cruise.focus()
        page.keyboard.press("Enter")
        seen = page.locator(".leaflet-popup .track-popup", has_text="TZ-02C as flown")
        expect(seen).to_contain_text("Seen in the air")
