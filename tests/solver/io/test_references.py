"""The checks that span objects: ids and references, coverage entries, officers' spans, requests
and history, pinned duties; each rejected with the field path and the offending id."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from solver.io.load import scenario_from_dict
from solver.io.write import scenario_to_dict
from tests.solver.builders import at, coverage, history, iso, officer, post, scenario_doc, shift
from tests.solver.io.helpers import SKILLS, changed, errors, pin, rejected

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
