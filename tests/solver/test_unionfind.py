"""Disjoint sets: what joins, what stays apart, in a stable order."""

from __future__ import annotations

from solver.unionfind import UnionFind


def test_joined_items_share_a_root_named_by_the_second_argument():
    sets = UnionFind(["a", "b", "c", "d"])
    sets.union("a", "b")
    sets.union("c", "b")
    assert sets.find("a") == sets.find("c") == "b"
    assert sets.find("d") == "d"
    assert sets.groups(["d", "c", "b", "a"]) == [["d"], ["c", "b", "a"]]


def test_an_item_seen_first_by_find_is_a_set_of_its_own():
    sets: UnionFind[str] = UnionFind()
    assert sets.find("x") == "x"
    sets.union("x", "y")
    assert sets.groups(["y", "x", "z"]) == [["y", "x"], ["z"]]
