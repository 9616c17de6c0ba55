"""Stored duty groups: a group of a unit, its members (an officer in at most one group) and its
rotation pattern (scenario format v2 `groups[].pattern`: a start date and 1 to 56 days, each a
shift type id or null for no duty)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base
from app.reference.models import ID_LENGTH, NAME_LENGTH


class DutyGroup(Base):
    __tablename__ = "groups"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    pattern_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    pattern_days: Mapped[list[str | None] | None] = mapped_column(JSON, nullable=True)
    """None: the group has no pattern (its members still work together)."""
    members: Mapped[list[GroupMember]] = relationship(
        cascade="all, delete-orphan", order_by="GroupMember.position", lazy="selectin"
    )

    @property
    def member_ids(self) -> list[str]:
        return [x.officer_id for x in self.members]


class GroupMember(Base):
    """One officer's membership: the officer is the key, so no officer is in two groups."""

    __tablename__ = "group_members"

    officer_id: Mapped[str] = mapped_column(ForeignKey("officers.id", ondelete="CASCADE"), primary_key=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
