"""Browser sessions: log in (session cookie + CSRF token), log out, who am I.

Failed logins are rate limited per username and client address: after
``login_max_failures`` failures within ``login_window_min`` minutes, 429 until the window
has passed (a correct password does not lift it: that is what a guesser would send last).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import JSONResponse

from airlift.store import accounts
from airlift.web.schemas import LoginPublic, LoginRequest, Problem, UserPublic
from airlift.web.security import (
    SESSION_COOKIE,
    CurrentUser,
    IdentityDep,
    SessionDep,
    SettingsDep,
    clear_session_cookie,
    client_address,
    set_session_cookie,
)

router = APIRouter(prefix="/api/auth", tags=["auth"])

_LOGIN_RESPONSES: dict[int | str, dict[str, Any]] = {
    status.HTTP_401_UNAUTHORIZED: {"model": Problem, "description": "wrong username or password"},
    status.HTTP_429_TOO_MANY_REQUESTS: {"model": Problem, "description": "too many failures"},
}


@router.post("/login", response_model=LoginPublic, responses=_LOGIN_RESPONSES)
def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
) -> LoginPublic | JSONResponse:
    """Check the password; set the ``airlift_session`` cookie (HttpOnly, SameSite=Strict) and
    return the CSRF token every write with this session must send as ``X-CSRF-Token``."""
    client = client_address(request)
    window = settings.login_window_min
    if accounts.recent_failures(session, body.username, client, minutes=window) >= (
        settings.login_max_failures
    ):
        return JSONResponse(
            {"detail": f"too many failed logins: wait {window} minutes", "field": None},
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(window * 60)},
        )
    user = accounts.authenticate(session, body.username, body.password)
    accounts.record_login(session, body.username, client, user is not None)
    if user is None:
        # Returned, not raised: the failure must be committed to count.
        return JSONResponse(
            {"detail": "wrong username or password", "field": None},
            status_code=status.HTTP_401_UNAUTHORIZED,
        )
    token, csrf = accounts.create_web_session(session, user, hours=settings.session_hours)
    set_session_cookie(response, token, settings)
    return LoginPublic(csrf_token=csrf, user=UserPublic.model_validate(user))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
) -> None:
    """End the browser session (its cookie no longer works anywhere)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        accounts.delete_web_session(session, cookie)
    clear_session_cookie(response, settings)


@router.get("/me")
async def me(identity: IdentityDep, user: CurrentUser) -> LoginPublic:
    """The logged-in user and, for a cookie session, its CSRF token (null with a bearer
    token): a page reloaded by the browser gets its token back here."""
    return LoginPublic(
        csrf_token=identity.csrf_token if identity else None,
        user=UserPublic.model_validate(user),
    )
