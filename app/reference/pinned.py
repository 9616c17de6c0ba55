"""Pinned duties: duties every roster covering their date must contain."""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.accounts.access import ensure_manages
from app.accounts.models import User
from app.core.errors import Conflict, ErrorDetail, RuleViolation
from app.core.paging import PageParams, fetch_page
from app.planning.records import coverage_selects
from app.reference import schemas as s
from app.reference.lookups import check_refs, raise_if
from app.reference.models import Officer, PinnedDuty, Post, ShiftType


def list_pinned(
    session: Session, page: PageParams, start: date | None, end: date | None, post: str | None
) -> tuple[list[PinnedDuty], int]:
    stmt = select(PinnedDuty).order_by(PinnedDuty.date, PinnedDuty.id)
    if start:
        stmt = stmt.where(PinnedDuty.date >= start)
    if end:
        stmt = stmt.where(PinnedDuty.date < end)
    if post:
        stmt = stmt.where(PinnedDuty.post_id == post)
    return fetch_page(session, stmt, page)


def add_pinned(session: Session, body: s.PinnedCreate, user: User) -> PinnedDuty:
    raise_if(
        check_refs(session, Officer, [body.officer], "body.officer", "officer")
        + check_refs(session, Post, [body.post], "body.post", "post")
        + check_refs(session, ShiftType, [body.shift], "body.shift", "shift type")
    )
    post = session.get(Post, body.post)
    officer = session.get(Officer, body.officer)
    assert post is not None and officer is not None
    ensure_manages(user, [post.unit_id], "pin duties")
    if post.unit_id not in {u.id for u in officer.serves}:
        raise RuleViolation(
            f"officer {officer.id!r} does not serve unit {post.unit_id!r}",
            [
                ErrorDetail(
                    "body.officer", f"does not serve unit {post.unit_id!r} of post {post.id!r}", officer.id
                )
            ],
        )
    if not any(c.shift_id == body.shift and coverage_selects(c, body.date) for c in post.coverage):
        raise RuleViolation(
            f"post {post.id!r} has no {body.shift} slot on {body.date}",
            [ErrorDetail("body.shift", f"post {post.id!r} has no {body.shift} slot on {body.date}")],
        )
    duplicate = session.scalar(
        select(
            exists().where(
                PinnedDuty.officer_id == body.officer,
                PinnedDuty.post_id == body.post,
                PinnedDuty.shift_id == body.shift,
                PinnedDuty.date == body.date,
            )
        )
    )
    if duplicate:
        raise Conflict("this duty is already pinned")
    row = PinnedDuty(officer_id=body.officer, post_id=body.post, shift_id=body.shift, date=body.date)
    session.add(row)
    session.flush()
    return row


def delete_pinned(session: Session, row: PinnedDuty, user: User) -> None:
    post = session.get(Post, row.post_id)
    ensure_manages(user, [post.unit_id if post else ""], "unpin duties")
    session.delete(row)
    session.flush()
