"""Logging in safely (issue 10, point 9): throttling and lockout, no user-name guessing by timing,
stronger scrypt with rehash, idle expiry of tokens, a password policy, security headers, and no
calendar secret in the access log."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from app.accounts.models import ApiToken, User
from app.core import security
from app.core.clock import utcnow
from app.core.config import Settings
from app.core.headers import RedactSecrets
from tests.conftest import Api


def login(api: Api, username: str, password: str) -> Any:
    return api.post("/auth/token", as_=None, data={"username": username, "password": password})


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_user_is_locked_out_after_five_failures(api: Api) -> None:
    clock = Clock()
    api.client.app.state.login_throttle.clock = clock  # type: ignore[attr-defined]
    for _ in range(5):
        assert login(api, "dispatcher", "wrong-password").status_code == 401
    locked = login(api, "dispatcher", "password-dispatcher")
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "too_many_requests"
    assert 0 < int(locked.headers["Retry-After"]) <= 900
    assert login(api, "admin", "password-admin").status_code == 200  # another user is not locked
    clock.now += 901
    assert login(api, "dispatcher", "password-dispatcher").status_code == 200


def test_a_client_is_locked_out_after_twenty_failures(api: Api) -> None:
    for n in range(20):
        assert login(api, f"nobody-{n}", "wrong-password").status_code == 401
    assert login(api, "admin", "password-admin").status_code == 429


def test_locked_out_attempts_cost_no_scrypt_work(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(5):
        login(api, "officer", "wrong-password")
    calls: list[str] = []
    monkeypatch.setattr("app.accounts.service.verify_password", lambda p, h: calls.append(h) or False)
    assert login(api, "officer", "password-officer").status_code == 429
    assert calls == []


def test_an_unknown_user_costs_the_same_hash_check(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[str] = []
    real = security.verify_password

    def spy(password: str, stored: str) -> bool:
        checked.append(stored)
        return real(password, stored)

    monkeypatch.setattr("app.accounts.service.verify_password", spy)
    assert login(api, "no-such-user", "whatever-it-is").status_code == 401
    assert checked == [security.DUMMY_HASH]
    assert security.DUMMY_HASH.startswith(f"scrypt${security.SCRYPT_N}$")


def test_old_hashes_are_replaced_on_login(api: Api, session_factory: Any) -> None:
    assert security.SCRYPT_N >= 2**15
    salt = b"0123456789abcdef"
    import base64
    import hashlib

    digest = hashlib.scrypt(b"password-officer", salt=salt, n=2**14, r=8, p=1, dklen=32)
    old = "$".join(
        ["scrypt", str(2**14), "8", "1", base64.b64encode(salt).decode(), base64.b64encode(digest).decode()]
    )
    with session_factory() as s, s.begin():
        s.execute(update(User).where(User.username == "officer").values(password_hash=old))
    assert login(api, "officer", "password-officer").status_code == 200
    with session_factory() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "officer"))
    assert stored != old and stored.startswith(f"scrypt${security.SCRYPT_N}$8$1$")
    assert security.verify_password("password-officer", stored)


def test_tokens_expire_when_idle(api: Api, session_factory: Any) -> None:
    token = login(api, "admin", "password-admin").json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    digest = security.token_digest(token)
    with session_factory() as s, s.begin():
        a_while_ago = utcnow() - timedelta(minutes=50)
        s.execute(update(ApiToken).where(ApiToken.token_hash == digest).values(last_used_at=a_while_ago))
    assert api.client.get("/auth/me", headers=headers).status_code == 200
    with session_factory() as s:
        used = s.scalar(select(ApiToken.last_used_at).where(ApiToken.token_hash == digest))
    assert used is not None and used > a_while_ago + timedelta(minutes=49)  # its use was recorded
    with session_factory() as s, s.begin():
        idle = utcnow() - timedelta(minutes=61)
        s.execute(update(ApiToken).where(ApiToken.token_hash == digest).values(last_used_at=idle))
    assert api.client.get("/auth/me", headers=headers).status_code == 401


def test_token_lifetime_and_idle_expiry_are_settings() -> None:
    defaults = Settings(database_url="sqlite://")
    assert defaults.token_ttl_hours == 12 and defaults.token_idle_minutes == 60
    assert Settings(database_url="sqlite://", token_idle_minutes=5).token_idle_minutes == 5


@pytest.mark.parametrize(
    "password", ["12345678", "short-one", "12345678901234", "password123", "QWERTYUIOP", "aaaaaaaaaaaa"]
)
def test_weak_passwords_are_refused(api: Api, password: str) -> None:
    body = {"username": "weak", "role": "admin", "password": password}
    response = api.post("/users", json=body)
    assert response.status_code == 422
    assert [d["path"] for d in response.json()["error"]["details"]] == ["body.password"]


def test_a_sound_password_is_accepted(api: Api) -> None:
    body = {"username": "sound", "role": "admin", "password": "river-stone-42"}
    assert api.post("/users", json=body).status_code == 201


def test_security_headers(api: Api) -> None:
    response = api.get("/health", as_=None)
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    token = login(api, "admin", "password-admin")
    assert token.headers["Cache-Control"] == "no-store"
    assert api.get("/units").headers["X-Frame-Options"] == "DENY"


def test_the_access_log_holds_no_calendar_secret(api: Api) -> None:
    from app.core.headers import redact_access_log

    redact_access_log()
    logger = logging.getLogger("uvicorn.access")
    assert any(isinstance(f, RedactSecrets) for f in logger.filters)
    secret = "A" * 43
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/ical/{secret}.ics", "1.1", 200),
        None,
    )
    for f in logger.filters:
        f.filter(record)
    line = record.getMessage()
    assert secret not in line and "/ical/[secret].ics" in line
