"""The engine's commands, on documents alone: `solve`, `check`, `explain`, `schema`.

Exit codes: 0 success, 1 the roster breaks a rule (or the solve found none), 2 bad input.
Errors in input documents are listed in full; no traceback reaches the user.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from app.cli.console import SolveProgress, err, out, read_input, shortage_summary, try_input, write_json
from solver.check import CheckReport, check_roster
from solver.domain import SCORE_TERMS
from solver.explain import analyse
from solver.io.documents import scenario_json_schema
from solver.io.load import load_scenario
from solver.io.roster import load_roster, roster_to_dict
from solver.roles import role_problems
from solver.solve import SolveOptions
from solver.solve import solve as run_solve
from solver.solve.options import METHODS

ScenarioArg = Annotated[str, typer.Argument(help="scenario document (format 1 or 2)", metavar="SCENARIO")]
RosterArg = Annotated[str, typer.Argument(help="roster document written by `roster solve`", metavar="ROSTER")]


def print_score(report: CheckReport, title: str = "score") -> None:
    table = Table(title=title, show_edge=False)
    table.add_column("term")
    table.add_column("value", justify="right")
    table.add_column("items", justify="right")
    for term in SCORE_TERMS:
        table.add_row(term, str(getattr(report.score, term)), str(len(report.by_term(term))))
    table.add_row("[bold]total[/]", f"[bold]{report.score.total}[/]", "")
    out.print(table)


def check(scenario: ScenarioArg, roster: RosterArg) -> None:
    """Recompute every hard rule and the score of ROSTER; exit 1 on any violation or score mismatch."""
    sc = try_input(scenario, load_scenario)
    loaded = try_input(roster, load_roster)  # read even when the scenario is not: list every error
    if sc is None or loaded is None:
        raise typer.Exit(2)
    ro, claimed = loaded
    report = check_roster(sc, ro, claimed)
    roles = role_problems(sc, ro.assignments, ro.roles)  # duty leaders and positions (an extension)
    for v in report.violations:
        out.print(f"VIOLATION {v}", markup=False)
    for problem in roles:
        out.print(f"ROLE {problem}", markup=False)
    for m in report.mismatches:
        out.print(f"MISMATCH {m}", markup=False)
    print_score(report, f"score of {escape(Path(roster).name)} ({len(ro.assignments)} assignments)")
    shortfalls = report.shortfalls
    if shortfalls:
        out.print(f"{len(shortfalls)} slot(s) short, {sum(s.missing for s in shortfalls)} officer(s) missing")
    if report.ok and not roles:
        out.print("[green]OK[/]: no hard rule broken, score as claimed")
        return
    out.print(
        f"[red]FAILED[/]: {len(report.violations)} violation(s), {len(report.mismatches)} score mismatch(es)"
        + (f", {len(roles)} role problem(s)" if roles else "")
    )
    raise typer.Exit(1)


def schema(
    output: Annotated[Path | None, typer.Option("--out", "-o", help="write here instead of stdout")] = None,
) -> None:
    """Print the JSON Schema of the scenario format, versions 1 and 2 (generated from the loader's models)."""
    text = json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False)
    if output is None:
        sys.stdout.write(text + "\n")
    else:
        output.write_text(text + "\n", encoding="utf-8")


def solve(
    scenario: ScenarioArg,
    time_limit: Annotated[float, typer.Option("--time-limit", "-t", help="seconds", min=0.1)] = 30.0,
    workers: Annotated[int, typer.Option(help="CP-SAT worker threads", min=1)] = 2,
    seed: Annotated[int, typer.Option(help="random seed (with --workers 1: same seed, same roster)")] = 0,
    out_path: Annotated[Path | None, typer.Option("--out", "-o", help="write the roster here")] = None,
    method: Annotated[str, typer.Option(help="decomposed (default) or plain")] = "decomposed",
    gap: Annotated[float, typer.Option(help="stop once within this relative gap of the bound")] = 0.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress display")] = False,
) -> None:
    """Build the roster of SCENARIO with CP-SAT; exit 1 when pinned duties cannot hold together or
    the minimum rules (format 2) admit no roster."""
    if method not in METHODS:
        err.print(f"--method: expected one of {', '.join(METHODS)}, got {method!r}")
        raise typer.Exit(2)
    sc = read_input(scenario, load_scenario)
    options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed, method=method, relative_gap=gap)
    with SolveProgress(err, time_limit, enabled=not quiet) as progress:
        roster = run_solve(sc, options, on_progress=progress.update)
    write_json(out_path, roster_to_dict(roster))
    if roster.status == "INFEASIBLE":
        label = (
            "minimum rules conflict" if "infeasible_officers" in roster.extra else "pinned duties conflict"
        )
        for message in roster.extra.get("conflicts", []):  # type: ignore[attr-defined]
            err.print(f"[red]{label}[/]: {escape(str(message))}", markup=True)
        raise typer.Exit(1)
    summary = (
        f"{roster.status}: objective {roster.objective}, bound {roster.bound}, "
        f"{len(roster.assignments)} duties, {shortage_summary(roster)}, {roster.solve_seconds:.1f}s"
    )
    err.print(summary + (f" -> {out_path}" if out_path else ""), markup=False)


def explain(
    scenario: ScenarioArg,
    roster: RosterArg,
    top: Annotated[int, typer.Option(help="how many contributors to list per rule", min=1)] = 5,
) -> None:
    """Score analysis per rule: its total, and the officers, posts and dates contributing most."""
    sc = read_input(scenario, load_scenario)
    ro, _claimed = read_input(roster, load_roster)
    for term in analyse(sc, ro.assignments, top):
        out.print(f"[bold]{term.term}[/]: {term.total} ({term.items} item(s))")
        for label, items in (
            ("units", term.top_units),
            ("officers", term.top_officers),
            ("posts", term.top_posts),
            ("dates", term.top_dates),
        ):
            if items:
                out.print(f"  {label}: " + ", ".join(f"{k} {v}" for k, v in items), markup=False)
        for c in term.examples:
            where = " ".join(str(x) for x in (c.unit, c.officer, c.post, c.date, c.shift) if x)
            out.print(f"    {c.amount:>8}  {where}: {c.detail}", markup=False)
    short = [s for s in ro.shortfalls if s.reason]
    if short:
        out.print(f"[bold]short slots[/]: {len(short)}")
        for s in short[: top * 4]:
            skill = f" ({s.skill})" if s.skill else ""
            out.print(f"  {s.post} {s.shift} {s.date}{skill} -{s.missing}: {s.reason}", markup=False)
