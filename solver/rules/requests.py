"""Officers' day-off and shift requests (soft)."""

from __future__ import annotations

from solver.domain import RequestKind
from solver.model.base import Expr, Penalty, RosterModel


def requests(m: RosterModel) -> list[Penalty]:
    """A request inside the horizon that is not granted costs `weight * weights.request`:
    `day_off` by any duty starting that date, `shift_off` by a duty of that shift starting that
    date, `shift_on` when there is none."""
    s = m.scenario
    out = []
    for officer in m.officers:
        for r in officer.requests:
            if not s.in_horizon(r.date):
                continue
            broken: Expr | None
            if r.kind is RequestKind.DAY_OFF:
                broken = m.started_on(officer.id, r.date)
            else:
                assert r.shift is not None
                on = m.work(officer.id, (r.shift, r.date))
                if r.kind is RequestKind.SHIFT_OFF:
                    broken = on
                else:
                    broken = 1 if on is None else 1 - on
            if broken is None:
                continue
            what = r.kind.value + (f" {r.shift}" if r.shift else "")
            out.append(
                Penalty(
                    "requests",
                    r.weight * s.weights.request,
                    broken,
                    f"{what} request (weight {r.weight}) not granted",
                    officer=officer.id,
                    unit=officer.unit,
                    date=r.date,
                    shift=r.shift,
                )
            )
    return out
