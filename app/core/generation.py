"""Has the stored data changed? A stamp for caches of what is computed from the database.

`stamp(session, ignore)` is a value that differs whenever a write that matters may have been
committed (or undone) since an earlier stamp: two stamps equal means the tables read saw the
same data. It is made of

- this process's write generation: bumped by every INSERT/UPDATE/DELETE statement any engine of
  this process runs (per table; statements whose table is unknown bump every table), and again
  when a session that wrote commits or rolls back (after the commit, so a reader never takes the
  new stamp with the old data);
- the database's own sign of other connections' commits (other processes: workers, the CLI,
  other service processes): PostgreSQL's current snapshot (it changes whenever a write
  transaction anywhere in the cluster begins or ends) and SQLite's `PRAGMA data_version` read on
  a connection of its own (it changes whenever another connection commits to the file). An
  in-memory SQLite database has no other connections.

It errs one way only: a stamp may change when nothing that matters did (a cache miss), never
the other way round.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

_lock = threading.Lock()
_writes: Counter[str] = Counter()
"""Write statements (and the commits, rollbacks after them) per table, in this process."""
_ALL = "*"
_WROTE = "roster_generation_wrote"


def _bump(table: str) -> None:
    with _lock:
        _writes[table] += 1


def _generation(ignore: frozenset[str]) -> int:
    with _lock:
        return sum(n for table, n in _writes.items() if table not in ignore)


def _table_of(context: Any, statement: str) -> str | None:
    """The table a write statement writes ("*": unknown), None for a read."""
    compiled = getattr(context, "compiled", None)
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        table = getattr(getattr(compiled, "statement", None), "table", None)
        name = getattr(table, "name", None)
        return name if isinstance(name, str) else _ALL
    head = statement.lstrip()[:8].upper()
    if head.startswith(("INSERT", "UPDATE", "DELETE", "REPLACE", "TRUNCATE", "ALTER", "DROP", "CREATE")):
        return _ALL
    return None


@event.listens_for(Engine, "after_cursor_execute")
def _after_execute(conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool) -> None:
    table = _table_of(context, statement)
    if table is not None:
        _bump(table)
        conn.info.setdefault(_WROTE, set()).add(table)


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _after_end(conn: Any) -> None:
    for table in conn.info.pop(_WROTE, ()):
        _bump(table)


def _table_name(thing: Any) -> str:
    name = getattr(getattr(thing, "__table__", None), "name", None) or getattr(
        getattr(thing, "table", None), "name", None
    )
    return name if isinstance(name, str) else _ALL


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    written = session.info.setdefault(_WROTE, set())
    for obj in [*session.new, *session.dirty, *session.deleted]:
        written.add(_table_name(obj))


@event.listens_for(Session, "do_orm_execute")
def _orm_execute(state: Any) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info.setdefault(_WROTE, set()).add(_table_name(state.statement))


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
@event.listens_for(Session, "after_soft_rollback")
def _after_session_end(session: Session, *_args: Any) -> None:
    for table in session.info.pop(_WROTE, ()):
        _bump(table)


_watchers: dict[str, sqlite3.Connection] = {}
"""A read-only connection per SQLite file, for `PRAGMA data_version`."""


def _sqlite_version(path: str) -> int:
    with _lock:
        watcher = _watchers.get(path)
        if watcher is None:
            watcher = _watchers[path] = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        return int(watcher.execute("PRAGMA data_version").fetchone()[0])


def _database_stamp(session: Session) -> object:
    url = session.get_bind().engine.url
    backend = url.get_backend_name()
    if backend == "postgresql":
        return session.execute(text("SELECT txid_current_snapshot()::text")).scalar()
    if backend == "sqlite" and url.database not in (None, "", ":memory:"):
        return _sqlite_version(url.database)
    return None


def stamp(session: Session, ignore: frozenset[str] = frozenset()) -> tuple[str, object, int]:
    """A value that changes whenever data of a table not in `ignore` may have changed (see the
    module's docstring), the database's address first; take it before reading what it stamps."""
    generation = _generation(ignore)
    bind = session.get_bind()
    address = bind.engine.url.render_as_string(hide_password=True)
    return address, _database_stamp(session), generation
