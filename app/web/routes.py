"""The pages of the web UI, served publicly as static shells under `/ui/`; assets under `/static/`.

A shell carries no data. Its module (static/js/pages/<page>.js) logs in through `POST /auth/token`,
keeps the token in localStorage and calls the API, which enforces every role rule; the `roles`
here only decide which links the navigation shows and which pages say "no access" up front.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from app.accounts.access import STAFF as STAFF_ROLES
from app.accounts.models import Role
from app.core.config import Settings
from solver import domain as d
from solver.domain import SCORE_TERMS

WEB = Path(__file__).resolve().parent
STATIC = WEB / "static"
templates = Jinja2Templates(directory=WEB / "templates")

ALL = tuple(r.value for r in Role)
STAFF = tuple(r.value for r in STAFF_ROLES)

VOCABULARY = {"post_kinds": tuple(k.value for k in d.PostKind), "score_terms": SCORE_TERMS}
"""The solver's names the pages order and label things by (`data-post-kinds`, `data-score-terms`
on every page's body; `app.js` reads them), so they are typed once, in `solver.domain`."""


@dataclass(frozen=True)
class Page:
    name: str
    summary: str
    roles: tuple[str, ...]
    nav: bool = True  # listed in the navigation bar


PAGES = (
    Page("login", "Log-in page", ALL, nav=False),
    Page("roster", "Roster grid: posts × days and shifts, short slots with reasons", ALL),
    Page("generate", "Generate a roster: start a job, watch its progress, review and publish", STAFF),
    Page("me", "My schedule: coming duties, calendar link, swap / cover / leave requests", ("officer",)),
    Page("inbox", "Requests inbox: check, approve or reject change requests", STAFF),
    Page("now", "On duty now (or at a chosen time), per post", ALL),
    Page("tours", "Inspection tours: plan the week, a map of the routes, visits, day sheets to print", ALL),
    Page(
        "levels",
        "Duty levels: declare 三级/二级/一级 for units and a period, see the impact, approve; owed rest",
        STAFF,
    ),
    Page(
        "office",
        "Duty office: sick calls and leave, coverage changes, roster versions compared, officers, "
        "accounts and sheet imports",
        STAFF,
    ),
    Page("audit", "Audit log: every change to the rosters, filtered by who, kind, unit and dates", STAFF),
    Page("groups", "Duty groups: members, rotations, a four-week preview with coverage warnings", STAFF),
)


def service_now(settings: Settings) -> str:
    """The service's fixed "now" (ROSTER_NOW), if set; pages use the browser's clock otherwise."""
    return settings.now.isoformat(timespec="minutes") if settings.now is not None else ""


def _page_view(page: Page) -> Callable[[Request], HTMLResponse]:
    def view(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(
            request,
            f"{page.name}.html",
            {
                "page": page,
                "pages": [p for p in PAGES if p.nav],
                "now": service_now(request.app.state.settings),
                **VOCABULARY,
            },
        )

    view.__name__ = f"page_{page.name}"
    return view


router = APIRouter(tags=["web pages"])

for _page in PAGES:
    router.add_api_route(
        f"/ui/{_page.name}",
        _page_view(_page),
        methods=["GET"],
        response_class=HTMLResponse,
        summary=f"{_page.summary} (HTML shell; the page reads the API with your token)",
    )


@router.get("/", response_class=RedirectResponse, status_code=307, summary="The web UI's start page")
def start_page() -> RedirectResponse:
    return RedirectResponse("/ui/roster", status_code=307)


def install(app: FastAPI) -> None:
    """Serve the pages and their assets."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
