"""The units and officers a change request touches (what lists, filters and rights go by)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app.changes.models import change_officers, change_units


def units_of(session: Session, change_id: int) -> list[str]:
    return list(
        session.scalars(
            select(change_units.c.unit_id)
            .where(change_units.c.change_id == change_id)
            .order_by(change_units.c.unit_id)
        )
    )


def officers_of(session: Session, change_id: int) -> list[str]:
    return list(
        session.scalars(
            select(change_officers.c.officer_id)
            .where(change_officers.c.change_id == change_id)
            .order_by(change_officers.c.position)
        )
    )


def set_units(session: Session, change_id: int, units: Iterable[str]) -> None:
    session.execute(delete(change_units).where(change_units.c.change_id == change_id))
    rows = [{"change_id": change_id, "unit_id": u} for u in sorted(set(units))]
    if rows:
        session.execute(insert(change_units), rows)


def add_units(session: Session, change_id: int, units: Iterable[str]) -> None:
    """The change touches these units too (the duties it moved)."""
    set_units(session, change_id, set(units_of(session, change_id)) | set(units))


def set_officers(session: Session, change_id: int, officers: Sequence[str]) -> None:
    rows = [
        {"change_id": change_id, "officer_id": o, "position": i}
        for i, o in enumerate(dict.fromkeys(officers))
    ]
    if rows:
        session.execute(insert(change_officers), rows)
