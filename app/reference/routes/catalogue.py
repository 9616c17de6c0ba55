"""Units, skills and shift types: small catalogues everyone may read and admins edit."""

from __future__ import annotations

from fastapi import APIRouter

from app.accounts.deps import AdminUser, CurrentUser
from app.core.deps import PageDep, SessionDep
from app.core.paging import Page
from app.reference import catalogue as service
from app.reference import schemas as s
from app.reference.lookups import get_or_404
from app.reference.models import ShiftType, Skill, Unit

router = APIRouter()


@router.get("/units", tags=["units"], summary="List units")
def list_units(_: CurrentUser, session: SessionDep, page: PageDep) -> Page[s.UnitRead]:
    items, total = service.list_units(session, page)
    return Page.of([s.UnitRead.model_validate(u) for u in items], total, page)


@router.post("/units", status_code=201, tags=["units"], summary="Create a unit")
def create_unit(body: s.UnitCreate, _: AdminUser, session: SessionDep) -> s.UnitRead:
    return s.UnitRead.model_validate(service.create_unit(session, body))


@router.get("/units/{unit_id}", tags=["units"], summary="One unit")
def get_unit(unit_id: str, _: CurrentUser, session: SessionDep) -> s.UnitRead:
    return s.UnitRead.model_validate(get_or_404(session, Unit, unit_id, "unit"))


@router.patch("/units/{unit_id}", tags=["units"], summary="Rename a unit")
def update_unit(unit_id: str, body: s.UnitUpdate, _: AdminUser, session: SessionDep) -> s.UnitRead:
    unit = get_or_404(session, Unit, unit_id, "unit")
    return s.UnitRead.model_validate(service.update_unit(session, unit, body))


@router.delete("/units/{unit_id}", status_code=204, tags=["units"], summary="Delete an unused unit")
def delete_unit(unit_id: str, _: AdminUser, session: SessionDep) -> None:
    service.delete_unit(session, get_or_404(session, Unit, unit_id, "unit"))


@router.get("/skills", tags=["skills"], summary="List skills")
def list_skills(_: CurrentUser, session: SessionDep, page: PageDep) -> Page[s.SkillRead]:
    items, total = service.list_skills(session, page)
    return Page.of([s.SkillRead.model_validate(k) for k in items], total, page)


@router.post("/skills", status_code=201, tags=["skills"], summary="Create a skill")
def create_skill(body: s.SkillCreate, _: AdminUser, session: SessionDep) -> s.SkillRead:
    return s.SkillRead.model_validate(service.create_skill(session, body))


@router.get("/skills/{skill_id}", tags=["skills"], summary="One skill")
def get_skill(skill_id: str, _: CurrentUser, session: SessionDep) -> s.SkillRead:
    return s.SkillRead.model_validate(get_or_404(session, Skill, skill_id, "skill"))


@router.patch("/skills/{skill_id}", tags=["skills"], summary="Rename a skill")
def update_skill(skill_id: str, body: s.SkillUpdate, _: AdminUser, session: SessionDep) -> s.SkillRead:
    skill = get_or_404(session, Skill, skill_id, "skill")
    return s.SkillRead.model_validate(service.update_skill(session, skill, body))


@router.delete("/skills/{skill_id}", status_code=204, tags=["skills"], summary="Delete an unused skill")
def delete_skill(skill_id: str, _: AdminUser, session: SessionDep) -> None:
    service.delete_skill(session, get_or_404(session, Skill, skill_id, "skill"))


@router.get("/shift-types", tags=["shift types"], summary="List shift types in roster order")
def list_shift_types(_: CurrentUser, session: SessionDep, page: PageDep) -> Page[s.ShiftTypeRead]:
    items, total = service.list_shift_types(session, page)
    return Page.of([s.ShiftTypeRead.model_validate(t) for t in items], total, page)


@router.post("/shift-types", status_code=201, tags=["shift types"], summary="Create a shift type")
def create_shift_type(body: s.ShiftTypeCreate, _: AdminUser, session: SessionDep) -> s.ShiftTypeRead:
    return s.ShiftTypeRead.model_validate(service.create_shift_type(session, body))


@router.get("/shift-types/{shift_id}", tags=["shift types"], summary="One shift type")
def get_shift_type(shift_id: str, _: CurrentUser, session: SessionDep) -> s.ShiftTypeRead:
    return s.ShiftTypeRead.model_validate(get_or_404(session, ShiftType, shift_id, "shift type"))


@router.patch("/shift-types/{shift_id}", tags=["shift types"], summary="Change a shift type")
def update_shift_type(
    shift_id: str, body: s.ShiftTypeUpdate, _: AdminUser, session: SessionDep
) -> s.ShiftTypeRead:
    row = get_or_404(session, ShiftType, shift_id, "shift type")
    return s.ShiftTypeRead.model_validate(service.update_shift_type(session, row, body))


@router.delete(
    "/shift-types/{shift_id}", status_code=204, tags=["shift types"], summary="Delete an unused shift type"
)
def delete_shift_type(shift_id: str, _: AdminUser, session: SessionDep) -> None:
    service.delete_shift_type(session, get_or_404(session, ShiftType, shift_id, "shift type"))
