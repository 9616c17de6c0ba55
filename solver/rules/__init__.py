"""Every rostering rule, hard then soft, on one screen, and `build`, which applies them to a model.

A hard rule adds constraints to the model and returns nothing; a soft rule returns the `Penalty`
terms of its part of the objective. Each rule has the id the referee (`solver.check`) reports it
under, and its own focused test in tests/solver/rules/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from solver.model.base import Penalty, RosterModel
from solver.rules import (
    changes,
    continuity,
    coverage,
    daily,
    eligibility,
    fairness,
    frozen,
    groups,
    minruns,
    overstaffing,
    owed_rest,
    pinned,
    requests,
    rest,
    runs,
    totals,
    workload,
)


@dataclass(frozen=True)
class Rule:
    id: str
    hard: bool
    apply: Callable[[RosterModel], list[Penalty]]
    summary: str


HARD_RULES: tuple[Rule, ...] = (
    Rule("coverage_max", True, coverage.coverage_max, "no slot staffed above its max"),
    Rule("serves_unit", True, eligibility.serves_unit, "officers staff only posts of units they serve"),
    Rule("unavailable", True, eligibility.unavailable, "no duty overlaps an officer's unavailability"),
    Rule("overlap", True, rest.overlap, "no two duties of an officer overlap"),
    Rule("min_rest", True, rest.min_rest, "minimum rest between the end of a duty and the next"),
    Rule("max_minutes_per_7_days", True, workload.max_minutes_per_7_days, "duty minutes per 7 dates"),
    Rule("min_days_off_per_7_days", True, workload.min_days_off_per_7_days, "days off per 7 days"),
    Rule("max_consecutive_days", True, runs.max_consecutive_days, "duty days in a row"),
    Rule("max_consecutive_nights", True, runs.max_consecutive_nights, "night duties in a row"),
    Rule("pinned_missing", True, pinned.pinned_duties, "pinned duties are in the roster"),
    Rule("frozen_until", True, frozen.frozen_until, "nothing new starts in the frozen past (optional)"),
    # version 2: more working-time rules
    Rule("max_duties_per_day", True, daily.max_duties_per_day, "duties starting on one date"),
    Rule(
        "forbidden_succession", True, daily.forbidden_succession, "shifts that may not follow the day after"
    ),
    Rule("max_duties_by_shift", True, totals.max_duties_by_shift, "duties of a shift type over the horizon"),
    Rule(
        "min_minutes_per_horizon",
        True,
        totals.min_minutes_per_horizon,
        "duty minutes over the horizon, at least",
    ),
    Rule(
        "max_minutes_per_horizon",
        True,
        totals.max_minutes_per_horizon,
        "duty minutes over the horizon, at most",
    ),
    Rule("min_consecutive_days", True, minruns.min_consecutive_days, "inner runs of duty dates, at least"),
    Rule(
        "min_consecutive_days_off", True, minruns.min_consecutive_days_off, "inner runs of days off, at least"
    ),
    Rule("max_weekends", True, totals.max_weekends, "weekends with a duty"),
    Rule("owed_rest", True, owed_rest.owed_rest, "days off owed by a date (v2)"),
)

SOFT_RULES: tuple[Rule, ...] = (
    Rule("shortfall", False, coverage.shortfall, "officers (and skills) missing from slots, by priority"),
    Rule(
        "overstaffing", False, overstaffing.overstaffing, "officers above a slot's minimum (v2 over_weight)"
    ),
    Rule("requests", False, requests.requests, "day-off and shift requests not granted"),
    Rule("fairness", False, fairness.fairness, "spread of duties and night duties within a unit"),
    Rule("continuity", False, continuity.continuity, "successive duties of an officer at different posts"),
    Rule("changes", False, changes.changes, "duties of the published baseline that are removed"),
    Rule(
        "group_split", False, groups.group_split, "a group's members at more than one post-shift a day (v2)"
    ),
    Rule("pattern", False, groups.pattern, "members' departures from their group's rotation pattern (v2)"),
)

RULES = HARD_RULES + SOFT_RULES

M = TypeVar("M", bound=RosterModel)


def build(model: M, only: Iterable[str] | None = None) -> M:
    """Add the rules of the catalogue (all, or those named in `only`) and the objective to `model`."""
    chosen = None if only is None else set(only)
    for rule in HARD_RULES:
        if chosen is None or rule.id in chosen:
            rule.apply(model)
    for rule in SOFT_RULES:
        if chosen is None or rule.id in chosen:
            model.add_penalties(rule.apply(model))
    model.objective = model.objective_expr()
    model.cp.minimize(model.objective)
    return model
