"""The Alembic migrations build exactly the schema the models describe, and go down and up again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.core.db import Base, make_engine
from app.core.migrate import downgrade, ours, upgrade


def test_migrated_schema_matches_the_models(engine: Any) -> None:
    """On PostgreSQL the database also holds procrastinate's queue (its own schema), ignored."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            assert conn.exec_driver_sql("SELECT to_regclass('procrastinate_jobs')").scalar() is not None
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": ours})
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_and_upgrade_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cycle.sqlite3'}"
    upgrade(url)
    downgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        tables = set(conn.dialect.get_table_names(conn))
    assert tables <= {"alembic_version"}
    upgrade(url)
    with engine.connect() as conn:
        assert "roster_assignments" in conn.dialect.get_table_names(conn)
    engine.dispose()
