"""Fairness inside each unit: the spread of duties and of night duties between its officers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from solver.domain import Officer
from solver.facts import fairness_eligible
from solver.model.base import Expr, Penalty, RosterModel, TimePoint
from solver.rules.coverage import head_missing


def fairness(m: RosterModel) -> list[Penalty]:
    """Per unit, `fair_duties * (most - fewest duties)` + `fair_nights * (most - fewest nights)`,
    over the unit's own officers with no unavailability in the horizon (officers without duties
    count 0). Adds the implied constraints of `implied_spread` (the objective's bound)."""
    s = m.scenario
    out = []
    spreads: dict[bool, list[tuple[Expr, list[Officer]]]] = defaultdict(list)
    for unit, officers in fairness_eligible(s, m.timeline).items():
        if len(officers) < 2:
            continue
        for what, weight, nights_only in (
            ("duties", s.weights.fair_duties, False),
            ("night duties", s.weights.fair_nights, True),
        ):
            if not weight:
                continue
            counts = [sum(lit for t, lit in m.works(o.id) if t.night or not nights_only) for o in officers]
            top = max(sum(1 for t, _ in m.works(o.id) if t.night or not nights_only) for o in officers)
            if top == 0:
                continue
            most = m.cp.new_int_var(0, top, f"most[{unit},{what}]")
            fewest = m.cp.new_int_var(0, top, f"fewest[{unit},{what}]")
            m.cp.add_max_equality(most, counts)
            m.cp.add_min_equality(fewest, counts)
            m.cp.add(most >= fewest)  # implied; the linear relaxation then never takes a spread below 0
            spreads[nights_only].append((most - fewest, officers))
            out.append(Penalty("fairness", weight, most - fewest, f"spread of {what}", unit=unit))
    for nights_only, terms in spreads.items():
        m.cache["implied_spread", nights_only] = implied_spread(m, nights_only, terms)
    return out


def implied_spread(m: RosterModel, nights_only: bool, terms: Sequence[tuple[Expr, list[Officer]]]) -> int:
    """Redundant constraints on the spreads of one measure (duties, or night duties), so that the
    bound CP-SAT proves sees what counting alone forbids (the linear relaxation of a spread is 0
    whenever the duties could be shared out fractionally).

    Let c_i be officer i's duties of the measure, and for each term j (a unit's counted officers
    F_j, n_j of them) L_j = max over F_j of `duty_floor`, C_j = min over F_j of `duty_cap`.

    1. most_j >= c_i >= L_j and fewest_j <= c_i <= C_j for every i in F_j, so
       `spread_j >= L_j - C_j` holds in every roster.
    2. Suppose a roster leaves no slot of the measure short of its head count, and every spread is
       0. Then every slot has between `min` and `max` officers, so the measure's duties, which all
       stand in those slots, total T with sum(min) <= T <= sum(max); every i in F_j has the same
       count k_j with L_j <= k_j <= C_j; and the officers in no term (their own unit counts fewer
       than two, or they are away in the horizon, or from another unit) hold between
       sum(duty_floor) and sum(duty_cap) of them. So T = sum_j n_j k_j + c for such k_j and c.
       When no choice of k_j and c reaches [sum(min), sum(max)] (checked below, exactly, over the
       sums sum_j n_j k_j), no roster has both: `sum_j spread_j + sum(head missing) >= 1` holds in
       every roster, and the bound then pays the cheaper of a spread and a missing officer.

    Neither cuts off a roster; tests/solver/rules/test_fairness_bound.py checks that the optimum
    is the same with and without them. Returns the number of constraints added."""
    added = 0
    for spread, officers in terms:
        floor_ = max(duty_floor(m, o, nights_only) for o in officers)
        cap = min(duty_cap(m, o, nights_only) for o in officers)
        if floor_ > cap:
            m.cp.add(spread >= floor_ - cap)
            added += 1
    if "head_missing" not in m.cache:  # the shortfall rule was not built: no head counts to tie to
        return added
    heads = head_missing(m)
    night = {t.id for t in m.scenario.shift_types if t.night}
    slots = [sl for sl in m.slots if not nights_only or sl.shift in night]
    low, high = sum(sl.min for sl in slots), sum(sl.max for sl in slots)
    counted = {o.id for _, officers in terms for o in officers}
    others = [o for o in m.officers if o.id not in counted]
    others_low = sum(duty_floor(m, o, nights_only) for o in others)
    others_high = sum(duty_cap(m, o, nights_only) for o in others)
    reach = {0}  # the sums of n_j k_j so far (beyond `high`, no use)
    for _, officers in terms:
        k_low = max(duty_floor(m, o, nights_only) for o in officers)
        k_high = min(duty_cap(m, o, nights_only) for o in officers)
        n = len(officers)
        reach = {r + n * k for r in reach for k in range(k_low, k_high + 1) if r + n * k <= high - others_low}
    if any(low - others_high <= r <= high - others_low for r in reach):
        return added  # equal shares are not ruled out by counting
    missing: list[Expr] = [heads[sl.key] for sl in slots if sl.key in heads]
    m.cp.add(sum([spread for spread, _ in terms] + missing) >= 1)
    return added + 1


def duty_floor(m: RosterModel, officer: Officer, nights_only: bool) -> int:
    """Duties of the measure the officer holds in every roster of `m`: their pinned ones."""
    night = {t.id for t in m.scenario.shift_types if t.night}
    pins = {a for a in m.scenario.pinned if a.officer == officer.id}
    return len({a for a in pins if a.shift in night or not nights_only})


def duty_cap(m: RosterModel, officer: Officer, nights_only: bool) -> int:
    """At most this many duties of the measure (all, or nights) in any roster of `m`, by counting
    the officer's possible duty starts under the rules (each bound below holds on its own, so the
    least does):

    - per date, the most starts that fit one after another with the minimum rest between them
      (and v2 `max_duties_per_day`);
    - in each 7-date block of the horizon, at most `7 - min_days_off_per_7_days` duty dates (a
      duty's start date is never a day off) and at most `max_minutes_per_7_days` minutes of
      duties starting in it (a window of 7 dates holding a horizon duty);
    - in each block of `limit + 1` dates, at most `limit` dates with a start (`max_consecutive_days`,
      `max_consecutive_nights` for nights);
    - v2 `max_minutes_per_horizon` and `max_duties_by_shift`."""
    key = ("duty_cap", officer.id, nights_only)
    cached = m.cache.get(key)
    if cached is not None:
        return cached  # type: ignore[return-value]
    rules = m.scenario.rules_for(officer)
    times = [t for t in m.times[officer.id] if t.night or not nights_only]
    by_date: dict[date, list[TimePoint]] = defaultdict(list)
    for t in times:
        by_date[t.date].append(t)
    rest = timedelta(minutes=rules.min_rest_minutes)
    per_day: dict[date, int] = {}
    for day, starts in by_date.items():
        fit, free = 0, None
        for t in sorted(starts, key=lambda t: t.end):  # earliest end first: the most that fit
            if free is None or t.start >= free:
                fit, free = fit + 1, t.end + rest
        if rules.max_duties_per_day is not None:
            fit = min(fit, rules.max_duties_per_day)
        per_day[day] = fit
    dates = m.scenario.dates
    cap = sum(per_day.values())
    weekly = 0
    for i in range(0, len(dates), 7):
        block = dates[i : i + 7]
        fits = sorted((per_day.get(d, 0) for d in block), reverse=True)
        bound = sum(fits)
        if len(block) == 7:
            bound = min(bound, sum(fits[: max(0, 7 - rules.min_days_off_per_7_days)]))
        minutes = [t.minutes for t in times if t.date in block]
        if minutes:
            bound = min(bound, rules.max_minutes_per_7_days // min(minutes))
        weekly += bound
    cap = min(cap, weekly)
    limit = rules.max_consecutive_nights if nights_only else rules.max_consecutive_days
    runs = 0
    for i in range(0, len(dates), limit + 1):
        runs += sum(sorted((per_day.get(d, 0) for d in dates[i : i + limit + 1]), reverse=True)[:limit])
    cap = min(cap, runs)
    if rules.max_minutes_per_horizon is not None and times:
        cap = min(cap, rules.max_minutes_per_horizon // min(t.minutes for t in times))
    if rules.max_duties_by_shift and times:
        by_shift: dict[str, int] = defaultdict(int)
        for t in times:
            by_shift[t.shift] += 1
        cap = min(cap, sum(min(n, rules.max_duties_by_shift.get(sh, n)) for sh, n in by_shift.items()))
    m.cache[key] = cap
    return cap
