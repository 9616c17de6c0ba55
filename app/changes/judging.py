"""Where a change is judged: the published version it lives in, the scenario of that version as a
roster job would solve it now, the service's "now" (the past before it is frozen), and the duties
published for the week after it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from sqlalchemy.orm import Session

from app.changes.schemas import Stage
from app.changes.verdict import Verdict, evaluate
from app.core.clock import local_now
from app.core.config import Settings
from app.core.errors import ErrorDetail, RuleViolation
from app.planning.past import clamped, with_frozen_past
from app.planning.scope import Scope, following_duties, published_roster, scope_scenario
from solver import domain as d


@dataclass(frozen=True)
class ChangeOptions:
    """What the service settings say about changes."""

    now: datetime | None
    history_days: int
    replan_time_limit: float

    @classmethod
    def of(cls, settings: Settings) -> ChangeOptions:
        return cls(settings.now, settings.jobs.history_days, settings.solver.replan_time_limit)


def published_scope(session: Session, unit: str, day: date) -> Scope:
    """The scope of the version published for `unit` on `day`, or 422."""
    roster = published_roster(session, unit, day)
    if roster is None:
        raise RuleViolation(
            f"no roster is published for unit {unit!r} on {day}",
            [ErrorDetail("body", f"no published roster for {unit} on {day}", unit)],
        )
    return Scope.of(roster)


@dataclass(frozen=True)
class Situation:
    """A published version as a change finds it: its scenario (the published roster as baseline),
    "now" clamped into its horizon, and the duties published for the week after it."""

    scope: Scope
    scenario: d.Scenario
    now: datetime
    following: Sequence[d.Assignment]

    @cached_property
    def frozen(self) -> d.Scenario:
        """The scenario with the past before now frozen and its worked duties pinned."""
        return with_frozen_past(self.scenario, self.now)

    @classmethod
    def of(cls, session: Session, scope: Scope, options: ChangeOptions) -> Situation:
        scenario = scope_scenario(session, scope, options.history_days)
        now = clamped(local_now(options.now, scenario.timezone), scope.start, scope.end)
        return cls(scope, scenario, now, following_duties(session, scope, scenario))

    @property
    def published(self) -> list[d.Assignment]:
        return list(self.scenario.baseline)

    def frozen_of(self, changed: d.Scenario) -> d.Scenario:
        """`changed` (the scenario holding a change) with the same past frozen."""
        return self.frozen if changed is self.scenario else with_frozen_past(changed, self.now)

    def judge(self, changed: d.Scenario, after: Sequence[d.Assignment], stage: Stage) -> Verdict:
        """The referee on `after` in `changed` against the published roster in the scenario."""
        return evaluate(
            self.frozen, self.frozen_of(changed), self.published, after, stage, self.now, self.following
        )
