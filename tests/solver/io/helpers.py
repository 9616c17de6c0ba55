"""Shared by the loader tests: expecting a rejection at a field path, editing a default document,
a pin, a document using every feature."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from solver.io.errors import FormatError, InvalidDocument
from solver.io.load import scenario_from_dict
from tests.solver.builders import at, coverage, history, iso, officer, post, scenario_doc, shift

EXAMPLE = Path(__file__).parents[3] / "data" / "example-small.json"
SKILLS = [{"id": "lead", "name": "leader"}]


def errors(doc: Any) -> list[FormatError]:
    with pytest.raises(InvalidDocument) as caught:
        scenario_from_dict(doc)
    assert caught.value.errors, "rejected without a reason"
    return caught.value.errors


def rejected(doc: Any, path: str, oid: str | None = None, text: str = "") -> FormatError:
    """The document is rejected with exactly one error, at `path`, owned by `oid`, saying `text`."""
    errs = errors(doc)
    assert [(e.path, e.id) for e in errs] == [(path, oid)], errs
    assert text.lower() in errs[0].message.lower(), errs[0]
    shown = str(errs[0])
    assert shown.startswith(path or "(document)")
    if oid is not None:
        assert repr(oid) in shown
    return errs[0]


def changed(edit: Callable[[dict[str, Any]], Any], **overrides: Any) -> dict[str, Any]:
    doc = scenario_doc(**overrides)
    edit(doc)
    return doc


def pin(n: int, post_id: str = "p1", shift_id: str = "D", officer_id: str = "o1") -> dict[str, str]:
    return {"officer": officer_id, "post": post_id, "shift": shift_id, "date": iso(n)}


def rich_doc() -> dict[str, Any]:
    return scenario_doc(
        name="round trip",
        timezone="Europe/Berlin",
        skills=SKILLS,
        shift_types=[shift("D", "08:00", 480), shift("N", "22:00", 600, night=True)],
        posts=[
            {
                **post(
                    "p1",
                    cover=[coverage("D", 1, 2, skills={"lead": 1}, days=["mon", iso(2)]), coverage("N", 0)],
                ),
                "priority": 7,
            },
            post("q1", unit="u2", shifts=["D"]),
        ],
        officers=[
            officer(
                "o1",
                serves=["u1", "u2"],
                skills=["lead"],
                unavailable=[
                    {"start": at(3, "00:00"), "end": at(4, "00:00"), "reason": "leave"},
                    {"start": at(5, "10:00"), "end": at(5, "11:00")},
                ],
                requests=[
                    {"kind": "day_off", "date": iso(1), "weight": 2},
                    {"kind": "shift_on", "date": iso(2), "shift": "N", "weight": 1},
                    {"kind": "shift_on", "date": iso(2), "shift": "N", "weight": 1},
                ],
                history=history(("N", -2), ("D", -1)),
                rules={"min_rest_minutes": 600},
            ),
            officer("o2", unit="u2", serves=[]),
        ],
        rules={"max_consecutive_nights": 2, "weights": {"fair_nights": 9}},
        pinned=[pin(0)],
        baseline=[pin(2), {"officer": "left", "post": "gone", "shift": "X", "date": iso(-5)}],
    )
