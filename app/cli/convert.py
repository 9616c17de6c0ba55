"""`roster convert …`: other formats to and from scenario and roster documents.

- `roster convert curtois INSTANCE.txt --out SCENARIO.json`: a Curtois & Qu benchmark instance as a
  format-2 scenario whose objective is the benchmark's (see `solver.io.curtois`);
- `roster convert curtois-solution INSTANCE.txt ROSTER.json --out SOLUTION.txt`: a roster of that
  scenario in the benchmark's own solution format (one line per employee, a tab-separated cell
  per day: the shift id or nothing).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from app.cli.console import err, read_input
from solver.io.curtois import CurtoisError, read_instance, solution_text, to_scenario
from solver.io.roster import load_roster

app = typer.Typer(
    help="Convert other formats to and from scenario and roster documents.", no_args_is_help=True
)

InstanceArg = Annotated[
    Path, typer.Argument(help="a Curtois & Qu instance (InstanceN.txt)", metavar="INSTANCE")
]


def _fail(exc: CurtoisError | OSError, path: Path) -> None:
    if isinstance(exc, OSError):
        err.print(f"{path}: cannot read: {exc.strerror}", markup=False)
    else:
        err.print(str(exc), markup=False)
    raise typer.Exit(2)


@app.command("curtois")
def curtois(
    instance: InstanceArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="the scenario document to write")],
) -> None:
    """A benchmark instance as a format-2 scenario (exit 2 on a malformed file, every problem listed)."""
    try:
        doc = to_scenario(read_instance(instance))
    except (CurtoisError, OSError) as exc:
        _fail(exc, instance)
    out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    err.print(
        f"{instance.name}: {len(doc['officers'])} staff, {doc['horizon']['days']} days, "
        f"{len(doc['shift_types'])} shift types -> {out}",
        markup=False,
    )


@app.command("curtois-solution")
def curtois_solution(
    instance: InstanceArg,
    roster: Annotated[str, typer.Argument(help="a roster of the converted scenario", metavar="ROSTER")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write here (default: stdout)")] = None,
) -> None:
    """A roster of the converted scenario in the benchmark's solution format."""
    try:
        inst = read_instance(instance)
    except (CurtoisError, OSError) as exc:
        _fail(exc, instance)
    r, _claimed = read_input(roster, load_roster)
    try:
        text = solution_text(inst, r.assignments)
    except CurtoisError as exc:
        _fail(exc, instance)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
