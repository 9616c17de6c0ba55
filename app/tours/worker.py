"""What runs inside a tour job's worker process: plain data in (`claim`'s dict), tuples out on
the queue: `("progress", {"days_done", "phase"})`, then one `("result", plan_document)` or
`("error", message)`. Started by the job engine's `Supervision` (`app.tours.jobs.TourJobs`): it
dies with its parent, and a stop kills it (a cancelled plan stores nothing). `plan_tours` is also
called in the calling process by `run_tour_job_inline`."""

from __future__ import annotations

import signal
import traceback
from collections.abc import Callable
from datetime import date, datetime
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from typing import Any

from app.jobs.worker import watch_parent
from app.tours.problems import tour_settings
from solver.tours import TourPlan, plan_from_dict, plan_to_dict, problem_from_dict, replan_day, solve_tours


def plan_tours(work: dict[str, Any], on_day: Callable[[date, int], None] | None = None) -> TourPlan:
    problem = problem_from_dict(work["problem"])
    settings = tour_settings(work["settings"])
    if work["replan"] is None:
        return solve_tours(problem, settings, on_day)
    plan = replan_day(
        problem,
        plan_from_dict(work["base"]),
        work["replan"]["supervisor"],
        datetime.fromisoformat(work["replan"]["at"]),
        settings,
    )
    if on_day is not None:
        on_day(datetime.fromisoformat(work["replan"]["at"]).date(), 1)
    return plan


def plan_in_process(
    work: dict[str, Any], events: Queue[Any], stop: Event | None = None, parent_pid: int | None = None
) -> None:
    """`stop` is not polled: the supervisor kills this process to stop it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the service decides when we stop
    if parent_pid is not None:
        watch_parent(parent_pid)
    try:

        def on_day(day: date, done: int) -> None:
            events.put(("progress", {"days_done": done, "phase": f"planned {day.isoformat()}"}))

        events.put(("result", plan_to_dict(plan_tours(work, on_day))))
    except BaseException as exc:  # report everything: the supervisor must never wait for nothing
        events.put(("error", "".join(traceback.format_exception_only(type(exc), exc)).strip()))
