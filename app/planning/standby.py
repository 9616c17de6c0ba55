"""Standby (备勤): duties on posts flagged `standby` are reserves on call. They are rostered like any
post (kind other) and count as duty time; who-can-cover ranks the officers on standby at the
duty's time first, and a call-out turns a standby duty into a post duty."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.reference.models import Post
from solver import domain as d


def standby_posts(session: Session) -> set[str]:
    return set(session.scalars(select(Post.id).where(Post.standby.is_(True))))


def _interval(s: d.Scenario, a: d.Assignment) -> tuple[datetime, datetime]:
    shift = s.shift(a.shift)
    start = datetime.combine(a.date, shift.start)
    return start, start + timedelta(minutes=shift.minutes)


def on_standby_during(
    s: d.Scenario, duties: Iterable[d.Assignment], standby: set[str], duty: d.Assignment
) -> dict[str, d.Assignment]:
    """officer → their standby duty overlapping `duty`'s time (on a standby post)."""
    start, end = _interval(s, duty)
    out: dict[str, d.Assignment] = {}
    for a in duties:
        if a.post in standby and abs((a.date - duty.date).days) <= 1:
            a_start, a_end = _interval(s, a)
            if a_start < end and a_end > start:
                out.setdefault(a.officer, a)
    return out
