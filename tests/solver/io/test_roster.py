"""The roster document (`roster check` input) and the comparison of a roster's claims with the referee."""

from __future__ import annotations

from typing import Any

import pytest

from solver.check import check_roster
from solver.domain import Assignment, Score
from solver.io.errors import InvalidDocument
from solver.io.roster import roster_from_dict, roster_to_dict
from tests.solver.builders import MON, build, iso, officer


def roster_doc(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "scenario": "test",
        "status": "FEASIBLE",
        "objective": 0,
        "bound": 0,
        "score": {"shortfall": 0, "requests": 0, "fairness": 0, "continuity": 0, "changes": 0, "total": 0},
        "assignments": [{"officer": "o1", "post": "p1", "shift": "D", "date": iso(0)}],
        "shortfalls": [],
        "solve_seconds": 0.5,
    }
    doc.update(overrides)
    return doc


def test_a_roster_document_loads_with_its_claimed_score_and_extra_keys():
    doc = roster_doc(
        assignments=[{"officer": "o1", "post": "p1", "shift": "D", "date": iso(0), "note": "kept"}],
        shortfalls=[
            {"post": "p1", "shift": "D", "date": iso(1), "missing": 1, "skill": None, "reason": "nobody free"}
        ],
        generator="test",
    )
    roster, claimed = roster_from_dict(doc)
    assert roster.assignments == (Assignment(MON, "D", "p1", "o1"),)
    assert claimed == doc["score"]  # as claimed; the referee compares a v2 term it lacks as 0
    assert roster.shortfalls[0].reason == "nobody free"
    assert dict(roster.extra) == {"generator": "test"}
    assert roster_to_dict(roster)["generator"] == "test"
    again, _ = roster_from_dict(roster_to_dict(roster))
    assert again == roster


def test_score_may_be_absent_or_null():
    assert roster_from_dict(roster_doc(score=None, objective=None, bound=None))[1] is None
    doc = roster_doc()
    del doc["score"]
    assert roster_from_dict(doc)[1] is None


@pytest.mark.parametrize(
    ("edit", "path"),
    [
        (lambda d: d.pop("assignments"), "assignments"),
        (lambda d: d["assignments"][0].update(date="2021-02-30"), "assignments[0].date"),
        (lambda d: d["assignments"][0].update(officer=""), "assignments[0].officer"),
        (lambda d: d["assignments"][0].pop("shift"), "assignments[0].shift"),
        (lambda d: d.update(objective=1.0), "objective"),
        (lambda d: d["score"].update(total=True), "score.total"),
        (lambda d: d.update(status="DONE"), "status"),
    ],
)
def test_invalid_roster_documents_are_rejected_with_the_path(edit, path):
    doc = roster_doc()
    edit(doc)
    with pytest.raises(InvalidDocument) as caught:
        roster_from_dict(doc)
    assert [e.path for e in caught.value.errors] == [path]
    assert caught.value.what == "roster"


@pytest.mark.parametrize("value", [[], "x", None])
def test_a_roster_that_is_not_an_object_is_rejected(value):
    with pytest.raises(InvalidDocument):
        roster_from_dict(value)


def checked(score: dict[str, int] | None, objective: int | None = None, bound: int | None = None):
    s = build(
        officers=[officer("o1", requests=[{"kind": "day_off", "date": iso(0), "weight": 1}]), officer("o2")]
    )
    roster, claimed = roster_from_dict(roster_doc(score=score, objective=objective, bound=bound))
    return check_roster(s, roster, claimed)


TRUE = {"shortfall": 0, "requests": 10, "fairness": 2, "continuity": 0, "changes": 0, "total": 12}


def test_a_roster_claiming_the_true_score_passes():
    report = checked(TRUE, objective=12, bound=12)
    assert report.score == Score(requests=10, fairness=2)
    assert report.ok and report.mismatches == ()


def test_every_wrong_claim_is_a_mismatch():
    assert checked({**TRUE, "requests": 0}, objective=12).mismatches == (
        "score.requests: roster claims 0, recomputed 10",
    )
    assert checked({**TRUE, "total": 11}).mismatches == ("score.total: roster claims 11, recomputed 12",)
    assert checked(TRUE, objective=13).mismatches == ("objective: roster claims 13, recomputed 12",)
    assert len(checked(TRUE, bound=13).mismatches) == 1
    assert not checked(None).mismatches  # nothing claimed, nothing to compare
    assert not checked({**TRUE, "requests": 0}).ok
