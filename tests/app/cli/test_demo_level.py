"""`roster demo` declares the sample week 一级 for the whole detachment before solving it (the surge
the Zhangye sample tells of): the leave and requests 一级 cancels are cancelled, the week is solved
and published at that level, and the owed rest (补休) accrues from it; `--no-level` leaves it out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.conftest import EXAMPLE_SMALL

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'roster.sqlite3'}"
    monkeypatch.setenv("ROSTER_DATABASE_URL", url)
    monkeypatch.setenv("ROSTER_NOW", "2021-11-09T12:00")
    yield url


def test_the_demo_declares_the_week_level1_and_the_owed_rest_accrues(database: str) -> None:
    from app.cli import app
    from app.core.db import make_engine, make_session_factory
    from app.levels.models import LevelDeclaration, OwedRestEntry
    from app.reference.models import Unavailability
    from app.rosters.queries import published_assignments

    args = ["demo", "--no-serve", "--scenario", str(EXAMPLE_SMALL), "--time-limit", "2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "declared 一级 (level 1) for the whole detachment, 2021-11-08 – 2021-11-14" in result.output
    assert "1 leave span(s) and 2 request(s) cancelled" in result.output
    with make_session_factory(make_engine(database))() as s:
        (declared,) = s.scalars(select(LevelDeclaration))
        assert (declared.level, declared.start, declared.end) == (
            "level1",
            date(2021, 11, 8),
            date(2021, 11, 15),
        )
        assert declared.unit_ids == ["ganzhou", "hq"]
        assert not [u for u in s.scalars(select(Unavailability)) if u.reason == "annual leave"]
        worked: dict[str, int] = {}
        for a in published_assignments(s, date(2021, 11, 8), date(2021, 11, 15)):
            worked[a.officer_id] = worked.get(a.officer_id, 0) + a.minutes
        owed = {o: (m - 2400) // 480 for o, m in worked.items() if m - 2400 >= 480}  # the default rule
        accrued = {e.officer_id: e.days for e in s.scalars(select(OwedRestEntry))}
        assert accrued == owed
    if owed:
        assert f"owed rest (补休): {len(owed)} officer(s) owed {sum(owed.values())} day(s)" in result.output
    again = runner.invoke(app, args)  # once only
    assert again.exit_code == 0 and "declared 一级" not in again.output
    with make_session_factory(make_engine(database))() as s:
        assert s.scalar(select(func.count()).select_from(LevelDeclaration)) == 1
