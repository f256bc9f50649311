"""API tokens for scripts: everyone manages their own; admins see and revoke anyone's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from airlift.store import accounts
from airlift.web.routes._common import RowId
from airlift.web.schemas import TokenCreate, TokenCreated, TokenPublic
from airlift.web.security import CurrentUser, SessionDep, has_role

router = APIRouter(prefix="/api/tokens", tags=["tokens"])


@router.post("", status_code=status.HTTP_201_CREATED)
def create_token(body: TokenCreate, session: SessionDep, user: CurrentUser) -> TokenCreated:
    """A new token for the caller. The token is in this answer only: store it now."""
    plain = accounts.create_token(session, user, body.name)
    newest = accounts.list_tokens(session, user)[0]
    return TokenCreated(**TokenPublic.model_validate(newest).model_dump(), token=plain)


@router.get("")
def list_tokens(
    session: SessionDep,
    user: CurrentUser,
    all_users: Annotated[bool, Query(alias="all", description="every user's (admins)")] = False,
) -> list[TokenPublic]:
    """The caller's tokens, newest first, revoked ones included (never the tokens
    themselves); ``all=true``: every user's, for an admin."""
    if all_users and has_role(user, "admin"):
        rows = accounts.list_all_tokens(session)
    else:
        rows = accounts.list_tokens(session, user)
    return [TokenPublic.model_validate(row) for row in rows]


@router.delete("/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(token_id: RowId, session: SessionDep, user: CurrentUser) -> None:
    """Revoke a token: the caller's own, or anyone's for an admin."""
    accounts.revoke_token(session, token_id, user)
