"""requests: Σ over broken requests dated inside the horizon of weight × weights.request."""

from tests.solver.builders import build, coverage, duty, iso, officer, post, report


def asks(*requests: dict, **rules: object):
    return build(officers=[officer("o1", requests=list(requests)), officer("o2")], **rules)


def day_off(n: int, weight: int = 3) -> dict:
    return {"kind": "day_off", "date": iso(n), "weight": weight}


def shift_req(kind: str, shift: str, n: int, weight: int = 1) -> dict:
    return {"kind": kind, "date": iso(n), "shift": shift, "weight": weight}


def requests(s, roster) -> int:
    return report(s, roster).score.requests


def test_day_off_is_broken_by_any_duty_starting_that_date():
    s = asks(day_off(1))
    assert requests(s, []) == 0
    assert requests(s, [duty("o1", "p1", "D", 1)]) == 3 * 10
    assert requests(s, [duty("o1", "q1", "E", 1)]) == 3 * 10
    assert requests(s, [duty("o1", "p1", "N", 0)]) == 0  # runs into day 1 but starts on day 0
    assert requests(s, [duty("o2", "p1", "D", 1)]) == 0  # another officer


def test_shift_off_is_broken_only_by_that_shift_on_that_date():
    s = asks(shift_req("shift_off", "N", 1, weight=2))
    assert requests(s, [duty("o1", "p1", "N", 1)]) == 2 * 10
    assert requests(s, [duty("o1", "p1", "D", 1), duty("o1", "p1", "N", 2)]) == 0


def test_shift_on_is_broken_without_a_duty_of_that_shift_that_date():
    s = asks(shift_req("shift_on", "D", 2))
    assert requests(s, []) == 10
    assert requests(s, [duty("o1", "p2", "D", 2)]) == 0
    assert requests(s, [duty("o1", "p1", "E", 2)]) == 10


def test_shift_on_is_broken_even_when_no_such_duty_is_possible():
    s = build(
        posts=[post("p1", cover=[coverage("D", days=["mon"])])],
        officers=[officer("o1", requests=[shift_req("shift_on", "D", 1)])],
    )
    assert requests(s, []) == 10


def test_requests_dated_outside_the_horizon_count_zero():
    s = asks(shift_req("shift_on", "D", -1), shift_req("shift_on", "D", 7), day_off(7))
    assert requests(s, [duty("o1", "p1", "D", 6), duty("o1", "p1", "D", 7)]) == 0


def test_identical_requests_count_separately():
    s = asks(day_off(1), day_off(1))
    assert requests(s, [duty("o1", "p1", "D", 1)]) == 2 * 3 * 10
    assert len(report(s, [duty("o1", "p1", "D", 1)]).by_term("requests")) == 2


def test_the_request_weight_is_applied():
    s = asks(day_off(1), shift_req("shift_on", "E", 3, weight=2), rules={"weights": {"request": 4}})
    assert requests(s, [duty("o1", "p1", "D", 1)]) == 3 * 4 + 2 * 4
