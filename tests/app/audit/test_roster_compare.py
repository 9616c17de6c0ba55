"""Two roster versions compared for the duty office's page: the duties added, removed, and moved
(a slot handed to another officer)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.app.helpers import approve, coverable, make_api, ref, submit
from tests.conftest import Api


@pytest.fixture
def capi(session_factory: Any, published: int) -> Iterator[Api]:
    yield from make_api(session_factory)


def test_a_cover_shows_as_a_moved_duty(capi: Api, session_factory: Any, published: int) -> None:
    duty, free = coverable(capi, session_factory, 1)
    change = submit(capi, {"kind": "cover", "duty": ref(duty), "to_officer": free[0]})
    new = approve(capi, change["id"]).json()["applied_roster_id"]
    forward = capi.get(f"/rosters/{published}/diff/{new}", as_="dispatcher").json()
    taken = ref(duty) | {"officer": free[0]}
    assert forward["moved"] == [{"before": ref(duty), "after": taken}]
    assert forward["added"] == [taken] and forward["removed"] == [ref(duty)]
    back = capi.get(f"/rosters/{new}/diff/{published}", as_="dispatcher").json()
    assert back["moved"] == [{"before": taken, "after": ref(duty)}]
    assert capi.get(f"/rosters/{published}/diff/{new}", as_="officer").status_code == 403
    assert capi.get(f"/rosters/{published}/diff/{new}", as_=None).status_code == 401
