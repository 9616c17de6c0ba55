from tests.solver.rules.harness import duty, penalty, referee_term, world

RULE = "continuity"


def test_successive_duties_at_different_posts(kind):
    roster = [
        duty("a", "p1", "D", 0),
        duty("a", "p2", "D", 1),
        duty("a", "p2", "D", 3),
        duty("a", "p1", "D", 5),
    ]
    assert referee_term(world(), roster, RULE) == 2
    expected = 0 if kind == "shift" else 2  # the ShiftModel only bounds it: p1 and p2 share shifts
    assert penalty(kind, world(), roster, RULE) == expected


def test_gaps_do_not_break_the_pairing(kind):
    roster = [duty("a", "p1", "D", 0), duty("a", "p1", "D", 6)]
    assert penalty(kind, world(), roster, RULE) == 0
    roster = [duty("a", "p1", "D", 0), duty("a", "p2", "D", 6)]
    assert referee_term(world(), roster, RULE) == 1


def test_posts_without_shared_shifts_are_a_move_for_every_model(kind):
    roster = [duty("a", "r", "A", 0), duty("a", "p1", "D", 1)]
    assert penalty(kind, world(), roster, RULE) == 1
    assert referee_term(world(), roster, RULE) == 1


def test_history_is_never_paired(kind):
    doc = world()
    doc["officers"][0]["history"] = [{"shift": "D", "date": "2021-11-07"}]
    assert penalty(kind, doc, [duty("a", "r", "A", 0)], RULE) == 0
    assert referee_term(doc, [duty("a", "r", "A", 0)], RULE) == 0
