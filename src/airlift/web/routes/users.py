"""User accounts (admins only): list, create, change role or nation, deactivate.

Accounts are deactivated, never deleted: the audit log keeps naming who did what. The last
active admin can be neither demoted nor deactivated (nobody could manage users any more).
"""

from __future__ import annotations

from fastapi import APIRouter, status

from airlift.store import accounts
from airlift.web.routes._common import RowId
from airlift.web.schemas import UserCreate, UserPublic, UserUpdate
from airlift.web.security import AdminUser, SessionDep

router = APIRouter(prefix="/api/users", tags=["users"])


@router.get("")
def list_users(session: SessionDep, admin: AdminUser) -> list[UserPublic]:
    return [UserPublic.model_validate(u) for u in accounts.list_users(session)]


@router.get("/{user_id}")
def get_user(user_id: RowId, session: SessionDep, admin: AdminUser) -> UserPublic:
    return UserPublic.model_validate(accounts.get_user(session, user_id))


@router.post("", status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreate, session: SessionDep, admin: AdminUser) -> UserPublic:
    user = accounts.create_user(
        session, body.username, body.password, body.role, body.nation, actor=admin.username
    )
    return UserPublic.model_validate(user)


@router.patch("/{user_id}")
def update_user(
    user_id: RowId, body: UserUpdate, session: SessionDep, admin: AdminUser
) -> UserPublic:
    """Change the fields given: ``role``, ``nation`` (null: coalition staff), ``active``."""
    changes = body.model_dump(include=body.model_fields_set)
    return UserPublic.model_validate(accounts.update_user(session, user_id, changes, admin))


@router.delete("/{user_id}")
def deactivate_user(user_id: RowId, session: SessionDep, admin: AdminUser) -> UserPublic:
    """Deactivate an account: its sessions and tokens stop working; the row stays."""
    return update_user(user_id, UserUpdate(active=False), session, admin)
