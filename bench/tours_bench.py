"""Tour-planning benchmark: the routing solver and the nearest-neighbour baseline on the Zhangye week.

    python -m bench.tours_bench [--time-limit-per-day 2] [--roster greedy|solve] [--cases ...] [--out FILE]

46 checkpoints, 5 supervisors, 7 days (data/zhangye-2021-11-08.json). The sample has no
supervisor skill, so the 5 supervisors are duty leaders (skill `leader`) picked from the roster
(a greedy roster, or a CP-SAT one with --roster solve): the 5 of the detachment headquarters unit
`hq` with the fewest duties (the leadership, free to tour most days), or the 5 of any unit with the
most duties (whose own duties cut their windows; ties by id). Cases:

- default: G30/G3011 toll-station checkpoints (priority >= 90) daily, the others every 2 days;
- daily: every checkpoint every day;
- rostered: every checkpoint every day, by the 5 leaders with the most duties (of any unit).

Both plans of each case go through the referee (`check_plan`). A benchmark reports figures; it
asserts nothing. Prints a markdown table; --out also writes it to a file.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from bench.machine import machine
from data.zhangye_locations import HQ, locations_for
from solver.domain import Assignment, Scenario
from solver.io.load import load_scenario
from solver.tours import (
    Location,
    TourPlan,
    TourProblem,
    TourSettings,
    check_plan,
    nearest_neighbour,
    solve_tours,
    tour_problem,
)

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "zhangye-2021-11-08.json"
CASES = ("default", "daily", "rostered")
SUPERVISORS = 5


@dataclass
class Row:
    case: str
    method: str
    seconds: float
    routes: int
    visits: int
    drive_minutes: int
    km: float
    required: int
    met: int
    missed: str
    check: str


def roster(scenario: Scenario, how: str) -> list[Assignment]:
    if how == "solve":
        from solver.solve import SolveOptions, solve

        return list(solve(scenario, SolveOptions(time_limit=10)).assignments)
    from solver.greedy import greedy_roster

    return greedy_roster(scenario)


def supervisors(scenario: Scenario, assignments: list[Assignment], busiest: bool) -> list[str]:
    duties = Counter(a.officer for a in assignments)
    leaders = [o for o in scenario.officers if "leader" in o.skills and (busiest or o.unit == "hq")]
    leaders.sort(key=lambda o: (-duties[o.id] if busiest else duties[o.id], o.id))
    return [o.id for o in leaders[:SUPERVISORS]]


def problem(
    scenario: Scenario, assignments: list[Assignment], case: str, settings: TourSettings
) -> TourProblem:
    if case != "default":
        settings = replace(settings, daily_priority=None, interval_days={"checkpoint": 1})
    locations = {pid: Location(*xy) for pid, xy in locations_for(p.id for p in scenario.posts).items()}
    chosen = supervisors(scenario, assignments, busiest=case == "rostered")
    return tour_problem(scenario, assignments, settings, locations=locations, supervisors=chosen)


def measure(case: str, method: str, p: TourProblem, settings: TourSettings) -> Row:
    started = time.monotonic()
    plan: TourPlan = solve_tours(p, settings) if method == "routing" else nearest_neighbour(p, settings)
    seconds = time.monotonic() - started
    report = check_plan(p, plan)
    m = report.metrics
    missed = ", ".join(f"{k} {v}" for k, v in m.missed_by_reason.items()) or "–"
    check = "ok" if report.ok else f"{len(report.violations)} violations: {sorted(report.rules())}"
    return Row(
        case, method, seconds, m.routes, m.visits, m.drive_minutes, m.km, m.required, m.met, missed, check
    )


def hours(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def table(
    rows: list[Row], settings: TourSettings, how: str, chosen: dict[str, list[str]], windows: dict[str, str]
) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"{now}, {machine()}, OR-Tools routing ({settings.first_solution} + {settings.metaheuristic}, "
        f"{settings.time_limit_per_day:g} s per day), `python -m bench.tours_bench --roster {how}`:",
        "",
        f"46 checkpoints, {SUPERVISORS} supervisors, 7 days from 2021-11-08; start and end at the HQ "
        f"({HQ[0]} N, {HQ[1]} E); haversine × {settings.road_factor} at {settings.speed_kmh:g} km/h; "
        f"{settings.visit_minutes.get('checkpoint')} min per visit; tour window "
        f"{settings.tour_start:%H:%M}–{settings.tour_end:%H:%M} less duties "
        f"± {settings.duty_buffer_minutes} min.",
        "",
        "| case | method | planning s | routes | visits | driving h:mm | km | required visits met | share | "
        "missed (reason) | referee |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for r in rows:
        share = f"{100 * r.met / r.required:.1f} %" if r.required else "–"
        lines.append(
            f"| {r.case} | {r.method} | {r.seconds:.1f} | {r.routes} | {r.visits} "
            f"| {hours(r.drive_minutes)} | {r.km:,.0f} | {r.met} / {r.required} | {share} "
            f"| {r.missed} | {r.check} |"
        )
    lines += ["", "Routing / nearest neighbour (driving time; lower is better):", ""]
    by = {(r.case, r.method): r for r in rows}
    for case in dict.fromkeys(r.case for r in rows):
        a, b = by.get((case, "routing")), by.get((case, "nearest_neighbour"))
        if a and b and b.drive_minutes:
            lines.append(f"- {case}: {a.drive_minutes / b.drive_minutes:.2f}")
    lines += ["", "Supervisors (free window hours over the week):", ""]
    lines += [f"- {case}: {', '.join(ids)} ({windows[case]})" for case, ids in chosen.items()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--time-limit-per-day", type=float, default=2.0)
    parser.add_argument("--roster", choices=("greedy", "solve"), default="greedy")
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--out", type=Path, default=None, help="also write the table to this file")
    args = parser.parse_args()
    cases = [c for c in args.cases.split(",") if c]
    if any(c not in CASES for c in cases):
        sys.exit(f"unknown case; choose from {', '.join(CASES)}")
    settings = TourSettings(time_limit_per_day=args.time_limit_per_day)
    scenario = load_scenario(SAMPLE)
    assignments = roster(scenario, args.roster)
    rows: list[Row] = []
    chosen: dict[str, list[str]] = {}
    windows: dict[str, str] = {}
    for case in cases:
        p = problem(scenario, assignments, case, settings)
        chosen[case] = [s.id for s in p.supervisors]
        windows[case] = f"{sum(w.minutes for w in p.windows) / 60:.0f} h"
        for method in ("routing", "nearest_neighbour"):
            row = measure(case, method, p, settings)
            print(row, file=sys.stderr, flush=True)
            rows.append(row)
    text = table(rows, settings, args.roster, chosen, windows)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
