from tests.solver.rules.harness import duty, feasible, officer, referee, world

RULE = "unavailable"


def _doc(end: str):
    return officer(world(), "a", unavailable=[{"start": "2021-11-09T06:00", "end": end, "reason": "leave"}])


def test_duty_overlapping_a_span_by_one_minute_is_infeasible(kind):
    roster = [duty("a", "p1", "D", 1)]  # D starts 08:00, span ends 08:01
    assert referee(_doc("2021-11-09T08:01"), roster, RULE)
    assert not feasible(kind, _doc("2021-11-09T08:01"), roster, RULE)


def test_span_end_is_exclusive(kind):
    roster = [duty("a", "p1", "D", 1)]
    assert not referee(_doc("2021-11-09T08:00"), roster, RULE)
    assert feasible(kind, _doc("2021-11-09T08:00"), roster, RULE)


def test_night_duty_running_into_a_span_is_infeasible(kind):
    roster = [duty("a", "p1", "X", 0)]  # 20:00 Monday to 08:00 Tuesday
    assert not feasible(kind, _doc("2021-11-09T08:00"), roster, RULE)


def test_other_officer_unaffected(kind):
    assert feasible(kind, _doc("2021-11-12T00:00"), [duty("b", "p1", "D", 1)], RULE)


def test_a_busy_span_forbids_a_duty_as_unavailability_does(kind):
    doc = officer(world(), "a", busy=[{"start": "2021-11-09T07:00", "end": "2021-11-09T08:01"}])
    roster = [duty("a", "p1", "D", 1)]
    assert referee(doc, roster, RULE)
    assert not feasible(kind, doc, roster, RULE)
    assert feasible(kind, doc, [duty("a", "p1", "E", 1)], RULE)
