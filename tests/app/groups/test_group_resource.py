"""Duty groups as an API resource: who may read and change which groups, bad input answered 4xx
with the field path and id (nothing stored), every change in the audit trail, and the preview of a
unit's patterns (who works when, and where the patterns cannot cover the posts)."""

from __future__ import annotations

from typing import Any

from tests.app.helpers import as_officer
from tests.conftest import Api

FOUR_SHIFT = ["N", "N", "D", "D", "E", "E", None, None]
"""四班三运转 on example-small's N 00:00, D 08:00, E 16:00 (8 h each)."""


def group(
    gid: str, members: list[str], pattern_start: str | None = None, unit: str = "ganzhou"
) -> dict[str, Any]:
    body: dict[str, Any] = {"id": gid, "name": f"组 {gid}", "unit": unit, "members": members}
    if pattern_start is not None:
        body["pattern"] = {"start": pattern_start, "days": FOUR_SHIFT}
    return body


def created(api: Api, body: dict[str, Any], as_: str = "admin") -> dict[str, Any]:
    response = api.post("/groups", as_=as_, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def details(response: Any) -> list[tuple[str, str | None]]:
    return [(x["path"], x.get("id")) for x in response.json()["error"]["details"]]


def test_roles_admin_everything_dispatcher_own_units_officer_own_group(
    api: Api, session_factory: Any
) -> None:
    mine = created(api, group("g1", ["gz-01", "gz-02"], "2021-11-08"), as_="dispatcher")
    assert mine["members"][0]["id"] == "gz-01" and mine["members"][0]["name"]
    assert mine["pattern"] == {"start": "2021-11-08", "days": FOUR_SHIFT}
    created(api, group("g2", ["gz-03"]))
    created(api, group("hq-a", ["hq-01"], unit="hq"), as_="hq_dispatcher")

    # a dispatcher of another unit may neither create, read, change nor delete ganzhou's groups
    assert api.post("/groups", as_="hq_dispatcher", json=group("g9", [])).status_code == 403
    assert api.get("/groups", as_="hq_dispatcher", params={"unit": "ganzhou"}).status_code == 403
    assert [g["id"] for g in api.get("/groups", as_="hq_dispatcher").json()] == ["hq-a"]
    assert api.get("/groups/g1", as_="hq_dispatcher").status_code == 403
    assert api.patch("/groups/g1", as_="hq_dispatcher", json={"name": "x"}).status_code == 403
    assert (
        api.post("/groups/g1/members", as_="hq_dispatcher", json={"officers": ["gz-05"]}).status_code == 403
    )
    assert api.delete("/groups/g1/members/gz-01", as_="hq_dispatcher").status_code == 403
    assert api.delete("/groups/g1", as_="hq_dispatcher").status_code == 403
    assert (
        api.get(
            "/groups/preview", as_="hq_dispatcher", params={"unit": "ganzhou", "start": "2021-11-08"}
        ).status_code
        == 403
    )

    assert [g["id"] for g in api.get("/groups", as_="dispatcher").json()] == ["g1", "g2"]
    assert [g["id"] for g in api.get("/groups").json()] == ["g1", "g2", "hq-a"]
    assert [g["id"] for g in api.get("/groups", params={"unit": "hq"}).json()] == ["hq-a"]

    # an officer reads their own group only, and changes nothing
    assert [g["id"] for g in api.get("/groups", as_="officer").json()] == ["g1"]
    assert api.get("/groups/g1", as_="officer").status_code == 200
    assert api.get("/groups/g2", as_="officer").status_code == 403
    assert api.patch("/groups/g1", as_="officer", json={"name": "x"}).status_code == 403
    assert api.post("/groups", as_="officer", json=group("g8", [])).status_code == 403
    assert api.delete("/groups/g1", as_="officer").status_code == 403
    assert (
        api.get(
            "/groups/preview", as_="officer", params={"unit": "ganzhou", "start": "2021-11-08"}
        ).status_code
        == 403
    )
    outsider = as_officer(api, session_factory, "gz-09")
    assert api.get("/groups", as_=outsider).json() == []
    assert api.get("/groups/g1", as_=None).status_code == 401
    assert api.get("/groups/nope").status_code == 404


def test_rename_pattern_members_delete_and_the_audit_trail(api: Api) -> None:
    created(api, group("g1", ["gz-01"]), as_="dispatcher")
    renamed = api.patch("/groups/g1", as_="dispatcher", json={"name": "一组"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "一组"
    assert renamed.json()["pattern"] is None
    body = {"pattern": {"start": "2021-11-06", "days": FOUR_SHIFT}}
    patterned = api.patch("/groups/g1", as_="dispatcher", json=body).json()
    assert patterned["pattern"] == body["pattern"] and patterned["name"] == "一组"
    added = api.post("/groups/g1/members", as_="dispatcher", json={"officers": ["gz-02", "hq-01"]})
    assert added.status_code == 200, added.text
    assert [m["id"] for m in added.json()["members"]] == ["gz-01", "gz-02", "hq-01"]  # hq-01 serves ganzhou
    removed = api.delete("/groups/g1/members/gz-01", as_="dispatcher")
    assert [m["id"] for m in removed.json()["members"]] == ["gz-02", "hq-01"]
    assert api.delete("/groups/g1/members/gz-01", as_="dispatcher").status_code == 404
    cleared = api.patch("/groups/g1", as_="dispatcher", json={"pattern": None}).json()
    assert cleared["pattern"] is None

    # the scenario built from the database carries the group as the solver sees it
    exported = api.get("/export/scenario").json()["groups"]
    assert exported == [{"id": "g1", "name": "一组", "members": ["gz-02", "hq-01"]}]

    assert api.delete("/groups/g1", as_="dispatcher").status_code == 204
    assert api.get("/groups/g1").status_code == 404
    assert api.get("/officers/gz-02").status_code == 200  # the officers stay

    events = api.get("/audit", params={"limit": 50}).json()["items"]
    actions = [(e["action"], e["officer"], e["details"].get("group")) for e in reversed(events)]
    assert actions == [
        ("group.created", None, "g1"),
        ("group.renamed", None, "g1"),
        ("group.pattern_set", None, "g1"),
        ("group.member_added", "gz-02", "g1"),
        ("group.member_added", "hq-01", "g1"),
        ("group.member_removed", "gz-01", "g1"),
        ("group.pattern_removed", None, "g1"),
        ("group.deleted", None, "g1"),
    ]
    assert all(e["actor"] == "dispatcher" for e in events)


def test_bad_input_is_4xx_with_field_paths_and_stores_nothing(api: Api) -> None:
    created(api, group("g1", ["gz-01"]))

    unknown = api.post("/groups", json=group("g2", ["gz-02", "nobody"]))
    assert unknown.status_code == 422, unknown.text
    assert details(unknown) == [("body.members[1]", "nobody")]

    taken = api.post("/groups", json=group("g2", ["gz-02", "gz-01"]))
    assert taken.status_code == 409, taken.text
    assert details(taken) == [("body.members[1]", "gz-01")]
    assert "g1" in taken.json()["error"]["details"][0]["message"]
    moved = api.post("/groups/g1/members", json={"officers": ["gz-01", "gz-03"]})
    assert moved.status_code == 200  # already in this group: no clash

    empty = api.post("/groups", json={**group("g2", []), "pattern": {"start": "2021-11-08", "days": []}})
    assert empty.status_code == 422
    assert any(p.startswith("body.pattern.days") for p, _ in details(empty)), empty.text
    long = api.patch("/groups/g1", json={"pattern": {"start": "2021-11-08", "days": ["D"] * 57}})
    assert long.status_code == 422
    assert any(p.startswith("body.pattern.days") for p, _ in details(long)), long.text
    shift = api.patch("/groups/g1", json={"pattern": {"start": "2021-11-08", "days": ["N", None, "X"]}})
    assert shift.status_code == 422
    assert details(shift) == [("body.pattern.days[2]", "X")]

    assert api.post("/groups", json=group("g1", [])).status_code == 409  # the id exists
    outside = api.post("/groups", json=group("hq-b", ["gz-05"], unit="hq"))
    assert outside.status_code == 422 and details(outside) == [("body.members[0]", "gz-05")]
    twice = api.post("/groups", json=group("g3", ["gz-06", "gz-06"]))
    assert twice.status_code == 422 and details(twice) == [("body.members[1]", "gz-06")]
    no_unit = api.post("/groups", json=group("g3", [], unit="nowhere"))
    assert no_unit.status_code == 422 and details(no_unit) == [("body.unit", "nowhere")]
    bad_member = api.post("/groups/g1/members", json={"officers": ["nobody"]})
    assert bad_member.status_code == 422 and details(bad_member) == [("body.officers[0]", "nobody")]

    listed = api.get("/groups").json()
    assert [(g["id"], [m["id"] for m in g["members"]], g["pattern"]) for g in listed] == [
        ("g1", ["gz-01", "gz-03"], None)
    ]


def test_preview_four_groups_on_four_shift_rotation(api: Api) -> None:
    # example-small's ganzhou: N needs 2..3, D 4..6, E 3..4 officers; A (weekdays) 1
    for k, start in enumerate(["2021-11-08", "2021-11-06", "2021-11-04", "2021-11-02"]):
        members = [f"gz-{3 * k + i + 1:02d}" for i in range(3)]
        created(api, group(f"g{k + 1}", members, start), as_="dispatcher")
    response = api.get("/groups/preview", as_="dispatcher", params={"unit": "ganzhou", "start": "2021-11-08"})
    assert response.status_code == 200, response.text
    view = response.json()
    assert len(view["dates"]) == 28 and view["dates"][0] == "2021-11-08"
    g1 = next(g for g in view["groups"] if g["id"] == "g1")
    assert g1["days"][:8] == FOUR_SHIFT and len(g1["days"]) == 28
    cells = {(c["date"], c["shift"]): c for c in view["cells"]}
    groups = {g["id"]: g for g in view["groups"]}
    assert any(g["away"] for g in groups.values())  # example-small has leave in its week
    # every N, D and E of every date: exactly one group, its members free that day
    for day in view["dates"]:
        for shift in ("N", "D", "E"):
            (gid,) = cells[(day, shift)]["groups"]
            away = [m for m, days in groups[gid]["away"].items() if day in days]
            assert cells[(day, shift)]["officers"] == 3 - len(away), (day, shift)
    assert cells[("2021-11-08", "N")]["groups"] == ["g1"]
    assert cells[("2021-11-08", "D")]["groups"] == ["g2"]
    warnings = {(w["kind"], w["date"], w["shift"]) for w in view["warnings"]}
    # A (intersection, weekdays) is in no pattern; D needs 4 and gets 3
    assert ("uncovered", "2021-11-08", "A") in warnings
    assert ("uncovered", "2021-11-13", "A") not in warnings  # a Saturday: no A slot
    assert ("short", "2021-11-08", "D") in warnings
    assert not any(k == "too_many" for k, _, _ in warnings)
    assert {k for k, _, s in warnings if s in ("N", "E")} == set()

    # five on nights: more officers than the three seats
    api.post("/groups/g1/members", as_="dispatcher", json={"officers": ["hq-01", "hq-02"]})
    again = api.get("/groups/preview", params={"unit": "ganzhou", "start": "2021-11-08", "days": 2}).json()
    assert len(again["dates"]) == 2
    too_many = [w for w in again["warnings"] if w["kind"] == "too_many"]
    assert [(w["date"], w["shift"], w["officers"], w["max"]) for w in too_many] == [
        ("2021-11-08", "N", 5, 3),
        ("2021-11-09", "N", 5, 3),
    ]
    assert api.get("/groups/preview", params={"unit": "nowhere", "start": "2021-11-08"}).status_code == 404
    assert api.get("/groups/preview", params={"unit": "ganzhou", "start": "x"}).status_code == 422


def test_a_shift_type_in_a_rotation_cannot_be_deleted(api: Api) -> None:
    made = api.post("/shift-types", json={"id": "X", "name": "全天", "start": "08:00", "minutes": 1440})
    assert made.status_code == 201, made.text
    pattern = {"start": "2021-11-08", "days": ["X", None, None]}
    created(api, {**group("g1", ["gz-01"]), "pattern": pattern})
    refused = api.delete("/shift-types/X")
    assert refused.status_code == 409 and "rotation" in refused.text
    assert api.patch("/groups/g1", json={"pattern": None}).status_code == 200
    assert api.delete("/shift-types/X").status_code == 204
