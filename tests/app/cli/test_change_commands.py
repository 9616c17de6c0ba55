"""`roster change …` against the database, as the API handles changes."""

from __future__ import annotations

from typing import Any

import pytest

from solver.io.roster import roster_from_dict
from tests.app.helpers import (
    MON,
    NOW,
    UNITS,
    future,
    published_duties,
)


def test_change_commands(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, small_roster_document: dict[str, Any]
) -> None:
    """`roster change submit|list|show|approve|reject` against the database; bad input exits 2."""
    import json

    from typer.testing import CliRunner

    from app.accounts.service import create_user
    from app.cli import app as cli
    from app.core.db import make_engine, make_session_factory, transaction
    from app.reference.transfer import import_scenario
    from tests.conftest import EXAMPLE_SMALL

    runner = CliRunner()
    url = f"sqlite:///{tmp_path / 'roster.sqlite3'}"
    monkeypatch.setenv("ROSTER_DATABASE_URL", url)
    monkeypatch.setenv("ROSTER_NOW", NOW.isoformat())
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with transaction(factory) as s:
        import_scenario(s, json.loads(EXAMPLE_SMALL.read_text(encoding="utf-8")), False, None)
        create_user(s, "chief", "admin", "password-chief", [], None)
    from app.planning.scenario import ScenarioScope, scenario_from_db
    from app.rosters.service import new_snapshot, publish, store_roster

    with transaction(factory) as s:
        scenario = scenario_from_db(s, ScenarioScope(start=MON, days=7))
        roster, _ = roster_from_dict(small_roster_document)
        stored = store_roster(
            s, scenario, roster, snapshot_id=new_snapshot(s, scenario).id, unit_ids=UNITS, created_by=None
        )
        publish(s, stored, None)
    a = future(published_duties(factory))[0]
    worked = next(x for x in published_duties(factory) if x.date == MON and x.officer != "hq-01")
    engine.dispose()

    def run(*args: str) -> Any:
        result = runner.invoke(cli, ["change", *args, "--as", "chief"])
        assert "Traceback" not in result.output, result.output
        return result

    cover = run("submit", "cover", "--duty", f"{a.officer}/{a.post}/{a.shift}/{a.date}", "--to", "nobody")
    assert cover.exit_code == 2 and "unknown officer" in cover.output
    assert run("submit", "cover", "--duty", "gz-01/g30-east").exit_code == 2
    assert run("submit", "holiday").exit_code == 2
    assert run("submit", "leave", "--officer", "gz-02", "--start", "2021-11-12T00:00").exit_code == 2
    assert runner.invoke(cli, ["change", "list", "--as", "ghost"]).exit_code == 2

    refused = run(
        "submit",
        "cover",
        "--duty",
        f"{worked.officer}/{worked.post}/{worked.shift}/{worked.date}",
        "--to",
        "hq-01",
    )
    assert refused.exit_code == 1 and "frozen_until" in refused.output  # stored, but it breaks a rule
    assert run("approve", "1").exit_code == 1
    assert run("reject", "1").exit_code == 2  # no reason
    assert run("reject", "1", "--reason", "already worked").exit_code == 0

    leave = run(
        "submit",
        "leave",
        "--officer",
        "gz-05",
        "--start",
        "2021-11-10T00:00",
        "--end",
        "2021-11-12T00:00",
        "--reason",
        "sick",
    )
    assert leave.exit_code == 0, leave.output
    assert "proposal [ready]" in leave.output and "- gz-05" in leave.output
    approved = run("approve", "2", "--reason", "fine")
    assert approved.exit_code == 0 and "leave [applied]" in approved.output
    listing = run("list")
    assert listing.exit_code == 0 and "applied" in listing.output and "rejected" in listing.output
    shown = run("show", "2", "--json")
    assert json.loads(shown.output)["status"] == "applied"
    assert run("show", "99").exit_code == 2
