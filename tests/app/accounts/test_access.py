"""Every route is classified by who may call it, and 401/403 are checked for each one.

A new route fails `test_every_route_is_classified` until it is added to ACCESS, so no route can
ship without its authentication and role tests.
"""

from __future__ import annotations

import pytest

from tests.conftest import Api

PUBLIC, ANY, STAFF, ADMIN = "public", "any", "staff", "admin"

ACCESS: dict[tuple[str, str], str] = {
    ("GET", "/health"): PUBLIC,
    ("POST", "/auth/token"): PUBLIC,
    ("GET", "/ical/{token}.ics"): PUBLIC,
    ("GET", "/auth/me"): ANY,
    ("POST", "/auth/logout"): ANY,
    ("GET", "/users"): ADMIN,
    ("POST", "/users"): ADMIN,
    ("GET", "/users/{user_id}"): ADMIN,
    ("PATCH", "/users/{user_id}"): ADMIN,
    ("DELETE", "/users/{user_id}"): ADMIN,
    ("GET", "/units"): ANY,
    ("POST", "/units"): ADMIN,
    ("GET", "/units/{unit_id}"): ANY,
    ("PATCH", "/units/{unit_id}"): ADMIN,
    ("DELETE", "/units/{unit_id}"): ADMIN,
    ("GET", "/skills"): ANY,
    ("POST", "/skills"): ADMIN,
    ("GET", "/skills/{skill_id}"): ANY,
    ("PATCH", "/skills/{skill_id}"): ADMIN,
    ("DELETE", "/skills/{skill_id}"): ADMIN,
    ("GET", "/shift-types"): ANY,
    ("POST", "/shift-types"): ADMIN,
    ("GET", "/shift-types/{shift_id}"): ANY,
    ("PATCH", "/shift-types/{shift_id}"): ADMIN,
    ("DELETE", "/shift-types/{shift_id}"): ADMIN,
    ("GET", "/posts"): ANY,
    ("POST", "/posts"): ADMIN,
    ("GET", "/posts/{post_id}"): ANY,
    ("PATCH", "/posts/{post_id}"): ADMIN,
    ("DELETE", "/posts/{post_id}"): ADMIN,
    ("PUT", "/posts/locations"): ADMIN,
    ("GET", "/officers"): STAFF,
    ("POST", "/officers"): STAFF,
    ("GET", "/officers/{officer_id}"): ANY,
    ("PATCH", "/officers/{officer_id}"): STAFF,
    ("DELETE", "/officers/{officer_id}"): ADMIN,
    ("GET", "/officers/{officer_id}/unavailability"): ANY,
    ("POST", "/officers/{officer_id}/unavailability"): STAFF,
    ("DELETE", "/officers/{officer_id}/unavailability/{span_id}"): STAFF,
    ("GET", "/officers/{officer_id}/history"): ANY,
    ("POST", "/officers/{officer_id}/history"): STAFF,
    ("DELETE", "/officers/{officer_id}/history/{duty_id}"): STAFF,
    ("POST", "/officers/{officer_id}/requests"): ANY,
    ("GET", "/officers/{officer_id}/schedule"): ANY,
    ("POST", "/officers/{officer_id}/calendar-feed"): ANY,
    ("DELETE", "/officers/{officer_id}/calendar-feed"): ANY,
    ("GET", "/requests"): ANY,
    ("GET", "/requests/{request_id}"): ANY,
    ("PATCH", "/requests/{request_id}"): STAFF,
    ("DELETE", "/requests/{request_id}"): ANY,
    ("GET", "/pinned-duties"): STAFF,
    ("POST", "/pinned-duties"): STAFF,
    ("DELETE", "/pinned-duties/{pinned_id}"): STAFF,
    ("GET", "/settings"): ANY,
    ("PATCH", "/settings"): ADMIN,
    ("POST", "/import/scenario"): ADMIN,
    ("GET", "/export/scenario"): STAFF,
    ("POST", "/import/officers"): ADMIN,
    ("POST", "/import/posts"): ADMIN,
    ("POST", "/import/unavailability"): STAFF,
    ("GET", "/jobs"): STAFF,
    ("POST", "/jobs"): STAFF,
    ("GET", "/jobs/queue"): ADMIN,
    ("GET", "/jobs/{job_id}"): STAFF,
    ("POST", "/jobs/{job_id}/cancel"): STAFF,
    ("GET", "/jobs/{job_id}/events"): STAFF,
    ("GET", "/rosters"): STAFF,
    ("GET", "/rosters/{roster_id}"): STAFF,
    ("POST", "/rosters/{roster_id}/publish"): STAFF,
    ("DELETE", "/rosters/{roster_id}"): STAFF,
    ("GET", "/rosters/{roster_id}/duties"): STAFF,
    ("GET", "/rosters/{roster_id}/shortfalls"): STAFF,
    ("GET", "/rosters/{roster_id}/score"): STAFF,
    ("GET", "/rosters/{roster_id}/needs"): STAFF,
    ("GET", "/rosters/{roster_id}/export.xlsx"): STAFF,
    ("GET", "/rosters/{roster_id}/export.csv"): STAFF,
    ("GET", "/rosters/{roster_id}/roster.json"): STAFF,
    ("GET", "/rosters/{roster_id}/scenario.json"): STAFF,
    ("GET", "/duties"): ANY,
    ("GET", "/on-duty"): ANY,
    ("GET", "/me/schedule"): ANY,
    ("GET", "/reports/coverage"): ANY,
    ("GET", "/reports/officers"): STAFF,
    ("GET", "/reports/officers.xlsx"): STAFF,
    ("GET", "/rosters/{roster_id}/duty-sheet"): ANY,  # officers: 403 inside (dispatchers of the unit)
    ("GET", "/duty-sheet"): ANY,
    ("GET", "/officers/{officer_id}/week-sheet"): ANY,  # an officer: their own
    ("POST", "/changes"): ANY,
    ("GET", "/changes"): ANY,
    ("GET", "/changes/{change_id}"): ANY,
    ("POST", "/changes/{change_id}/accept"): ANY,
    ("POST", "/changes/{change_id}/approve"): STAFF,
    ("POST", "/changes/{change_id}/reject"): ANY,
    ("POST", "/changes/{change_id}/withdraw"): ANY,
    ("POST", "/changes/{change_id}/replan"): STAFF,
    ("GET", "/cover"): ANY,
    ("GET", "/swap-offers"): ANY,
    ("GET", "/audit"): STAFF,
    ("GET", "/rosters/{roster_id}/diff/{other_id}"): STAFF,
    ("GET", "/notifications"): ANY,
    ("GET", "/notifications/unread-count"): ANY,
    ("POST", "/notifications/read-all"): ANY,
    ("POST", "/notifications/{notification_id}/read"): ANY,
    ("GET", "/duty-levels"): ANY,
    ("PUT", "/duty-levels/{level}/settings"): ADMIN,
    ("GET", "/duty-levels/{level}/coverage"): STAFF,
    ("PUT", "/duty-levels/{level}/coverage/{post_id}"): STAFF,
    ("POST", "/duty-levels/declarations"): STAFF,
    ("GET", "/duty-levels/declarations/{change_id}"): STAFF,
    ("GET", "/owed-rest/rule"): ANY,
    ("PUT", "/owed-rest/rule"): ADMIN,
    ("GET", "/owed-rest"): STAFF,
    ("GET", "/owed-rest/sheet.xlsx"): STAFF,
    ("GET", "/officers/{officer_id}/owed-rest"): ANY,
    ("POST", "/officers/{officer_id}/owed-rest/grants"): STAFF,
    # the web UI: static page shells anyone may load; the data they show comes from the routes above
    ("GET", "/"): PUBLIC,
    ("GET", "/ui/login"): PUBLIC,
    ("GET", "/ui/roster"): PUBLIC,
    ("GET", "/ui/generate"): PUBLIC,
    ("GET", "/ui/me"): PUBLIC,
    ("GET", "/ui/inbox"): PUBLIC,
    ("GET", "/ui/now"): PUBLIC,
    ("GET", "/ui/tours"): PUBLIC,
    ("GET", "/ui/levels"): PUBLIC,
    ("GET", "/ui/office"): PUBLIC,
    ("GET", "/ui/audit"): PUBLIC,
    ("GET", "/ui/groups"): PUBLIC,
    ("GET", "/groups"): ANY,
    ("POST", "/groups"): STAFF,
    ("GET", "/groups/preview"): STAFF,
    ("GET", "/groups/{group_id}"): ANY,
    ("PATCH", "/groups/{group_id}"): STAFF,
    ("DELETE", "/groups/{group_id}"): STAFF,
    ("POST", "/groups/{group_id}/members"): STAFF,
    ("DELETE", "/groups/{group_id}/members/{officer_id}"): STAFF,
    ("GET", "/tours"): ANY,
    ("POST", "/tours"): STAFF,
    ("GET", "/tours/{plan_id}"): ANY,
    ("GET", "/tours/{plan_id}/versions"): ANY,
    ("GET", "/tours/{plan_id}/check"): STAFF,
    ("GET", "/tours/{plan_id}/export.xlsx"): STAFF,
    ("GET", "/tours/{plan_id}/sheet.html"): ANY,
    ("POST", "/tours/{plan_id}/replan"): STAFF,
    ("GET", "/tour-jobs"): STAFF,
    ("GET", "/tour-jobs/{job_id}"): STAFF,
    ("POST", "/tour-jobs/{job_id}/cancel"): STAFF,
}

PATH_VALUES = {
    "{user_id}": "1",
    "{unit_id}": "ganzhou",
    "{skill_id}": "leader",
    "{shift_id}": "N",
    "{post_id}": "g30-east",
    "{officer_id}": "gz-01",
    "{span_id}": "1",
    "{duty_id}": "1",
    "{request_id}": "1",
    "{pinned_id}": "1",
    "{job_id}": "1",
    "{roster_id}": "1",
    "{other_id}": "1",
    "{change_id}": "1",
    "{plan_id}": "1",
    "{group_id}": "g1",
    "{notification_id}": "1",
    "{level}": "level1",
    "{token}": "x" * 43,
}


def concrete(path: str) -> str:
    for placeholder, value in PATH_VALUES.items():
        path = path.replace(placeholder, value)
    return path


def test_every_route_is_classified(api: Api) -> None:
    spec = api.get("/openapi.json", as_=None).json()
    routes = {(method.upper(), path) for path, ops in spec["paths"].items() for method in ops}
    assert routes == set(ACCESS), {"unclassified": routes - set(ACCESS), "gone": set(ACCESS) - routes}


GUARDED = sorted(route for route, rule in ACCESS.items() if rule != PUBLIC)


@pytest.mark.parametrize(("method", "path"), GUARDED)
def test_401_without_or_with_a_bad_token(api: Api, method: str, path: str) -> None:
    url = concrete(path) + ("?at=2021-11-09T03:00&start=2021-11-08" if method == "GET" else "")
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        response = api.client.request(method, url, headers=headers)
        assert response.status_code == 401, (method, path, response.text)
        body = response.json()
        assert body["error"]["code"] == "unauthorized"
        assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("method", "path"), sorted(route for route, rule in ACCESS.items() if rule in (STAFF, ADMIN))
)
def test_403_for_officers_on_staff_routes(api: Api, method: str, path: str) -> None:
    response = api.request(method, concrete(path), as_="officer")
    assert response.status_code == 403, (method, path, response.text)
    assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(("method", "path"), sorted(route for route, rule in ACCESS.items() if rule == ADMIN))
def test_403_for_dispatchers_on_admin_routes(api: Api, method: str, path: str) -> None:
    response = api.request(method, concrete(path), as_="dispatcher")
    assert response.status_code == 403, (method, path, response.text)


def test_expired_token_is_refused(api: Api, session_factory: object) -> None:
    from sqlalchemy import update

    from app.accounts.models import ApiToken
    from app.core.db import transaction
    from app.core.security import token_digest

    with transaction(session_factory) as s:  # type: ignore[arg-type]
        s.execute(
            update(ApiToken)
            .where(ApiToken.token_hash == token_digest(api.tokens["admin"]))
            .values(expires_at=ApiToken.created_at)
        )
    assert api.get("/auth/me").status_code == 401


@pytest.mark.parametrize("path", sorted(p for (_, p), rule in ACCESS.items() if p.startswith("/ui/")))
def test_pages_are_shells_without_data(api: Api, path: str) -> None:
    response = api.get(path, as_=None)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    name = path.removeprefix("/ui/")
    assert f'src="/static/js/pages/{name}.js"' in response.text
    assert "gz-01" not in response.text  # no officer, duty or account data in the shell
    assert api.get(f"/static/js/pages/{name}.js", as_=None).status_code == 200


def test_the_start_page_is_the_roster_grid(api: Api) -> None:
    response = api.get("/", as_=None, follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/ui/roster"
