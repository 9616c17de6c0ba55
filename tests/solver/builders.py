"""Tiny scenarios for the loader and referee tests, built in Python.

`scenario_doc(**overrides)` is a valid scenario-format v1 document (a dict) with sensible defaults:
one week from MON in Asia/Shanghai (the default zone: UTC+8, no DST), shift types D 08:00-16:00,
E 16:00-24:00 and the night N 22:00-06:00, units u1 and u2, posts p1 and p2 of u1 and q1 of u2 with
a slot for every shift type every day (min 0, so no shortfall unless a test asks for one), and three
officers o1, o2, o3 of u1; default rules and weights. Tests override any top-level field; `shift`,
`coverage`, `post` and `officer` build the parts. `build` loads the document through
`scenario_from_dict`, so every scenario a test uses is also a valid loader input.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from solver.check import CheckReport, Violation, check_assignments, check_roster
from solver.domain import Assignment, Roster, Scenario
from solver.io.load import scenario_from_dict

MON = date(2021, 11, 8)
"""Monday, the first horizon date unless a test says otherwise."""

SAMPLES = Path(__file__).resolve().parents[2] / "data"
SMALL = SAMPLES / "example-small.json"
ZHANGYE = SAMPLES / "zhangye-2021-11-08.json"
CURTOIS = Path(__file__).resolve().parents[2] / "bench" / "curtois" / "instances"


def curtois(name: str) -> Scenario:
    """A Curtois & Qu benchmark instance (bench/curtois/instances/NAME.txt) as a format-2 scenario."""
    from solver.io.curtois import read_instance, to_scenario

    return scenario_from_dict(to_scenario(read_instance(CURTOIS / f"{name}.txt")))


def shift(sid: str, start: str, minutes: int, night: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"id": sid, "name": f"shift {sid}", "start": start, "minutes": minutes}
    if night:
        out["night"] = True
    return out


SHIFT_TYPES = [shift("D", "08:00", 480), shift("E", "16:00", 480), shift("N", "22:00", 480, night=True)]


def day(n: int) -> date:
    """The date n days after MON (negative: before the horizon)."""
    return MON + timedelta(days=n)


def iso(n: int) -> str:
    return day(n).isoformat()


def at(n: int, hhmm: str) -> str:
    """A local date-time `YYYY-MM-DDTHH:MM` on day(n)."""
    return f"{iso(n)}T{hhmm}"


def coverage(shift: str, min: int = 0, max: int | None = 3, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"shift": shift, "min": min, **extra}
    if max is not None:
        out["max"] = max
    return out


def post(
    pid: str,
    unit: str = "u1",
    cover: list[dict[str, Any]] | None = None,
    shifts: Iterable[str] = ("D", "E", "N"),
) -> dict[str, Any]:
    """A post with a slot (min 0, max 3) for each of `shifts` on every date, unless `cover` is given."""
    return {
        "id": pid,
        "name": f"post {pid}",
        "kind": "checkpoint",
        "unit": unit,
        "coverage": [coverage(s) for s in shifts] if cover is None else cover,
    }


def officer(oid: str, unit: str = "u1", **extra: Any) -> dict[str, Any]:
    return {"id": oid, "name": f"officer {oid}", "unit": unit, **extra}


def history(*duties: tuple[str, int]) -> list[dict[str, str]]:
    """History duties from (shift, day offset) pairs, e.g. history(("N", -1))."""
    return [{"shift": shift, "date": iso(n)} for shift, n in duties]


def scenario_doc(**overrides: Any) -> dict[str, Any]:
    """The default scenario with `overrides` replacing top-level fields. The default posts cover every
    shift type of the document, the overridden `shift_types` included."""
    shift_ids = [s["id"] for s in overrides.get("shift_types", SHIFT_TYPES)]
    doc: dict[str, Any] = {
        "name": "test",
        "horizon": {"start": MON.isoformat(), "days": 7},
        "shift_types": SHIFT_TYPES,
        "units": [{"id": "u1", "name": "unit 1"}, {"id": "u2", "name": "unit 2"}],
        "posts": [
            post("p1", shifts=shift_ids),
            post("p2", shifts=shift_ids),
            post("q1", "u2", shifts=shift_ids),
        ],
        "officers": [officer("o1"), officer("o2"), officer("o3")],
    }
    doc.update(overrides)
    return copy.deepcopy(doc)


def build(**overrides: Any) -> Scenario:
    return scenario_from_dict(scenario_doc(**overrides))


def duty(officer_id: str, post_id: str, shift_id: str, when: int | date) -> Assignment:
    """An assignment of `officer_id` at `post_id` for `shift_id` starting on `when` (a date, or day(n))."""
    return Assignment(
        date=when if isinstance(when, date) else day(when), shift=shift_id, post=post_id, officer=officer_id
    )


def report(scenario: Scenario, assignments: Iterable[Assignment]) -> CheckReport:
    return check_assignments(scenario, list(assignments))


Found = list[tuple[str, str | None, str | None, date | None]]


def found(scenario: Scenario, assignments: Iterable[Assignment]) -> Found:
    """Every hard violation as (rule, officer, post, date), in the referee's order."""
    return [(v.rule, v.officer, v.post, v.date) for v in report(scenario, assignments).violations]


def violations(scenario: Scenario, assignments: Iterable[Assignment], rule: str) -> list[Violation]:
    return [v for v in report(scenario, assignments).violations if v.rule == rule]


def assert_checked(scenario: Scenario, roster: Roster) -> None:
    """A roster the solver returned passes the referee, with its objective as the score."""
    assert roster.score is not None
    report = check_roster(scenario, roster, roster.score.as_dict())
    assert report.ok, (report.violations[:5], report.mismatches)
    assert roster.objective == report.score.total
    assert roster.bound is None or roster.bound <= roster.objective
