"""Solver benchmark: the plain model and ours on the same generated scenarios, same time limit.

    python -m bench.solver_bench [--time-limit 60] [--scenarios s1,s4,s10,s1x28] [--out bench/README.md]

Each run is a fresh process (so peak memory is its own); both rosters are verified by the
referee (`roster check`). Prints a markdown table and, with --out, rewrites the solver section
of bench/README.md. A benchmark reports figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.machine import machine

SCENARIOS = {
    "s1": (1, 7),
    "s4": (4, 7),
    "s10": (10, 7),
    "s1x28": (1, 28),
}
PLAIN_LIMIT = 2_000_000
"""The plain model is not built beyond this many officer x slot Booleans (it would not fit)."""
SNAPSHOTS = (2.0, 10.0, 60.0)


@dataclass
class Run:
    scenario: str
    method: str
    posts: int = 0
    officers: int = 0
    booleans: int = 0
    first_seconds: float | None = None
    first_objective: int | None = None
    at: dict[float, int | None] = field(default_factory=dict)
    objective: int | None = None
    bound: int | None = None
    shortfall: int | None = None
    missing_seats: int | None = None
    seconds: float | None = None
    peak_mb: float | None = None
    checked: str = ""
    note: str = ""


def scenario_of(name: str) -> Any:
    from data.generate_zhangye import generate
    from solver.io.load import scenario_from_dict

    scale, days = SCENARIOS[name]
    return scenario_from_dict(generate(scale=scale, days=days))


def _child(name: str, method: str, time_limit: float, workers: int, queue: Any) -> None:
    from solver.check import check_roster
    from solver.solve import SolveOptions, solve
    from solver.solve.options import Progress

    scenario = scenario_of(name)
    run = Run(name, method, len(scenario.posts), len(scenario.officers))
    run.booleans = len(scenario.officers) * len(scenario.slots())
    if method == "plain" and run.booleans > PLAIN_LIMIT:
        run.note = f"not built: {run.booleans:,} Booleans"
        queue.put(run)
        return
    timeline: list[Progress] = []
    started = time.monotonic()
    roster = solve(
        scenario,
        SolveOptions(time_limit=time_limit, workers=workers, method=method),
        on_progress=timeline.append,
    )
    run.seconds = round(time.monotonic() - started, 1)
    found = [p for p in timeline if p.objective is not None]
    if found:
        run.first_seconds = round(found[0].elapsed, 2)
        run.first_objective = found[0].objective
    for t in SNAPSHOTS:
        seen = [p.objective for p in found if p.elapsed <= t and p.objective is not None]
        run.at[t] = min(seen) if seen else None
    run.objective, run.bound = roster.objective, roster.bound
    if roster.score is not None:
        run.shortfall = roster.score.shortfall
        run.missing_seats = sum(s.missing for s in roster.shortfalls)
        report = check_roster(scenario, roster, roster.score.as_dict())
        run.checked = "ok" if report.ok else f"FAILED ({len(report.violations)} violations)"
    else:
        run.checked = "no roster"
    run.peak_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)
    queue.put(run)


def measure(name: str, method: str, time_limit: float, workers: int) -> Run:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(name, method, time_limit, workers, queue))
    proc.start()
    run = queue.get()
    proc.join()
    return run


def week_blocks(s: Any) -> list[Any]:
    """The horizon cut into weeks, each a relaxation of its part of the whole: the first keeps the
    scenario's history, the others none (the weeks before them are left out), pins stay in their
    week, and requests and baseline go (they do not bear on shortfall). A roster of the whole
    horizon, cut at the same dates, is a roster of every block, so the least shortfall of the
    whole is at least the sum of the blocks' least shortfalls."""
    from dataclasses import replace

    blocks = []
    for first in range(0, s.days, 7):
        start, days = s.start + timedelta(days=first), min(7, s.days - first)
        officers = tuple(replace(o, requests=(), history=o.history if first == 0 else ()) for o in s.officers)
        pinned = tuple(a for a in s.pinned if start <= a.date < start + timedelta(days=days))
        blocks.append(
            replace(
                s, start=start, days=days, officers=officers, pinned=pinned, baseline=(), frozen_until=None
            )
        )
    return blocks


def shortfall_floor(name: str, seconds: float) -> tuple[int, bool]:
    """The least shortfall any roster can have (a lower bound of it; proven: the least), from the
    ShiftModel minimising shortfall alone, per week block and per independent part."""
    from ortools.sat.python import cp_model

    from solver.model.shift import ShiftModel
    from solver.rules import build
    from solver.solve.components import components

    blocks = week_blocks(scenario_of(name))
    total, proven = 0, len(blocks) == 1  # the sum over several weeks is a bound, not the least
    for block in blocks:
        for part in components(block):
            model = build(ShiftModel(part))
            model.cp.minimize(sum(p.weight * p.expr for p in model.penalties if p.term == "shortfall"))
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 2
            solver.parameters.max_time_in_seconds = seconds
            # the solver's own light presolve (reaches a bound sooner on large models)
            solver.parameters.symmetry_level = 0
            solver.parameters.max_presolve_iterations = 1
            solver.parameters.cp_model_probing_level = 0
            status = solver.solve(model.cp)
            total += int(solver.best_objective_bound + 0.999)
            proven &= status == cp_model.OPTIMAL
    return total, proven


def fmt(value: Any) -> str:
    return "–" if value is None else f"{value:,}" if isinstance(value, int) else str(value)


def gap(run: Run) -> str:
    if run.objective is None or run.bound is None or run.objective == 0:
        return "–"
    return f"{100 * (run.objective - run.bound) / run.objective:.2f} %"


def ratio(ours: int | float | None, plain: int | float | None) -> str:
    if ours is None or plain is None or plain == 0:
        return "–"
    return f"{ours / plain:.3f}"


def table(runs: list[Run], floors: dict[str, tuple[int, bool]], time_limit: float, workers: int) -> str:
    lines = [
        f"Machine: {machine()}. Date: {date.today()}. Time limit {time_limit:g} s, "
        f"{workers} CP-SAT workers, one fresh process per run.",
        "",
        "| scenario | method | posts | officers | first roster (s) | obj @2 s | obj @10 s | obj @60 s "
        "| final | bound | gap | avoidable shortfall | peak MB | check |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    built = [r for r in runs if r.method == "plain" and r.peak_mb and r.booleans]
    per_boolean = max((r.peak_mb or 0) * 1e6 / r.booleans for r in built) if built else None
    for r in runs:
        if r.note.startswith("not built") and per_boolean is not None:
            estimate = r.booleans * per_boolean / 1e9
            r.note += f" (≈{estimate:.0f} GB at the {per_boolean / 1e3:.1f} kB each measured above)"
        floor, proven = floors.get(r.scenario, (None, False))
        avoidable = "–"
        if r.shortfall is not None and floor is not None:
            avoidable = f"{r.shortfall - floor:,}" + ("" if proven or r.shortfall == floor else " (≤)")
        lines.append(
            f"| {r.scenario} | {r.method} | {r.posts} | {r.officers} | {fmt(r.first_seconds)} | "
            f"{fmt(r.at.get(2.0))} | {fmt(r.at.get(10.0))} | {fmt(r.at.get(60.0))} | {fmt(r.objective)} | "
            f"{fmt(r.bound)} | {gap(r)} | {avoidable} | {fmt(r.peak_mb)} | {r.checked or r.note} |"
        )
    lines += [
        "",
        "Ratios ours / plain (lower is better):",
        "",
        "| scenario | first roster time | obj @2 s | obj @10 s | obj @60 s | final |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    by = {(r.scenario, r.method): r for r in runs}
    for name in dict.fromkeys(r.scenario for r in runs):
        ours, plain = by.get((name, "decomposed")), by.get((name, "plain"))
        if ours is None or plain is None:
            continue
        cells = [
            ratio(ours.first_seconds, plain.first_seconds),
            *(ratio(ours.at.get(t), plain.at.get(t)) for t in SNAPSHOTS),
            ratio(ours.objective, plain.objective),
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "obj @T: best objective reported by T seconds (– : none yet). Avoidable shortfall: the roster's "
        "shortfall cost minus the least shortfall cost of any roster (CP-SAT minimising shortfall alone per "
        "part and per week of the horizon, each week a relaxation; ≤ when the least was not proven).",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scenarios", default="s1,s4,s10,s1x28")
    parser.add_argument("--methods", default="plain,decomposed")
    parser.add_argument("--out", type=Path, default=None, help="rewrite the solver section of this README")
    args = parser.parse_args()
    names = [n for n in args.scenarios.split(",") if n]
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        sys.exit(f"unknown scenario(s) {unknown}; choose from {sorted(SCENARIOS)}")
    runs, floors = [], {}
    for name in names:
        floors[name] = shortfall_floor(name, 30.0)
        for method in args.methods.split(","):
            run = measure(name, method, args.time_limit, args.workers)
            print(json.dumps(run.__dict__, default=str), file=sys.stderr, flush=True)
            runs.append(run)
    text = table(runs, floors, args.time_limit, args.workers)
    print(text)
    if args.out is not None:
        update_readme(args.out, text)


def update_readme(path: Path, text: str) -> None:
    start, end = "<!-- solver-bench:start -->", "<!-- solver-bench:end -->"
    block = f"{start}\n{text}\n{end}"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if start in current and end in current:
        before, rest = current.split(start, 1)
        after = rest.split(end, 1)[1]
        current = before + block + after
    else:
        current = current.rstrip() + "\n\n## Solver\n\n" + block + "\n"
    path.write_text(current, encoding="utf-8")


if __name__ == "__main__":
    main()
