"""`roster check` on the Zhangye sample week with a hand-made roster: it reports exactly the
violations planted in it, no more and no fewer.

The roster below is written by hand. Each block plants one kind of violation with officers chosen
for their data in `data/zhangye-2021-11-08.json` (history, leave, per-officer rules), and several
blocks sit exactly at a limit next to the one they break, so a checker that counts one too many
or one too few would report something extra."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from app.cli import app
from solver.check import check_roster
from solver.io.load import load_scenario
from solver.io.roster import roster_from_dict

ZHANGYE = Path(__file__).parents[1] / "data" / "zhangye-2021-11-08.json"

# (officer, post, shift, date) - the pins of the sample, minus ml-002's, plus the planted duties
HAND_MADE = [
    # pins: two of the three are kept; ml-002 / ml-g3011-xihuishan / E / 11-10 is left out
    ("gz-187", "gz-g30-dong", "D", "2021-11-08"),
    ("gz-073", "gz-hosp-shi", "D", "2021-11-09"),
    # a Linze officer at a Gaotai checkpoint
    ("lz-001", "gt-g30-gaotai", "D", "2021-11-10"),
    # hq-022 is on sick leave 11-11..11-14
    ("hq-022", "gz-depot-1", "D", "2021-11-12"),
    # gz-002 at two depots in the same shift
    ("gz-002", "gz-depot-1", "D", "2021-11-09"),
    ("gz-002", "gz-depot-2", "D", "2021-11-09"),
    # gz-003: evening then day shift, 8 h between them (11 h required)
    ("gz-003", "gz-g30-nan", "E", "2021-11-09"),
    ("gz-003", "gz-g30-nan", "D", "2021-11-10"),
    # gz-005 worked E on 11-07 (history): 8 h of rest before this duty. It is also their 6th day
    # in a row (limit 6) and the window 11-02..11-08 holds exactly 2880 minutes (limit 2880): both
    # at the limit, not over it.
    ("gz-005", "gz-g30-xi", "D", "2021-11-08"),
    # gz-157 has max_minutes_per_7_days 2400 and five D duties 11-02..11-06 in history (2400 min)
    ("gz-157", "gz-depot-2", "D", "2021-11-08"),
    # hq-003 worked nights 11-05..11-07 (history): a 4th night in a row
    ("hq-003", "gz-g30-dong", "N", "2021-11-08"),
    # gz-047 worked PM 11-03..11-07 (history, ends 20:00): AM on 11-08 is exactly 11 h later and
    # the 6th day in a row (both at the limit); AM on 11-09 is the 7th day
    ("gz-047", "gz-ix-01", "AM", "2021-11-08"),
    ("gz-047", "gz-ix-01", "AM", "2021-11-09"),
    # gz-019 (no recent history) every day of the week: 7 days in a row, no day off; intersections
    # have no weekend peaks, so Saturday and Sunday are day shifts (2460 minutes in all, under 2880)
    *[("gz-019", "gz-ix-02", "AM", f"2021-11-{day:02d}") for day in range(8, 13)],
    ("gz-019", "gz-g30-jiantan", "D", "2021-11-13"),
    ("gz-019", "gz-g30-jiantan", "D", "2021-11-14"),
    # five officers in a night slot of at most four
    *[(o, "gz-g30-dong", "N", "2021-11-12") for o in ("gz-024", "gz-060", "gz-067", "gz-089", "gz-097")],
    # a checkpoint has no morning-peak slot
    ("gz-103", "gz-g30-jiantan", "AM", "2021-11-11"),
    # the same duty listed twice
    ("gz-106", "gz-depot-1", "D", "2021-11-13"),
    ("gz-106", "gz-depot-1", "D", "2021-11-13"),
    # an officer the scenario does not know
    ("gz-999", "gz-depot-2", "D", "2021-11-13"),
]

# (rule, officer, post, date) - exactly what was planted above
PLANTED = {
    ("pinned_missing", "ml-002", "ml-g3011-xihuishan", "2021-11-10"),
    ("serves_unit", "lz-001", "gt-g30-gaotai", "2021-11-10"),
    ("unavailable", "hq-022", "gz-depot-1", "2021-11-12"),
    ("overlap", "gz-002", "gz-depot-2", "2021-11-09"),
    ("min_rest", "gz-003", "gz-g30-nan", "2021-11-10"),
    ("min_rest", "gz-005", "gz-g30-xi", "2021-11-08"),
    ("max_minutes_per_7_days", "gz-157", None, "2021-11-02"),
    ("max_consecutive_nights", "hq-003", None, "2021-11-08"),
    ("max_consecutive_days", "gz-047", None, "2021-11-09"),
    ("max_consecutive_days", "gz-019", None, "2021-11-14"),
    ("min_days_off_per_7_days", "gz-019", None, "2021-11-08"),
    ("coverage_max", None, "gz-g30-dong", "2021-11-12"),
    ("no_coverage_slot", "gz-103", "gz-g30-jiantan", "2021-11-11"),
    ("duplicate_assignment", "gz-106", "gz-depot-1", "2021-11-13"),
    ("unknown_reference", "gz-999", "gz-depot-2", "2021-11-13"),
}


def roster_doc() -> dict:
    return {
        "scenario": "zhangye-2021-11-08",
        "status": "FEASIBLE",
        "assignments": [{"officer": o, "post": p, "shift": s, "date": d} for o, p, s, d in HAND_MADE],
    }


def test_the_checker_finds_exactly_the_planted_violations():
    roster, claimed = roster_from_dict(roster_doc())
    assert claimed is None
    report = check_roster(load_scenario(ZHANGYE), roster)
    found = [(v.rule, v.officer, v.post, v.date.isoformat() if v.date else None) for v in report.violations]
    assert sorted(found, key=str) == sorted(PLANTED, key=str)  # each once, nothing else


def test_roster_check_prints_each_planted_violation_and_exits_1(tmp_path):
    roster = tmp_path / "hand-made.json"
    roster.write_text(json.dumps(roster_doc()), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(ZHANGYE), str(roster)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("VIOLATION ")]
    assert len(lines) == len(PLANTED)
    for rule, officer, post, day in PLANTED:
        expected = " ".join(
            [f"VIOLATION {rule}"]
            + ([f"officer={officer}"] if officer else [])
            + ([f"post={post}"] if post else [])
            + [f"date={day}"]
        )
        assert any(line.startswith(expected + ":") for line in lines), (expected, lines)
    # the score breakdown is printed too: nearly every slot of the week is unstaffed
    assert "shortfall" in result.stdout
