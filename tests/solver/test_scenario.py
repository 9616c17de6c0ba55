"""The scenario loader (docs/scenario-format.md): what it accepts, what it builds, and that every kind
of invalid input is rejected with the field path and the offending id."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest

from solver.domain import Assignment, PostKind, Weights, WorkRules
from solver.io.documents import scenario_json_schema
from solver.io.errors import FormatError, InvalidDocument
from solver.io.load import load_scenario, parse_json, scenario_from_dict
from solver.io.write import scenario_to_dict
from tests.solver.builders import MON, at, coverage, history, iso, officer, post, scenario_doc, shift

EXAMPLE = Path(__file__).parents[2] / "data" / "example-small.json"
SKILLS = [{"id": "lead", "name": "leader"}]


def errors(doc: Any) -> list[FormatError]:
    with pytest.raises(InvalidDocument) as caught:
        scenario_from_dict(doc)
    assert caught.value.errors, "rejected without a reason"
    return caught.value.errors


def rejected(doc: Any, path: str, oid: str | None = None, text: str = "") -> FormatError:
    """The document is rejected with exactly one error, at `path`, owned by `oid`, saying `text`."""
    errs = errors(doc)
    assert [(e.path, e.id) for e in errs] == [(path, oid)], errs
    assert text.lower() in errs[0].message.lower(), errs[0]
    shown = str(errs[0])
    assert shown.startswith(path or "(document)")
    if oid is not None:
        assert repr(oid) in shown
    return errs[0]


def changed(edit: Callable[[dict[str, Any]], Any], **overrides: Any) -> dict[str, Any]:
    doc = scenario_doc(**overrides)
    edit(doc)
    return doc


# --------------------------------------------------------------------------- valid documents


def test_the_example_loads():
    s = load_scenario(EXAMPLE)
    assert (s.start, s.days, s.timezone) == (date(2021, 11, 8), 7, "Asia/Shanghai")
    assert [t.id for t in s.shift_types] == ["N", "D", "E", "A"]
    assert len(s.posts) == 4 and len(s.officers) == 14
    assert s.pinned == (Assignment(date(2021, 11, 8), "D", "g30-east", "gz-01"),)
    assert s.officer("hq-01").serves == ("ganzhou",)
    assert s.rules_for(s.officer("gz-09")).max_minutes_per_7_days == 2400


def test_defaults_are_applied():
    s = scenario_from_dict(scenario_doc())
    assert s.timezone == "Asia/Shanghai"
    assert s.skills is None
    assert (s.rules, s.weights, s.pinned, s.baseline) == (WorkRules(), Weights(), (), ())
    assert s.rules == WorkRules(660, 2880, 1, 6, 3)
    assert s.weights == Weights(
        shortfall=1000, request=10, fair_duties=2, fair_nights=5, continuity=1, change=20
    )
    o1 = s.officer("o1")
    assert (o1.serves, o1.skills, o1.unavailable, o1.requests, o1.history) == (
        ("u1",),
        frozenset(),
        (),
        (),
        (),
    )
    assert dict(o1.rule_overrides) == {}
    p1 = s.post("p1")
    assert (p1.priority, p1.kind) == (1, PostKind.CHECKPOINT)
    d = s.shift("D")
    assert (d.start, d.minutes, d.night) == (time(8, 0), 480, False)
    cov = (
        scenario_from_dict(scenario_doc(posts=[post("p1", cover=[{"shift": "D", "min": 2}])]))
        .post("p1")
        .coverage[0]
    )
    assert (cov.min, cov.max, dict(cov.skills), cov.days) == (2, 2, {}, None)


def test_rules_merge_key_by_key_over_the_scenario_then_the_defaults():
    s = scenario_from_dict(
        scenario_doc(
            rules={"min_rest_minutes": 600, "max_consecutive_days": 5, "weights": {"change": 5}},
            officers=[
                officer("o1", rules={"max_consecutive_days": 4, "min_days_off_per_7_days": 2}),
                officer("o2"),
            ],
        )
    )
    assert s.weights == Weights(change=5)
    assert s.rules_for(s.officer("o1")) == WorkRules(600, 2880, 2, 4, 3)
    assert s.rules_for(s.officer("o2")) == WorkRules(600, 2880, 1, 5, 3)


def test_ids_are_unique_per_kind_only():
    doc = scenario_doc(
        units=[{"id": "x", "name": "unit x"}],
        skills=[{"id": "x", "name": "skill x"}],
        shift_types=[shift("x", "08:00", 480)],
        posts=[post("x", unit="x", shifts=["x"])],
        officers=[officer("x", unit="x", skills=["x"])],
    )
    scenario_from_dict(doc)


def test_without_a_skill_catalogue_any_skill_may_be_used():
    doc = scenario_doc(
        posts=[post("p1", cover=[coverage("D", 1, skills={"anything": 1})])],
        officers=[officer("o1", skills=["else"])],
    )
    assert scenario_from_dict(doc).officer("o1").skills == frozenset({"else"})


def test_limits_of_the_value_ranges_are_accepted():
    doc = scenario_doc(
        horizon={"start": MON.isoformat(), "days": 366},
        shift_types=[shift("D", "00:00", 1440), shift("E", "23:59", 1)],
        posts=[{**post("p1", shifts=["D", "E"]), "priority": 100}],
        rules={"min_days_off_per_7_days": 7, "min_rest_minutes": 0, "weights": {"shortfall": 0}},
    )
    s = scenario_from_dict(doc)
    assert (s.days, s.post("p1").priority, s.rules.min_days_off_per_7_days) == (366, 100, 7)


def test_coverage_days_select_weekdays_and_dates_and_ignore_dates_outside_the_horizon():
    cover = [
        coverage("D", days=["sat", iso(1), "2030-01-01"]),
        coverage("E", days=[]),
        coverage("N", days=None),
    ]
    s = scenario_from_dict(scenario_doc(posts=[post("p1", cover=cover)]))
    assert [(slot.shift, slot.date) for slot in s.slots() if slot.shift != "N"] == [
        ("D", MON.replace(day=9)),
        ("D", MON.replace(day=13)),
    ]
    assert sum(1 for slot in s.slots() if slot.shift == "N") == 7


def test_a_pinned_duty_with_a_slot_and_a_serving_available_officer_loads():
    doc = scenario_doc(
        officers=[officer("o1", unavailable=[{"start": at(0, "00:00"), "end": at(0, "08:00")}])],
        pinned=[{"officer": "o1", "post": "p1", "shift": "D", "date": iso(0)}],
    )
    assert scenario_from_dict(doc).pinned == (Assignment(MON, "D", "p1", "o1"),)


def test_baseline_entries_are_format_checked_only():
    doc = scenario_doc(baseline=[{"officer": "left", "post": "gone", "shift": "X", "date": "2020-01-01"}])
    assert scenario_from_dict(doc).baseline == (Assignment(date(2020, 1, 1), "X", "gone", "left"),)


# --------------------------------------------------------------------------- references and ids


@pytest.mark.parametrize(
    ("edit", "path", "oid", "text"),
    [
        (lambda d: d["posts"][0].update(unit="nope"), "posts[0].unit", "p1", "unknown unit 'nope'"),
        (
            lambda d: d["posts"][1]["coverage"][1].update(shift="Z"),
            "posts[1].coverage[1].shift",
            "p2",
            "unknown shift type 'Z'",
        ),
        (lambda d: d["officers"][1].update(unit="nope"), "officers[1].unit", "o2", "unknown unit"),
        (
            lambda d: d["officers"][0].update(serves=["u1", "nope"]),
            "officers[0].serves[1]",
            "o1",
            "unknown unit 'nope'",
        ),
        (
            lambda d: d["officers"][2].update(
                requests=[{"kind": "shift_on", "shift": "Z", "date": iso(0), "weight": 1}]
            ),
            "officers[2].requests[0].shift",
            "o3",
            "unknown shift type",
        ),
        (
            lambda d: d["officers"][0].update(history=history(("Z", -1))),
            "officers[0].history[0].shift",
            "o1",
            "unknown shift",
        ),
        (
            lambda d: d.update(pinned=[{"officer": "ghost", "post": "p1", "shift": "D", "date": iso(0)}]),
            "pinned[0].officer",
            "ghost",
            "unknown officer 'ghost'",
        ),
        (
            lambda d: d.update(pinned=[{"officer": "o1", "post": "nope", "shift": "D", "date": iso(0)}]),
            "pinned[0].post",
            "o1",
            "unknown post 'nope'",
        ),
        (
            lambda d: d.update(pinned=[{"officer": "o1", "post": "p1", "shift": "Z", "date": iso(0)}]),
            "pinned[0].shift",
            "o1",
            "unknown shift type 'Z'",
        ),
    ],
)
def test_unknown_references_are_rejected(edit, path, oid, text):
    rejected(changed(edit), path, oid, text)


def test_with_a_catalogue_every_skill_used_must_be_listed():
    doc = scenario_doc(
        skills=SKILLS,
        posts=[post("p1", cover=[coverage("D", 1, skills={"lead": 1, "ghost": 1})])],
        officers=[officer("o1", skills=["lead", "spook"])],
    )
    errs = errors(doc)
    assert [(e.path, e.id) for e in errs] == [
        ("officers[0].skills[1]", "o1"),
        ("posts[0].coverage[0].skills.ghost", "p1"),
    ]
    assert all("unknown skill" in e.message for e in errs)
    empty = scenario_doc(skills=[], officers=[officer("o1", skills=["lead"])])
    rejected(empty, "officers[0].skills[0]", "o1", "unknown skill 'lead'")


@pytest.mark.parametrize(
    ("key", "item", "dup_id"),
    [
        ("shift_types", shift("D", "09:00", 60), "D"),
        ("units", {"id": "u1", "name": "again"}, "u1"),
        ("skills", {"id": "lead", "name": "again"}, "lead"),
        ("posts", post("p1"), "p1"),
        ("officers", officer("o1"), "o1"),
    ],
)
def test_duplicate_ids_are_rejected(key, item, dup_id):
    doc = scenario_doc(skills=SKILLS)
    doc[key].append(item)
    index = len(doc[key]) - 1
    err = rejected(doc, f"{key}[{index}].id", dup_id, "duplicate")
    assert f"{key}[0]" in err.message


def test_an_empty_id_is_rejected():
    rejected(changed(lambda d: d["officers"][0].update(id="")), "officers[0].id", "", "at least 1 character")


# --------------------------------------------------------------------------- coverage


def test_max_below_min_is_rejected_at_max():
    doc = scenario_doc(posts=[post("p1", cover=[coverage("D", min=3, max=2)])])
    rejected(doc, "posts[0].coverage[0].max", "p1", "max (2) is less than min (3)")


def test_a_skill_need_above_max_is_rejected_at_the_skill():
    doc = scenario_doc(
        skills=SKILLS, posts=[post("p1", cover=[coverage("D", min=1, max=2, skills={"lead": 3})])]
    )
    rejected(doc, "posts[0].coverage[0].skills.lead", "p1", "more than max (2)")
    # max defaults to min
    doc = scenario_doc(posts=[post("p1", cover=[coverage("D", min=1, max=None, skills={"lead": 2})])])
    rejected(doc, "posts[0].coverage[0].skills.lead", "p1", "more than max (1)")
    at_max = scenario_doc(posts=[post("p1", cover=[coverage("D", min=1, max=None, skills={"lead": 1})])])
    scenario_from_dict(at_max)


@pytest.mark.parametrize(
    ("cov", "path", "text"),
    [
        ({"shift": "D", "min": -1}, "posts[0].coverage[0].min", "greater than or equal to 0"),
        (
            {"shift": "D", "min": 1, "skills": {"lead": 0}},
            "posts[0].coverage[0].skills.lead",
            "greater than or equal to 1",
        ),
        ({"shift": "D", "min": 1, "skills": {"": 1}}, "posts[0].coverage[0].skills", 'key ""'),
        ({"shift": "D", "min": 1, "days": ["monday"]}, "posts[0].coverage[0].days[0]", "mon..sun"),
        ({"shift": "D", "min": 1, "days": ["Mon"]}, "posts[0].coverage[0].days[0]", "mon..sun"),
        ({"shift": "D", "min": 1, "days": ["2021-02-30"]}, "posts[0].coverage[0].days[0]", ""),
        ({"shift": "D", "min": 1, "days": "mon"}, "posts[0].coverage[0].days", ""),
        ({"shift": "D"}, "posts[0].coverage[0].min", "required"),
    ],
)
def test_malformed_coverage_is_rejected(cov, path, text):
    rejected(scenario_doc(posts=[post("p1", cover=[cov])]), path, "p1", text)


def test_two_entries_of_one_post_and_shift_may_not_select_the_same_date():
    both_every_day = scenario_doc(posts=[post("p1", cover=[coverage("D"), coverage("D", days=["tue"])])])
    err = rejected(both_every_day, "posts[0].coverage[1].days", "p1", "already given by posts[0].coverage[0]")
    assert iso(1) in err.message
    weekday_and_date = scenario_doc(
        posts=[post("p1", cover=[coverage("D", days=["mon"]), coverage("D", days=[iso(0)])])]
    )
    rejected(weekday_and_date, "posts[0].coverage[1].days", "p1", iso(0))


def test_entries_selecting_different_dates_or_shifts_may_coexist():
    cover = [
        coverage("D", days=["mon", "tue"]),
        coverage("D", days=["wed", iso(3)]),
        coverage("E"),
        coverage("N"),
    ]
    scenario_from_dict(scenario_doc(posts=[post("p1", cover=cover), post("p2", cover=[coverage("D")])]))


def test_entries_clashing_only_outside_the_horizon_are_allowed():
    # Ambiguity: "two coverage entries of one post and shift that select the same date". The most
    # literal reading: dates outside the horizon are ignored, so they are never selected and cannot clash.
    cover = [coverage("D", days=["mon", "2030-01-01"]), coverage("D", days=["tue", "2030-01-01"])]
    scenario_from_dict(scenario_doc(posts=[post("p1", cover=cover)]))


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    "value",
    [
        "2021-11-8",
        "2021/11/08",
        "21-11-08",
        "2021-02-30",
        "2021-13-01",
        "2021-11-08T00:00",
        " 2021-11-08",
        "2021-11-08\n",
        "",
        20211108,
    ],
)
def test_malformed_dates_are_rejected(value):
    rejected(changed(lambda d: d["horizon"].update(start=value)), "horizon.start", None)


@pytest.mark.parametrize(
    "value",
    [
        "2021-11-08 10:00",
        "2021-11-08T10:00:00",
        "2021-11-08T24:00",
        "2021-11-08T10:60",
        "2021-11-08T9:00",
        "2021-02-30T10:00",
        "2021-11-08T10:00+08:00",
        "2021-11-08T10:00Z",
        "2021-11-08",
    ],
)
def test_malformed_date_times_are_rejected(value):
    span = {"start": value, "end": at(9, "00:00")}
    rejected(
        changed(lambda d: d["officers"][0].update(unavailable=[span])),
        "officers[0].unavailable[0].start",
        "o1",
    )


@pytest.mark.parametrize("value", ["8:00", "24:00", "07:60", "08:00:00", "0800", "08:00Z", "08h00", ""])
def test_malformed_times_are_rejected(value):
    rejected(changed(lambda d: d["shift_types"][0].update(start=value)), "shift_types[0].start", "D")


@pytest.mark.parametrize(("minutes", "ok"), [(0, False), (1, True), (1440, True), (1441, False)])
def test_a_shift_lasts_one_minute_to_one_day(minutes, ok):
    doc = changed(lambda d: d["shift_types"][0].update(minutes=minutes))
    if ok:
        scenario_from_dict(doc)
    else:
        rejected(doc, "shift_types[0].minutes", "D")


@pytest.mark.parametrize(("days", "ok"), [(0, False), (1, True), (366, True), (367, False)])
def test_a_horizon_has_1_to_366_days(days, ok):
    doc = changed(lambda d: d["horizon"].update(days=days))
    if ok:
        assert scenario_from_dict(doc).days == days
    else:
        rejected(doc, "horizon.days", None)


@pytest.mark.parametrize(
    ("edit", "path", "oid"),
    [
        (lambda d: d["horizon"].update(days=7.0), "horizon.days", None),
        (lambda d: d["horizon"].update(days=True), "horizon.days", None),
        (lambda d: d["shift_types"][1].update(minutes=480.0), "shift_types[1].minutes", "E"),
        (lambda d: d["posts"][0]["coverage"][0].update(min=1.0), "posts[0].coverage[0].min", "p1"),
        (lambda d: d["posts"][0]["coverage"][0].update(min=True), "posts[0].coverage[0].min", "p1"),
        (lambda d: d["posts"][0]["coverage"][0].update(max=2.0), "posts[0].coverage[0].max", "p1"),
        (
            lambda d: d["posts"][0]["coverage"][0].update(skills={"lead": True}),
            "posts[0].coverage[0].skills.lead",
            "p1",
        ),
        (lambda d: d["posts"][1].update(priority=2.0), "posts[1].priority", "p2"),
        (lambda d: d["posts"][1].update(priority=False), "posts[1].priority", "p2"),
        (
            lambda d: d["officers"][0].update(requests=[{"kind": "day_off", "date": iso(0), "weight": 1.0}]),
            "officers[0].requests[0].weight",
            "o1",
        ),
        (
            lambda d: d["officers"][0].update(requests=[{"kind": "day_off", "date": iso(0), "weight": True}]),
            "officers[0].requests[0].weight",
            "o1",
        ),
        (lambda d: d.update(rules={"min_rest_minutes": 660.0}), "rules.min_rest_minutes", None),
        (lambda d: d.update(rules={"weights": {"change": True}}), "rules.weights.change", None),
        (
            lambda d: d["officers"][2].update(rules={"max_consecutive_days": 6.0}),
            "officers[2].rules.max_consecutive_days",
            "o3",
        ),
    ],
)
def test_floats_and_booleans_are_not_integers(edit, path, oid):
    rejected(changed(edit), path, oid, "expected an integer")


@pytest.mark.parametrize("value", [1, 0, "true", None])
def test_night_is_a_boolean(value):
    rejected(
        changed(lambda d: d["shift_types"][0].update(night=value)),
        "shift_types[0].night",
        "D",
        "true or false",
    )


@pytest.mark.parametrize(
    ("edit", "path", "oid"),
    [
        (lambda d: d["posts"][0]["coverage"][0].update(max=None), "posts[0].coverage[0].max", "p1"),
        (lambda d: d["officers"][0].update(serves=None), "officers[0].serves", "o1"),
        (lambda d: d.update(skills=None), "skills", None),
        (lambda d: d.update(rules={"min_rest_minutes": None}), "rules.min_rest_minutes", None),
        (lambda d: d.update(rules={"weights": {"request": None}}), "rules.weights.request", None),
        (lambda d: d.update(rules=None), "rules", None),
        (lambda d: d.update(pinned=None), "pinned", None),
        (
            lambda d: d["officers"][1].update(rules={"min_days_off_per_7_days": None}),
            "officers[1].rules.min_days_off_per_7_days",
            "o2",
        ),
    ],
)
def test_null_is_not_a_default(edit, path, oid):
    # "A field shown `= default` may be omitted": omitted, not null. Only coverage `days` is `= null`.
    rejected(changed(edit), path, oid)


@pytest.mark.parametrize(
    ("edit", "path", "oid"),
    [
        (lambda d: d.update(name=5), "name", None),
        (lambda d: d["units"][0].update(name=None), "units[0].name", "u1"),
        (lambda d: d["officers"][0].update(id=7), "officers[0].id", None),
        (lambda d: d["posts"][0].update(kind="road"), "posts[0].kind", "p1"),
        (lambda d: d["posts"][0].update(priority=0), "posts[0].priority", "p1"),
        (lambda d: d["posts"][0].update(priority=101), "posts[0].priority", "p1"),
        (lambda d: d.update(rules={"min_days_off_per_7_days": 8}), "rules.min_days_off_per_7_days", None),
        (lambda d: d.update(rules={"max_consecutive_nights": -1}), "rules.max_consecutive_nights", None),
        (lambda d: d.update(rules={"weights": {"fair_nights": -5}}), "rules.weights.fair_nights", None),
        (lambda d: d.update(timezone="Mars/Olympus"), "timezone", None),
        (lambda d: d.update(timezone="America"), "timezone", None),
        (lambda d: d.update(timezone=""), "timezone", None),
        (lambda d: d.update(officers={"o1": {}}), "officers", None),
        (lambda d: d["officers"].append("o4"), "officers[3]", None),
    ],
)
def test_bad_values_are_rejected(edit, path, oid):
    rejected(changed(edit), path, oid)


@pytest.mark.parametrize("field", ["name", "horizon", "shift_types", "units", "posts", "officers"])
def test_required_top_level_fields(field):
    doc = scenario_doc()
    del doc[field]
    errs = [(e.path, e.id, e.message) for e in errors(doc)]
    assert (field, None, "required field is missing") in errs
    if field not in ("shift_types", "units"):  # without those, every reference to them is unknown too
        assert len(errs) == 1


def test_required_fields_of_objects():
    doc = scenario_doc()
    del doc["officers"][1]["name"]
    del doc["posts"][2]["coverage"]
    errs = errors(doc)
    assert [(e.path, e.id, e.message) for e in errs] == [
        ("officers[1].name", "o2", "required field is missing"),
        ("posts[2].coverage", "q1", "required field is missing"),
    ]


@pytest.mark.parametrize(
    ("edit", "path", "oid"),
    [
        (lambda d: d.update(version=1), "version", None),
        (lambda d: d["horizon"].update(end=iso(6)), "horizon.end", None),
        (lambda d: d["officers"][0].update(nickname="Li"), "officers[0].nickname", "o1"),
        (lambda d: d["posts"][0]["coverage"][0].update(note="x"), "posts[0].coverage[0].note", "p1"),
        (lambda d: d.update(rules={"weights": {"bonus": 1}}), "rules.weights.bonus", None),
        (lambda d: d.update(rules={"max_hours": 1}), "rules.max_hours", None),
        (
            lambda d: d["officers"][1].update(rules={"weights": {"change": 1}}),
            "officers[1].rules.weights",
            "o2",
        ),
        (
            lambda d: d.update(
                pinned=[{"officer": "o1", "post": "p1", "shift": "D", "date": iso(0), "why": "x"}]
            ),
            "pinned[0].why",
            None,
        ),
    ],
)
def test_unknown_fields_are_rejected(edit, path, oid):
    rejected(changed(edit), path, oid, "unknown field")


# --------------------------------------------------------------------------- officers


def test_unavailability_must_end_after_it_starts():
    span = {"start": at(1, "10:00"), "end": at(1, "09:59")}
    rejected(
        changed(lambda d: d["officers"][1].update(unavailable=[span])),
        "officers[1].unavailable[0].end",
        "o2",
        "before",
    )
    empty = {"start": at(1, "10:00"), "end": at(1, "10:00")}
    rejected(
        changed(lambda d: d["officers"][1].update(unavailable=[empty])),
        "officers[1].unavailable[0].end",
        "o2",
    )
    overlapping = [
        {"start": at(1, "10:00"), "end": at(1, "12:00")},
        {"start": at(1, "11:00"), "end": at(1, "13:00")},
    ]
    scenario_from_dict(changed(lambda d: d["officers"][1].update(unavailable=overlapping)))


def test_unavailability_is_compared_on_real_instants():
    # Europe/Berlin, 2021-03-28: 02:30 does not exist and moves forward to 03:30 CEST, after 03:15.
    span = {"start": "2021-03-28T02:30", "end": "2021-03-28T03:15"}
    doc = scenario_doc(timezone="Europe/Berlin", officers=[officer("o1", unavailable=[span])])
    rejected(doc, "officers[0].unavailable[0].end", "o1")


def test_busy_spans_load_apart_from_unavailability_and_end_after_they_start():
    """`busy` (project extension): duties the officer has in other published rosters."""
    elsewhere = {"start": at(1, "08:00"), "end": at(1, "16:00"), "reason": "on duty at q9 (roster 4)"}
    leave = {"start": at(3, "00:00"), "end": at(4, "00:00")}
    s = scenario_from_dict(scenario_doc(officers=[officer("o1", unavailable=[leave], busy=[elsewhere])]))
    o1 = s.officer("o1")
    assert [(x.start, x.end, x.reason) for x in o1.busy] == [
        (datetime(2021, 11, 9, 8, 0), datetime(2021, 11, 9, 16, 0), "on duty at q9 (roster 4)")
    ]
    assert len(o1.unavailable) == 1 and o1.away == (*o1.unavailable, *o1.busy)
    assert scenario_from_dict(json.loads(json.dumps(scenario_to_dict(s)))) == s
    assert "busy" not in scenario_to_dict(scenario_from_dict(scenario_doc()))["officers"][0]
    backwards = {"start": at(1, "10:00"), "end": at(1, "09:00")}
    doc = changed(lambda d: d["officers"][1].update(busy=[backwards]))
    rejected(doc, "officers[1].busy[0].end", "o2", "before")


@pytest.mark.parametrize(
    ("request_", "text"),
    [
        ({"kind": "day_off", "date": iso(1), "shift": "D", "weight": 1}, "must not name a shift"),
        ({"kind": "day_off", "date": iso(1), "shift": None, "weight": 1}, "must not name a shift"),
        ({"kind": "shift_on", "date": iso(1), "weight": 1}, "needs a shift"),
        ({"kind": "shift_off", "date": iso(1), "weight": 1}, "needs a shift"),
        ({"kind": "shift_off", "date": iso(1), "shift": None, "weight": 1}, "needs a shift"),
    ],
)
def test_a_request_names_a_shift_exactly_when_its_kind_needs_one(request_, text):
    rejected(
        changed(lambda d: d["officers"][2].update(requests=[request_])),
        "officers[2].requests[0].shift",
        "o3",
        text,
    )


def test_every_error_of_a_request_is_listed():
    bad = {"kind": "day_off", "date": "2021-13-01", "shift": "D", "weight": 0}
    errs = errors(changed(lambda d: d["officers"][0].update(requests=[bad])))
    assert sorted(e.path for e in errs) == [
        f"officers[0].requests[0].{f}" for f in ("date", "shift", "weight")
    ]


def test_other_request_fields():
    requests = [
        {"kind": "holiday", "date": iso(1), "weight": 1},
        {"kind": "day_off", "date": iso(1)},
        {"kind": "day_off", "date": iso(1), "weight": 0},
        {"kind": "day_off", "date": "2021-11-31", "weight": 1},
    ]
    errs = errors(changed(lambda d: d["officers"][0].update(requests=requests)))
    assert [(e.path, e.id) for e in errs] == [
        ("officers[0].requests[0].kind", "o1"),
        ("officers[0].requests[1].weight", "o1"),
        ("officers[0].requests[2].weight", "o1"),
        ("officers[0].requests[3].date", "o1"),
    ]


def test_requests_may_be_dated_outside_the_horizon():
    requests = [
        {"kind": "day_off", "date": iso(-30), "weight": 1},
        {"kind": "day_off", "date": iso(30), "weight": 1},
    ]
    scenario_from_dict(changed(lambda d: d["officers"][0].update(requests=requests)))


def test_history_must_lie_before_the_horizon_start():
    scenario_from_dict(changed(lambda d: d["officers"][0].update(history=history(("N", -1)))))
    rejected(
        changed(lambda d: d["officers"][0].update(history=history(("N", 0)))),
        "officers[0].history[0].date",
        "o1",
        "not before",
    )
    rejected(
        changed(lambda d: d["officers"][1].update(history=history(("D", -1), ("D", 3)))),
        "officers[1].history[1].date",
        "o2",
    )


def test_history_may_not_list_a_duty_twice():
    err = rejected(
        changed(lambda d: d["officers"][0].update(history=history(("D", -2), ("E", -2), ("D", -2)))),
        "officers[0].history[2]",
        "o1",
        "duplicate",
    )
    assert "history[0]" in err.message


def test_dates_python_cannot_place_in_real_time_are_rejected_not_crashed_on():
    # Year 1 in UTC+8 is before the first instant Python represents; the horizon may not run into year 9999.
    rejected(
        changed(lambda d: d["officers"][0].update(history=[{"shift": "N", "date": "0001-01-01"}])),
        "officers[0].history[0].date",
        "o1",
        "supported",
    )
    rejected(scenario_doc(horizon={"start": "9998-12-31", "days": 2}), "horizon.days", None, "supported")
    scenario_from_dict(scenario_doc(horizon={"start": "9998-12-31", "days": 1}))


# --------------------------------------------------------------------------- pinned duties


def pin(n: int, post_id: str = "p1", shift_id: str = "D", officer_id: str = "o1") -> dict[str, str]:
    return {"officer": officer_id, "post": post_id, "shift": shift_id, "date": iso(n)}


@pytest.mark.parametrize("n", [-1, 7, 100])
def test_a_pin_outside_the_horizon_is_rejected(n):
    rejected(scenario_doc(pinned=[pin(n)]), "pinned[0].date", "o1", "outside the horizon")


def test_a_pin_without_a_slot_is_rejected():
    doc = scenario_doc(
        posts=[post("p1", cover=[coverage("D", days=["tue"]), coverage("E")])], pinned=[pin(0), pin(1)]
    )
    rejected(doc, "pinned[0]", "o1", "no 'D' slot")
    doc = scenario_doc(posts=[post("p1", shifts=["D"])], pinned=[pin(0, shift_id="E")])
    rejected(doc, "pinned[0]", "o1", "no 'E' slot")


def test_a_pin_of_an_officer_not_serving_the_post_unit_is_rejected():
    rejected(scenario_doc(pinned=[pin(0, post_id="q1")]), "pinned[0]", "o1", "does not serve unit 'u2'")
    doc = scenario_doc(officers=[officer("o1", serves=["u2"])], pinned=[pin(0, post_id="p1")])
    rejected(doc, "pinned[0]", "o1", "does not serve unit 'u1'")


def test_a_pin_of_an_unavailable_officer_is_rejected_including_the_night_past_midnight():
    span = {"start": at(1, "05:00"), "end": at(1, "05:30")}  # N of day 0 runs 22:00 to 06:00 of day 1
    doc = scenario_doc(officers=[officer("o1", unavailable=[span])], pinned=[pin(0, shift_id="N")])
    rejected(doc, "pinned[0]", "o1", "unavailable")
    touching = {"start": at(1, "06:00"), "end": at(1, "07:00")}
    scenario_from_dict(
        scenario_doc(officers=[officer("o1", unavailable=[touching])], pinned=[pin(0, shift_id="N")])
    )


def test_a_pin_of_an_officer_busy_elsewhere_is_rejected():
    span = {"start": at(0, "15:00"), "end": at(0, "17:00")}
    doc = scenario_doc(officers=[officer("o1", busy=[span])], pinned=[pin(0)])
    error = rejected(doc, "pinned[0]", "o1", "busy elsewhere")
    assert "busy[0]" in error.message


# --------------------------------------------------------------------------- whole documents


def test_not_json_text_is_rejected():
    for text in ("{not json", "", "[1,", b"\xff\xfe{"):
        with pytest.raises(InvalidDocument) as caught:
            parse_json(text)
        (err,) = caught.value.errors
        assert err.path == ""
        assert "JSON" in err.message or "UTF-8" in err.message


def test_load_scenario_reports_unreadable_and_non_json_files(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("name: not json", encoding="utf-8")
    for path, text in ((bad, "not valid JSON"), (tmp_path / "missing.json", "cannot read")):
        with pytest.raises(InvalidDocument) as caught:
            load_scenario(path)
        assert text in caught.value.errors[0].message


@pytest.mark.parametrize("value", [[], [scenario_doc()], "scenario", 7, None])
def test_a_document_that_is_not_an_object_is_rejected(value):
    rejected(value, "", None, "expected a JSON object")


def test_ten_planted_errors_are_all_listed():
    doc = scenario_doc(skills=SKILLS, pinned=[pin(0)])
    doc["horizon"]["days"] = 0  # 1
    doc["shift_types"][0]["start"] = "24:00"  # 2
    doc["units"].append({"id": "u1", "name": "again"})  # 3
    doc["posts"][0]["unit"] = "nope"  # 4
    doc["posts"][1]["coverage"][0].update(min=3, max=2)  # 5
    doc["officers"][0]["serves"] = ["ghost"]  # 6
    doc["officers"][1]["unavailable"] = [{"start": at(2, "10:00"), "end": at(2, "09:00")}]  # 7
    doc["officers"][2]["history"] = history(("D", 0))  # 8
    doc["pinned"][0]["post"] = "nowhere"  # 9
    doc["rules"] = {"weights": {"change": -1}}  # 10
    expected = {
        "horizon.days": None,
        "shift_types[0].start": "D",
        "units[2].id": "u1",
        "posts[0].unit": "p1",
        "posts[1].coverage[0].max": "p2",
        "officers[0].serves[0]": "o1",
        "officers[1].unavailable[0].end": "o2",
        "officers[2].history[0].date": "o3",
        "pinned[0].post": "o1",
        "rules.weights.change": None,
    }
    errs = errors(doc)
    assert {e.path: e.id for e in errs} == expected
    assert len(errs) == 10
    message = str(InvalidDocument(errs))
    assert "10 error(s)" in message
    assert all(path in message for path in expected)


def test_errors_are_listed_once_in_a_stable_order():
    doc = scenario_doc()
    doc["officers"][2]["unit"] = "nope"
    doc["officers"][0]["unit"] = "nope"
    doc["horizon"]["start"] = "2021-02-30"
    paths = [e.path for e in errors(doc)]
    assert paths == ["horizon.start", "officers[0].unit", "officers[2].unit"]
    assert [e.path for e in errors(doc)] == paths


# --------------------------------------------------------------------------- writing and schema


def rich_doc() -> dict[str, Any]:
    return scenario_doc(
        name="round trip",
        timezone="Europe/Berlin",
        skills=SKILLS,
        shift_types=[shift("D", "08:00", 480), shift("N", "22:00", 600, night=True)],
        posts=[
            {
                **post(
                    "p1",
                    cover=[coverage("D", 1, 2, skills={"lead": 1}, days=["mon", iso(2)]), coverage("N", 0)],
                ),
                "priority": 7,
            },
            post("q1", unit="u2", shifts=["D"]),
        ],
        officers=[
            officer(
                "o1",
                serves=["u1", "u2"],
                skills=["lead"],
                unavailable=[
                    {"start": at(3, "00:00"), "end": at(4, "00:00"), "reason": "leave"},
                    {"start": at(5, "10:00"), "end": at(5, "11:00")},
                ],
                requests=[
                    {"kind": "day_off", "date": iso(1), "weight": 2},
                    {"kind": "shift_on", "date": iso(2), "shift": "N", "weight": 1},
                    {"kind": "shift_on", "date": iso(2), "shift": "N", "weight": 1},
                ],
                history=history(("N", -2), ("D", -1)),
                rules={"min_rest_minutes": 600},
            ),
            officer("o2", unit="u2", serves=[]),
        ],
        rules={"max_consecutive_nights": 2, "weights": {"fair_nights": 9}},
        pinned=[pin(0)],
        baseline=[pin(2), {"officer": "left", "post": "gone", "shift": "X", "date": iso(-5)}],
    )


@pytest.mark.parametrize("source", ["example", "rich"])
def test_round_trip(source):
    original = load_scenario(EXAMPLE) if source == "example" else scenario_from_dict(rich_doc())
    written = scenario_to_dict(original)
    again = scenario_from_dict(json.loads(json.dumps(written)))
    assert again == original
    assert scenario_to_dict(again) == written


def test_the_schema_is_a_draft_2020_12_object_schema_closed_to_unknown_fields():
    schema = scenario_json_schema()
    json.dumps(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert set(schema["required"]) == {"name", "horizon", "shift_types", "units", "posts", "officers"}
    assert set(schema["properties"]) == {
        "name",
        "timezone",
        "horizon",
        "shift_types",
        "units",
        "skills",
        "posts",
        "officers",
        "rules",
        "pinned",
        "baseline",
        "frozen_until",  # optional extension, documented in docs/scenario-format.md
    }
    objects = [schema, *schema["$defs"].values()]
    assert all(o.get("additionalProperties") is False for o in objects)
    assert (
        schema["$defs"]["ShiftTypeDoc"]["properties"]["minutes"].items()
        >= {"minimum": 1, "maximum": 1440}.items()
    )
    assert (
        schema["$defs"]["HorizonDoc"]["properties"]["days"].items() >= {"minimum": 1, "maximum": 366}.items()
    )


def validate(
    instance: Any, schema: dict[str, Any], root: dict[str, Any] | None = None, path: str = ""
) -> list[str]:
    """A small JSON Schema validator for the keywords the loader's schema uses (no dependency added)."""
    root = root or schema
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return validate(instance, root["$defs"][name], root, path)
    if "anyOf" in schema:
        if any(not validate(instance, option, root, path) for option in schema["anyOf"]):
            return []
        return [f"{path}: matches no option"]
    kinds = {
        "object": dict,
        "array": list,
        "string": str,
        "boolean": bool,
        "null": type(None),
        "integer": int,
        "number": (int, float),
    }
    kind = schema.get("type")
    wrong_type = kind is not None and not isinstance(instance, kinds[kind])
    if wrong_type or (kind in ("integer", "number") and isinstance(instance, bool)):
        return [f"{path}: not {kind}"]
    problems = []
    if "enum" in schema and instance not in schema["enum"]:
        problems.append(f"{path}: not in enum")
    if isinstance(instance, (int, float)) and not isinstance(instance, bool):
        if "minimum" in schema and instance < schema["minimum"]:
            problems.append(f"{path}: below minimum")
        if "maximum" in schema and instance > schema["maximum"]:
            problems.append(f"{path}: above maximum")
    if isinstance(instance, str):
        if len(instance) < schema.get("minLength", 0):
            problems.append(f"{path}: too short")
        if "pattern" in schema and not re.search(schema["pattern"], instance):
            problems.append(f"{path}: does not match {schema['pattern']}")
    if isinstance(instance, list) and "items" in schema:
        for i, item in enumerate(instance):
            problems += validate(item, schema["items"], root, f"{path}[{i}]")
    if isinstance(instance, dict):
        props = schema.get("properties", {})
        problems += [f"{path}.{k}: required" for k in schema.get("required", []) if k not in instance]
        for key, value in instance.items():
            if key in props:
                problems += validate(value, props[key], root, f"{path}.{key}")
            elif schema.get("additionalProperties") is False:
                problems.append(f"{path}.{key}: not allowed")
            elif isinstance(schema.get("additionalProperties"), dict):
                problems += validate(value, schema["additionalProperties"], root, f"{path}.{key}")
            if "propertyNames" in schema:
                problems += validate(
                    key, {"type": "string", **schema["propertyNames"]}, root, f"{path}.{key}"
                )
    return problems


def test_the_schema_accepts_valid_documents_and_rejects_invalid_ones():
    schema = scenario_json_schema()
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    for doc in (example, scenario_doc(), rich_doc(), scenario_to_dict(load_scenario(EXAMPLE))):
        assert validate(doc, schema) == []
    for edit in (
        lambda d: d.update(extra=1),
        lambda d: d["horizon"].update(days=0),
        lambda d: d["shift_types"][0].update(minutes=1441),
        lambda d: d["shift_types"][0].update(start="8:00"),
        lambda d: d["posts"][0].update(kind="road"),
        lambda d: d["posts"][0]["coverage"][0].update(max=None),
        lambda d: d["officers"][0].update(id=""),
        lambda d: d.pop("name"),
    ):
        assert validate(changed(edit), schema) != []


def test_the_schema_validates_the_samples_with_jsonschema():
    import jsonschema

    validator = jsonschema.Draft202012Validator(scenario_json_schema())
    for sample in (EXAMPLE, EXAMPLE.with_name("zhangye-2021-11-08.json")):
        validator.validate(json.loads(sample.read_text(encoding="utf-8")))
