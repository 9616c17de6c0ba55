from __future__ import annotations

from tests.conftest import Api


def test_read_and_update(api: Api) -> None:
    settings = api.get("/settings", as_="officer").json()
    assert settings["timezone"] == "Asia/Shanghai"
    assert settings["horizon"] == {"start": "2021-11-08", "days": 7}
    assert settings["rules"]["min_rest_minutes"] == 660 and settings["weights"]["shortfall"] == 1000
    updated = api.patch(
        "/settings", json={"rules": {"min_rest_minutes": 600}, "weights": {"request": 20}}
    ).json()
    assert updated["rules"]["min_rest_minutes"] == 600 and updated["weights"]["request"] == 20
    assert updated["rules"]["max_consecutive_days"] == 6


def test_bad_time_zone(api: Api) -> None:
    response = api.patch("/settings", json={"timezone": "Mars/Olympus"})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["path"] == "body.timezone"
    assert api.get("/settings").json()["timezone"] == "Asia/Shanghai"


def test_negative_rule_is_422_with_path(api: Api) -> None:
    response = api.patch("/settings", json={"rules": {"max_consecutive_days": -1}})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["path"] == "body.rules.max_consecutive_days"
