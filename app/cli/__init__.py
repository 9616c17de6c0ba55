"""The `roster` command line: one module per command group, registered here in the order `--help`
lists them.

- `engine`: solve, check, explain, schema (documents only, no database);
- `serve`, `worker`, `imports` (import), `demo`: the service;
- `database` (db …), `users` (user …), `changes` (change …), `convert` (convert …: the Curtois
  & Qu benchmark's instances and solutions).

Exit codes: 0 success, 1 the roster breaks a rule (or the solve found none), 2 bad input.
"""

from __future__ import annotations

import os
import sys

import typer

from app.cli import changes, convert, database, demo, engine, imports, serve, users, worker

app = typer.Typer(
    help="Duty-roster scheduler for traffic police: solve, check and explain rosters; run the service.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("check")(engine.check)
app.command("schema")(engine.schema)
app.command("solve")(engine.solve)
app.command("explain")(engine.explain)
app.command("serve")(serve.serve)
app.command("worker")(worker.worker)
app.command("import")(imports.import_document)
app.command("demo")(demo.demo)
app.add_typer(database.app, name="db")
app.add_typer(users.app, name="user")
app.add_typer(changes.app, name="change")
app.add_typer(convert.app, name="convert")


def main() -> None:
    """The command line; an unexpected error is one line on stderr and exit 1, never a traceback
    (which could show database rows); `ROSTER_DEBUG=1` shows it."""
    try:
        app()
    except Exception as exc:
        if os.environ.get("ROSTER_DEBUG"):
            raise
        print(
            f"error: internal error ({type(exc).__name__}); ROSTER_DEBUG=1 shows the traceback",
            file=sys.stderr,
        )
        sys.exit(1)
