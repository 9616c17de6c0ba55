"""The duty sheets to print (勤务表): a unit's day, of a roster version or of the published roster,
and an officer's week; each as an A4 HTML page or an xlsx workbook."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from app.accounts.deps import CurrentUser
from app.core.deps import SessionDep
from app.core.schemas import RowId
from app.rosters import sheets
from app.rosters.exports.sheets import day_sheet_html, day_sheet_xlsx, week_sheet_html, week_sheet_xlsx

router = APIRouter(tags=["duty sheets"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Format = Annotated[
    Literal["html", "xlsx"], Query(description="html: an A4 page to print; xlsx: the same as a workbook")
]
UnitQuery = Annotated[str, Query(max_length=64, description="the unit whose sheet it is")]
DayQuery = Annotated[date, Query(description="the day (YYYY-MM-DD)")]
SHEET_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {"text/html": {}, XLSX: {}}, "description": "the sheet"}
}


def _day(sheet: sheets.DaySheet, format: str) -> Response:
    if format == "xlsx":
        name = f"duty-sheet-{sheet.unit}-{sheet.day.isoformat()}.xlsx"
        return Response(
            day_sheet_xlsx(sheet),
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return HTMLResponse(day_sheet_html(sheet))


@router.get(
    "/rosters/{roster_id}/duty-sheet",
    summary="A unit's duty sheet (勤务表) for a day of this version",
    description="Posts × shifts of the unit on the day, each slot with its duty leader (带班), the "
    "officers at their positions with phone numbers, short slots, and a sign-off line. Admins: any "
    "unit; dispatchers: their units; officers: none.",
    response_class=Response,
    responses=SHEET_RESPONSES,
)
def roster_duty_sheet(
    roster_id: RowId,
    user: CurrentUser,
    session: SessionDep,
    unit_id: UnitQuery,
    day: DayQuery,
    format: Format = "html",
) -> Response:
    return _day(sheets.day_sheet(session, user, unit_id, day, roster_id), format)


@router.get(
    "/duty-sheet",
    summary="A unit's duty sheet (勤务表) for a day of the published roster",
    description="As `/rosters/{roster_id}/duty-sheet`, for the version published for the unit and day "
    "(404 when none is).",
    response_class=Response,
    responses=SHEET_RESPONSES,
)
def published_duty_sheet(
    user: CurrentUser,
    session: SessionDep,
    unit_id: UnitQuery,
    day: DayQuery,
    format: Format = "html",
) -> Response:
    return _day(sheets.day_sheet(session, user, unit_id, day), format)


@router.get(
    "/officers/{officer_id}/week-sheet",
    summary="An officer's week sheet: published duties with post, position, leader and times",
    description="The officer's published duties of the 7 days from `start`, each with its post, "
    "position, the slot's duty leader and the local times. Officers: their own; dispatchers: the "
    "officers of their units; admins: all.",
    response_class=Response,
    responses=SHEET_RESPONSES,
)
def week_sheet(
    officer_id: str,
    user: CurrentUser,
    session: SessionDep,
    start: Annotated[date, Query(description="the week's first day (YYYY-MM-DD)")],
    format: Format = "html",
) -> Response:
    sheet = sheets.week_sheet(session, user, officer_id, start)
    if format == "xlsx":
        name = f"week-sheet-{sheet.officer}-{sheet.start.isoformat()}.xlsx"
        return Response(
            week_sheet_xlsx(sheet),
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return HTMLResponse(week_sheet_html(sheet))
