"""changes: weights.change × distinct baseline entries dated inside the horizon and absent from the roster."""

from tests.solver.builders import build, duty, iso, report


def entry(officer_id: str, post_id: str, shift_id: str, n: int) -> dict:
    return {"officer": officer_id, "post": post_id, "shift": shift_id, "date": iso(n)}


BASELINE = [
    entry("o1", "p1", "D", 0),  # kept
    entry("o2", "p1", "D", 1),  # removed: 20
    entry("o2", "p1", "D", 1),  # the same entry again: counted once
    entry("o1", "p1", "D", -1),  # outside the horizon: 0
    entry("o3", "p2", "D", 7),  # outside the horizon: 0
    entry("left", "gone", "X", 2),  # names nothing any more (format-checked only): removed, 20
]


def changes(s, roster) -> int:
    return report(s, roster).score.changes


def test_distinct_horizon_entries_absent_from_the_roster_count():
    assert changes(build(baseline=BASELINE), [duty("o1", "p1", "D", 0)]) == 20 + 20


def test_an_entry_moved_to_another_post_or_shift_is_absent():
    s = build(baseline=[entry("o2", "p1", "D", 1)])
    assert changes(s, [duty("o2", "p2", "D", 1)]) == 20
    assert changes(s, [duty("o2", "p1", "E", 1)]) == 20
    assert changes(s, [duty("o2", "p1", "D", 1)]) == 0


def test_no_baseline_no_change_and_the_weight_is_applied():
    assert changes(build(), [duty("o1", "p1", "D", 0)]) == 0
    assert changes(build(baseline=BASELINE, rules={"weights": {"change": 5}}), []) == 3 * 5


def test_an_entry_with_unknown_ids_listed_in_the_roster_is_not_absent():
    # The roster breaks unknown_reference, but it does list the entry.
    s = build(baseline=[entry("left", "gone", "X", 2)])
    assert changes(s, [duty("left", "gone", "X", 2)]) == 0
