"""Re-planning a published roster: few changes, the duties already worked, the week published after."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bench.groups_bench import rotation_doc, with_leave
from solver.check import check_assignments
from solver.diff import diff
from solver.domain import Assignment, Span
from solver.io.load import load_scenario, scenario_from_dict
from solver.replan import replan, stretch, with_past, worked_duties
from solver.solve import SolveOptions, solve
from tests.solver.builders import ZHANGYE, at, build, coverage, duty, officer, post


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


def test_replan_keeps_the_rules_it_shares_with_the_week_published_after(small_roster):
    """An officer on leave on the last evening: whoever takes that duty must not be on the day
    shift at 08:00 the next morning, a duty of the week published after this one."""
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
    theirs = {"start": at(7, "08:00"), "end": at(7, "16:00"), "reason": "on duty at p1 (roster 2)"}
    other = {"start": at(7, "16:00"), "end": at(7, "17:00"), "reason": "on duty at q1 (roster 3)"}
    leave = {"start": at(7, "08:00"), "end": at(7, "16:00"), "reason": "leave"}
    s = build(officers=[officer("o1", busy=[theirs, other]), officer("o2", unavailable=[leave])])
    following = [duty("o1", "p1", "D", 7), duty("o2", "p1", "D", 7)]
    stretched = stretch(s, following)
    assert [x.reason for x in stretched.officer("o1").busy] == ["on duty at q1 (roster 3)"]
    assert stretched.officer("o2").unavailable == s.officer("o2").unavailable
    assert stretched.days == s.days + 1 and set(following) <= set(stretched.pinned)


def test_worked_duties_are_the_duties_started_before_now_that_no_absence_cancelled():
    s = build(
        officers=[
            officer("o1"),
            officer("o2", unavailable=[{"start": at(1, "00:00"), "end": at(2, "00:00")}]),
            officer("o3", busy=[{"start": at(0, "20:00"), "end": at(0, "21:00")}]),
        ]
    )
    published = [
        duty("o1", "p1", "D", 0),  # worked
        duty("o1", "p1", "D", 2),  # after now
        duty("o2", "p1", "D", 1),  # on leave since: not worked
        duty("o3", "p1", "E", 0),  # busy elsewhere during it: not worked
        duty("o1", "p1", "N", -1),  # before the horizon: not this roster's
        duty("gone", "p1", "D", 0),  # unknown officer
    ]
    now = datetime.fromisoformat(at(2, "07:00"))
    assert worked_duties(s, published, now) == [duty("o1", "p1", "D", 0)]
    past = with_past(s, published, now)
    assert past.frozen_until == now and past.baseline == tuple(published)
    assert past.pinned == (duty("o1", "p1", "D", 0),)
    assert with_past(s, published, None).pinned == s.pinned


def test_replan_keeps_a_v2_minimum_when_a_part_outside_the_affected_units_loses_a_duty():
    doc_rules = {"min_days_off_per_7_days": 0, "min_rest_minutes": 0}
    posts = [
        post("p1", cover=[coverage("D", min=1, max=2)]),
        post("q1", "u2", cover=[coverage("D", min=1, max=1)]),
    ]
    officers = [
        officer("o1", rules={"min_minutes_per_horizon": 960}),
        officer("o2"),
        officer("o3", unit="u2"),
    ]
    s = build(format=2, rules=doc_rules, posts=posts, officers=officers)
    published = list(solve(s, SolveOptions(time_limit=3, workers=1)).assignments)
    first = min(a for a in published if a.officer == "o1")
    leave = Span(
        datetime.combine(first.date, datetime.min.time()),
        datetime.combine(first.date, datetime.min.time()) + timedelta(days=1),
        "sick",
    )
    changed = replace(
        s, officers=tuple(replace(o, unavailable=(leave,)) if o.id == "o1" else o for o in s.officers)
    )
    roster = replan(changed, published, options=SolveOptions(time_limit=3, workers=1), affected_units=["u2"])
    assert not check_assignments(changed, roster.assignments).violations
    assert first not in roster.assignments
    assert sum(1 for a in roster.assignments if a.officer == "o1") >= 2


def test_a_leave_inside_a_group_keeps_the_rest_of_the_group_on_its_pattern():
    s = scenario_from_dict(rotation_doc(days=16))
    published = solve(s, SolveOptions(time_limit=5, workers=1, seed=1))
    assert published.score is not None and published.score.pattern == 0
    changed = scenario_from_dict(with_leave(rotation_doc(days=16)))
    now = datetime.combine(s.start, datetime.min.time())
    roster = replan(changed, published.assignments, now, SolveOptions(time_limit=5, workers=1, seed=1))
    assert not check_assignments(
        with_past(changed, published.assignments, now), roster.assignments
    ).violations
    change = diff(published.assignments, roster.assignments)
    assert {a.officer for a in change.removed} == {"A1"} and len(change.removed) == 3
    assert all(a.officer.startswith("R") for a in change.added)  # the reserves take them
    assert roster.score is not None
    assert (roster.score.pattern, roster.score.group_split, roster.score.shortfall) == (0, 0, 0)
    assert roster.score.changes == 3 * 20


def test_stretch_keeps_the_v2_horizon_totals_to_the_horizon_of_the_scenario():
    rules = {"max_minutes_per_horizon": 960, "min_minutes_per_horizon": 480, "max_duties_by_shift": {"D": 2}}
    s = build(
        format=2,
        horizon={"start": "2021-11-08", "days": 7},
        officers=[officer("o1", rules={**rules, "max_weekends": 1}), officer("o2")],
    )
    following = [
        duty("o1", "p1", "D", 7),
        duty("o1", "p1", "D", 12),
        duty("o1", "p1", "D", 13),
    ]  # Mon; Sat, Sun
    r = stretch(s, following).rules_for(stretch(s, following).officer("o1"))
    assert (r.max_minutes_per_horizon, r.min_minutes_per_horizon) == (960 + 1440, 480 + 1440)
    assert dict(r.max_duties_by_shift) == {"D": 5} and r.max_weekends == 2
    assert stretch(s, following).rules_for(stretch(s, following).officer("o2")) == s.rules
    roster = replan(
        s, [duty("o1", "p1", "D", 1)], following=following, options=SolveOptions(time_limit=2, workers=1)
    )
    assert not check_assignments(s, roster.assignments).violations
    assert 1 <= sum(1 for a in roster.assignments if a.officer == "o1") <= 2
