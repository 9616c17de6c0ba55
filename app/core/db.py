"""Engine, sessions and the declarative base with the one naming convention all tables share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


SessionFactory = sessionmaker[Session]


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite gets foreign keys, WAL, a busy timeout and real transactions."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        _sqlite_behaves(engine, in_memory=":memory:" in url or url in ("sqlite://", "sqlite:///"))
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_behaves(engine: Engine, in_memory: bool) -> None:
    # pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; SQLAlchemy's
    # documented recipe hands transactions to SQLAlchemy instead.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(WRITE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


WRITE_OPTION = "roster_writes"


def will_write(session: Session) -> None:
    """Declare, before its first statement, that this transaction writes.

    On SQLite it then starts with BEGIN IMMEDIATE and waits its turn for the write lock: a
    deferred transaction that reads first and writes later fails at once with "database is
    locked" when another connection wrote in between (WAL snapshot), whatever the busy timeout.
    Elsewhere the option is ignored.
    """
    session.connection(execution_options={WRITE_OPTION: True})


def make_session_factory(engine: Engine) -> SessionFactory:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: SessionFactory, writes: bool = True) -> Iterator[Session]:
    """One unit of work (a request, a CLI command, a job's step): committed on success, rolled back
    on error. `writes`: it will write, so it takes SQLite's write lock first (`will_write`)."""
    with factory() as session:
        if writes:
            will_write(session)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
