"""Owed rest (补休): the rule, each officer's balance and history, granting days, and the sheet."""

from __future__ import annotations

from io import BytesIO

from fastapi import APIRouter, Response
from openpyxl import Workbook

from app.accounts.access import ensure_self_or_staff, readable_units
from app.accounts.deps import AdminUser, CurrentUser, StaffUser
from app.core.deps import SessionDep
from app.levels import owed
from app.levels import schemas as ls
from app.reference.lookups import known
from app.reference.models import Officer

router = APIRouter(tags=["owed rest"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _read(b: owed.Balance) -> ls.OwedRestRead:
    return ls.OwedRestRead(
        officer=b.officer,
        balance=b.days,
        deadline=b.deadline,
        history=[
            ls.OwedRestEntryRead(
                kind="accrued" if e.kind == owed.ACCRUED else "granted",
                days=e.days,
                minutes_over=e.minutes_over,
                start=e.start,
                end=e.end,
                note=e.note,
                roster_id=e.roster_id,
            )
            for e in b.entries
        ],
    )


def _rule_read(r: owed.OwedRestRule) -> ls.OwedRestRuleRead:
    return ls.OwedRestRuleRead(
        normal_minutes_per_week=r.normal_minutes_per_week,
        minutes_per_owed_day=r.minutes_per_owed_day,
        deadline_days=r.deadline_days,
    )


@router.get("/owed-rest/rule", summary="How time above normal hours under a duty level becomes owed days")
def get_rule(_: CurrentUser, session: SessionDep) -> ls.OwedRestRuleRead:
    return _rule_read(owed.rule(session))


@router.put("/owed-rest/rule", summary="Set the owed-rest rule")
def put_rule(body: ls.OwedRestRuleUpdate, _: AdminUser, session: SessionDep) -> ls.OwedRestRuleRead:
    return _rule_read(
        owed.set_rule(session, body.normal_minutes_per_week, body.minutes_per_owed_day, body.deadline_days)
    )


@router.get("/owed-rest", summary="Every officer with owed rest (of the units I read), balance and history")
def list_balances(user: StaffUser, session: SessionDep) -> list[ls.OwedRestRead]:
    return [_read(b) for b in owed.balances(session, readable_units(session, user))]


@router.get("/owed-rest/sheet.xlsx", summary="Owed rest as an xlsx workbook: balances, and their history")
def sheet(user: StaffUser, session: SessionDep) -> Response:
    balances = owed.balances(session, readable_units(session, user))
    names = {
        o.id: o.name for o in session.query(Officer).filter(Officer.id.in_([b.officer for b in balances]))
    }
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "补休余额 Owed rest"
    summary.append(["民警 Officer", "姓名 Name", "余额(天) Balance (days)", "截止 Due by"])
    for b in balances:
        summary.append([b.officer, names.get(b.officer, ""), b.days, b.deadline])
    history = book.create_sheet("明细 History")
    history.append(
        [
            "民警 Officer",
            "类型 Kind",
            "天数 Days",
            "超时(分钟) Minutes over",
            "起 Start",
            "止 End",
            "备注 Note",
        ]
    )
    for b in balances:
        for e in b.entries:
            kind = "累计 accrued" if e.kind == owed.ACCRUED else "已补 granted"
            history.append([b.officer, kind, e.days, e.minutes_over, e.start, e.end, e.note])
    out = BytesIO()
    book.save(out)
    return Response(
        out.getvalue(),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="owed-rest.xlsx"'},
    )


@router.get("/officers/{officer_id}/owed-rest", summary="An officer's owed rest: balance, due date, history")
def officer_balance(officer_id: str, user: CurrentUser, session: SessionDep) -> ls.OwedRestRead:
    ensure_self_or_staff(user, officer_id)
    known(session, Officer, officer_id, "path.officer_id")
    return _read(owed.balance(session, officer_id))


@router.post("/officers/{officer_id}/owed-rest/grants", status_code=201, summary="Grant owed days off")
def grant(officer_id: str, body: ls.OwedRestGrant, user: StaffUser, session: SessionDep) -> ls.OwedRestRead:
    officer = known(session, Officer, officer_id, "path.officer_id")
    owed.grant(session, user, officer, body.days, body.date, body.note)
    return _read(owed.balance(session, officer_id))
