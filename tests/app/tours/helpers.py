"""What the tour tests share: example-small's checkpoints given coordinates, its published
roster, tour jobs run in the calling process, and waiting for a job run by the runner."""

from __future__ import annotations

import time
from typing import Any

from app.tours.runner import run_tour_job_inline
from tests.conftest import Api

LOCATIONS = {"g30-east": {"lat": 38.965, "lon": 100.545}, "xihuishan": {"lat": 39.05, "lon": 100.30}}
SUPERVISORS = ["gz-01", "gz-02", "hq-01"]
FAST = {"time_limit_per_day": 0.5, "solution_limit": 40}


class InlineTourRunner:
    """Runs a submitted tour job at once in the request's worker thread (`run_tour_job_inline`,
    what the command line uses), for tests on the rolled-back connection."""

    def __init__(self, factory: Any) -> None:
        self.factory = factory

    def submit(self, job_id: int) -> None:
        run_tour_job_inline(self.factory, job_id)

    def shutdown(self) -> None:
        return None


def inline(api: Api, factory: Any) -> Api:
    api.client.app.state.tour_runner = InlineTourRunner(factory)  # type: ignore[attr-defined]
    return api


def locate(api: Api) -> None:
    response = api.request("PUT", "/posts/locations", json={"locations": LOCATIONS})
    assert response.status_code == 200, response.text


def wait_for(api: Api, job_id: int, condition: Any, timeout: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        job = api.get(f"/tour-jobs/{job_id}", as_="dispatcher").json()
        if condition(job):
            return dict(job)
        assert time.monotonic() < deadline, job
        time.sleep(0.2)
