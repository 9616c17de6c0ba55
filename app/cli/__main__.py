"""`python -m app.cli`: the `roster` command."""

from app.cli import main

main()
