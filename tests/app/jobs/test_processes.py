"""Real processes on PostgreSQL (the procrastinate engine): two API processes (uvicorn on two
ports) and two `roster worker` processes on one database. Jobs submitted to either API complete;
a cancel sent to the other API stops a solve and keeps its best roster; kill -9 of the worker
running a job is recovered as `ROSTER_JOBS__WORKER_LOST=retry` says (the other worker runs it
again within `worker_stalled_after + worker_heartbeat`); a tour plan (the same engine, task
`roster.run`) is run by a worker too; at the end no job is lost or half done.

Kept short: a lease-like 3 s stall limit with 0.5 s heartbeats, 1 s solves where the solve
itself is not what is tested, the schema migrated in this process rather than by a subprocess."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.app.helpers import free_port, wait_until
from tests.conftest import REPO, TOKENS, _postgres_database, seed_example

pytestmark = pytest.mark.postgres

TERMINAL = {"succeeded", "cancelled", "failed", "interrupted"}
STALLED_AFTER, HEARTBEAT = 3, 0.5
LOCATIONS = {"g30-east": {"lat": 38.965, "lon": 100.545}, "xihuishan": {"lat": 39.05, "lon": 100.30}}
T0 = [time.monotonic()]


def _phase(what: str) -> None:
    """Where the time goes (printed with the logs when the test fails)."""
    print(f"{time.monotonic() - T0[0]:7.1f} s  {what}", flush=True)


class Cluster:
    def __init__(self, url: str, logs: Path) -> None:
        self.env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "ROSTER_DATABASE_URL": url,
            "ROSTER_JOBS__ENGINE": "procrastinate",
            "ROSTER_JOBS__MAX_CONCURRENT": "1",
            "ROSTER_JOBS__WORKER_LOST": "retry",
            "ROSTER_JOBS__WORKER_HEARTBEAT": str(HEARTBEAT),
            "ROSTER_JOBS__WORKER_STALLED_AFTER": str(STALLED_AFTER),
            "ROSTER_JOBS__PROGRESS_INTERVAL": "0.2",
            "ROSTER_SOLVER__WORKERS": "1",
        }
        self.logs = logs
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.apis: list[httpx.Client] = []
        self.health: dict[str, str] = {}

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", *args], cwd=REPO, env=self.env, stdout=log, stderr=log
        )
        self.processes[name] = process
        return process

    def api(self, port: int) -> httpx.Client:
        client = httpx.Client(
            base_url=f"http://127.0.0.1:{port}",
            headers={"Authorization": f"Bearer {TOKENS['admin']}"},
            timeout=30,
        )
        self.apis.append(client)
        return client

    def stop(self) -> None:
        for client in self.apis:
            client.close()
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    from app.core.db import make_engine, make_session_factory
    from app.core.migrate import upgrade
    from app.jobs.queue import apply_schema

    url, drop = _postgres_database()
    cluster = Cluster(url, tmp_path)
    try:
        upgrade(url)  # what `roster db upgrade` does, without a process of its own
        apply_schema(url)
        engine = make_engine(url)
        seed_example(make_session_factory(engine))  # example-small and the role tokens
        engine.dispose()
        yield cluster
    finally:
        cluster.stop()
        for log in sorted(tmp_path.glob("*.log")):
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}")
        drop()


def _job(api: httpx.Client, job_id: int) -> dict[str, Any]:
    response = api.get(f"/jobs/{job_id}")
    assert response.status_code == 200, response.text
    return dict(response.json())


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def _worker_pid(owner: str | None) -> int | None:
    """The pid in a worker's owner id (`worker:host:pid:random:wN`)."""
    if owner is None or not owner.startswith("worker:"):
        return None
    return int(owner.split(":")[2])


def test_two_apis_two_workers_cancel_across_and_a_killed_worker(cluster: Cluster) -> None:
    T0[0] = time.monotonic()
    ports = [free_port() for _ in range(4)]
    for i in (0, 1):
        cluster.start(f"api{i + 1}", "serve", "--no-migrate", "--port", str(ports[i]))
        cluster.start(
            f"worker{i + 1}",
            "worker",
            "--no-migrate",
            "--name",
            f"w{i + 1}",
            "--health-port",
            str(ports[2 + i]),
        )
    one, two = cluster.api(ports[0]), cluster.api(ports[1])
    health = [f"http://127.0.0.1:{p}/health" for p in ports]
    for address in health:
        wait_until(address, lambda a=address: httpx.get(a, timeout=5).status_code == 200, 120)
    _phase("two APIs and two workers up")

    def submit(api: httpx.Client, time_limit: float, days: int = 7) -> int:
        body = {"start": "2021-11-08", "days": days, "time_limit": time_limit}
        response = api.post("/jobs", json=body)
        assert response.status_code == 202, response.text
        return int(response.json()["id"])

    def ended(api: httpx.Client, job_id: int, path: str = "/jobs") -> Any:
        response = api.get(f"{path}/{job_id}")
        assert response.status_code == 200, response.text
        job = response.json()
        return job["status"] in TERMINAL and job

    # a job on each API, both read back from the other one
    plain = [submit(one, 1, days=3), submit(two, 1, days=3)]
    for job_id in plain:
        done = wait_until(f"job {job_id}", lambda j=job_id: ended(two, j), 120)
        assert done["status"] == "succeeded" and done["roster_id"] is not None, done
    _phase("a job through each API")

    # a tour plan on the published roster: deferred by one API, run by a worker (`roster.run`)
    first = _job(one, plain[0])["roster_id"]
    assert one.post(f"/rosters/{first}/publish").status_code == 200
    assert one.put("/posts/locations", json={"locations": LOCATIONS}).status_code == 200
    tour_body = {
        "start": "2021-11-08",
        "days": 2,
        "supervisors": ["gz-01", "gz-02", "hq-01"],
        "time_limit_per_day": 0.3,
    }
    tour = one.post("/tours", json=tour_body)
    assert tour.status_code == 202, tour.text

    # a long solve submitted to API 1, cancelled through API 2: stops, keeps its best roster
    long = submit(one, 120)
    wait_until("a first roster", lambda: _job(two, long)["objective"] is not None, 120)
    assert two.post(f"/jobs/{long}/cancel").status_code == 202
    cancelled = wait_until("the cancel", lambda: ended(one, long), 60)
    assert cancelled["status"] == "cancelled" and cancelled["roster_id"] is not None, cancelled
    assert cancelled["elapsed"] < 60
    planned = wait_until("the tour plan", lambda: ended(two, tour.json()["id"], "/tour-jobs"), 120)
    assert planned["status"] == "succeeded" and planned["version"] == 1, planned
    assert two.get(f"/tours/{planned['plan_id']}/check").json()["ok"]
    _phase("a cancel across the APIs; a tour plan")

    # kill -9 of the worker running a job: the other worker runs it again; a roster, whole
    doomed = submit(two, 3)
    running = wait_until(
        "the job running", lambda: (job := _job(one, doomed))["status"] == "running" and job, 120
    )
    queue = one.get("/jobs/queue").json()
    [holder] = [j["owner"] for j in queue["running_jobs"] if j["id"] == doomed]
    pid = _worker_pid(holder)
    victim = next(name for name, p in cluster.processes.items() if p.pid == pid)
    assert victim.startswith("worker") and running["started_at"] is not None

    def children_of(parent: int) -> list[int]:
        try:
            return [
                int(c)
                for task in Path(f"/proc/{parent}/task").glob("*")
                for c in (task / "children").read_text().split()
            ]
        except (FileNotFoundError, ProcessLookupError):
            return []

    def children() -> list[int]:  # the fork server and the solve process it forked, or a spawned one
        first = children_of(pid)
        return first + [g for c in first for g in children_of(c)]

    victim_health = health[2 + int(victim[-1]) - 1]
    seen = httpx.get(victim_health, timeout=5).json()  # the worker says what it runs, by kind
    assert seen["running"]["roster"] == [doomed] and seen["running_jobs"] == [doomed], seen
    assert set(seen["running"]) == {"roster", "tour"} and seen["queue"]["roster"]["running"] >= 1, seen

    solvers = wait_until("the solve process", children, 60)
    os.kill(pid, signal.SIGKILL)
    cluster.processes[victim].wait(10)
    killed = time.monotonic()
    wait_until("the orphaned solve to end", lambda: not any(_alive(c) for c in solvers), 15)

    def moved() -> dict[str, Any] | None:  # queued again, or already taken by the other worker
        job = _job(two, doomed)
        return job if job["status"] != "running" or job["started_at"] != running["started_at"] else None

    requeued = wait_until("the retry", moved, 60)
    assert time.monotonic() - killed <= STALLED_AFTER + 2 * HEARTBEAT + 10  # bounded, as set
    assert requeued["status"] in ("queued", "running", "succeeded"), requeued  # retried, not interrupted
    done = wait_until("the retried job", lambda: ended(one, doomed), 120)
    assert done["status"] == "succeeded" and done["roster_id"] is not None, done
    assert done["started_at"] > running["started_at"]  # a second run, on the other worker
    survivor = next(a for name, a in zip(("worker1", "worker2"), health[2:], strict=True) if name != victim)
    assert httpx.get(survivor, timeout=5).json()["status"] == "ok"
    _phase("a killed worker's job retried")

    # nothing lost: every job ended; every roster is whole (its duties all stored) and refereed
    jobs = one.get("/jobs", params={"limit": 100}).json()["items"]
    assert sorted(j["id"] for j in jobs) == sorted([*plain, long, doomed])
    assert all(j["status"] in ("succeeded", "cancelled") and j["roster_id"] is not None for j in jobs), jobs
    for j in jobs:
        roster = two.get(f"/rosters/{j['roster_id']}").json()
        assert roster["assignments"] > 0
    status = two.get("/jobs/queue").json()
    assert status["queued"] == 0 and status["running"] == 0
    assert status["other_kinds"] == {"tour": {"queued": 0, "running": 0}}
    idle = httpx.get(survivor, timeout=5).json()  # the worker's view of the queue is the API's
    assert idle["queue"] == {"roster": {"queued": 0, "running": 0}, "tour": {"queued": 0, "running": 0}}
    assert idle["running"] == {"roster": [], "tour": []}
    tours = two.get("/tour-jobs").json()["items"]
    assert [(t["id"], t["status"]) for t in tours] == [(planned["id"], "succeeded")]
