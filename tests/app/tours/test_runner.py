"""Tour jobs run by the service's runner in worker processes: progress by days, the stored
version, cancel (nothing stored), and jobs left running by a stopped service are interrupted."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.core.db import transaction
from app.planning.scenario import ScenarioScope, scenario_from_db
from app.rosters.service import new_snapshot, publish, store_roster
from solver.io.roster import roster_from_dict
from tests.app.tours.helpers import SUPERVISORS, locate, wait_for
from tests.conftest import Api


def publish_small(factory: Any, document: dict[str, Any]) -> None:
    with transaction(factory) as s:
        scenario = scenario_from_db(s, ScenarioScope(start=date(2021, 11, 8), days=7))
        roster, _ = roster_from_dict(document)
        snapshot = new_snapshot(s, scenario)
        stored = store_roster(
            s,
            scenario,
            roster,
            snapshot_id=snapshot.id,
            unit_ids=[u.id for u in scenario.units],
            created_by=None,
        )
        publish(s, stored, None)


def test_runner_plans_reports_progress_and_cancels(
    live_api: Api, live_db: Any, small_roster_document: dict[str, Any]
) -> None:
    publish_small(live_db, small_roster_document)
    locate(live_api)
    body = {"start": "2021-11-08", "days": 7, "supervisors": SUPERVISORS, "time_limit_per_day": 0.3}
    response = live_api.post("/tours", as_="dispatcher", json=body)
    assert response.status_code == 202 and response.headers["location"].startswith("/tour-jobs/")
    seen = set()

    def done(job: dict[str, Any]) -> bool:
        seen.add(job["days_done"])
        return job["status"] not in ("queued", "running")

    job = wait_for(live_api, response.json()["id"], done)
    assert job["status"] == "succeeded" and job["version"] == 1 and job["days_done"] == 7, job
    assert seen & set(range(1, 7)) or job["elapsed"] < 1, seen  # progress was visible on the way
    assert live_api.get(f"/tours/{job['plan_id']}/check", as_="dispatcher").json()["ok"]

    slow = live_api.post("/tours", as_="dispatcher", json={**body, "time_limit_per_day": 20}).json()
    wait_for(live_api, slow["id"], lambda j: j["status"] == "running")
    cancelled = live_api.post(f"/tour-jobs/{slow['id']}/cancel", as_="dispatcher")
    assert cancelled.status_code == 202 and cancelled.json()["cancel_requested"]
    ended = wait_for(live_api, slow["id"], lambda j: j["status"] != "running", timeout=30)
    assert ended["status"] == "cancelled" and ended["version"] is None, ended
    assert live_api.get(f"/tours/{slow['plan_id']}", as_="dispatcher").status_code == 404  # no version
    again = live_api.post(f"/tour-jobs/{slow['id']}/cancel", as_="dispatcher")
    assert again.status_code == 409
    listed = live_api.get("/tour-jobs", params={"plan": slow["plan_id"]}, as_="dispatcher").json()
    assert [j["status"] for j in listed["items"]] == ["cancelled"]


def test_jobs_left_running_are_interrupted(live_db: Any) -> None:
    from app.core.clock import utcnow
    from app.jobs.runner import JobRunner
    from app.tours.jobs import TOUR_JOBS
    from app.tours.models import TourJob, TourPlanRow
    from tests.conftest import test_settings

    with transaction(live_db) as s:
        plan = TourPlanRow(
            start=date(2021, 11, 8), days=1, supervisors=[], problem={}, settings={}, created_at=utcnow()
        )
        s.add(plan)
        s.flush()
        s.add(TourJob(kind="plan", status="running", plan_id=plan.id, days_total=1, created_at=utcnow()))
    assert JobRunner(live_db, test_settings(), kinds=(TOUR_JOBS,)).recover() == 1  # the one engine
    with live_db() as s:
        job = s.query(TourJob).one()
        assert job.status == "interrupted" and "submit it again" in job.message
