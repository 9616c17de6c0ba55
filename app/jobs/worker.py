"""What runs inside a job's worker process: load the scenario, solve, send progress and the result back.

Only plain data crosses the process boundary: the scenario document and options in (with
`options["replan"]` = {now, affected_units} for a change's re-plan: `solver.repair.replan` then
solves), and tuples out on the queue: `("progress", {...})`, then exactly one
`("result", roster_document)` or `("error", message)`.
"""

from __future__ import annotations

import signal
import traceback
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from typing import Any


def solve_in_process(
    scenario_document: dict[str, Any], options: dict[str, Any], events: Queue[Any], stop: Event
) -> None:
    # Ctrl-C in the terminal reaches the whole process group: the service decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        from solver.roster import roster_to_dict
        from solver.scenario import scenario_from_dict
        from solver.solve import Progress, SolveOptions, solve

        scenario = scenario_from_dict(scenario_document)
        replan_spec = options.pop("replan", None)

        def on_progress(p: Progress) -> None:
            events.put(
                (
                    "progress",
                    {"elapsed": p.elapsed, "objective": p.objective, "bound": p.bound, "phase": p.phase},
                )
            )

        if replan_spec is None:
            roster = solve(scenario, SolveOptions(**options), on_progress, stop.is_set)
        else:  # a change's re-plan: the baseline is the published roster, the past before `now` stays
            from datetime import datetime

            from solver.repair import replan
            from solver.scenario import assignment_from_dict

            roster = replan(
                scenario,
                scenario.baseline,
                now=datetime.fromisoformat(replan_spec["now"]),
                options=SolveOptions(**options),
                on_progress=on_progress,
                should_stop=stop.is_set,
                affected_units=replan_spec["affected_units"],
                following=[assignment_from_dict(x) for x in replan_spec.get("following", [])],
            )
        events.put(("result", roster_to_dict(roster)))
    except BaseException as exc:  # report everything: the supervisor must never wait for nothing
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        events.put(("error", detail))
