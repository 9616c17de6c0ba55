"""The service commands of the `roster` CLI: clear messages and exit 2 on bad input, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tests.conftest import EXAMPLE_SMALL

runner = CliRunner()


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    from app.cli import app

    return app


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'var' / 'roster.sqlite3'}"
    monkeypatch.setenv("ROSTER_DATABASE_URL", url)
    yield url


def test_db_upgrade_and_users(cli: typer.Typer, database: str) -> None:
    result = runner.invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["user", "create", "chief", "--role", "admin"])
    assert result.exit_code == 0 and "with password" in result.output
    again = runner.invoke(cli, ["user", "create", "chief", "--role", "admin", "--password", "long-enough"])
    assert again.exit_code == 2 and "already exists" in again.output
    bad_role = runner.invoke(cli, ["user", "create", "x", "--role", "chief"])
    assert bad_role.exit_code == 2 and "--role" in bad_role.output
    no_units = runner.invoke(cli, ["user", "create", "d", "--role", "dispatcher"])
    assert no_units.exit_code == 2 and "at least one unit" in no_units.output
    assert "Traceback" not in no_units.output


def test_import(cli: typer.Typer, database: str, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["import", str(EXAMPLE_SMALL)])
    assert result.exit_code == 0, result.output
    assert "14 officers" in result.output
    same = runner.invoke(cli, ["import", str(EXAMPLE_SMALL)])
    assert same.exit_code == 0 and "0 new, 0 overwritten" in same.output
    changed = tmp_path / "changed.json"
    changed.write_text(EXAMPLE_SMALL.read_text(encoding="utf-8").replace("甘州", "甘州区"), encoding="utf-8")
    clash = runner.invoke(cli, ["import", str(changed)])
    assert clash.exit_code == 2 and "replace" in clash.output
    assert runner.invoke(cli, ["import", str(changed), "--replace"]).exit_code == 0
    broken = tmp_path / "broken.json"
    broken.write_text('{"name": "x"}', encoding="utf-8")
    invalid = runner.invoke(cli, ["import", str(broken)])
    assert invalid.exit_code == 2 and "horizon" in invalid.output
    missing = runner.invoke(cli, ["import", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and "cannot read" in missing.output


def test_demo_without_serving(cli: typer.Typer, database: str) -> None:
    args = ["demo", "--no-serve", "--scenario", str(EXAMPLE_SMALL), "--time-limit", "2"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "published roster version 1" in result.output
    assert "/on-duty" in result.output and "dispatcher" in result.output
    second = runner.invoke(cli, args)
    assert second.exit_code == 0
    assert "not importing" in second.output and "not solving again" in second.output


def test_import_of_a_new_unit_touches_no_stored_officer(
    cli: typer.Typer, database: str, tmp_path: Path
) -> None:
    import json

    from sqlalchemy import func, select

    from app.core.db import make_engine, make_session_factory
    from app.reference.models import HistoryDuty, OfficerRequest, Unavailability
    from tests.app.helpers import new_unit_document

    assert runner.invoke(cli, ["import", str(EXAMPLE_SMALL)]).exit_code == 0
    engine = make_engine(database)

    def counts() -> tuple[int, int, int]:
        with make_session_factory(engine)() as s:
            return tuple(  # type: ignore[return-value]
                s.scalar(select(func.count()).select_from(t))
                for t in (Unavailability, OfficerRequest, HistoryDuty)
            )

    before = counts()
    unit = tmp_path / "linze.json"
    unit.write_text(json.dumps(new_unit_document(), ensure_ascii=False), encoding="utf-8")
    dry = runner.invoke(cli, ["import", str(unit), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would import" in dry.output and "+ officer lz-001" in dry.output
    assert "rules.max_consecutive_days" in dry.output and "kept" in dry.output
    assert counts() == before
    real = runner.invoke(cli, ["import", str(unit)])
    assert real.exit_code == 0, real.output
    assert counts() == (before[0] + 1, before[1] + 1, before[2] + 1)
    engine.dispose()


def test_a_database_error_prints_no_traceback_and_no_parameters(
    cli: typer.Typer, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import DataError

    from app.cli import imports

    def refused(*_: object, **__: object) -> None:
        raise DataError(
            "INSERT INTO officers (id, name) VALUES (%(id)s, %(name)s)",
            {"id": "gz-02", "name": "another officer's row"},
            Exception("value too long for type character varying(64)\nDETAIL: the row"),
        )

    monkeypatch.setattr(imports, "import_scenario", refused)
    result = runner.invoke(cli, ["import", str(EXAMPLE_SMALL)])
    assert isinstance(result.exception, SystemExit) and result.exit_code == 2, result.exception
    assert "value too long for type character varying(64)" in result.output
    assert "another officer" not in result.output and "INSERT" not in result.output
    assert "DETAIL" not in result.output and "Traceback" not in result.output


def test_an_unexpected_error_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import app.cli as cli_module

    def broken() -> None:
        raise RuntimeError("row of officer gz-02")

    monkeypatch.delenv("ROSTER_DEBUG", raising=False)
    monkeypatch.setattr(cli_module, "app", broken)
    with pytest.raises(SystemExit) as exit_:
        cli_module.main()
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "RuntimeError" in err and "gz-02" not in err and "Traceback" not in err


def test_import_refuses_what_the_api_refuses(cli: typer.Typer, database: str, tmp_path: Path) -> None:
    import json

    document = json.loads(EXAMPLE_SMALL.read_text(encoding="utf-8"))
    document["officers"][0]["id"] = "a/b c 102 "
    document["officers"][1]["name"] = "x" * 201
    document["officers"][2]["name"] = " "
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(cli, ["import", str(bad)])
    assert result.exit_code == 2, result.output
    assert "officers[0].id" in result.output and "officers[1].name" in result.output
    assert "officers[2].name" in result.output and "Traceback" not in result.output
