"""Who can cover a duty: the exact score change of each officer who can, fast on a real week."""

from __future__ import annotations

import random
import time
from dataclasses import replace

import pytest

from solver.check import check_assignments
from solver.cover import Scorer, who_can_cover
from solver.domain import Request, RequestKind
from solver.io.load import load_scenario, scenario_from_dict
from solver.solve import SolveOptions, solve
from tests.solver.builders import ZHANGYE, build, day, iso, officer
from tests.solver.builders import duty as on
from tests.solver.random_scenarios import random_scenario, random_v2_scenario


@pytest.mark.parametrize("seed", range(8))
def test_cover_score_changes_are_exact(seed):
    s = scenario_from_dict(random_scenario(200 + seed))
    roster = list(solve(s, SolveOptions(time_limit=1)).assignments)
    if not roster:
        pytest.skip("empty roster")
    rng = random.Random(seed)
    scorer = Scorer(s, roster)
    before = check_assignments(s, roster).score.as_dict()
    for duty in rng.sample(roster, min(4, len(roster))):
        for cover in who_can_cover(s, roster, duty, scorer):
            changed = [a for a in roster if a != duty] + [replace(duty, officer=cover.officer.id)]
            report = check_assignments(s, changed)
            assert bool(report.violations) == (not cover.can), (duty, cover)
            if cover.can:
                after = report.score.as_dict()
                assert cover.delta == {t: after[t] - before[t] for t in cover.delta}, (duty, cover)


def test_who_can_cover_is_fast_on_the_zhangye_week():
    s = load_scenario(ZHANGYE)
    roster = solve(s, SolveOptions(time_limit=4)).assignments
    duty = next(a for a in roster if a.post.startswith("gz-") and a.shift == "N")
    started = time.perf_counter()
    covers = who_can_cover(s, roster, duty)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0
    able = [c for c in covers if c.can]
    assert able and all(not c.can for c in covers[len(able) :])
    group = s.group_of(duty.officer)  # the holder's duty group (v2) comes first, then best score change
    mates = set() if group is None else set(group.members)
    ranks = [(c.officer.id not in mates, c.total) for c in able]
    assert ranks == sorted(ranks)
    blocked = {b.rule for c in covers for b in c.blocks}
    assert {"overlap", "min_rest"} & blocked


def test_a_member_of_the_same_group_is_ranked_first_with_the_score_change_shown():
    s = build(
        format=2,
        officers=[officer(o) for o in ("a0", "a1", "a2")],
        groups=[
            {"id": "G1", "name": "G1", "members": ["a1", "a2"], "pattern": {"start": iso(0), "days": ["D"]}},
            {"id": "G2", "name": "G2", "members": ["a0"]},
        ],
    )
    # a0 asks for that very duty: taking it is better for the score, yet the group mate comes first
    s = replace(
        s,
        officers=(
            replace(s.officer("a0"), requests=(Request(RequestKind.SHIFT_ON, day(0), 1, "D"),)),
            *s.officers[1:],
        ),
    )
    roster = [on("a1", "p1", "D", 0), on("a2", "p1", "D", 1), on("a1", "p1", "D", 1)]
    before = check_assignments(s, roster).score.as_dict()
    covers = [c for c in who_can_cover(s, roster, roster[0]) if c.can]
    assert [c.officer.id for c in covers][:2] == ["a2", "a0"]
    mate, other = covers[0], covers[1]
    assert mate.delta["pattern"] == 0 and mate.delta["group_split"] == 0  # a1 leaves D, a2 takes it
    assert other.delta["pattern"] == 5 and other.delta["requests"] == -10 and other.total < mate.total
    for cover in covers:
        changed = [a for a in roster if a != roster[0]] + [replace(roster[0], officer=cover.officer.id)]
        after = check_assignments(s, changed).score.as_dict()
        assert cover.delta == {t: after[t] - before[t] for t in cover.delta}


def test_the_group_split_change_of_a_cover_is_exact():
    s = build(
        format=2,
        officers=[officer(o) for o in ("b1", "b2", "b3")],
        groups=[{"id": "G", "name": "G", "members": ["b1", "b2", "b3"]}],
    )
    roster = [on("b1", "p1", "D", 2), on("b2", "p2", "D", 2)]  # split: 10
    before = check_assignments(s, roster).score
    assert before.group_split == 10
    (b3,) = [c for c in who_can_cover(s, roster, roster[1]) if c.officer.id == "b3"]
    assert b3.delta["group_split"] == 0  # still p1 and p2
    (b2,) = [c for c in who_can_cover(s, [roster[0]], on("b3", "p2", "E", 2)) if c.officer.id == "b2"]
    assert b2.delta["group_split"] == 10


@pytest.mark.parametrize("seed", range(6))
def test_cover_score_changes_are_exact_with_the_v2_rules_and_overstaffing(seed):
    doc = random_v2_scenario(300 + seed)
    for o in doc["officers"]:  # a cover takes a duty from its holder: minimum rules are not judged
        o.pop("rules", None)
    s = scenario_from_dict(doc)
    roster = list(solve(s, SolveOptions(time_limit=1, workers=1)).assignments)
    if not roster:
        pytest.skip("empty roster")
    rng = random.Random(seed)
    scorer = Scorer(s, roster)
    before = check_assignments(s, roster).score.as_dict()
    for duty in rng.sample(roster, min(4, len(roster))):
        for cover in who_can_cover(s, roster, duty, scorer):
            changed = [a for a in roster if a != duty] + [replace(duty, officer=cover.officer.id)]
            report = check_assignments(s, changed)
            assert bool(report.violations) == (not cover.can), (duty, cover, report.violations[:2])
            if cover.can:
                after = report.score.as_dict()
                assert cover.delta == {t: after[t] - before[t] for t in cover.delta}, (duty, cover)
    removed = scorer.move(roster[0], None, roster[0].officer)
    after = check_assignments(s, roster[1:]).score.as_dict()
    assert removed == {t: after[t] - before[t] for t in removed}
