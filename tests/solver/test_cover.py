"""Who can cover a duty: the exact score change of each officer who can, fast on a real week."""

from __future__ import annotations

import random
import time
from dataclasses import replace

import pytest

from solver.check import check_assignments
from solver.cover import Scorer, who_can_cover
from solver.io.load import load_scenario, scenario_from_dict
from solver.solve import SolveOptions, solve
from tests.solver.builders import ZHANGYE
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
    assert [c.total for c in able] == sorted(c.total for c in able)
    blocked = {b.rule for c in covers for b in c.blocks}
    assert {"overlap", "min_rest"} & blocked


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
