"""A change request as a typed object: one class per kind (swap, cover, leave, coverage change)
that plans, judges, applies and describes itself, behind this base class.

- plan: on submission, who may ask, which published version the change lives in, the referee's
  verdict on the roster as it would be after it, and the kind's `context` (what the service works
  with later);
- judge: `scenario_after` (the scenario holding the change) and `duties_after` (the roster after
  it, on the version published at approval), re-judged by the referee when it is approved;
- apply: what the change leaves besides a new roster version (`apply_lasting`: leave becomes
  unavailability, a coverage change the post's coverage);
- describe: where its audit events are filed (`where`), who must accept it (`partner`).

Leave and coverage changes are re-planned by a solve job (`Replanned`): they are approved as the
job's proposal.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Generic, TypeVar

from sqlalchemy.orm import Session

from app.accounts.models import User
from app.changes.judging import ChangeOptions, Situation
from app.changes.models import ChangeKind, ChangeStatus, RosterChange
from app.changes.schemas import CarryOut, ChangeCreate
from app.changes.stored import StoredModel, StoredProposal, StoredScope
from app.changes.verdict import Verdict, describe
from app.core.errors import Conflict, ErrorDetail
from app.planning.schemas import DutyOut, DutyRef
from app.reference.lookups import known
from app.reference.models import Officer, Post, ShiftType
from solver import domain as d

Body = TypeVar("Body", bound=ChangeCreate)
Context = TypeVar("Context", bound=StoredModel)


@dataclass(frozen=True)
class Where:
    """The officer, post, shift and date an audit event of the request is filed under."""

    officer: str | None = None
    post: str | None = None
    shift: str | None = None
    day: date | None = None


@dataclass(frozen=True)
class Approving:
    """An approved change being applied, in the approver's transaction."""

    session: Session
    change: RosterChange
    user: User
    options: ChangeOptions
    scope: StoredScope | None
    """Where the change was planned (None: it was a record only)."""


@dataclass
class Planned:
    """What a submission works out before the row is written."""

    officers: list[str]
    units: set[str]
    context: StoredModel
    scope: StoredScope | None = None
    """None: nothing is published where the change falls (leave, coverage): a record only."""
    verdict: Verdict | None = None
    snapshot_scenario: d.Scenario | None = None
    """Leave and coverage: the scenario the re-plan job solves (holding the change)."""
    empty_proposal: bool = False
    """Nothing needs re-staffing: the proposal is empty at once."""
    proposal: StoredProposal | None = None
    """A proposal known at submission, without a re-plan (leave not re-staffed: its duties dropped)."""


class ChangeRequest(ABC, Generic[Body, Context]):
    kind: ClassVar[ChangeKind]
    context_type: ClassVar[type[StoredModel]]
    replanned: ClassVar[bool] = False
    """Re-planned by a solve job and approved as its proposal (leave, coverage change)."""
    partner_accepts: ClassVar[bool] = False
    """Another officer accepts before the duty office approves (swap)."""

    def __init__(self, body: Body, context: Context | None = None) -> None:
        self.body = body
        self._context = context

    @property
    def context(self) -> Context:
        if self._context is None:
            raise ValueError(f"a {self.kind} change read without its context")
        return self._context

    @property
    def ready_status(self) -> ChangeStatus:
        """The status in which the duty office may approve it."""
        return ChangeStatus.ACCEPTED if self.partner_accepts else ChangeStatus.SUBMITTED

    # ------------------------------------------------------------------ describe

    @abstractmethod
    def where(self) -> Where: ...

    def partner(self) -> str | None:
        """The officer who must accept it first (swap)."""
        return None

    def carries(self) -> list[CarryOut]:
        """The later published rosters approval also changes (coverage change)."""
        return []

    # ------------------------------------------------------------------ plan

    @abstractmethod
    def plan(self, session: Session, user: User, options: ChangeOptions) -> Planned:
        """Who may ask, where the change lives, and the referee's verdict on it as asked."""

    def planner(self, requester: User | None, user: User) -> User:
        """Whose rights a re-plan of the change is planned with (`user` re-plans it)."""
        return user

    # ------------------------------------------------------------------ judge and apply

    def scenario_after(self, s: d.Scenario) -> d.Scenario:
        """`s` holding the change (new leave, new coverage); most kinds leave the scenario alone."""
        return s

    @abstractmethod
    def duties_after(self, at: Situation, change: RosterChange) -> list[d.Assignment]:
        """The roster after the change, on the version published at approval (409 when it cannot
        be made there any more)."""

    def published_since(self, session: Session) -> bool:
        """Whether a change asked when nothing was published now meets a published roster."""
        return False

    def apply_lasting(self, approving: Approving) -> None:
        """What the change leaves besides the new roster version."""


def duty_post(session: Session, ref: DutyRef, path: str) -> Post:
    """The post of a duty named in a request, once its officer, shift and post are known."""
    known(session, Officer, ref.officer, f"{path}.officer")
    known(session, ShiftType, ref.shift, f"{path}.shift")
    return known(session, Post, ref.post, f"{path}.post")


def duty_where(ref: DutyOut) -> Where:
    return Where(officer=ref.officer, post=ref.post, shift=ref.shift, day=ref.date)


def replanned_after(at: Situation, change: RosterChange) -> list[d.Assignment]:
    """The published roster with the re-plan's proposal applied (409 when a duty it removes has
    moved since: the re-plan is stale)."""
    proposal = StoredProposal.empty() if change.proposal is None else StoredProposal.load(change.proposal)
    change_id = change.id
    removed = [x.assignment() for x in proposal.removed]
    added = [x.assignment() for x in proposal.added]
    present = set(at.published)
    gone = [a for a in removed if a not in present]
    if gone:
        raise Conflict(
            f"the published roster changed since the re-plan ({describe(gone[0])} is no longer in it); "
            f"re-plan change {change_id} again (POST /changes/{change_id}/replan)",
            [ErrorDetail("proposal.removed", describe(a), a.officer) for a in gone],
        )
    return sorted((present - set(removed)) | set(added))
