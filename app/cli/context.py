"""What the service commands share: the settings (bad `ROSTER_*` values exit 2), the database
(unreachable: exit 1; a refused request: its message and exit 2), the migrations, and the account
a command acts as (`--as`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import DataError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.cli.console import fail
from app.core.config import Settings
from app.core.db import SessionFactory, make_engine, make_session_factory
from app.core.errors import DomainError
from app.core.migrate import upgrade
from app.jobs.queue import apply_schema as apply_queue_schema


def load_settings() -> Settings:
    try:
        settings = Settings()
    except ValidationError as exc:
        fail(
            "invalid ROSTER_* setting: "
            + "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        )
    path = settings.sqlite_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    return settings


@contextmanager
def database(settings: Settings) -> Iterator[SessionFactory]:
    engine = make_engine(settings.database_url, **settings.engine_options())
    try:
        yield make_session_factory(engine)
    except OperationalError as exc:
        fail(f"cannot use the database {engine.url.render_as_string(hide_password=True)}: {exc.orig}", 1)
    except DomainError as exc:
        details = "".join(f"\n  {d.path}: {d.message}" for d in exc.details[:50])
        fail(f"{exc.message}{details}")
    except SQLAlchemyError as exc:
        # The driver's own first line only: never the statement or its parameters (other rows).
        reason = str(getattr(exc, "orig", None) or type(exc).__name__).splitlines()[0]
        fail(f"the database refused the request: {reason}", 2 if isinstance(exc, DataError) else 1)
    finally:
        engine.dispose()


def migrated(settings: Settings) -> None:
    """The database upgraded to the newest schema, with procrastinate's for that job engine (exit
    1 when it cannot be reached)."""
    try:
        upgrade(settings.database_url)
        if settings.jobs.engine == "procrastinate":
            apply_queue_schema(settings.database_url)
    except (OperationalError, psycopg.OperationalError) as exc:
        fail(f"cannot migrate the database: {getattr(exc, 'orig', exc)}", 1)


def acting(session: Session, username: str) -> User:
    """The active account `username` (`--as`), or exit 2."""
    user = session.scalar(select(User).where(User.username == username, User.is_active))
    if user is None:
        fail(f"no active account {username!r} (--as)")
    return user
