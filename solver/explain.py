"""Explanations: why a slot is short, and where the score comes from.

Reasons come from the same rule checks the solver respects (`solver.ledger`, agreeing with the
referee), applied to the finished roster: for a short slot, every officer who could in principle
staff it is either blocked by a named rule or free; a good roster leaves none free.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from solver.check import Contribution, check_assignments
from solver.domain import SCORE_TERMS, Assignment, Officer, Scenario, Shortfall, SlotKey
from solver.ledger import ledgers
from solver.timeline import Timeline

CAUSE_TEXT = {
    "serves_unit": ("not serving that unit", "不属于该单位勤务范围"),
    "frozen_until": ("in the frozen past (the time has passed)", "时段已过（已冻结）"),
    "unavailable": ("on leave or unavailable", "休假或不在岗"),
    "overlap": ("on duty at other posts at that time", "同时段在其他岗位执勤"),
    "min_rest": ("resting between duties that other posts cannot spare", "处于其他岗位班次之间的休息时间"),
    "max_minutes_per_7_days": ("at their weekly hours limit", "已达每周工时上限"),
    "min_days_off_per_7_days": ("would lose their weekly day off", "将失去每周休息日"),
    "max_consecutive_days": ("at the limit of days in a row", "已达连续执勤天数上限"),
    "max_consecutive_nights": ("at the limit of nights in a row", "已达连续夜班上限"),
    # version 2
    "max_duties_per_day": ("at their limit of duties that day", "已达当日执勤班次上限"),
    "forbidden_succession": (
        "barred from that shift after the shift of the day before",
        "前一日班次后不得接此班次",
    ),
    "max_duties_by_shift": ("at their limit of duties of that shift", "已达该班次执勤次数上限"),
    "max_minutes_per_horizon": ("at their hours limit for the plan", "已达排班期工时上限"),
    "max_weekends": ("at their limit of weekends on duty", "已达周末执勤次数上限"),
    "min_consecutive_days_off": ("would cut a run of days off too short", "将使连续休息天数不足"),
    "min_consecutive_days": ("would work a run of duty days too short", "将形成过短的连续执勤天数"),
    "min_minutes_per_horizon": ("held to their minimum hours", "须满足排班期最低工时"),
    "owed_rest": ("owed compulsory rest (补休) by a date", "须在期限前补休"),
    "free": ("free, yet left off by the solver", "空闲但未被排班"),
}
CAUSE_ORDER = tuple(CAUSE_TEXT)
"""Every rule the ledger can name (a test holds this to the catalogue), then `free` last."""


def _pool(s: Scenario, slot: SlotKey, skill: str | None) -> list[Officer]:
    unit = s.post(slot.post).unit
    return [o for o in s.officers if unit in o.serves and (skill is None or skill in o.skills)]


def shortfall_reasons(
    s: Scenario, assignments: Sequence[Assignment], shortfalls: Iterable[Shortfall]
) -> list[Shortfall]:
    """The shortfalls with a `reason` a duty officer understands (English and Chinese) and the
    count of candidates per excluding rule."""
    timeline = Timeline(s)
    books = ledgers(s, timeline)
    for a in assignments:
        books[a.officer].add(a.slot_key)
    staffed: dict[SlotKey, set[str]] = defaultdict(set)
    for a in assignments:
        staffed[a.slot_key].add(a.officer)
    out = []
    for sf in shortfalls:
        key = SlotKey(sf.post, sf.shift, sf.date)
        pool = [o for o in _pool(s, key, sf.skill) if o.id not in staffed[key]]
        causes: Counter[str] = Counter()
        for o in pool:
            blocks = books[o.id].blocks(key, first_only=True)
            causes[blocks[0].rule if blocks else "free"] += 1
        out.append(
            replace(
                sf,
                reason=_sentence(s, sf, len(pool), causes, "en"),
                reason_zh=_sentence(s, sf, len(pool), causes, "zh"),
                causes=dict(sorted(causes.items(), key=lambda kv: CAUSE_ORDER.index(kv[0]))),
            )
        )
    return out


def _sentence(s: Scenario, sf: Shortfall, pool: int, causes: Counter[str], lang: str) -> str:
    post = s.post(sf.post)
    unit = s.unit(post.unit).name
    shift = s.shift(sf.shift).name
    day = f"{sf.date.month:02d}-{sf.date.day:02d}"
    skill_name = None
    if sf.skill is not None:
        names = {k.id: k.name for k in (s.skills or ())}
        skill_name = names.get(sf.skill, sf.skill)
    parts = [
        (n, CAUSE_TEXT[rule][0 if lang == "en" else 1]) for rule in CAUSE_ORDER if (n := causes.get(rule, 0))
    ]
    if lang == "en":
        who = f"officers with {skill_name}" if skill_name else "officers"
        if pool == 0:
            return f"no other {who} serve {unit}; {sf.missing} missing on {day} {shift}"
        listed = ", ".join(f"{n} {text}" for n, text in parts)
        return f"{unit}: {pool} other {who} could serve {post.name}; on {day} {shift}: {listed}"
    who = f"具备{skill_name}资格的民警" if skill_name else "民警"
    if pool == 0:
        return f"{unit}没有其他可派的{who}；{day} {shift}缺{sf.missing}人"
    listed = "，".join(f"{n}人{text}" for n, text in parts)
    return f"{unit}另有{pool}名{who}可派往{post.name}；{day} {shift}：{listed}"


# --------------------------------------------------------------------------- score analysis


@dataclass(frozen=True)
class TermAnalysis:
    term: str
    total: int
    items: int
    top_officers: list[tuple[str, int]]
    top_posts: list[tuple[str, int]]
    top_dates: list[tuple[str, int]]
    top_units: list[tuple[str, int]]
    examples: list[Contribution]


def analyse(s: Scenario, assignments: Sequence[Assignment], top: int = 5) -> list[TermAnalysis]:
    """Per objective term: its total and the officers, posts, dates and units contributing most."""
    report = check_assignments(s, assignments)
    out = []
    for term in SCORE_TERMS:
        items = report.by_term(term)

        def most(attr: str, items: list[Contribution] = items) -> list[tuple[str, int]]:
            totals: Counter[str] = Counter()
            for c in items:
                key = getattr(c, attr)
                if key is not None:
                    totals[str(key)] += c.amount
            return totals.most_common(top)

        out.append(
            TermAnalysis(
                term=term,
                total=sum(c.amount for c in items),
                items=len(items),
                top_officers=most("officer"),
                top_posts=most("post"),
                top_dates=most("date"),
                top_units=most("unit"),
                examples=sorted(items, key=lambda c: -c.amount)[:top],
            )
        )
    return out
