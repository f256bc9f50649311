"""``create_app``: the FastAPI application (REST API under ``/api``, web pages, OpenAPI at /docs).

At startup the database is migrated to the latest Alembic revision and the schedule-run
workers and the study worker start (unless ``airlift serve --workers N`` runs them for its N
HTTP processes); at shutdown they stop. Errors the library raises on purpose become 4xx
answers with a one-line ``detail`` (and ``field`` where known): bad input is never a 500.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

from anyio import CapacityLimiter, to_thread
from fastapi import FastAPI, Request, status
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from airlift import __version__
from airlift.aircraft import catalogue
from airlift.airfields import theatre
from airlift.errors import AirliftError, Conflict, FieldError, InputError, NotFound, UnknownAirfield
from airlift.store.db import THREADS, make_engine, read_session_factory, session_factory
from airlift.web.read_cache import ReadCache
from airlift.web.schemas import ValidationProblem
from airlift.web.settings import Settings
from airlift.web.static_files import PreloadedStaticFiles

STATIC_DIR = Path(__file__).parent / "static"
_log = logging.getLogger("airlift.web")

COMPUTE_THREADS = 2
"""Threads that compute mission plans (``/api/plan``) at once. The work holds the GIL: more
threads add no throughput, but each one more is a competitor that every other request's
thread and the event loop wait behind (plans used to take up to 10 of the 16 request threads
under the mixed load of ``bench_api``)."""

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status.HTTP_422_UNPROCESSABLE_CONTENT: {
        "model": ValidationProblem,
        "description": "bad input: what is wrong, and the field",
    }
}
"""Documents the 422 body of the API routes (FastAPI's default describes its own shape)."""

_DESCRIPTION = """\
Plans and schedules military and humanitarian airlift: airfields, aircraft types, the fleet,
movement requests, scenarios, mission plans, schedule runs and what-if studies.

Authenticate with `Authorization: Bearer <token>` (create one with `POST /api/tokens`), or
log in with `POST /api/auth/login` for a session cookie; cookie sessions must send the
returned `csrf_token` as the `X-CSRF-Token` header on every write.
Errors are `{"detail": "<one line>", "field": "<field or null>"}`; a request that does not
fit the schema also lists every problem in `fields`, a refused import every row in `errors`.
A write with a stale `version` is 409 and names the newest change in `changed_by` and
`changed_at` (ISO 8601 UTC) where the audit log holds it.
"""


def _warm_countries() -> None:
    """The country borders and their raster around the theatre, loaded before the first plan
    (it once stalled the server for a second under load); skipped when not installed."""
    from airlift.airspace import countries
    from airlift.errors import DataFileError

    with contextlib.suppress(DataFileError):
        countries.warm([(a.lat, a.lon) for a in theatre().values()])


def _warm_routes(app: FastAPI) -> None:
    """FastAPI's per-route state (dependency graph, body model and their pydantic validators)
    built for every route now rather than at the first request that passes the route's router:
    built lazily, it held the event loop for up to 0.1 s at a time while the first clients
    waited. Walks the included routers through FastAPI internals that may change: anything
    missing is skipped (and built at first use, as before)."""

    def walk(routes: Iterable[Any]) -> None:
        for route in routes:
            candidates = getattr(route, "effective_candidates", None)
            if callable(candidates):
                walk(candidates())
            low_priority = getattr(route, "effective_low_priority_routes", None)
            if callable(low_priority):
                low_priority()

    walk(app.router.routes)


def _warm_imports() -> None:
    """Modules a plan imports on first use (the daylight checks' astral), imported now: an
    import under load holds the import lock while every other plan thread waits for it."""
    from airlift.mission.conditions import civil_twilight

    civil_twilight(0.0, 0.0, date(2000, 1, 1))


def create_app(
    settings: Settings | None = None, run_workers: bool = True, study_worker: bool | None = None
) -> FastAPI:
    """The application, connected to ``settings.database_url()`` (migrated at startup).

    With ``run_workers`` its start-up also starts the schedule-run worker processes
    (``Settings.worker_processes``) and the study worker thread; without, some other process
    runs them (``airlift serve --workers N`` starts them once for its N HTTP processes).
    ``study_worker``: start the study worker (default: as ``run_workers``)."""
    # Imported here so that a missing part of the app fails loudly at creation.
    from airlift.runs import supervisor
    from airlift.store import migrate
    from airlift.web import api_docs, pages
    from airlift.web.routes import ROUTERS

    settings = settings or Settings()
    url = settings.database_url()
    studies = run_workers if study_worker is None else study_worker
    engine = make_engine(url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Blocking work (every database access) runs in this many threads: as many as the
        # pool has connections (store/db.py), so a thread seldom waits for one.
        to_thread.current_default_thread_limiter().total_tokens = THREADS
        app.state.commit_limiter = CapacityLimiter(THREADS)
        app.state.compute_limiter = CapacityLimiter(COMPUTE_THREADS)
        app.state.write_gate = asyncio.Semaphore(1)
        await run_in_threadpool(migrate.upgrade, url)
        # What every planning request reads, loaded before the first one arrives (it waited
        # 0.2 s for it under load; the airportsdata table alone takes 0.13 s to load).
        theatre()
        catalogue()
        _warm_countries()
        _warm_imports()
        _warm_routes(app)
        # Everything imported or loaded so far lives as long as the process: move it out of the
        # collector's sight, so a full collection under load scans only per-request garbage
        # (it took tens of milliseconds per pause before; the p99 latency of bench_api).
        gc.collect()
        gc.freeze()
        app.state.run_workers = (
            supervisor.start_workers(url, settings.worker_processes) if run_workers else None
        )
        app.state.study_worker = (
            await run_in_threadpool(start_study_worker, url, settings) if studies else None
        )
        try:
            yield
        finally:
            # Stopped without an await, as the run workers are: an await here let the requests
            # uvicorn cancelled at its graceful timeout log their CancelledError tracebacks.
            if app.state.study_worker is not None:
                app.state.study_worker.stop()
                app.state.study_worker = None
            if app.state.run_workers is not None:
                supervisor.stop_workers(app.state.run_workers)
                app.state.run_workers = None
            app.state.read_cache.close()
            engine.dispose()

    app = FastAPI(
        title="airlift",
        version=__version__,
        description=_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # web/api_docs.py: Swagger UI from node_modules, not a CDN
        openapi_url="/openapi.json",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.read_sessions = read_session_factory(engine)
    app.state.commit_limiter = None  # set at start-up (an anyio limiter needs the loop)
    app.state.compute_limiter = None
    app.state.write_gate = None
    app.state.study_worker = None
    app.state.read_cache = ReadCache(engine, app.state.read_sessions)
    for router in ROUTERS:
        app.include_router(router, responses=ERROR_RESPONSES)
    app.include_router(pages.router)
    app.include_router(api_docs.router)
    if STATIC_DIR.is_dir():
        app.mount("/static", PreloadedStaticFiles(STATIC_DIR), name="static")
    if settings.trusted_proxies.strip():
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        hosts = [h.strip() for h in settings.trusted_proxies.split(",") if h.strip()]
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=hosts)
    add_error_handlers(app)
    return app


def start_study_worker(url: str, settings: Settings) -> Any:
    """The server's study worker (``runs/studies.py``) on the settings' Dask cluster."""
    from airlift.runs.studies import StudyCluster, start_study_worker

    cluster = StudyCluster(settings.dask_scheduler.strip(), settings.study_workers)
    return start_study_worker(url, settings.studies_dir(), cluster)


def http_worker_app() -> FastAPI:
    """One of the HTTP processes of ``airlift serve --workers N`` (a uvicorn factory): settings
    from the environment, and no run workers (the ``serve`` process runs those)."""
    return create_app(Settings(), run_workers=False)


def error_body(detail: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"detail": detail, "field": field, **extra}


def _json(code: int, detail: str, field: str | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse(error_body(detail, field, **extra), status_code=code)


def _field(exc: BaseException) -> str | None:
    value = getattr(exc, "field", None)
    return str(value) if value else None


def _loc_field(loc: tuple[Any, ...] | list[Any]) -> str:
    """``("body", "loads", 0, "cargo_kg")`` -> ``loads[0].cargo_kg``; query/path params by name."""
    out = ""
    for part in list(loc)[1:] if loc and loc[0] in ("body", "query", "path") else loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or str(loc[0] if loc else "")


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = list(exc.errors())
    first = errors[0] if errors else {}
    field = _loc_field(first.get("loc", ()))
    msg = str(first.get("msg", "invalid request")).removeprefix("Value error, ")
    return _json(
        status.HTTP_422_UNPROCESSABLE_CONTENT,
        f"{field}: {msg}" if field else msg,
        field or None,
        fields=[
            {"field": _loc_field(e.get("loc", ())), "message": str(e.get("msg", ""))}
            for e in errors
        ],
    )


async def _not_found(request: Request, exc: NotFound) -> JSONResponse:
    return _json(status.HTTP_404_NOT_FOUND, str(exc))


async def _conflict(request: Request, exc: Conflict) -> JSONResponse:
    # A stale version names who changed the row last and when (from the audit log).
    extra = {"changed_by": exc.changed_by, "changed_at": exc.changed_at} if exc.changed_by else {}
    return _json(status.HTTP_409_CONFLICT, str(exc), **extra)


async def _stale(request: Request, exc: StaleDataError) -> JSONResponse:
    return _json(
        status.HTTP_409_CONFLICT,
        "someone else changed this row meanwhile: reload it and apply your change again",
        "version",
    )


async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
    # The store checks uniqueness first; this catches the race between two writers.
    return _json(status.HTTP_409_CONFLICT, "conflicts with an existing row (unique name?)")


async def _data(request: Request, exc: DataError) -> JSONResponse:
    # The schemas and the store check values first; this is the database's own refusal
    # (PostgreSQL: a NUL character, a number out of its range).
    orig = " ".join(str(exc.orig).split())[:200]
    return _json(status.HTTP_422_UNPROCESSABLE_CONTENT, f"the database refused a value: {orig}")


async def _unknown_airfield(request: Request, exc: UnknownAirfield) -> JSONResponse:
    return _json(
        status.HTTP_422_UNPROCESSABLE_CONTENT,
        str(exc),
        _field(exc),
        suggestions=exc.suggestions,
    )


async def _field_error(request: Request, exc: FieldError) -> JSONResponse:
    # The one line (file, row and field where known) and the field, as the CLI prints it;
    # for a name that matched nothing, the closest known ones (as UnknownAirfield answers).
    extra = {"suggestions": list(exc.suggestions)} if exc.suggestions else {}
    return _json(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc), exc.field, **extra)


async def _input(request: Request, exc: InputError) -> JSONResponse:
    return _json(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc), _field(exc))


async def _airlift(request: Request, exc: AirliftError) -> JSONResponse:
    # UnknownAircraft, DataFileError, RunwayClosed...: all about what the user sent.
    return _json(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc), _field(exc))


async def _pool(request: Request, exc: PoolTimeout) -> JSONResponse:
    return _busy("the server is busy: every database connection is in use")


async def _operational(request: Request, exc: OperationalError) -> JSONResponse:
    reason = " ".join(str(exc.orig).split())[:200]
    _log.warning("database unavailable: %s", reason)
    if "full" in reason:  # SQLite "database or disk is full", PostgreSQL "No space left"
        return _busy("the server's storage is full: nothing was saved", retry_s=60)
    if "locked" in reason or "busy" in reason:
        return _busy("the database is busy with other writes: nothing was saved")
    return _busy(f"the database is unavailable: {reason}", retry_s=5)


async def _bug(request: Request, exc: Exception) -> JSONResponse:
    # A bug: logged with its traceback; the connection is closed (its state is unknown).
    _log.exception("unhandled error on %s %s", request.method, request.url.path)
    return JSONResponse(
        error_body(f"internal error ({type(exc).__name__}); it has been logged"),
        status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
        headers={"Connection": "close"},
    )


class _LongNumber:
    """A JSON number too long for Python to convert (4,300 digits and up)."""


def _long_number_path(value: Any, path: str = "") -> str | None:
    if isinstance(value, _LongNumber):
        return path or "body"
    if isinstance(value, dict):
        items: Iterable[tuple[str, Any]] = (
            (f"{path}.{k}" if path else str(k), v) for k, v in value.items()
        )
    elif isinstance(value, list):
        items = ((f"{path}[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    for where, v in items:
        found = _long_number_path(v, where)
        if found:
            return found
    return None


async def _http(request: Request, exc: StarletteHTTPException) -> Response:
    # FastAPI answers 400 "There was an error parsing the body" when json.loads fails with
    # something other than a syntax error: an integer of 4,300+ digits (Python's guard
    # against slow conversions). Name the field that holds it, as any other bad value.
    if exc.status_code == status.HTTP_400_BAD_REQUEST and "parsing the body" in str(exc.detail):
        try:
            parsed = json.loads(
                await request.body(),
                parse_int=lambda s: _LongNumber() if len(s) > 300 else int(s),
                parse_float=lambda s: _LongNumber() if len(s) > 300 else float(s),
            )
        except (ValueError, RecursionError):
            parsed = None
        field = _long_number_path(parsed)
        if field:
            return _json(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                f"{field}: a number hundreds of digits long is not a usable value",
                field,
            )
    return await http_exception_handler(request, exc)


HANDLERS: tuple[tuple[type[Exception], Callable[[Request, Any], Awaitable[Response]]], ...] = (
    (RequestValidationError, _validation),
    (StarletteHTTPException, _http),
    (NotFound, _not_found),
    (Conflict, _conflict),
    (StaleDataError, _stale),
    (IntegrityError, _integrity),
    (DataError, _data),
    (UnknownAirfield, _unknown_airfield),
    (FieldError, _field_error),
    (InputError, _input),
    (AirliftError, _airlift),
    (PoolTimeout, _pool),
    (OperationalError, _operational),
    (Exception, _bug),
)
"""Each error type and its answer; Starlette picks the most specific class."""


def add_error_handlers(app: FastAPI) -> None:
    """Map the library's errors (and request validation) to 4xx JSON answers, the
    database's refusals to 503 and anything else to a logged 500."""
    for exc, handler in HANDLERS:
        app.add_exception_handler(exc, handler)


def _busy(detail: str, retry_s: int = 1) -> JSONResponse:
    """503 with ``Retry-After``: the request was refused whole and may be sent again."""
    return JSONResponse(
        error_body(detail),
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": str(retry_s)},
    )
