"""The detachment settings: everyone reads them, admins change them."""

from __future__ import annotations

from fastapi import APIRouter

from app.accounts.deps import AdminUser, CurrentUser
from app.core.deps import SessionDep
from app.reference import schemas as s
from app.reference import settings as service

router = APIRouter(prefix="/settings", tags=["settings"])


@router.get("", summary="Detachment name, time zone, working-time rules, weights, usual horizon")
def get_settings(_: CurrentUser, session: SessionDep) -> s.SettingsRead:
    return service.settings_read(service.settings_row(session))


@router.patch("", summary="Change the detachment settings")
def update_settings(body: s.SettingsUpdate, _: AdminUser, session: SessionDep) -> s.SettingsRead:
    return service.settings_read(service.update_settings(session, body))
