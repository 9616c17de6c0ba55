"""What every command prints with: the two consoles, input errors listed in full (exit 2), the
solve progress bar, and JSON out."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as ProgressBar

from solver import domain as d
from solver.io.errors import InvalidDocument
from solver.solve.options import Progress

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

T = TypeVar("T")


def fail(message: str, code: int = 2) -> NoReturn:
    """Say what is wrong and exit (2: bad input; 1: the database or a rule refused)."""
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


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


def write_json(path: Path | None, document: dict[str, Any]) -> None:
    text = json.dumps(document, ensure_ascii=False, indent=1)
    if path is None:
        sys.stdout.write(text + "\n")
    else:
        path.write_text(text + "\n", encoding="utf-8")


def shortage_summary(roster: d.Roster) -> str:
    """'no slot short', or how many officers and skilled officers are missing."""
    heads = sum(s.missing for s in roster.shortfalls if s.skill is None)
    skilled = sum(s.missing for s in roster.shortfalls if s.skill is not None)
    if not heads and not skilled:
        return "no slot short"
    return f"{heads} officer(s) and {skilled} skill seat(s) short"


class SolveProgress:
    """A rich progress bar with elapsed time, best objective and bound; also a plain callback."""

    def __init__(self, console: Console, time_limit: float, enabled: bool = True) -> None:
        self.enabled = enabled
        self.time_limit = time_limit
        self.bar = ProgressBar(
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

    def update(self, p: Progress) -> None:
        gap = ""
        if p.objective and p.bound is not None:
            gap = f" gap {100 * (p.objective - p.bound) / max(1, p.objective):.1f}%"
        best = "-" if p.objective is None else p.objective
        bound = "-" if p.bound is None else p.bound
        status = f"best {best}  bound {bound}{gap}  {p.phase}"
        self.bar.update(self.task, completed=min(p.elapsed, self.time_limit), status=status)
