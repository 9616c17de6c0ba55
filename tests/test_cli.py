"""`roster check` and `roster schema`: exit codes 0 (valid and as claimed), 1 (violation or score
mismatch), 2 (invalid input, every error listed, no traceback)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from app.cli import app
from solver.check import check_assignments
from solver.io.load import scenario_from_dict
from tests.solver.builders import duty, iso, officer, scenario_doc

EXAMPLE = Path(__file__).parents[1] / "data" / "example-small.json"
runner = CliRunner()

SCENARIO = scenario_doc(
    officers=[officer("o1", requests=[{"kind": "day_off", "date": iso(0), "weight": 1}]), officer("o2")]
)
ROSTER = [duty("o1", "p1", "D", 0), duty("o1", "p2", "D", 2)]


def write(tmp_path: Path, name: str, content: Any) -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def roster_doc(assignments=ROSTER, **overrides: Any) -> dict[str, Any]:
    score = check_assignments(scenario_from_dict(SCENARIO), assignments).score.as_dict()
    doc = {
        "scenario": "test",
        "status": "FEASIBLE",
        "objective": score["total"],
        "bound": 0,
        "score": score,
        "assignments": [
            {"officer": a.officer, "post": a.post, "shift": a.shift, "date": a.date.isoformat()}
            for a in assignments
        ],
        "shortfalls": [],
        "solve_seconds": 0.1,
    }
    doc.update(overrides)
    return doc


def run_check(tmp_path: Path, scenario: Any = SCENARIO, roster: Any = None):
    result = runner.invoke(
        app,
        [
            "check",
            write(tmp_path, "scenario.json", scenario),
            write(tmp_path, "roster.json", roster_doc() if roster is None else roster),
        ],
    )
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_a_valid_roster_with_the_right_score_exits_0(tmp_path):
    assert roster_doc()["score"]["total"] == 10 + 2 * 2 + 1  # a broken day_off, 2 duties to 0, one move
    result = run_check(tmp_path)
    assert result.exit_code == 0, result.output
    assert "OK" in result.stdout


def test_a_roster_without_a_score_is_only_checked_for_rules(tmp_path):
    doc = roster_doc(objective=None, score=None)
    assert run_check(tmp_path, roster=doc).exit_code == 0


def test_a_hard_violation_exits_1_and_names_rule_officer_post_and_date(tmp_path):
    bad = [*ROSTER, duty("o1", "q1", "D", 3)]  # o1 does not serve u2
    result = run_check(tmp_path, roster=roster_doc(bad))
    assert result.exit_code == 1
    assert f"VIOLATION serves_unit officer=o1 post=q1 date={iso(3)}" in result.stdout


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {
                "score": {
                    "shortfall": 0,
                    "requests": 0,
                    "fairness": 4,
                    "continuity": 1,
                    "changes": 0,
                    "total": 5,
                }
            },
            "score.requests",
        ),
        (
            {
                "score": {
                    "shortfall": 0,
                    "requests": 10,
                    "fairness": 4,
                    "continuity": 1,
                    "changes": 0,
                    "total": 16,
                }
            },
            "score.total",
        ),
        ({"objective": 14}, "objective"),
    ],
)
def test_a_wrong_claim_exits_1(tmp_path, change, expected):
    result = run_check(tmp_path, roster=roster_doc(**change))
    assert result.exit_code == 1
    assert f"MISMATCH {expected}" in result.stdout


def test_an_invalid_scenario_exits_2_listing_every_error(tmp_path):
    bad = json.loads(json.dumps(SCENARIO))
    bad["horizon"]["days"] = 0
    bad["posts"][0]["unit"] = "nope"
    bad["officers"][1]["serves"] = ["ghost"]
    result = run_check(tmp_path, scenario=bad)
    assert result.exit_code == 2
    assert "3 error(s)" in result.stderr
    for line in ("horizon.days", "posts[0].unit: unknown unit 'nope' [id 'p1']", "officers[1].serves[0]"):
        assert line in result.stderr


@pytest.mark.parametrize(
    "roster",
    [
        "{not json",
        json.dumps([1, 2]),
        json.dumps({"assignments": [{"officer": "o1", "post": "p1", "shift": "D", "date": "2021-02-30"}]}),
    ],
)
def test_an_invalid_roster_exits_2(tmp_path, roster):
    result = run_check(tmp_path, roster=roster)
    assert result.exit_code == 2
    assert "invalid roster" in result.stderr


def test_when_both_inputs_are_invalid_both_are_listed(tmp_path):
    result = run_check(tmp_path, scenario="[", roster="{}")
    assert result.exit_code == 2
    assert "invalid scenario" in result.stderr
    assert "assignments: required field is missing" in result.stderr


def test_missing_files_and_odd_names_exit_2(tmp_path):
    result = runner.invoke(app, ["check", str(tmp_path / "nope.json"), str(tmp_path / "[/bold]nope.json")])
    assert result.exit_code == 2, result.exception
    assert "cannot read" in result.stderr
    assert "[/bold]nope.json" in result.stderr


def test_the_example_with_its_pinned_duty_only(tmp_path):
    result = runner.invoke(
        app,
        [
            "check",
            str(EXAMPLE),
            write(
                tmp_path,
                "r.json",
                {
                    "assignments": [
                        {"officer": "gz-01", "post": "g30-east", "shift": "D", "date": "2021-11-08"}
                    ]
                },
            ),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "slot(s) short" in result.stdout


def test_schema_prints_valid_json(tmp_path):
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Duty-roster scenario, format 1 or 2"
    assert runner.invoke(app, ["schema", "--out", str(tmp_path / "s.json")]).exit_code == 0
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8")) == schema
