"""What the referee, the models, the ledger and greedy agree on for duty groups, rotation patterns and
owed rest (format version 2): which dates a pattern judges, what it asks on each, and which dates
an owed-rest entry counts days off among.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from solver.domain import Group, Officer, OwedRest, Scenario
from solver.timeline import Timeline, overlaps


def pattern_wants(group: Group, day: date) -> frozenset[str]:
    """The set of shifts the group's pattern asks of each member on `day` (empty: no duty)."""
    assert group.pattern is not None
    shift = group.pattern.shift_on(day)
    return frozenset() if shift is None else frozenset((shift,))


def pattern_departs(group: Group, day: date, shifts: Iterable[str]) -> bool:
    """Whether the set of shifts of a member's duties starting on `day` differs from the pattern's."""
    return frozenset(shifts) != pattern_wants(group, day)


def pattern_dates(s: Scenario, timeline: Timeline, officer: Officer) -> list[date]:
    """The horizon dates on which the pattern judges `officer`: those whose calendar day no span of
    the officer's overlaps (unavailable, and busy elsewhere, which every rule treats alike)."""
    away = [interval for _, interval in timeline.away(officer)]
    return [day for day in s.dates if not any(overlaps(timeline.day(day), span) for span in away)]


def patterned(s: Scenario) -> list[tuple[Group, Officer]]:
    """(group, member) for every member of a group with a pattern, in the scenario's order."""
    return [
        (g, s.officer(m)) for g in s.groups if g.pattern is not None for m in g.members if s.has_officer(m)
    ]


def owed_rest_dates(s: Scenario, entry: OwedRest) -> tuple[date, ...] | None:
    """The horizon dates up to and including `entry.by`; None when `by` lies before the horizon (the
    entry is ignored)."""
    if entry.by < s.start:
        return None
    return tuple(day for day in s.dates if day <= entry.by)


def group_members(s: Scenario, group: Group) -> list[Officer]:
    """The members of `group` this scenario holds (a part of a scenario holds all or none)."""
    return [s.officer(m) for m in group.members if s.has_officer(m)]
