"""End to end in a real browser: the planning cell's day on the web app.

Starts ``python -m airlift serve`` on a free port with a fresh SQLite file, creates an admin
with ``airlift users create-admin --password-stdin``, then drives Debian's Chromium with
Playwright: log in, import the demo requests CSV on the requests page (first a copy with a
broken row: the row errors are listed and the good rows can be stored), start a short
schedule run on the plans page and follow it to the end, see its routes on the map and its
legs on the timeline, open a mission page and its printable brief, compare two runs and
download the KML (parsed with lxml). Screenshots of every page go to ``out/screenshots/``.

Skipped only where Chromium is missing and ``CI`` is not ``true``: in CI it always runs.
"""

from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "src" / "airlift" / "data" / "demo"
SCREENSHOTS = REPO / "out" / "screenshots"
USERNAME = "e2e-admin"
PASSWORD = "e2e-password-1234"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
RUN_TIME_LIMIT_S = "3"
"""Solver time limit of the runs started through the UI, s: short, the demo solves in less."""

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CI") != "true",
        reason=f"{CHROMIUM} not found (apt-get install chromium); "
        "the browser test runs wherever it is, and always in CI",
    ),
]


@dataclass(frozen=True)
class Server:
    url: str
    db_url: str
    log: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(
                f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}"
            )
        try:
            with urllib.request.urlopen(f"{url}/api/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"server not healthy after {timeout_s} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serve(tmp_path_factory.mktemp("e2e")) as running:
        yield running


@contextmanager
def serve(tmp: Path, **extra_env: str) -> Iterator[Server]:
    """``airlift serve`` on a free port with a fresh SQLite file in ``tmp`` and the e2e admin;
    ``extra_env``: more ``AIRLIFT_*`` settings."""
    db_url = f"sqlite:///{tmp / 'e2e.sqlite'}"
    env = {
        **os.environ,
        "AIRLIFT_DATA_DIR": str(tmp / "data"),
        "AIRLIFT_DB_URL": db_url,
        # Plain HTTP on 127.0.0.1: the session cookie cannot be Secure-only here.
        "AIRLIFT_SECURE_COOKIES": "false",
        **extra_env,
    }
    create_admin = ["users", "create-admin", USERNAME, "--password-stdin", "--db", db_url]
    subprocess.run(
        [sys.executable, "-m", "airlift", *create_admin],
        input=f"{PASSWORD}\n".encode(),
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = _free_port()
    log = tmp / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "airlift", "serve", "--port", str(port), "--db", db_url],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log, timeout_s=90)
        yield Server(url, db_url, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _broken_requests_csv(path: Path) -> Path:
    """The first demo requests with two broken rows added (unknown airfield, negative kg)."""
    rows = list(csv.DictReader((DEMO / "requests.csv").open(encoding="utf-8")))
    good = rows[:5]
    bad_airfield = {**rows[5], "id": "BAD1", "origin": "ZZZZ"}
    bad_mass = {**rows[6], "id": "BAD2", "cargo_kg": "-5"}
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows([*good, bad_airfield, bad_mass])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _shot(page: Any, name: str, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if full_page:  # from the top: the sticky navigation bar stays at the top of the image
        page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


@contextmanager
def browser_page(server: Server, name: str) -> Iterator[Any]:
    """A Chromium page (1440 x 900, 60 s timeouts) for one test on ``server``. On failure:
    the screenshot ``<name>-failure`` and the server log's tail; at the end, no JavaScript
    error may have been raised in any page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        errors: list[str] = []
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        context.set_default_timeout(60_000)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            yield page
        except Exception:
            _shot(page, f"{name}-failure")
            print(server.log.read_text()[-4000:])
            raise
        finally:
            browser.close()
    assert errors == [], f"JavaScript errors in the pages: {errors}"


def _click_line_middle(page: Any, selector: str) -> None:
    """Click the middle of an SVG path (its bounding box centre may miss a slanted line)."""
    x, y = page.eval_on_selector(
        selector,
        """p => { const pt = p.getPointAtLength(p.getTotalLength() / 2);
                  const m = p.getScreenCTM();
                  return [pt.x * m.a + pt.y * m.c + m.e, pt.x * m.b + pt.y * m.d + m.f]; }""",
    )
    page.mouse.click(x, y)


def test_planning_cell_day_in_the_browser(server: Server, tmp_path: Path) -> None:
    from lxml import etree
    from playwright.sync_api import expect, sync_playwright

    (SCREENSHOTS / "failure.png").unlink(missing_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1366, "height": 768}, accept_downloads=True
        )
        context.set_default_timeout(30_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            _walk_through(page, context, server, tmp_path, etree, expect)
        except Exception:
            _shot(page, "failure")
            print(server.log.read_text()[-4000:])
            raise
        finally:
            browser.close()
        assert errors == [], f"JavaScript errors in the pages: {errors}"


def _walk_through(
    page: Any, context: Any, server: Server, tmp_path: Path, etree: Any, expect: Any
) -> None:
    base = server.url
    ready = "body[data-ready=true]"

    # Log in: a page asked for without a session goes to the login form and back.
    page.goto(f"{base}/plans")
    page.wait_for_url("**/login?next=*")
    expect(page.get_by_label("User name")).to_be_focused()
    _shot(page, "login")
    page.get_by_label("User name").fill(USERNAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/plans")
    page.goto(f"{base}/")
    page.wait_for_url("**/map")

    # Browser assets come from node_modules, and only the whitelisted files.
    assert page.request.get(f"{base}/vendor/leaflet/leaflet.js").status == 200
    for path in ("leaflet/dist/leaflet-src.js", "../package.json", "..%2F..%2Fpyproject.toml"):
        assert page.request.get(f"{base}/vendor/{path}").status == 404, path

    # Requests: a file with broken rows is refused with every row error listed; the good
    # rows can then be stored alone; then the whole demo file goes in.
    page.goto(f"{base}/requests")
    page.wait_for_selector(ready)
    page.set_input_files("#import-file", str(_broken_requests_csv(tmp_path / "broken.csv")))
    page.get_by_role("button", name="Import", exact=True).click()
    errors_table = page.locator("table.row-errors")
    expect(errors_table).to_be_visible()
    expect(errors_table.locator("tbody tr")).to_have_count(2)
    expect(errors_table).to_contain_text("origin")
    _shot(page, "requests-import-errors")
    page.get_by_role("button", name="Import the good rows only").click()
    expect(page.locator("[data-status]")).to_contain_text("2 bad rows skipped")
    page.set_input_files("#import-file", str(DEMO / "requests.csv"))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("[data-status]")).to_contain_text("Imported requests.csv")
    demo_rows = sum(1 for _ in csv.DictReader((DEMO / "requests.csv").open(encoding="utf-8")))
    expect(page.locator("#requests-table tbody tr")).to_have_count(demo_rows)
    page.get_by_label("Origin", exact=True).fill("GAGO")
    gago = page.locator("#requests-table tbody tr")
    expect(gago.first).to_contain_text("GAGO")
    assert 0 < gago.count() < demo_rows
    page.get_by_role("button", name="Clear filters").click()
    _shot(page, "requests")

    # Fleet: the demo fleet, or imported here when the server started empty.
    page.goto(f"{base}/fleet")
    page.wait_for_selector(ready)
    if page.locator("#fleet-table").count() == 0:
        page.set_input_files("#import-file", str(DEMO / "fleet.csv"))
        page.get_by_role("button", name="Import", exact=True).click()
        expect(page.locator("[data-status]")).to_contain_text("Imported fleet.csv")
    expect(page.locator("#fleet-table tbody tr").first).to_be_visible()

    # Plans: two short runs (seeds 0 and 1), followed live to the end.
    page.goto(f"{base}/plans")
    page.wait_for_selector(ready)
    if page.locator("#scenario option[value]:not([value=''])").count() == 0:
        _create_demo_scenario(page, base)
        page.reload()
        page.wait_for_selector(ready)
    run_ids = []
    for seed in ("1", "0"):
        page.get_by_label("Time limit").fill(RUN_TIME_LIMIT_S)
        page.get_by_label("Seed").fill(seed)
        with page.expect_response(
            lambda r: r.url.endswith("/api/runs") and r.request.method == "POST"
        ) as created:
            page.get_by_role("button", name="Start run").click()
        assert created.value.status == 202, created.value.text()
        new_id = str(created.value.json()["id"])
        live = page.locator("#live-body")
        expect(live.locator("strong").first).to_have_text(f"Run {new_id}")
        expect(live.locator(".badge.done")).to_be_visible(timeout=180_000)
        expect(page.locator("#detail-title")).to_contain_text(f"Run {new_id}")
        expect(page.locator("#missions-table tbody tr").first).to_be_visible()
        run_ids.append(new_id)
    run_id = run_ids[-1]
    page.get_by_role("button", name="Compare KPIs").click()
    expect(page.locator("#compare-title")).to_contain_text(
        f"run {run_ids[0]} (A) and run {run_ids[1]} (B)"
    )
    expect(page.locator("#compare-table")).to_contain_text("Cargo delivered")
    page.locator("#detail").scroll_into_view_if_needed()
    _shot(page, "plans")

    # The KML export of the run parses as KML with a placemark per leg.
    with page.expect_download() as download_info:
        page.locator("#exports a[data-fmt=kml]").click()
    kml_path = tmp_path / "run.kml"
    download_info.value.save_as(kml_path)
    root = etree.parse(str(kml_path)).getroot()
    assert etree.QName(root).localname == "kml"
    assert root.findall(".//{*}Placemark"), "the KML has no placemark"

    # Mission page, then its printable brief in a new tab.
    page.locator("#missions-table a", has_text="Mission").first.click()
    page.wait_for_url(f"**/plans/{run_id}/missions/1")
    page.wait_for_selector(ready)
    expect(page.locator("#legs-table tbody tr").first).to_be_visible()
    _shot(page, "mission")
    with context.expect_page() as brief_info:
        page.get_by_role("link", name="Open the printable brief").click()
    brief = brief_info.value
    brief.wait_for_load_state()
    assert brief.url.endswith(f"/api/runs/{run_id}/missions/1/brief")
    expect(brief.locator("body")).to_contain_text("kg")
    _shot(brief, "brief", full_page=False)
    brief.close()

    # Map: the run's legs as polylines; a click on one shows its figures with units.
    page.goto(f"{base}/map?run={run_id}")
    page.wait_for_selector(ready)
    lines = page.locator("path.leg-line")
    expect(lines.first).to_be_attached()
    assert lines.count() > 0
    expect(page.locator("path.airfield").first).to_be_attached()
    _shot(page, "map", full_page=False)
    page.get_by_label("Day (UTC)").select_option("1")
    _click_line_middle(page, "path.leg-line")
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("NM")
    expect(popup).to_contain_text("kg")
    expect(popup).to_contain_text("local")
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")  # faded in
    _shot(page, "map-leg-popup", full_page=False)

    # Timeline: a bar per leg, tooltips with UTC and local times; one day zoomed in.
    page.goto(f"{base}/timeline?run={run_id}")
    page.wait_for_selector(ready)
    bars = page.locator("#timeline a.bar")  # missions over the programme, legs in a day
    expect(bars.first).to_be_attached()
    assert bars.count() > 0
    _shot(page, "timeline")
    page.locator("#range button").nth(1).click()
    bars.first.focus()
    expect(page.locator("#tooltip")).to_contain_text("local")
    _shot(page, "timeline-day", full_page=False)

    # Fleet again, now with the missions and flying hours of the newest run.
    page.goto(f"{base}/fleet")
    page.wait_for_selector(ready)
    expect(page.locator("#fleet-note")).to_contain_text(f"run {run_id}")
    _shot(page, "fleet")

    # Log out: the pages then ask for the login again.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")
    page.goto(f"{base}/map")
    page.wait_for_url("**/login?next=*")


def _create_demo_scenario(page: Any, base: str) -> None:
    """The demo scenario through the API, for a server started without the demo."""
    import tomllib

    raw = tomllib.loads((DEMO / "scenario.toml").read_text("utf-8"))
    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content")
    body = {
        "name": raw["name"],
        "start_utc": raw["start_utc"],
        "days": raw["days"],
        "fuel_policy": raw.get("fuel_policy", "icao"),
        "night_ops": raw.get("night_ops", False),
        "overrides": raw.get("airfield", {}),
    }
    resp = page.request.post(f"{base}/api/scenarios", data=body, headers={"X-CSRF-Token": csrf})
    assert resp.ok, resp.text()


def test_aircraft_performance_page(server: Server) -> None:
    """The planner's questions on /aircraft: how far a C-130H carries 12 t, what take-off
    distance at Gao at 45 °C; a payload the type cannot carry is refused next to its box.
    Screenshots at 1366x900 and 390x844 (the phone: no sideways scrolling of the page)."""
    import re

    from playwright.sync_api import expect, sync_playwright

    base = server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
        page.set_default_timeout(30_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            page.goto(f"{base}/aircraft")
            page.wait_for_url("**/login?next=*")
            page.get_by_label("User name").fill(USERNAME)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url("**/aircraft")
            page.wait_for_selector("body[data-ready=true]")
            page.get_by_label("Aircraft type").select_option("C-130H")
            expect(page.locator("#headline-body")).to_contain_text("kg")

            # How far can a C-130H carry 12 t? First 25 t: above its max payload.
            calc = page.locator("#calc-range")
            calc.get_by_label("Payload (kg)").fill("25000")
            calc.get_by_role("button", name="Range").click()
            expect(page.locator("#range-payload_kg-err")).to_contain_text("payload")
            expect(calc.get_by_label("Payload (kg)")).to_have_attribute("aria-invalid", "true")
            _shot(page, "aircraft-refused", full_page=False)
            calc.get_by_label("Payload (kg)").fill("12000")
            calc.get_by_role("button", name="Range").click()
            answer = calc.locator("[data-key=range_nm] dd").first
            expect(answer).to_have_text(re.compile(r"^[\d,]+ NM$"))
            assert 1_000 < int(answer.inner_text().split()[0].replace(",", "")) < 5_000
            expect(page.locator("#range-payload_kg-err")).to_be_empty()

            # What take-off distance at Gao at 45 °C? The airfield fills the elevation.
            calc = page.locator("#calc-takeoff")
            calc.get_by_label("Take-off weight (kg)").fill("65000")
            calc.get_by_label("Airfield").fill("GAGO")
            calc.get_by_label("Airfield").press("Tab")
            expect(calc.get_by_label("Elevation (ft)")).not_to_have_value("0")
            calc.get_by_label("OAT (°C)").fill("45")
            calc.get_by_role("button", name="Take-off").click()
            expect(calc.locator("[data-key=balanced_field_m] dd").first).to_contain_text(" m")

            # The payload-range chart: a curve per schedule; the published figures table.
            expect(page.locator("#chart svg path.curve")).to_have_count(4)
            expect(page.locator("#chart .mark").first).to_be_attached()
            expect(page.locator("#figures-table tbody tr").first).to_be_visible()
            expect(page.locator("#figures-count")).to_have_text(
                re.compile(r"^\d+ of \d+ within tolerance \(held out: \d+ of \d+\)")
            )
            _shot(page, "aircraft-desktop")

            page.set_viewport_size({"width": 390, "height": 844})
            expect(page.locator("#chart svg")).to_have_attribute("width", re.compile(r"^3\d\d$"))
            sideways = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert sideways <= 0, f"the page scrolls sideways by {sideways} px on a phone"
            _shot(page, "aircraft-phone")
        except Exception:
            _shot(page, "aircraft-failure")
            print(server.log.read_text()[-4000:])
            raise
        finally:
            browser.close()
        assert errors == [], f"JavaScript errors on the aircraft page: {errors}"


def test_api_docs_render_offline(server: Server) -> None:
    """/docs draws Swagger UI with the API's operations from this server alone: every request
    the page makes to another origin is refused and recorded, and none is made."""
    from urllib.parse import urlsplit

    from playwright.sync_api import expect, sync_playwright

    base = server.url
    origin = urlsplit(base).netloc
    foreign: list[str] = []

    def only_this_server(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).netloc == origin:
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        context.route("**/*", only_this_server)
        page = context.new_page()
        page.set_default_timeout(30_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            page.goto(f"{base}/docs")
            expect(page.locator(".swagger-ui .info .title")).to_contain_text("airlift")
            expect(page.locator(".opblock-summary-path[data-path='/api/plan']")).to_have_count(1)
            assert page.locator(".opblock").count() > 40
            _shot(page, "api-docs", full_page=False)
        except Exception:
            _shot(page, "failure")
            raise
        finally:
            browser.close()
    assert foreign == [], f"/docs fetched from other origins: {foreign}"
    assert errors == [], f"JavaScript errors on /docs: {errors}"
