"""Schedule-change benchmark on the Zhangye week: "who can cover" latency, and minimal-change
re-planning after three days of leave.

    python -m bench.changes_bench [--solve-seconds 30] [--replan-seconds 10] [--covers 200] [--leaves 3]

The week is solved once (the published roster). Then:

- who can cover: `--covers` random duties of the roster, each answered from scratch (a new
  `Scorer`, as the service does per request): p50, p99 and max latency;
- leave: for `--leaves` officers, chosen as those with the most checkpoint duties on 11-10..11-12,
  a sick leave 11-10 00:00..11-13 00:00 is added and the week re-planned with now = 11-09 12:00
  (duties before now pinned, the published roster as baseline): seconds, duties the leave took
  away, duties changed in all (added + removed), and the referee's verdict on the result.

- the same with the following week already published (`--two-weeks`): week 2 is solved with
  week 1 as its history, then each leave (11-12 00:00..11-15 00:00, the end of week 1) is
  re-planned without and with that week (`replan(..., following=...)`): seconds, duties changed,
  and the rules shared across the two weeks that the result breaks and the published pair did not.

A benchmark reports figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.machine import machine
from solver.check import check_assignments
from solver.cover import BOUNDARY_RULES, Scorer, who_can_cover
from solver.diff import diff
from solver.domain import HistoryDuty, Span
from solver.io.load import load_scenario
from solver.replan import replan, stretch
from solver.solve import SolveOptions, solve

ZHANGYE = Path(__file__).parents[1] / "data" / "zhangye-2021-11-08.json"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--solve-seconds", type=float, default=30.0)
    parser.add_argument("--replan-seconds", type=float, default=10.0)
    parser.add_argument("--covers", type=int, default=200)
    parser.add_argument("--leaves", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--two-weeks", action="store_true", help="also re-plan with the next week published")
    args = parser.parse_args()

    s = load_scenario(ZHANGYE)
    published = list(solve(s, SolveOptions(time_limit=args.solve_seconds)).assignments)
    print(f"{machine()}, {datetime.now():%Y-%m-%d %H:%M}")
    print(f"published: {len(published)} duties, solved in {args.solve_seconds:g} s")

    rng = random.Random(args.seed)
    latencies = []
    for duty in rng.sample(published, min(args.covers, len(published))):
        t0 = time.perf_counter()
        covers = who_can_cover(s, published, duty, Scorer(s, published))
        latencies.append(time.perf_counter() - t0)
        assert covers  # every officer of the unit is listed, able or not
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, round(0.99 * len(latencies)))]
    print(
        f"who can cover: {len(latencies)} duties, p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )

    leave = Span(datetime(2021, 11, 10), datetime(2021, 11, 13), "sick leave")
    now = datetime(2021, 11, 9, 12, 0)

    def lost(officer: str) -> int:
        return sum(1 for a in published if a.officer == officer and 10 <= a.date.day <= 12)

    busiest = sorted(
        {a.officer for a in published if a.post.startswith("gz-g30")}, key=lambda o: (-lost(o), o)
    )
    print("| officer | duties lost to the leave | re-plan s | duties changed (added + removed) | check |")
    print("|---|--:|--:|--:|---|")
    for officer in busiest[: args.leaves]:
        changed = replace(
            s,
            officers=tuple(
                replace(o, unavailable=(*o.unavailable, leave)) if o.id == officer else o for o in s.officers
            ),
        )
        t0 = time.perf_counter()
        roster = replan(changed, published, now=now, options=SolveOptions(time_limit=args.replan_seconds))
        seconds = time.perf_counter() - t0
        report = check_assignments(changed, roster.assignments)
        verdict = "ok" if not report.violations else f"{len(report.violations)} violations"
        moved = diff(published, roster.assignments).changed
        print(f"| {officer} | {lost(officer)} | {seconds:.1f} | {moved} | {verdict} |")
    if args.two_weeks:
        two_weeks(s, published, args.leaves, args.replan_seconds)


def two_weeks(s: Any, published: list[Any], officers: int, seconds: float) -> None:
    """Leave at the end of week 1 with week 2 already published: re-planned without and with it."""
    weeks: dict[str, list[HistoryDuty]] = {a.officer: [] for a in published}
    for a in published:
        weeks[a.officer].append(HistoryDuty(a.shift, a.date))
    s2 = replace(
        s,
        start=s.end,
        pinned=(),
        baseline=(),
        officers=tuple(
            replace(
                o, history=tuple(sorted(weeks.get(o.id, []), key=lambda h: (h.date, h.shift))), requests=()
            )
            for o in s.officers
        ),
    )
    following = list(solve(s2, SolveOptions(time_limit=30)).assignments)
    print(f"week 2 published: {len(following)} duties (solved with week 1 as history)")
    leave = Span(datetime(2021, 11, 12), datetime(2021, 11, 15), "sick leave")
    now = datetime(2021, 11, 9, 12, 0)
    late = sorted(
        {a.officer for a in published if a.post.startswith("gz-g30") and a.date.day >= 12},
        key=lambda o: (-sum(1 for a in published if a.officer == o and a.date.day >= 12), o),
    )
    print("| officer | next week | re-plan s | duties changed | new cross-week violations | check |")
    print("|---|---|--:|--:|--:|---|")
    for officer in late[:officers]:
        changed = replace(
            s,
            officers=tuple(
                replace(o, unavailable=(*o.unavailable, leave)) if o.id == officer else o for o in s.officers
            ),
        )
        both = stretch(changed, following)
        shared = check_assignments(both, [*published, *following], BOUNDARY_RULES).violations
        before = {(v.rule, v.officer, v.date) for v in shared}
        for given in ((), following):
            t0 = time.perf_counter()
            roster = replan(
                changed, published, now=now, options=SolveOptions(time_limit=seconds), following=given
            )
            took = time.perf_counter() - t0
            after = check_assignments(both, [*roster.assignments, *following], BOUNDARY_RULES).violations
            new = [v for v in after if (v.rule, v.officer, v.date) not in before]
            report = check_assignments(replace(changed, frozen_until=None), roster.assignments)
            verdict = "ok" if not report.violations else f"{len(report.violations)} violations"
            print(
                f"| {officer} | {'given' if given else 'not given'} | {took:.1f} | "
                f"{diff(published, roster.assignments).changed} | {len(new)} | {verdict} |"
            )


if __name__ == "__main__":
    main()
