"""Curtois & Qu benchmark: the plain CP-SAT model and ours, against the published optima.

    python -m bench.curtois [--time-limit 30] [--instances Instance1 Instance2 ...]
                            [--dir bench/curtois/instances] [--ours-limits 10 60] [--out FILE]
                            [--lns] [--no-columns]

For each instance: the best known value (published), the plain model (`bench/curtois/plain.py`)
at the time limit (objective, proven bound, seconds to its first solution), and ours
(`solver.solve` on the scenario `solver.io.curtois.to_scenario` writes) at each of
`--ours-limits`. Every schedule is verified by `bench/curtois/evaluate.py`, written from the
benchmark's rules: no hard violation, and the objective the solver claims is the benchmark's.
The table also gives ours' bound, status, gap to the best known and time to the first roster
at the longest limit, and the load average of the machine before and after the run (the figures
are wall-clock: a loaded machine makes them pessimistic). A benchmark reports figures; it asserts
nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.curtois.evaluate import evaluate
from bench.curtois.plain import solve_plain
from bench.machine import machine
from solver.io.curtois import (
    CurtoisInstance,
    CurtoisSolutionError,
    read_instance,
    schedule_from_assignments,
    to_scenario,
)

INSTANCES = Path(__file__).resolve().parent / "instances"
NOT_LOADED = "n/a (v2 rules not loaded)"


@dataclass(frozen=True)
class Known:
    value: int
    lower: int
    """Proven lower bound; equal to `value` when the value is proven optimal."""

    def __str__(self) -> str:
        return f"{self.value:,} (opt)" if self.lower == self.value else f"{self.value:,} (≥ {self.lower:,})"


# Published values of Instances 1-24 (objective = the benchmark's, minimised).
# - Instances 1-8: proven optima, from the README of the instance files (/work/shared/bench/curtois),
#   i.e. schedulingbenchmarks.org ("Shift scheduling benchmark data sets").
# - Instances 9, 13, 14, 16, 17, 18 (proven, lower bound = upper bound) and 15, 19 (best solution
#   and lower bound): "New solutions from Pieter Smet (KU Leuven) using Integer Programming" on
#   http://www.schedulingbenchmarks.org/changes.html (which also lists Instance08 1300 as proven).
# - Instances 10, 11, 12, 20-24: no value found that could be checked against the benchmark's own
#   pages ("?"). The same changes page lists older solutions for 20-24 (Strandmark, branch and
#   price: 4943, 21159, 33155, 17428, 48777) that later work may have improved.
BEST_KNOWN: dict[str, Known] = {
    "Instance1": Known(607, 607),
    "Instance2": Known(828, 828),
    "Instance3": Known(1001, 1001),
    "Instance4": Known(1716, 1716),
    "Instance5": Known(1143, 1143),
    "Instance6": Known(1950, 1950),
    "Instance7": Known(1056, 1056),
    "Instance8": Known(1300, 1300),
    "Instance9": Known(439, 439),
    "Instance13": Known(1348, 1348),
    "Instance14": Known(1278, 1278),
    "Instance15": Known(3834, 3823),
    "Instance16": Known(3225, 3225),
    "Instance17": Known(5746, 5746),
    "Instance18": Known(4459, 4459),
    "Instance19": Known(3149, 3148),
}


@dataclass
class Row:
    instance: str
    staff: int
    days: int
    shifts: int
    booleans: int = 0
    plain_status: str = ""
    plain_objective: int | None = None
    plain_bound: int | None = None
    plain_first: float | None = None
    plain_check: str = ""
    ours: dict[float, Ours] = field(default_factory=dict)


@dataclass
class Ours:
    """One run of our solver: its cell, and the figures of the longest run's columns."""

    cell: str
    objective: int | None = None
    bound: int | None = None
    first: float | None = None
    """Seconds from the start of the solve (conversion and loading included) to its first roster."""
    status: str = ""


def verdict(instance: CurtoisInstance, schedule: dict[tuple[str, int], str], claimed: int | None) -> str:
    """`ok` when the evaluator finds no hard violation and the objective `claimed`."""
    ev = evaluate(instance, schedule)
    problems = [str(v) for v in ev.violations[:3]]
    if len(ev.violations) > 3:
        problems.append(f"… {len(ev.violations)} violations in all")
    if claimed != ev.objective:
        problems.append(f"claims {claimed}, evaluator {ev.objective}")
    return "ok" if not problems else "FAILED: " + "; ".join(problems)


def run_ours(
    instance: CurtoisInstance,
    time_limit: float,
    workers: int,
    seed: int,
    lns: bool = False,
    columns: bool = True,
) -> Ours:
    """Our solver on the converted scenario: its cell in the table and its figures."""
    try:
        from solver.io.errors import InvalidDocument
        from solver.io.load import scenario_from_dict
        from solver.solve import SolveOptions, solve
        from solver.solve.options import Progress
    except ImportError as exc:  # the modules are being restructured
        return Ours(f"n/a ({exc})")
    started = time.monotonic()
    first: list[float] = []

    def progress(p: Progress) -> None:
        if p.objective is not None and not first:
            first.append(time.monotonic() - started)

    try:
        scenario = scenario_from_dict(to_scenario(instance))
    except InvalidDocument as exc:
        print(f"{instance.name}: the scenario loader rejects the document: {exc.errors[:2]}", file=sys.stderr)
        return Ours(NOT_LOADED)
    try:
        roster = solve(
            scenario,
            SolveOptions(time_limit=time_limit, workers=workers, seed=seed, lns=lns, columns=columns),
            on_progress=progress,
        )
    except Exception as exc:  # a benchmark reports a crash of the solver under test and goes on
        traceback.print_exc()
        return Ours(f"error: {type(exc).__name__}: {exc}")
    if roster.objective is None:
        return Ours(roster.status, status=roster.status)
    if not first:  # (a roster found and returned by one search, without a progress report)
        first.append(time.monotonic() - started)
    try:
        schedule = schedule_from_assignments(instance, roster.assignments)
    except CurtoisSolutionError as exc:
        return Ours(f"{roster.objective:,} FAILED: {exc.problems[0][1]}")
    check = verdict(instance, schedule, roster.objective)
    cell = f"{roster.objective:,}" + ("" if check == "ok" else f" {check}")
    return Ours(cell, roster.objective, roster.bound, round(first[0], 2), roster.status)


def measure(
    path: Path,
    time_limit: float,
    ours_limits: list[float],
    workers: int,
    seed: int,
    lns: bool = False,
    columns: bool = True,
) -> Row:
    instance = read_instance(path)
    row = Row(instance.name, len(instance.staff), instance.days, len(instance.shifts))
    plain = solve_plain(instance, time_limit, workers=workers, seed=seed)
    row.booleans = plain.booleans
    row.plain_status, row.plain_objective, row.plain_bound = plain.status, plain.objective, plain.bound
    row.plain_first = plain.first_solution_seconds
    row.plain_check = (
        verdict(instance, plain.schedule, plain.objective) if plain.objective is not None else "–"
    )
    for limit in ours_limits:
        row.ours[limit] = run_ours(instance, limit, workers, seed, lns, columns)
        print(f"{instance.name} ours @{limit:g} s: {row.ours[limit]}", file=sys.stderr, flush=True)
    return row


def fmt(value: Any) -> str:
    return "–" if value is None else f"{value:,}" if isinstance(value, int) else str(value)


def gap(objective: int | None, best: int | None) -> str:
    if objective is None or not best:
        return "–"
    return f"{100 * (objective - best) / best:.1f} %"


def table(
    rows: list[Row], time_limit: float, ours_limits: list[float], workers: int, seed: int, load: str = ""
) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    last = max(ours_limits) if ours_limits else None
    ours_cols = [f"ours @{limit:g} s" for limit in ours_limits]
    tail = f"@{last:g} s" if last is not None else ""
    extra = [f"bound {tail}", f"status {tail}", f"gap {tail}", "first roster (s)"] if last is not None else []
    lines = [
        f"Machine: {machine()}. Date: {when}. Plain model: time limit {time_limit:g} s, {workers} CP-SAT "
        f"workers, seed {seed}. Ours: `solver.solve` on the converted scenario, {workers} workers."
        + (f" Load average (1 min) {load}." if load else ""),
        "",
        "| instance | staff | days | shifts | best known | "
        + " | ".join([*ours_cols, *extra])
        + " | plain obj | plain bound | plain status | plain gap | plain first (s) | plain check |",
        "|---|--:|--:|--:|--:|"
        + "--:|" * len(ours_cols)
        + "--:|---|--:|--:|"[: 4 * len(extra)]
        + "--:|--:|---|--:|--:|---|",
    ]
    for r in rows:
        known = BEST_KNOWN.get(r.instance)
        best = known.value if known else None
        final = r.ours.get(last) if last is not None else None
        extra_cells = (
            [
                fmt(final.bound) if final else "–",
                final.status if final and final.status else "–",
                gap(final.objective, best) if final else "–",
                fmt(final.first) if final else "–",
            ]
            if last is not None
            else []
        )
        cells = [
            r.instance,
            str(r.staff),
            str(r.days),
            str(r.shifts),
            str(known) if known else "?",
            *(r.ours[limit].cell if limit in r.ours else "–" for limit in ours_limits),
            *extra_cells,
            fmt(r.plain_objective),
            fmt(r.plain_bound),
            r.plain_status,
            gap(r.plain_objective, best),
            fmt(r.plain_first),
            r.plain_check,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "best known: published value, (opt) when proven optimal, else (≥ the published lower bound); "
        "sources in `bench/curtois/__main__.py`. ours: the objective of `solver.solve` at that time "
        "limit, with the verdict of `bench/curtois/evaluate.py` (written from the benchmark's rules, "
        "independent of the converter) when it is not ok (ok = no hard violation and the objective "
        f"the solver claims). bound, status, gap (objective above the best known) and first roster "
        f"(seconds from the start, conversion included, to the first complete roster) are of ours "
        f"{tail}. plain: the plain model (`bench/curtois/plain.py`) at {time_limit:g} s; plain first: "
        "seconds to its first solution; plain check: its schedule judged by the evaluator.",
    ]
    return "\n".join(lines)


def instance_number(path: Path) -> tuple[int, str]:
    digits = re.findall(r"\d+", path.stem)
    return (int(digits[-1]) if digits else 0, path.stem)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds for the plain model")
    parser.add_argument("--instances", nargs="+", default=None, help="names (default: every file in --dir)")
    parser.add_argument("--dir", type=Path, default=INSTANCES, help="folder of InstanceN.txt files")
    parser.add_argument(
        "--ours-limits", type=float, nargs="*", default=[10.0, 60.0], help="time limits for ours (none: skip)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--lns", action="store_true", help="ours with solver.solve.lns (SolveOptions.lns)")
    parser.add_argument(
        "--no-columns",
        action="store_true",
        help="ours without column generation (SolveOptions.columns off: CP-SAT's search alone)",
    )
    parser.add_argument("--out", type=Path, default=None, help="write the report (markdown) to this file")
    args = parser.parse_args(argv)
    if args.instances:
        paths = [args.dir / (n if n.endswith(".txt") else f"{n}.txt") for n in args.instances]
    else:
        paths = sorted(args.dir.glob("*.txt"), key=instance_number)
    missing = [str(p) for p in paths if not p.is_file()]
    if missing or not paths:
        sys.exit(f"no such instance file(s): {', '.join(missing) or args.dir}")
    load_before = os.getloadavg()[0]
    rows = []
    for path in paths:
        row = measure(
            path, args.time_limit, args.ours_limits, args.workers, args.seed, args.lns, not args.no_columns
        )
        print(json.dumps(row.__dict__, default=str), file=sys.stderr, flush=True)
        rows.append(row)
    load = f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    text = table(rows, args.time_limit, args.ours_limits, args.workers, args.seed, load)
    print(text)
    if args.out is not None:
        args.out.write_text(
            "# Curtois & Qu shift-scheduling benchmark\n\n"
            "Every number below comes from `python -m bench.curtois"
            + (f" --time-limit {args.time_limit:g}" if args.time_limit != 30 else "")
            + f" --out {args.out}` (see `bench/curtois/__main__.py`).\n\n"
            + text
            + "\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
