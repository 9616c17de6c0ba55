"""Import and export: whole scenario documents (format v1), and officer/post sheets."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import Field

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
    "requestBody": {"required": True, "content": {"application/json": {"schema": scenario_json_schema()}}}
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
    _: StaffUser,
    session: SessionDep,
    start: Annotated[date | None, Query(description="default: the stored horizon")] = None,
    days: Annotated[int | None, Query(ge=1, le=366)] = None,
) -> JSONResponse:
    document = service.export_scenario(session, start, days)
    filename = f"scenario-{document['horizon']['start']}.json"
    return JSONResponse(document, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _sheet_rows(file: UploadFile) -> list[dict[str, str]]:
    if not file.filename:
        raise InvalidInput("upload a file", [ErrorDetail("file", "missing file name")])
    return sheets.read_sheet(file.filename, file.file.read())


@router.post("/import/officers", summary="Create or update officers from an .xlsx or .csv sheet")
def import_officers(file: UploadFile, user: AdminUser, session: SessionDep) -> ImportRead:
    result = sheets.import_officers_sheet(session, _sheet_rows(file), user)
    return ImportRead(**dataclasses.asdict(result))


@router.post("/import/posts", summary="Create or update posts (one row per coverage entry) from a sheet")
def import_posts(file: UploadFile, _: AdminUser, session: SessionDep) -> ImportRead:
    result = sheets.import_posts_sheet(session, _sheet_rows(file))
    return ImportRead(**dataclasses.asdict(result))
