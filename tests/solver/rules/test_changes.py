from tests.solver.rules.harness import day, duty, penalty, referee_term, world

RULE = "changes"


def _doc():
    baseline = [
        {"officer": "a", "post": "p1", "shift": "D", "date": day(0).isoformat()},
        {"officer": "a", "post": "p1", "shift": "D", "date": day(1).isoformat()},
        {"officer": "a", "post": "p1", "shift": "D", "date": day(1).isoformat()},  # counted once
        {"officer": "a", "post": "p1", "shift": "D", "date": "2021-11-20"},  # outside: ignored
        {"officer": "gone", "post": "p1", "shift": "D", "date": day(2).isoformat()},  # has left
    ]
    return world(baseline=baseline)


def test_removed_baseline_duties_cost_each(kind):
    roster = [duty("a", "p1", "D", 0)]
    assert referee_term(_doc(), roster, RULE) == 40
    assert penalty(kind, _doc(), roster, RULE) == 40


def test_keeping_everything_costs_only_the_impossible(kind):
    roster = [duty("a", "p1", "D", 0), duty("a", "p1", "D", 1)]
    assert penalty(kind, _doc(), roster, RULE) == 20
    assert referee_term(_doc(), roster, RULE) == 20


def test_moving_a_duty_to_another_post_is_a_change(kind):
    roster = [duty("a", "p1", "D", 0), duty("a", "p2", "D", 1)]
    assert referee_term(_doc(), roster, RULE) == 40
    expected = 20 if kind == "shift" else 40  # the ShiftModel relaxes: a still works that shift
    assert penalty(kind, _doc(), roster, RULE) == expected
