"""Roster jobs: solved in worker processes, with progress, cancellation, a concurrency cap and
recovery after a restart. The live tests commit for real (the work happens in other threads and
processes) and use the real solver on small horizons."""

from __future__ import annotations

import json
import time
from typing import Any

from tests.conftest import REPO, Api, test_settings

ZHANGYE = REPO / "data" / "zhangye-2021-11-08.json"
TERMINAL = {"succeeded", "cancelled", "failed", "interrupted"}


def wait_for(api: Api, job_id: int, condition: Any, timeout: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        job = api.get(f"/jobs/{job_id}", as_="dispatcher").json()
        if condition(job):
            return dict(job)
        assert time.monotonic() < deadline, job
        time.sleep(0.1)


def test_job_solves_streams_progress_and_stores_a_draft(live_api: Api) -> None:
    response = live_api.post(
        "/jobs",
        as_="dispatcher",
        json={"start": "2021-11-08", "days": 7, "units": ["ganzhou"], "time_limit": 3},
    )
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["status"] == "queued" and response.headers["location"] == f"/jobs/{job['id']}"

    events = []
    with live_api.client.stream(
        "GET", f"/jobs/{job['id']}/events", headers=live_api.headers("dispatcher")
    ) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        for line in stream.iter_lines():
            if line.startswith("data: "):
                events.append(json.loads(line.removeprefix("data: ")))
            if line.startswith("event: end"):
                break
    statuses = [e.get("status") for e in events]
    assert statuses[0] in ("queued", "running") and statuses[-1] == "succeeded"
    done = live_api.get(f"/jobs/{job['id']}").json()
    assert done["status"] == "succeeded" and done["roster_id"] is not None
    assert done["objective"] is not None and done["elapsed"] > 0 and done["finished_at"] is not None
    roster = live_api.get(f"/rosters/{done['roster_id']}").json()
    assert roster["status"] == "draft" and roster["units"] == ["ganzhou"] and roster["assignments"] > 0
    assert live_api.post(f"/rosters/{done['roster_id']}/publish", as_="dispatcher").status_code == 200
    assert (
        live_api.get("/on-duty", params={"at": "2021-11-09T03:00", "post": "g30-east"}).json()["count"] >= 2
    )
    assert live_api.post(f"/jobs/{job['id']}/cancel").status_code == 409  # already ended
    assert [j["id"] for j in live_api.get("/jobs", params={"status": "succeeded"}).json()["items"]] == [
        job["id"]
    ]


def test_two_at_once_third_waits_and_cancel_keeps_the_best(live_api: Api, live_db: Any) -> None:
    from datetime import datetime

    from app.core.db import transaction
    from app.reference.transfer import import_scenario

    with transaction(live_db) as s:
        import_scenario(s, json.loads(ZHANGYE.read_text(encoding="utf-8")), True, None)
    body = {"start": "2021-11-08", "days": 7, "time_limit": 60}
    ids = [
        live_api.post("/jobs", json={**body, "units": [unit]}).json()["id"]
        for unit in ("ganzhou", "linze", "shandan")
    ]
    most_running = 0
    deadline = time.monotonic() + 60
    while True:  # until both first jobs have a roster (or ended)
        jobs = [live_api.get(f"/jobs/{i}").json() for i in ids]
        most_running = max(most_running, sum(j["status"] == "running" for j in jobs))
        if all(j["objective"] is not None or j["status"] in TERMINAL for j in jobs[:2]):
            break
        assert time.monotonic() < deadline, jobs
        time.sleep(0.1)
    running_now = [j["id"] for j in jobs if j["status"] == "running"]
    for job_id in ids:
        live_api.post(f"/jobs/{job_id}/cancel")
    done = [wait_for(live_api, i, lambda j: j["status"] in TERMINAL, timeout=60) for i in ids]

    assert most_running <= 2
    first_end = min(datetime.fromisoformat(j["finished_at"]) for j in done[:2])
    if done[2]["started_at"] is not None:  # the third only started once one of the first two had ended
        assert datetime.fromisoformat(done[2]["started_at"]) >= first_end
    else:
        assert done[2]["status"] == "cancelled" and done[2]["roster_id"] is None
    for job in done:
        if job["id"] in running_now and job["objective"] is not None:
            assert job["status"] in ("cancelled", "succeeded") and job["roster_id"] is not None, job
            assert live_api.get(f"/rosters/{job['roster_id']}").json()["assignments"] > 0
    assert any(j["status"] == "cancelled" for j in done)


def test_conflicting_pins_fail_the_job_with_reasons(live_api: Api) -> None:
    # gz-02 pinned to the night and the day shift of one date: the rest rule cannot hold
    for shift in ("N", "D"):
        pin = {"officer": "gz-02", "post": "g30-east", "shift": shift, "date": "2021-11-09"}
        assert live_api.post("/pinned-duties", json=pin).status_code == 201
    job = live_api.post("/jobs", json={"start": "2021-11-08", "days": 7, "time_limit": 3}).json()
    done = wait_for(live_api, job["id"], lambda j: j["status"] in TERMINAL)
    assert done["status"] == "failed" and done["roster_id"] is None
    assert done["message"].startswith("no roster is possible")


def test_request_checks(api: Api) -> None:
    unknown = api.post("/jobs", json={"start": "2021-11-08", "units": ["atlantis"]})
    assert unknown.status_code == 422 and unknown.json()["error"]["details"][0]["path"] == "body.units"
    too_long = api.post("/jobs", json={"start": "2021-11-08", "time_limit": 10_000})
    assert too_long.status_code == 422 and too_long.json()["error"]["details"][0]["path"] == "body.time_limit"
    assert api.post("/jobs", json={"start": "2021-11-08", "days": 0}).status_code == 422
    assert (
        api.post("/jobs", as_="hq_dispatcher", json={"start": "2021-11-08", "units": ["ganzhou"]}).status_code
        == 403
    )
    assert api.post("/jobs", as_="dispatcher", json={"start": "2021-11-08"}).status_code == 403  # all units
    assert api.get("/jobs/12345").status_code == 404


def test_invalid_stored_data_is_422_with_loader_paths(api: Api) -> None:
    # example-small pins gz-01 to the 2021-11-08 day shift; put gz-01 on leave then
    span = {"start": "2021-11-08T00:00", "end": "2021-11-09T00:00", "reason": "病假"}
    assert api.post("/officers/gz-01/unavailability", json=span).status_code == 201
    response = api.post("/jobs", json={"start": "2021-11-08", "days": 7})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["path"].startswith("pinned[0]")
    assert api.get("/jobs").json()["total"] == 0  # nothing stored


def test_restart_marks_interrupted_only_the_jobs_whose_lease_ran_out(api: Api, session_factory: Any) -> None:
    """A service killed mid-solve leaves jobs queued or running with leases nobody renews; the
    next start marks those interrupted, and leaves alone a job another live process holds."""
    from datetime import date, timedelta

    from fastapi.testclient import TestClient
    from sqlalchemy import select, update

    from app.accounts.models import User
    from app.core.clock import utcnow
    from app.core.db import transaction
    from app.jobs.models import SolveJob
    from app.jobs.service import create_job
    from app.main import create_app

    with transaction(session_factory) as s:
        admin = s.scalar(select(User).where(User.username == "admin"))
        assert admin is not None
        ids = [
            create_job(
                s, admin, start=date(2021, 11, 8), days=1, unit_ids=None, time_limit=1, history_days=0
            ).id
            for _ in range(3)
        ]
        past, future = utcnow() - timedelta(seconds=1), utcnow() + timedelta(minutes=5)
        s.execute(
            update(SolveJob)
            .where(SolveJob.id == ids[0])
            .values(status="running", owner="service:dead:1:x", lease_until=past)
        )
        s.execute(
            update(SolveJob).where(SolveJob.id == ids[1]).values(owner="service:dead:1:x", lease_until=past)
        )
        s.execute(
            update(SolveJob)
            .where(SolveJob.id == ids[2])
            .values(status="running", owner="service:alive:2:y", lease_until=future)
        )
    with TestClient(create_app(test_settings(), session_factory)) as restarted:
        for job_id in ids[:2]:
            job = restarted.get(f"/jobs/{job_id}", headers=api.headers("admin")).json()
            assert job["status"] == "interrupted" and "stopped" in job["message"]
            assert job["roster_id"] is None
        live = restarted.get(f"/jobs/{ids[2]}", headers=api.headers("admin")).json()
        assert live["status"] == "running"  # another process's job, its lease alive


def test_queue_status_is_for_admins(api: Api, session_factory: Any) -> None:
    from datetime import date

    from sqlalchemy import select, update

    from app.accounts.models import User
    from app.core.db import transaction
    from app.jobs.models import SolveJob
    from app.jobs.service import create_job

    with transaction(session_factory) as s:
        admin = s.scalar(select(User).where(User.username == "admin"))
        assert admin is not None
        queued, running = (
            create_job(
                s, admin, start=date(2021, 11, 8), days=1, unit_ids=None, time_limit=1, history_days=0
            ).id
            for _ in range(2)
        )
        s.execute(
            update(SolveJob).where(SolveJob.id == running).values(status="running", owner="worker:h:1:x")
        )
    assert api.get("/jobs/queue", as_="dispatcher").status_code == 403
    assert api.get("/jobs/queue", as_=None).status_code == 401
    status = api.get("/jobs/queue").json()
    assert status["engine"] == "inline" and status["queued"] == 1 and status["running"] == 1
    assert [(j["id"], j["owner"]) for j in status["running_jobs"]] == [(running, "worker:h:1:x")]
    assert status["workers"] == [] and queued != running
