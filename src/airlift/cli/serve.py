"""``airlift serve``: the web app and REST API on the shared database (demo loaded if empty)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from airlift.cli.common import out
from airlift.cli.database import DbOpt, database_error, shown_url, upgrade_schema


def _load_demo(url: str) -> tuple[bool, str | None]:
    """Load the demo into a database without tails. On a database without users, also
    create the first admin ``admin`` with a random password, returned to be shown once:
    the two-command start on a fresh machine must end at a page one can log in to."""
    from sqlalchemy.exc import SQLAlchemyError

    from airlift.store.accounts import create_first_admin
    from airlift.store.db import make_engine, session_factory, transaction
    from airlift.store.demo import load_demo

    engine = make_engine(url)
    try:
        with transaction(session_factory(engine)) as session:
            loaded = load_demo(session)
            password = create_first_admin(session)
    except SQLAlchemyError as exc:
        raise database_error(url, exc) from None
    finally:
        engine.dispose()
    return loaded, password


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0: every interface).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    db: DbOpt = None,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo/--no-demo",
            help="Load the demo fleet, requests and scenario into an empty database.",
        ),
    ] = True,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="HTTP server processes (about one per CPU core serves the most requests).",
        ),
    ] = 1,
    access_log: Annotated[
        bool | None,
        typer.Option(
            "--access-log/--no-access-log",
            help="Log every HTTP request to the console (default: AIRLIFT_ACCESS_LOG, off).",
        ),
    ] = None,
) -> None:
    """Run the web app and REST API (OpenAPI at /docs) on the shared database.

    Settings: AIRLIFT_* variables (airlift.web.settings), e.g. AIRLIFT_SECURE_COOKIES=false.
    """
    import uvicorn

    from airlift.web import server
    from airlift.web.app import create_app
    from airlift.web.settings import Settings

    if access_log is not None:  # the HTTP processes read their settings from the environment
        os.environ["AIRLIFT_ACCESS_LOG"] = str(access_log).lower()
    settings = Settings(db_url=db) if db else Settings()
    url = settings.database_url()
    server.check_free(host, port)
    upgrade_schema(url)
    loaded, password = _load_demo(url) if demo else (False, None)
    if loaded:
        out.print("loaded the demo fleet, requests and scenario")
    if password:
        out.print(
            f"first run: created user [bold]admin[/] with password [bold]{password}[/] "
            "(shown once; add people with `airlift users create`)"
        )
    out.print(f"airlift on http://{host}:{port} (API docs: /docs), database {shown_url(url)}")
    if settings.secure_cookies and host not in ("127.0.0.1", "localhost", "::1"):
        out.print(
            "session cookies are Secure: serve behind HTTPS, or set AIRLIFT_SECURE_COOKIES=false"
        )
    if workers == 1:
        uvicorn.run(
            create_app(settings),
            host=host,
            port=port,
            access_log=settings.access_log,
            proxy_headers=False,  # the app trusts X-Forwarded-For itself (trusted_proxies)
            timeout_graceful_shutdown=server.GRACEFUL_SHUTDOWN_S,
            timeout_keep_alive=server.KEEP_ALIVE_S,
        )
        return
    # Several HTTP processes (their app reads its settings from the environment) share this
    # process's schedule-run workers.
    from airlift.runs import supervisor

    os.environ["AIRLIFT_DB_URL"] = url
    from airlift.web.app import start_study_worker

    run_workers = supervisor.start_workers(url, settings.worker_processes)
    study_worker = start_study_worker(url, settings)
    try:
        status = server.serve_http(host, port, workers)
    finally:
        study_worker.stop()
        supervisor.stop_workers(run_workers)
    if status:
        raise typer.Exit(status)
