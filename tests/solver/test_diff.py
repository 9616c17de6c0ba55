"""What changes between two rosters, per officer."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from solver.diff import diff
from solver.domain import Assignment


def test_diff_by_officer():
    a = Assignment(date=datetime(2021, 11, 8).date(), shift="D", post="p", officer="x")
    b = replace(a, officer="y")
    d = diff([a], [b])
    assert d.by_officer() == {"x": {"added": [], "removed": [a]}, "y": {"added": [b], "removed": []}}
    assert d.changed == 2
