"""Scenarios (horizon, fuel policy, night ops, airfield overrides): edited by planners."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from airlift.store.collections import SCENARIOS
from airlift.web.routes._common import RowId, VersionQuery, cached_rows, to_data
from airlift.web.schemas import ScenarioCreate, ScenarioPublic, ScenarioUpdate
from airlift.web.security import CurrentUser, PlannerUser, ReadViewDep, SessionDep

router = APIRouter(prefix="/api/scenarios", tags=["scenarios"])


@router.get("", response_model=list[ScenarioPublic])
async def list_scenarios(view: ReadViewDep, user: CurrentUser) -> Response:
    return await cached_rows(view, SCENARIOS, ScenarioPublic)


@router.get("/{row_id}")
def get_scenario(row_id: RowId, session: SessionDep, user: CurrentUser) -> ScenarioPublic:
    return ScenarioPublic.model_validate(SCENARIOS.get(session, row_id))


@router.post("", status_code=status.HTTP_201_CREATED)
def create_scenario(body: ScenarioCreate, session: SessionDep, user: PlannerUser) -> ScenarioPublic:
    row = SCENARIOS.create(session, to_data(body), user.username)
    return ScenarioPublic.model_validate(row)


@router.put("/{row_id}")
def update_scenario(
    row_id: RowId, body: ScenarioUpdate, session: SessionDep, user: PlannerUser
) -> ScenarioPublic:
    row = SCENARIOS.update(session, row_id, to_data(body), body.version, user.username)
    return ScenarioPublic.model_validate(row)


@router.delete("/{row_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_scenario(
    row_id: RowId, version: VersionQuery, session: SessionDep, user: PlannerUser
) -> None:
    SCENARIOS.delete(session, row_id, version, user.username)
