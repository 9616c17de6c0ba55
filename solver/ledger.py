"""Incremental rule checks for one officer: "could this officer take that duty, and if not, why?"

The referee (`solver.check`) judges whole rosters; the ledger answers the same question for one
extra duty in microseconds, for the greedy first roster, the shortfall explanations and the
who-can-cover list. Its verdicts agree with the referee's (a property test checks it); every
answer names the referee's rule id.
"""

from __future__ import annotations

from bisect import insort
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from solver.domain import Assignment, Officer, Scenario, SlotKey, WorkRules
from solver.groups import owed_rest_dates
from solver.timeline import Timeline, overlaps
from solver.workdays import SATURDAY, judged_runs


@dataclass(frozen=True, order=True)
class Held:
    """A duty the ledger holds: history (post None) or a roster duty."""

    start: datetime
    end: datetime
    shift: str
    date: date
    post: str | None
    night: bool
    minutes: int


@dataclass(frozen=True)
class Block:
    """Why a duty cannot be added: the referee's rule id and a sentence."""

    rule: str
    message: str
    other: Held | None = None
    params: Mapping[str, str | int] = field(default_factory=dict, compare=False, hash=False)
    """The message's values by name (as `solver.check.Violation.params`)."""


class Ledger:
    """The duties of one officer, with the checks of every per-officer hard rule."""

    def __init__(self, scenario: Scenario, timeline: Timeline, officer: Officer) -> None:
        self.scenario = scenario
        self.timeline = timeline
        self.officer = officer
        self.rules: WorkRules = scenario.rules_for(officer)
        self.v2 = self.rules.uses_v2
        self.held: list[Held] = []
        self.away = timeline.away(officer)
        self.minutes_on: Counter[date] = Counter()
        self.starts_on: Counter[date] = Counter()
        self.nights_on: Counter[date] = Counter()
        self.busy_on: Counter[date] = Counter()  # horizon dates a held duty overlaps
        for h in officer.history:
            self._insert(self.held_duty(h.shift, h.date, None))

    def held_duty(self, shift_id: str, day: date, post: str | None) -> Held:
        shift = self.scenario.shift(shift_id)
        start, end = self.timeline.duty(shift_id, day)
        return Held(start, end, shift_id, day, post, shift.night, shift.minutes)

    @property
    def duties(self) -> list[Held]:
        """Roster duties (history excluded), by start."""
        return [h for h in self.held if h.post is not None]

    def _insert(self, h: Held) -> None:
        insort(self.held, h)
        self.minutes_on[h.date] += h.minutes
        self.starts_on[h.date] += 1
        if h.night:
            self.nights_on[h.date] += 1
        for day in self._days_touched(h):
            self.busy_on[day] += 1

    def add(self, slot: SlotKey) -> Held:
        h = self.held_duty(slot.shift, slot.date, slot.post)
        self._insert(h)
        return h

    def remove(self, slot: SlotKey) -> None:
        h = self.held_duty(slot.shift, slot.date, slot.post)
        self.held.remove(h)
        for counter, amount in (
            (self.minutes_on, h.minutes),
            (self.starts_on, 1),
            (self.nights_on, int(h.night)),
        ):
            counter[h.date] -= amount
            if counter[h.date] <= 0:
                del counter[h.date]
        for day in self._days_touched(h):
            self.busy_on[day] -= 1
            if self.busy_on[day] <= 0:
                del self.busy_on[day]

    def holds(self, slot: SlotKey) -> bool:
        return any(h.post == slot.post and h.shift == slot.shift and h.date == slot.date for h in self.held)

    # ------------------------------------------------------------------ checks

    def blocks(self, slot: SlotKey, first_only: bool = False) -> list[Block]:
        """Every per-officer hard rule that adding `slot` would break (empty: it can be added)."""
        s = self.scenario
        out: list[Block] = []
        post = s.post(slot.post)
        if post.unit not in self.officer.serves:
            out.append(Block("serves_unit", f"does not serve {post.unit}"))
            if first_only:
                return out
        new = self.held_duty(slot.shift, slot.date, slot.post)
        if s.frozen_until is not None and new.start < self.timeline.instant(s.frozen_until):
            pinned = Assignment(date=slot.date, shift=slot.shift, post=slot.post, officer=self.officer.id)
            if pinned not in s.pinned:
                out.append(
                    Block(
                        "frozen_until", f"starts before {s.frozen_until:%Y-%m-%d %H:%M}, in the frozen past"
                    )
                )
                if first_only:
                    return out
        for span, interval in self.away:
            if overlaps((new.start, new.end), interval):
                out.append(Block("unavailable", span.reason or "unavailable"))
                if first_only:
                    return out
                break
        out += self._time_blocks(new)
        if first_only and out:
            return out[:1]
        out += self._week_blocks(new)
        out += self._owed_blocks(new)
        if first_only and out:
            return out[:1]
        out += self._run_blocks(new)
        if first_only and out:
            return out[:1]
        out += self._v2_blocks(new)
        return out[:1] if first_only else out

    def _time_blocks(self, new: Held) -> list[Block]:
        rest = timedelta(minutes=self.rules.min_rest_minutes)
        out = []
        for h in self.held:
            if h.start >= new.end + rest:
                break
            if h.end + rest <= new.start:
                continue
            where: dict[str, str | int] = {
                "other_shift": h.shift,
                "other_date": h.date.isoformat(),
                "other_post": h.post or "",
            }
            if overlaps((h.start, h.end), (new.start, new.end)):
                out.append(Block("overlap", f"on duty {h.shift} {h.date} at {h.post or 'history'}", h, where))
            else:
                where["rest_minutes"] = self.rules.min_rest_minutes
                out.append(
                    Block(
                        "min_rest",
                        f"resting after/before {h.shift} {h.date} at {h.post or 'history'}",
                        h,
                        where,
                    )
                )
        return out

    def _week_blocks(self, new: Held) -> list[Block]:
        s = self.scenario
        out = []
        limit = self.rules.max_minutes_per_7_days
        on = self.minutes_on
        minutes = [on.get(day, 0) for day in _fortnight(new.date)]
        minutes[6] += new.minutes
        for back in range(7):
            total = sum(minutes[6 - back : 13 - back])
            if total > limit:
                first = new.date - timedelta(days=back)
                out.append(
                    Block(
                        "max_minutes_per_7_days",
                        f"{total} min in 7 days from {first} > {limit}",
                        params={"minutes": total, "limit": limit, "from": first.isoformat()},
                    )
                )
                break
        need = self.rules.min_days_off_per_7_days
        if need and s.days >= 7:
            touched = self._days_touched(new)
            if touched:
                first_day, last_day = min(touched), max(touched)
                dates = s.dates
                for i in range(
                    max(0, (first_day - s.start).days - 6), min(s.days - 6, (last_day - s.start).days + 1)
                ):
                    window = dates[i : i + 7]
                    off = sum(1 for d in window if d not in touched and self.busy_on[d] == 0)
                    if off < need:
                        out.append(
                            Block(
                                "min_days_off_per_7_days",
                                f"{off} day(s) off in {window[0]}..{window[-1]}",
                                params={"off": off, "need": need, "from": window[0].isoformat()},
                            )
                        )
                        break
        return out

    def _owed_blocks(self, new: Held) -> list[Block]:
        """v2 owed rest: the days off each entry owes among the horizon dates up to its `by`."""
        if not self.officer.owed_rest:
            return []
        touched = self._days_touched(new)
        for entry in self.officer.owed_rest:
            dates = owed_rest_dates(self.scenario, entry)
            if not dates or touched.isdisjoint(dates):
                continue
            off = sum(1 for d in dates if d not in touched and self.busy_on[d] == 0)
            if off < entry.days:
                return [Block("owed_rest", f"{off} day(s) off by {entry.by}, {entry.days} owed")]
        return []

    def _days_touched(self, h: Held) -> frozenset[date]:
        """The horizon dates whose local day the duty overlaps (memoised on the timeline)."""
        s = self.scenario
        key = (h.date, h.start, h.end, s.start, s.days)
        found = self.timeline.touched.get(key)
        if found is not None:
            return found
        days = set()
        day = h.date - timedelta(days=1)
        while True:
            bounds = self.timeline.day(day)
            if bounds[0] >= h.end:
                break
            if overlaps((h.start, h.end), bounds) and s.in_horizon(day):
                days.add(day)
            day += timedelta(days=1)
        found = self.timeline.touched[key] = frozenset(days)
        return found

    judge_minimum_runs = True
    """Whether `blocks` reports a duty that leaves a judged run of duty dates shorter than
    `min_consecutive_days` (the greedy roster, which builds runs day by day, turns it off)."""

    def _v2_blocks(self, new: Held) -> list[Block]:
        """The version-2 working-time rules that one more duty can break."""
        out: list[Block] = []
        if not self.v2:
            return out
        s, r = self.scenario, self.rules
        horizon = [h for h in self.held if h.post is not None and s.in_horizon(h.date)]
        if r.max_duties_per_day is not None and self.starts_on[new.date] + 1 > r.max_duties_per_day:
            out.append(Block("max_duties_per_day", f"{self.starts_on[new.date] + 1} duties on {new.date}"))
        if r.forbidden_successions:
            for h in self.held:
                if h.date == new.date - timedelta(days=1) and new.shift in r.forbidden_after(h.shift):
                    out.append(
                        Block("forbidden_succession", f"{new.shift} may not follow {h.shift} of {h.date}", h)
                    )
                elif h.date == new.date + timedelta(days=1) and h.shift in r.forbidden_after(new.shift):
                    out.append(
                        Block("forbidden_succession", f"{h.shift} of {h.date} may not follow {new.shift}", h)
                    )
        limit = r.max_duties_by_shift.get(new.shift)
        if limit is not None and sum(1 for h in horizon if h.shift == new.shift) + 1 > limit:
            out.append(Block("max_duties_by_shift", f"more than {limit} {new.shift} duties"))
        if r.max_minutes_per_horizon is not None:
            total = sum(h.minutes for h in horizon) + new.minutes
            if total > r.max_minutes_per_horizon:
                out.append(Block("max_minutes_per_horizon", f"{total} min > {r.max_minutes_per_horizon}"))
        if r.max_weekends is not None and new.date.weekday() >= SATURDAY:
            weekend_of = {
                h.date - timedelta(days=h.date.weekday() - SATURDAY)
                for h in horizon
                if h.date.weekday() >= SATURDAY
            }
            saturday = new.date - timedelta(days=new.date.weekday() - SATURDAY)
            if saturday not in weekend_of and len(weekend_of) + 1 > r.max_weekends:
                out.append(Block("max_weekends", f"a weekend more than {r.max_weekends}"))
        if r.min_consecutive_days_off > 1:
            touched = self._days_touched(new)
            flags = [self.busy_on[d] == 0 and d not in touched for d in s.dates]
            for i, length in judged_runs(flags):
                near = {s.dates[i] - timedelta(days=1), s.dates[i + length - 1] + timedelta(days=1)}
                if length < r.min_consecutive_days_off and near & touched:
                    out.append(
                        Block("min_consecutive_days_off", f"only {length} day(s) off from {s.dates[i]}")
                    )
                    break
        if self.judge_minimum_runs and r.min_consecutive_days > 1 and s.in_horizon(new.date):
            worked = {h.date for h in horizon} | {new.date}
            for i, length in judged_runs([d in worked for d in s.dates]):
                if length < r.min_consecutive_days and s.dates[i] <= new.date <= s.dates[i + length - 1]:
                    out.append(
                        Block("min_consecutive_days", f"a run of {length} duty day(s) from {s.dates[i]}")
                    )
                    break
        return out

    def _run_blocks(self, new: Held) -> list[Block]:
        out = []
        for counter, limit, what, rule, applies in (
            (self.starts_on, self.rules.max_consecutive_days, "duty days", "max_consecutive_days", True),
            (
                self.nights_on,
                self.rules.max_consecutive_nights,
                "nights",
                "max_consecutive_nights",
                new.night,
            ),
        ):
            if not applies:
                continue
            left = 0
            while counter[new.date - timedelta(days=left + 1)] > 0:
                left += 1
            right = 0
            while counter[new.date + timedelta(days=right + 1)] > 0:
                right += 1
            if left + 1 + right > limit:
                run = left + 1 + right
                out.append(
                    Block(rule, f"{run} {what} in a row > {limit}", params={"run": run, "limit": limit})
                )
        return out


@lru_cache(maxsize=4096)
def _fortnight(day: date) -> tuple[date, ...]:
    """The 13 dates from 6 days before `day` to 6 days after it."""
    return tuple(day + timedelta(days=i) for i in range(-6, 7))


def ledgers(scenario: Scenario, timeline: Timeline | None = None) -> dict[str, Ledger]:
    timeline = timeline or Timeline(scenario)
    return {o.id: Ledger(scenario, timeline, o) for o in scenario.officers}
