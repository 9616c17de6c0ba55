"""The minimum-run rules on every pattern of a week: the model (run-start clauses, and a date's
duty as a sum where at most one duty a date is allowed) accepts a roster exactly when the referee
does."""

from itertools import product

import pytest

from tests.solver.rules.harness import duty, holds, referee, world


@pytest.mark.parametrize("one_a_day", [False, True])
@pytest.mark.parametrize(("rule", "need"), [("min_consecutive_days", 3), ("min_consecutive_days_off", 2)])
def test_every_week_pattern_agrees_with_the_referee(rule, need, one_a_day):
    rules = {rule: need, **({"max_duties_per_day": 1} if one_a_day else {})}
    doc = world(format=2, rules=rules)
    disagree = []
    for pattern in product((False, True), repeat=7):
        roster = [duty("a", "p1", "D", n) for n, on in enumerate(pattern) if on]
        legal = not referee(doc, roster, rule)
        if holds("post", doc, roster, rule) != legal:
            disagree.append(("".join("x" if on else "." for on in pattern), legal))
    assert not disagree
