"""The planning cell's HTML pages (Jinja2) and their browser assets.

Every page but ``/login`` needs a logged-in user (else a redirect to the login page). The
pages are shells: their JavaScript modules (``static/*.js``) read the REST API with the
session cookie and send the session's CSRF token, rendered into ``<meta name="csrf-token">``,
on every write.

Third-party browser code (Leaflet, TopoJSON client, Natural Earth borders; Swagger UI for
/docs, see web/api_docs.py) comes from the repository's ``node_modules`` (``npm ci``), served
under ``/vendor/`` from a fixed list of files: never a path the client chose, never a CDN.
Without ``node_modules`` every page still loads and says how to install them; the map then
has no base map.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from airlift import __version__, assets
from airlift.fuel_policy import POLICIES
from airlift.performance.answers import PERF_LIMITS
from airlift.web.security import Caller, IdentityDep, OptionalUser
from airlift.web.settings import Settings

router = APIRouter(include_in_schema=False)

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")

NODE_MODULES = assets.NODE_MODULES
"""The repository's ``node_modules``, or ``AIRLIFT_NODE_MODULES`` (see airlift/assets.py)."""

VENDOR_FILES: dict[str, str] = {
    "leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    "leaflet/images/layers.png": "leaflet/dist/images/layers.png",
    "leaflet/images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
    "leaflet/images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
    "leaflet/images/marker-icon-2x.png": "leaflet/dist/images/marker-icon-2x.png",
    "leaflet/images/marker-shadow.png": "leaflet/dist/images/marker-shadow.png",
    "topojson-client/topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
    "world-atlas/countries-50m.json": "world-atlas/countries-50m.json",
    "world-atlas/countries-110m.json": "world-atlas/countries-110m.json",
    "world-atlas/land-50m.json": "world-atlas/land-50m.json",
    # Swagger UI for the API's /docs page (web/api_docs.py).
    "swagger-ui/swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui/swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
    "swagger-ui/favicon-32x32.png": "swagger-ui-dist/favicon-32x32.png",
}
"""URL path under /vendor/ -> file under node_modules: the only files /vendor/ serves."""

REQUIRED_VENDOR = ("leaflet/leaflet.js", "topojson-client/topojson-client.min.js")
"""Without these the map cannot draw: the pages show the install notice."""

INSTALL_NOTICE = "Map assets are not installed: run make install (npm ci)"

NAV = (
    ("map", "/map", "Map"),
    ("plan", "/plan", "Plan"),
    ("timeline", "/timeline", "Timeline"),
    ("board", "/board", "Day board"),
    ("requests", "/requests", "Requests"),
    ("fleet", "/fleet", "Fleet"),
    ("plans", "/plans", "Plans"),
    ("studies", "/studies", "Studies"),
    ("aircraft", "/aircraft", "Aircraft"),
    ("airspace", "/airspace", "Airspace"),
)

_MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".png": "image/png",
}


def vendor_ok() -> bool:
    """True when the npm-installed assets the map needs are present."""
    return all((NODE_MODULES / VENDOR_FILES[name]).is_file() for name in REQUIRED_VENDOR)


def _login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(
        f"/login?next={quote(target, safe='')}", status_code=status.HTTP_303_SEE_OTHER
    )


def _safe_next(value: str | None) -> str:
    """Only a path on this site: never an absolute URL (no open redirect after login)."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return "/map"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or "\\" in value:
        return "/map"
    return value


def _render(
    request: Request,
    template: str,
    *,
    page: str,
    title: str,
    user: Caller | None,
    csrf_token: str = "",
    **context: Any,
) -> HTMLResponse:
    settings: Settings = request.app.state.settings
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "page": page,
            "title": title,
            "user": user,
            "csrf_token": csrf_token,
            "nav": NAV,
            "vendor_ok": vendor_ok(),
            "install_notice": INSTALL_NOTICE,
            "tile_url": settings.tile_url or "",
            "version": __version__,
            **context,
        },
    )
    # Pages carry the CSRF token and the user's name: never from a shared cache.
    response.headers["Cache-Control"] = "no-store"
    return response


def _page(
    request: Request,
    user: OptionalUser,
    identity: IdentityDep,
    template: str,
    page: str,
    title: str,
    **context: Any,
) -> Response:
    if user is None:
        return _login_redirect(request)
    csrf = identity.csrf_token if identity and identity.csrf_token else ""
    return _render(request, template, page=page, title=title, user=user, csrf_token=csrf, **context)


@router.get("/", response_class=RedirectResponse)
def home() -> RedirectResponse:
    return RedirectResponse("/map", status_code=status.HTTP_303_SEE_OTHER)


@router.get("/login", response_class=HTMLResponse)
def login_page(
    request: Request,
    user: OptionalUser,
    next_page: Annotated[str | None, Query(alias="next")] = None,
) -> Response:
    target = _safe_next(next_page)
    if user is not None:
        return RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)
    return _render(request, "login.html", page="login", title="Log in", user=None, next=target)


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, user: OptionalUser, identity: IdentityDep) -> Response:
    return _page(request, user, identity, "map.html", "map", "Map")


@router.get("/plan", response_class=HTMLResponse)
def plan_page(request: Request, user: OptionalUser, identity: IdentityDep) -> Response:
    """Plan one mission: stops, aircraft, loads, fuel policy, weather; the route, navigation
    log, fuel and limits per leg from ``/api/plan``, the max-load question, the exports."""
    policies = [(name, p.description) for name, p in POLICIES.items()]
    return _page(request, user, identity, "plan.html", "plan", "Plan a mission", policies=policies)


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request, user: OptionalUser, identity: IdentityDep) -> Response:
    return _page(request, user, identity, "timeline.html", "timeline", "Timeline")


@router.get("/board", response_class=HTMLResponse)
def board_page(request: Request, user: OptionalUser, identity: IdentityDep) -> Response:
    """One UTC day of the run every page shows: each planned leg with what was reported of
    it, its status and next action (``/api/actuals/board``); planners report a leg here."""
    return _page(request, user, identity, "board.html", "board", "Day board")


@router.get("/requests", response_class=HTMLResponse)
def requests_page(request: Request, user: OptionalUser, identity: IdentityDep) -> Response:
    return _page(request, user, identity, "requests.html", "requests", "Movement requests")


@router.get("/fleet", response_class=HTMLResponse)
def fleet_page(request: Request, user: OptionalUser, identity: IdentityDep) -> Response:
    return _page(request, user, identity, "fleet.html", "fleet", "Fleet")


@router.get("/plans", response_class=HTMLResponse)
def plans_page(request: Request, user: OptionalUser, identity: IdentityDep) -> Response:
    return _page(request, user, identity, "plans.html", "plans", "Plans")


@router.get("/studies", response_class=HTMLResponse)
def studies_page(request: Request, user: OptionalUser, identity: IdentityDep) -> Response:
    """What-if studies: launch one (pasted or uploaded TOML, or the demo study), follow its
    progress, open its report and results."""
    from airlift.studies import demo_study_path

    demo = demo_study_path().read_text(encoding="utf-8")
    return _page(request, user, identity, "studies.html", "studies", "Studies", demo_toml=demo)


@router.get("/aircraft", response_class=HTMLResponse)
def aircraft_page(request: Request, user: OptionalUser, identity: IdentityDep) -> Response:
    """Headline figures, the five `perf` calculators, published figures and payload-range."""
    title = "Aircraft performance"
    return _page(request, user, identity, "aircraft.html", "aircraft", title, limits=PERF_LIMITS)


@router.get("/airspace", response_class=HTMLResponse)
def airspace_page(request: Request, user: OptionalUser, identity: IdentityDep) -> Response:
    """The zones plans route around (import, delete) and the clearance register."""
    return _page(request, user, identity, "airspace.html", "airspace", "Airspace")


@router.get("/plans/{run_id}/missions/{n}", response_class=HTMLResponse)
def mission_page(
    request: Request, user: OptionalUser, identity: IdentityDep, run_id: int, n: int
) -> Response:
    return _page(
        request,
        user,
        identity,
        "mission.html",
        "plans",
        f"Run {run_id} mission {n}",
        run_id=run_id,
        n=n,
    )


@router.get("/vendor/{name:path}")
def vendor_file(name: str) -> FileResponse:
    """A whitelisted npm asset (see :data:`VENDOR_FILES`); 404 for anything else."""
    relative = VENDOR_FILES.get(name)
    path = NODE_MODULES / relative if relative else None
    if path is None or not path.is_file():
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no vendor asset {name!r}")
    return FileResponse(
        path,
        media_type=_MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
        headers={"Cache-Control": "public, max-age=86400"},
    )
