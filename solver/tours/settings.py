"""Settings of tour planning: who, when, how often, how to drive, how hard to search."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from types import MappingProxyType

from solver.domain import PostKind
from solver.tours.problem import DEFAULT_VISIT_MINUTES, Location

ZHANGYE_HQ = Location(38.93, 100.45)
"""The detachment headquarters in Ganzhou district, Zhangye (approximate)."""

FIRST_SOLUTION_STRATEGIES = (
    "PATH_CHEAPEST_ARC",
    "PARALLEL_CHEAPEST_INSERTION",
    "LOCAL_CHEAPEST_INSERTION",
    "SAVINGS",
    "CHRISTOFIDES",
    "AUTOMATIC",
)
METAHEURISTICS = ("GUIDED_LOCAL_SEARCH", "SIMULATED_ANNEALING", "TABU_SEARCH", "GREEDY_DESCENT", "AUTOMATIC")


def _proxy(items: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(items))


@dataclass(frozen=True)
class TourSettings:
    """Every knob of tour planning, with its default.

    Who and when
      supervisor_skill: officers holding this skill id are the supervisors (unless named).
      site_kinds: post kinds that are toured (checkpoints by default).
      tour_start, tour_end: the daily tour window, local time (end <= start: ends the next day).
      duty_buffer_minutes: kept free before and after each of a supervisor's roster duties.
      min_window_minutes: shorter free windows are not toured.
      hq_id, hq_name, hq: the default start and end point of every supervisor.
      visit_minutes: minutes on site per post kind (PostKind value).

    How often
      interval_days: per post kind, a site must be seen once in every block of this many days.
      fallback_interval_days: for kinds `interval_days` does not name.
      daily_priority: sites with at least this priority are seen every day (None: no such rule).
      post_interval_days: per post id, overrides the two rules above.
      shortfall_visits: a site where the roster is short on a date must be seen that date.
      new_post_days: a post newly staffed in the horizon is seen daily for its first this many
        days (0: off; needs the previous roster, see `tour_problem`).

    Driving
      road_factor, speed_kmh: road km = great-circle km × road_factor; minutes = km / speed × 60.

    Search (OR-Tools routing, one model per day)
      due_penalty: cost of leaving out a due visit (in driving minutes), × (1 + priority/100) ×
        (1 + days overdue). Keep it far above a day's driving so that due visits come first.
      optional_penalty: cost of leaving out a visit that is allowed but not yet due (a small
        incentive to get ahead), × (1 + priority/100).
      time_limit_per_day: seconds of search per day model.
      solution_limit: stop a day's search after this many solutions (deterministic whatever the
        machine's speed); None: only the time limit.
      first_solution, metaheuristic: names of routing_enums_pb2 FirstSolutionStrategy and
        LocalSearchMetaheuristic values.
    """

    supervisor_skill: str = "supervisor"
    site_kinds: frozenset[PostKind] = frozenset({PostKind.CHECKPOINT})
    tour_start: time = time(8, 0)
    tour_end: time = time(20, 0)
    duty_buffer_minutes: int = 30
    min_window_minutes: int = 60
    hq_id: str = "hq"
    hq_name: str = "Detachment headquarters"
    hq: Location = ZHANGYE_HQ
    visit_minutes: Mapping[str, int] = field(default_factory=lambda: DEFAULT_VISIT_MINUTES)

    interval_days: Mapping[str, int] = field(default_factory=lambda: _proxy({PostKind.CHECKPOINT.value: 2}))
    fallback_interval_days: int = 3
    daily_priority: int | None = 90
    post_interval_days: Mapping[str, int] = field(default_factory=lambda: _proxy({}))
    shortfall_visits: bool = True
    new_post_days: int = 2

    road_factor: float = 1.3
    speed_kmh: float = 60.0

    due_penalty: int = 100_000
    optional_penalty: int = 30
    time_limit_per_day: float = 2.0
    solution_limit: int | None = None
    first_solution: str = "PATH_CHEAPEST_ARC"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"

    def __post_init__(self) -> None:
        for name in ("visit_minutes", "interval_days", "post_interval_days"):
            object.__setattr__(self, name, _proxy(getattr(self, name)))
        errors = []
        if self.duty_buffer_minutes < 0 or self.min_window_minutes < 1:
            errors.append("duty_buffer_minutes must be >= 0 and min_window_minutes >= 1")
        if any(v < 1 for v in (*self.interval_days.values(), *self.post_interval_days.values())):
            errors.append("interval days must be at least 1")
        if self.fallback_interval_days < 1 or self.new_post_days < 0:
            errors.append("fallback_interval_days must be >= 1 and new_post_days >= 0")
        if any(v < 0 for v in self.visit_minutes.values()):
            errors.append("visit minutes must be >= 0")
        if self.road_factor < 1 or self.speed_kmh <= 0:
            errors.append("road_factor must be >= 1 and speed_kmh > 0")
        if self.due_penalty < 1 or self.optional_penalty < 0:
            errors.append("due_penalty must be >= 1 and optional_penalty >= 0")
        if self.time_limit_per_day <= 0 or (self.solution_limit is not None and self.solution_limit < 1):
            errors.append("time_limit_per_day must be > 0 and solution_limit >= 1")
        if self.first_solution not in FIRST_SOLUTION_STRATEGIES:
            errors.append(f"first_solution must be one of {', '.join(FIRST_SOLUTION_STRATEGIES)}")
        if self.metaheuristic not in METAHEURISTICS:
            errors.append(f"metaheuristic must be one of {', '.join(METAHEURISTICS)}")
        if errors:
            raise ValueError("; ".join(errors))

    @property
    def tour_minutes(self) -> int:
        start = self.tour_start.hour * 60 + self.tour_start.minute
        end = self.tour_end.hour * 60 + self.tour_end.minute
        return end - start if end > start else end + 24 * 60 - start
