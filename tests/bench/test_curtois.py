"""The Curtois & Qu benchmark: parser, converter, solution text, evaluator and the plain model."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bench.curtois.evaluate import evaluate
from bench.curtois.plain import solve_plain
from solver.io.curtois import (
    START,
    CurtoisConversionError,
    CurtoisFormatError,
    CurtoisInstance,
    CurtoisSolutionError,
    assignments_from_schedule,
    convert_file,
    parse_instance,
    parse_solution,
    read_instance,
    schedule_from_assignments,
    solution_text,
    to_scenario,
)

INSTANCES = Path(__file__).resolve().parents[2] / "bench" / "curtois" / "instances"
SHARED = Path("/work/shared/bench/curtois")

# staff, days, shift types: the table of the instances' README
SIZES = {
    "Instance1": (8, 14, 1),
    "Instance2": (14, 14, 2),
    "Instance3": (20, 14, 3),
    "Instance4": (10, 28, 2),
    "Instance5": (16, 28, 2),
    "Instance6": (18, 28, 3),
    "Instance7": (20, 28, 3),
    "Instance8": (30, 28, 4),
}


def lines_of(
    days: int = 14,
    shifts: tuple[str, ...] = ("D,480,", "N,600,D"),
    staff: tuple[str, ...] = ("A,D=14|N=3,6720,0,14,1,1,2", "B,D=14|N=3,6720,0,14,1,1,2"),
    days_off: tuple[str, ...] = (),
    on: tuple[str, ...] = (),
    off: tuple[str, ...] = (),
    cover: tuple[str, ...] = (),
) -> list[str]:
    """The lines of a small instance file, in the benchmark's layout (with its comment lines)."""
    out = ["# A small instance", "SECTION_HORIZON", "# days", str(days), ""]
    out += ["SECTION_SHIFTS", "# ShiftID, Length in mins, Shifts which cannot follow", *shifts, ""]
    out += ["SECTION_STAFF", "# ID, MaxShifts, ...", *staff, ""]
    out += ["SECTION_DAYS_OFF", "# EmployeeID, DayIndexes", *days_off, ""]
    out += ["SECTION_SHIFT_ON_REQUESTS", "# EmployeeID, Day, ShiftID, Weight", *on, ""]
    out += ["SECTION_SHIFT_OFF_REQUESTS", "# EmployeeID, Day, ShiftID, Weight", *off, ""]
    out += ["SECTION_COVER", "# Day, ShiftID, Requirement, Weight for under, Weight for over", *cover, ""]
    return out


def make(**kwargs: Any) -> CurtoisInstance:
    return parse_instance("\n".join(lines_of(**kwargs)), "small")


# --------------------------------------------------------------------------- parser


@pytest.mark.parametrize("name", sorted(SIZES))
def test_parses_every_published_instance(name: str) -> None:
    inst = read_instance(INSTANCES / f"{name}.txt")
    assert (len(inst.staff), inst.days, len(inst.shifts)) == SIZES[name]
    assert inst.name == name
    assert len(inst.cover) == inst.days * len(inst.shifts)
    assert inst.on_requests and inst.off_requests and inst.days_off
    if SHARED.is_dir():  # the copies are the shared files, byte for byte
        assert (INSTANCES / f"{name}.txt").read_bytes() == (SHARED / f"{name}.txt").read_bytes()


def test_instance8_details() -> None:
    inst = read_instance(INSTANCES / "Instance8.txt")
    assert [(s.id, s.minutes, s.cannot_follow) for s in inst.shifts] == [
        ("E", 480, ()),
        ("D", 480, ("E",)),
        ("L", 480, ("E", "D")),
        ("N", 480, ("E", "D", "L")),
    ]
    a = inst.employee("A")
    assert a.max_shifts == (("E", 0), ("D", 28), ("L", 0), ("N", 4))
    assert (a.max_total_minutes, a.min_total_minutes) == (8640, 8160)
    assert (a.max_consecutive_shifts, a.min_consecutive_shifts, a.min_consecutive_days_off) == (5, 2, 2)
    assert a.max_weekends == 2
    assert a.max_shifts_of("N") == 4


def test_tolerates_crlf_trailing_commas_and_comments() -> None:
    lines = lines_of(
        shifts=("D,480,", "N,600"),
        staff=("A,D=14|N=3|,6720,0,14,1,1,2,", "B,,6720,0,14,1,1,2"),
        days_off=("A,0,1,", "B,"),
        on=("A,2,D,2,",),
        cover=("0,D,1,100,1,", "# a comment inside a section", "1,N,2,100,1"),
    )
    inst = parse_instance("\r\n".join(lines) + "\r\n", "crlf")
    assert [s.cannot_follow for s in inst.shifts] == [(), ()]
    assert inst.employee("A").max_shifts == (("D", 14), ("N", 3))
    assert inst.employee("B").max_shifts == ()
    assert inst.days_off_of("A") == {0, 1} and inst.days_off_of("B") == frozenset()
    assert [(c.day, c.shift, c.requirement) for c in inst.cover] == [(0, "D", 1), (1, "N", 2)]
    assert inst.on_requests[0].weight == 2


def test_optional_sections_may_be_missing() -> None:
    text = "SECTION_HORIZON\n7\n\nSECTION_SHIFTS\nD,480,\n\nSECTION_STAFF\nA,D=7,3360,0,7,1,1,1\n"
    inst = parse_instance(text, "bare")
    assert inst.days == 7 and not inst.cover and not inst.days_off


def broken(index_of: str, replacement: str | None, **kwargs: Any) -> tuple[str, int]:
    """A file whose line `index_of` is replaced (None: removed), and that line's number."""
    lines = lines_of(**kwargs)
    index = lines.index(index_of)
    if replacement is None:
        del lines[index]
    else:
        lines[index] = replacement
    return "\n".join(lines), index + 1


def problems_of(text: str) -> list[tuple[int, str]]:
    with pytest.raises(CurtoisFormatError) as caught:
        parse_instance(text, "broken")
    assert str(caught.value).startswith("invalid Curtois instance broken")
    return caught.value.problems


COVER = ("0,D,1,100,1", "1,N,1,100,1")
REQUESTS: dict[str, Any] = {"on": ("A,2,D,2",), "off": ("B,3,N,1",), "days_off": ("A,0",), "cover": COVER}


@pytest.mark.parametrize(
    ("line", "replacement", "message"),
    [
        ("SECTION_COVER", "SECTION_COVERS", "unknown section 'SECTION_COVERS'"),
        ("A,D=14|N=3,6720,0,14,1,1,2", "A,D=14|N=3,6720,0,14,1,1", "expected 8 fields"),
        ("0,D,1,100,1", "0,D,1,100", "expected 5 fields"),
        ("A,2,D,2", "A,2,D,2,7", "expected 4 fields"),
        ("N,600,D", "N,6o0,D", "shift length in minutes: '6o0' is not an integer"),
        ("0,D,1,100,1", "0,D,x,100,1", "requirement: 'x' is not an integer"),
        ("A,2,D,2", "A,2,D,-2", "weight: -2 is negative"),
        ("0,D,1,100,1", "0,X,1,100,1", "unknown shift 'X'"),
        ("N,600,D", "N,600,D|Q", "unknown shift in cannot-follow 'Q'"),
        ("A,D=14|N=3,6720,0,14,1,1,2", "A,D=14|Q=3,6720,0,14,1,1,2", "unknown shift in MaxShifts 'Q'"),
        ("A,D=14|N=3,6720,0,14,1,1,2", "A,D14,6720,0,14,1,1,2", "'D14' is not SHIFT=NUMBER"),
        ("A,2,D,2", "Z,2,D,2", "unknown employee 'Z'"),
        ("A,0", "Q,0", "unknown employee 'Q'"),
        ("A,2,D,2", "A,14,D,2", "day 14 is outside the horizon (days 0..13)"),
        ("A,0", "A,0,20", "day 20 is outside the horizon"),
        ("1,N,1,100,1", "0,D,2,100,1", "duplicate cover for day 0, shift 'D' (first on line"),
        ("B,3,N,1", "B,3,N,1\nB,3,N,2", "duplicate off request B,3,N"),
        ("N,600,D", "N,600,D\nD,600,", "duplicate shift 'D' (first on line"),
        (
            "B,D=14|N=3,6720,0,14,1,1,2",
            "B,D=14,6720,0,14,1,1,2\nA,D=1,6720,0,14,1,1,2",
            "duplicate employee 'A'",
        ),
        ("14", "0", "the horizon must be at least 1 day"),
        ("14", "fourteen", "horizon: 'fourteen' is not an integer"),
    ],
)
def test_malformed_line_is_named(line: str, replacement: str, message: str) -> None:
    text, number = broken(line, replacement, **REQUESTS)
    if "\n" in replacement:  # the problem is on the added line
        number += 1
    problems = problems_of(text)
    assert len(problems) == 1, problems
    assert problems[0][0] == number
    assert message in problems[0][1]


def test_duplicate_section_and_data_outside_a_section() -> None:
    lines = lines_of(**REQUESTS)
    lines[lines.index("SECTION_COVER") - 1 : lines.index("SECTION_COVER")] = ["", "SECTION_HORIZON", "7", ""]
    number = lines.index("SECTION_HORIZON", 2) + 1
    problems = problems_of("\n".join(lines))
    assert problems == [(number, "duplicate section SECTION_HORIZON (first on line 2)")]
    text, number = broken("SECTION_COVER", None, **REQUESTS)  # the cover lines now float free
    problems = problems_of(text)
    assert [n for n, _ in problems] == [number + 1, number + 2]  # (number: the comment line)
    assert all("outside a section" in m for _, m in problems)


@pytest.mark.parametrize("section", ["SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF"])
def test_missing_required_section(section: str) -> None:
    lines = lines_of()
    start = lines.index(section)
    end = lines.index("", start)
    del lines[start : end + 1]
    problems = problems_of("\n".join(lines))
    assert (0, f"missing section {section}") in problems


def test_every_problem_is_listed() -> None:
    lines = lines_of(on=("A,2,D,x", "Z,1,D,1"), cover=("0,Q,1,100,1",))
    problems = problems_of("\n".join(lines))
    assert [m for _, m in problems] == [
        "weight: 'x' is not an integer",
        "unknown employee 'Z'",
        "unknown shift 'Q'",
    ]
    assert [n for n, _ in problems] == sorted(n for n, _ in problems)


# --------------------------------------------------------------------------- converter


def test_scenario_structure() -> None:
    inst = make(
        days=14,
        days_off=("A,0,13",),
        on=("A,2,D,2", "B,3,N,0"),
        off=("B,3,N,3",),
        cover=("0,D,1,100,2", "0,N,3,100,1", "5,D,2,100,1"),
    )
    doc = to_scenario(inst)
    json.dumps(doc)  # plain JSON
    assert doc["format"] == 2 and doc["name"] == "small"
    assert doc["horizon"] == {"start": "2014-01-06", "days": 14}
    assert date.fromisoformat(doc["horizon"]["start"]).weekday() == 0 == START.weekday()
    assert doc["shift_types"] == [
        {"id": "D", "name": "D", "start": "00:00", "minutes": 480, "night": False},
        {"id": "N", "name": "N", "start": "00:00", "minutes": 600, "night": False},
    ]
    assert doc["units"] == [{"id": "ward", "name": "Ward"}]
    assert "skills" not in doc
    posts = {p["id"]: p for p in doc["posts"]}
    assert sorted(posts) == ["cover-D", "cover-N"]
    d = posts["cover-D"]
    assert (d["kind"], d["unit"], d["priority"]) == ("other", "ward", 1)
    assert len(d["coverage"]) == 14
    assert d["coverage"][0] == {"shift": "D", "min": 1, "max": 2, "days": ["2014-01-06"], "over_weight": 2}
    assert d["coverage"][1] == {"shift": "D", "min": 0, "max": 2, "days": ["2014-01-07"], "over_weight": 0}
    assert d["coverage"][5]["min"] == 2
    assert posts["cover-N"]["coverage"][0] == {
        "shift": "N",
        "min": 3,
        "max": 3,  # the requirement exceeds the staff: max is never below min
        "days": ["2014-01-06"],
        "over_weight": 1,
    }
    assert doc["rules"] == {
        "min_rest_minutes": 0,
        "max_minutes_per_7_days": 10080,
        "min_days_off_per_7_days": 0,
        "max_consecutive_days": 366,
        "max_consecutive_nights": 366,
        "max_duties_per_day": 1,
        "forbidden_successions": [{"first": "N", "then": ["D"]}],
        "weights": {
            "shortfall": 100,
            "request": 1,
            "fair_duties": 0,
            "fair_nights": 0,
            "continuity": 0,
            "change": 0,
            "group_split": 0,
            "pattern": 0,
        },
    }
    a, b = doc["officers"]
    assert (a["id"], a["name"], a["unit"]) == ("A", "A", "ward")
    assert a["unavailable"] == [
        {"start": "2014-01-06T00:00", "end": "2014-01-07T00:00", "reason": "day off"},
        {"start": "2014-01-19T00:00", "end": "2014-01-20T00:00", "reason": "day off"},
    ]
    assert a["requests"] == [{"kind": "shift_on", "date": "2014-01-08", "shift": "D", "weight": 2}]
    assert b["requests"] == [
        {"kind": "shift_off", "date": "2014-01-09", "shift": "N", "weight": 3}
    ]  # weight 0 left out
    assert a["rules"] == {
        "max_duties_by_shift": {"D": 14, "N": 3},
        "max_minutes_per_horizon": 6720,
        "min_minutes_per_horizon": 0,
        "max_consecutive_days": 14,
        "min_consecutive_days": 1,
        "min_consecutive_days_off": 1,
        "max_weekends": 2,
    }


def test_published_instances_convert_to_one_post_per_shift() -> None:
    for name in SIZES:
        inst = read_instance(INSTANCES / f"{name}.txt")
        doc = to_scenario(inst)
        assert [p["id"] for p in doc["posts"]] == [f"cover-{s.id}" for s in inst.shifts]
        assert {p["priority"] for p in doc["posts"]} == {1}
        assert doc["rules"]["weights"]["shortfall"] == 100
        slots = [(e["shift"], e["days"][0]) for p in doc["posts"] for e in p["coverage"]]
        assert len(slots) == len(set(slots)) == inst.days * len(inst.shifts)


def test_under_weights_become_gcd_and_priorities() -> None:
    inst = make(cover=("0,D,1,100,1", "1,D,1,300,1", "2,D,1,100,1", "0,N,2,200,1", "1,N,0,700,5"))
    doc = to_scenario(inst)
    assert doc["rules"]["weights"]["shortfall"] == 100  # gcd(100, 300, 200); requirement-0 lines do not count
    posts = {p["id"]: p for p in doc["posts"]}
    assert sorted(posts) == ["cover-D-w100", "cover-D-w300", "cover-N"]
    assert (posts["cover-D-w100"]["priority"], posts["cover-D-w300"]["priority"]) == (1, 3)
    assert posts["cover-N"]["priority"] == 2
    assert [e["days"][0] for e in posts["cover-D-w300"]["coverage"]] == ["2014-01-07"]
    # days without a penalised line (no cover line here) go to the first post of the shift
    assert len(posts["cover-D-w100"]["coverage"]) == 13
    n1 = posts["cover-N"]["coverage"][1]
    assert (n1["min"], n1["over_weight"]) == (0, 5)  # requirement 0: over-cover counts every officer


def test_priority_above_100_uses_skill_multipliers() -> None:
    inst = make(cover=("0,D,1,1,1", "1,D,2,300,1", "0,N,1,101,0"))
    doc = to_scenario(inst)
    assert doc["rules"]["weights"]["shortfall"] == 1
    posts = {p["id"]: p for p in doc["posts"]}
    w300 = posts["cover-D-w300"]
    assert w300["priority"] == 100  # 300 = 100 × (1 + 2 skills)
    assert w300["coverage"][0]["skills"] == {"shortfall-x1": 2, "shortfall-x2": 2}
    n = posts["cover-N"]
    assert n["priority"] == 1  # 101 is prime: 1 × (1 + 100 skills)
    assert len(n["coverage"][0]["skills"]) == 100
    assert [s["id"] for s in doc["skills"]] == [f"shortfall-x{k}" for k in range(1, 101)]
    assert all(o["skills"] == [s["id"] for s in doc["skills"]] for o in doc["officers"])
    assert "skills" not in posts["cover-D-w1"]["coverage"][0]
    assert n["coverage"][1] == {  # a day without a cover line asks nothing
        "shift": "N",
        "min": 0,
        "max": 2,
        "days": ["2014-01-07"],
        "over_weight": 0,
    }


def test_zero_under_weights() -> None:
    doc = to_scenario(make(cover=("0,D,1,0,0", "1,D,2,100,1")))
    first = doc["posts"][0]["coverage"][0]
    assert (first["min"], first["over_weight"]) == (0, 0)  # costs nothing either way
    doc = to_scenario(make(cover=("0,D,1,0,3", "1,D,2,0,1")))
    assert doc["rules"]["weights"]["shortfall"] == 0  # nothing is ever short: the requirement stays
    assert doc["posts"][0]["coverage"][0]["min"] == 1
    with pytest.raises(CurtoisConversionError, match="under-weight 0 with requirement 1 and over-weight 3"):
        to_scenario(make(cover=("0,D,1,0,3", "1,D,2,100,1")))


def test_unrepresentable_instances() -> None:
    with pytest.raises(CurtoisConversionError, match="horizon of 400 days"):
        to_scenario(make(days=400))
    with pytest.raises(CurtoisConversionError, match="lasts 1500 minutes"):
        to_scenario(make(shifts=("D,1500,", "N,600,")))


def test_convert_file(tmp_path: Path) -> None:
    out = tmp_path / "Instance1.json"
    doc = convert_file(INSTANCES / "Instance1.txt", out)
    assert (
        json.loads(out.read_text(encoding="utf-8"))
        == doc
        == to_scenario(read_instance(INSTANCES / "Instance1.txt"))
    )
    assert doc["name"] == "Instance1"


def test_v1_part_of_the_scenario_loads_and_scores_like_the_benchmark() -> None:
    """Until the v2 loader exists: the document without its v2 fields is a valid v1 scenario whose
    shortfall and request terms are the evaluator's under-cover and request costs."""
    from solver.check import check_assignments
    from solver.domain import Assignment
    from solver.io.load import scenario_from_dict

    inst = read_instance(INSTANCES / "Instance2.txt")
    doc = to_scenario(inst)
    del doc["format"]
    for key in ("max_duties_per_day", "forbidden_successions"):
        del doc["rules"][key]
    for key in ("group_split", "pattern"):
        del doc["rules"]["weights"][key]
    for officer in doc["officers"]:
        officer["rules"] = {"max_consecutive_days": officer["rules"]["max_consecutive_days"]}
    for post in doc["posts"]:
        for entry in post["coverage"]:
            del entry["over_weight"]
    scenario = scenario_from_dict(doc)
    schedule = solve_plain(inst, 2.0).schedule
    assignments = [
        Assignment(date.fromisoformat(a["date"]), a["shift"], a["post"], a["officer"])
        for a in assignments_from_schedule(inst, schedule)
    ]
    report = check_assignments(scenario, assignments)
    ev = evaluate(inst, schedule)
    assert report.violations == ()
    assert report.score.shortfall == ev.under
    assert report.score.requests == ev.on_requests + ev.off_requests
    assert report.score.total == ev.objective - ev.over


# --------------------------------------------------------------------------- solution text


def test_solution_text_round_trip() -> None:
    inst = make(days=7)
    schedule = {("A", 0): "D", ("A", 6): "N", ("B", 3): "D"}
    text = solution_text(inst, schedule)
    assert text == "D\t\t\t\t\t\tN\n\t\t\tD\t\t\t\n"
    assert parse_solution(text, inst) == schedule
    assignments = [
        {"officer": "A", "post": "cover-D", "shift": "D", "date": "2014-01-06"},
        {"officer": "A", "post": "cover-N", "shift": "N", "date": "2014-01-12"},
        {"officer": "B", "post": "cover-D", "shift": "D", "date": date(2014, 1, 9)},
    ]
    assert solution_text(inst, assignments) == text
    assert schedule_from_assignments(inst, assignments) == schedule
    assert assignments_from_schedule(inst, schedule) == [
        {"officer": "A", "post": "cover-D", "shift": "D", "date": "2014-01-06"},
        {"officer": "B", "post": "cover-D", "shift": "D", "date": "2014-01-09"},
        {"officer": "A", "post": "cover-N", "shift": "N", "date": "2014-01-12"},
    ]
    assert parse_solution(text.replace("\n", "\r\n") + "\n", inst) == schedule


def test_solution_text_of_a_published_instance() -> None:
    inst = read_instance(INSTANCES / "Instance3.txt")
    schedule = solve_plain(inst, 1.0).schedule
    text = solution_text(inst, schedule)
    assert len(text.splitlines()) == len(inst.staff)
    assert all(len(line.split("\t")) == inst.days for line in text.splitlines())
    assert parse_solution(text, inst) == schedule


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("D\t\t\t\t\t\tN\n", (0, "expected 2 lines (one per employee), got 1")),
        ("D\t\t\t\t\t\tN\n\t\t\tD\t\t\n", (2, "expected 7 tab-separated cells (one per day), got 6")),
        ("D\t\t\t\t\t\tX\n\t\t\tD\t\t\t\n", (1, "day 6 of A: unknown shift 'X'")),
        ("D\t\t\t\t\t\tN\n\t\t\tD\t\t\t\nD\n", (0, "expected 2 lines (one per employee), got 3")),
    ],
)
def test_malformed_solution(text: str, problem: tuple[int, str]) -> None:
    with pytest.raises(CurtoisSolutionError) as caught:
        parse_solution(text, make(days=7))
    assert problem in caught.value.problems


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ({"officer": "Z", "shift": "D", "date": "2014-01-06"}, "unknown employee 'Z'"),
        ({"officer": "A", "shift": "X", "date": "2014-01-06"}, "unknown shift 'X'"),
        ({"officer": "A", "shift": "D", "date": "2014-01-13"}, "2014-01-13 is outside the horizon"),
        ({"officer": "A", "shift": "D", "date": "2014-01-05"}, "2014-01-05 is outside the horizon"),
        ({"officer": "A", "shift": "N", "date": "2014-01-06"}, "A already works D on day 0"),
        ({"officer": "A", "shift": "D", "date": "06/01/2014"}, "'06/01/2014' is not a date"),
        ({"officer": "A", "date": "2014-01-06"}, "missing 'shift'"),
    ],
)
def test_malformed_assignments(assignment: dict[str, Any], message: str) -> None:
    first = {"officer": "A", "shift": "D", "date": "2014-01-06"}
    with pytest.raises(CurtoisSolutionError) as caught:
        schedule_from_assignments(make(days=7), [first, assignment])
    assert caught.value.problems == [(1, message)]
    assert "assignment 1: " in str(caught.value)


# --------------------------------------------------------------------------- evaluator

FREE = "A,D=14|N=14,100000,0,14,1,1,14"
"""An employee no rule binds in a 14-day horizon."""


def rules_of(staff: str = FREE, days: int = 14, **kwargs: Any) -> set[tuple[str, str | None, int | None]]:
    inst = make(days=days, staff=(staff,), **{k: v for k, v in kwargs.items() if k != "schedule"})
    return {(v.rule, v.employee, v.day) for v in evaluate(inst, kwargs["schedule"]).violations}


def work(*days: int, shift: str = "D") -> dict[tuple[str, int], str]:
    return {("A", d): shift for d in days}


def test_objective_by_hand() -> None:
    inst = make(
        days=7,
        staff=("A,D=5|N=1,2400,960,3,2,2,1", "B,D=7|N=7,3360,0,7,1,1,1"),
        days_off=("A,3",),
        on=("A,0,D,2", "A,1,N,5", "B,3,D,4"),
        off=("A,4,D,3", "B,0,D,7"),
        cover=("0,D,1,100,1", "1,D,2,100,1", "2,N,1,50,2", "3,D,0,100,4"),
    )
    schedule = {("A", 0): "D", ("A", 1): "D", ("A", 2): "N", ("B", 0): "D", ("B", 3): "D"}
    ev = evaluate(inst, schedule)
    assert ev.violations == ()
    assert ev.on_requests == 5  # A wants N on day 1 but works D; B's request for D on day 3 is met
    assert ev.off_requests == 7  # B works the D of day 0 they asked off; A is off on day 4
    assert ev.under == 100  # day 1 D: 1 of 2
    assert ev.over == 1 + 4  # day 0 D: 2 for 1 (weight 1); day 3 D: 1 for 0 (weight 4)
    assert ev.objective == 117
    # working a shift with no cover line costs nothing
    assert evaluate(inst, {**schedule, ("B", 5): "N"}).objective == 117
    # a request on a day off: an on-request is always paid, an off-request never
    inst2 = make(days=7, days_off=("A,3",), on=("A,3,D,2",), off=("A,3,N,9",))
    assert evaluate(inst2, {}).objective == 2


def test_unknown_references() -> None:
    inst = make(days=7)
    ev = evaluate(inst, {("Z", 0): "D", ("A", 7): "D", ("A", 1): "X", ("A", 2): "D"})
    assert [(v.rule, v.employee, v.day) for v in ev.violations] == [
        ("unknown_reference", "Z", 0),
        ("unknown_reference", "A", 7),
        ("unknown_reference", "A", 1),
    ]


def test_day_off() -> None:
    assert rules_of(days_off=("A,3",), schedule=work(2, 4)) == set()
    assert rules_of(days_off=("A,3",), schedule=work(3)) == {("day_off", "A", 3)}


def test_cannot_follow() -> None:
    assert rules_of(schedule={("A", 1): "N", ("A", 2): "D"}) == {("cannot_follow", "A", 2)}
    assert rules_of(schedule={("A", 1): "D", ("A", 2): "N"}) == set()  # N may follow D
    assert rules_of(schedule={("A", 1): "N", ("A", 3): "D"}) == set()  # a day between
    assert rules_of(schedule={("A", 1): "N", ("A", 2): "N"}) == set()


def test_max_shifts() -> None:
    staff = "A,D=2|N=0,100000,0,14,1,1,14"
    assert rules_of(staff, schedule=work(0, 5)) == set()
    assert rules_of(staff, schedule=work(0, 5, 9)) == {("max_shifts", "A", None)}
    assert rules_of(staff, schedule=work(3, shift="N")) == {("max_shifts", "A", None)}  # 0: never


def test_total_minutes() -> None:
    staff = "A,D=14|N=14,1560,1080,14,1,1,14"  # D 480, N 600
    assert rules_of(staff, schedule={("A", 0): "D", ("A", 2): "N"}) == set()  # 1080: the minimum
    assert (
        rules_of(staff, schedule={("A", 0): "N", ("A", 2): "D", ("A", 4): "D"}) == set()
    )  # 1560: the maximum
    assert rules_of(staff, schedule=work(0, 2)) == {("min_total_minutes", "A", None)}  # 960
    assert rules_of(staff, schedule={("A", 0): "N", ("A", 2): "N", ("A", 4): "D"}) == {
        ("max_total_minutes", "A", None)  # 1680
    }


def test_max_consecutive_shifts() -> None:
    staff = "A,D=14|N=14,100000,0,3,1,1,14"
    assert rules_of(staff, schedule=work(4, 5, 6, 8, 9, 10)) == set()
    assert rules_of(staff, schedule=work(4, 5, 6, 7)) == {("max_consecutive_shifts", "A", 4)}
    assert rules_of(staff, schedule=work(0, 1, 2, 3)) == {("max_consecutive_shifts", "A", 0)}  # edges count
    assert rules_of(staff, schedule=work(10, 11, 12, 13)) == {("max_consecutive_shifts", "A", 10)}


def test_min_consecutive_shifts() -> None:
    staff = "A,D=14|N=14,100000,0,14,3,1,14"
    assert rules_of(staff, schedule=work(4, 5, 6)) == set()
    assert rules_of(staff, schedule=work(4, 5)) == {("min_consecutive_shifts", "A", 4)}
    assert rules_of(staff, schedule=work(1, 5, 6, 7)) == {("min_consecutive_shifts", "A", 1)}
    # runs that include the horizon's first or last day are not judged
    assert rules_of(staff, schedule=work(0, 13)) == set()
    assert rules_of(staff, schedule=work(0, 1, 12, 13)) == set()
    assert rules_of(staff, schedule={}) == set()


def test_min_consecutive_days_off() -> None:
    staff = "A,D=14|N=14,100000,0,14,1,2,14"
    assert rules_of(staff, schedule=work(*range(0, 5), *range(7, 14))) == set()  # days 5, 6 off
    assert rules_of(staff, schedule=work(*range(0, 5), *range(6, 14))) == {
        ("min_consecutive_days_off", "A", 5)
    }
    # off-runs that include the horizon's first or last day are not judged
    assert rules_of(staff, schedule=work(*range(1, 13))) == set()
    assert rules_of(staff, schedule=work(*range(0, 14))) == set()


def test_max_weekends() -> None:
    staff = "A,D=14|N=14,100000,0,14,1,1,1"  # weekends: days 5-6 and 12-13
    assert rules_of(staff, schedule=work(5, 6)) == set()
    assert rules_of(staff, schedule=work(6, 7, 8, 9, 10, 11)) == set()  # one weekend, its Sunday
    assert rules_of(staff, schedule=work(5, 13)) == {("max_weekends", "A", None)}
    assert rules_of(staff, schedule=work(4, 7, 11)) == set()  # Friday, Monday: no weekend
    # a horizon ending on a Saturday counts that Saturday
    assert rules_of(staff, days=13, schedule=work(6, 12)) == {("max_weekends", "A", None)}
    assert rules_of(staff, days=13, schedule=work(12)) == set()


# --------------------------------------------------------------------------- plain model


def test_plain_model_on_a_small_instance_by_hand() -> None:
    # One employee, 7 days, day off on day 3; cover D needs 1 on days 0-6 (weight 100 under, 1 over);
    # at most 3 days in a row, 2 weekends. Best: work 0-2 and 4-6 (the day off is the only gap),
    # under-cover of day 3 costs 100, and the on-request for N on day 1 costs 5.
    inst = make(
        days=7,
        staff=("A,D=7|N=7,100000,0,3,1,1,2",),
        days_off=("A,3",),
        on=("A,1,N,5",),
        cover=tuple(f"{d},D,1,100,1" for d in range(7)),
    )
    result = solve_plain(inst, 5.0, workers=1)
    assert result.status == "OPTIMAL"
    assert result.objective == result.bound == 105
    assert result.schedule == work(0, 1, 2, 4, 5, 6)
    assert result.first_solution_seconds is not None


def test_plain_model_on_instance1() -> None:
    inst = read_instance(INSTANCES / "Instance1.txt")
    result = solve_plain(inst, 10.0)
    assert result.objective is not None and result.bound is not None
    ev = evaluate(inst, result.schedule)
    assert ev.violations == ()
    assert ev.objective == result.objective
    assert result.bound <= 607 <= result.objective  # the proven optimum
    if result.status == "OPTIMAL":
        assert result.objective == 607
