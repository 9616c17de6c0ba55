"""`roster import`: a scenario document into the service database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.console import fail_input
from app.cli.context import database, load_settings, migrated
from app.core.db import transaction
from app.reference.transfer import import_scenario
from solver.io.errors import InvalidDocument
from solver.io.load import read_document


def import_document(
    scenario: Annotated[Path, typer.Argument(help="scenario document (format v1)", metavar="SCENARIO")],
    replace: Annotated[bool, typer.Option(help="overwrite rows whose ids exist already")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="show what would be added and changed; store nothing")
    ] = False,
) -> None:
    """Load a scenario document into the service database, all or nothing.

    Adds what the document names (with --replace, also overwrites the rows it names that
    exist); nothing it does not name is touched."""
    try:
        document = read_document(scenario)
    except InvalidDocument as exc:
        fail_input(exc, str(scenario))
    settings = load_settings()
    migrated(settings)
    with database(settings) as factory, transaction(factory) as session:
        result = import_scenario(session, document, replace, None, dry_run=dry_run)
    verb = "would import" if dry_run else "imported"
    typer.echo(
        f"{verb} {result.units} units, {result.posts} posts, {result.officers} officers, "
        f"{result.shift_types} shift types: {len(result.added)} new, {len(result.updated)} overwritten "
        f"({len(result.changes)} with changes)"
    )
    for item in result.added:
        typer.echo(f"  + {item}")
    for change in result.changes:
        typer.echo(f"  ~ {change['item']}: {', '.join(change['fields'])}")
    for c in result.settings:
        action = "applied" if c["applied"] else "kept (use --replace to adopt the document's)"
        typer.echo(f"  setting {c['field']}: stored {c['stored']!r}, document {c['document']!r}: {action}")
