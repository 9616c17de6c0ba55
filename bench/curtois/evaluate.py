"""An evaluator of Curtois & Qu benchmark schedules written straight from the benchmark's rules,
independent of the converter and of the scenario format, so that it can prove the converter exact:
for every roster it must agree with `roster check` on the converted scenario.

A schedule is `{(employee, day): shift}` (so one shift per employee and day is implied; a day
without a key is a day off). Objective:

    Σ on-requests whose shift the employee does not work that day × weight
  + Σ off-requests whose shift the employee works that day × weight
  + Σ cover lines (max(0, requirement − assigned) × weight under + max(0, assigned − requirement)
    × weight over)

(a (day, shift) without a cover line costs nothing). Hard rules, each a violation kind below:
days off, shift rotation (cannot-follow, on consecutive days), shifts per type, total minutes
(max and min), consecutive shifts (max and min), consecutive days off (min), weekends worked (max).
The minimum-run rules do not judge a maximal run that includes the horizon's first or last day
(it may continue outside the horizon); the maximum-run rule judges every run (no history).
A weekend is days 5 and 6 mod 7 (day 0 is a Monday); it is worked when the employee works either
of its days inside the horizon.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import groupby

from solver.io.curtois import CurtoisInstance, Staff

RULES = (
    "unknown_reference",
    "day_off",
    "cannot_follow",
    "max_shifts",
    "max_total_minutes",
    "min_total_minutes",
    "max_consecutive_shifts",
    "min_consecutive_shifts",
    "min_consecutive_days_off",
    "max_weekends",
)


@dataclass(frozen=True)
class Violation:
    rule: str
    employee: str | None
    day: int | None
    message: str

    def __str__(self) -> str:
        where = f" {self.employee}" if self.employee is not None else ""
        where += f" day {self.day}" if self.day is not None else ""
        return f"{self.rule}{where}: {self.message}"


@dataclass(frozen=True)
class Evaluation:
    on_requests: int
    """Cost of the on-requests not met."""
    off_requests: int
    """Cost of the off-requests whose shift is worked."""
    under: int
    """Cost of under-cover (missing × weight under)."""
    over: int
    """Cost of over-cover (surplus × weight over)."""
    violations: tuple[Violation, ...]

    @property
    def objective(self) -> int:
        return self.on_requests + self.off_requests + self.under + self.over

    @property
    def feasible(self) -> bool:
        return not self.violations


def _runs(worked: list[bool]) -> Iterator[tuple[bool, int, int]]:
    """Maximal runs of equal values: (value, first day, length)."""
    day = 0
    for value, group in groupby(worked):
        length = sum(1 for _ in group)
        yield value, day, length
        day += length


def _employee_violations(
    instance: CurtoisInstance, e: Staff, shifts: dict[int, str], minutes: dict[str, int]
) -> list[Violation]:
    out: list[Violation] = []
    horizon = instance.days
    last = horizon - 1

    def add(rule: str, day: int | None, message: str) -> None:
        out.append(Violation(rule, e.id, day, message))

    for day in sorted(instance.days_off_of(e.id) & shifts.keys()):
        add("day_off", day, f"works {shifts[day]} on a day off")
    forbidden = {s.id: set(s.cannot_follow) for s in instance.shifts}
    for day, shift in sorted(shifts.items()):
        after = shifts.get(day + 1)
        if after is not None and after in forbidden[shift]:
            add("cannot_follow", day + 1, f"{after} on the day after {shift}")
    counts = Counter(shifts.values())
    for shift, limit in e.max_shifts:
        if counts[shift] > limit:
            add("max_shifts", None, f"{counts[shift]} {shift} shifts, at most {limit}")
    total = sum(minutes[s] for s in shifts.values())
    if total > e.max_total_minutes:
        add("max_total_minutes", None, f"{total} minutes, at most {e.max_total_minutes}")
    if total < e.min_total_minutes:
        add("min_total_minutes", None, f"{total} minutes, at least {e.min_total_minutes}")
    worked = [d in shifts for d in range(horizon)]
    for on, first, length in _runs(worked):
        end = first + length - 1
        inside = first > 0 and end < last
        if on and length > e.max_consecutive_shifts:
            add(
                "max_consecutive_shifts",
                first,
                f"{length} shifts in a row, at most {e.max_consecutive_shifts}",
            )
        if on and inside and length < e.min_consecutive_shifts:
            add(
                "min_consecutive_shifts",
                first,
                f"{length} shifts in a row, at least {e.min_consecutive_shifts}",
            )
        if not on and inside and length < e.min_consecutive_days_off:
            add(
                "min_consecutive_days_off",
                first,
                f"{length} days off in a row, at least {e.min_consecutive_days_off}",
            )
    weekends = sum(
        1
        for saturday in range(5, horizon, 7)
        if worked[saturday] or (saturday + 1 < horizon and worked[saturday + 1])
    )
    if weekends > e.max_weekends:
        add("max_weekends", None, f"{weekends} weekends worked, at most {e.max_weekends}")
    return out


def evaluate(instance: CurtoisInstance, schedule: Mapping[tuple[str, int], str]) -> Evaluation:
    """The benchmark's objective of a schedule and every hard rule it breaks."""
    minutes = {s.id: s.minutes for s in instance.shifts}
    staff = {e.id for e in instance.staff}
    violations: list[Violation] = []
    by_employee: dict[str, dict[int, str]] = {e.id: {} for e in instance.staff}
    for (employee, day), shift in schedule.items():
        if employee not in staff:
            violations.append(Violation("unknown_reference", employee, day, f"unknown employee {employee!r}"))
        elif not 0 <= day < instance.days:
            violations.append(Violation("unknown_reference", employee, day, "day outside the horizon"))
        elif shift not in minutes:
            violations.append(Violation("unknown_reference", employee, day, f"unknown shift {shift!r}"))
        else:
            by_employee[employee][day] = shift
    for e in instance.staff:
        violations += _employee_violations(instance, e, by_employee[e.id], minutes)

    def works(employee: str, day: int, shift: str) -> bool:
        return by_employee.get(employee, {}).get(day) == shift

    on = sum(r.weight for r in instance.on_requests if not works(r.employee, r.day, r.shift))
    off = sum(r.weight for r in instance.off_requests if works(r.employee, r.day, r.shift))
    assigned = Counter((day, shift) for shifts in by_employee.values() for day, shift in shifts.items())
    under = sum(max(0, c.requirement - assigned[c.day, c.shift]) * c.weight_under for c in instance.cover)
    over = sum(max(0, assigned[c.day, c.shift] - c.requirement) * c.weight_over for c in instance.cover)
    return Evaluation(on, off, under, over, tuple(violations))
