"""Import and export: whole scenario documents (format v1), and officer/post sheets."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import Field

from app.accounts.access import scenario_as_seen
from app.accounts.deps import AdminUser, StaffUser
from app.core.deps import SessionDep
from app.core.errors import ErrorDetail, InvalidInput
from app.core.schemas import Schema
from app.planning.scenario import loader_errors
from app.reference import sheets
from app.reference import transfer as service
from solver.io.documents import scenario_json_schema
from solver.io.errors import InvalidDocument
from solver.io.load import parse_json

router = APIRouter(tags=["import and export"])


class ImportChange(Schema):
    item: str
    fields: list[str]


class SettingDifference(Schema):
    field: str
    stored: Any
    document: Any
    applied: bool


class ImportRead(Schema):
    units: int
    skills: int
    shift_types: int
    posts: int
    officers: int
    pinned: int
    unavailability: int = Field(0, description="unavailability spans recorded (the unavailability sheet)")
    baseline_roster_id: int | None
    created_skills: list[str]
    updated: list[str] = Field(
        description="existing rows the import overwrote (their stored content differed), as `kind id`"
    )
    added: list[str] = Field(default_factory=list, description="new rows, as `kind id`")
    changes: list[ImportChange] = Field(
        default_factory=list, description="the fields that differed, per updated row"
    )
    settings: list[SettingDifference] = Field(
        default_factory=list,
        description="detachment settings on which the document differs; applied only to an empty "
        "database or with replace=true",
    )
    dry_run: bool = False


async def json_document(request: Request) -> Any:
    """The raw JSON body, parsed by the scenario loader's own parser (so its errors read the same)."""
    try:
        return parse_json(await request.body())
    except InvalidDocument as exc:
        raise InvalidInput("the body is not a JSON document", loader_errors(exc)) from None


SCENARIO_BODY = {
    # its definitions ("$defs") are moved under components/schemas by app.web.openapi
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": scenario_json_schema(ref_template="#/components/schemas/{model}")}
        },
    }
}


@router.post(
    "/import/scenario",
    summary="Import a whole scenario document (format v1) in one transaction",
    openapi_extra=SCENARIO_BODY,
)
def import_scenario(
    user: AdminUser,
    session: SessionDep,
    document: Annotated[Any, Depends(json_document)],
    replace: Annotated[
        bool,
        Query(description="overwrite the units, posts, officers… it names that exist with other values"),
    ] = False,
    dry_run: Annotated[
        bool, Query(description="report what the import would add and change, and store nothing")
    ] = False,
) -> ImportRead:
    result = service.import_scenario(session, document, replace, user, dry_run=dry_run)
    return ImportRead(**dataclasses.asdict(result))


@router.get("/export/scenario", summary="The stored data as one scenario document (format v1)")
def export_scenario(
    user: StaffUser,
    session: SessionDep,
    start: Annotated[date | None, Query(description="default: the stored horizon")] = None,
    days: Annotated[int | None, Query(ge=1, le=366)] = None,
) -> JSONResponse:
    document = scenario_as_seen(service.export_scenario(session, start, days), user)
    filename = f"scenario-{document['horizon']['start']}.json"
    return JSONResponse(document, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _sheet_rows(file: UploadFile, columns: tuple[str, ...]) -> list[dict[str, str]]:
    if not file.filename:
        raise InvalidInput("upload a file", [ErrorDetail("file", "missing file name")])
    return sheets.read_sheet(file.filename, file.file.read(), columns)


def _sheet_description(what: str, columns: tuple[str, ...], more: str = "") -> str:
    return (
        f"{what}. The first row names the columns, in Chinese or English: "
        f"{sheets.accepted_headers(columns)}. Units by id or by name; lists (skills, serves, days) "
        f"separated by commas, 、 or spaces. {more}Every error is reported as `row N.column` and "
        "nothing is stored until there is none; an unknown column is refused with the accepted ones."
    )


@router.post(
    "/import/officers",
    summary="Create or update officers from an .xlsx or .csv sheet",
    description=_sheet_description("One officer a row", sheets.OFFICER_COLUMNS),
)
def import_officers(file: UploadFile, user: AdminUser, session: SessionDep) -> ImportRead:
    result = sheets.import_officers_sheet(session, _sheet_rows(file, sheets.OFFICER_COLUMNS), user)
    return ImportRead(**dataclasses.asdict(result))


@router.post(
    "/import/posts",
    summary="Create or update posts (one row per coverage entry) from a sheet",
    description=_sheet_description(
        "One coverage entry a row; the rows of a post repeat its id (name, kind, unit, priority once)",
        sheets.POST_COLUMNS,
        "Skills as `skill:count`; days as weekdays (mon … sun) or dates. ",
    ),
)
def import_posts(file: UploadFile, _: AdminUser, session: SessionDep) -> ImportRead:
    result = sheets.import_posts_sheet(session, _sheet_rows(file, sheets.POST_COLUMNS))
    return ImportRead(**dataclasses.asdict(result))


@router.post(
    "/import/unavailability",
    summary="Record leave, sickness or training spans from a sheet (dispatchers: their units' officers)",
    description=_sheet_description(
        "One span an officer is away a row, recorded as their unavailability (published rosters are "
        "not re-planned: a leave change request does that)",
        sheets.UNAVAILABILITY_COLUMNS,
        "Start and end as local wall-clock times (2021-11-10 07:00), the end exclusive; a span "
        "already recorded is not added twice. ",
    ),
)
def import_unavailability(file: UploadFile, user: StaffUser, session: SessionDep) -> ImportRead:
    rows = _sheet_rows(file, sheets.UNAVAILABILITY_COLUMNS)
    result = sheets.import_unavailability_sheet(session, rows, user)
    return ImportRead(**dataclasses.asdict(result))
