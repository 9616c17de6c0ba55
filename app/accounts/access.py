"""Who may act on which units: the role rules of the service in one place.

- admin: everything.
- dispatcher: reads everything; generates, publishes and approves only for their own units.
- officer: their own schedule and requests, and the published roster of their home unit.
- why an officer is unavailable (sick leave, quarantine, …) is need-to-know: admins and the
  dispatchers of the officer's home unit see the reason; everyone else sees "unavailable". So are
  the notes of their requests and the reasons of their leave changes.

The routes' role gates (`StaffUser`, `AdminUser`) are `app.accounts.deps`; everything finer (which
units, whose records, which change requests) is here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.accounts.models import Role, User
from app.core.errors import Forbidden, NotFound
from app.reference.models import Officer

STAFF = (Role.ADMIN, Role.DISPATCHER)


def is_staff(user: User) -> bool:
    """The duty office: admins and dispatchers."""
    return user.role in STAFF


def manages(user: User, unit_ids: Iterable[str]) -> bool:
    if user.role == Role.ADMIN:
        return True
    if user.role != Role.DISPATCHER:
        return False
    return set(unit_ids) <= set(user.unit_ids)


def ensure_manages(user: User, unit_ids: Iterable[str], what: str) -> None:
    units = sorted(set(unit_ids))
    if not manages(user, units):
        outside = sorted(set(units) - set(user.unit_ids)) if user.role == Role.DISPATCHER else units
        raise Forbidden(f"you may not {what} for unit(s) {', '.join(outside) or '(all)'}")


UNAVAILABLE = "unavailable"
"""What those who may not know the reason see instead of it."""


def sees_reasons(user: User, officer_id: str, home_unit: str | None) -> bool:
    """Whether `user` may read why the officer is unavailable: admins, the dispatchers of the
    officer's home unit, and the officer themself."""
    if user.role == Role.ADMIN or (user.officer_id is not None and user.officer_id == officer_id):
        return True
    return user.role == Role.DISPATCHER and home_unit is not None and home_unit in user.unit_ids


def reason_for(user: User, officer_id: str, home_unit: str | None, reason: str) -> str:
    """`reason` if the user may know why the officer is unavailable, else "unavailable"."""
    return reason if sees_reasons(user, officer_id, home_unit) else UNAVAILABLE


def scenario_as_seen(document: dict[str, Any], user: User) -> dict[str, Any]:
    """A scenario document with the unavailability reasons `user` may not know said as
    "unavailable" (the spans stay: they are needed to roster)."""
    officers = []
    for o in document.get("officers") or []:
        spans = o.get("unavailable") if isinstance(o, dict) else None
        if spans and not sees_reasons(user, str(o.get("id")), o.get("unit")):
            o = {**o, "unavailable": [{**u, "reason": UNAVAILABLE} if u.get("reason") else u for u in spans]}
        officers.append(o)
    return {**document, "officers": officers} if "officers" in document else document


def home_unit(session: Session, officer_id: str) -> str | None:
    officer = session.get(Officer, officer_id)
    return None if officer is None else officer.unit_id


def officer_of(session: Session, user: User) -> Officer | None:
    return None if user.officer_id is None else session.get(Officer, user.officer_id)


def own_officer(user: User) -> str:
    """The officer an account acts for, or 403 when it is linked to none."""
    if user.officer_id is None:
        raise Forbidden("this account is not linked to an officer")
    return user.officer_id


def readable_units(session: Session, user: User) -> set[str] | None:
    """Units whose published roster the user may read: None means all."""
    if is_staff(user):
        return None
    officer = officer_of(session, user)
    return set() if officer is None else {officer.unit_id}


def ensure_reads_unit(session: Session, user: User, unit: str | None, refusal: str) -> set[str] | None:
    """`readable_units`, after a 403 `refusal` when `unit` is not among them."""
    units = readable_units(session, user)
    if units is not None and unit is not None and unit not in units:
        raise Forbidden(refusal)
    return units


def ensure_self_or_staff(user: User, officer_id: str) -> None:
    if is_staff(user):
        return
    if user.officer_id != officer_id:
        raise Forbidden("officers may only see their own records")


def ensure_manages_feed(user: User, officer: Officer) -> None:
    """Issuing or revoking a calendar feed: the officer themself, admins, and the dispatchers of
    the officer's home unit."""
    if user.officer_id is not None and user.officer_id == officer.id:
        return
    if user.role == Role.OFFICER:
        raise Forbidden("officers may only see their own records")
    if not manages(user, [officer.unit_id]):
        raise Forbidden(
            f"you may manage calendar feeds only of officers of your units, not {officer.unit_id!r}"
        )


def records_limited_to(user: User) -> str | None:
    """Officer accounts see only their own requests: the officer id they are limited to ("" when
    the account is linked to none), None for the duty office."""
    return None if user.role != Role.OFFICER else user.officer_id or ""


def ensure_own_record(user: User, officer_id: str, missing: str) -> None:
    """An officer account asking for another officer's record gets 404 `missing`, as if it did not exist."""
    limited = records_limited_to(user)
    if limited is not None and limited != officer_id:
        raise NotFound(missing)


@dataclass(frozen=True)
class ChangeReach:
    """The change requests a user sees besides their own: every one (`everything`), those touching
    `units`, or those naming `officer`."""

    everything: bool
    units: frozenset[str] = frozenset()
    officer: str | None = None

    def sees(self, unit_ids: Iterable[str], officer_ids: Iterable[str]) -> bool:
        return (
            self.everything
            or bool(self.units & set(unit_ids))
            or (self.officer is not None and self.officer in set(officer_ids))
        )


def change_reach(user: User) -> ChangeReach:
    """Admins see every change; dispatchers those of their units; officers those naming them."""
    if user.role == Role.ADMIN:
        return ChangeReach(everything=True)
    if user.role == Role.DISPATCHER:
        return ChangeReach(everything=False, units=frozenset(user.unit_ids))
    return ChangeReach(everything=False, officer=user.officer_id)
