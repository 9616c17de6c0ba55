"""Fan-out (procrastinate engine): a roster job whose scenario has several independent parts
(`solver.solve.components`: units joined by the officers who serve them) runs each part as a
job of its own, so that every free worker takes one; the last part to end merges them.

- `split`: the parent job's parts, dealt into at most one bundle per second of its time limit
  (`bundles`), become child jobs (`parent_id`), each with its bundle's scenario as its snapshot
  and a share of the parent's time limit in proportion to the bundle's size (officers × slots),
  so one worker takes about as long as the solve in one piece and N workers about N times less.
  The parent's task ends there: it holds no worker while the parts run.
- A part's roster document is kept on its row (`result`); the parts are serialised on the
  parent's row (`FOR UPDATE`), and the last one to end merges: the assignments together, the
  objectives and the bounds added (plus the baseline duties no part can hold), and the referee
  checks the whole roster on the whole scenario (`checked_roster`, as every solve ends) before it
  is stored as the parent's draft, exactly as an unsplit job's roster.
- Cancelling the parent stops every part (each polls its parent's flag too) and keeps the best
  roster; a part that fails or is interrupted fails the parent (`FanOutHooks`).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.jobs.hooks import JobHooks
from app.jobs.leases import QUEUED_LEASE
from app.jobs.models import ACTIVE_JOB_STATUSES, JobStatus, SolveJob
from app.jobs.service import store_job_result
from app.jobs.worker import Replan
from app.rosters.models import ScenarioSnapshot
from app.rosters.service import new_snapshot
from solver import domain as d
from solver.io.load import scenario_from_dict
from solver.io.roster import roster_from_dict, roster_to_dict
from solver.solve import SolveOptions
from solver.solve.checks import checked_roster, pin_conflicts
from solver.solve.components import components, orphan_baseline_penalty, part_of
from solver.solve.cpsat import Clock

MIN_PART_SECONDS = 1.0
_ACTIVE = [s.value for s in ACTIVE_JOB_STATUSES]


def part_size(s: d.Scenario) -> int:
    """What a part costs to solve, as the solver's pipeline measures it: officers × slots."""
    return max(1, len(s.officers)) * max(1, len(s.slots()))


def part_limits(sizes: Sequence[int], time_limit: float) -> list[float]:
    """Each part's share of the time limit, in proportion to its size, at least a second: the
    parts held at the floor take it out of the others' shares, so the limits add up to the job's
    own whenever it has a second for every part."""
    floored: set[int] = set()
    while True:
        free = [i for i in range(len(sizes)) if i not in floored]
        budget = time_limit - MIN_PART_SECONDS * len(floored)
        total = sum(sizes[i] for i in free) or 1
        short = {i for i in free if budget * sizes[i] / total < MIN_PART_SECONDS}
        if not short or len(short) == len(free):
            break
        floored |= short
    return [
        MIN_PART_SECONDS if i in floored else round(max(MIN_PART_SECONDS, budget * size / total), 3)
        for i, size in enumerate(sizes)
    ]


def deal(sizes: Sequence[float], bins: int) -> list[list[int]]:
    """Largest first to the lightest bin (LPT): the indices of `sizes` in each of `bins` bins."""
    loads = [(0.0, b) for b in range(bins)]
    dealt: list[list[int]] = [[] for _ in range(bins)]
    for i in sorted(range(len(sizes)), key=lambda i: sizes[i], reverse=True):
        load, b = heapq.heappop(loads)
        dealt[b].append(i)
        heapq.heappush(loads, (load + sizes[i], b))
    return dealt


def bundles(scenario: d.Scenario, time_limit: float) -> list[tuple[d.Scenario, int]]:
    """The part jobs of `scenario` with their sizes: its independent parts (`components`), dealt
    into at most `time_limit / MIN_PART_SECONDS` bundles of about equal size (`deal`), each bundle
    one scenario (its parts' units together, which the pipeline solves part by part, giving its
    time where the gap is) and its parts' sizes added. Without bundling, a province of many small
    parts would give each part the one-second floor and take several times its limit in all;
    bundled, the limits add up to about the job's own. Bundles keep the scenario's order of units."""
    parts = components(scenario)
    sizes = [part_size(p) for p in parts]
    most = max(1, int(time_limit // MIN_PART_SECONDS))
    if len(parts) <= most:
        return list(zip(parts, sizes, strict=True))
    dealt = [sorted(b) for b in deal(sizes, most) if b]
    dealt.sort(key=lambda b: b[0])  # components come in the order of the scenario's units
    return [
        (part_of(scenario, {u.id for i in b for u in parts[i].units}), sum(sizes[i] for i in b))
        for b in dealt
    ]


def split(session: Session, job: SolveJob, min_parts: int) -> list[int]:
    """The child jobs of `job` (queued, to be deferred after the commit), or [] when the job is
    not worth splitting (fewer than `min_parts` parts, or pinned duties in conflict: the plain
    solve reports those). The parent is marked running."""
    snapshot = session.get(ScenarioSnapshot, job.snapshot_id)
    assert snapshot is not None
    scenario = scenario_from_dict(snapshot.document)
    planned = bundles(scenario, job.time_limit)
    if len(planned) < min_parts or pin_conflicts(scenario):
        return []
    parts = [part for part, _ in planned]
    limits = part_limits([size for _, size in planned], job.time_limit)
    now = utcnow()
    ids = []
    for part, limit in zip(parts, limits, strict=True):
        child = SolveJob(
            status=JobStatus.QUEUED,
            start=job.start,
            days=job.days,
            unit_ids=[u.id for u in part.units],
            time_limit=limit,
            snapshot_id=new_snapshot(session, part).id,
            created_by=job.created_by,
            created_at=now,
            lease_until=now + QUEUED_LEASE,  # swept if this worker dies before deferring it
            parent_id=job.id,
        )
        session.add(child)
        session.flush()
        ids.append(child.id)
    job.status = JobStatus.RUNNING
    job.started_at = now
    job.phase = f"0/{len(ids)} parts done"
    job.message = f"split into {len(ids)} independent parts, solved as jobs of their own"
    session.flush()
    return ids


def _children(session: Session, parent_id: int) -> list[SolveJob]:
    return list(
        session.scalars(select(SolveJob).where(SolveJob.parent_id == parent_id).order_by(SolveJob.id))
    )


def store_part(session: Session, child: SolveJob, roster_document: dict[str, Any]) -> None:
    """A part's roster: kept on its row; the last part to end merges (see the module)."""
    parent = session.get(SolveJob, child.parent_id, with_for_update=True)  # the siblings wait here
    child.result = roster_document
    child.finished_at = utcnow()
    child.lease_until = None
    roster, _ = roster_from_dict(roster_document)
    child.objective, child.bound = roster.objective, roster.bound
    if roster.solve_seconds is not None:
        child.elapsed = roster.solve_seconds
    child.status = JobStatus.CANCELLED if child.cancel_requested else JobStatus.SUCCEEDED
    child.message = f"part of job {child.parent_id} ({roster.status})"
    session.flush()
    if parent is not None:
        _maybe_merge(session, parent)


def part_failed(session: Session, child_id: int, message: str) -> None:
    """A part ended without a roster: the parent fails (once every part has ended or at once)."""
    child = session.get(SolveJob, child_id)
    if child is None or child.parent_id is None:
        return
    parent = session.get(SolveJob, child.parent_id, with_for_update=True)
    if parent is None or parent.status not in _ACTIVE:
        return
    for sibling in _children(session, parent.id):  # the others stop: their work cannot be used
        if sibling.status in _ACTIVE:
            sibling.cancel_requested = True
    parent.status = JobStatus.FAILED
    parent.finished_at = utcnow()
    parent.message = f"part job {child_id} ({', '.join(child.unit_ids)}) ended without a roster: {message}"
    session.flush()


def _maybe_merge(session: Session, parent: SolveJob) -> None:
    children = _children(session, parent.id)
    done = [c for c in children if c.status not in _ACTIVE]
    parent.phase = f"{len(done)}/{len(children)} parts done"
    parent.elapsed = max((c.elapsed for c in children), default=0.0)
    if len(done) < len(children) or parent.status not in _ACTIVE:
        session.flush()
        return
    snapshot = session.get(ScenarioSnapshot, parent.snapshot_id)
    assert snapshot is not None
    scenario = scenario_from_dict(snapshot.document)
    rosters = [roster_from_dict(c.result or {})[0] for c in children]
    if any(r.objective is None for r in rosters):
        parent.status = JobStatus.CANCELLED if parent.cancel_requested else JobStatus.FAILED
        parent.finished_at = utcnow()
        parent.message = "a part stopped before it found any roster"
        session.flush()
        return
    constant = orphan_baseline_penalty(scenario)
    objective = constant + sum(r.objective or 0 for r in rosters)
    bound = min(objective, constant + sum(max(0, r.bound or 0) for r in rosters))
    assignments = [a for r in rosters for a in r.assignments]
    merged = checked_roster(scenario, assignments, objective, bound, Clock(SolveOptions(), None), rosters)
    document = roster_to_dict(merged)
    document["solve_seconds"] = parent.elapsed  # the parts ran side by side: the longest
    store_job_result(session, parent.id, document)


class FanOutHooks:
    """The engine's hooks around a request's own (`REPLAN_HOOKS`): a part's end reaches its parent."""

    def __init__(self, inner: JobHooks) -> None:
        self.inner = inner

    def replan_of(self, session: Session, job_id: int) -> Replan | None:
        return self.inner.replan_of(session, job_id)

    def stored(self, session: Session, job_id: int) -> None:
        self.inner.stored(session, job_id)

    def failed(self, session: Session, job_id: int, message: str) -> None:
        part_failed(session, job_id, message)
        self.inner.failed(session, job_id, message)
