"""Crash tests on real processes (issue 10): `roster serve` (the embedded default: the inline job
engine, a SQLite file) killed with SIGKILL

- while a roster job solves: its solver process ends with it, no roster is stored, and after a
  restart the job is declared interrupted within the lease (`ROSTER_JOBS__LEASE_SECONDS`) plus a
  heartbeat (the inline engine has no second process to retry it; with the procrastinate engine
  `tests/app/jobs/test_processes.py` kills a worker and the job is retried as set);
- while an approval of a re-planned change (leave) is inside its transaction: afterwards the change
  is still pending, nothing of it applied (no new published version, no audit row, no leave
  stored), and approving it again publishes it whole. A real kill can't be timed to land inside
  the transaction, so the service is started with the test hook `ROSTER_TEST_PAUSE_IN_APPROVAL`
  (the approval sleeps after its writes, before its commit, and logs that it does).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from tests.app.helpers import free_port, wait_until
from tests.conftest import REPO, TOKENS, seed_example

LEASE = 3.0
"""The service's lease in these tests: renewed every second, interrupted within about 4 s."""

TERMINAL = {"succeeded", "cancelled", "failed", "interrupted"}


_wait = partial(wait_until, poll=0.1)  # this test times recoveries: poll finer


def _alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped counts as ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError):
        return False


def _children(pid: int) -> list[int]:
    """The processes `pid` started (from any of its threads)."""
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
    return out


@dataclass
class Service:
    """`roster serve` on one SQLite file, started and killed at will."""

    url: str
    logs: Path
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    client: httpx.Client | None = None
    starts: int = 0

    def start(self, **extra: str) -> httpx.Client:
        port = free_port()
        self.starts += 1
        log = (self.logs / f"service-{self.starts}.log").open("wb")
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "ROSTER_DATABASE_URL": self.url,
            "ROSTER_JOBS__LEASE_SECONDS": str(LEASE),
            "ROSTER_JOBS__PROGRESS_INTERVAL": "0.2",
            "ROSTER_SOLVER__WORKERS": "1",
            **self.env,
            **extra,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--no-migrate", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=log,
        )
        self.client = httpx.Client(
            base_url=f"http://127.0.0.1:{port}",
            headers={"Authorization": f"Bearer {TOKENS['admin']}"},
            timeout=30,
        )
        client = self.client
        _wait("the service", lambda: client.get("/health").status_code == 200, 60)
        return client

    def log(self) -> str:
        return (self.logs / f"service-{self.starts}.log").read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, nothing is committed from here on."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        if self.client is not None:
            self.client.close()

    def stop(self) -> None:
        if self.client is not None:
            self.client.close()
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    from app.core.db import make_engine, make_session_factory
    from app.core.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'roster.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    seed_example(make_session_factory(engine))  # example-small and the role tokens
    engine.dispose()
    service = Service(url, tmp_path)
    try:
        yield service
    finally:
        service.stop()
        for log in sorted(tmp_path.glob("*.log")):
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}")


def _count(url: str, sql: str, **params: Any) -> int:
    from app.core.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql), params).scalar_one())
    finally:
        engine.dispose()


def _job(api: httpx.Client, job_id: int) -> dict[str, Any]:
    response = api.get(f"/jobs/{job_id}")
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_service_killed_while_a_roster_job_solves(service: Service) -> None:
    api = service.start()
    body = {"start": "2021-11-08", "days": 7, "time_limit": 120}
    response = api.post("/jobs", json=body)
    assert response.status_code == 202, response.text
    job_id = int(response.json()["id"])
    _wait("a first roster", lambda: _job(api, job_id)["objective"] is not None, 60)  # well under way
    assert service.process is not None
    solvers = _children(service.process.pid)
    assert solvers and all(_alive(c) for c in solvers)

    service.kill()
    killed = time.monotonic()
    _wait("the orphaned solve to end", lambda: not any(_alive(c) for c in solvers), 10)
    # nothing stored half-way: no roster, no duty, no shortfall of the job
    assert _count(service.url, "SELECT count(*) FROM rosters") == 0
    assert _count(service.url, "SELECT count(*) FROM roster_assignments") == 0
    assert _count(service.url, "SELECT count(*) FROM roster_shortfalls") == 0
    status = _count(
        service.url, "SELECT count(*) FROM solve_jobs WHERE id = :i AND status = 'running'", i=job_id
    )
    assert status == 1  # the row still says running: only its lease tells it is dead

    api = service.start()
    ready = time.monotonic()
    ended = _wait(
        "the job declared interrupted", lambda: (j := _job(api, job_id))["status"] in TERMINAL and j, 30
    )
    # bounded: at start-up if the lease has run out by then, else on the heartbeat after it does
    left = max(0.0, LEASE - (ready - killed))
    assert time.monotonic() - ready <= left + LEASE / 3 + 3, (time.monotonic() - ready, left)
    assert ended["status"] == "interrupted" and ended["roster_id"] is None, ended
    assert "submit it again" in ended["message"]
    assert _count(service.url, "SELECT count(*) FROM rosters") == 0


def _publish_small(url: str) -> int:
    """example-small's week solved (briefly) and published; the published version's id."""
    from app.core.db import make_engine, make_session_factory, transaction
    from app.planning.scenario import ScenarioScope, scenario_from_db
    from app.rosters.service import new_snapshot, publish, store_roster
    from solver.solve import SolveOptions, solve

    engine = make_engine(url)
    try:
        with transaction(make_session_factory(engine)) as s:
            scenario = scenario_from_db(s, ScenarioScope(start=date(2021, 11, 8), days=7))
            roster = solve(scenario, SolveOptions(time_limit=2, workers=1))
            assert roster.assignments
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
            return stored.id
    finally:
        engine.dispose()


def test_service_killed_inside_an_approval_that_replans(service: Service) -> None:
    from app.core.db import make_engine, make_session_factory
    from tests.app.helpers import officer_token

    published = _publish_small(service.url)
    engine = make_engine(service.url)
    officer = officer_token(make_session_factory(engine), "gz-05")
    engine.dispose()
    service.env = {"ROSTER_NOW": "2021-11-09T12:00", "ROSTER_SOLVER__REPLAN_TIME_LIMIT": "1"}

    api = service.start(ROSTER_TEST_PAUSE_IN_APPROVAL="60")
    leave = {"kind": "leave", "officer": "gz-05", "start": "2021-11-10T00:00", "end": "2021-11-13T00:00"}
    response = api.post(
        "/changes", json={**leave, "reason": "sick"}, headers={"Authorization": f"Bearer {officer}"}
    )
    assert response.status_code == 201, response.text
    change_id = int(response.json()["id"])
    ready = _wait(
        "the re-plan",
        lambda: (
            (c := api.get(f"/changes/{change_id}").json())["proposal"]["status"] in ("ready", "failed") and c
        ),
        90,
    )
    assert ready["proposal"]["status"] == "ready", ready["proposal"]
    before = {
        "published": _count(service.url, "SELECT count(*) FROM rosters WHERE status = 'published'"),
        "audit": _count(service.url, "SELECT count(*) FROM audit_events"),
        "leave": _count(service.url, "SELECT count(*) FROM unavailability WHERE officer_id = 'gz-05'"),
    }

    def approve() -> None:
        with contextlib.suppress(httpx.HTTPError):  # the service dies under it
            api.post(f"/changes/{change_id}/approve", json={"reason": "ok"}, timeout=120)

    approving = _background(approve)
    _wait("the approval inside its transaction", lambda: "test hook: approval" in service.log(), 60)
    service.kill()
    approving.join(10)

    # never half-applied: all as before the approval
    assert (
        _count(service.url, "SELECT count(*) FROM rosters WHERE status = 'published'") == before["published"]
    )
    assert _count(service.url, "SELECT count(*) FROM audit_events") == before["audit"]
    assert (
        _count(service.url, "SELECT count(*) FROM unavailability WHERE officer_id = 'gz-05'")
        == before["leave"]
    )
    assert (
        _count(
            service.url, "SELECT count(*) FROM rosters WHERE id = :r AND status = 'published'", r=published
        )
        == 1
    )

    api = service.start()  # without the hook
    pending = api.get(f"/changes/{change_id}").json()
    assert pending["status"] == "submitted" and pending["applied_roster_id"] is None, pending
    assert pending["proposal"]["status"] == "ready"
    done = api.post(f"/changes/{change_id}/approve", json={"reason": "ok"})
    assert done.status_code == 200, done.text
    applied = done.json()
    assert applied["status"] == "applied" and applied["applied_roster_id"] == ready["proposal"]["roster_id"]
    assert [s["action"] for s in applied["steps"]] == ["submitted", "proposed", "approved", "applied"]
    new = api.get(f"/rosters/{applied['applied_roster_id']}").json()
    assert new["status"] == "published"
    assert api.get(f"/rosters/{published}").json()["status"] == "superseded"
    approved = "SELECT count(*) FROM audit_events WHERE action = 'change.approved'"
    assert _count(service.url, approved) == 1
    assert (
        _count(service.url, "SELECT count(*) FROM unavailability WHERE officer_id = 'gz-05'")
        == before["leave"] + 1
    )


def _background(target: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread
