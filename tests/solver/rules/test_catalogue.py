"""Every rule in the catalogue has its own test file, named after it, that tests that rule."""

from pathlib import Path

from solver.check import HARD_RULES as REFEREE_RULES
from solver.rules import RULES

HERE = Path(__file__).parent


def test_every_rule_has_its_test_file():
    missing = [r.id for r in RULES if not (HERE / f"test_{r.id}.py").exists()]
    assert not missing


def test_each_test_file_tests_the_rule_it_is_named_after():
    for r in RULES:
        text = (HERE / f"test_{r.id}.py").read_text()
        assert f'RULE = "{r.id}"' in text, r.id
        assert "def test_" in text


def test_hard_rules_use_the_referee_rule_ids():
    assert {r.id for r in RULES if r.hard} <= set(REFEREE_RULES)
