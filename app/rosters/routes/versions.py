"""Roster versions: draft → published → superseded, their duties, score analysis and exports."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from app.accounts.access import scenario_as_seen
from app.accounts.deps import StaffUser
from app.core.deps import PageDep, SessionDep
from app.core.errors import ErrorDetail, RuleViolation
from app.core.paging import Page
from app.core.schemas import RowId
from app.rosters import analysis, queries, service
from app.rosters import schemas as rs
from app.rosters.exports.table import duties_csv
from app.rosters.exports.workbook import roster_workbook
from app.rosters.models import Roster
from solver.check import check_assignments
from solver.io.roster import roster_to_dict
from solver.io.write import assignment_to_dict

router = APIRouter(prefix="/rosters", tags=["rosters"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def roster_read(session: SessionDep, roster: Roster) -> rs.RosterRead:
    conflicts = roster.extra.get("conflicts")
    return rs.RosterRead.model_validate(roster).model_copy(
        update={
            "assignments": service.assignment_count(session, roster.id),
            "shortfalls": service.shortfall_count(session, roster.id),
            "conflicts": [str(c) for c in conflicts] if isinstance(conflicts, list) else [],
        }
    )


def attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("", summary="List roster versions, newest first")
def list_rosters(
    _: StaffUser,
    session: SessionDep,
    page: PageDep,
    status: Annotated[rs.RosterStatusName | None, Query()] = None,
    unit: Annotated[str | None, Query()] = None,
) -> Page[rs.RosterRead]:
    items, total = service.list_rosters(session, page, status, unit)
    return Page.of([roster_read(session, r) for r in items], total, page)


@router.get("/{roster_id}", summary="One roster version: status, score, counts")
def get_roster(roster_id: RowId, _: StaffUser, session: SessionDep) -> rs.RosterRead:
    return roster_read(session, service.get_roster(session, roster_id))


@router.post("/{roster_id}/publish", summary="Publish: it replaces what was published for its units and days")
def publish_roster(roster_id: RowId, user: StaffUser, session: SessionDep) -> rs.RosterRead:
    roster = service.publish(session, service.get_roster(session, roster_id), user)
    return roster_read(session, roster)


@router.delete("/{roster_id}", status_code=204, summary="Delete a draft or superseded version")
def delete_roster(roster_id: RowId, user: StaffUser, session: SessionDep) -> None:
    service.delete_roster(session, service.get_roster(session, roster_id), user)


@router.get("/{roster_id}/duties", summary="The version's duties (drafts too), filtered")
def roster_duties(
    roster_id: RowId,
    _: StaffUser,
    session: SessionDep,
    page: PageDep,
    officer: Annotated[str | None, Query()] = None,
    post: Annotated[str | None, Query()] = None,
    unit: Annotated[str | None, Query()] = None,
    shift: Annotated[str | None, Query()] = None,
    start: Annotated[date | None, Query()] = None,
    end: Annotated[date | None, Query(description="exclusive")] = None,
) -> Page[rs.DutyRead]:
    service.get_roster(session, roster_id)
    f = queries.DutyFilter(
        officer=officer, post=post, unit=unit, shift=shift, start=start, end=end, roster_id=roster_id
    )
    items, total = queries.duties(session, f, page)
    return Page.of(items, total, page)


@router.get(
    "/{roster_id}/shortfalls", summary="The version's short slots (drafts too), with the solver's reasons"
)
def roster_shortfalls(
    roster_id: RowId,
    _: StaffUser,
    session: SessionDep,
    page: PageDep,
    unit: Annotated[str | None, Query()] = None,
) -> Page[rs.RosterShortfallRead]:
    service.get_roster(session, roster_id)
    items, total = queries.roster_shortfalls(session, roster_id, page, unit)
    return Page.of(items, total, page)


@router.get(
    "/{roster_id}/needs",
    summary="The version's slots and what each needs, as it was solved for (levels, coverage changes)",
)
def roster_needs(
    roster_id: RowId,
    _: StaffUser,
    session: SessionDep,
    start: Annotated[date | None, Query(description="default: the version's first day")] = None,
    end: Annotated[date | None, Query(description="exclusive; default: the day after its last")] = None,
    unit: Annotated[str | None, Query()] = None,
) -> rs.SlotNeedsRead:
    roster = service.get_roster(session, roster_id)
    first = start or roster.start
    last = end or roster.start + timedelta(days=roster.days)
    if last <= first:
        raise RuleViolation(
            "end must be after start", [ErrorDetail("query.end", f"must be after {first.isoformat()}")]
        )
    slots = queries.slot_needs(roster, first, last, None if unit is None else {unit})
    return rs.SlotNeedsRead(roster_id=roster.id, start=first, end=last, slots=slots)


@router.get("/{roster_id}/score", summary="Score analysis per rule, item by item (the referee's recount)")
def roster_score(
    roster_id: RowId,
    _: StaffUser,
    session: SessionDep,
    officer: Annotated[str | None, Query()] = None,
    unit: Annotated[str | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="contributions listed per term")] = 100,
) -> rs.ScoreAnalysis:
    return analysis.score_analysis(session, service.get_roster(session, roster_id), officer, unit, limit)


@router.get(
    "/{roster_id}/export.xlsx",
    summary="Printable workbook: summary sheet, then posts × days per unit",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
)
def export_xlsx(roster_id: RowId, _: StaffUser, session: SessionDep) -> Response:
    roster = service.get_roster(session, roster_id)
    scenario, result = service.roster_domain(session, roster)
    report = check_assignments(scenario, result.assignments)
    content = roster_workbook(roster, scenario, result, report)
    return Response(content, media_type=XLSX, headers=attachment(f"roster-{roster_id}.xlsx"))


@router.get(
    "/{roster_id}/export.csv",
    summary="One row per duty, with names and local times",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def export_csv(roster_id: RowId, _: StaffUser, session: SessionDep) -> Response:
    service.get_roster(session, roster_id)
    duties = queries.all_duties(session, queries.DutyFilter(roster_id=roster_id))
    return Response(
        duties_csv(duties).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers=attachment(f"roster-{roster_id}.csv"),
    )


@router.get("/{roster_id}/roster.json", summary="The roster document (what `roster check` reads)")
def export_roster_json(roster_id: RowId, _: StaffUser, session: SessionDep) -> JSONResponse:
    result = service.roster_domain(session, service.get_roster(session, roster_id))[1]
    return JSONResponse(roster_to_dict(result), headers=attachment(f"roster-{roster_id}.json"))


@router.get(
    "/{roster_id}/scenario.json",
    summary="The scenario this version was solved for, with the version as its baseline",
)
def export_scenario_json(roster_id: RowId, user: StaffUser, session: SessionDep) -> JSONResponse:
    roster = service.get_roster(session, roster_id)
    result = service.roster_domain(session, roster)[1]
    document = dict(roster.snapshot.document)
    document["baseline"] = [assignment_to_dict(a) for a in result.assignments]
    return JSONResponse(
        scenario_as_seen(document, user), headers=attachment(f"scenario-roster-{roster_id}.json")
    )
