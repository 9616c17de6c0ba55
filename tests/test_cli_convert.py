"""`roster convert curtois` and `roster convert curtois-solution`: a benchmark instance becomes a
format-2 scenario that `roster solve` and `roster check` take, and a roster becomes the benchmark's
solution text; a malformed file exits 2 with every problem listed."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from app.cli import app
from bench.curtois.evaluate import evaluate
from solver.check import check_assignments
from solver.io.curtois import parse_solution, read_instance, schedule_from_assignments
from solver.io.load import load_scenario
from solver.io.roster import load_roster

runner = CliRunner()
INSTANCE1 = Path(__file__).resolve().parents[1] / "bench" / "curtois" / "instances" / "Instance1.txt"


def test_convert_solve_check_and_write_the_solution(tmp_path: Path) -> None:
    scenario, roster, solution = tmp_path / "i1.json", tmp_path / "r1.json", tmp_path / "s1.txt"
    result = runner.invoke(app, ["convert", "curtois", str(INSTANCE1), "--out", str(scenario)])
    assert result.exit_code == 0, result.output
    doc = json.loads(scenario.read_text(encoding="utf-8"))
    assert doc["format"] == 2 and doc["horizon"] == {"start": "2014-01-06", "days": 14}
    s = load_scenario(scenario)
    solved = runner.invoke(
        app, ["solve", str(scenario), "-t", "2", "--workers", "1", "-q", "-o", str(roster)]
    )
    assert solved.exit_code == 0, solved.output
    assert runner.invoke(app, ["check", str(scenario), str(roster)]).exit_code == 0
    written = runner.invoke(
        app, ["convert", "curtois-solution", str(INSTANCE1), str(roster), "--out", str(solution)]
    )
    assert written.exit_code == 0, written.output
    inst = read_instance(INSTANCE1)
    r, _ = load_roster(roster)
    schedule = parse_solution(solution.read_text(encoding="utf-8"), inst)
    assert schedule == schedule_from_assignments(inst, r.assignments)
    lines = solution.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(inst.staff) and all(line.count("\t") == inst.days - 1 for line in lines)
    assert (
        evaluate(inst, schedule).objective == check_assignments(s, r.assignments).score.total == r.objective
    )


def test_a_malformed_instance_exits_2_listing_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("SECTION_HORIZON\nabc\n", encoding="utf-8")
    result = runner.invoke(app, ["convert", "curtois", str(bad), "--out", str(tmp_path / "x.json")])
    assert result.exit_code == 2
    assert "SECTION_SHIFTS" in result.output and "line 2" in result.output
    assert not (tmp_path / "x.json").exists()
    missing = runner.invoke(app, ["convert", "curtois", str(tmp_path / "none.txt"), "--out", "x.json"])
    assert missing.exit_code == 2 and "cannot read" in missing.output
