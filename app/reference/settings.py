"""The detachment's settings: name, time zone, working-time rules, weights and the usual horizon."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from app.core.errors import ErrorDetail, RuleViolation
from app.reference import schemas as s
from app.reference.models import DetachmentSettings
from solver.domain import WEIGHT_FIELDS, Weights, WorkRules
from solver.io.v2 import RULE_FIELDS, rule_value_to_json


def settings_row(session: Session) -> DetachmentSettings:
    """The one settings row (created with the defaults when there is none yet)."""
    row = session.get(DetachmentSettings, 1)
    if row is None:
        row = DetachmentSettings(id=1, name="detachment", timezone="Asia/Shanghai", rules={}, weights={})
        session.add(row)
        session.flush()
    return row


def zone_of(session: Session) -> ZoneInfo:
    """The detachment's time zone."""
    return ZoneInfo(settings_row(session).timezone)


def settings_read(row: DetachmentSettings) -> s.SettingsRead:
    rules = {k: row.rules.get(k, rule_value_to_json(getattr(WorkRules(), k))) for k in RULE_FIELDS}
    weights = {k: row.weights.get(k, getattr(Weights(), k)) for k in WEIGHT_FIELDS}
    horizon = None
    if row.horizon_start is not None and row.horizon_days is not None:
        horizon = s.Horizon(start=row.horizon_start, days=row.horizon_days)
    return s.SettingsRead(name=row.name, timezone=row.timezone, rules=rules, weights=weights, horizon=horizon)


def update_settings(session: Session, body: s.SettingsUpdate) -> DetachmentSettings:
    row = settings_row(session)
    if body.timezone is not None:
        try:
            ZoneInfo(body.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise RuleViolation(
                f"unknown time zone {body.timezone!r}",
                [ErrorDetail("body.timezone", "not an IANA time zone name")],
            ) from None
        row.timezone = body.timezone
    if body.name is not None:
        row.name = body.name
    if body.rules is not None:
        row.rules = {**row.rules, **body.rules.overrides()}
    if body.weights is not None:
        row.weights = {**row.weights, **{k: v for k, v in body.weights.model_dump().items() if v is not None}}
    if body.horizon is not None:
        row.horizon_start, row.horizon_days = body.horizon.start, body.horizon.days
    session.flush()
    return row
