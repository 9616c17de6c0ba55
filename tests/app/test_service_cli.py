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
    from app.service_cli import register

    register(app)
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
    clash = runner.invoke(cli, ["import", str(EXAMPLE_SMALL)])
    assert clash.exit_code == 2 and "replace" in clash.output
    assert runner.invoke(cli, ["import", str(EXAMPLE_SMALL), "--replace"]).exit_code == 0
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
