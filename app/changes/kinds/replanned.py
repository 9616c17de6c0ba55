"""Leave and coverage changes: judged on the published roster with the duties they take away
(the roster as it stands, minus what no longer holds), then re-planned by a solve job with the
published roster as baseline and the past frozen; approved as that job's proposal."""

from __future__ import annotations

from datetime import date
from typing import Generic

from app.changes.judging import Situation
from app.changes.kinds.base import Body, ChangeRequest, Context, Planned, replanned_after
from app.changes.models import RosterChange
from app.changes.stored import Minutes, StoredModel, StoredProposal, StoredScope
from app.jobs.worker import Replan
from app.planning.schemas import DutyOut, ViolationOut
from solver import domain as d
from solver.still_valid import still_valid


class ReplanBasis(StoredModel):
    """What the re-plan job of a change that lives in a published roster solves with: now, the
    units whose parts it re-plans, the hard rules the published roster broke already, and the
    duties published for the week after it. Absent for a change that is a record only."""

    now: Minutes | None = None
    affected_units: list[str] | None = None
    before_violations: list[ViolationOut] | None = None
    following: list[DutyOut] | None = None

    def replan(self) -> Replan | None:
        if self.now is None:
            return None
        return Replan(
            self.now, list(self.affected_units or ()), [x.assignment() for x in self.following or ()]
        )


class Replanned(ChangeRequest[Body, Context], Generic[Body, Context]):
    replanned = True
    always_replanned = False
    """Re-plan even when no published duty is lost (a coverage change may also add slots)."""

    def replanned_plan(
        self,
        at: Situation,
        anchor: tuple[str, date],
        officers: list[str],
        units: set[str],
        context: Context,
        restaff: bool = True,
    ) -> Planned:
        """The plan of a change that lives in the published version `at`: the verdict on the roster
        with the duties it takes away removed, and what its re-plan needs (`restaff` False: no
        re-plan, the proposal is that roster: the duties taken away, their slots left short)."""
        changed = self.scenario_after(at.scenario)
        held = still_valid(at.frozen_of(changed), at.published)
        verdict = at.judge(changed, held, "request")
        lost = set(at.published) - set(held)
        units = units | {at.scenario.post(a.post).unit for a in lost}
        basis = {
            "now": at.now,
            "affected_units": sorted(units),
            "before_violations": [ViolationOut.of(v) for v in verdict.before_violations],
            "following": DutyOut.all_of(at.following),
        }
        replanned = bool(lost) or self.always_replanned
        if not restaff:
            dropped = StoredProposal(added=[], removed=DutyOut.all_of(sorted(lost)))
            return Planned(
                officers,
                units,
                context.model_copy(update=basis),
                StoredScope.of(at.scope, anchor),
                verdict,
                proposal=dropped,
            )
        return Planned(
            officers,
            units,
            context.model_copy(update=basis),
            StoredScope.of(at.scope, anchor),
            verdict,
            snapshot_scenario=changed if replanned else None,
            empty_proposal=not replanned,
        )

    def duties_after(self, at: Situation, change: RosterChange) -> list[d.Assignment]:
        return replanned_after(at, change)

    def replan(self) -> Replan | None:
        """What the re-plan job solves with, once the change lives in a published roster."""
        context = self.context
        return context.replan() if isinstance(context, ReplanBasis) else None
