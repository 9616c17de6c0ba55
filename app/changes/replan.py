"""Re-plan jobs of leave and coverage changes: a solve job like any other (same runner, worker
process, progress and cancellation) whose solve is `solver.replan.replan` instead of `solve`.

The job's snapshot is the scenario holding the change, with the published roster as baseline;
the change's context (`ReplanBasis`) says what `replan` needs besides (now, affected units, the
week published after). When the job has stored its draft, `REPLAN_HOOKS.stored` turns it into the
change's proposal: the diff from the published roster and the referee's verdict on it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.audit import service as audit
from app.changes.judging import ChangeOptions
from app.changes.kinds import Replanned, request_of
from app.changes.links import add_units
from app.changes.models import ChangeStatus, RosterChange
from app.changes.schemas import ProposalStatus
from app.changes.stored import StoredCheck, StoredProposal, StoredScope
from app.changes.verdict import Verdict, violation_key, with_boundary
from app.jobs.models import JobStatus, SolveJob
from app.jobs.service import queue_job, stop_job
from app.jobs.worker import Replan
from app.planning.past import with_frozen_past
from app.planning.schemas import DutyOut
from app.planning.scope import Scope, following_duties
from app.rosters.models import ScenarioSnapshot
from app.rosters.service import roster_duties
from solver import domain as d
from solver.check import check_assignments
from solver.diff import diff
from solver.io.load import scenario_from_dict


def queue_replan(
    session: Session,
    change: RosterChange,
    scope: Scope,
    scenario: d.Scenario,
    user: User,
    options: ChangeOptions,
) -> SolveJob:
    """The change's re-plan job solving `scenario` for the scope's units (queued: the caller hands
    `change.job_id` to the runner after the commit); any earlier proposal is gone."""
    job = queue_job(
        session,
        scenario,
        scope.unit_ids,
        options.replan_time_limit,
        user,
        phase="re-plan",
        message=f"re-plan for change {change.id}",
    )
    change.job_id = job.id
    change.proposal = None
    change.proposal_roster_id = None
    return job


def stop_replan(session: Session, change: RosterChange) -> None:
    """Cancel the change's re-plan job if it has not ended (the change is withdrawn or rejected:
    its proposal would never be used, and the job would hold a worker for its whole time limit)."""
    job = None if change.job_id is None else session.get(SolveJob, change.job_id)
    if job is not None:
        stop_job(session, job, f"change {change.id} was {change.status}")


def proposal_status(session: Session, change: RosterChange) -> tuple[ProposalStatus, str]:
    """pending, running, ready or failed, with the job's message."""
    if change.proposal is not None:
        return "ready", ""
    job = None if change.job_id is None else session.get(SolveJob, change.job_id)
    if job is None:
        return "failed", "no re-plan job: re-plan again"
    if job.status == JobStatus.QUEUED:
        return "pending", job.message
    ended = job.status == JobStatus.SUCCEEDED or (
        job.status == JobStatus.CANCELLED and change.status in (ChangeStatus.WITHDRAWN, ChangeStatus.REJECTED)
    )
    if ended and change.status != ChangeStatus.SUBMITTED:
        # the proposal is only made for a change still asked for (`ReplanHooks.stored`); withdrawing
        # or rejecting it cancels its re-plan (`stop_replan`)
        return "failed", f"no proposal: the change was {change.status} before its re-plan ended"
    if job.status in (JobStatus.RUNNING, JobStatus.SUCCEEDED):  # (succeeded: the proposal comes next)
        return "running", job.message
    return "failed", job.message


def _change_of(session: Session, job_id: int) -> RosterChange | None:
    return session.scalar(
        select(RosterChange)
        .where(RosterChange.job_id == job_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


class ReplanHooks:
    """What the job runner tells a change about its re-plan job (`app.jobs.hooks.JobHooks`)."""

    def replan_of(self, session: Session, job_id: int) -> Replan | None:
        change = session.scalar(select(RosterChange).where(RosterChange.job_id == job_id))
        if change is None or change.context is None:
            return None
        request = request_of(change)
        return request.replan() if isinstance(request, Replanned) else None

    def stored(self, session: Session, job_id: int) -> None:
        """After `store_job_result`: the change's proposal from the stored draft, or its failure."""
        change = _change_of(session, job_id)
        job = session.get(SolveJob, job_id)
        if change is None or job is None or change.status != ChangeStatus.SUBMITTED:
            return
        if job.roster_id is None:
            self.failed(session, job_id, job.message)
            return
        snapshot = session.get(ScenarioSnapshot, job.snapshot_id)
        assert snapshot is not None
        scenario = scenario_from_dict(snapshot.document)
        proposed = roster_duties(session, job.roster_id)
        verdict = _proposal_verdict(session, change, scenario, proposed)
        delta = diff(list(scenario.baseline), proposed)
        change.proposal = StoredProposal(
            added=DutyOut.all_of(delta.added), removed=DutyOut.all_of(delta.removed)
        ).dump()
        change.proposal_roster_id = job.roster_id
        change.validation = verdict.stored().dump()
        add_units(
            session,
            change.id,
            {scenario.post(a.post).unit for a in (*delta.added, *delta.removed) if scenario.has_post(a.post)},
        )
        audit.record(
            session,
            "change.proposed",
            actor_id=job.created_by,
            change_id=change.id,
            roster_id=job.roster_id,
            details={"job_id": job.id, "changed": delta.changed, "ok": verdict.ok},
        )
        session.flush()

    def failed(self, session: Session, job_id: int, message: str) -> None:
        """The re-plan found no roster: the change fails, with the solver's reason."""
        change = _change_of(session, job_id)
        if change is None or change.status != ChangeStatus.SUBMITTED:
            return
        change.status = ChangeStatus.FAILED
        change.decision_reason = message
        audit.record(
            session, "change.failed", None, change_id=change.id, reason=message, details={"job_id": job_id}
        )
        session.flush()


REPLAN_HOOKS = ReplanHooks()


def _proposal_verdict(
    session: Session, change: RosterChange, scenario: d.Scenario, proposed: list[d.Assignment]
) -> Verdict:
    """The referee on the re-planned roster: the hard rules it breaks that the published roster
    did not when the change was asked (also with the week published after it)."""
    request = request_of(change)
    basis = request.context
    assert isinstance(request, Replanned) and basis.now is not None
    published = list(scenario.baseline)
    frozen = with_frozen_past(scenario, basis.now)
    report = check_assignments(frozen, proposed)
    before = {violation_key(v) for v in basis.before_violations or ()}
    new = tuple(v for v in report.violations if violation_key(v) not in before)
    if change.scope is not None:
        following = following_duties(session, StoredScope.load(change.scope).scope(), scenario)
        new = with_boundary(new, frozen, frozen, published, proposed, following)
    check = None if change.validation is None else StoredCheck.load(change.validation)
    return Verdict(
        new_violations=new,
        before_violations=(),
        before=d.Score(**{k: check.score_before.get(k, 0) for k in d.SCORE_TERMS}) if check else report.score,
        after=report.score,
        shortfalls=report.shortfalls,
        stage="proposal",
        now=basis.now,
    )
