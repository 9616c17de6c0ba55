"""What still holds of a published roster under a changed scenario."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from solver.check import check_assignments
from solver.domain import Span
from solver.still_valid import still_valid


def test_still_valid_drops_what_new_leave_breaks(small_roster):
    s, roster = small_roster
    victim = next(a for a in roster if a.date.day == 10).officer
    leave = Span(datetime(2021, 11, 10), datetime(2021, 11, 12), "sick")
    changed = replace(
        s,
        officers=tuple(
            replace(o, unavailable=(*o.unavailable, leave)) if o.id == victim else o for o in s.officers
        ),
    )
    kept = still_valid(changed, roster)
    dropped = set(roster) - set(kept)
    assert dropped and all(a.officer == victim and a.date.day in (10, 11) for a in dropped)
    assert not check_assignments(changed, kept).violations
