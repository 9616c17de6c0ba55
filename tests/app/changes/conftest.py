"""The changes tests' services: rolled back (`capi`), or committing for real with solve jobs in
other threads and processes (`live`); both with "now" = Tuesday 2021-11-09 12:00."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from solver.io.roster import roster_from_dict
from tests.app.helpers import MON, UNITS, make_api
from tests.conftest import Api


@pytest.fixture
def capi(session_factory: Any, published: int) -> Iterator[Api]:
    """The service with "now" = Tuesday noon, on example-small's published roster."""
    yield from make_api(session_factory)


@pytest.fixture
def live(live_db: Any, small_roster_document: dict[str, Any]) -> Iterator[Api]:
    """Real commits, example-small's roster published, "now" = Tuesday noon."""
    from app.core.db import transaction
    from app.planning.scenario import ScenarioScope, scenario_from_db
    from app.rosters.service import new_snapshot, publish, store_roster

    with transaction(live_db) as s:
        scenario = scenario_from_db(s, ScenarioScope(start=MON, days=7))
        roster, _ = roster_from_dict(small_roster_document)
        snapshot = new_snapshot(s, scenario)
        stored = store_roster(s, scenario, roster, snapshot_id=snapshot.id, unit_ids=UNITS, created_by=None)
        publish(s, stored, None)
    yield from make_api(live_db)
