"""Re-planning a published roster with minimal change.

- `worked_duties`: the duties of a roster already worked by a moment (facts, whatever the change),
  and `with_past`: a scenario with them pinned, the published roster as baseline, the past frozen;
- `replan`: the solver with the duties worked pinned, the published roster as baseline (the spec's
  `changes` term) and what still holds as its start, so few duties change;
- `stretch`: a scenario over the days of the duties published after it too, so that a re-plan or
  a cover keeps the rules it shares with them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from solver.check import check_assignments
from solver.domain import Assignment, Coverage, Officer, Roster, Scenario, frozen_map
from solver.explain import shortfall_reasons
from solver.minimums import has_minimum_rule
from solver.roles import with_roles
from solver.solve import SolveOptions, solve
from solver.solve.components import components
from solver.solve.options import ProgressCallback, SolverError, StopCheck
from solver.still_valid import still_valid
from solver.timeline import Timeline, overlaps


def replan(
    s: Scenario,
    published: Sequence[Assignment],
    now: datetime | None = None,
    options: SolveOptions | None = None,
    on_progress: ProgressCallback | None = None,
    should_stop: StopCheck | None = None,
    affected_units: Iterable[str] | None = None,
    following: Sequence[Assignment] = (),
) -> Roster:
    """Re-plan `s` (already holding the change: new leave, new coverage) around the `published`
    roster. Duties starting before `now` (local wall-clock time) are facts and stay; every other
    published duty costs `weights.change` when it goes.

    Only the independent parts (see `solver.solve.components`) holding an `affected_units` unit
    are re-solved (default: the parts where a published duty no longer holds); the others keep
    their published duties as they are.

    `following`: duties already published for the days after the horizon. The re-plan keeps the
    rules it shares with them (rest, 7-day minutes, consecutive days and nights): it is solved
    on the horizon stretched over them, with them pinned and no other slot on those days, and
    returned without them, scored on `s`."""
    if following:
        stretched = stretch(s, following)
        roster = replan(
            stretched,
            [*published, *following],
            now,
            options,
            on_progress,
            should_stop,
            affected_units,
        )
        if roster.status == "INFEASIBLE":
            return roster
        kept = [a for a in roster.assignments if a.date < s.end]
        return _rescored(with_past(s, published, now), kept, roster)
    return _replan(s, published, now, options, on_progress, should_stop, affected_units)


def worked_duties(s: Scenario, duties: Iterable[Assignment], now: datetime) -> list[Assignment]:
    """The duties that started before `now` (local wall-clock time), inside the horizon, and overlap
    no span their officer is away (`Officer.away`): facts, whatever the change. Duties naming an unknown
    officer, post or shift type are left out."""
    timeline = Timeline(s)
    cutoff = timeline.instant(now)
    out = []
    for a in duties:
        if not (s.has_officer(a.officer) and s.has_post(a.post) and s.has_shift(a.shift)):
            continue
        start, end = timeline.duty(a.shift, a.date)
        spans = [interval for _, interval in timeline.away(s.officer(a.officer))]
        if start < cutoff and s.in_horizon(a.date) and not any(overlaps((start, end), x) for x in spans):
            out.append(a)
    return out


def with_past(s: Scenario, published: Sequence[Assignment], now: datetime | None) -> Scenario:
    """`s` with the published roster as baseline and, before `now`, the duties worked pinned and
    the past frozen."""
    worked = [] if now is None else worked_duties(s, published, now)
    return replace(
        s, pinned=tuple(dict.fromkeys((*s.pinned, *worked))), baseline=tuple(published), frozen_until=now
    )


def stretch(s: Scenario, following: Sequence[Assignment]) -> Scenario:
    """`s` over the days of `following` too: those duties pinned, each in a slot made for it
    (exactly as many officers as it has), and no other slot on those days; the scenario's own
    coverage keeps to its own dates. An officer's `busy` spans that are these very duties go: the
    duties are part of this scenario now. (Duties dated inside the horizon are not `following`.)"""
    following = [a for a in following if a.date >= s.end]
    if not following:
        return s
    extra = (max(a.date for a in following) - s.end).days + 1
    own = s.dates
    counts: dict[tuple[str, str, date], int] = {}
    for a in following:
        counts[(a.post, a.shift, a.date)] = counts.get((a.post, a.shift, a.date), 0) + 1
    posts = []
    for post in s.posts:
        coverage = [
            replace(c, days=tuple(day.isoformat() for day in own if c.selects(day))) for c in post.coverage
        ]
        coverage += [
            Coverage(shift, n, n, frozen_map({}), (day.isoformat(),))
            for (post_id, shift, day), n in sorted(counts.items())
            if post_id == post.id
        ]
        posts.append(replace(post, coverage=tuple(coverage)))
    theirs: dict[str, set[tuple[datetime, datetime]]] = defaultdict(set)
    for a in following:
        begin = datetime.combine(a.date, s.shift(a.shift).start)
        theirs[a.officer].add((begin, begin + timedelta(minutes=s.shift(a.shift).minutes)))
    officers = tuple(
        replace(
            o,
            busy=tuple(x for x in o.busy if (x.start, x.end) not in theirs[o.id]),
            rule_overrides=_stretched_rules(s, o, [a for a in following if a.officer == o.id]),
        )
        if o.id in theirs
        else o
        for o in s.officers
    )
    return replace(
        s,
        days=s.days + extra,
        posts=tuple(posts),
        officers=officers,
        pinned=tuple(dict.fromkeys((*s.pinned, *following))),
    )


def _stretched_rules(s: Scenario, o: Officer, theirs: Sequence[Assignment]) -> Mapping[str, Any]:
    """The officer's overrides on the stretched horizon, so that the v2 rules counted over the
    horizon judge the horizon of `s` alone: their `following` duties (fixed) are added to
    `min_/max_minutes_per_horizon` and `max_duties_by_shift`, and the weekends lying wholly after
    `s` on which they have one to `max_weekends`. (The date-based rules judge the days after too,
    as rest does: a weekend cut by the horizon's end, and runs through its last date, are judged
    at least as strictly as on `s`, so what holds stretched holds on `s`.)"""
    r = s.rules_for(o)
    out: dict[str, Any] = dict(o.rule_overrides)
    minutes = sum(s.shift(a.shift).minutes for a in theirs)
    if r.min_minutes_per_horizon is not None:
        out["min_minutes_per_horizon"] = r.min_minutes_per_horizon + minutes
    if r.max_minutes_per_horizon is not None:
        out["max_minutes_per_horizon"] = r.max_minutes_per_horizon + minutes
    if r.max_duties_by_shift:
        counts = Counter(a.shift for a in theirs)
        out["max_duties_by_shift"] = frozen_map({k: v + counts[k] for k, v in r.max_duties_by_shift.items()})
    if r.max_weekends is not None:
        after = {a.date - timedelta(days=a.date.weekday() - 5) for a in theirs if a.date.weekday() >= 5}
        out["max_weekends"] = r.max_weekends + sum(1 for saturday in after if saturday >= s.end)
    return frozen_map(out)


def _replan(
    s: Scenario,
    published: Sequence[Assignment],
    now: datetime | None,
    options: SolveOptions | None,
    on_progress: ProgressCallback | None,
    should_stop: StopCheck | None,
    affected_units: Iterable[str] | None,
) -> Roster:
    changed = with_past(s, published, now)
    holding = still_valid(changed, published)
    if affected_units is None:
        lost = set(published) - set(holding)
        affected = {u for a in lost if s.has_officer(a.officer) for u in (s.officer(a.officer).unit,)}
        affected |= {s.post(a.post).unit for a in lost if s.has_post(a.post)}
    else:
        affected = set(affected_units)
    keep: list[Assignment] = []
    focus: list[Scenario] = []
    lost_officers = {a.officer for a in set(published) - set(holding)}
    for part in components(changed):
        # a part that lost a duty is re-solved when one of its officers has a v2 minimum rule:
        # dropping the duty alone could leave them below it
        short = any(o.id in lost_officers and has_minimum_rule(changed, o) for o in part.officers)
        if short or affected & {u.id for u in part.units}:
            focus.append(part)
        else:
            members = {o.id for o in part.officers}
            keep += [a for a in holding if a.officer in members]
    if not focus:
        focus_scenario = replace(changed, posts=(), officers=(), pinned=(), baseline=(), groups=())
    else:
        focus_scenario = replace(
            changed,
            units=tuple(u for p in focus for u in p.units),
            posts=tuple(x for p in focus for x in p.posts),
            officers=tuple(o for p in focus for o in p.officers),
            pinned=tuple(a for p in focus for a in p.pinned),
            baseline=tuple(a for p in focus for a in p.baseline),
            groups=tuple(g for p in focus for g in p.groups),
        )
    roster = solve(focus_scenario, options, on_progress=on_progress, should_stop=should_stop, start=holding)
    if roster.status == "INFEASIBLE":
        return roster
    return _rescored(changed, [*keep, *roster.assignments], roster)


def _rescored(s: Scenario, assignments: list[Assignment], focus: Roster) -> Roster:
    """The whole roster: re-solved parts and kept parts together, scored by the referee (the kept
    parts add a constant, so the bound moves by the same amount)."""
    report = check_assignments(s, assignments)
    if report.violations:
        raise SolverError(
            f"re-planned roster breaks {len(report.violations)} rule(s): {report.violations[:3]}"
        )
    constant = report.score.total - (focus.objective or 0)
    rescored = replace(
        focus,
        assignments=tuple(sorted(assignments)),
        objective=report.score.total,
        score=report.score,
        bound=None if focus.bound is None else focus.bound + constant,
        shortfalls=tuple(shortfall_reasons(s, assignments, report.shortfalls)),
    )
    return with_roles(s, rescored)
