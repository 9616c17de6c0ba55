"""Pinned duties are part of the roster."""

from __future__ import annotations

from solver.model.base import Penalty, RosterModel


def pinned_duties(m: RosterModel) -> list[Penalty]:
    """Every pinned duty is assigned (raises `Infeasible` when the model has no room for one)."""
    m.force(dict.fromkeys(m.scenario.pinned))
    return []
