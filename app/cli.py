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


def fail_input(exc: InvalidDocument, source: str) -> NoReturn:
    err.print(f"[bold red]{source}: invalid {exc.what}[/] ({len(exc.errors)} error(s))")
    for e in exc.errors:
        err.print(f"  {e}", markup=False)
    raise typer.Exit(2)


def read_input(source: str, loader: Callable[[str], T]) -> T:
    try:
        return loader(source)
    except InvalidDocument as exc:
        fail_input(exc, source)


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
    sc = read_input(scenario, load_scenario)
    ro, claimed = read_input(roster, load_roster)
    report = check_roster(sc, ro, claimed)
    for v in report.violations:
        out.print(f"VIOLATION {v}", markup=False)
    for m in report.mismatches:
        out.print(f"MISMATCH {m}", markup=False)
    print_score(report, f"score of {Path(roster).name} ({len(ro.assignments)} assignments)")
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


def write_json(path: Path | None, document: dict[str, Any]) -> None:
    text = json.dumps(document, ensure_ascii=False, indent=1)
    if path is None:
        sys.stdout.write(text + "\n")
    else:
        path.write_text(text + "\n", encoding="utf-8")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
