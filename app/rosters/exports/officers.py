"""The officers report as a workbook: per officer duties, nights, hours, days off and owed rest
(补休); fairness per unit; and the owed-rest history (accrued by a duty level, granted)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from app.rosters.schemas import StatsReport

KIND_ZH = {"accrued": "累计 accrued", "granted": "已补 granted"}


def officers_workbook(report: StatsReport) -> bytes:
    book = Workbook()
    officers = book.active
    assert officers is not None
    officers.title = "民警统计 Officers"
    officers.append(
        [f"民警统计 Officers {report.start.isoformat()} – {report.end.isoformat()} (不含 exclusive)"]
    )
    officers["A1"].font = Font(bold=True, size=14)
    officers.append(
        [
            "民警 Officer",
            "姓名 Name",
            "单位 Unit",
            "班次 Duties",
            "夜班 Nights",
            "工时 Hours",
            "休息日 Days off",
            "计入公平 Fairness counted",
            "补休余额(天) Owed rest (days)",
            "补休截止 Due by",
        ]
    )
    for o in report.officers:
        officers.append(
            [
                o.officer,
                o.name,
                o.unit,
                o.duties,
                o.nights,
                o.hours,
                o.days_off,
                "是 yes" if o.fairness_counted else "否 no",
                o.owed_rest,
                o.owed_rest_due,
            ]
        )
    fairness = book.create_sheet("公平 Fairness")
    fairness.append(
        ["单位 Unit", "民警 Officers", "班次 最少–最多 Duties min–max", "夜班 最少–最多 Nights min–max"]
    )
    for u in report.units:
        fairness.append(
            [u.unit, u.officers, f"{u.duties_min}–{u.duties_max}", f"{u.nights_min}–{u.nights_max}"]
        )
    owed = book.create_sheet("补休 Owed rest")
    owed.append(
        [
            "民警 Officer",
            "类型 Kind",
            "天数 Days",
            "超时(分钟) Minutes over",
            "起 Start",
            "止(不含) End (exclusive)",
            "排班版本 Roster version",
            "备注 Note",
        ]
    )
    for line in report.owed_rest:
        owed.append(
            [
                line.officer,
                KIND_ZH.get(line.kind, line.kind),
                line.days,
                line.minutes_over,
                line.start,
                line.end,
                line.roster_id,
                line.note,
            ]
        )
    for ws in (officers, fairness, owed):
        ws.freeze_panes = "A3" if ws is officers else "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
