"""The normal month's county brigades keep their checkpoints by duty groups on 四班三运转: four
groups per checkpoint, each one shift's staff (a duty leader and one more), the pattern
N N D D E E - - with starts two days apart, so every shift of every date has exactly one group."""

from __future__ import annotations

from collections import Counter

from data.generate_zhangye import FOUR_SHIFT_PATTERN, brigade_units, generate, normal_month
from solver.check import check_assignments
from solver.greedy import greedy_roster
from solver.io.load import scenario_from_dict


def test_brigade_checkpoints_are_kept_by_four_groups_on_four_shift_rotation() -> None:
    doc = normal_month(generate(days=7))
    s = scenario_from_dict(doc)
    brigades = set(brigade_units(doc))
    assert brigades == {"linze", "gaotai", "shandan", "minle", "sunan"}
    checkpoints = [p for p in s.posts if p.unit in brigades]
    rotating = [g for g in s.groups if g.pattern is not None]
    assert len(rotating) == 4 * len(checkpoints)
    leaders = {o.id for o in s.officers if "leader" in o.skills}
    for g in rotating:
        assert g.pattern is not None and g.pattern.days == FOUR_SHIFT_PATTERN
        assert len(g.members) == 2 and len(set(g.members) & leaders) == 1
    for post in checkpoints:
        assert {c.shift for c in post.coverage} == {"N", "D", "E"}
        assert all(c.min == 2 and c.skills.get("leader") == 1 for c in post.coverage)
        mine = [g for g in rotating if g.id.startswith(f"{post.id}-")]
        for day in s.dates:
            working = Counter(g.pattern.shift_on(day) for g in mine if g.pattern is not None)
            assert working == Counter({"N": 1, "D": 1, "E": 1, None: 1}), (post.id, day)
    # the greedy first roster starts from the patterns and keeps every hard rule
    report = check_assignments(s, greedy_roster(s))
    assert not report.violations
    members = sum(len(g.members) for g in rotating)
    assert report.score.pattern <= 5 * members * s.days // 10  # at most a tenth of the member-days depart
