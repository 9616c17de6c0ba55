"""Fan-out on the procrastinate engine: a province (the generator's `--scale K`, K copies of the
city) solved as one roster job by 1, 2 and 4 `roster worker` processes, and the speed-up to
expect on 10 machines from the sizes of its independent parts.

    python -m data.generate_zhangye --scale 10 --out /tmp/zhangye-k10.json
    python -m bench.jobs_bench /tmp/zhangye-k10.json --time-limit 20 --workers 1 2 4 [--cities 3]
    python -m bench.jobs_bench /tmp/zhangye-k20.json --time-limit 20 --expected-only

For each worker count: a fresh PostgreSQL database (next to ROSTER_TEST_POSTGRES_URL), the
scenario imported, N workers started (one job at a time each, one CP-SAT thread per job), one
job for every unit and the whole week submitted, and the wall time from its submission until its
merged roster is stored (the referee has checked it). The expected speed-up on M machines
assumes each part takes its share of the time limit (what fan-out gives it: the limit times its
size, officers × slots, over the total, at least a second): the parts' times summed, over the
longest machine's load when the parts are dealt largest first to the least loaded machine (LPT).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.accounts import service as accounts
from app.accounts.models import ApiToken
from app.core.clock import utcnow
from app.core.db import make_engine, make_session_factory, transaction
from app.core.migrate import upgrade
from app.core.security import token_digest
from app.jobs.fanout import bundles, deal, part_limits
from app.jobs.queue import apply_schema
from app.reference.transfer import import_scenario
from bench.machine import machine
from solver.io.load import load_scenario
from solver.solve.components import components, part_of

REPO = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("ROSTER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TOKEN = "bench-token-admin-0123456789abcdef"


def expected_speedup(limits: list[float], machines: int) -> float:
    """Sum of the parts' times over the makespan of the largest-first (LPT) schedule."""
    return sum(limits) / max(sum(limits[i] for i in machine) for machine in deal(limits, machines))


def _database() -> tuple[str, Any]:
    base = make_url(POSTGRES_URL)
    name = f"roster_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


def _seed(url: str, document: dict[str, Any]) -> None:
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as s:
        import_scenario(s, document, False, None)
        user = accounts.create_user(s, "bench", "admin", "bench-password-123", [], None)
        s.add(
            ApiToken(
                user_id=user.id,
                token_hash=token_digest(TOKEN),
                created_at=utcnow(),
                expires_at=utcnow() + timedelta(days=1),
            )
        )
    engine.dispose()


def run(
    document: dict[str, Any], units: list[str], workers: int, time_limit: float, logs: Path
) -> dict[str, Any]:
    url, drop = _database()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "ROSTER_DATABASE_URL": url,
        "ROSTER_JOBS__ENGINE": "procrastinate",
        "ROSTER_JOBS__MAX_CONCURRENT": "1",
        "ROSTER_SOLVER__WORKERS": "1",
        "ROSTER_SOLVER__MAX_TIME_LIMIT": str(max(60.0, time_limit)),
    }
    processes: list[subprocess.Popen[bytes]] = []
    try:
        upgrade(url)
        apply_schema(url)
        _seed(url, document)
        port = 18600 + workers

        def start(*args: str, name: str) -> None:
            out = (logs / f"{name}.log").open("wb")
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "app.cli", *args], cwd=REPO, env=env, stdout=out, stderr=out
                )
            )

        start("serve", "--no-migrate", "--port", str(port), name=f"api-{workers}")
        for i in range(workers):
            start("worker", "--no-migrate", "--name", f"w{i + 1}", name=f"worker-{workers}-{i + 1}")
        client = httpx.Client(
            base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60
        )
        deadline = time.monotonic() + 180
        while True:
            try:
                if client.get("/health").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the API did not start"
            time.sleep(0.5)
        time.sleep(3)  # the workers' start-up (their imports) is not part of a solve
        start_day = document["horizon"]["start"]
        submitted = time.monotonic()
        job = client.post(
            "/jobs",
            json={
                "start": start_day,
                "days": document["horizon"].get("days", 7),
                "units": units,
                "time_limit": time_limit,
            },
        ).json()
        while True:
            state = client.get(f"/jobs/{job['id']}").json()
            if state["status"] not in ("queued", "running"):
                break
            time.sleep(0.5)
        wall = time.monotonic() - submitted
        client.close()
        return {
            "workers": workers,
            "wall": wall,
            "status": state["status"],
            "objective": state["objective"],
            "bound": state["bound"],
            "message": state["message"],
            "phase": state["phase"],
        }
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            try:
                p.wait(60)
            except subprocess.TimeoutExpired:
                p.kill()
        drop()


def _city(unit: str) -> str:
    """The copy a unit belongs to: the generator names copy K's units `cK-…` (the first: plain)."""
    head = unit.split("-", 1)[0]
    return head if "-" in unit and head[:1] == "c" and head[1:].isdigit() else "c1"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("scenario", type=Path)
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--machines", type=int, default=10)
    parser.add_argument(
        "--cities", type=int, default=None, help="roster only the first N copies of the city (default: all)"
    )
    parser.add_argument("--logs", type=Path, default=Path("/tmp/jobs_bench_logs"))
    parser.add_argument(
        "--expected-only", action="store_true", help="the parts and the expected speed-ups; no solve"
    )
    args = parser.parse_args()
    args.logs.mkdir(parents=True, exist_ok=True)
    document = json.loads(args.scenario.read_text(encoding="utf-8"))
    scenario = load_scenario(args.scenario)
    parts = bundles(scenario, args.time_limit)
    sizes = [size for _, size in parts]
    limits = part_limits(sizes, args.time_limit)
    print(
        f"{args.scenario.name}: {len(components(scenario))} independent parts in {len(parts)} part jobs, "
        f"sizes (officers x slots) max {max(sizes)}, total {sum(sizes)}; part time limits sum "
        f"{sum(limits):.1f} s, largest {max(limits):.1f} s"
    )
    for m in (2, 4, args.machines):
        print(
            f"expected speed-up on {m} machines (LPT over the parts' limits): "
            f"{expected_speedup(limits, m):.2f}"
        )
    units = [u["id"] for u in document["units"]]
    if args.cities is not None:
        copies = sorted({_city(u) for u in units})
        units = [u for u in units if int(_city(u)[1:]) <= args.cities]
        chosen_parts = bundles(part_of(scenario, set(units)), args.time_limit)
        chosen_limits = part_limits([size for _, size in chosen_parts], args.time_limit)
        print(
            f"measured on the first {args.cities} of {len(copies)} cities: {len(units)} units, "
            f"{len(chosen_parts)} part jobs, part limits sum {sum(chosen_limits):.1f} s; expected speed-up "
            + ", ".join(f"{m}: {expected_speedup(chosen_limits, m):.2f}" for m in (2, 4))
        )
    print(machine(), f"load average {os.getloadavg()[0]:.1f}", flush=True)
    if args.expected_only:
        return
    results = []
    for w in args.workers:
        result = run(document, units, w, args.time_limit, args.logs)
        results.append(result)
        print(json.dumps(result, ensure_ascii=False), flush=True)
    base = results[0]["wall"]
    print("| workers | wall s | speed-up | status | objective | bound |")
    print("|--:|--:|--:|---|--:|--:|")
    for r in results:
        print(
            f"| {r['workers']} | {r['wall']:.1f} | {base / r['wall']:.2f} | {r['status']} "
            f"| {r['objective']} | {r['bound']} |"
        )


if __name__ == "__main__":
    main()
