"""Who is asking, and may they: authentication, CSRF and roles as FastAPI dependencies.

Two ways in:

* ``Authorization: Bearer <token>``: an API token (scripts, other systems). No CSRF check:
  a browser never adds this header by itself.
* the ``airlift_session`` cookie set by ``POST /api/auth/login`` (the web UI). Unsafe methods
  (POST, PUT, PATCH, DELETE) must then echo the session's CSRF token in the ``X-CSRF-Token``
  header or a ``csrf_token`` form field, else 403.

Roles, each including the ones before: ``viewer`` reads; ``planner`` edits requests and
scenarios, starts and cancels runs, plans missions; ``admin`` manages users, others' tokens,
the fleet, airfield overrides and aircraft types. A planner with a nation (a national
planner) may edit only that nation's tails; coalition staff (no nation) may edit any.

Where requests run (the rule, see docs/architecture.md): nothing that may block runs on the
event loop. A route or dependency that touches the database is a plain ``def`` (FastAPI runs
it in the thread pool); ``async def`` is kept for work that does no I/O, and the one async
dependency here (the identity, which may read a form for its CSRF field) hands its database
reads to the thread pool. Read-cache hits are the exception (``ReadView.aget``): answered on
the loop, as they do no I/O; only a miss goes to a thread. A database that is slow or locked
then stalls some request threads, never the loop: ``/api/health`` and static files still
answer, and a request that waits too long gets a 503 with ``Retry-After`` (web/app.py).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

from anyio import CancelScope, to_thread
from fastapi import Depends, HTTPException, Request, Response, status
from sqlalchemy.orm import Session

from airlift.store import accounts as repo
from airlift.store.models import ApiToken, User, WebSession, utcnow
from airlift.web.read_cache import ReadCache, ReadView
from airlift.web.settings import Settings

SESSION_COOKIE = "airlift_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ROLES = ("viewer", "planner", "admin")
"""Each role may do everything the roles before it may."""

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def _end(session: Session, commit: bool) -> None:
    """Commit (or roll back) and close: one trip to a thread for both."""
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request: committed before the response is sent (so a failed
    commit is still an error answer), rolled back on any error. A request that may change
    something (POST, PUT, PATCH, DELETE) gets a session that takes the write lock at its
    first statement (SQLite); a read gets a read-only one.

    Opening a session does no I/O (it runs here, on the loop); commit, rollback and close do
    and run in threads of their own (``state.commit_limiter``), never waiting for one of the
    request threads: those may all be taken by requests that wait for the lock the committing
    request holds. Writers also queue on the loop for the process's write gate (one at a
    time) instead of holding a request thread while the database makes them wait: every
    write bumps its table's revision counter row (store/revisions.py), so writes serialize
    anyway, and a writer blocked in a thread would starve the threads the lock holder still
    needs (FastAPI validates a sync route's response in the pool). Found by the mixed-load
    test: PostgreSQL writers all waiting on one row lock whose holder waited for a thread."""
    state = request.app.state
    unsafe = request.method in UNSAFE_METHODS
    gate: asyncio.Semaphore | None = state.write_gate if unsafe else None
    limiter = state.commit_limiter
    if gate is not None:
        await gate.acquire()
    try:
        session: Session = (state.sessions if unsafe else state.read_sessions)()
        try:
            yield session
        except BaseException:
            # Shielded: a cancelled request (shutdown) must still end its transaction, or
            # its locks would outlive it.
            with CancelScope(shield=True):
                await to_thread.run_sync(_end, session, False, limiter=limiter)
            raise
        with CancelScope(shield=True):
            await to_thread.run_sync(_end, session, True, limiter=limiter)
    finally:
        if gate is not None:
            gate.release()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_read_view(request: Request) -> ReadView:
    """The process's read cache with the table counters as of this request (read once per
    request: FastAPI reuses a dependency's value within a request). A query: thread pool."""
    cache: ReadCache = request.app.state.read_cache
    return ReadView(cache, cache.revisions())


ReadViewDep = Annotated[ReadView, Depends(get_read_view)]


async def _csrf_sent(request: Request) -> str | None:
    """The CSRF token the client echoed: header first, else the form field of a form post."""
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    if request.method in UNSAFE_METHODS and request.headers.get("content-type", "").startswith(
        _FORM_TYPES
    ):
        # Starlette caches the parsed form, so the route can still read it.
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated user as read when the credential was checked: plain values, not
    an ORM row, so the read cache may keep it between requests (and threads)."""

    id: int
    username: str
    role: str
    nation: str | None
    active: bool
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> Caller:
        return cls(user.id, user.username, user.role, user.nation, user.active, user.created_at)


@dataclass(frozen=True, slots=True)
class Identity:
    """An authenticated caller and how they came in (a cookie session has a CSRF token)."""

    user: Caller
    via: Literal["token", "cookie"]
    csrf_token: str | None = None


@dataclass(frozen=True, slots=True)
class _CookieSession:
    user: Caller
    csrf_token: str
    expires_at: datetime


_TOKEN_TABLES = (User.__tablename__, ApiToken.__tablename__)
_SESSION_TABLES = (User.__tablename__, WebSession.__tablename__)
"""The tables a cached token or session check depends on."""


class _NotFound(Exception):
    """No such credential: raised inside a cache build, so that nothing is cached."""


def _token_caller(token: str) -> Callable[[Session], Caller]:
    def build(session: Session) -> Caller:
        user = repo.user_for_token(session, token)
        if user is None:
            raise _NotFound
        return Caller.of(user)

    return build


def _cookie_session(cookie: str) -> Callable[[Session], _CookieSession]:
    def build(session: Session) -> _CookieSession:
        found = repo.user_for_session(session, cookie)
        if found is None:
            raise _NotFound
        user, web_session = found
        return _CookieSession(Caller.of(user), web_session.csrf_token, web_session.expires_at)

    return build


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"}
    )


async def get_identity(request: Request, view: ReadViewDep) -> Identity | None:
    """The caller, or None when anonymous. A wrong bearer token is an error (401), not
    anonymity; an expired cookie is anonymity (the UI then logs in again).

    Credentials are looked up through the read cache: a token or session already checked
    costs no query while the users and token (or session) tables are unchanged; a
    revocation, deactivation or logout changes them and is seen by the next request."""
    header = request.headers.get("authorization")
    if header:
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise _unauthorized("Authorization header must be 'Bearer <token>'")
        try:
            caller = await view.aget(
                ("token", repo.token_digest(token)), _TOKEN_TABLES, _token_caller(token)
            )
        except _NotFound:
            raise _unauthorized("invalid or revoked API token") from None
        return Identity(caller, "token")
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        found = await view.aget(
            ("cookie", repo.token_digest(cookie)), _SESSION_TABLES, _cookie_session(cookie)
        )
    except _NotFound:
        return None
    if found.expires_at <= utcnow():
        return None
    if request.method in UNSAFE_METHODS and not (
        (csrf := await _csrf_sent(request))
        and secrets.compare_digest(csrf.encode(), found.csrf_token.encode())
    ):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            detail=f"missing or wrong CSRF token: send the {CSRF_HEADER} header "
            "given by POST /api/auth/login",
        )
    return Identity(found.user, "cookie", found.csrf_token)


IdentityDep = Annotated[Identity | None, Depends(get_identity)]


async def get_optional_user(identity: IdentityDep) -> Caller | None:
    return identity.user if identity else None


OptionalUser = Annotated[Caller | None, Depends(get_optional_user)]


def _logged_in(identity: Identity | None) -> Caller:
    if identity is None:
        raise _unauthorized("log in first (session cookie) or send 'Authorization: Bearer'")
    return identity.user


def has_role(user: Caller, role: str) -> bool:
    """True when ``user``'s role is ``role`` or above it."""
    return user.role in ROLES and ROLES.index(user.role) >= ROLES.index(role)


def _with_role(identity: Identity | None, role: str) -> Caller:
    user = _logged_in(identity)
    if not has_role(user, role):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            detail=f"{user.username} is a {user.role}; this needs the {role} role",
        )
    return user


# One dependency per role that finds the identity itself: FastAPI solves every level of
# dependencies anew per request, and these run on every API call.
async def get_current_user(request: Request, view: ReadViewDep) -> Caller:
    return _logged_in(await get_identity(request, view))


CurrentUser = Annotated[Caller, Depends(get_current_user)]


async def get_planner(request: Request, view: ReadViewDep) -> Caller:
    return _with_role(await get_identity(request, view), "planner")


PlannerUser = Annotated[Caller, Depends(get_planner)]


async def get_admin(request: Request, view: ReadViewDep) -> Caller:
    return _with_role(await get_identity(request, view), "admin")


AdminUser = Annotated[Caller, Depends(get_admin)]


def check_tail_nation(user: Caller, *nations: str) -> None:
    """403 unless ``user`` may edit tails of every nation given (old and new nation).

    Admins and coalition staff (no nation) may edit any tail; a national planner only the
    tails of their nation.
    """
    if has_role(user, "admin") or user.nation is None:
        return
    for nation in nations:
        if nation.upper() != user.nation.upper():
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail=f"{user.username} plans for {user.nation} and may edit only "
                f"{user.nation} tails, not a {nation} tail",
            )


def set_session_cookie(response: Response, token: str, settings: Settings) -> None:
    """The browser session cookie: HttpOnly, SameSite=Strict, Secure unless turned off."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(settings.session_hours * 3600),
        path="/",
        secure=settings.secure_cookies,
        httponly=True,
        samesite="strict",
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        secure=settings.secure_cookies,
        httponly=True,
        samesite="strict",
    )


def client_address(request: Request) -> str:
    """The client as the login rate limit counts it (the peer address)."""
    return request.client.host if request.client else "unknown"
