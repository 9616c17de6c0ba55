"""Every hard rule and every objective term of the referee has its own test file, named after it,
which names the rule it tests (a test file named for one rule that checks another is caught)."""

from pathlib import Path

import pytest

from solver.check import HARD_RULES, OBJECTIVE_TERMS
from solver.domain import SCORE_TERMS

HERE = Path(__file__).parent

SPEC_RULE_IDS = {
    "coverage_max",
    "no_coverage_slot",
    "serves_unit",
    "unavailable",
    "overlap",
    "min_rest",
    "max_minutes_per_7_days",
    "min_days_off_per_7_days",
    "max_consecutive_days",
    "max_consecutive_nights",
    "pinned_missing",
    "duplicate_assignment",
    "unknown_reference",
    "owed_rest",  # version 2
}
V2_RULE_IDS = {  # scenario format version 2, "More working-time rules"
    "max_duties_per_day",
    "forbidden_succession",
    "max_duties_by_shift",
    "min_minutes_per_horizon",
    "max_minutes_per_horizon",
    "min_consecutive_days",
    "min_consecutive_days_off",
    "max_weekends",
}
EXTENSION_RULE_IDS = {"frozen_until"}  # optional scenario field documented in docs/scenario-format.md


def test_the_catalogues_are_the_spec_s():
    assert set(HARD_RULES) == SPEC_RULE_IDS | V2_RULE_IDS | EXTENSION_RULE_IDS
    assert (
        tuple(OBJECTIVE_TERMS)
        == SCORE_TERMS
        == (
            "shortfall",
            "overstaffing",
            "requests",
            "fairness",
            "continuity",
            "changes",
            "group_split",
            "pattern",
        )
    )


@pytest.mark.parametrize("name", [*HARD_RULES, *OBJECTIVE_TERMS])
def test_each_rule_and_term_has_its_test_file(name: str):
    path = HERE / f"test_{name}.py"
    assert path.is_file(), f"no test file for {name}: expected {path.relative_to(HERE.parents[2])}"
    text = path.read_text(encoding="utf-8")
    assert "def test_" in text
    if name in HARD_RULES:
        assert f'RULE = "{name}"' in text, f"{path.name} does not test rule {name}"
    else:
        assert f".score.{name}" in text, f"{path.name} does not read score term {name}"
