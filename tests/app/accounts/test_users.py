from __future__ import annotations

from tests.conftest import Api


def test_create_list_update_delete(api: Api) -> None:
    created = api.post(
        "/users",
        json={"username": "li.dispatch", "role": "dispatcher", "password": "long-enough", "units": ["hq"]},
    )
    assert created.status_code == 201, created.text
    user = created.json()
    assert user["units"] == ["hq"] and "password" not in user
    listing = api.get("/users", params={"role": "dispatcher"}).json()
    assert listing["total"] == 3 and {u["username"] for u in listing["items"]} >= {"li.dispatch"}
    updated = api.patch(f"/users/{user['id']}", json={"units": ["ganzhou", "hq"], "is_active": False}).json()
    assert updated["units"] == ["ganzhou", "hq"] and updated["is_active"] is False
    assert api.get(f"/users/{user['id']}").json()["username"] == "li.dispatch"
    assert api.delete(f"/users/{user['id']}").status_code == 204
    assert api.get(f"/users/{user['id']}").status_code == 404


def test_duplicate_username_is_409(api: Api) -> None:
    body = {"username": "admin", "role": "admin", "password": "long-enough"}
    response = api.post("/users", json=body)
    assert response.status_code == 409
    assert response.json()["error"]["message"] == "user 'admin' already exists"


def test_role_links_are_checked(api: Api) -> None:
    response = api.post("/users", json={"username": "x", "role": "officer", "password": "long-enough"})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["path"] == "body.officer_id"
    response = api.post(
        "/users",
        json={"username": "y", "role": "dispatcher", "password": "long-enough", "units": ["nowhere"]},
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0] == {
        "path": "body.units",
        "message": "unknown unit 'nowhere'",
        "id": "nowhere",
    }


def test_bad_body_gives_field_paths(api: Api) -> None:
    response = api.post("/users", json={"username": "bad name", "role": "chief", "password": "short"})
    assert response.status_code == 422
    paths = {d["path"] for d in response.json()["error"]["details"]}
    assert paths == {"body.username", "body.role", "body.password"}


def test_admin_cannot_delete_self(api: Api) -> None:
    me = api.get("/auth/me").json()
    assert api.delete(f"/users/{me['id']}").status_code == 403


def test_password_change_revokes_tokens(api: Api) -> None:
    me = api.get("/auth/me", as_="officer").json()
    assert api.patch(f"/users/{me['id']}", json={"password": "another-one"}).status_code == 200
    assert api.get("/auth/me", as_="officer").status_code == 401


def test_page_size_is_capped(api: Api) -> None:
    response = api.get("/users", params={"limit": 10_000})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["path"] == "query.limit"
    assert api.get("/users", params={"limit": 1, "offset": 1}).json()["limit"] == 1
