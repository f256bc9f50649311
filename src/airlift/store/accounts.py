"""Accounts: users and their passwords (argon2), API tokens, browser sessions, login records,
and the rule that the last active admin stays one.

Tokens and session tokens are stored as their SHA-256 only; a user is deactivated, never
deleted (the audit log keeps naming who did what).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from airlift.errors import Conflict, FieldError, NotFound
from airlift.store.models import ApiToken, LoginAttempt, User, WebSession, utcnow
from airlift.store.rows import audit, flush

ROLES = ("viewer", "planner", "admin")
MIN_PASSWORD_LENGTH = 10
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
_NATION = re.compile(r"^[A-Z]{2,3}$")


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    return _hasher().hash(secrets.token_urlsafe(16))


def token_digest(token: str) -> str:
    """What is stored of an API or session token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Account(Protocol):
    """Who acts: a stored :class:`User`, or the web app's snapshot of one."""

    @property
    def id(self) -> int: ...

    @property
    def username(self) -> str: ...

    @property
    def role(self) -> str: ...


def check_password(password: str) -> None:
    """Refuse a password too short to be a password (InputError)."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise FieldError("password", f"password must be at least {MIN_PASSWORD_LENGTH} characters")


def create_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    nation: str | None = None,
    *,
    actor: str = "system",
) -> User:
    """Add a user: role viewer, planner or admin; ``nation`` (2-3 letters) limits a
    planner to that nation's tails, None means coalition staff. The password is stored as
    an argon2 hash. :class:`Conflict` when the username exists."""
    username = username.strip() if isinstance(username, str) else ""
    if not _USERNAME.match(username):
        raise FieldError(
            "username",
            "username must be 1-64 letters, digits or . _ @ -, starting with a letter or digit",
        )
    check_password(password)
    if role not in ROLES:
        raise FieldError("role", f"role must be one of {', '.join(ROLES)}, got {role!r}")
    if nation is not None:
        nation = nation.strip().upper()
        if not _NATION.match(nation):
            raise FieldError("nation", f"nation {nation!r} is not a 2- or 3-letter country code")
    clash = session.scalars(
        select(User).where(func.lower(User.username) == username.lower())
    ).first()
    if clash is not None:
        raise Conflict(f"user {clash.username!r} already exists")
    user = User(
        username=username,
        password_hash=_hasher().hash(password),
        role=role,
        nation=nation,
        active=True,
        created_at=utcnow(),
    )
    session.add(user)
    flush(session, f"user {username!r}")
    audit(
        session,
        actor,
        "create",
        "users",
        user.id,
        {"username": username, "role": role, "nation": nation},
    )
    return user


def verify_password(user: User, password: str) -> bool:
    """True when ``password`` is the user's; upgrades an outdated hash in place (the
    caller's transaction stores it)."""
    try:
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = _hasher().hash(password)
    return True


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with that username and password, else None; takes as long for an
    unknown username as for a wrong password."""
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None or not user.active:
        with contextlib.suppress(VerificationError, InvalidHashError):
            _hasher().verify(_dummy_hash(), password)
        return None
    return user if verify_password(user, password) else None


def create_token(session: Session, user: Account, name: str) -> str:
    """A new API token for ``user``: returned once in plain, stored as its SHA-256."""
    name = name.strip() if isinstance(name, str) else ""
    if not 1 <= len(name) <= 64:
        raise FieldError("name", "token name must be 1-64 characters")
    token = "airlift_" + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=token_digest(token), created_at=utcnow())
    session.add(row)
    flush(session, f"API token {name!r}")
    audit(session, user.username, "create", "api_tokens", row.id, {"name": name})
    return token


def list_tokens(session: Session, user: Account) -> list[ApiToken]:
    """The user's API tokens (revoked ones too), newest first."""
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def user_for_token(session: Session, token: str) -> User | None:
    """The active user a valid (unrevoked) API token belongs to, else None."""
    if not token:
        return None
    return session.scalars(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == token_digest(token),
            ApiToken.revoked_at.is_(None),
            User.active.is_(True),
        )
    ).first()


def revoke_token(session: Session, token_id: int, user: Account) -> None:
    """Revoke one of the user's tokens (an admin may revoke anyone's); NotFound otherwise."""
    token = session.get(ApiToken, token_id)
    if token is None or (token.user_id != user.id and user.role != "admin"):
        raise NotFound(f"API token {token_id} not found")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit(
            session,
            user.username,
            "revoke",
            "api_tokens",
            token.id,
            {"name": token.name, "owner_id": token.user_id},
        )
        flush(session, f"API token {token_id}")


def create_web_session(session: Session, user: User, hours: float = 12) -> tuple[str, str]:
    """A browser session: (session token for the cookie, CSRF token). Stores the session
    token's SHA-256 only; expired sessions of everyone are cleared on the way."""
    if not 0 < hours <= 24 * 31:
        raise FieldError("hours", f"session length must be 0-744 hours, got {hours}")
    now = utcnow()
    session.execute(
        delete(WebSession)
        .where(WebSession.expires_at <= now)
        .execution_options(synchronize_session=False)
    )
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(
        WebSession(
            user_id=user.id,
            token_hash=token_digest(token),
            csrf_token=csrf,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    flush(session, "web session")
    return token, csrf


def user_for_session(session: Session, token: str) -> tuple[User, WebSession] | None:
    """The active user and the session of an unexpired session token, else None."""
    if not token:
        return None
    found = session.execute(
        select(User, WebSession)
        .join(WebSession, WebSession.user_id == User.id)
        .where(
            WebSession.token_hash == token_digest(token),
            WebSession.expires_at > utcnow(),
            User.active.is_(True),
        )
    ).first()
    return None if found is None else (found[0], found[1])


def delete_web_session(session: Session, token: str) -> None:
    """Log out: forget the session of that token (no error when there is none)."""
    session.execute(
        delete(WebSession)
        .where(WebSession.token_hash == token_digest(token))
        .execution_options(synchronize_session="fetch")
    )


def record_login(session: Session, username: str, client: str, success: bool) -> None:
    """Remember a login attempt (``client``: the address); a success is also audited."""
    session.add(
        LoginAttempt(username=username[:64], client=client[:64], at=utcnow(), success=success)
    )
    if success:
        audit(session, username, "login", "users", "", {"client": client[:64]})


def recent_failures(session: Session, username: str, client: str, minutes: float = 15) -> int:
    """Failed logins of ``username`` from ``client`` in the last ``minutes``, not counting
    those before a later successful login."""
    since = utcnow() - timedelta(minutes=minutes)
    same = (LoginAttempt.username == username[:64], LoginAttempt.client == client[:64])
    last_ok = session.scalar(
        select(func.max(LoginAttempt.at)).where(*same, LoginAttempt.success.is_(True))
    )
    if isinstance(last_ok, datetime):
        last_ok = last_ok if last_ok.tzinfo else last_ok.replace(tzinfo=UTC)
        since = max(since, last_ok)
    count = session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(*same, LoginAttempt.success.is_(False), LoginAttempt.at > since)
    )
    return int(count or 0)


# --- user administration ------------------------------------------------------------------------


def list_users(session: Session) -> list[User]:
    """Every user, by id."""
    return list(session.scalars(select(User).order_by(User.id)))


def get_user(session: Session, user_id: int) -> User:
    """The user with that id; :class:`NotFound` when there is none."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user


def _active_admins(session: Session) -> int:
    query = select(func.count()).select_from(User).where(User.role == "admin", User.active)
    return int(session.scalar(query) or 0)


def update_user(session: Session, user_id: int, changes: dict[str, Any], actor: Account) -> User:
    """Change ``role``, ``nation`` (None: coalition staff) or ``active`` as given (a None
    role or active changes nothing). The last active admin can be neither demoted nor
    deactivated (:class:`Conflict`): nobody could manage users any more."""
    user = get_user(session, user_id)
    losing_admin = (
        user.role == "admin"
        and user.active
        and (changes.get("role", "admin") != "admin" or changes.get("active") is False)
    )
    if losing_admin and _active_admins(session) <= 1:
        raise Conflict(f"{user.username} is the last active admin: make another admin first")
    changes = dict(changes)
    if changes.get("role") is None:
        changes.pop("role", None)
    if changes.get("active") is None:
        changes.pop("active", None)
    for name, value in changes.items():
        setattr(user, name, value.upper() if name == "nation" and value else value)
    audit(session, actor.username, "update", "users", user.id, changes)
    flush(session, f"user {user.username!r}")
    return user


def create_first_admin(session: Session) -> str | None:
    """On a database without users, add the admin ``admin`` with a random password and
    return the password (to be shown once); else None."""
    if session.scalar(select(func.count()).select_from(User)):
        return None
    password = secrets.token_urlsafe(12)
    create_user(session, "admin", password, "admin")
    return password


def list_all_tokens(session: Session) -> list[ApiToken]:
    """Every user's API tokens (revoked ones too), newest first: for admins."""
    return list(session.scalars(select(ApiToken).order_by(ApiToken.id.desc())))
