"""Swap offers for a duty of the published roster: the colleagues' duties a few days around it,
each judged both ways with the referee's per-officer hard rules: can the requester take the
colleague's duty once theirs is given away, and can the colleague take the requester's once
theirs is given away. A swap that breaks a rule for either officer is listed apart, with the
rules, so the page never offers it as possible."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from app.accounts.access import ensure_reads_unit, is_staff, own_officer, sees_reasons
from app.accounts.models import User
from app.changes import schemas as cs
from app.changes.judging import ChangeOptions, Situation
from app.core.errors import ErrorDetail, Forbidden, RuleViolation
from app.planning.parts import units_in_part_of
from app.planning.scope import Scope, published_roster
from app.reference.lookups import known
from app.reference.models import Officer, Post, ShiftType
from solver import domain as d
from solver.cover import BOUNDARY_RULES
from solver.ledger import Block, Ledger, ledgers
from solver.replan import stretch
from solver.timeline import Timeline


@dataclass(frozen=True)
class Offer:
    duty: d.Assignment
    mine: tuple[Block, ...]  # what stops the requester from taking `duty`
    theirs: tuple[Block, ...]  # what stops its officer from taking the requester's duty

    @property
    def ok(self) -> bool:
        return not self.mine and not self.theirs


class Books:
    """Per-officer ledgers of a roster, on the horizon and stretched over the following duties."""

    def __init__(self, s: d.Scenario, roster: Sequence[d.Assignment], following: Sequence[d.Assignment]):
        layers = [(s, list(roster))]
        if following:
            layers.append((stretch(s, following), [*roster, *following]))
        self.books: list[dict[str, Ledger]] = []
        for scenario, held in layers:
            book = ledgers(scenario, Timeline(scenario))
            self.books.append(book)
            for a in held:
                if (
                    scenario.has_officer(a.officer)
                    and scenario.has_post(a.post)
                    and scenario.has_shift(a.shift)
                ):
                    book[a.officer].add(a.slot_key)

    def blocks_trading(self, officer: str, gives: d.Assignment, takes: d.Assignment) -> tuple[Block, ...]:
        """The hard rules `officer` breaks by giving up `gives` and taking `takes`."""
        out: list[Block] = []
        for index, book in enumerate(self.books):
            ledger = book[officer]
            ledger.remove(gives.slot_key)
            try:
                found = ledger.blocks(takes.slot_key)
            finally:
                ledger.add(gives.slot_key)
            if index:
                found = [b for b in found if b.rule in BOUNDARY_RULES]
            out += [b for b in found if not any(b.rule == x.rule and b.message == x.message for x in out)]
        return tuple(out)


def offers(
    s: d.Scenario,
    roster: Sequence[d.Assignment],
    duty: d.Assignment,
    candidates: Sequence[d.Assignment],
    following: Sequence[d.Assignment] = (),
) -> list[Offer]:
    """Each of `candidates` (duties of other officers) judged as a swap with `duty` both ways;
    possible swaps first, then by how close in time, then by officer."""
    books = Books(s, roster, following)
    out = []
    for other in candidates:
        if other.officer == duty.officer or not s.has_officer(other.officer):
            continue
        mine = books.blocks_trading(duty.officer, duty, other)
        theirs = books.blocks_trading(other.officer, other, duty)
        out.append(Offer(other, mine, theirs))
    return sorted(
        out,
        key=lambda o: (
            not o.ok,
            abs((o.duty.date - duty.date).days),
            o.duty.date,
            o.duty.shift,
            o.duty.officer,
        ),
    )


def swap_offers(
    session: Session,
    user: User,
    *,
    duty_ref: cs.DutyRef,
    days: int,
    options: ChangeOptions,
) -> cs.SwapOffersRead:
    """`GET /swap-offers`: the swaps `duty_ref`'s officer could ask for, judged both ways."""
    post = known(session, Post, duty_ref.post, "query.post")
    known(session, ShiftType, duty_ref.shift, "query.shift")
    known(session, Officer, duty_ref.officer, "query.officer")
    if not is_staff(user) and own_officer(user) != duty_ref.officer:
        raise Forbidden("officers may only look for swaps of their own duties")
    refusal = f"officers may look for swaps in their own unit only, not {post.unit_id!r}"
    readable = ensure_reads_unit(session, user, post.unit_id, refusal)
    roster = published_roster(session, post.unit_id, duty_ref.date)
    if roster is None:
        raise RuleViolation(
            f"no roster is published for unit {post.unit_id!r} on {duty_ref.date}",
            [ErrorDetail("query.date", f"no published roster for {post.unit_id} on {duty_ref.date}")],
        )
    whole = Scope.of(roster)
    part = units_in_part_of(session, post.unit_id)
    units = tuple(u for u in whole.unit_ids if u in part)
    at = Situation.of(session, Scope(whole.start, whole.days, units, whole.roster_id), options)
    scenario = at.frozen
    duty = duty_ref.assignment()
    if duty not in set(scenario.baseline):
        raise RuleViolation(
            f"{duty.officer} holds no {duty.shift} duty at {duty.post} on {duty.date} "
            "in the published roster",
            [ErrorDetail("query.officer", "does not hold this duty", duty.officer)],
        )
    lo, hi = duty.date - timedelta(days=days), duty.date + timedelta(days=days)
    timeline = Timeline(scenario)
    not_before = timeline.instant(at.now)

    def offered(a: d.Assignment) -> bool:
        if a.officer == duty.officer or not (lo <= a.date <= hi) or a.slot_key == duty.slot_key:
            return False
        if not scenario.has_post(a.post) or not scenario.has_shift(a.shift):
            return False
        unit = scenario.post(a.post).unit
        if readable is not None and unit not in readable:
            return False
        return timeline.duty(a.shift, a.date)[0] > not_before

    found = offers(
        scenario, scenario.baseline, duty, [a for a in scenario.baseline if offered(a)], at.following
    )
    names = {o.id: o.name for o in scenario.officers}
    homes = {o.id: o.unit for o in scenario.officers}
    mine_shown = sees_reasons(user, duty.officer, homes.get(duty.officer))
    return cs.SwapOffersRead(
        duty=cs.DutyOut.of(duty),
        roster_id=roster.id,
        offers=[
            cs.SwapOfferOut(
                duty=cs.DutyOut.of(o.duty),
                officer_name=names.get(o.duty.officer, o.duty.officer),
                ok=o.ok,
                mine=[cs.BlockOut.of(b, mine_shown) for b in o.mine],
                theirs=[
                    cs.BlockOut.of(b, sees_reasons(user, o.duty.officer, homes.get(o.duty.officer)))
                    for b in o.theirs
                ],
            )
            for o in found
        ],
    )
