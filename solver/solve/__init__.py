"""Solve a scenario: the entry point for the CLI, the service and the benchmarks.

`decomposed` (the default) uses the structure of a detachment:

1. *Independent parts.* Units linked by officers who serve them (and a unit's own officers, who
   share its fairness term) form components; the objective is a sum over them, so each is solved
   on its own and the bounds add up.
2. *A cheap first roster* per component from a greedy pass (`solver.greedy`), which also seeds
   the search.
3. *Who works when* (`ShiftModel`): officers of one kind are interchangeable until they are placed,
   so the model counts officers of each kind per slot instead of choosing each officer's post.
   Exact for every hard rule, shortfall, requests and fairness; its bound is a lower bound of the
   whole objective.
4. *Who stands where* (a `PostModel` with the working times of step 3 fixed): places officers at
   posts for continuity and the baseline, exact on every term (a greedy placement first).

`plain` builds one `PostModel` with a Boolean for every officer and slot, every rule written
directly, for comparison in bench/.

The package: `options` (what a solve is asked and reports), `components` (step 1), `pipeline`
(`solve` and the steps, within one time budget), `cpsat` (running CP-SAT, its clock and hints),
`placement` (the greedy placement of step 4's first answer), `checks` (the referee on the pins
before and on the roster after). `solve` and `SolveOptions` are its public entry.
"""

from solver.solve.options import SolveOptions
from solver.solve.pipeline import solve

__all__ = ["SolveOptions", "solve"]
