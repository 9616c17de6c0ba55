"""The duty-groups benchmark's scenarios: four groups on 四班三运转 whose patterns cover every slot
exactly solve to pattern = 0 and group_split = 0; a leave inside a group moves that member's
duties only."""

from __future__ import annotations

from datetime import timedelta

from bench.groups_bench import GROUPS, LEAVE_DAYS, START, exact_cover, leave, rotation_doc, with_leave
from solver.check import check_assignments
from solver.io.load import scenario_from_dict
from solver.solve import SolveOptions, solve
from tests.solver.builders import assert_checked


def test_the_patterns_cover_every_slot_exactly_once_per_shift():
    s = scenario_from_dict(rotation_doc())
    for day in s.dates:
        shifts = [g.pattern.shift_on(day) for g in s.groups if g.pattern is not None]
        assert sorted(x for x in shifts if x) == ["D", "E", "N"] and shifts.count(None) == 1
    assert [g.pattern.start for g in s.groups if g.pattern] == [
        START + timedelta(days=2 * k) for k in range(4)
    ]
    assert [g.id for g in s.groups] == list(GROUPS)


def test_the_exact_cover_solves_to_pattern_0_and_group_split_0():
    s = scenario_from_dict(rotation_doc())
    roster = solve(s, SolveOptions(time_limit=5, workers=1, seed=1))
    assert_checked(s, roster)
    assert roster.score is not None
    assert roster.score.pattern == 0 and roster.score.group_split == 0 and roster.score.total == 0
    assert roster.status == "OPTIMAL"
    assert not any(a.officer.startswith("R") for a in roster.assignments)


def test_the_leave_moves_only_that_member_s_duties_and_the_score_names_them():
    lines, _s, published = exact_cover(5, 1)
    assert "pattern = 0" in lines[0] and "group_split = 0" in lines[0]
    (line,) = leave(published, 5, 1)
    assert "all of A1;" in line and "referee ok" in line and "pattern 0, group_split 0" in line
    changed = scenario_from_dict(with_leave(rotation_doc()))
    away = [a for a in published.assignments if a.officer == "A1" and (a.date - START).days in LEAVE_DAYS]
    assert len(away) == 3 and check_assignments(changed, published.assignments).violations
