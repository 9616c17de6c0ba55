"""Duty groups benchmark (issue 13): four groups on 四班三运转, a leave inside a group, and the
Zhangye week with and without groups.

    python -m bench.groups_bench [--time-limits 10,60] [--workers 1] [--out bench/README.md]

1. *Exact cover*: shifts N 00:00, D 08:00, E 16:00 of 8 h; one checkpoint needing the four members
   of one group on every shift; four groups on the pattern ["N","N","D","D","E","E",null,null]
   with starts two days apart, so that each shift of each day has exactly one group; two reserve
   officers (备勤, in a unit of their own, serving the checkpoint's) outside any group. 32 days
   (four cycles: every group works as much as every other).
2. *Leave*: one member of group A on leave for three of their duty days, re-planned against the
   exact-cover roster: which duties moved, and the score terms that name them.
3. *Zhangye*: the generated week (`data.generate_zhangye`) without duty groups, with the
   generator's groups (the 60 HQ officers in fifteen groups of four inside the Ganzhou squadron,
   no pattern), and with the HQ officers in four groups of fifteen on 四班三运转; solved with the
   same time limits.

Every roster is verified by the referee (`roster check`); a benchmark reports figures and asserts
nothing (tests/bench/test_groups_bench.py holds the exact-cover case to pattern = 0 and
group_split = 0).
"""

from __future__ import annotations

import argparse
import copy
import re
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.machine import machine
from solver.check import check_assignments
from solver.diff import diff
from solver.domain import Roster, Scenario
from solver.io.load import scenario_from_dict
from solver.replan import replan, with_past
from solver.solve import SolveOptions, solve

START = date(2021, 11, 8)
ROTATION: list[str | None] = ["N", "N", "D", "D", "E", "E", None, None]
"""四班三运转: two nights, two days, two evenings, two days off."""
GROUPS = ("A", "B", "C", "D")
LEAVE_DAYS = (8, 9, 10)
"""Days of the leave of member A1 (group A works N, N, D on them)."""


def rotation_doc(days: int = 32, size: int = 4, reserves: int = 2) -> dict[str, Any]:
    """The exact-cover scenario: four groups of `size` on 四班三运转, one checkpoint needing `size`
    officers per shift, and `reserves` reserve officers in a unit of their own."""
    officers = [
        {"id": f"{g}{i}", "name": f"民警{g}{i}", "unit": "sq"} for g in GROUPS for i in range(1, size + 1)
    ]
    officers += [
        {"id": f"R{i}", "name": f"备勤{i}", "unit": "reserve", "serves": ["sq"]}
        for i in range(1, reserves + 1)
    ]
    return {
        "format": 2,
        "name": "四班三运转 exact cover",
        "horizon": {"start": START.isoformat(), "days": days},
        "shift_types": [
            {"id": "N", "name": "夜班", "start": "00:00", "minutes": 480, "night": True},
            {"id": "D", "name": "白班", "start": "08:00", "minutes": 480},
            {"id": "E", "name": "晚班", "start": "16:00", "minutes": 480},
        ],
        "units": [{"id": "sq", "name": "中队"}, {"id": "reserve", "name": "备勤"}],
        "posts": [
            {
                "id": "cp",
                "name": "张掖东收费站",
                "kind": "checkpoint",
                "unit": "sq",
                "coverage": [{"shift": s, "min": size} for s in ("N", "D", "E")],
            }
        ],
        "officers": officers,
        "groups": [
            {
                "id": g,
                "name": f"执勤{g}组",
                "members": [f"{g}{i}" for i in range(1, size + 1)],
                "pattern": {"start": (START + timedelta(days=2 * k)).isoformat(), "days": ROTATION},
            }
            for k, g in enumerate(GROUPS)
        ],
    }


def with_leave(
    doc: dict[str, Any], officer: str = "A1", days: tuple[int, ...] = LEAVE_DAYS
) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    first, last = START + timedelta(days=min(days)), START + timedelta(days=max(days) + 1)
    for o in out["officers"]:
        if o["id"] == officer:
            o["unavailable"] = [{"start": f"{first}T00:00", "end": f"{last}T00:00", "reason": "病假"}]
    return out


def zhangye_groups(doc: dict[str, Any], groups: int, rotation: bool) -> dict[str, Any]:
    """The Zhangye week with its HQ officers (sent down to Ganzhou) in `groups` duty groups; on
    四班三运转 (starts two days apart) when `rotation`."""
    out = copy.deepcopy(doc)
    out["format"] = 2
    hq = [o["id"] for o in out["officers"] if o["unit"] == "hq"]
    size = -(-len(hq) // groups)
    out["groups"] = []
    for k in range(groups):
        group: dict[str, Any] = {
            "id": f"hq-g{k + 1}",
            "name": f"机关执勤{k + 1}组",
            "members": hq[k * size : (k + 1) * size],
        }
        if rotation:
            start = date.fromisoformat(out["horizon"]["start"]) + timedelta(days=2 * (k % 4))
            group["pattern"] = {"start": start.isoformat(), "days": ROTATION}
        out["groups"].append(group)
    return out


def checked(s: Scenario, roster: Roster) -> str:
    report = check_assignments(s, roster.assignments)
    ok = not report.violations and roster.score == report.score and roster.objective == report.score.total
    return "ok" if ok else f"FAILED ({len(report.violations)} violations)"


def exact_cover(time_limit: float, workers: int) -> tuple[list[str], Scenario, Roster]:
    s = scenario_from_dict(rotation_doc())
    began = time.perf_counter()
    roster = solve(s, SolveOptions(time_limit=time_limit, workers=workers, seed=1))
    seconds = time.perf_counter() - began
    assert roster.score is not None
    sc = roster.score
    lines = [
        f"- exact cover ({len(s.officers)} officers, {len(s.slots())} slots, {s.days} days): status "
        f"{roster.status}, objective {roster.objective}, bound {roster.bound}, pattern = {sc.pattern}, "
        f"group_split = {sc.group_split}, shortfall = {sc.shortfall}, reserves on duty: "
        f"{sum(1 for a in roster.assignments if a.officer.startswith('R'))}; {seconds:.1f} s; "
        f"referee {checked(s, roster)}",
    ]
    return lines, s, roster


def leave(published: Roster, time_limit: float, workers: int) -> list[str]:
    s = scenario_from_dict(with_leave(rotation_doc()))
    began = time.perf_counter()
    now = datetime.combine(START, datetime.min.time())
    roster = replan(
        s,
        published.assignments,
        now=now,
        options=SolveOptions(time_limit=time_limit, workers=workers, seed=1),
    )
    s = with_past(s, published.assignments, now)  # the published roster as baseline: the changes term
    seconds = time.perf_counter() - began
    assert roster.score is not None
    report = check_assignments(s, roster.assignments)
    change = diff(published.assignments, roster.assignments)
    removed = sorted(change.removed)
    added = sorted(change.added)
    moved_officers = sorted({a.officer for a in removed})

    def show(items: Any) -> str:
        return ", ".join(f"{a.officer} {a.shift} {a.date:%m-%d}" for a in items)

    changes = [c for c in report.contributions if c.term == "changes"]
    sc = roster.score
    lines = [
        f"- leave of A1 on {', '.join(f'{START + timedelta(days=d):%m-%d}' for d in LEAVE_DAYS)}, re-planned "
        f"({seconds:.1f} s, referee {checked(s, roster)}): removed {len(removed)} duties ({show(removed)}), "
        f"all of {', '.join(moved_officers) or 'nobody'}; added {len(added)} ({show(added)}); "
        f"score: shortfall {sc.shortfall}, changes {sc.changes} "
        f"({'; '.join(f'{c.officer} {c.shift} {c.date:%m-%d}' for c in changes)}), pattern {sc.pattern}, "
        f"group_split {sc.group_split}, fairness {sc.fairness}, total {sc.total}",
    ]
    return lines


def zhangye(time_limits: list[float], workers: int) -> list[str]:
    from data.generate_zhangye import generate

    sample = generate()  # the HQ officers in the generator's duty groups of four (no pattern)
    bare = {k: v for k, v in sample.items() if k != "groups"}
    variants = {
        "no groups": bare,
        f"{len(sample['groups'])} HQ groups of 4 (the sample's)": sample,
        "4 HQ groups of 15 on 四班三运转": zhangye_groups(bare, 4, rotation=True),
    }
    lines = [
        "| Zhangye week | limit | first roster | objective | bound | gap | group_split | pattern | shortfall "
        "| referee |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, doc in variants.items():
        s = scenario_from_dict(doc)
        for limit in time_limits:
            first: list[float] = []
            began = time.perf_counter()

            def progress(p: Any, first: list[float] = first, began: float = began) -> None:
                if not first and p.objective is not None:
                    first.append(time.perf_counter() - began)

            roster = solve(s, SolveOptions(time_limit=limit, workers=workers, seed=1), on_progress=progress)
            sc = roster.score
            assert sc is not None and roster.objective is not None
            gap = (roster.objective - (roster.bound or 0)) / max(1, roster.objective)
            lines.append(
                f"| {name} | {limit:g} s | {first[0] if first else float('nan'):.1f} s | {roster.objective} "
                f"| {roster.bound} | {gap:.1%} | {sc.group_split} | {sc.pattern} | {sc.shortfall} "
                f"| {checked(s, roster)} |"
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limits", default="10,60")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--cover-limit", type=float, default=10.0)
    parser.add_argument("--skip-zhangye", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    limits = [float(x) for x in args.time_limits.split(",") if x]
    cover_lines, _s, published = exact_cover(args.cover_limit, args.workers)
    lines = [*cover_lines, *leave(published, args.cover_limit, args.workers)]
    if not args.skip_zhangye:
        lines += ["", *zhangye(limits, args.workers)]
    section = "\n".join(
        [
            "## Duty groups",
            "",
            f"`python -m bench.groups_bench --time-limits {args.time_limits} --workers {args.workers}` "
            f"({time.strftime('%Y-%m-%d')}, {machine()}):",
            "",
            *lines,
            "",
        ]
    )
    print(section)
    if args.out:
        text = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        pattern = re.compile(r"^## Duty groups\n.*?(?=^## |\Z)", re.S | re.M)
        text = pattern.sub(section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
