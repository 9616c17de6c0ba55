"""What a job solves, and what runs inside a job's worker process.

`solve_job` is the one place a job's solve is called: `solver.solve.solve` for a roster job, or
`solver.replan.replan` for a change's re-plan (the published roster as baseline, the past before
`now` kept). The runner calls it in a spawned process (`solve_in_process`), the command line in
its own (`app.jobs.inline`).

Only plain data crosses the process boundary: the scenario document and the `JobSpec` in, and
tuples out on the queue: `("progress", {...})`, then exactly one `("result", roster_document)` or
`("error", message)`.

A worker process dies with its parent: `watch_parent` polls `os.getppid()` and ends the process
as soon as the parent that started it is gone (kill -9 of the service included), so no solve
runs on orphaned.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from typing import Any

from solver import domain as d
from solver.io.load import scenario_from_dict
from solver.io.roster import roster_to_dict
from solver.replan import replan
from solver.solve import SolveOptions, solve
from solver.solve.options import Progress


@dataclass(frozen=True)
class Replan:
    """What a change's re-plan solves with besides its scenario."""

    now: datetime
    affected_units: Sequence[str]
    following: Sequence[d.Assignment]


@dataclass(frozen=True)
class JobSpec:
    time_limit: float
    workers: int
    replan: Replan | None = None


def solve_job(
    scenario: d.Scenario,
    spec: JobSpec,
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> d.Roster:
    options = SolveOptions(time_limit=spec.time_limit, workers=spec.workers)
    if spec.replan is None:
        return solve(scenario, options, on_progress, should_stop)
    return replan(
        scenario,
        scenario.baseline,
        now=spec.replan.now,
        options=options,
        on_progress=on_progress,
        should_stop=should_stop,
        affected_units=spec.replan.affected_units,
        following=spec.replan.following,
    )


PARENT_POLL_SECONDS = 0.5
ORPHANED_EXIT_CODE = 3


def watch_parent(parent_pid: int, interval: float = PARENT_POLL_SECONDS) -> threading.Thread:
    """A daemon thread ending this process (exit code 3) once the process that started it
    (`parent_pid`: the service or `roster worker`) is gone. Spawned, that process is our parent:
    it died when we are handed to another (init or a subreaper). Forked by a fork server, the
    server is our parent and `parent_pid` its own: the server ends as soon as `parent_pid` dies
    (it reads the end of a pipe from it), so our parent changes then too; `parent_pid` gone from
    the process table is the second sign."""
    first = os.getppid()

    def gone() -> bool:
        if os.getppid() != first or first == 1:  # handed to init: orphaned before we looked
            return True
        if parent_pid == first:
            return False
        try:
            os.kill(parent_pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False  # alive, someone else's (cannot happen for our own starter; be safe)
        return False

    def watch() -> None:
        while True:
            if gone():
                os._exit(ORPHANED_EXIT_CODE)
            time.sleep(interval)

    thread = threading.Thread(target=watch, name="watch-parent", daemon=True)
    thread.start()
    return thread


def solve_in_process(
    scenario_document: dict[str, Any],
    spec: JobSpec,
    events: Queue[Any],
    stop: Event,
    parent_pid: int | None = None,
) -> None:
    # Ctrl-C in the terminal reaches the whole process group: the service decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent_pid is not None:
        watch_parent(parent_pid)
    try:

        def on_progress(p: Progress) -> None:
            events.put(
                (
                    "progress",
                    {"elapsed": p.elapsed, "objective": p.objective, "bound": p.bound, "phase": p.phase},
                )
            )

        roster = solve_job(scenario_from_dict(scenario_document), spec, on_progress, stop.is_set)
        events.put(("result", roster_to_dict(roster)))
    except BaseException as exc:  # report everything: the supervisor must never wait for nothing
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        events.put(("error", detail))
