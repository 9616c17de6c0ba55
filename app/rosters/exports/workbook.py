"""A roster version as the workbook a duty office prints: a summary sheet, then one sheet per unit
with posts down the side, days across, and in each cell the shifts with the officers' names."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.core.clock import wall_clock_of_utc
from app.rosters.models import Roster
from app.rosters.service import slot_stats
from solver import domain as d
from solver.check import CheckReport

WEEKDAYS_ZH = ("一", "二", "三", "四", "五", "六", "日")
STATUS_ZH = {"draft": "草稿", "published": "已发布", "superseded": "已被取代"}
SOLVER_ZH = {"OPTIMAL": "最优", "FEASIBLE": "可行", "INFEASIBLE": "无解", "UNKNOWN": "未知"}
TERMS_ZH = {
    "shortfall": "缺员",
    "requests": "个人意愿",
    "fairness": "公平",
    "continuity": "岗位连续",
    "changes": "变动",
    "overstaffing": "超编",
    "group_split": "组员分散",
    "pattern": "偏离轮班",
    "total": "合计",
}
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
SHORT_FILL = PatternFill("solid", fgColor="F8D7DA")
WRAP = Alignment(wrap_text=True, vertical="top")


def _sheet_title(name: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "unit"
    base, n = title, 2
    while title in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title)
    return title


def _day_label(day: date) -> str:
    return f"{day.month}月{day.day}日 周{WEEKDAYS_ZH[day.weekday()]}\n{day.isoformat()}"


def local_stamp(utc_naive: datetime | None, timezone: str) -> str:
    """A stored naive-UTC instant on the detachment's wall clock, with its zone named."""
    if utc_naive is None:
        return "-"
    return f"{wall_clock_of_utc(utc_naive, ZoneInfo(timezone)):%Y-%m-%d %H:%M} ({timezone})"


def duty_label(scenario: d.Scenario, a: d.Assignment, role: d.DutyRole | None) -> str:
    """The officer's name (and group), with the duty leader's mark (带班) and the position, if any."""
    name = officer_label(scenario, a.officer)
    marks = []
    if role is not None and role.leader:
        marks.append("带班")
    if role is not None and role.position is not None:
        positions = {q.id: q.name for q in scenario.post(a.post).positions}
        marks.append(positions.get(role.position, role.position))
    return f"{name}（{'·'.join(marks)}）" if marks else name


def _print_setup(ws: Worksheet, header_rows: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows
    ws.print_options.gridLines = False


def roster_workbook(roster: Roster, scenario: d.Scenario, result: d.Roster, report: CheckReport) -> bytes:
    book = Workbook()
    summary = book.active
    assert summary is not None
    used = {"汇总 Summary"}
    summary.title = "汇总 Summary"
    _summary_sheet(summary, roster, scenario, result, report)
    by_cell: dict[tuple[str, date], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for a in result.assignments:
        by_cell[(a.post, a.date)][a.shift].append(duty_label(scenario, a, result.roles.get(a)))
    short: set[tuple[str, date]] = {(s.post, s.date) for s in result.shortfalls}
    for unit in scenario.units:
        posts = [p for p in scenario.posts if p.unit == unit.id]
        if not posts or unit.id not in roster.unit_ids:
            continue
        ws = book.create_sheet(_sheet_title(unit.name, used))
        _unit_sheet(ws, unit, posts, scenario, by_cell, short)
    if scenario.groups:
        _groups_sheet(book.create_sheet(_sheet_title("执勤组 Groups", used)), scenario)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def officer_label(scenario: d.Scenario, officer_id: str) -> str:
    """The officer's name, with their duty group's in brackets when they are in one."""
    name = scenario.officer(officer_id).name
    group = scenario.group_of(officer_id)
    return name if group is None else f"{name}〔{group.name}〕"


def _groups_sheet(ws: Worksheet, scenario: d.Scenario) -> None:
    """The duty groups of the roster's scenario: members, and what each pattern says per date."""
    ws["A1"] = f"执勤组 Duty groups  {scenario.start.isoformat()} – {scenario.dates[-1].isoformat()}"
    ws["A1"].font = Font(bold=True, size=14)
    heads = ["执勤组 Group", "成员 Members", "轮班起点 Pattern start"]
    heads += [_day_label(x) for x in scenario.dates]
    for j, h in enumerate(heads, start=1):
        cell = ws.cell(row=2, column=j, value=h)
        cell.font, cell.fill, cell.alignment, cell.border = Font(bold=True), HEADER_FILL, WRAP, BORDER
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 36
    ws.column_dimensions["C"].width = 14
    for i, g in enumerate(scenario.groups, start=3):
        members = "、".join(scenario.officer(m).name for m in g.members if scenario.has_officer(m))
        begin = "" if g.pattern is None else g.pattern.start.isoformat()
        values: list[str] = [f"{g.name}\n({g.id})", members, begin]
        for day in scenario.dates:
            shift = None if g.pattern is None else g.pattern.shift_on(day)
            values.append("" if g.pattern is None else "休" if shift is None else scenario.shift(shift).name)
        for j, v in enumerate(values, start=1):
            cell = ws.cell(row=i, column=j, value=v)
            cell.alignment, cell.border = WRAP, BORDER
    ws.freeze_panes = "D3"
    _print_setup(ws, "1:2")


def _unit_sheet(
    ws: Worksheet,
    unit: d.Unit,
    posts: list[d.Post],
    scenario: d.Scenario,
    by_cell: dict[tuple[str, date], dict[str, list[str]]],
    short: set[tuple[str, date]],
) -> None:
    ws["A1"] = f"{unit.name} 勤务表  {scenario.start.isoformat()} – {scenario.dates[-1].isoformat()}"
    ws["A1"].font = Font(bold=True, size=14)
    ws.cell(row=2, column=1, value="岗位 Post").font = Font(bold=True)
    for j, day in enumerate(scenario.dates, start=2):
        cell = ws.cell(row=2, column=j, value=_day_label(day))
        cell.font, cell.fill, cell.alignment, cell.border = Font(bold=True), HEADER_FILL, WRAP, BORDER
        ws.column_dimensions[get_column_letter(j)].width = 26
    ws.cell(row=2, column=1).fill = HEADER_FILL
    ws.cell(row=2, column=1).border = BORDER
    ws.column_dimensions["A"].width = 28
    order = {s.id: i for i, s in enumerate(scenario.shift_types)}
    for i, post in enumerate(posts, start=3):
        head = ws.cell(row=i, column=1, value=f"{post.name}\n({post.id})")
        head.font, head.alignment, head.border = Font(bold=True), WRAP, BORDER
        lines_max = 1
        for j, day in enumerate(scenario.dates, start=2):
            shifts = by_cell.get((post.id, day), {})
            lines = []
            for shift_id in sorted(shifts, key=lambda s: order.get(s, 0)):
                shift = scenario.shift(shift_id)
                lines.append(
                    f"{shift.name} {shift.start.strftime('%H:%M')}: {'、'.join(sorted(shifts[shift_id]))}"
                )
            cell = ws.cell(row=i, column=j, value="\n".join(lines))
            cell.alignment, cell.border = WRAP, BORDER
            if (post.id, day) in short:
                cell.fill = SHORT_FILL
            lines_max = max(lines_max, len(lines))
        ws.row_dimensions[i].height = max(30, 15 * lines_max + 4)
    ws.freeze_panes = "B3"
    _print_setup(ws, "1:2")


def _summary_sheet(
    ws: Worksheet, roster: Roster, scenario: d.Scenario, result: d.Roster, report: CheckReport
) -> None:
    bold = Font(bold=True)
    ws["A1"] = f"{scenario.name}"
    ws["A1"].font = Font(bold=True, size=14)
    bound = "未知 unknown" if result.bound is None else result.bound
    unit_names = {u.id: u.name for u in scenario.units}
    facts = [
        ("版本 Version", roster.id),
        ("状态 Status", f"{STATUS_ZH.get(roster.status, roster.status)} {roster.status}"),
        (
            "时段 Horizon",
            f"{scenario.start.isoformat()} – {scenario.dates[-1].isoformat()}（{scenario.days} 天 days）",
        ),
        ("单位 Units", "、".join(unit_names.get(u, u) for u in roster.unit_ids)),
        (
            "求解 Solver",
            f"{SOLVER_ZH.get(result.status, result.status)} {result.status}；"
            f"目标值 objective {result.objective}；下界 bound {bound}",
        ),
        ("生成 Created", local_stamp(roster.created_at, scenario.timezone)),
        ("发布 Published", local_stamp(roster.published_at, scenario.timezone)),
    ]
    row = 3
    for label, value in facts:
        ws.cell(row=row, column=1, value=label).font = bold
        ws.cell(row=row, column=2, value=value)
        row += 1
    row += 1
    ws.cell(row=row, column=1, value="评分 Score").font = bold
    row += 1
    for term, value in report.score.as_dict().items():
        ws.cell(row=row, column=1, value=f"{TERMS_ZH.get(term, term)} {term}")
        ws.cell(row=row, column=2, value=value)
        row += 1
    row += 1
    headers = ("日期 Date", "单位 Unit", "岗位班次 Slots", "需要 Required", "已排 Assigned", "缺员 Missing")
    for j, h in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=j, value=h)
        cell.font, cell.fill, cell.border = bold, HEADER_FILL, BORDER
    row += 1
    units = {p.id: p.unit for p in scenario.posts}
    slots = {
        (date.fromisoformat(day), unit): counts
        for unit, by_day in slot_stats(scenario).items()
        for day, counts in by_day.items()
    }
    assigned: dict[tuple[date, str], int] = defaultdict(int)
    for a in result.assignments:
        assigned[(a.date, units[a.post])] += 1
    missing: dict[tuple[date, str], int] = defaultdict(int)
    for s in result.shortfalls:
        if s.skill is None:
            missing[(s.date, units[s.post])] += s.missing
    for (day, unit), (n, need) in sorted(slots.items()):
        if unit not in roster.unit_ids:
            continue
        values = (
            day.isoformat(),
            scenario.unit(unit).name,
            n,
            need,
            assigned[(day, unit)],
            missing[(day, unit)],
        )
        for j, v in enumerate(values, start=1):
            ws.cell(row=row, column=j, value=v).border = BORDER
        row += 1
    if result.shortfalls:
        row += 1
        ws.cell(row=row, column=1, value="缺员说明 Shortfalls").font = bold
        row += 1
        for s in result.shortfalls:
            post = scenario.post(s.post)
            what = f"缺 {s.missing} 人" + (f"（需技能 {s.skill}）" if s.skill else "")
            ws.cell(row=row, column=1, value=f"{s.date.isoformat()} {scenario.shift(s.shift).name}")
            ws.cell(row=row, column=2, value=post.name)
            ws.cell(row=row, column=3, value=what)
            ws.cell(row=row, column=4, value=s.reason_zh or s.reason or "")
            row += 1
    for col, width in zip("ABCDEF", (22, 40, 16, 40, 14, 12), strict=True):
        ws.column_dimensions[col].width = width
    _print_setup(ws, "1:1")
