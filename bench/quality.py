"""Solver quality on a family of generated scenarios the project has not tuned for.

    python -m bench.quality [--scenarios u7,u7-tight,...] [--limits 2,10,60] [--baseline 10]
                            [--workers 2] [--out bench/README.md]

Each scenario comes from `data/generate_zhangye.py` with seeds other than the sample's (2021),
then is cut or changed the way a duty office meets it: one unit (the independent part holding
甘州大队, as the web page's generate for one unit gives), officers dropped until supply is a given
factor of demand, extra sick leave, the second week with the first solved as its history, a
28-day horizon, the whole detachment. Every solve is `solver.solve` in a fresh process with
`--workers` CP-SAT workers, once per time limit in `--limits`, and once with the rebalancing pass
off (`SolveOptions(rebalance=False)`, the pipeline as it was) at each limit in `--baseline`, so
the ratios compare runs made on the same machine under the same load. Every roster is checked by
the referee (ok: no violation and the score equals the objective). "best" is the lowest objective
of all the scenario's runs (the longest limit's, normally), "bound" the highest bound. A
benchmark reports figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

from bench.machine import machine

START = date(2021, 11, 8)
UNIT = "ganzhou"


@dataclass
class Run:
    scenario: str
    variant: str  # "ours" or "baseline" (rebalance off)
    limit: float
    officers: int = 0
    posts: int = 0
    first_seconds: float | None = None
    first_objective: int | None = None
    objective: int | None = None
    bound: int | None = None
    seconds: float | None = None
    peak_mb: float | None = None
    checked: str = ""


# --------------------------------------------------------------------------- the family


def _doc(seed: int, days: int = 7, start: date = START) -> dict[str, Any]:
    from data.generate_zhangye import generate

    return generate(seed=seed, days=days, start=start)


def _part(doc: dict[str, Any], unit: str) -> dict[str, Any]:
    """The document cut to the independent part holding `unit` (its units, posts, officers)."""
    from solver.io.load import scenario_from_dict
    from solver.solve.components import unit_components

    units = next(c for c in unit_components(scenario_from_dict(doc)) if unit in c)
    officers = [o for o in doc["officers"] if o["unit"] in units]
    ids = {o["id"] for o in officers}
    return {
        **doc,
        "units": [u for u in doc["units"] if u["id"] in units],
        "posts": [p for p in doc["posts"] if p["unit"] in units],
        "officers": [
            {**o, "serves": [u for u in o.get("serves", [o["unit"]]) if u in units]} for o in officers
        ],
        "pinned": [a for a in doc["pinned"] if a["officer"] in ids],
        "groups": [g for g in doc.get("groups", []) if set(g["members"]) <= ids],
    }


def _staffing(doc: dict[str, Any], factor: float, seed: int) -> dict[str, Any]:
    """Officers dropped at random, per unit, until supply is at most `factor` x demand (the
    generator's capacity figures); their pins go with them."""
    from data.generate_zhangye import capacity

    rng = Random(seed)
    drop: set[str] = set()
    for row in capacity(doc):
        if not row["demand"] or row["supply"] <= factor * row["demand"]:
            continue
        home = sorted(
            o["id"]
            for o in doc["officers"]
            if o["unit"] == row["unit"] and o.get("serves", [o["unit"]]) == [o["unit"]]
        )
        keep = max(2, round(len(home) * factor * row["demand"] / row["supply"]))
        drop |= set(rng.sample(home, max(0, len(home) - keep)))
    return {
        **doc,
        "officers": [o for o in doc["officers"] if o["id"] not in drop],
        "pinned": [a for a in doc["pinned"] if a["officer"] not in drop],
        "groups": [
            {**g, "members": [m for m in g["members"] if m not in drop]}
            for g in doc.get("groups", [])
            if set(g["members"]) - drop
        ],
    }


def _leave_heavy(doc: dict[str, Any], share: float, seed: int) -> dict[str, Any]:
    """A sick leave of 2–4 days for `share` of the officers (those without pins)."""
    rng = Random(seed)
    pinned = {a["officer"] for a in doc["pinned"]}
    days = doc["horizon"]["days"]
    start = date.fromisoformat(doc["horizon"]["start"])
    officers = []
    for o in doc["officers"]:
        if o["id"] not in pinned and rng.random() < share:
            first = start + timedelta(days=rng.randint(0, days - 2))
            span = {
                "start": f"{first.isoformat()}T00:00",
                "end": f"{(first + timedelta(days=rng.randint(2, 4))).isoformat()}T00:00",
                "reason": "病假",
            }
            o = {**o, "unavailable": [*o.get("unavailable", []), span]}
        officers.append(o)
    return {**doc, "officers": officers}


def _week_two(seed: int, unit: str, first_week_seconds: float, workers: int) -> dict[str, Any]:
    """The week after, its officers' history the first week as solved (`first_week_seconds`)."""
    from solver.io.load import scenario_from_dict
    from solver.solve import SolveOptions, solve

    first = _part(_doc(seed), unit)
    roster = solve(scenario_from_dict(first), SolveOptions(time_limit=first_week_seconds, workers=workers))
    worked: dict[str, list[dict[str, str]]] = {}
    for a in roster.assignments:
        worked.setdefault(a.officer, []).append({"shift": a.shift, "date": a.date.isoformat()})
    second = _part(_doc(seed, start=START + timedelta(days=7)), unit)
    return {
        **second,
        "officers": [
            {**o, "history": sorted(worked.get(o["id"], []), key=lambda h: h["date"])}
            for o in second["officers"]
        ],
        "pinned": [],
    }


FAMILY: dict[str, tuple[str, Callable[[int], dict[str, Any]]]] = {
    "u7": ("one unit (甘州大队 + 支队机关), seed 7, as generated", lambda w: _part(_doc(7), UNIT)),
    "u7-tight": (
        "one unit, seed 7, 甘州大队 officers dropped toward supply = demand (its load 92 % after, from 72 %)",
        lambda w: _staffing(_part(_doc(7), UNIT), 1.0, 7),
    ),
    "u7-leave": (
        "one unit, seed 7, 2–4 days of sick leave for 20 % of the officers",
        lambda w: _leave_heavy(_part(_doc(7), UNIT), 0.2, 7),
    ),
    "u7-w2": (
        "one unit, seed 7, week 2 with week 1 (solved 10 s) as history",
        lambda w: _week_two(7, UNIT, 10.0, w),
    ),
    "linze-28": ("one county unit (临泽大队), seed 7, 28 days", lambda w: _part(_doc(7, days=28), "linze")),
    "s1": (
        "the bundled Zhangye week (seed 2021), for comparison with bench/README.md's solver table",
        lambda w: _doc(2021),
    ),
    "c11": (
        "the whole detachment, seed 11, officers dropped to supply ≤ 1.2 x demand per unit",
        lambda w: _staffing(_doc(11), 1.2, 11),
    ),
}


# --------------------------------------------------------------------------- runs


def _child(name: str, doc: dict[str, Any], variant: str, limit: float, workers: int, queue: Any) -> None:
    from solver.check import check_roster
    from solver.io.load import scenario_from_dict
    from solver.solve import SolveOptions, solve
    from solver.solve.options import Progress

    scenario = scenario_from_dict(doc)
    run = Run(name, variant, limit, len(scenario.officers), len(scenario.posts))
    timeline: list[Progress] = []
    options = SolveOptions(time_limit=limit, workers=workers, rebalance=variant == "ours")
    started = time.monotonic()
    roster = solve(scenario, options, on_progress=timeline.append)
    run.seconds = round(time.monotonic() - started, 1)
    found = [p for p in timeline if p.objective is not None]
    if found:
        run.first_seconds, run.first_objective = round(found[0].elapsed, 2), found[0].objective
    run.objective, run.bound = roster.objective, roster.bound
    if roster.score is not None:
        report = check_roster(scenario, roster, roster.score.as_dict())
        run.checked = "ok" if report.ok else f"FAILED ({len(report.violations)} violations)"
    else:
        run.checked = "no roster"
    run.peak_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)
    queue.put(run)


def measure(name: str, doc: dict[str, Any], variant: str, limit: float, workers: int) -> Run:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(name, doc, variant, limit, workers, queue))
    proc.start()
    run = queue.get()
    proc.join()
    return run


# --------------------------------------------------------------------------- report


def _n(x: int | None) -> str:
    return "–" if x is None else f"{x:,}"


def _pct(part: int | None, whole: int | None) -> str:
    if part is None or whole is None:
        return "–"
    return "0.00 %" if whole == 0 else f"{100 * part / whole:.2f} %"


def table(runs: list[Run], limits: list[float], baseline: list[float], header: str) -> str:
    names = list(dict.fromkeys(r.scenario for r in runs))
    lines = [header, ""]
    lines.append(
        "| scenario | officers | posts | first roster (s) | first objective | "
        + " | ".join(f"@{t:g} s" for t in limits)
        + " | best | bound | gap of best | "
        + " | ".join(f"@{t:g} s vs best" for t in limits)
        + "".join(f" | baseline @{t:g} s | ours / baseline @{t:g} s" for t in baseline)
        + " | check |"
    )
    columns = 8 + 2 * len(limits) + 2 * len(baseline)
    lines.append("|---|" + "--:|" * (columns - 1) + "---|")
    for name in names:
        mine = {r.limit: r for r in runs if r.scenario == name and r.variant == "ours"}
        base = {r.limit: r for r in runs if r.scenario == name and r.variant == "baseline"}
        everything = [r for r in runs if r.scenario == name]
        objectives = [r.objective for r in everything if r.objective is not None]
        bounds = [r.bound for r in everything if r.bound is not None]
        best = min(objectives) if objectives else None
        bound = max(bounds) if bounds else None
        first = mine[min(mine)] if mine else everything[0]
        row = [
            name,
            str(first.officers),
            str(first.posts),
            "–" if first.first_seconds is None else f"{first.first_seconds:.2f}",
            _n(first.first_objective),
            *(_n(mine[t].objective if t in mine else None) for t in limits),
            _n(best),
            _n(bound),
            _pct(None if best is None or bound is None else best - bound, best),
            *(
                _pct(
                    None
                    if t not in mine or mine[t].objective is None or best is None
                    else mine[t].objective - best,
                    best,
                )
                for t in limits
            ),
        ]
        for t in baseline:
            b, m = base.get(t), mine.get(t)
            row.append(_n(b.objective if b else None))
            ratio = "–"
            if b and m and b.objective and m.objective is not None:
                ratio = f"{m.objective / b.objective:.3f}"
            row.append(ratio)
        checks = sorted({r.checked for r in everything})
        row.append(", ".join(checks))
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


BEGIN, END = "<!-- quality-bench:start -->", "<!-- quality-bench:end -->"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scenarios", default=",".join(FAMILY), help="comma-separated, of: " + ", ".join(FAMILY)
    )
    parser.add_argument("--limits", default="2,10,60", help="time limits of our runs (s)")
    parser.add_argument("--baseline", default="10", help="time limits of the baseline runs (s), or ''")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", help="rewrite the quality section of this markdown file")
    args = parser.parse_args(argv)
    names = [n for n in args.scenarios.split(",") if n]
    unknown = [n for n in names if n not in FAMILY]
    if unknown:
        parser.error(f"unknown scenario {', '.join(unknown)}; expected some of {', '.join(FAMILY)}")
    limits = [float(x) for x in args.limits.split(",") if x]
    baseline = [float(x) for x in args.baseline.split(",") if x]
    started = datetime.now().astimezone()
    load_before = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    runs: list[Run] = []
    for name in names:
        doc = FAMILY[name][1](args.workers)
        for variant, chosen in (("ours", limits), ("baseline", baseline)):
            for limit in chosen:
                run = measure(name, doc, variant, limit, args.workers)
                runs.append(run)
                print(
                    f"{name} {variant} {limit:g}s: objective {_n(run.objective)} bound {_n(run.bound)} "
                    f"first {run.first_seconds}s ({_n(run.first_objective)}) wall {run.seconds}s "
                    f"{run.peak_mb} MB {run.checked}",
                    file=sys.stderr,
                    flush=True,
                )
    load_after = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    busy = any(float(x) > args.workers + 0.5 for x in load_before[:1] + load_after[:1])
    shared = (
        " (the machine is shared with other work: wall-time figures are pessimistic, compare the "
        "ratios, measured in the same run)"
        if busy
        else " (nothing else ran: the load is the benchmark's own CP-SAT workers)"
    )
    header = (
        f"Machine: {machine()}. Started {started:%Y-%m-%d %H:%M %Z}; load average "
        f"{'/'.join(load_before)} before, {'/'.join(load_after)} after{shared}. "
        f"{args.workers} CP-SAT workers, one fresh process per solve.\n\n"
        + "\n".join(f"- `{n}`: {FAMILY[n][0]}" for n in names)
    )
    text = table(runs, limits, baseline, header)
    print(text)
    if args.out:
        path = Path(args.out)
        old = path.read_text(encoding="utf-8")
        block = f"{BEGIN}\n{text}\n{END}"
        if BEGIN in old and END in old:
            new = old[: old.index(BEGIN)] + block + old[old.index(END) + len(END) :]
        else:
            new = old.rstrip() + "\n\n" + block + "\n"
        path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
