from tests.solver.rules.harness import duty, officer, penalty, referee_term, world

RULE = "requests"


def _doc(*requests):
    return officer(world(), "a", requests=list(requests))


def test_day_off_broken_by_any_duty_that_day(kind):
    doc = _doc({"kind": "day_off", "date": "2021-11-09", "weight": 2})
    assert penalty(kind, doc, [duty("a", "p1", "N", 1)], RULE) == 20
    assert referee_term(doc, [duty("a", "p1", "N", 1)], RULE) == 20
    assert penalty(kind, doc, [duty("a", "p1", "X", 0)], RULE) == 0  # starts the day before


def test_shift_off_broken_only_by_that_shift(kind):
    doc = _doc({"kind": "shift_off", "date": "2021-11-10", "shift": "N", "weight": 1})
    assert penalty(kind, doc, [duty("a", "p1", "N", 2)], RULE) == 10
    assert penalty(kind, doc, [duty("a", "p1", "D", 2)], RULE) == 0


def test_shift_on_broken_without_that_shift(kind):
    doc = _doc({"kind": "shift_on", "date": "2021-11-11", "shift": "D", "weight": 3})
    assert penalty(kind, doc, [], RULE) == 30
    assert penalty(kind, doc, [duty("a", "p2", "D", 3)], RULE) == 0
    assert referee_term(doc, [], RULE) == 30


def test_shift_on_a_shift_no_post_offers_is_still_broken(kind):
    doc = _doc({"kind": "shift_on", "date": "2021-11-11", "shift": "A", "weight": 1})
    doc["posts"] = [p for p in doc["posts"] if p["id"] != "r"]
    assert penalty(kind, doc, [], RULE) == 10


def test_outside_the_horizon_counts_nothing_and_identical_requests_count_twice(kind):
    doc = _doc(
        {"kind": "day_off", "date": "2021-11-20", "weight": 5},
        {"kind": "day_off", "date": "2021-11-09", "weight": 1},
        {"kind": "day_off", "date": "2021-11-09", "weight": 1},
    )
    assert penalty(kind, doc, [duty("a", "p1", "D", 1)], RULE) == 20
    assert referee_term(doc, [duty("a", "p1", "D", 1)], RULE) == 20
