"""Load at a fixed arrival rate (issue 10): requests are sent on a fixed schedule (`--rate` per
second, open loop) by a pool of `--clients` connections (16 and 64 by default), whatever the
answers take; a request's latency counts from when it was due, so queueing in the client is
included (no coordinated omission). Reports per pool size: requests, answered per second, p50 and
p99 latency, 503s (the service refusing under overload, with Retry-After) and other errors
(timeouts, 5xx, connection failures).

The service runs as `bench.api_load` starts it (one uvicorn process on 127.0.0.1, a fresh SQLite
database in a temporary folder, or `--database-url`), with a scenario imported, solved and
published (`--scenario`, default example-small). The mix: on duty at a post at an instant,
an officer's schedule, a post's duties. Only loopback is used; every loop is bounded by
`--duration`.

    python -m bench.load --duration 20            # 16 and 64 clients, 20 s each
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

from bench import api_load
from bench.machine import machine

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Outcome:
    clients: int
    rate: float
    duration: float
    latencies: list[float] = field(default_factory=list)
    overloaded: int = 0
    errors: int = 0
    kinds: dict[str, int] = field(default_factory=dict)

    def row(self) -> str:
        answered = len(self.latencies)
        ms = sorted(x * 1000 for x in self.latencies)
        p50 = statistics.median(ms) if ms else float("nan")
        p99 = ms[min(len(ms) - 1, int(0.99 * len(ms)))] if ms else float("nan")
        total = answered + self.overloaded + self.errors
        return (
            f"| {self.clients} | {self.rate:g} | {total} | {answered / self.duration:.0f} | {p50:.1f} | "
            f"{p99:.1f} | {self.overloaded} | {self.errors} |"
        )


async def run(
    base: str,
    token: str,
    posts: list[str],
    officers: list[str],
    start: date,
    clients: int,
    args: argparse.Namespace,
) -> Outcome:
    rng = random.Random(clients)
    outcome = Outcome(clients, args.rate, args.duration)
    headers = {"Authorization": f"Bearer {token}"}
    slots = asyncio.Semaphore(clients)

    def path() -> str:
        at = datetime.combine(start, datetime.min.time()) + timedelta(minutes=rng.randrange(7 * 24 * 60))
        return rng.choice(
            [
                f"/on-duty?post={rng.choice(posts)}&at={at:%Y-%m-%dT%H:%M}",
                f"/officers/{rng.choice(officers)}/schedule?limit=50",
                f"/duties?post={rng.choice(posts)}&limit=100",
            ]
        )

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=args.timeout
    ) as client:

        async def one(due: float, url: str) -> None:
            async with slots:
                try:
                    response = await client.get(url)
                except httpx.HTTPError as exc:
                    outcome.errors += 1
                    kind = type(exc).__name__
                    outcome.kinds[kind] = outcome.kinds.get(kind, 0) + 1
                    return
            if response.status_code == 503:
                outcome.overloaded += 1
            elif response.status_code >= 400:
                outcome.errors += 1
                outcome.kinds[str(response.status_code)] = outcome.kinds.get(str(response.status_code), 0) + 1
            else:
                outcome.latencies.append(time.perf_counter() - due)

        tasks = []
        begin = time.perf_counter()
        count = int(args.rate * args.duration)
        for i in range(count):
            due = begin + i / args.rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(due, path())))
        await asyncio.gather(*tasks)
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second, fixed")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per pool size")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds before a request is an error")
    parser.add_argument("--scenario", type=Path, default=REPO / "data" / "example-small.json")
    parser.add_argument("--time-limit", type=float, default=5.0, help="seconds to solve the scenario")
    parser.add_argument("--database-url", help="an empty database; default: SQLite in a temporary folder")
    args = parser.parse_args()

    api_load.SCENARIO = args.scenario
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        token, posts, officers, start = api_load.prepare(url, args.time_limit)
        with api_load.serve(url) as base:
            outcomes = [asyncio.run(run(base, token, posts, officers, start, n, args)) for n in args.clients]

    backend = url.split(":", 1)[0].split("+")[0]
    load_average = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"Fixed-rate load, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}, load average {load_average}"
    )
    print(f"{backend}, one uvicorn process, {args.scenario.name}, {args.duration:g} s per pool size")
    print()
    print("| clients | rate /s | requests | answered /s | p50 ms | p99 ms | 503 | errors |")
    print("|--:|--:|--:|--:|--:|--:|--:|--:|")
    for o in outcomes:
        print(o.row())
    for o in outcomes:
        if o.kinds:
            print(f"errors with {o.clients} clients: {o.kinds}", file=sys.stderr)


if __name__ == "__main__":
    main()
