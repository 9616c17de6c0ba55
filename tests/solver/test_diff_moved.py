"""Removed and added duties paired as moves: an officer's duty to another post or shift on its
date first, then a slot's duty handed to another officer; what stays unpaired is added or removed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from solver.diff import diff
from solver.domain import Assignment

MON = date(2021, 11, 8)


def test_moves_pair_each_duty_once() -> None:
    x_day = Assignment(MON, "D", "p1", "x")
    x_moved = replace(x_day, post="p2")  # x works elsewhere the same day
    y_night = Assignment(MON, "N", "p1", "y")
    z_night = replace(y_night, officer="z")  # y's night handed to z
    w_gone = Assignment(date(2021, 11, 9), "D", "p3", "w")
    v_new = Assignment(date(2021, 11, 10), "E", "p3", "v")
    kept = Assignment(MON, "E", "p1", "k")
    delta = diff([x_day, y_night, w_gone, kept], [x_moved, z_night, v_new, kept])
    assert set(delta.moved()) == {(x_day, x_moved), (y_night, z_night)}
    paired = {a for pair in delta.moved() for a in pair}
    assert set(delta.added) - paired == {v_new} and set(delta.removed) - paired == {w_gone}


def test_an_officer_move_comes_before_a_hand_over() -> None:
    # x leaves slot s for slot t on the same day, and y takes slot s: x's move, then y's duty is new
    s = Assignment(MON, "D", "p1", "x")
    t = replace(s, post="p2")
    y = replace(s, officer="y")
    delta = diff([s], [t, y])
    assert delta.moved() == ((s, t),)
    assert diff([s], [s]).moved() == ()
