"""Changing a published roster: what still holds, who can cover, minimal-change re-planning."""

from __future__ import annotations

import random
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from solver.check import check_assignments
from solver.cover import Scorer, who_can_cover
from solver.diff import diff
from solver.domain import Assignment, Span
from solver.io.load import load_scenario, scenario_from_dict
from solver.replan import replan
from solver.solve import SolveOptions, solve
from solver.still_valid import still_valid
from tests.solver.random_scenarios import random_scenario

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "data" / "example-small.json"
ZHANGYE = ROOT / "data" / "zhangye-2021-11-08.json"


@pytest.fixture(scope="module")
def small_roster():
    s = load_scenario(SMALL)
    return s, solve(s, SolveOptions(time_limit=2)).assignments


def test_still_valid_drops_what_new_leave_breaks(small_roster):
    s, roster = small_roster
    victim = next(a for a in roster if a.date.day == 10).officer
    leave = Span(datetime(2021, 11, 10), datetime(2021, 11, 12), "sick")
    changed = replace(
        s,
        officers=tuple(
            replace(o, unavailable=(*o.unavailable, leave)) if o.id == victim else o for o in s.officers
        ),
    )
    kept = still_valid(changed, roster)
    dropped = set(roster) - set(kept)
    assert dropped and all(a.officer == victim and a.date.day in (10, 11) for a in dropped)
    assert not check_assignments(changed, kept).violations


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


def test_replan_after_three_days_of_leave_changes_few_duties():
    s = load_scenario(ZHANGYE)
    published = solve(s, SolveOptions(time_limit=6)).assignments
    officer = max(
        {a.officer for a in published if a.post.startswith("gz-g30")},
        key=lambda o: sum(1 for a in published if a.officer == o and 10 <= a.date.day <= 12),
    )
    leave = Span(datetime(2021, 11, 10), datetime(2021, 11, 13), "sick leave")
    changed = replace(
        s,
        officers=tuple(
            replace(o, unavailable=(*o.unavailable, leave)) if o.id == officer else o for o in s.officers
        ),
    )
    roster = replan(changed, published, now=datetime(2021, 11, 9, 12, 0), options=SolveOptions(time_limit=6))
    d = diff(published, roster.assignments)
    lost = [a for a in published if a.officer == officer and 10 <= a.date.day <= 12]
    assert lost and set(lost) <= set(d.removed)
    assert d.changed <= 6 * len(lost)  # a handful per lost duty, not a reshuffled week
    assert all(a.date.day > 9 or a in roster.assignments for a in published if a.date.day <= 8)
    assert not any(a.officer == officer and 10 <= a.date.day <= 12 for a in roster.assignments)
    assert roster.score.changes == s.weights.change * len(d.removed)


def test_diff_by_officer():
    a = Assignment(date=datetime(2021, 11, 8).date(), shift="D", post="p", officer="x")
    b = replace(a, officer="y")
    d = diff([a], [b])
    assert d.by_officer() == {"x": {"added": [], "removed": [a]}, "y": {"added": [b], "removed": []}}
    assert d.changed == 2


def test_replan_keeps_the_rules_it_shares_with_the_week_published_after(small_roster):
    """An officer on leave on the last evening: whoever takes that duty must not be on the day
    shift at 08:00 the next morning, a duty of the week published after this one."""
    from datetime import timedelta

    from solver.replan import stretch

    s, published = small_roster
    last = s.end - timedelta(days=1)
    evening = next(a for a in published if a.date == last and a.shift == "E")
    busy_last = {a.officer for a in published if a.date == last}
    # next Monday's day shifts for everyone free on Sunday who serves the post's unit: the natural
    # takers of the evening duty
    unit = s.post(evening.post).unit
    early = [o.id for o in s.officers if o.id not in busy_last and unit in o.serves]
    assert early
    following = [Assignment(s.end, "D", evening.post, o) for o in early]
    leave = Span(datetime.combine(last, datetime.min.time()), datetime.combine(s.end, datetime.min.time()))
    changed = replace(
        s,
        officers=tuple(
            replace(o, unavailable=(*o.unavailable, leave)) if o.id == evening.officer else o
            for o in s.officers
        ),
    )
    now = datetime.combine(s.start + timedelta(days=1), datetime.min.time())
    roster = replan(
        changed, published, now=now, options=SolveOptions(time_limit=3, workers=1), following=following
    )
    assert all(a.date < s.end for a in roster.assignments)  # the next week is not part of the result
    assert not check_assignments(replace(changed, frozen_until=None), roster.assignments).violations
    # with the next week's duties, nothing breaks that did not break before
    both = stretch(changed, following)
    rules = [
        "overlap",
        "min_rest",
        "max_minutes_per_7_days",
        "max_consecutive_days",
        "max_consecutive_nights",
    ]
    before = {
        (v.rule, v.officer, v.date)
        for v in check_assignments(both, [*published, *following], rules).violations
    }
    after = {
        (v.rule, v.officer, v.date)
        for v in check_assignments(both, [*roster.assignments, *following], rules).violations
    }
    assert after <= before
    taker = {a.officer for a in roster.assignments if (a.post, a.shift, a.date) == (evening.post, "E", last)}
    assert not taker & set(early)


def test_stretch_drops_the_busy_spans_that_are_the_following_duties_and_nothing_else():
    """The service marks an officer's duties in other published rosters as `busy`; over the
    stretched horizon the following duties are pinned, so their busy spans go. Leave that happens
    to match a following duty exactly stays: it is not a duty elsewhere."""
    from solver.replan import stretch
    from tests.solver.builders import at, build, duty, officer

    theirs = {"start": at(7, "08:00"), "end": at(7, "16:00"), "reason": "on duty at p1 (roster 2)"}
    other = {"start": at(7, "16:00"), "end": at(7, "17:00"), "reason": "on duty at q1 (roster 3)"}
    leave = {"start": at(7, "08:00"), "end": at(7, "16:00"), "reason": "leave"}
    s = build(officers=[officer("o1", busy=[theirs, other]), officer("o2", unavailable=[leave])])
    following = [duty("o1", "p1", "D", 7), duty("o2", "p1", "D", 7)]
    stretched = stretch(s, following)
    assert [x.reason for x in stretched.officer("o1").busy] == ["on duty at q1 (roster 3)"]
    assert stretched.officer("o2").unavailable == s.officer("o2").unavailable
    assert stretched.days == s.days + 1 and set(following) <= set(stretched.pinned)
