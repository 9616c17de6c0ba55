"""Re-plan jobs of leave and coverage changes: a solve job like any other (same runner, worker
process, progress and cancellation) whose worker calls `solver.repair.replan` instead of `solve`.

The job's snapshot is the scenario holding the change, with the published roster as baseline;
`replan_options` adds what `replan` needs besides (now, affected units). When the job has stored
its draft, `on_job_stored` turns it into the change's proposal: the diff from the published roster
and the referee's verdict on it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ChangeStatus, RosterAssignment, RosterChange, ScenarioSnapshot, SolveJob
from app.services import change_audit as audit
from app.services.change_plan import scope_of, set_units, units_of
from app.services.change_scenario import following_duties, with_frozen_past
from app.services.change_verdict import Verdict, boundary_violations, duty_dict, violation_dict
from solver import domain as d
from solver.check import check_assignments
from solver.repair import diff
from solver.scenario import scenario_from_dict


def _change_of(session: Session, job_id: int) -> RosterChange | None:
    return session.scalar(
        select(RosterChange)
        .where(RosterChange.job_id == job_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def replan_options(session: Session, job_id: int) -> dict[str, Any] | None:
    """What the worker passes to `replan` for a change's job; None for an ordinary roster job."""
    change = session.scalar(select(RosterChange).where(RosterChange.job_id == job_id))
    if change is None or change.context is None or "now" not in change.context:
        return None
    return {
        "now": change.context["now"],
        "affected_units": list(change.context["affected_units"]),
        "following": list(change.context.get("following", [])),
    }


def on_job_stored(session: Session, job_id: int) -> None:
    """After `store_job_result`: the change's proposal from the stored draft, or its failure."""
    change = _change_of(session, job_id)
    job = session.get(SolveJob, job_id)
    if change is None or job is None or change.status != ChangeStatus.SUBMITTED:
        return
    if job.roster_id is None:
        on_job_failed(session, job_id, job.message)
        return
    snapshot = session.get(ScenarioSnapshot, job.snapshot_id)
    assert snapshot is not None
    scenario = scenario_from_dict(snapshot.document)
    rows = session.scalars(select(RosterAssignment).where(RosterAssignment.roster_id == job.roster_id))
    proposed = sorted(d.Assignment(a.date, a.shift_id, a.post_id, a.officer_id) for a in rows)
    published = list(scenario.baseline)
    delta = diff(published, proposed)
    context = change.context or {}
    now = datetime.fromisoformat(context["now"])
    frozen = with_frozen_past(scenario, now)
    report = check_assignments(frozen, proposed)
    before = {_key(v) for v in context.get("before_violations", [])}
    new = tuple(v for v in report.violations if _key(violation_dict(v)) not in before)
    scope = scope_of(change)
    if scope is not None:  # and with the week published after it
        following = following_duties(session, scope, scenario)
        seen = {(v.rule, v.officer, v.post, v.date, v.shift) for v in new}
        new += tuple(
            v
            for v in boundary_violations(frozen, frozen, published, proposed, following)
            if (v.rule, v.officer, v.post, v.date, v.shift) not in seen
        )
    score_before = (change.validation or {}).get("score_before")
    verdict = Verdict(
        new_violations=new,
        before_violations=(),
        before=d.Score(**{k: score_before[k] for k in d.SCORE_TERMS}) if score_before else report.score,
        after=report.score,
        shortfalls=report.shortfalls,
        stage="proposal",
        now=now,
    )
    change.proposal = {
        "added": [duty_dict(a) for a in delta.added],
        "removed": [duty_dict(a) for a in delta.removed],
    }
    change.proposal_roster_id = job.roster_id
    change.validation = verdict.as_dict()
    touched = {
        scenario.post(a.post).unit for a in (*delta.added, *delta.removed) if scenario.has_post(a.post)
    }
    set_units(session, change.id, set(units_of(session, change.id)) | touched)
    audit.record(
        session,
        "change.proposed",
        actor_id=job.created_by,
        change_id=change.id,
        roster_id=job.roster_id,
        details={"job_id": job.id, "changed": delta.changed, "ok": verdict.ok},
    )
    session.flush()


def _key(v: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(v.get(k) for k in ("rule", "officer", "post", "shift", "date", "message"))


def on_job_failed(session: Session, job_id: int, message: str) -> None:
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
