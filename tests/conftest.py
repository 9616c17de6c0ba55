"""Shared fixtures. The service tests (tests/app) run against SQLite and PostgreSQL.

- `engine` is parametrized over both backends, once per test session (and per xdist worker): a
  SQLite file, and a throwaway PostgreSQL database created next to `ROSTER_TEST_POSTGRES_URL`
  (default `postgresql+psycopg://postgres@127.0.0.1:5432/test`) and dropped at the end, so
  parallel runs never collide. The schema comes from the Alembic migrations.
- The database is seeded once (committed) with example-small and one account per role (`TOKENS`).
- `db` gives each test a connection inside a transaction that is rolled back afterwards; the
  app's sessions join it through savepoints, so a route's commit is real to the route but gone
  after the test.
- `live_db` is for the few tests whose work happens in other threads and processes (roster jobs):
  they commit for real; afterwards every table is emptied and the seed restored.

Without a PostgreSQL server the PostgreSQL cases are skipped, except under CI (`CI` set), where
that is an error.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from solver.io.load import load_scenario
from solver.io.roster import roster_from_dict, roster_to_dict
from solver.solve import SolveOptions, solve

if TYPE_CHECKING:
    from fastapi.testclient import TestClient
    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session, sessionmaker

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_SMALL = REPO / "data" / "example-small.json"
POSTGRES_URL = os.environ.get("ROSTER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_database() -> tuple[str, Any]:
    """Create a throwaway database; returns its URL and a function that drops it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    base = make_url(POSTGRES_URL)
    name = f"roster_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        message = f"PostgreSQL is not reachable at {base.render_as_string(hide_password=True)}: {exc.orig}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    from app.core.db import make_engine
    from app.core.migrate import upgrade

    drop = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'roster.sqlite3'}"
    else:
        url, drop = _postgres_database()
    upgrade(url)
    if drop is not None:  # PostgreSQL: procrastinate's queue too, as `roster db upgrade` applies it
        from app.jobs.queue import apply_schema

        apply_schema(url)
    engine = make_engine(url)
    from app.core.db import make_session_factory

    seed_example(make_session_factory(engine))
    yield engine
    engine.dispose()
    if drop is not None:
        drop()


@pytest.fixture
def db(engine: Engine) -> Iterator[Connection]:
    """A connection whose outer transaction is rolled back after the test."""
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def session_factory(db: Connection) -> sessionmaker[Session]:
    from sqlalchemy.orm import sessionmaker

    return sessionmaker(bind=db, join_transaction_mode="create_savepoint", expire_on_commit=False)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as s:
        yield s


def test_settings(**overrides: Any) -> Any:
    from app.core.config import JobSettings, Settings, SolverSettings

    values: dict[str, Any] = {
        "database_url": "sqlite://",
        "public_url": "http://testserver",
        "max_page_size": 200,
        "max_body_bytes": 2 * 1024 * 1024,
        "solver": SolverSettings(time_limit=3, max_time_limit=60, workers=1),
        # a long lease: the heartbeat thread stays quiet on the tests' shared connection
        "jobs": JobSettings(max_concurrent=2, grace_seconds=10, progress_interval=0.1, lease_seconds=3600),
    }
    values.update(overrides)
    return Settings(**values)


test_settings.__test__ = False  # type: ignore[attr-defined]


@dataclass
class Api:
    """A test client with a token per role: `api.get(path, as_="officer")`."""

    client: TestClient
    tokens: dict[str, str]

    def headers(self, as_: str | None) -> dict[str, str]:
        return {} if as_ is None else {"Authorization": f"Bearer {self.tokens[as_]}"}

    def request(self, method: str, path: str, as_: str | None = "admin", **kwargs: Any) -> Any:
        headers = {**self.headers(as_), **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)

    def get(self, path: str, as_: str | None = "admin", **kwargs: Any) -> Any:
        return self.request("GET", path, as_, **kwargs)

    def post(self, path: str, as_: str | None = "admin", **kwargs: Any) -> Any:
        return self.request("POST", path, as_, **kwargs)

    def patch(self, path: str, as_: str | None = "admin", **kwargs: Any) -> Any:
        return self.request("PATCH", path, as_, **kwargs)

    def delete(self, path: str, as_: str | None = "admin", **kwargs: Any) -> Any:
        return self.request("DELETE", path, as_, **kwargs)


TOKENS = {
    name: f"test-token-{name}-0123456789abcdef"
    for name in ("admin", "dispatcher", "hq_dispatcher", "officer")
}


def seed_example(factory: Any) -> None:
    """example-small.json imported, and one account per role with a fixed token (see TOKENS).

    dispatcher manages `ganzhou`; `officer` is gz-01 (home unit ganzhou); `hq_dispatcher` manages `hq`.
    """
    import json
    from datetime import timedelta

    from app.accounts import service as auth
    from app.accounts.models import ApiToken
    from app.core.clock import utcnow
    from app.core.db import transaction
    from app.core.security import token_digest
    from app.reference.transfer import import_scenario

    with transaction(factory) as s:
        import_scenario(s, json.loads(EXAMPLE_SMALL.read_text(encoding="utf-8")), False, None)
        accounts = {
            "admin": ("admin", [], None),
            "dispatcher": ("dispatcher", ["ganzhou"], None),
            "hq_dispatcher": ("dispatcher", ["hq"], None),
            "officer": ("officer", [], "gz-01"),
        }
        now = utcnow()
        for name, (role, units, officer) in accounts.items():
            user = auth.create_user(s, name, role, "password-" + name, units, officer)
            s.add(
                ApiToken(
                    user_id=user.id,
                    token_hash=token_digest(TOKENS[name]),
                    created_at=now,
                    expires_at=now + timedelta(days=30),
                )
            )


_APPS: dict[str, Any] = {}


def served_app(settings: Any, factory: Any) -> Any:
    """The service on `factory`'s connection: one app per settings, reused from test to test.

    FastAPI builds a route's dependencies on the first request that reaches it, once per app
    (0.1-0.2 s for a new app's first request); serving one app lets the tests pay that once. Each
    `TestClient(app)` runs the lifespan again, which takes the factory set here and starts fresh
    per-run state (job engine, login throttle)."""
    from app.main import create_app

    key = settings.model_dump_json()
    app = _APPS.get(key)
    if app is None:
        app = _APPS[key] = create_app(settings, factory)
    app.state.database = factory
    return app


@pytest.fixture
def api(session_factory: sessionmaker[Session]) -> Iterator[Api]:
    """The app on the rolled-back test connection, with example-small loaded and role tokens."""
    from fastapi.testclient import TestClient

    with TestClient(served_app(test_settings(), session_factory)) as client:
        yield Api(client, dict(TOKENS))


@pytest.fixture(scope="session")
def small_roster_document() -> dict[str, Any]:
    """example-small solved once per test session by the real solver (a few seconds)."""

    roster = solve(load_scenario(EXAMPLE_SMALL), SolveOptions(time_limit=5, workers=1))
    assert roster.assignments, roster
    return roster_to_dict(roster)


@pytest.fixture
def published(api: Api, session_factory: sessionmaker[Session], small_roster_document: dict[str, Any]) -> int:
    """example-small's solved roster stored as a version and published; returns its id."""
    from app.core.db import transaction
    from app.planning.scenario import ScenarioScope, scenario_from_db
    from app.rosters.service import new_snapshot, publish, store_roster

    with transaction(session_factory) as s:
        scope = ScenarioScope(start=_date("2021-11-08"), days=7)
        scenario = scenario_from_db(s, scope)
        roster, _ = roster_from_dict(small_roster_document)
        snapshot = new_snapshot(s, scenario)
        stored = store_roster(
            s,
            scenario,
            roster,
            snapshot_id=snapshot.id,
            unit_ids=[u.id for u in scenario.units],
            created_by=None,
        )
        publish(s, stored, None)
        return stored.id


def _date(text: str) -> Any:
    from datetime import date

    return date.fromisoformat(text)


@pytest.fixture
def live_db(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Real commits (for jobs solved in other threads and processes); the seed is restored afterwards."""
    from app.core.db import Base, make_session_factory

    factory = make_session_factory(engine)
    yield factory
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    seed_example(factory)


@pytest.fixture
def live_api(live_db: sessionmaker[Session]) -> Iterator[Api]:
    from fastapi.testclient import TestClient

    with TestClient(served_app(test_settings(), live_db)) as client:
        yield Api(client, dict(TOKENS))
