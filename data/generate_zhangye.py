"""Generate the Zhangye benchmark scenario: one week of epidemic duty, 张掖市公安局交警支队, Nov 2021.

    python -m data.generate_zhangye [--scale K] [--seed N] [--days D] [--start YYYY-MM-DD] [--out PATH]

The scenario is synthetic but modelled on the detachment's epidemic-control duty of November
2021: 46 checkpoints on the G30/G3011 expressways, national, provincial and county roads of the
six county brigades, 34 key intersections of Ganzhou city, hospitals, isolation sites and supply
depots, staffed by about 600 officers (random names, never real people) with leave, requests, a
week of duty history, a few per-officer rules and pinned duties. See data/README.md.

The output is a pure function of (scale, seed, days, start): one `random.Random(seed)` stream, no
clock, no set iteration, dicts built in a fixed key order. `--scale K` writes K copies of the whole
city (copy 1 is exactly the scale-1 city; copy k > 1 has ids prefixed `c{k}-` and names suffixed
`（k）`, and its own leave and requests). `--days D` lengthens the horizon; history always covers
the 7 days before the start.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

DEFAULT_START = date(2021, 11, 8)
DEFAULT_SEED = 2021
DEFAULT_DAYS = 7
DEFAULT_OUT = Path(__file__).resolve().parent / "zhangye-2021-11-08.json"

HISTORY_DAYS = 7
DUTIES_PER_WEEK = 5.5
"""Planning figure for one officer's sustainable duties in 7 days (the rules allow at most 6)."""

RULES: dict[str, Any] = {
    "min_rest_minutes": 660,
    "max_minutes_per_7_days": 2880,
    "min_days_off_per_7_days": 1,
    "max_consecutive_days": 6,
    "max_consecutive_nights": 3,
    "weights": {
        "shortfall": 1000,
        "request": 10,
        "fair_duties": 2,
        "fair_nights": 5,
        "continuity": 1,
        "change": 20,
    },
}

# --------------------------------------------------------------------------- shift types

SHIFT_TYPES: list[dict[str, Any]] = [
    {"id": "N", "name": "夜班", "start": "00:00", "minutes": 480, "night": True},
    {"id": "D", "name": "白班", "start": "08:00", "minutes": 480, "night": False},
    {"id": "E", "name": "晚班", "start": "16:00", "minutes": 480, "night": False},
    {"id": "AM", "name": "早高峰", "start": "07:00", "minutes": 300, "night": False},
    {"id": "PM", "name": "晚高峰", "start": "15:00", "minutes": 300, "night": False},
]
SHIFT_START = {s["id"]: int(s["start"][:2]) * 60 + int(s["start"][3:]) for s in SHIFT_TYPES}
SHIFT_MINUTES = {s["id"]: s["minutes"] for s in SHIFT_TYPES}
NIGHT = {s["id"]: s["night"] for s in SHIFT_TYPES}

SKILLS = [{"id": "leader", "name": "带班民警"}, {"id": "ppe", "name": "防疫防护培训"}]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WORKDAYS = ["mon", "tue", "wed", "thu", "fri"]
WEEKEND = ["sat", "sun"]

# --------------------------------------------------------------------------- units


@dataclass(frozen=True)
class UnitSpec:
    id: str
    name: str
    prefix: str  # officer id prefix
    officers: int
    leaders: int
    ppe: int
    peak_share: float  # share of the non-leaders whose history is peak-hour (intersection) duty
    serves: str | None = None  # the unit its officers serve, when not their own


UNITS = (
    UnitSpec("hq", "张掖市公安局交警支队机关", "hq", 60, 30, 12, 0.5, serves="ganzhou"),
    UnitSpec("ganzhou", "甘州大队", "gz", 190, 53, 38, 0.6),
    UnitSpec("linze", "临泽大队", "lz", 70, 34, 14, 0.0),
    UnitSpec("gaotai", "高台大队", "gt", 76, 38, 15, 0.0),
    UnitSpec("shandan", "山丹大队", "sd", 80, 38, 16, 0.0),
    UnitSpec("minle", "民乐大队", "ml", 76, 38, 15, 0.0),
    UnitSpec("sunan", "肃南大队", "sn", 46, 21, 9, 0.0),
)

# --------------------------------------------------------------------------- posts

# (unit, id, name, priority, busiest): every checkpoint runs N, D and E every day.
CHECKPOINTS = (
    ("ganzhou", "gz-g30-dong", "G30连霍高速张掖东收费站检查点", 100, True),
    ("ganzhou", "gz-g30-nan", "G30连霍高速张掖南收费站检查点", 98, True),
    ("ganzhou", "gz-g30-xi", "G30连霍高速张掖西收费站检查点", 97, True),
    ("ganzhou", "gz-g30-jiantan", "G30连霍高速碱滩收费站检查点", 92, False),
    ("ganzhou", "gz-g227-daman", "G227国道大满检查点", 78, False),
    ("ganzhou", "gz-g312-shajing", "G312国道沙井检查点", 75, False),
    ("ganzhou", "gz-g213-ganjun", "G213国道甘浚检查点", 72, False),
    ("ganzhou", "gz-s213-anyang", "S213省道安阳检查点", 60, False),
    ("ganzhou", "gz-x-longqu", "县道龙渠检查点", 46, False),
    ("ganzhou", "gz-y-sanzha", "乡道三闸检查点", 42, False),
    ("linze", "lz-g30-linze", "G30连霍高速临泽收费站检查点", 95, False),
    ("linze", "lz-g30-liaoquan", "G30连霍高速蓼泉收费站检查点", 91, False),
    ("linze", "lz-g312-shahe", "G312国道沙河检查点", 76, False),
    ("linze", "lz-g312-pingchuan", "G312国道平川检查点", 73, False),
    ("linze", "lz-s301-banqiao", "S301省道板桥检查点", 62, False),
    ("linze", "lz-x-xinhua", "县道新华检查点", 48, False),
    ("linze", "lz-y-yanuan", "乡道鸭暖检查点", 43, False),
    ("gaotai", "gt-g30-gaotai", "G30连霍高速高台收费站检查点", 95, False),
    ("gaotai", "gt-g30-nanhua", "G30连霍高速南华收费站检查点", 90, False),
    ("gaotai", "gt-g312-xuanhua", "G312国道宣化检查点", 76, False),
    ("gaotai", "gt-g312-heiquan", "G312国道黑泉检查点", 72, False),
    ("gaotai", "gt-s301-luotuocheng", "S301省道骆驼城检查点", 63, False),
    ("gaotai", "gt-s-xinba", "省道新坝检查点", 57, False),
    ("gaotai", "gt-x-heli", "县道合黎检查点", 47, False),
    ("gaotai", "gt-y-luocheng", "乡道罗城检查点", 41, False),
    ("shandan", "sd-g30-shandandong", "G30连霍高速山丹东收费站检查点", 96, False),
    ("shandan", "sd-g30-shandan", "G30连霍高速山丹收费站检查点", 94, False),
    ("shandan", "sd-g30-qingquan", "G30连霍高速清泉收费站检查点", 90, False),
    ("shandan", "sd-g312-weiqi", "G312国道位奇检查点", 77, False),
    ("shandan", "sd-g312-dongle", "G312国道东乐检查点", 73, False),
    ("shandan", "sd-s-damaying", "省道大马营检查点", 61, False),
    ("shandan", "sd-x-laojun", "县道老军检查点", 46, False),
    ("shandan", "sd-y-huocheng", "乡道霍城检查点", 43, False),
    ("minle", "ml-g3011-minle", "G3011张扁高速民乐收费站检查点", 92, False),
    ("minle", "ml-g3011-xihuishan", "G3011张扁高速西灰山服务区检查点", 85, False),
    ("minle", "ml-g227-biandukou", "G227国道扁都口检查点", 80, False),
    ("minle", "ml-g227-liuba", "G227国道六坝检查点", 74, False),
    ("minle", "ml-g227-hongshui", "G227国道洪水检查点", 71, False),
    ("minle", "ml-s-nangu", "省道南古检查点", 58, False),
    ("minle", "ml-x-yonggu", "县道永固检查点", 48, False),
    ("minle", "ml-y-minlian", "乡道民联检查点", 42, False),
    ("sunan", "sn-g227-huangcheng", "G227国道皇城检查点", 79, False),
    ("sunan", "sn-s213-hongwansi", "S213省道红湾寺检查点", 64, False),
    ("sunan", "sn-s213-mati", "S213省道马蹄寺检查点", 57, False),
    ("sunan", "sn-x-kangle", "县道康乐检查点", 48, False),
    ("sunan", "sn-y-dahe", "乡道大河检查点", 44, False),
)

# Approximate WGS 84 positions (lat, lon) of each brigade's seat; a checkpoint is placed a few
# kilometres around its brigade's seat (synthetic: the names are real, the positions are not surveyed).
UNIT_SEATS = {
    "ganzhou": (38.93, 100.45),
    "linze": (39.15, 100.16),
    "gaotai": (39.38, 99.82),
    "shandan": (38.78, 101.09),
    "minle": (38.43, 100.82),
    "sunan": (38.83, 99.62),
}
# The layered checkpoint layout (分层查控), in the order officers are dealt to it: the slot's officers go
# to the first listed position with the fewest officers, so a two-officer shift stands at 近端查控
# (inspection) and 中端警示 (warning) and the third officer takes 远端分流 (diversion). (id, name,
# heads at a min-2/max-3 checkpoint, heads at a busiest min-3/max-4 one): heads add up to the max.
CHECKPOINT_POSITIONS = (
    ("near", "近端查控", 1, 2),
    ("mid", "中端警示", 1, 1),
    ("far", "远端分流", 1, 1),
)
PHONE_PREFIX = "139"
"""Synthetic mobile numbers 1390000xxxx (blocks of 10 000 beyond, e.g. 139000xxxxx at scale > 16):
never real ones, drawn from their own `Random(seed + 1)` so that nothing else in a document moves."""
HQ_GROUP_SIZE = 4
"""HQ officers sent down to Ganzhou stand in duty groups of this size (a checkpoint shift's staff)."""


def checkpoint_location(unit: str, index: int) -> dict[str, float]:
    """The approximate position of the `index`-th checkpoint of `unit`: on a ring around its seat."""
    lat, lon = UNIT_SEATS[unit]
    ring = 0.04 + 0.03 * (index // 6)
    turn = (index % 6) / 6
    return {
        "lat": round(lat + ring * _cos(turn), 4),
        "lon": round(lon + 1.3 * ring * _sin(turn), 4),
    }


def _cos(turn: float) -> float:
    return math.cos(2 * math.pi * turn)


def _sin(turn: float) -> float:
    return math.sin(2 * math.pi * turn)


# (name, priority): key intersections of Ganzhou city, peak-hour duty.
INTERSECTIONS = (
    ("鼓楼环岛", 35),
    ("东街什字", 34),
    ("西街什字", 34),
    ("南街什字", 33),
    ("北街什字", 33),
    ("县府街与甘州路口", 32),
    ("西大街与青年西街口", 31),
    ("南大街与南环路口", 31),
    ("北环路与北大街口", 30),
    ("东环路与东大街口", 30),
    ("西环路与西大街口", 29),
    ("南环路与县府南街口", 29),
    ("北环路与县府北街口", 28),
    ("青年东街与东环路口", 28),
    ("青年西街与西环路口", 27),
    ("民主西街与县府街口", 27),
    ("民主东街与东大街口", 26),
    ("劳动街与南大街口", 26),
    ("马神庙街与北大街口", 25),
    ("长沙门路与北环路口", 25),
    ("玉关路与南环路口", 24),
    ("滨河路与甘州路口", 24),
    ("丹霞大道与北环路口", 23),
    ("泰安路与西环路口", 23),
    ("甘泉路与东环路口", 22),
    ("火车站广场路口", 22),
    ("张掖西站站前路口", 21),
    ("南关汽车站路口", 21),
    ("河西学院北环路口", 20),
    ("东湖路与环城东路口", 19),
    ("西关什字", 18),
    ("南关什字", 17),
    ("北关什字", 16),
    ("东关什字", 15),
)

# (unit, id, name, kind, priority, shifts, max, needs ppe)
OTHER_POSTS = (
    ("ganzhou", "gz-hosp-shi", "张掖市人民医院", "hospital", 60, ("D", "E"), 2, True),
    ("ganzhou", "gz-hosp-qu", "甘州区人民医院", "hospital", 60, ("D", "E"), 2, True),
    ("ganzhou", "gz-iso-1", "集中隔离点一（城北宾馆）", "isolation_site", 65, ("N", "D", "E"), 2, True),
    ("ganzhou", "gz-iso-2", "集中隔离点二（南郊酒店）", "isolation_site", 65, ("N", "D", "E"), 2, True),
    ("ganzhou", "gz-depot-1", "防疫物资保障点（市物流园区）", "supply_depot", 30, ("D",), 2, False),
    ("ganzhou", "gz-depot-2", "生活物资保障点（蔬菜批发市场）", "supply_depot", 30, ("D",), 2, False),
    ("shandan", "sd-iso-1", "山丹县集中隔离点（东郊酒店）", "isolation_site", 65, ("N", "D", "E"), 2, True),
)

# (post id, shift, day offset from the start, skill the pinned officer must hold)
PINS = (
    ("gz-g30-dong", "D", 0, "leader"),
    ("gz-hosp-shi", "D", 1, "ppe"),
    ("ml-g3011-xihuishan", "E", 2, "leader"),
)

# --------------------------------------------------------------------------- names

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶贺顾毛郝龚邵万严武戴孔汤"
    "安常牛祁裴柴岳樊鲁葛滕"
)
GIVEN = (
    "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林欢佳阳建国峰亮成文春晓晨海瑞志红燕霞丽"
    "娟敏静玲芳婷雪琳慧永庆德荣福兴云东振宏武忠祥彦鹤斐珂琦"
)

# --------------------------------------------------------------------------- history patterns

# 8-hour rotations, read cyclically: forward rotation (N -> D -> E), at most 6 duties in any 7 days,
# at most 6 days and 3 nights in a row, and at least 11 h between any two duties.
SHIFT_PATTERNS = (("NNDDEE--", 45), ("NNN-DDEE-", 30), ("DDDEE-NN-", 15), ("EEEE-DD-", 10))
NO_TRIPLE_NIGHTS = (("NNDDEE--", 60), ("DDDEE-NN-", 25), ("EEEE-DD-", 15))
LIGHT_PATTERN = "DDDDD--"
# Peak-hour templates by weekday mon..sun ("-" off): AM only on working days (the intersections
# have no AM slot at the weekend); PM ends 20:00, AM starts 07:00: exactly 11 h.
PEAK_TEMPLATES = (
    ("AM", "AM", "AM", "AM", "AM", "-", "-"),
    ("PM", "PM", "PM", "PM", "PM", "-", "PM"),
    ("-", "PM", "PM", "PM", "PM", "PM", "PM"),
    ("AM", "AM", "AM", "AM", "-", "PM", "PM"),
    ("PM", "PM", "-", "AM", "AM", "-", "PM"),
    ("-", "-", "PM", "PM", "PM", "PM", "PM"),
    ("AM", "AM", "-", "PM", "PM", "PM", "-"),
)

LEAVE_KINDS = (("年休假", 35), ("病假", 25), ("居家隔离观察", 20), ("培训", 20))
LEAVE_SHARE = 0.055
REQUEST_SHARE = 0.15

# Sunan's designed shortage (day offsets from the start, end exclusive): seven of its 21 duty
# leaders are out in mid-week, leaving 14 for the 15 leader seats on days 3 and 4.
SUNAN_LEAVE = (
    ("居家隔离观察（密接排查）", 2, 6),
    ("居家隔离观察（密接排查）", 2, 6),
    ("居家隔离观察（密接排查）", 2, 6),
    ("居家隔离观察（密接排查）", 2, 6),
    ("年休假", 3, 5),
    ("病假", 3, 5),
    ("培训（市局集中轮训）", 3, 5),
)


# --------------------------------------------------------------------------- the base city


@dataclass
class BaseOfficer:
    unit: UnitSpec
    number: int
    name: str
    skills: list[str]
    plan: list[str | None]  # duty per history day (start - 7 .. start - 1), None when off
    rules: dict[str, int] = field(default_factory=dict)
    designed_leave: tuple[str, int, int] | None = None


def _weighted(rng: Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _name(rng: Random, taken: set[str]) -> str:
    while True:
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        name = rng.choice(SURNAMES) + given
        if name not in taken:
            taken.add(name)
            return name


def _base_city(rng: Random, start: date) -> list[BaseOfficer]:
    """Officers as every copy shares them: names, skills, per-officer rules, history plan."""
    taken: set[str] = set()
    officers: list[BaseOfficer] = []
    for unit in UNITS:
        leaders = set(rng.sample(range(unit.officers), unit.leaders))
        ppe = set(rng.sample(range(unit.officers), unit.ppe))
        for i in range(unit.officers):
            skills = (["leader"] if i in leaders else []) + (["ppe"] if i in ppe else [])
            officers.append(BaseOfficer(unit, i + 1, _name(rng, taken), skills, []))

    # Older officers: at most 2 nights in a row; one officer back from long sick leave on 5 duties.
    for o in rng.sample(officers, 12):
        o.rules = {"max_consecutive_nights": 2}
    light = rng.choice([o for o in officers if o.unit.id == "ganzhou" and not o.rules and not o.skills])
    light.rules = {"max_minutes_per_7_days": 2400}

    first = start - timedelta(days=HISTORY_DAYS)
    for o in officers:
        if rng.random() < 0.03:  # newly transferred: no duty record
            o.plan = [None] * HISTORY_DAYS
            continue
        if o.rules.get("max_minutes_per_7_days"):
            pattern = LIGHT_PATTERN
        elif "leader" not in o.skills and rng.random() < o.unit.peak_share:
            template = rng.choice(PEAK_TEMPLATES)
            o.plan = [_dash(template[(first + timedelta(days=i)).weekday()]) for i in range(HISTORY_DAYS)]
            continue
        else:
            pattern = _weighted(rng, NO_TRIPLE_NIGHTS if o.rules else SHIFT_PATTERNS)
        offset = rng.randrange(len(pattern))
        o.plan = [_dash(pattern[(offset + i) % len(pattern)]) for i in range(HISTORY_DAYS)]

    sunan_leaders = [o for o in officers if o.unit.id == "sunan" and "leader" in o.skills and not o.rules]
    for o, leave in zip(rng.sample(sunan_leaders, len(SUNAN_LEAVE)), SUNAN_LEAVE, strict=True):
        o.designed_leave = leave
    return officers


def _dash(token: str) -> str | None:
    return None if token == "-" else token


# --------------------------------------------------------------------------- time helpers


def _stamp(day: date, minutes: int = 0) -> str:
    return (datetime.combine(day, datetime.min.time()) + timedelta(minutes=minutes)).strftime(
        "%Y-%m-%dT%H:%M"
    )


def _duty_interval(shift: str, day: date) -> tuple[datetime, datetime]:
    begin = datetime.combine(day, datetime.min.time()) + timedelta(minutes=SHIFT_START[shift])
    return begin, begin + timedelta(minutes=SHIFT_MINUTES[shift])


def _overlaps(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _span_interval(span: dict[str, Any]) -> tuple[datetime, datetime]:
    return datetime.fromisoformat(span["start"]), datetime.fromisoformat(span["end"])


def _day_free(spans: list[dict[str, Any]], day: date) -> bool:
    whole = (
        datetime.combine(day, datetime.min.time()),
        datetime.combine(day + timedelta(days=1), datetime.min.time()),
    )
    return not any(_overlaps(_span_interval(s), whole) for s in spans)


# --------------------------------------------------------------------------- one copy of the city


def _leave_span(rng: Random, start: date, days: int) -> dict[str, Any]:
    kind = _weighted(rng, LEAVE_KINDS)
    if kind == "居家隔离观察":
        length, first = rng.randint(7, 14), rng.randint(-10, days - 1)
    elif kind == "年休假":
        length, first = rng.choice((1, 1, 2, 3, 4, 5)), rng.randint(-4, days - 1)
    elif kind == "病假":
        length, first = rng.randint(1, 3), rng.randint(-2, days - 1)
    else:
        length, first = rng.randint(2, 5), rng.randint(-3, days - 1)
    first = max(first, 1 - length)  # the span reaches into the horizon
    begin = start + timedelta(days=first)
    if kind == "培训":  # a course: from 08:00 on the first day to 18:00 on the last
        return {
            "start": _stamp(begin, 8 * 60),
            "end": _stamp(begin + timedelta(days=length - 1), 18 * 60),
            "reason": "培训",
        }
    reason = {"年休假": "年休假", "病假": "病假", "居家隔离观察": "居家隔离观察（健康码黄码）"}[kind]
    return {"start": _stamp(begin), "end": _stamp(begin + timedelta(days=length)), "reason": reason}


REQUEST_KINDS = (("day_off", 70), ("shift_off", 20), ("shift_on", 10))


def _requests(rng: Random, spans: list[dict[str, Any]], start: date, days: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for _ in range(1 if rng.random() < 0.7 else 2):
        kind = _weighted(rng, REQUEST_KINDS)
        if rng.random() < 0.03:  # filed for a date just outside the horizon
            day = rng.choice((start - timedelta(days=1), start + timedelta(days=days)))
        else:
            day = start + timedelta(days=rng.randrange(days))
            for _retry in range(10):
                if _day_free(spans, day):
                    break
                day = start + timedelta(days=rng.randrange(days))
            else:
                continue
        if kind == "day_off":
            request = {"kind": "day_off", "date": day.isoformat(), "weight": rng.randint(1, 5)}
        elif kind == "shift_off":
            request = {
                "kind": "shift_off",
                "date": day.isoformat(),
                "shift": "N",
                "weight": rng.randint(1, 3),
            }
        else:
            request = {"kind": "shift_on", "date": day.isoformat(), "shift": "D", "weight": rng.randint(1, 2)}
        if not any(r["kind"] == request["kind"] and r["date"] == request["date"] for r in out):
            out.append(request)
    return sorted(out, key=lambda r: (r["date"], r["kind"]))


def _history(o: BaseOfficer, spans: list[dict[str, Any]], start: date) -> list[dict[str, str]]:
    out = []
    for i, shift in enumerate(o.plan):
        if shift is None:
            continue
        day = start - timedelta(days=HISTORY_DAYS - i)
        if not any(_overlaps(_duty_interval(shift, day), _span_interval(s)) for s in spans):
            out.append({"shift": shift, "date": day.isoformat()})
    return out


def _pin_ok(officer: dict[str, Any], shift: str, day: date, start: date) -> bool:
    """Whether `officer` can take this duty whatever else the roster gives him (history and leave only)."""
    interval = _duty_interval(shift, day)
    if any(_overlaps(interval, _span_interval(s)) for s in officer.get("unavailable", [])):
        return False
    if any(r["date"] == day.isoformat() and r["kind"] != "shift_on" for r in officer.get("requests", [])):
        return False
    rules = {**{k: v for k, v in RULES.items() if k != "weights"}, **officer.get("rules", {})}
    history = [(date.fromisoformat(h["date"]), h["shift"]) for h in officer.get("history", [])]
    for hday, hshift in history:
        gap = (interval[0] - _duty_interval(hshift, hday)[1]).total_seconds() / 60
        if gap < rules["min_rest_minutes"]:
            return False
    worked = {hday for hday, _ in history}
    nights = {hday for hday, hshift in history if NIGHT[hshift]}
    run = 1
    while day - timedelta(days=run) in worked:
        run += 1
    night_run = 1
    while NIGHT[shift] and day - timedelta(days=night_run) in nights:
        night_run += 1
    minutes = SHIFT_MINUTES[shift] + sum(
        SHIFT_MINUTES[hshift] for hday, hshift in history if (day - hday).days < 7
    )
    return (
        run <= rules["max_consecutive_days"]
        and night_run <= rules["max_consecutive_nights"]
        and minutes <= rules["max_minutes_per_7_days"]
        and day >= start
    )


def _copy(
    rng: Random, base: list[BaseOfficer], k: int, start: date, days: int, phones: list[str]
) -> tuple[
    list[dict[str, Any]],
    list[dict[str, Any]],
    list[dict[str, Any]],
    list[dict[str, Any]],
    list[dict[str, Any]],
]:
    """Units, posts, officers, pinned duties and duty groups of copy `k` of the city (copy 1: no prefix);
    `phones`: the officers' phone numbers, one per officer of `base`."""
    pre = "" if k == 1 else f"c{k}-"
    suf = "" if k == 1 else f"（{k}）"
    units = [{"id": pre + u.id, "name": u.name + suf} for u in UNITS]
    posts = _posts(pre, suf)

    officers: list[dict[str, Any]] = []
    for o, phone in zip(base, phones, strict=True):
        spans: list[dict[str, Any]] = []
        if o.designed_leave is not None:
            reason, first, last = o.designed_leave
            spans.append(
                {
                    "start": _stamp(start + timedelta(days=first)),
                    "end": _stamp(start + timedelta(days=last)),
                    "reason": reason,
                }
            )
        elif not (o.unit.id == "sunan" and "leader" in o.skills) and rng.random() < LEAVE_SHARE:
            spans.append(_leave_span(rng, start, days))
        requests = _requests(rng, spans, start, days) if rng.random() < REQUEST_SHARE else []
        history = _history(o, spans, start)
        doc: dict[str, Any] = {
            "id": f"{pre}{o.unit.prefix}-{o.number:03d}",
            "name": o.name + suf,
            "phone": phone,
            "unit": pre + o.unit.id,
        }
        if o.unit.serves is not None:
            doc["serves"] = [pre + o.unit.serves]
        doc["skills"] = list(o.skills)
        if spans:
            doc["unavailable"] = spans
        if requests:
            doc["requests"] = requests
        if history:
            doc["history"] = history
        if o.rules:
            doc["rules"] = dict(o.rules)
        officers.append(doc)

    pinned = []
    post_units = {p["id"]: p["unit"] for p in posts}
    used: set[str] = set()
    for post, shift, offset, skill in PINS:
        day = start + timedelta(days=offset)
        if offset >= days:
            continue
        unit = post_units[pre + post]
        candidates = [
            o
            for o in officers
            if o["unit"] == unit
            and skill in o["skills"]
            and o["id"] not in used
            and _pin_ok(o, shift, day, start)
        ]
        chosen = rng.choice(candidates)
        used.add(chosen["id"])
        pinned.append({"officer": chosen["id"], "post": pre + post, "shift": shift, "date": day.isoformat()})
    return units, posts, officers, pinned, _hq_groups(officers, pre, suf)


def _hq_groups(officers: list[dict[str, Any]], pre: str, suf: str) -> list[dict[str, Any]]:
    """The HQ officers sent down to Ganzhou in duty groups of `HQ_GROUP_SIZE` (no rotation: they work
    together wherever the squadron needs them), as many duty leaders in each as there are to share."""
    hq = [o for o in officers if o["unit"] == pre + "hq"]
    leaders = [o["id"] for o in hq if "leader" in o["skills"]]
    others = [o["id"] for o in hq if "leader" not in o["skills"]]
    count = -(-len(hq) // HQ_GROUP_SIZE)
    members: list[list[str]] = [[] for _ in range(count)]
    for i, oid in enumerate(leaders + others):
        members[i % count].append(oid)
    return [
        {"id": f"{pre}hq-g{k + 1:02d}", "name": f"机关执勤第{k + 1}组（甘州大队）{suf}", "members": group}
        for k, group in enumerate(members)
    ]


def _coverage(
    shift: str, low: int, high: int, skills: dict[str, int] | None = None, days: list[str] | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {"shift": shift, "min": low, "max": high}
    if skills:
        out["skills"] = dict(skills)
    if days is not None:
        out["days"] = list(days)
    return out


def _checkpoint_positions(busiest: bool) -> list[dict[str, Any]]:
    """The positions of a checkpoint (see `CHECKPOINT_POSITIONS`)."""
    return [
        {"id": pid, "name": name, "heads": big if busiest else small}
        for pid, name, small, big in CHECKPOINT_POSITIONS
    ]


def _phones(rng: Random, count: int) -> list[str]:
    """`count` distinct synthetic mobile numbers (see `PHONE_PREFIX`), in a random order."""
    pool = 10_000 * max(1, -(-count // 10_000))
    return [f"{PHONE_PREFIX}{n:08d}" for n in rng.sample(range(pool), count)]


def _posts(pre: str, suf: str) -> list[dict[str, Any]]:
    posts: list[dict[str, Any]] = []
    for unit in UNITS:
        own = [c for c in CHECKPOINTS if c[0] == unit.id]
        for index, (u, pid, name, priority, busiest) in enumerate(own):
            low, high = (3, 4) if busiest else (2, 3)
            posts.append(
                {
                    "id": pre + pid,
                    "name": name + suf,
                    "kind": "checkpoint",
                    "unit": pre + u,
                    "priority": priority,
                    "positions": _checkpoint_positions(busiest),
                    "coverage": [_coverage(s, low, high, {"leader": 1}) for s in ("N", "D", "E")],
                    "location": checkpoint_location(u, index),
                }
            )
        if unit.id == "ganzhou":
            for i, (name, priority) in enumerate(INTERSECTIONS, start=1):
                posts.append(
                    {
                        "id": f"{pre}gz-ix-{i:02d}",
                        "name": name + suf,
                        "kind": "intersection",
                        "unit": pre + "ganzhou",
                        "priority": priority,
                        "coverage": [
                            _coverage("AM", 1, 2, days=WORKDAYS),
                            _coverage("PM", 1, 2, days=WORKDAYS),
                            _coverage("PM", 1, 1, days=WEEKEND),
                        ],
                    }
                )
        for u, pid, name, kind, priority, shifts, high, ppe in OTHER_POSTS:
            if u == unit.id:
                posts.append(
                    {
                        "id": pre + pid,
                        "name": name + suf,
                        "kind": kind,
                        "unit": pre + u,
                        "priority": priority,
                        "coverage": [_coverage(s, 1, high, {"ppe": 1} if ppe else None) for s in shifts],
                    }
                )
    return posts


# --------------------------------------------------------------------------- the document


def generate(
    scale: int = 1, seed: int = DEFAULT_SEED, days: int = DEFAULT_DAYS, start: date = DEFAULT_START
) -> dict[str, Any]:
    """The scenario document (format 2: duty groups of the HQ officers, checkpoint locations) for
    `scale` copies of the city, `days` days from `start`."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    if not 1 <= days <= 366:
        raise ValueError("days must be between 1 and 366")
    rng = Random(seed)
    base = _base_city(rng, start)
    units: list[dict[str, Any]] = []
    posts: list[dict[str, Any]] = []
    officers: list[dict[str, Any]] = []
    pinned: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    phones = _phones(Random(seed + 1), scale * len(base))
    for k in range(1, scale + 1):
        u, p, o, pins, g = _copy(rng, base, k, start, days, phones[(k - 1) * len(base) : k * len(base)])
        units += u
        posts += p
        officers += o
        pinned += pins
        groups += g
    name = f"张掖市公安局交警支队疫情防控勤务：{start.isoformat()} 起 {days} 天"
    if scale > 1:
        name += f"（{scale} 个城市副本）"
    return {
        "format": 2,
        "name": name,
        "timezone": "Asia/Shanghai",
        "horizon": {"start": start.isoformat(), "days": days},
        "shift_types": [dict(s) for s in SHIFT_TYPES],
        "units": units,
        "skills": [dict(s) for s in SKILLS],
        "posts": posts,
        "officers": officers,
        "rules": json.loads(json.dumps(RULES)),
        "pinned": pinned,
        "baseline": [],
        "groups": groups,
    }


NORMAL_START = date(2021, 12, 6)
"""A Monday after the surge: the default first date of the normal month."""
NORMAL_DAYS = 28
EMERGENCY_KINDS = ("hospital", "isolation_site", "supply_depot")
NORMAL_RULES: dict[str, Any] = {
    "max_duties_per_day": 1,
    "forbidden_successions": [{"first": "E", "then": ["D", "AM", "PM"]}],
    "min_consecutive_days_off": 2,
    "max_weekends": 2,
}


FOUR_SHIFT_PATTERN: tuple[str | None, ...] = ("N", "N", "D", "D", "E", "E", None, None)
"""四班三运转 (four groups, three shifts): each group works two nights (N 00:00), two days (D
08:00), two evenings (E 16:00), then two days off; the four groups start two days apart, so each
shift of each date has exactly one group, and every change of shift leaves 24 hours of rest."""
FOUR_SHIFT_GROUPS = 4
FOUR_SHIFT_TEAM = 2
"""A brigade checkpoint's staff per shift in normal times: a duty leader and one more officer."""


def brigade_units(doc: dict[str, Any]) -> list[str]:
    """The county brigades: units whose posts (emergency posts aside) are all checkpoints."""
    kinds: dict[str, set[str]] = {}
    for post in doc["posts"]:
        if post["kind"] not in EMERGENCY_KINDS:
            kinds.setdefault(post["unit"], set()).add(post["kind"])
    return [u["id"] for u in doc["units"] if kinds.get(u["id"]) == {"checkpoint"}]


def normal_month(doc: dict[str, Any]) -> dict[str, Any]:
    """The detachment in normal times, as a format-2 scenario, from `generate`'s document: no
    hospital, isolation-site or supply-depot posts; checkpoints staffed with half the officers (at
    least one) and one more allowed at an over-staffing cost, the county brigades' round the clock,
    Ganzhou's by day and evening only; the city intersections at peak hours as before; no pins; and
    the v2 working-time rules: one duty a day, no morning or afternoon duty the day after an
    evening shift, days off in runs of two or more, at most two weekends a month (scaled to the
    horizon), at most 2,400 minutes per 7 days of the plan on average. Each brigade's checkpoints
    are kept by four duty groups on 四班三运转 (`four_shift_groups`)."""
    days = doc["horizon"]["days"]
    brigades = set(brigade_units(doc))
    posts = []
    for post in doc["posts"]:
        if post["kind"] in EMERGENCY_KINDS:
            continue
        if post["kind"] == "checkpoint":
            coverage = []
            for c in post["coverage"]:
                if c["shift"] == "N" and post["unit"] not in brigades:
                    continue
                low = FOUR_SHIFT_TEAM if post["unit"] in brigades else max(1, c["min"] // 2)
                entry = {**c, "min": low, "max": low + 1, "over_weight": 5}
                entry["skills"] = {k: min(v, low + 1) for k, v in c.get("skills", {}).items()}
                if not entry["skills"]:
                    entry.pop("skills")
                coverage.append(entry)
            post = {**post, "coverage": coverage}
        posts.append(post)
    rules = json.loads(json.dumps(doc["rules"]))
    rules.update(json.loads(json.dumps(NORMAL_RULES)))
    rules["max_weekends"] = max(1, round(2 * days / 28))
    rules["max_minutes_per_horizon"] = round(2400 * days / 7)
    start = doc["horizon"]["start"]
    out = {
        "format": 2,
        **doc,
        "name": f"张掖市公安局交警支队日常勤务：{start} 起 {days} 天",
        "posts": posts,
        "rules": rules,
        "pinned": [],
    }
    return four_shift_groups(out, sorted(brigades))


def four_shift_groups(doc: dict[str, Any], units: list[str]) -> dict[str, Any]:
    """`doc` with each checkpoint of `units` kept by its own four duty groups on 四班三运转
    (`FOUR_SHIFT_PATTERN`, group k starting 2k days before the horizon): a group is one checkpoint
    shift's staff, a duty leader and `FOUR_SHIFT_TEAM` - 1 other officers, chosen first among those
    without leave or rules of their own; the brigade's other officers stay outside the groups (the
    reserve that covers leave). A member's history is the pattern's last 7 days, and their own
    rules allow what the rotation asks: every weekend, and the minutes of the pattern's duties in
    the horizon."""
    start = date.fromisoformat(doc["horizon"]["start"])
    days = doc["horizon"]["days"]
    minutes = {s["id"]: s["minutes"] for s in doc["shift_types"]}
    dates = [start + timedelta(days=i) for i in range(days)]
    weekends = len({(d - timedelta(days=d.weekday())) for d in dates if d.weekday() >= 5})
    officers = [dict(o) for o in doc["officers"]]
    groups = list(doc.get("groups", []))
    cycle = len(FOUR_SHIFT_PATTERN)

    def shift_on(day: date, k: int) -> str | None:
        return FOUR_SHIFT_PATTERN[(day - start + timedelta(days=2 * k)).days % cycle]

    history_days = [start - timedelta(days=i) for i in range(HISTORY_DAYS, 0, -1)]
    for unit in units:
        pool = [o for o in officers if o["unit"] == unit and not o.get("serves")]
        pool.sort(key=lambda o: (bool(o.get("unavailable")) or bool(o.get("rules")), o["id"]))
        leaders = [o for o in pool if "leader" in o.get("skills", [])]
        others = [o for o in pool if "leader" not in o.get("skills", [])]
        for post in (p for p in doc["posts"] if p["unit"] == unit and p["kind"] == "checkpoint"):
            for k in range(FOUR_SHIFT_GROUPS):
                if not leaders or len(others) < FOUR_SHIFT_TEAM - 1:
                    break
                members = [leaders.pop(0)] + [others.pop(0) for _ in range(FOUR_SHIFT_TEAM - 1)]
                worked = sum(minutes[s] for day in dates if (s := shift_on(day, k)) is not None)
                history = [
                    {"shift": s, "date": day.isoformat()}
                    for day in history_days
                    if (s := shift_on(day, k)) is not None
                ]
                for o in members:
                    o["history"] = history
                    o["rules"] = {
                        **o.get("rules", {}),
                        "max_weekends": weekends,
                        "max_minutes_per_horizon": worked,
                    }
                groups.append(
                    {
                        "id": f"{post['id']}-{k + 1}",
                        "name": f"{post['name']} 第{k + 1}班",
                        "members": [o["id"] for o in members],
                        "pattern": {
                            "start": (start - timedelta(days=2 * k)).isoformat(),
                            "days": list(FOUR_SHIFT_PATTERN),
                        },
                    }
                )
    return {**doc, "officers": officers, "groups": groups}


def to_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


# --------------------------------------------------------------------------- capacity


def _selects(coverage: dict[str, Any], day: date) -> bool:
    tokens = coverage.get("days")
    return tokens is None or WEEKDAYS[day.weekday()] in tokens or day.isoformat() in tokens


def capacity(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Per unit: what its posts need over the horizon and what the officers serving it can give.

    demand = Σ slot `min`; supply = officer-days free of leave × 5.5 / 7 (duties). The leader columns
    compare the most leader seats on one day with the fewest leaders free on one day: an officer can
    start at most one duty per day (two would break the 11 h rest), so fewer leaders than seats on a
    day is a shortfall no roster avoids.
    """
    start = date.fromisoformat(doc["horizon"]["start"])
    dates = [start + timedelta(days=i) for i in range(doc["horizon"]["days"])]
    rows = []
    for unit in doc["units"]:
        uid = unit["id"]
        posts = [p for p in doc["posts"] if p["unit"] == uid]
        per_day = {day: {"demand": 0, "leader": 0, "ppe": 0, "slots": 0} for day in dates}
        for p in posts:
            for c in p["coverage"]:
                for day in dates:
                    if _selects(c, day):
                        cell = per_day[day]
                        cell["slots"] += 1
                        cell["demand"] += c["min"]
                        cell["leader"] += c.get("skills", {}).get("leader", 0)
                        cell["ppe"] += c.get("skills", {}).get("ppe", 0)
        home = [o for o in doc["officers"] if o["unit"] == uid]
        serving = [o for o in doc["officers"] if uid in o.get("serves", [o["unit"]])]
        free = {o["id"]: [_day_free(o.get("unavailable", []), day) for day in dates] for o in serving}
        leaders = [o for o in serving if "leader" in o["skills"]]
        supply = sum(sum(f) for f in free.values()) * DUTIES_PER_WEEK / 7
        leader_supply = sum(sum(free[o["id"]]) for o in leaders) * DUTIES_PER_WEEK / 7
        demand = sum(c["demand"] for c in per_day.values())
        leader_demand = sum(c["leader"] for c in per_day.values())
        rows.append(
            {
                "unit": uid,
                "name": unit["name"],
                "posts": len(posts),
                "slots": sum(c["slots"] for c in per_day.values()),
                "officers": len(home),
                "serving": len(serving),
                "serves": ", ".join(sorted({u for o in home for u in o.get("serves", [uid]) if u != uid})),
                "leaders": len(leaders),
                "demand": demand,
                "supply": round(supply, 1),
                "load": demand / supply if supply else None,
                "leader_demand": leader_demand,
                "leader_supply": round(leader_supply, 1),
                "leader_load": leader_demand / leader_supply if leader_supply else None,
                "ppe_demand": sum(c["ppe"] for c in per_day.values()),
                "leader_seats_per_day": max((c["leader"] for c in per_day.values()), default=0),
                "fewest_leaders_free": min(
                    (sum(free[o["id"]][i] for o in leaders) for i in range(len(dates))), default=0
                ),
            }
        )
    return rows


def capacity_table(rows: list[dict[str, Any]]) -> str:
    def pct(x: float | None) -> str:
        return "–" if x is None else f"{100 * x:.0f} %"

    lines = [
        "| unit | posts | slots | officers (serving) | demand | supply | load "
        "| leader demand | leader supply | leader load | leader seats/day | fewest leaders free |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in rows:
        if r["serves"]:
            serving = f"{r['officers']} (→ {r['serves']})"
        elif r["serving"] != r["officers"]:
            serving = f"{r['officers']} ({r['serving']})"
        else:
            serving = str(r["officers"])
        lines.append(
            f"| {r['unit']} {r['name']} | {r['posts']} | {r['slots']} | {serving} "
            f"| {r['demand']} | {r['supply']} | {pct(r['load'])} "
            f"| {r['leader_demand']} | {r['leader_supply']} | {pct(r['leader_load'])} "
            f"| {r['leader_seats_per_day']} | {r['fewest_leaders_free']} |"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m data.generate_zhangye", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--scale", type=int, default=1, help="copies of the whole city (default 1)")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument("--days", type=int, default=None, help=f"horizon length (default {DEFAULT_DAYS})")
    parser.add_argument(
        "--start",
        type=date.fromisoformat,
        default=None,
        help=f"first horizon date (default {DEFAULT_START})",
    )
    parser.add_argument(
        "--normal-month",
        action="store_true",
        help=f"a normal (non-emergency) month as a format-2 scenario (default {NORMAL_DAYS} days "
        f"from {NORMAL_START}; see normal_month)",
    )
    parser.add_argument(
        "--out",
        help="output file, '-' for stdout (default: data/zhangye-2021-11-08.json for "
        "the default parameters, else data/zhangye-START-kK-dD-sSEED.json)",
    )
    args = parser.parse_args(argv)
    if args.days is None:
        args.days = NORMAL_DAYS if args.normal_month else DEFAULT_DAYS
    if args.start is None:
        args.start = NORMAL_START if args.normal_month else DEFAULT_START
    if args.scale < 1 or not 1 <= args.days <= 366:
        parser.error("--scale must be at least 1 and --days between 1 and 366")

    doc = generate(scale=args.scale, seed=args.seed, days=args.days, start=args.start)
    if args.normal_month:
        doc = normal_month(doc)
    text = to_json(doc)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        if args.out is not None:
            out = Path(args.out)
        elif args.normal_month:
            out = DEFAULT_OUT.with_name(f"zhangye-normal-{args.start}-k{args.scale}-d{args.days}.json")
        elif (args.scale, args.seed, args.days, args.start) == (1, DEFAULT_SEED, DEFAULT_DAYS, DEFAULT_START):
            out = DEFAULT_OUT
        else:
            out = DEFAULT_OUT.with_name(f"zhangye-{args.start}-k{args.scale}-d{args.days}-s{args.seed}.json")
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)
    slots = sum(r["slots"] for r in capacity(doc))
    print(
        f"{len(doc['units'])} units, {len(doc['posts'])} posts, {slots} slots, "
        f"{len(doc['officers'])} officers, {len(doc['pinned'])} pinned",
        file=sys.stderr,
    )
    print(capacity_table(capacity(doc)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
