"""Version-2 rules on duty dates: duties per day, and forbidden successions (judged on dates)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from solver.model.base import Literal, Penalty, RosterModel


def max_duties_per_day(m: RosterModel) -> list[Penalty]:
    """At most `max_duties_per_day` duties of an officer start on any horizon date."""
    for officer in m.officers:
        limit = m.scenario.rules_for(officer).max_duties_per_day
        if limit is None:
            continue
        by_date: dict[date, list[Literal]] = defaultdict(list)
        for t, lit in m.works(officer.id):
            by_date[t.date].append(lit)
        for lits in by_date.values():
            if len(lits) > limit:
                m.cp.add(sum(lits) <= limit)
    return []


def forbidden_succession(m: RosterModel) -> list[Penalty]:
    """A duty of shift `first` on date D (a history duty too) forbids a duty of any shift in `then`
    starting on D + 1, whatever the hours between them."""
    for officer in m.officers:
        rules = m.scenario.rules_for(officer)
        if not rules.forbidden_successions:
            continue
        works = m.works(officer.id)
        by_date: dict[date, list[tuple[str, Literal]]] = defaultdict(list)
        for t, lit in works:
            by_date[t.date].append((t.shift, lit))
        for h in m.history[officer.id]:
            banned = rules.forbidden_after(h.shift)
            for shift, lit in by_date.get(h.date + timedelta(days=1), ()):
                if shift in banned:
                    m.cp.add(lit == 0)
        for t, lit in works:
            banned = rules.forbidden_after(t.shift)
            if not banned:
                continue
            for shift, later in by_date.get(t.date + timedelta(days=1), ()):
                if shift in banned:
                    m.cp.add_bool_or([lit.Not(), later.Not()])
    return []
