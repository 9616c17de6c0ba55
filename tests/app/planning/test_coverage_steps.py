"""Coverage changes in force from a date, as a scenario sees them (app.planning.coverage_steps)."""

from __future__ import annotations

from datetime import date, time

from app.planning.coverage_steps import CoverageStep, with_coverage_from, with_coverage_steps
from app.planning.scenario import validated
from solver import domain as d

MON = date(2021, 11, 8)
WED, THU = date(2021, 11, 10), date(2021, 11, 11)


def scenario(*coverage: d.Coverage) -> d.Scenario:
    return d.Scenario(
        name="t",
        timezone="Asia/Shanghai",
        start=MON,
        days=7,
        shift_types=(
            d.ShiftType("D", "day", time(8), 480, False),
            d.ShiftType("N", "night", time(0), 480, True),
        ),
        units=(d.Unit("u", "u"),),
        skills=(),
        posts=(d.Post("p", "p", d.PostKind.CHECKPOINT, "u", 1, coverage),),
        officers=(),
    )


def entries(s: d.Scenario, shift: str) -> list[tuple[int, tuple[str, ...] | None]]:
    return [(c.min, c.days) for c in s.post("p").coverage if c.shift == shift]


def days(first: date, n: int) -> tuple[str, ...]:
    return tuple(date.fromordinal(first.toordinal() + i).isoformat() for i in range(n))


def test_a_step_inside_the_horizon_splits_the_entries_by_date() -> None:
    s = scenario(d.Coverage("D", 2, 2), d.Coverage("N", 1, 1))
    stepped = with_coverage_steps(
        s, [CoverageStep("p", "D", WED, (d.Coverage("D", 1, 1),), (d.Coverage("D", 2, 2),))]
    )
    assert entries(stepped, "D") == [(1, days(MON, 2)), (2, days(WED, 5))]
    assert entries(stepped, "N") == [(1, None)]


def test_a_step_before_the_horizon_leaves_the_stored_entries() -> None:
    s = scenario(d.Coverage("D", 2, 2))
    step = CoverageStep("p", "D", MON, (d.Coverage("D", 1, 1),), (d.Coverage("D", 2, 2),))
    assert with_coverage_steps(s, [step]) is s


def test_steps_on_two_shifts_of_one_post_rewrite_each_shift_once() -> None:
    """Each shift's stored entries give way to its dated ones (they used to stay besides them for
    every shift but the first, and the loader refused the scenario)."""
    s = scenario(d.Coverage("D", 2, 2), d.Coverage("N", 1, 1))
    steps = [
        CoverageStep("p", "D", WED, (d.Coverage("D", 1, 1),), (d.Coverage("D", 2, 2),)),
        CoverageStep("p", "N", THU, (d.Coverage("N", 3, 3),), (d.Coverage("N", 1, 1),)),
    ]
    stepped = validated(with_coverage_steps(s, steps))
    assert entries(stepped, "D") == [(1, days(MON, 2)), (2, days(WED, 5))]
    assert entries(stepped, "N") == [(3, days(MON, 3)), (1, days(THU, 4))]


def test_coverage_from_a_date_keeps_the_old_entries_before_it() -> None:
    s = scenario(d.Coverage("D", 2, 2), d.Coverage("N", 1, 1))
    changed = with_coverage_from(s, "p", "N", THU, [])
    assert entries(changed, "N") == [(1, days(MON, 3))]
    assert entries(changed, "D") == [(2, None)]
    assert with_coverage_from(s, "nowhere", "N", THU, []) is s
