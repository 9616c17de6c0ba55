"""Per-officer calendar feeds: a secret URL (its token stored as a digest) and the feed itself."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import NotFound
from app.core.security import new_token, token_digest
from app.reference.models import Officer
from app.reference.settings import settings_row
from app.rosters import queries
from app.rosters.exports.calendar import officer_feed
from app.tours.calendar import tour_events


def issue_feed(session: Session, officer: Officer, public_url: str) -> str:
    token = new_token()
    officer.calendar_token_hash = token_digest(token)
    session.flush()
    return f"{public_url.rstrip('/')}/ical/{token}.ics"


def revoke_feed(session: Session, officer: Officer) -> None:
    officer.calendar_token_hash = None
    session.flush()


def feed_for_token(session: Session, token: str) -> bytes:
    officer = session.scalar(select(Officer).where(Officer.calendar_token_hash == token_digest(token)))
    if officer is None:
        raise NotFound("no such calendar feed (it may have been replaced)")
    duties = queries.all_duties(session, queries.DutyFilter(officer=officer.id))
    timezone = settings_row(session).timezone
    return officer_feed(officer.name, timezone, duties, extra=tour_events(session, officer.id, timezone))
