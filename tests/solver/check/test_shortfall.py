"""shortfall: Σ over slots of priority × weights.shortfall × (missing + Σ_k missing_k)."""

from solver.domain import Shortfall
from tests.solver.builders import build, coverage, day, duty, iso, officer, report

ONE_DAY = {"start": iso(0), "days": 1}
SKILLS = [{"id": "lead", "name": "leader"}, {"id": "radio", "name": "radio"}]


def scenario(priority: int = 3, **cov: object):
    cover = coverage("D", **{"min": 2, "max": 3, "skills": {"lead": 1}, **cov})
    return build(
        horizon=ONE_DAY,
        skills=SKILLS,
        posts=[
            {
                "id": "p1",
                "name": "P1",
                "kind": "checkpoint",
                "unit": "u1",
                "priority": priority,
                "coverage": [cover],
            }
        ],
        officers=[officer("o1", skills=["lead", "radio"]), officer("o2"), officer("o3", skills=["radio"])],
    )


def shortfall(s, roster) -> int:
    return report(s, roster).score.shortfall


def test_missing_heads_and_missing_skills_add_up_times_priority_and_weight():
    s = scenario()
    assert shortfall(s, []) == 3 * 1000 * (2 + 1)
    assert shortfall(s, [duty("o2", "p1", "D", 0)]) == 3 * 1000 * (1 + 1)
    assert shortfall(s, [duty("o1", "p1", "D", 0)]) == 3 * 1000 * (1 + 0)
    assert shortfall(s, [duty("o1", "p1", "D", 0), duty("o2", "p1", "D", 0)]) == 0


def test_the_report_lists_each_slot_and_each_skill_with_head_counts():
    s = scenario()
    r = report(s, [duty("o2", "p1", "D", 0)])
    assert r.shortfalls == (Shortfall("p1", "D", day(0), 1), Shortfall("p1", "D", day(0), 1, "lead"))
    assert sorted(c.amount for c in r.by_term("shortfall")) == [3000, 3000]


def test_one_officer_counts_once_for_heads_and_once_for_every_distinct_skill_held():
    s = scenario(min=1, skills={"lead": 1, "radio": 1})
    assert shortfall(s, [duty("o1", "p1", "D", 0)]) == 0  # no role matching: o1 covers both skills
    s = scenario(min=1, skills={"lead": 2, "radio": 1})
    assert shortfall(s, [duty("o1", "p1", "D", 0)]) == 3 * 1000 * 1


def test_an_assignment_listed_twice_fills_one_place():
    s = scenario()
    assert shortfall(s, [duty("o1", "p1", "D", 0)] * 2) == 3 * 1000 * 1


def test_weight_and_priority_are_applied():
    s = build(
        horizon=ONE_DAY,
        rules={"weights": {"shortfall": 7}},
        posts=[
            {"id": "p1", "name": "P1", "kind": "patrol", "unit": "u1", "coverage": [coverage("D", min=2)]}
        ],
    )
    assert shortfall(s, []) == 1 * 7 * 2  # priority defaults to 1


def test_every_slot_of_the_horizon_counts():
    every_day = build(
        posts=[{"id": "p1", "name": "P1", "kind": "other", "unit": "u1", "coverage": [coverage("D", 1)]}]
    )
    assert shortfall(every_day, []) == 7 * 1000
    two_days = build(
        posts=[
            {
                "id": "p1",
                "name": "P1",
                "kind": "other",
                "unit": "u1",
                "coverage": [coverage("D", 1, days=["mon", "wed"])],
            }
        ]
    )
    assert shortfall(two_days, [duty("o1", "p1", "D", 0)]) == 1000
