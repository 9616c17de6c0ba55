"""`roster solve` and `roster explain` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from app.cli import app
from tests.solver.builders import officer, scenario_doc

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "data" / "example-small.json"
runner = CliRunner()


def test_solve_writes_a_roster_that_check_accepts(tmp_path):
    out = tmp_path / "roster.json"
    result = runner.invoke(app, ["solve", str(SMALL), "--time-limit", "2", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    roster = json.loads(out.read_text())
    assert roster["status"] in ("OPTIMAL", "FEASIBLE")
    assert roster["objective"] == roster["score"]["total"]
    assert roster["bound"] <= roster["objective"]
    checked = runner.invoke(app, ["check", str(SMALL), str(out)])
    assert checked.exit_code == 0, checked.output
    assert "OK" in checked.output


def test_solve_reports_conflicting_pins_and_exits_1(tmp_path):
    doc = json.loads(SMALL.read_text())
    doc["pinned"].append({"officer": "gz-01", "post": "g30-east", "shift": "E", "date": "2021-11-08"})
    scenario = tmp_path / "pins.json"
    scenario.write_text(json.dumps(doc, ensure_ascii=False))
    out = tmp_path / "roster.json"
    result = runner.invoke(app, ["solve", str(scenario), "--time-limit", "2", "--out", str(out), "--quiet"])
    assert result.exit_code == 1
    assert "min_rest" in result.output and "pinned[0]" in result.output and "pinned[1]" in result.output
    roster = json.loads(out.read_text())
    assert roster["status"] == "INFEASIBLE" and roster["assignments"] == [] and roster["score"] is None
    assert "Traceback" not in result.output


def test_solve_rejects_bad_input_with_exit_2(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": 1}')
    result = runner.invoke(app, ["solve", str(bad), "--quiet"])
    assert result.exit_code == 2
    assert "horizon" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["solve", str(SMALL), "--method", "magic", "--quiet"])
    assert result.exit_code == 2


def test_explain_lists_each_rule_with_its_contributors(tmp_path):
    out = tmp_path / "roster.json"
    assert runner.invoke(app, ["solve", str(SMALL), "-t", "1", "-o", str(out), "-q"]).exit_code == 0
    result = runner.invoke(app, ["explain", str(SMALL), str(out)])
    assert result.exit_code == 0, result.output
    for term in ("shortfall", "requests", "fairness", "continuity", "changes"):
        assert f"{term}:" in result.output


def test_minimum_rules_that_admit_no_roster_exit_1_naming_the_officer(tmp_path):
    leave = [{"start": "2021-11-07T00:00", "end": "2021-11-16T00:00"}]
    doc = scenario_doc(
        format=2,
        officers=[officer("o1", unavailable=leave, rules={"min_minutes_per_horizon": 480}), officer("o2")],
    )
    scenario, out = tmp_path / "s.json", tmp_path / "r.json"
    scenario.write_text(json.dumps(doc), encoding="utf-8")
    result = runner.invoke(app, ["solve", str(scenario), "-t", "2", "-q", "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "minimum rules conflict" in result.output and "o1" in result.output
    roster = json.loads(out.read_text(encoding="utf-8"))
    assert roster["status"] == "INFEASIBLE" and roster["assignments"] == [] and roster["score"] is None
    assert roster["infeasible_officers"][0]["rules"] == ["min_minutes_per_horizon", "unavailable"]
