"""What a change stores, read and written through the typed models, is the JSON the service has
always stored: `stored_rows.json` holds the JSON columns of changes of every kind and state as the
service wrote them before the change workflow became `app.changes` (`made_by`)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from app.changes.kinds import KINDS, Replanned, request_of
from app.changes.models import ChangeKind, RosterChange
from app.changes.stored import REQUEST, StoredCheck, StoredProposal, StoredScope

ROWS: list[dict[str, Any]] = json.loads(
    (Path(__file__).with_name("stored_rows.json")).read_text(encoding="utf-8")
)["rows"]


AFTER_THE_ROWS = {ChangeKind.DUTY_LEVEL.value, ChangeKind.CALL_OUT.value}
"""Kinds newer than `stored_rows.json`; their JSON is what this service writes (tests/app/levels,
tests/app/standby)."""


def same_json(a: Any, b: Any) -> bool:
    """Equal, keys in the same order."""
    return json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)


def row_id(row: dict[str, Any]) -> str:
    return f"{row['id']}-{row['kind']}"


def test_the_rows_hold_every_kind_with_and_without_a_published_roster() -> None:
    assert {k.value for k in ChangeKind} == {k.value for k in KINDS}
    # duty_level and call_out (issue 14) came after the rows were captured: nothing stored before
    assert {r["kind"] for r in ROWS} == {k.value for k in ChangeKind} - AFTER_THE_ROWS
    assert {(r["kind"], r["scope"] is None) for r in ROWS} >= {
        ("leave", True),
        ("leave", False),
        ("coverage_change", True),
        ("coverage_change", False),
    }
    assert any(r["validation"] and r["validation"]["violations"] for r in ROWS)
    assert any(r["context"].get("carries") for r in ROWS)


@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_each_column_reads_and_writes_back_the_same_json(row: dict[str, Any]) -> None:
    assert same_json(REQUEST.validate_python(row["payload"]).model_dump(mode="json"), row["payload"])
    context_type = KINDS[ChangeKind(row["kind"])].context_type
    assert same_json(context_type.load(row["context"]).dump(), row["context"])
    if row["scope"] is not None:
        assert same_json(StoredScope.load(row["scope"]).dump(), row["scope"])
    if row["validation"] is not None:
        assert same_json(StoredCheck.load(row["validation"]).dump(), row["validation"])
    if row["proposal"] is not None:
        assert same_json(StoredProposal.load(row["proposal"]).dump(), row["proposal"])


@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_a_stored_change_reads_as_its_kind(row: dict[str, Any]) -> None:
    change = RosterChange(kind=row["kind"], payload=row["payload"], context=row["context"])
    request = request_of(change)
    assert request.kind == row["kind"]
    assert request.replanned == (row["kind"] in ("leave", "coverage_change"))
    assert request.partner_accepts == (row["kind"] == "swap")
    if row["kind"] == "swap":
        assert request.partner() == row["context"]["partner"]
    if isinstance(request, Replanned):
        replan = request.replan()
        if "now" in row["context"]:
            assert replan is not None and replan.now == datetime.fromisoformat(row["context"]["now"])
            assert list(replan.affected_units) == row["context"]["affected_units"]
            assert len(replan.following) == len(row["context"]["following"])
        else:
            assert replan is None
