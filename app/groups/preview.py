"""The preview of a unit's rotation patterns: who works which shift on which date over the coming
weeks, and where the patterns cannot cover the unit's posts (slots no group's pattern reaches,
more officers on a shift than its seats, fewer than it needs)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import ErrorDetail, NotFound, RuleViolation
from app.groups import schemas as gs
from app.groups.models import DutyGroup
from app.groups.service import group_read, pattern_read
from app.planning.scenario import ScenarioScope, scenario_for
from app.reference.models import Unit
from solver import domain as d
from solver.groups import pattern_dates
from solver.timeline import Timeline

PREVIEW_DAYS = 28
MAX_PREVIEW_DAYS = 56


def preview(session: Session, unit: str, start: date, days: int = PREVIEW_DAYS) -> gs.PreviewRead:
    if session.get(Unit, unit) is None:
        raise NotFound(f"no unit {unit!r}")
    if not 1 <= days <= MAX_PREVIEW_DAYS:
        raise RuleViolation(
            f"days must be 1 to {MAX_PREVIEW_DAYS}", [ErrorDetail("query.days", f"1 to {MAX_PREVIEW_DAYS}")]
        )
    scenario = scenario_for(session, ScenarioScope(start, days, [unit], history_days=0))
    rows = list(session.scalars(select(DutyGroup).where(DutyGroup.unit_id == unit).order_by(DutyGroup.id)))
    timeline = Timeline(scenario)
    dates = list(scenario.dates)
    free: dict[str, set[date]] = {o.id: set(pattern_dates(scenario, timeline, o)) for o in scenario.officers}
    groups: list[gs.PreviewGroupRead] = []
    working: dict[tuple[date, str], list[str]] = defaultdict(list)
    officers: dict[tuple[date, str], int] = defaultdict(int)
    for row in rows:
        read = group_read(session, row)
        pattern = pattern_read(row)
        plan: list[str | None] = []
        away: dict[str, list[date]] = {}
        for m in row.member_ids:
            off = [day for day in dates if m in free and day not in free[m]]
            if off:
                away[m] = off
        for day in dates:
            shift = None
            if pattern is not None:
                shift = d.Pattern(pattern.start, tuple(pattern.days)).shift_on(day)
            plan.append(shift)
            if shift is not None:
                working[(day, shift)].append(row.id)
                officers[(day, shift)] += sum(1 for m in row.member_ids if m in free and day in free[m])
        groups.append(
            gs.PreviewGroupRead(
                id=row.id, name=row.name, members=read.members, pattern=pattern, days=plan, away=away
            )
        )
    need: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0])
    posts: dict[tuple[date, str], list[str]] = defaultdict(list)
    for slot in scenario.slots():
        if slot.max <= 0 and slot.min <= 0:
            continue
        k = (slot.date, slot.shift)
        need[k][0] += slot.min
        need[k][1] += slot.max
        posts[k].append(slot.post)
    order = {s.id: i for i, s in enumerate(scenario.shift_types)}
    keys = sorted(set(need) | set(working), key=lambda k: (k[0], order.get(k[1], 0)))
    cells = []
    warnings = []
    patterned = any(r.pattern_start is not None and r.pattern_days for r in rows)
    for k in keys:
        low, high = need.get(k, (0, 0))
        n = officers.get(k, 0)
        cells.append(
            gs.PreviewCell(date=k[0], shift=k[1], groups=working.get(k, []), officers=n, min=low, max=high)
        )
        kind = None
        if patterned and not working.get(k) and low > 0:
            kind = "uncovered"
        elif n > high:
            kind = "too_many"
        elif working.get(k) and n < low:
            kind = "short"
        if kind is not None:
            warnings.append(
                gs.PreviewWarning(
                    kind=kind,
                    date=k[0],
                    shift=k[1],
                    posts=sorted(posts.get(k, [])),
                    officers=n,
                    min=low,
                    max=high,
                )
            )
    return gs.PreviewRead(
        unit=unit,
        start=start,
        days=days,
        dates=dates,
        shifts=[
            gs.ShiftRead(id=s.id, name=s.name, start=s.start.strftime("%H:%M")) for s in scenario.shift_types
        ],
        groups=groups,
        cells=cells,
        warnings=warnings,
    )
