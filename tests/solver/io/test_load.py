"""Loading a scenario document (docs/scenario-format.md): what a valid one builds, and how a whole
document that is not one is rejected, every error listed once, in document order."""

from __future__ import annotations

from datetime import date, time

import pytest

from solver.domain import Assignment, PostKind, Weights, WorkRules
from solver.io.errors import InvalidDocument
from solver.io.load import load_scenario, parse_json, scenario_from_dict
from tests.solver.builders import MON, at, coverage, history, iso, officer, post, scenario_doc, shift
from tests.solver.io.helpers import EXAMPLE, SKILLS, errors, pin, rejected

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
