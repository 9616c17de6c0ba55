"""The value types of the format: dates, date-times, times, ranges, integers that are not floats
or booleans, null that is no default."""

from __future__ import annotations

import pytest

from solver.io.load import scenario_from_dict
from tests.solver.builders import at, iso
from tests.solver.io.helpers import changed, rejected

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
