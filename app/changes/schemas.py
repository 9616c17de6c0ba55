"""Change requests on the published roster (the request bodies, also what a change stores as its
`payload`), what a change reads like, and who can cover a duty."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    Field,
    SerializerFunctionWrapHandler,
    StrictInt,
    field_validator,
    model_serializer,
    model_validator,
)

from app.accounts.access import UNAVAILABLE
from app.changes.models import ChangeKind, ChangeStatus
from app.core.paging import NumberedPage
from app.core.schemas import Id, LocalDateTime, Schema, UtcDateTime, literal_of
from app.planning.schemas import CoverDuty, DutyOut, DutyRef, OfficerDiff, ViolationOut
from app.reference.schemas import DayToken, check_limits, check_local_span
from solver import domain as d
from solver.ledger import Block

Reason = Annotated[str, Field(max_length=2000)]
Stage = Literal["request", "proposal"]
"""request: the change as asked; proposal: the re-planned roster."""
ProposalStatus = Literal["pending", "running", "ready", "failed"]
if TYPE_CHECKING:
    ChangeStatusName = str
    ChangeKindName = str
else:
    ChangeStatusName = literal_of(ChangeStatus)
    ChangeKindName = literal_of(ChangeKind)


class SwapCreate(Schema):
    kind: Literal["swap"]
    duty: DutyRef = Field(description="officer A's duty")
    with_duty: DutyRef = Field(description="officer B's duty; A takes it, B takes A's")
    reason: Reason = ""

    @model_validator(mode="after")
    def _two_officers(self) -> SwapCreate:
        if self.duty.officer == self.with_duty.officer:
            raise ValueError("a swap needs two different officers")
        return self


class SlotRef(DutyRef):
    """A duty of the published roster, or (officer omitted) an empty seat of a slot: the post's
    shift on a date."""

    officer: Id | None = Field(  # type: ignore[assignment]
        None, description="the officer holding it now; omitted: an empty seat of a short slot"
    )

    def assignment(self) -> d.Assignment:
        return d.Assignment(self.date, self.shift, self.post, self.officer or "")


class CoverCreate(Schema):
    kind: Literal["cover"]
    duty: SlotRef = Field(
        description="officer A's duty, or (no officer) a seat of a short slot the duty office fills"
    )
    to_officer: Id = Field(description="officer B, who takes it")
    reason: Reason = ""

    @model_validator(mode="after")
    def _other_officer(self) -> CoverCreate:
        if self.duty.officer == self.to_officer:
            raise ValueError("to_officer already holds the duty")
        return self


class LeaveCreate(Schema):
    kind: Literal["leave"]
    officer: Id
    start: datetime = Field(description="local wall-clock time, no offset", examples=["2021-11-10T00:00"])
    end: datetime = Field(description="exclusive", examples=["2021-11-13T00:00"])
    reason: Reason = ""
    restaff: bool = Field(
        True,
        description="true: the roster is re-planned around the hole by a solve job; false: the "
        "officer's duties in the span are dropped and their slots left short, for the duty office to "
        "fill by hand (a cover of the empty seat, from the roster grid)",
    )

    @model_validator(mode="after")
    def _span(self) -> LeaveCreate:
        check_local_span(self.start, self.end)
        return self

    @model_serializer(mode="wrap")
    def _stored(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """`restaff` only when false, so a stored leave reads back as it was written."""
        out: dict[str, Any] = handler(self)
        if out.get("restaff") is True:
            del out["restaff"]
        return out


class CoverageChangeCreate(Schema):
    kind: Literal["coverage_change"]
    post: Id
    shift: Id
    from_date: date
    min: Annotated[StrictInt, Field(ge=0)]
    max: Annotated[StrictInt, Field(ge=0)] | None = Field(None, description="defaults to min")
    skills: dict[str, Annotated[StrictInt, Field(ge=1)]] | None = Field(
        None, description="skilled officers needed; omitted: as the post's current entry for the shift"
    )
    days: list[DayToken] | None = Field(
        None, description="weekdays or dates selected; omitted: as the post's current entry, else every day"
    )
    reason: Reason = ""

    @model_validator(mode="after")
    def _limits(self) -> CoverageChangeCreate:
        check_limits(self.min, self.max, self.skills)
        return self


Day = date  # a field named `date` shadows the type in its class


class CallOutCreate(Schema):
    """Call out an officer on standby (备勤): their standby duty becomes a duty on `post` (the same
    date and shift unless given), optionally taking over `replaces`'s duty there."""

    kind: Literal["call_out"]
    standby_duty: DutyRef = Field(description="the officer's duty on a standby post")
    post: Id = Field(description="the post they are called out to")
    shift: Id | None = Field(None, description="defaults to the standby duty's shift")
    date: Day | None = Field(None, description="defaults to the standby duty's date")
    replaces: Id | None = Field(None, description="an officer whose duty there the called-out officer takes")
    reason: Reason = ""


class DutyLevelPeriod(Schema):
    """Declare a duty level (三级 level3, 二级 level2, 一级 level1) for units and dates [start, end):
    the units' posts are staffed by the level's coverage profile then, and the leave and requests
    the level cancels (a setting) are cancelled. After `end` the coverage before it holds again."""

    level: Literal["level3", "level2", "level1"]
    units: list[Id] | None = Field(None, description="omitted: the whole detachment (admin only)")
    start: date
    end: date = Field(description="exclusive")
    reason: Reason = ""

    @model_validator(mode="after")
    def _period(self) -> DutyLevelPeriod:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        if (self.end - self.start).days > 62:
            raise ValueError("a duty level is declared for at most 62 days at a time")
        return self


class DutyLevelCreate(DutyLevelPeriod):
    __doc__ = DutyLevelPeriod.__doc__
    kind: Literal["duty_level"]


ChangeCreate = Annotated[
    SwapCreate | CoverCreate | LeaveCreate | CoverageChangeCreate | DutyLevelCreate | CallOutCreate,
    Field(discriminator="kind"),
]


class ChangeDecision(Schema):
    reason: Reason = ""


class ApproveDecision(ChangeDecision):
    expected_roster_id: int | None = Field(
        default=None,
        description="the published version the approver looked at: refused with 409 if another one "
        "has been published for the change's duties since (omitted: re-checked on whatever is published)",
    )


class RejectDecision(Schema):
    reason: Annotated[str, Field(min_length=1, max_length=2000)]

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("say why the change is rejected")
        return value


class UserRef(Schema):
    id: int | None
    username: str


class CheckOut(Schema):
    ok: bool = Field(description="no hard rule would break")
    violations: list[ViolationOut] = Field(description="hard rules the change would break")
    score_before: dict[str, int]
    score_after: dict[str, int]
    score_delta: dict[str, int]
    stage: Stage = Field(
        "request",
        description="request: the change as asked (leave: its duties dropped, not re-staffed yet); "
        "proposal: the re-planned roster",
    )
    now: LocalDateTime | None = Field(None, description="duties starting before this local time are worked")


class CarryOut(Schema):
    roster_id: int = Field(description="a roster version published after the re-planned one")
    start: date
    days: int
    removed: list[DutyOut] = Field(description="its duties the new coverage no longer allows")


class ProposalOut(Schema):
    status: ProposalStatus
    job_id: int | None
    roster_id: int | None = Field(None, description="the proposed roster, stored as a draft version")
    added: list[DutyOut]
    removed: list[DutyOut]
    by_officer: dict[str, OfficerDiff]
    changed: int
    message: str = ""
    carries: list[CarryOut] = Field(
        default_factory=list,
        description="coverage changes: the rosters published after this one, which approval also changes",
    )


class StepOut(Schema):
    at: UtcDateTime
    actor: str
    action: str
    reason: str


class ChangeRead(Schema):
    id: int
    kind: str
    status: str
    unit_ids: list[str]
    requested_by: UserRef
    officers: list[str]
    payload: dict[str, Any]
    reason: str
    decision_reason: str
    created_at: UtcDateTime
    updated_at: UtcDateTime
    base_roster_id: int | None
    applied_roster_id: int | None
    check: CheckOut | None
    proposal: ProposalOut | None
    steps: list[StepOut]


class ChangePage(NumberedPage[ChangeRead]):
    pass


class OfficerRef(Schema):
    id: str
    name: str
    unit: str


class BlockOut(Schema):
    rule: str
    message: str = Field(description="in English; pages word it from `rule` and `params`")
    params: dict[str, str | int] = Field(
        default_factory=dict,
        description="the message's values by name: min_rest / overlap: other_shift, other_date, other_post; "
        "max_minutes_per_7_days: minutes, limit, from; runs: run, limit",
    )

    @classmethod
    def of(cls, b: Block, reason_shown: bool = True) -> BlockOut:
        """The block as the API says it; `reason_shown` False (the viewer may not know why the
        officer is away, `access.sees_reasons`): an unavailability's reason is said as "unavailable"."""
        message = b.message if reason_shown or b.rule != "unavailable" else UNAVAILABLE
        return cls(rule=b.rule, message=message, params=dict(b.params))


class CandidateOut(Schema):
    officer: OfficerRef
    can: bool
    total: int | None = Field(description="score change if they take it (lower is better)")
    delta: dict[str, int] | None = Field(description="score change per objective term")
    blocks: list[BlockOut] = Field(description="the hard rules that exclude them")
    standby: bool = Field(False, description="on standby (备勤) at the duty's time: called out first")
    same_group: bool = Field(False, description="a member of the duty holder's duty group (执勤组)")
    same_unit: bool = Field(False, description="of the unit of the duty's holder (or of the post)")
    same_post: bool = Field(False, description="already on duty at this post in the roster's horizon")
    minutes: int = Field(0, description="minutes of duty in the roster's horizon")


class CoverRead(Schema):
    duty: CoverDuty
    roster_id: int
    candidates: list[CandidateOut] = Field(
        description="every officer serving the post's unit: who can first (by score change, then same "
        "unit, same post, fewest minutes), then who cannot, each with the rules that exclude them"
    )


class SwapOfferOut(Schema):
    duty: DutyOut = Field(description="the colleague's duty the requester would take")
    officer_name: str
    ok: bool = Field(description="true when neither officer breaks a hard rule by the swap")
    mine: list[BlockOut] = Field(description="hard rules the requester breaks by taking this duty")
    theirs: list[BlockOut] = Field(
        description="hard rules the colleague breaks by taking the requester's duty"
    )


class SwapOffersRead(Schema):
    duty: DutyOut = Field(description="the requester's duty")
    roster_id: int
    offers: list[SwapOfferOut] = Field(
        description="possible swaps first, then the rest with the rules they break"
    )
