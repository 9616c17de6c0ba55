"""Sample data for tours: the Zhangye posts' approximate coordinates (data/zhangye_locations.py)
and a few headquarters officers given the supervisor skill, so the demo can plan tours at once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.reference.models import Officer, Post, Skill

SUPERVISOR_SKILL_NAME = "督导检查"


def fill_locations(session: Session, locations: Mapping[str, tuple[float, float]]) -> int:
    """Give the stored posts that have no coordinates the ones `locations` names; how many got one.
    Posts that already have coordinates keep them."""
    count = 0
    for post in session.scalars(select(Post).where(Post.lat.is_(None)).order_by(Post.id)):
        if post.id in locations:
            post.lat, post.lon = locations[post.id]
            count += 1
    session.flush()
    return count


def grant_supervisors(session: Session, skill_id: str, officer_ids: Sequence[str]) -> list[str]:
    """Give `officer_ids` (those stored) the supervisor skill, creating it if needed; their ids."""
    skill = session.get(Skill, skill_id)
    if skill is None:
        skill = Skill(id=skill_id, name=SUPERVISOR_SKILL_NAME)
        session.add(skill)
    granted = []
    for officer in session.scalars(select(Officer).where(Officer.id.in_(officer_ids)).order_by(Officer.id)):
        if skill not in officer.skills:
            officer.skills.append(skill)
        granted.append(officer.id)
    session.flush()
    return granted
