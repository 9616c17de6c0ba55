"""A tour plan version as a workbook (a summary sheet, then a sheet per supervisor and day with
the ordered visits; the checkpoints not reached with their reasons) and as the printable day
sheet a supervisor takes along (HTML, zh-CN with English)."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from app.core.errors import ErrorDetail, RuleViolation

REASONS = {
    "no_supervisor": ("当天无督导人员空闲", "no supervisor free that day"),
    "too_far": ("路程太远，任何空闲时段都无法往返", "too far for any free window"),
    "dropped_for_time": ("时间不足，让位于更紧要的检查", "no time left after more pressing visits"),
}
KINDS = {
    "periodic": ("定期", "periodic"),
    "shortfall": ("缺员", "short-staffed"),
    "new_post": ("新设", "newly staffed"),
}
WEEKDAYS_ZH = ("一", "二", "三", "四", "五", "六", "日")
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
BOLD = Font(bold=True)

_env = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(["html"]),
)


def reason_text(reason: str) -> str:
    zh, en = REASONS.get(reason, (reason, reason))
    return f"{zh} / {en}"


def _names(problem: Mapping[str, Any]) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    places = {s["id"]: s for s in problem["sites"]} | {d["id"]: d for d in problem["depots"]}
    people = {s["id"]: s["name"] for s in problem["supervisors"]}
    return places, people


def _hm(text: str) -> str:
    return datetime.fromisoformat(text).strftime("%H:%M")


def _title(name: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "_", name)[:31]
    base, n = title, 2
    while title in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title)
    return title


def _header(ws: Worksheet, row: int, labels: list[str]) -> None:
    for col, label in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=col, value=label)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def workbook(problem: Mapping[str, Any], document: Mapping[str, Any], plan_id: int, version: int) -> bytes:
    places, people = _names(problem)
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "汇总 Summary"
    summary.append([f"督导检查计划 Tour plan {plan_id} · 版本 version {version}"])
    summary["A1"].font = Font(bold=True, size=14)
    _header(
        summary,
        3,
        [
            "日期 Date",
            "督导人员 Supervisor",
            "出发 Start",
            "返回 End",
            "检查点 Visits",
            "驾车分钟 Driving min",
            "公里 km",
        ],
    )
    routes = sorted(document["routes"], key=lambda r: (r["supervisor"], r["date"], r["start"]))
    for r in sorted(routes, key=lambda r: (r["date"], r["supervisor"], r["start"])):
        summary.append(
            [
                r["date"],
                people.get(r["supervisor"], r["supervisor"]),
                _hm(r["start"]),
                _hm(r["end"]),
                len(r["visits"]),
                r["drive_minutes"],
                round(r["km"], 1),
            ]
        )
    used = {summary.title}
    for r in routes:
        ws = wb.create_sheet(_title(f"{r['date']} {people.get(r['supervisor'], r['supervisor'])}", used))
        ws.append([f"{people.get(r['supervisor'], r['supervisor'])} ({r['supervisor']}) · {r['date']}"])
        ws["A1"].font = Font(bold=True, size=13)
        depot = places.get(r["depot"], {"name": r["depot"]})["name"]
        ws.append([f"出发 Start {_hm(r['start'])} · 返回 End {_hm(r['end'])} · {depot}"])
        ws.append([f"驾车 Driving {r['drive_minutes']} min · {round(r['km'], 1)} km"])
        _header(
            ws,
            5,
            ["序号 #", "卡点 Checkpoint", "编号 Id", "到达 Arrival", "离开 Departure", "停留分钟 Minutes"],
        )
        for i, v in enumerate(r["visits"], start=1):
            minutes = int(
                (datetime.fromisoformat(v["departure"]) - datetime.fromisoformat(v["arrival"])).seconds / 60
            )
            ws.append(
                [
                    i,
                    places.get(v["site"], {"name": v["site"]})["name"],
                    v["site"],
                    _hm(v["arrival"]),
                    _hm(v["departure"]),
                    minutes,
                ]
            )
        for col, width in zip("ABCDEF", (8, 28, 22, 12, 12, 14), strict=True):
            ws.column_dimensions[col].width = width
    missed = wb.create_sheet(_title("未到达 Not reached", used))
    _header(
        missed,
        1,
        ["日期 Date", "卡点 Checkpoint", "编号 Id", "要求 Requirement", "期限 Window", "原因 Reason"],
    )
    for m in document["missed"]:
        req = m["requirement"]
        missed.append(
            [
                m["date"],
                places.get(req["site"], {"name": req["site"]})["name"],
                req["site"],
                " / ".join(KINDS.get(req["kind"], (req["kind"],) * 2)),
                f"{req['first']} … {req['deadline']}",
                reason_text(m["reason"]),
            ]
        )
    for sheet in (summary, missed):
        for col in "ABCDEFG":
            sheet.column_dimensions[col].width = 20
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def day_sheet(
    problem: Mapping[str, Any],
    document: Mapping[str, Any],
    plan_id: int,
    version: int,
    supervisor: str,
    day: date,
) -> str:
    """The printable sheet of `supervisor`'s tours on `day` (a full HTML document)."""
    places, people = _names(problem)
    if supervisor not in people:
        raise RuleViolation(
            f"{supervisor!r} is not a supervisor of tour plan {plan_id}",
            [ErrorDetail("query.supervisor", "not a supervisor of this plan", supervisor)],
        )
    if day.isoformat() not in problem["dates"]:
        raise RuleViolation(
            f"{day} is not a date of tour plan {plan_id}",
            [ErrorDetail("query.date", "not in the plan's dates")],
        )
    routes = [
        {
            **r,
            "depot_name": places.get(r["depot"], {"name": r["depot"]})["name"],
            "start_hm": _hm(r["start"]),
            "end_hm": _hm(r["end"]),
            "stops": [
                {
                    "n": i,
                    "name": places.get(v["site"], {"name": v["site"]})["name"],
                    "id": v["site"],
                    "arrival": _hm(v["arrival"]),
                    "departure": _hm(v["departure"]),
                    "lat": places.get(v["site"], {}).get("lat"),
                    "lon": places.get(v["site"], {}).get("lon"),
                }
                for i, v in enumerate(r["visits"], start=1)
            ],
        }
        for r in sorted(document["routes"], key=lambda r: r["start"])
        if r["supervisor"] == supervisor and r["date"] == day.isoformat()
    ]
    windows = [
        (_hm(w["start"]), _hm(w["end"]))
        for w in problem["windows"]
        if w["supervisor"] == supervisor and w["date"] == day.isoformat()
    ]
    return _env.get_template("day_sheet.html").render(
        plan_id=plan_id,
        version=version,
        supervisor=supervisor,
        name=people[supervisor],
        day=day,
        weekday=WEEKDAYS_ZH[day.weekday()],
        routes=routes,
        windows=windows,
        interrupted=[
            i
            for i in document["interruptions"]
            if i["supervisor"] == supervisor and i["at"][:10] == day.isoformat()
        ],
    )
