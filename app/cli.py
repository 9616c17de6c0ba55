"""The `roster` command line.

Exit codes: 0 success, 1 the roster breaks a rule (or the solve found none), 2 bad input.
Errors in input documents are listed in full; no traceback reaches the user.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from solver.check import CheckReport, check_roster
from solver.domain import SCORE_TERMS
from solver.roster import load_roster
from solver.scenario import InvalidDocument, load_scenario, scenario_json_schema

app = typer.Typer(
    help="Duty-roster scheduler for traffic police: solve, check and explain rosters; run the service.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

T = TypeVar("T")


def print_input_errors(exc: InvalidDocument, source: str) -> None:
    err.print(f"[bold red]{escape(source)}: invalid {exc.what}[/] ({len(exc.errors)} error(s))")
    for e in exc.errors:
        err.print(f"  {e}", markup=False)


def fail_input(exc: InvalidDocument, source: str) -> NoReturn:
    print_input_errors(exc, source)
    raise typer.Exit(2)


def read_input(source: str, loader: Callable[[str], T]) -> T:
    try:
        return loader(source)
    except InvalidDocument as exc:
        fail_input(exc, source)


def try_input(source: str, loader: Callable[[str], T]) -> T | None:
    """The loaded document, or None once its errors are listed."""
    try:
        return loader(source)
    except InvalidDocument as exc:
        print_input_errors(exc, source)
        return None


ScenarioArg = Annotated[str, typer.Argument(help="scenario document (format v1)", metavar="SCENARIO")]
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


@app.command()
def check(scenario: ScenarioArg, roster: RosterArg) -> None:
    """Recompute every hard rule and the score of ROSTER; exit 1 on any violation or score mismatch."""
    sc = try_input(scenario, load_scenario)
    loaded = try_input(roster, load_roster)  # read even when the scenario is not: list every error
    if sc is None or loaded is None:
        raise typer.Exit(2)
    ro, claimed = loaded
    report = check_roster(sc, ro, claimed)
    for v in report.violations:
        out.print(f"VIOLATION {v}", markup=False)
    for m in report.mismatches:
        out.print(f"MISMATCH {m}", markup=False)
    print_score(report, f"score of {escape(Path(roster).name)} ({len(ro.assignments)} assignments)")
    shortfalls = report.shortfalls
    if shortfalls:
        out.print(f"{len(shortfalls)} slot(s) short, {sum(s.missing for s in shortfalls)} officer(s) missing")
    if report.ok:
        out.print("[green]OK[/]: no hard rule broken, score as claimed")
        return
    out.print(
        f"[red]FAILED[/]: {len(report.violations)} violation(s), {len(report.mismatches)} score mismatch(es)"
    )
    raise typer.Exit(1)


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--out", "-o", help="write here instead of stdout")] = None,
) -> None:
    """Print the JSON Schema of scenario-format v1 (generated from the loader's models)."""
    text = json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False)
    if output is None:
        sys.stdout.write(text + "\n")
    else:
        output.write_text(text + "\n", encoding="utf-8")


@app.command()
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
    """Build the roster of SCENARIO with CP-SAT; exit 1 when pinned duties cannot hold together."""
    from solver.roster import roster_to_dict
    from solver.solve import METHODS, SolveOptions
    from solver.solve import solve as run_solve

    if method not in METHODS:
        err.print(f"--method: expected one of {', '.join(METHODS)}, got {method!r}")
        raise typer.Exit(2)
    sc = read_input(scenario, load_scenario)
    options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed, method=method, relative_gap=gap)
    with SolveProgress(err, time_limit, enabled=not quiet) as progress:
        roster = run_solve(sc, options, on_progress=progress.update)
    document = roster_to_dict(roster)
    if out_path is None:
        write_json(None, document)
    else:
        write_json(out_path, document)
    if roster.status == "INFEASIBLE":
        for message in roster.extra.get("conflicts", []):  # type: ignore[attr-defined]
            err.print(f"[red]pinned duties conflict[/]: {message}", markup=True)
        raise typer.Exit(1)
    summary = (
        f"{roster.status}: objective {roster.objective}, bound {roster.bound}, "
        f"{len(roster.assignments)} duties, {shortage_summary(roster)}, {roster.solve_seconds:.1f}s"
    )
    err.print(summary + (f" -> {out_path}" if out_path else ""), markup=False)


def shortage_summary(roster: Any) -> str:
    """'no slot short', or how many officers and skilled officers are missing."""
    heads = sum(s.missing for s in roster.shortfalls if s.skill is None)
    skilled = sum(s.missing for s in roster.shortfalls if s.skill is not None)
    if not heads and not skilled:
        return "no slot short"
    return f"{heads} officer(s) and {skilled} skill seat(s) short"


class SolveProgress:
    """A rich progress bar with elapsed time, best objective and bound; also a plain callback."""

    def __init__(self, console: Console, time_limit: float, enabled: bool = True) -> None:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.enabled = enabled
        self.time_limit = time_limit
        self.bar = Progress(
            TextColumn("[bold]solving[/]"),
            BarColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[status]}"),
            console=console,
            transient=False,
            disable=not enabled,
        )
        self.task = self.bar.add_task("solve", total=time_limit, status="")

    def __enter__(self) -> SolveProgress:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.update(self.task, completed=self.time_limit)
        self.bar.__exit__(None, None, None)

    def update(self, p: Any) -> None:
        gap = ""
        if p.objective and p.bound is not None:
            gap = f" gap {100 * (p.objective - p.bound) / max(1, p.objective):.1f}%"
        best = "-" if p.objective is None else p.objective
        bound = "-" if p.bound is None else p.bound
        status = f"best {best}  bound {bound}{gap}  {p.phase}"
        self.bar.update(self.task, completed=min(p.elapsed, self.time_limit), status=status)


@app.command()
def explain(
    scenario: ScenarioArg,
    roster: RosterArg,
    top: Annotated[int, typer.Option(help="how many contributors to list per rule", min=1)] = 5,
) -> None:
    """Score analysis per rule: its total, and the officers, posts and dates contributing most."""
    from solver.explain import analyse

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


def write_json(path: Path | None, document: dict[str, Any]) -> None:
    text = json.dumps(document, ensure_ascii=False, indent=1)
    if path is None:
        sys.stdout.write(text + "\n")
    else:
        path.write_text(text + "\n", encoding="utf-8")


def main() -> None:
    from app.service_cli import register

    register(app)
    app()


if __name__ == "__main__":
    main()
