"""The two places the service decides what the solver decides too: the units in one part with a
unit (`units_joined_to`), and the published duties worked before now (`worked_duties`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time

from app.planning.parts import units_joined_to
from app.planning.past import with_frozen_past
from solver import domain as d
from solver.replan import worked_duties

MON = date(2021, 11, 8)


def test_units_are_joined_by_the_officers_who_serve_them() -> None:
    links = [("hq", "ganzhou"), ("gaotai", "gaotai"), ("linze", "gaotai")]
    assert units_joined_to("ganzhou", links) == {"ganzhou", "hq"}
    assert units_joined_to("hq", links) == {"ganzhou", "hq"}
    assert units_joined_to("gaotai", links) == {"gaotai", "linze"}
    assert units_joined_to("sunan", links) == {"sunan"}  # no officer serves it (this used to raise)


def scenario() -> d.Scenario:
    return d.Scenario(
        name="t",
        timezone="Asia/Shanghai",
        start=MON,
        days=2,
        shift_types=(d.ShiftType("D", "day", time(8), 480, False),),
        units=(d.Unit("u", "u"),),
        skills=(),
        posts=(d.Post("p", "p", d.PostKind.CHECKPOINT, "u", 1, (d.Coverage("D", 1, 2),)),),
        officers=(d.Officer("a", "a", "u", ("u",)), d.Officer("b", "b", "u", ("u",))),
    )


def test_duties_started_before_now_are_worked_unless_their_officer_was_away() -> None:
    monday, tuesday = d.Assignment(MON, "D", "p", "a"), d.Assignment(date(2021, 11, 9), "D", "p", "a")
    away = d.Assignment(MON, "D", "p", "b")
    s = scenario()
    s = replace(
        s,
        officers=(
            s.officers[0],
            replace(s.officers[1], unavailable=(d.Span(datetime(2021, 11, 8), datetime(2021, 11, 9)),)),
        ),
        baseline=(monday, tuesday, away),
    )
    now = datetime(2021, 11, 8, 12, 0)
    assert worked_duties(s, s.baseline, now) == [monday]
    frozen = with_frozen_past(s, now)
    assert frozen.pinned == (monday,) and frozen.frozen_until == now
