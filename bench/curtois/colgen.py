"""The column-generation bound of Curtois & Qu instances (`solver.solve.columns.ColumnLP`): the LP
relaxation of the formulation with one variable per officer and whole schedule, solved by column
generation to the end, and the proven lower bound it gives.

    python -m bench.curtois.colgen [--instances Instance7 Instance8] [--threads 2] [--limit 120]

For each instance: the LP value, the proven bound (rounded up; in brackets before rounding), the
iterations, the columns generated, the seconds and whether the generation converged (no schedule
prices out, every pricing problem solved to optimality). A benchmark: it reports figures and
asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Sequence
from pathlib import Path

from bench.machine import machine
from solver.io.curtois import read_instance, to_scenario
from solver.io.load import scenario_from_dict
from solver.solve.columns import ColumnLP

INSTANCES = Path(__file__).resolve().parent / "instances"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--instances", nargs="*", default=[f"Instance{i}" for i in range(1, 9)])
    parser.add_argument("--dir", type=Path, default=INSTANCES)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=float, default=120.0)
    args = parser.parse_args(argv)
    print(f"Machine: {machine()}. Pricing on {args.threads} threads.")
    print("| instance | LP | proven bound | iterations | columns | seconds | converged |")
    print("|---|--:|--:|--:|--:|--:|---|")
    for name in args.instances:
        scenario = scenario_from_dict(to_scenario(read_instance(args.dir / f"{name}.txt")))
        began = time.monotonic()
        root = ColumnLP(scenario, args.threads).generate(began + args.limit, lambda: False, lambda b: None)
        seconds = time.monotonic() - began
        shown = "none" if root.bound is None else f"{math.ceil(root.bound - 1e-6):,} ({root.bound:,.2f})"
        print(
            f"| {name} | {root.lp:,.2f} | {shown} | {root.iterations} | {root.columns:,} | {seconds:.1f} "
            f"| {'yes' if root.converged else 'no'} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
