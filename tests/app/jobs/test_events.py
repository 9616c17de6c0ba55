"""The event stream of a job reports its elapsed time steadily while it runs, not only when the
solver finds something new."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from itertools import pairwise

from app.jobs.routes import with_live_elapsed
from app.jobs.schemas import JobRead
from tests.conftest import Api


def job(status: str, elapsed: float, started: datetime | None) -> JobRead:
    return JobRead.model_validate(
        {
            "id": 1,
            "status": status,
            "start": "2021-11-08",
            "days": 7,
            "unit_ids": ["ganzhou"],
            "time_limit": 30.0,
            "created_at": datetime(2021, 11, 9, 4, 0),
            "started_at": started,
            "finished_at": None,
            "elapsed": elapsed,
            "objective": 87,
            "bound": 0,
            "phase": "part 1/1",
            "cancel_requested": False,
            "message": "",
            "roster_id": None,
        }
    )


def test_live_elapsed_counts_from_the_start() -> None:
    start = datetime(2021, 11, 9, 4, 0, 1)
    assert with_live_elapsed(job("running", 0.5, start), start + timedelta(seconds=12.34)).elapsed == 12.3
    assert with_live_elapsed(job("running", 0.5, start), start + timedelta(seconds=31)).elapsed == 31.0
    assert with_live_elapsed(job("running", 14.0, start), start + timedelta(seconds=12)).elapsed == 14.0
    assert with_live_elapsed(job("succeeded", 29.6, start), start + timedelta(seconds=40)).elapsed == 29.6
    assert with_live_elapsed(job("queued", 0.0, None), start).elapsed == 0.0


def test_the_stream_reports_a_running_job_at_least_every_second(live_api: Api) -> None:
    response = live_api.post(
        "/jobs",
        as_="dispatcher",
        json={"start": "2021-11-08", "days": 7, "units": ["ganzhou"], "time_limit": 4},
    )
    assert response.status_code == 202, response.text
    running: list[tuple[float, float]] = []  # (when it arrived, elapsed it said)
    with live_api.client.stream(
        "GET", f"/jobs/{response.json()['id']}/events", headers=live_api.headers("dispatcher")
    ) as stream:
        for line in stream.iter_lines():
            if line.startswith("data: "):
                event = json.loads(line.removeprefix("data: "))
                if event.get("status") == "running":
                    running.append((time.monotonic(), event["elapsed"]))
            if line.startswith("event: end"):
                break
    assert len(running) >= 4, running
    arrivals = [t for t, _ in running]
    gaps = [round(b - a, 2) for a, b in pairwise(arrivals)]
    assert max(gaps) < 1.5, (str(gaps), str([e for _, e in running]))
    elapsed = [e for _, e in running]
    assert elapsed == sorted(elapsed) and elapsed[-1] >= 2.5, elapsed
