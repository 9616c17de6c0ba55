from tests.solver.rules.harness import duty, holds, officer, referee, world

RULE = "min_minutes_per_horizon"


def test_fewer_minutes_are_infeasible(kind):
    doc = officer(world(format=2), "a", rules={RULE: 1200})
    roster = [duty("a", "p1", "L", 0)]  # 720 minutes
    assert referee(doc, roster, RULE)
    assert not holds(kind, doc, roster, RULE)


def test_exactly_the_minimum_is_feasible_on_the_horizon_s_edges(kind):
    doc = officer(world(format=2), "a", rules={RULE: 1200})
    roster = [duty("a", "p1", "L", 0), duty("a", "p1", "D", 6)]  # 720 + 480
    assert not referee(doc, roster, RULE)
    assert holds(kind, doc, roster, RULE)


def test_an_officer_who_cannot_work_cannot_reach_it(kind):
    doc = officer(
        world(format=2),
        "a",
        rules={RULE: 480},
        unavailable=[{"start": "2021-11-07T00:00", "end": "2021-11-16T00:00"}],
    )
    assert not holds(kind, doc, [], RULE)
