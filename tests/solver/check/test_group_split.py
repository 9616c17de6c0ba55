"""group_split (v2): per group and date, weights.group_split × max(0, k − 1), k the distinct (post,
shift) pairs among the members' horizon duties starting that date."""

from solver.check import check_roster
from solver.domain import Roster
from tests.solver.builders import build, duty, history, officer, report


def groups(*members: tuple[str, ...], **rules: object):
    return build(
        format=2,
        officers=[officer(o) for o in ("o1", "o2", "o3", "o4")],
        groups=[{"id": f"g{i}", "name": f"group {i}", "members": list(m)} for i, m in enumerate(members, 1)],
        **rules,
    )


def split(s, roster) -> int:
    return report(s, roster).score.group_split


def test_members_at_one_post_and_shift_cost_nothing():
    s = groups(("o1", "o2", "o3"))
    assert split(s, []) == 0
    assert split(s, [duty("o1", "p1", "D", 0), duty("o2", "p1", "D", 0), duty("o3", "p1", "D", 0)]) == 0


def test_each_extra_post_shift_pair_on_a_date_costs_the_weight():
    s = groups(("o1", "o2", "o3"))
    # day 0: p1 D, p2 D, p1 E: k = 3 -> 2 × 10; day 1: p1 D and p1 D: k = 1
    roster = [
        duty("o1", "p1", "D", 0),
        duty("o2", "p2", "D", 0),
        duty("o3", "p1", "E", 0),
        duty("o1", "p1", "D", 1),
        duty("o2", "p1", "D", 1),
    ]
    r = report(s, roster)
    assert r.score.group_split == 20
    (item,) = r.by_term("group_split")
    assert item.amount == 20 and item.date == roster[0].date and "g1" in item.detail


def test_one_member_with_two_duties_on_a_date_counts_both_pairs():
    s = groups(("o1", "o2"), rules={"min_rest_minutes": 0})
    assert split(s, [duty("o1", "p1", "D", 2), duty("o1", "p1", "E", 2)]) == 10


def test_groups_are_judged_apart_and_non_members_do_not_count():
    s = groups(("o1", "o2"), ("o3",))
    roster = [duty("o1", "p1", "D", 0), duty("o3", "p2", "D", 0), duty("o4", "p2", "E", 0)]
    assert split(s, roster) == 0
    assert split(s, [*roster, duty("o2", "p1", "D", 0)]) == 0
    assert split(s, [*roster, duty("o2", "p2", "N", 0)]) == 10


def test_history_is_never_counted_and_the_weight_scales():
    s = build(
        format=2,
        officers=[officer("o1", history=history(("D", -1))), officer("o2")],
        groups=[{"id": "g", "name": "g", "members": ["o1", "o2"]}],
        rules={"weights": {"group_split": 3}},
    )
    assert split(s, [duty("o2", "p1", "E", 0)]) == 0  # o1's history D of the day before is not paired
    assert split(s, [duty("o1", "p1", "D", 3), duty("o2", "p2", "D", 3)]) == 3
    s0 = groups(("o1", "o2"), rules={"weights": {"group_split": 0}})
    assert split(s0, [duty("o1", "p1", "D", 3), duty("o2", "p2", "D", 3)]) == 0


def test_the_total_includes_the_term():
    s = groups(("o1", "o2"))
    r = report(s, [duty("o1", "p1", "D", 3), duty("o2", "p2", "D", 3)])
    assert r.score.total == r.score.group_split + r.score.fairness + r.score.continuity
    assert r.score.as_dict()["group_split"] == 10


def test_a_claimed_score_lacking_the_term_compares_as_zero():
    s = groups(("o1", "o2"))
    roster = [duty("o1", "p1", "D", 3), duty("o2", "p1", "D", 3)]
    claimed = {
        k: v for k, v in report(s, roster).score.as_dict().items() if k not in ("group_split", "pattern")
    }
    assert check_roster(s, Roster("t", "FEASIBLE", tuple(roster)), claimed).ok
    split_roster = [duty("o1", "p1", "D", 3), duty("o2", "p2", "D", 3)]
    claimed = {**report(s, split_roster).score.as_dict(), "group_split": 0}
    mismatch = check_roster(s, Roster("t", "FEASIBLE", tuple(split_roster)), claimed).mismatches
    assert any("score.group_split" in m for m in mismatch)
