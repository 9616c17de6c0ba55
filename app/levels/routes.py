"""/duty-levels: the levels and what each cancels, each level's coverage profile, and declarations
(a `duty_level` change request: its impact first, then approval through /changes/{id}/approve)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Body, Query, Response

from app.accounts.access import home_unit, reason_for
from app.accounts.deps import AdminUser, CurrentUser, StaffUser
from app.changes import service as changes
from app.changes.judging import ChangeOptions
from app.changes.kinds.level import LevelContext
from app.changes.models import ChangeKind
from app.changes.schemas import DutyLevelCreate
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import NotFound
from app.jobs.deps import RunnerDep
from app.levels import schemas as ls
from app.levels import service
from app.levels.models import LEVEL_NAMES, DutyLevel
from app.reference.lookups import known
from app.reference.models import Post
from app.reference.schemas import CoverageIn, CoverageRead

router = APIRouter(prefix="/duty-levels", tags=["duty levels"])


def _level_read(session: SessionDep, level: DutyLevel) -> ls.LevelRead:
    rule = service.cancels(session, level)
    return ls.LevelRead(
        id=level.value, name=LEVEL_NAMES[level], cancels_leave=rule.leave, cancels_requests=rule.requests
    )


@router.get("", summary="The duty levels (常态, 三级, 二级, 一级) and what declaring each cancels")
def list_levels(_: CurrentUser, session: SessionDep) -> list[ls.LevelRead]:
    return [_level_read(session, level) for level in DutyLevel]


@router.put("/{level}/settings", summary="What declaring the level cancels (never sick leave or injuries)")
def update_settings(
    level: str, body: ls.LevelSettingsUpdate, _: AdminUser, session: SessionDep
) -> ls.LevelRead:
    chosen = service.level_of(level)
    service.set_cancels(session, chosen, body.cancels_leave, body.cancels_requests)
    return _level_read(session, chosen)


@router.get("/{level}/coverage", summary="The level's coverage profile: per post, its entries at the level")
def get_profile(
    level: str,
    _: StaffUser,
    session: SessionDep,
    unit: Annotated[str | None, Query()] = None,
) -> ls.ProfileRead:
    chosen = service.level_of(level)
    rows = service.profile_rows(session, chosen, unit)
    units = {p.id: p.unit_id for p in session.query(Post).filter(Post.id.in_(rows))}
    return ls.ProfileRead(
        level=chosen.value,
        posts=[
            ls.PostProfile(post=p, unit=units[p], coverage=[CoverageRead.model_validate(c) for c in entries])
            for p, entries in sorted(rows.items())
        ],
    )


@router.put(
    "/{level}/coverage/{post_id}",
    summary="Set a post's entries at the level (none: its normal coverage holds; max 0 closes a shift)",
)
def put_profile(
    level: str, post_id: str, body: Annotated[list[CoverageIn], Body()], user: StaffUser, session: SessionDep
) -> ls.PostProfile:
    chosen = service.level_of(level)
    post = known(session, Post, post_id, "path.post_id")
    rows = service.set_profile(session, user, chosen, post, body)
    return ls.PostProfile(
        post=post.id, unit=post.unit_id, coverage=[CoverageRead.model_validate(c) for c in rows]
    )


def _declaration(session: SessionDep, change_id: int, user: CurrentUser) -> ls.DeclarationRead:
    change = changes.get_change(session, change_id, user)
    if change.kind != ChangeKind.DUTY_LEVEL or change.context is None:
        raise NotFound(f"change {change_id} is not a duty level declaration")
    ctx = LevelContext.load(change.context)
    slots = list(ctx.slots or [])
    body = change.payload
    return ls.DeclarationRead(
        level=body["level"],
        units=ctx.units,
        start=body["start"],
        end=body["end"],
        slots_added=sum(1 for s in slots if s.before == 0 and s.after > 0),
        slots_removed=sum(1 for s in slots if s.after == 0 and s.before > 0),
        officers_needed_delta=sum(s.after - s.before for s in slots),
        slots=[ls.SlotChangeOut.model_validate(s.model_dump()) for s in slots],
        cancelled_leave=[
            ls.CancelledLeaveOut(
                officer=x.officer,
                start=x.start.isoformat(),
                end=x.end.isoformat(),
                reason=reason_for(user, x.officer, home_unit(session, x.officer), x.reason),
            )
            for x in ctx.cancelled_leave
        ],
        cancelled_requests=[
            ls.CancelledRequestOut.model_validate(x.model_dump()) for x in ctx.cancelled_requests
        ],
        change=changes.read(session, change, user),
    )


@router.post(
    "/declarations",
    status_code=201,
    summary="Declare a level for units and a period: its impact at once, the re-planned roster by a job",
)
def declare(
    body: ls.DeclarationCreate,
    user: StaffUser,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
    background: BackgroundTasks,
    response: Response,
) -> ls.DeclarationRead:
    request = DutyLevelCreate(kind="duty_level", **body.model_dump())
    change = changes.submit(session, user, request, ChangeOptions.of(settings))
    if change.job_id is not None:
        background.add_task(runner.submit, change.job_id)
    response.headers["Location"] = f"/duty-levels/declarations/{change.id}"
    return _declaration(session, change.id, user)


@router.get(
    "/declarations/{change_id}", summary="A declaration and its impact (approve it at /changes/{id}/approve)"
)
def get_declaration(change_id: int, user: StaffUser, session: SessionDep) -> ls.DeclarationRead:
    return _declaration(session, change_id, user)
