"""The duty sheets (`app.rosters.sheets`) as printable HTML (A4, a print button from
/static/js/print.js: the CSP forbids inline scripts) and as xlsx workbooks with A4 page setup."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from app.rosters.sheets import DaySheet, SheetOfficer, SheetPost, SheetSlot, WeekSheet

_env = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parents[1] / "templates"),
    autoescape=select_autoescape(["html"]),
)
THIN = Side(style="thin", color="555555")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
BOLD = Font(bold=True)
MIDDLE = Alignment(vertical="center", wrap_text=True)
LEADER = "带班"


@dataclass(frozen=True)
class SheetRow:
    """One line of the day sheet: an officer of a slot (or the slot, when nobody is on it); the
    spans say how many lines the post's and the slot's cells cover (0: covered by a line above)."""

    post: SheetPost
    slot: SheetSlot
    officer: SheetOfficer | None
    post_span: int
    slot_span: int

    @property
    def short(self) -> str:
        parts = [f"缺 {self.slot.missing} 人"] if self.slot.missing else []
        parts += [f"缺{skill}" for skill in self.slot.skills_missing]
        return " ".join(parts)


def day_rows(sheet: DaySheet) -> list[SheetRow]:
    rows = []
    for post in sheet.posts:
        post_span = sum(max(1, len(s.officers)) for s in post.slots)
        for i, slot in enumerate(post.slots):
            officers: list[SheetOfficer | None] = list(slot.officers) or [None]
            for j, officer in enumerate(officers):
                rows.append(
                    SheetRow(
                        post,
                        slot,
                        officer,
                        post_span if i == 0 and j == 0 else 0,
                        len(officers) if j == 0 else 0,
                    )
                )
    return rows


def day_sheet_html(sheet: DaySheet) -> str:
    return _env.get_template("duty_sheet.html").render(sheet=sheet, rows=day_rows(sheet))


def week_sheet_html(sheet: WeekSheet) -> str:
    return _env.get_template("week_sheet.html").render(sheet=sheet)


def _page_setup(ws: Worksheet, title_rows: str) -> None:
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.print_options.horizontalCentered = True


def _header(ws: Worksheet, row: int, titles: tuple[str, ...], widths: tuple[int, ...]) -> None:
    for col, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = ws.cell(row=row, column=col, value=title)
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEADER_FILL, BORDER, MIDDLE
        ws.column_dimensions[cell.column_letter].width = width


def _sign_off(ws: Worksheet, row: int, who: str) -> None:
    ws.cell(row=row, column=1, value=f"{who}：").font = BOLD
    ws.cell(row=row, column=5, value="日期：").font = BOLD


DAY_COLUMNS = ("岗位", "班次", "时间", "带班", "位置", "民警", "电话")


def day_sheet_xlsx(sheet: DaySheet) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = f"勤务表 {sheet.day.isoformat()}"
    ws["A1"] = f"{sheet.unit_name}勤务表"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        f"{sheet.day.year}年{sheet.day.month}月{sheet.day.day}日 星期{sheet.weekday}"
        f"（版本 {sheet.roster_id}，{sheet.timezone}）"
    )
    _header(ws, 3, DAY_COLUMNS, (28, 8, 14, 12, 12, 14, 16))
    row = 4
    for r in day_rows(sheet):
        values = {
            1: r.post.name if r.post_span else None,
            2: r.slot.shift_name if r.slot_span else None,
            3: f"{r.slot.start}–{r.slot.end}" if r.slot_span else None,
            4: ((r.slot.leader.name if r.slot.leader else "—") + (f" {r.short}" if r.short else ""))
            if r.slot_span
            else None,
            5: r.officer.position_name if r.officer else None,
            6: (r.officer.name + (f"（{LEADER}）" if r.officer.leader else "")) if r.officer else "无人",
            7: r.officer.phone if r.officer else None,
        }
        for col, value in values.items():
            cell = ws.cell(row=row, column=col, value=value)
            cell.border, cell.alignment = BORDER, MIDDLE
        if r.post_span > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row + r.post_span - 1, end_column=1)
        if r.slot_span > 1:
            for col in (2, 3, 4):
                ws.merge_cells(start_row=row, start_column=col, end_row=row + r.slot_span - 1, end_column=col)
        row += 1
    _sign_off(ws, row + 2, "值班领导签字")
    _page_setup(ws, "3:3")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WEEK_COLUMNS = ("日期", "班次", "时间", "岗位", "位置", "带班")


def week_sheet_xlsx(sheet: WeekSheet) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = f"周勤务 {sheet.start.isoformat()}"
    ws["A1"] = f"个人周勤务表 {sheet.officer_name}（{sheet.officer}）"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        f"{sheet.unit_name} · {sheet.start.isoformat()} – {sheet.end.isoformat()} · "
        f"{len(sheet.duties)} 个班次 · {sheet.minutes / 60:.1f} 小时"
        + (f" · {sheet.phone}" if sheet.phone else "")
    )
    _header(ws, 3, WEEK_COLUMNS, (16, 8, 14, 30, 12, 22))
    for row, d in enumerate(sheet.duties, start=4):
        leader = f"本人{LEADER}" if d.leader else (d.leader_name or "—")
        if not d.leader and d.leader_phone:
            leader += f" {d.leader_phone}"
        values = (
            f"{d.date.isoformat()} 周{d.weekday}",
            d.shift_name,
            f"{d.start}–{d.end}",
            d.post_name,
            d.position_name,
            leader,
        )
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.border, cell.alignment = BORDER, MIDDLE
    _sign_off(ws, 4 + len(sheet.duties) + 2, "本人签字")
    _page_setup(ws, "3:3")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
