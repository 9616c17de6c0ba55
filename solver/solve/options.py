"""What a solve is asked to do and what it reports: options, progress, the callbacks, its error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SolveOptions:
    time_limit: float = 30.0
    """Seconds for the whole solve (with `workers == 1`: CP-SAT's deterministic seconds, so that
    the same seed gives the same roster)."""
    workers: int = 2
    seed: int = 0
    method: str = "decomposed"
    """`decomposed` (ours) or `plain` (one model, every Boolean, for comparison in bench/)."""
    relative_gap: float = 0.0
    """Stop as soon as (objective - bound) / objective is at most this."""
    log: bool = False
    rebalance: bool = True
    """Rebalance the greedy first roster of each large part (`solver.solve.rebalance`) before
    CP-SAT; off only to measure what it brings (bench/quality.py)."""
    lns: bool = False
    """Our large-neighbourhood search beside CP-SAT on the exact model of a part where nobody is
    placed (`solver.solve.lns`). Off by default: measured under load it beat CP-SAT alone on
    Curtois & Qu Instances 4-5 and lost on 7-8 (`python -m bench.curtois --lns`)."""
    columns: bool = True
    """Column generation first on a part where nobody is placed and every soft term but cover
    belongs to one officer (`solver.solve.columns`), with two workers or more (it runs on the
    wall clock). Off only to measure what it brings (`python -m bench.curtois --no-columns`)."""


@dataclass(frozen=True)
class Progress:
    """What a running solve reports whenever its best objective or bound improves."""

    elapsed: float
    objective: int | None
    bound: int | None
    phase: str = ""
    done: float = 0.0
    """Share of the work finished, 0..1."""


ProgressCallback = Callable[[Progress], None]
StopCheck = Callable[[], bool]

METHODS = ("decomposed", "plain")


class SolverError(RuntimeError):
    """The solver produced something the referee rejects: a bug, never a user error."""
