"""The Curtois & Qu shift-scheduling benchmark: the plain CP-SAT model and ours on the same
instances, every schedule verified by an evaluator written from the benchmark's own rules.

    python -m bench.curtois [--time-limit S] [--instances Instance1 ...] [--dir PATH] [--out FILE]
"""
