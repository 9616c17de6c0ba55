from __future__ import annotations

from tests.conftest import Api


def test_login_me_logout(api: Api) -> None:
    response = api.post(
        "/auth/token", as_=None, data={"username": "dispatcher", "password": "password-dispatcher"}
    )
    assert response.status_code == 200
    token = response.json()["access_token"]
    assert response.json()["token_type"] == "bearer" and response.json()["role"] == "dispatcher"
    headers = {"Authorization": f"Bearer {token}"}
    me = api.client.get("/auth/me", headers=headers).json()
    assert me["username"] == "dispatcher" and me["units"] == ["ganzhou"]
    assert api.client.post("/auth/logout", headers=headers).status_code == 204
    assert api.client.get("/auth/me", headers=headers).status_code == 401


def test_wrong_password_is_401_in_the_error_shape(api: Api) -> None:
    response = api.post("/auth/token", as_=None, data={"username": "admin", "password": "nope-nope"})
    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "unauthorized", "message": "wrong username or password", "details": []}
    }


def test_token_form_fields_are_required(api: Api) -> None:
    response = api.post("/auth/token", as_=None, data={"username": "admin"})
    assert response.status_code == 422
    assert [d["path"] for d in response.json()["error"]["details"]] == ["body.password"]


def test_passwords_and_tokens_are_stored_hashed(api: Api, session_factory: object) -> None:
    from sqlalchemy import select

    from app.accounts.models import ApiToken, User

    with session_factory() as s:  # type: ignore[operator]
        user = s.scalar(select(User).where(User.username == "admin"))
        assert user.password_hash.startswith("scrypt$") and "password-admin" not in user.password_hash
        hashes = set(s.scalars(select(ApiToken.token_hash)))
    assert api.tokens["admin"] not in hashes
    assert all(len(h) == 64 for h in hashes)
