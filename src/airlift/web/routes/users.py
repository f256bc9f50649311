"""User accounts (admins only): list, create, change role or nation, deactivate.

Accounts are deactivated, never deleted: the audit log keeps naming who did what. The last
active admin can be neither demoted nor deactivated (nobody could manage users any more).
"""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from airlift.store import repositories as repo
from airlift.store.models import AuditEntry, User
from airlift.web.routes._common import RowId
from airlift.web.schemas import UserCreate, UserPublic, UserUpdate
from airlift.web.security import AdminUser, SessionDep

router = APIRouter(prefix="/api/users", tags=["users"])


def _get(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise repo.NotFound(f"no user {user_id}")
    return user


def _active_admins(session: Session) -> int:
    query = select(func.count()).select_from(User).where(User.role == "admin", User.active)
    return int(session.scalar(query) or 0)


@router.get("")
def list_users(session: SessionDep, admin: AdminUser) -> list[UserPublic]:
    return [UserPublic.model_validate(u) for u in session.scalars(select(User).order_by(User.id))]


@router.get("/{user_id}")
def get_user(user_id: RowId, session: SessionDep, admin: AdminUser) -> UserPublic:
    return UserPublic.model_validate(_get(session, user_id))


@router.post("", status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreate, session: SessionDep, admin: AdminUser) -> UserPublic:
    user = repo.create_user(
        session, body.username, body.password, body.role, body.nation, actor=admin.username
    )
    return UserPublic.model_validate(user)


@router.patch("/{user_id}")
def update_user(
    user_id: RowId, body: UserUpdate, session: SessionDep, admin: AdminUser
) -> UserPublic:
    """Change the fields given: ``role``, ``nation`` (null: coalition staff), ``active``."""
    user = _get(session, user_id)
    changes = body.model_dump(include=body.model_fields_set)
    losing_admin = (
        user.role == "admin"
        and user.active
        and (changes.get("role", "admin") != "admin" or changes.get("active") is False)
    )
    if losing_admin and _active_admins(session) <= 1:
        raise repo.Conflict(f"{user.username} is the last active admin: make another admin first")
    if changes.get("role") is None:
        changes.pop("role", None)
    if changes.get("active") is None:
        changes.pop("active", None)
    for name, value in changes.items():
        setattr(user, name, value.upper() if name == "nation" and value else value)
    session.add(
        AuditEntry(
            username=admin.username,
            action="update",
            entity="users",
            entity_id=str(user.id),
            detail={k: v for k, v in changes.items()},
        )
    )
    session.flush()
    return UserPublic.model_validate(user)


@router.delete("/{user_id}")
def deactivate_user(user_id: RowId, session: SessionDep, admin: AdminUser) -> UserPublic:
    """Deactivate an account: its sessions and tokens stop working; the row stays."""
    return update_user(user_id, UserUpdate(active=False), session, admin)
