"""What a job tells the request it was made for: a change's re-plan job solves with the change's
`Replan` and, when it ends, turns its roster into the change's proposal (or fails the change).
Roster jobs have no such request (`NO_HOOKS`). `app.changes.replan.REPLAN_HOOKS` is the other kind."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session

from app.jobs.worker import Replan


class JobHooks(Protocol):
    def replan_of(self, session: Session, job_id: int) -> Replan | None:
        """What the job's solve is a re-plan with, or None for an ordinary roster job."""

    def stored(self, session: Session, job_id: int) -> None:
        """After the job's result is stored (in the same transaction)."""

    def failed(self, session: Session, job_id: int, message: str) -> None:
        """After the job failed without a result (in the same transaction)."""


class NoHooks:
    def replan_of(self, session: Session, job_id: int) -> Replan | None:
        return None

    def stored(self, session: Session, job_id: int) -> None:
        return None

    def failed(self, session: Session, job_id: int, message: str) -> None:
        return None


NO_HOOKS: JobHooks = NoHooks()
