from __future__ import annotations

from fastapi import APIRouter

from app.deps import AdminUser, CurrentUser, SessionDep
from app.schemas import data as s
from app.services import data as service

router = APIRouter(prefix="/settings", tags=["settings"])


@router.get("", summary="Detachment name, time zone, working-time rules, weights, usual horizon")
def get_settings(_: CurrentUser, session: SessionDep) -> s.SettingsRead:
    return service.settings_read(service.get_settings(session))


@router.patch("", summary="Change the detachment settings")
def update_settings(body: s.SettingsUpdate, _: AdminUser, session: SessionDep) -> s.SettingsRead:
    return service.settings_read(service.update_settings(session, body))
