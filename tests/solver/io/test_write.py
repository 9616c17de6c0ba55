"""Writing a scenario back into a document: the round trip is exact."""

from __future__ import annotations

import json

import pytest

from solver.io.load import load_scenario, scenario_from_dict
from solver.io.write import scenario_to_dict
from tests.solver.io.helpers import EXAMPLE, rich_doc


@pytest.mark.parametrize("source", ["example", "rich"])
def test_round_trip(source):
    original = load_scenario(EXAMPLE) if source == "example" else scenario_from_dict(rich_doc())
    written = scenario_to_dict(original)
    again = scenario_from_dict(json.loads(json.dumps(written)))
    assert again == original
    assert scenario_to_dict(again) == written
