"""API load benchmark: latency (p50/p99) and throughput of the main queries on the published
Zhangye week, under concurrent HTTP clients on loopback.

    python -m bench.api_load [--concurrency 16] [--duration 10] [--time-limit 30] [--database-url URL]
                             [--queries cover,...]

It builds a fresh database in a temporary folder (SQLite unless --database-url names an empty
PostgreSQL database), imports data/zhangye-2021-11-08.json, solves and publishes the week, starts
`uvicorn app.main:create_app` on 127.0.0.1 in a child process, then runs each query after a
warm-up, first with one client (latency alone) and then for a fixed time with N concurrent
clients (httpx, HTTP/1.1 keep-alive), and prints one Markdown table. Who-can-cover asks for a
random slot of 甘州大队 (no officer: an extra hand), as the changes page does.
Every loop is bounded by the duration; the server is stopped at the end. Only loopback is used.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

from bench.machine import machine

REPO = Path(__file__).resolve().parent.parent
SCENARIO = REPO / "data" / "zhangye-2021-11-08.json"


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)
    alone: list[float] = field(default_factory=list)
    """Latencies of the same query with a single client (no queueing)."""
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def row(self) -> str:
        lat = sorted(self.latencies)
        p50 = statistics.median(lat) * 1000 if lat else float("nan")
        p99 = lat[min(len(lat) - 1, int(0.99 * len(lat)))] * 1000 if lat else float("nan")
        rate = len(lat) / self.seconds if self.seconds else 0.0
        alone = statistics.median(self.alone) * 1000 if self.alone else float("nan")
        return (
            f"| {self.name} | {alone:.1f} | {len(lat)} | {self.errors} | {rate:.0f} | {p50:.1f} | {p99:.1f} |"
        )


def ganzhou_slots() -> list[tuple[str, str, str]]:
    """(post, shift, date) of every slot of 甘州大队's posts in the week (valid `/cover` queries)."""
    from solver.io.load import load_scenario

    s = load_scenario(SCENARIO)
    units = {p.id: p.unit for p in s.posts}
    return [(x.post, x.shift, x.date.isoformat()) for x in s.slots() if units[x.post] == "ganzhou"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(url: str, repo: Path = REPO) -> Iterator[str]:
    """The service on `url`'s database in a process of its own (uvicorn, a free port, no access
    log), once its health check answers: yields its base URL, stops it afterwards. `repo`: the
    checkout whose `app` it runs (another one: a baseline in the same run)."""
    port = free_port()
    env = {**os.environ, "ROSTER_DATABASE_URL": url}
    command = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--log-level", "warning", "--no-access-log"]
    server = subprocess.Popen(command, cwd=repo, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            sys.exit("the server did not start")
        yield base
    finally:
        server.terminate()
        server.wait(10)


def prepare(url: str, time_limit: float) -> tuple[str, list[str], list[str], date]:
    """Migrate, import, solve and publish; returns an admin token, post ids, officer ids, the start."""
    from rich.console import Console
    from sqlalchemy import select

    from app.accounts import service as auth
    from app.cli.demo import solve_and_publish
    from app.core.config import Settings
    from app.core.db import make_engine, make_session_factory, transaction
    from app.core.migrate import upgrade
    from app.core.security import new_password
    from app.reference.models import DetachmentSettings, Officer, Post
    from app.reference.transfer import import_scenario
    from solver.io.load import read_document

    upgrade(url)
    settings = Settings(database_url=url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with transaction(factory) as s:
        import_scenario(s, read_document(SCENARIO), False, None)
        user = auth.create_user(s, "bench", "admin", new_password(), [], None)
        token, _ = auth.issue_token(s, user, 24)
    console = Console(stderr=True, highlight=False)
    roster_id = solve_and_publish(factory, settings, "bench", time_limit, console)
    if roster_id is None:
        sys.exit("the solve found no roster")
    with factory() as s:
        posts = list(s.scalars(select(Post.id)))
        officers = list(s.scalars(select(Officer.id)))
        start = s.scalar(select(DetachmentSettings.horizon_start))
    engine.dispose()
    assert start is not None
    return token, posts, officers, start


async def run_query(
    client: httpx.AsyncClient,
    name: str,
    make_url: Callable[[random.Random], str],
    concurrency: int,
    duration: float,
) -> Result:
    result = Result(name)
    deadline = time.perf_counter() + duration

    async def worker(seed: int) -> None:
        rng = random.Random(seed)
        while time.perf_counter() < deadline:
            url = make_url(rng)
            started = time.perf_counter()
            try:
                response = await client.get(url)
                kind = "" if response.status_code == 200 else f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                kind = type(exc).__name__
            if not kind:
                result.latencies.append(time.perf_counter() - started)
            else:
                result.errors += 1
                result.error_kinds[kind] = result.error_kinds.get(kind, 0) + 1

    began = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    result.seconds = time.perf_counter() - began
    return result


async def load(
    base: str, token: str, posts: list[str], officers: list[str], start: date, args: argparse.Namespace
) -> list[Result]:
    def instant(rng: random.Random) -> str:
        moment = datetime.combine(start, datetime.min.time()) + timedelta(minutes=rng.randrange(7 * 24 * 60))
        return moment.strftime("%Y-%m-%dT%H:%M")

    slots = ganzhou_slots()
    queries: list[tuple[str, Callable[[random.Random], str]]] = [
        ("on duty at post P at T", lambda r: f"/on-duty?post={r.choice(posts)}&at={instant(r)}"),
        ("everyone on duty at T", lambda r: f"/on-duty?at={instant(r)}"),
        ("officer schedule (week)", lambda r: f"/officers/{r.choice(officers)}/schedule?limit=50"),
        ("post duties (week)", lambda r: f"/duties?post={r.choice(posts)}&limit=100"),
        ("coverage report (week, all units)", lambda r: f"/reports/coverage?start={start.isoformat()}"),
        (
            "who can cover (a Ganzhou slot)",
            lambda r: "/cover?post={}&shift={}&date={}".format(*r.choice(slots)),
        ),
    ]
    if args.queries:
        queries = [q for q in queries if any(word in q[0] for word in args.queries.split(","))]
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    headers = {"Authorization": f"Bearer {token}"}
    results = []
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as client:
        for name, make_url in queries:
            await run_query(client, name, make_url, args.concurrency, min(2.0, args.duration))  # warm-up
            alone = await run_query(client, name, make_url, 1, min(3.0, args.duration))
            result = await run_query(client, name, make_url, args.concurrency, args.duration)
            result.alone = alone.latencies
            results.append(result)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per query")
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds to solve the week")
    parser.add_argument("--database-url", help="an empty database; default: SQLite in a temporary folder")
    parser.add_argument(
        "--queries", help="only the queries whose names contain one of these words (comma-separated)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        token, posts, officers, start = prepare(url, args.time_limit)
        with serve(url) as base:
            results = asyncio.run(load(base, token, posts, officers, start, args))

    backend = url.split(":", 1)[0].split("+")[0]
    load_average = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"API load, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}, load average {load_average}")
    print(
        f"{backend}, one uvicorn process, {args.concurrency} concurrent clients (httpx, keep-alive), "
        f"{args.duration:g} s per query after a warm-up; "
        f"Zhangye week: {len(officers)} officers, {len(posts)} posts"
    )
    print()
    clients = f"{args.concurrency} clients"
    print(f"| query | 1 client: p50 ms | {clients}: requests | errors | req/s | p50 ms | p99 ms |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    for r in results:
        print(r.row())
    for r in results:
        if r.errors:
            print(f"errors in {r.name}: {r.error_kinds}", file=sys.stderr)


if __name__ == "__main__":
    main()
