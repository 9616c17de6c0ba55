"""The Zhangye generator's phone numbers and checkpoint positions (docs/format-extensions.md)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

import data.generate_zhangye as gen
from data.generate_zhangye import generate, normal_month
from solver.domain import PostKind
from solver.greedy import greedy_roster
from solver.io.load import scenario_from_dict
from solver.roles import assign_roles, role_problems

PHONE = re.compile(r"1390000\d{4}")


def _strip(doc: dict[str, Any]) -> dict[str, Any]:
    for o in doc["officers"]:
        del o["phone"]
    for p in doc["posts"]:
        p.pop("positions", None)
    return doc


def test_every_officer_has_a_distinct_synthetic_phone() -> None:
    doc = generate()
    phones = [o["phone"] for o in doc["officers"]]
    assert all(PHONE.fullmatch(p) for p in phones)
    assert len(set(phones)) == len(phones) == 598
    assert [o.phone for o in scenario_from_dict(doc).officers] == phones
    big = [o["phone"] for o in generate(scale=17, days=1)["officers"]]
    assert len(set(big)) == len(big) and all(re.fullmatch(r"139\d{8}", p) for p in big)


def test_checkpoint_positions_fit_the_coverage() -> None:
    s = scenario_from_dict(generate())
    for post in s.posts:
        if post.kind is not PostKind.CHECKPOINT:
            assert post.positions == ()
            continue
        assert [p.name for p in post.positions] == ["近端查控", "中端警示", "远端分流"]
        assert {sum(p.heads or 0 for p in post.positions)} == {c.max for c in post.coverage}


def test_phones_and_positions_move_nothing_else(monkeypatch: pytest.MonkeyPatch) -> None:
    # the phones draw from their own stream: without them, the document is the same
    for kwargs in ({}, {"seed": 7, "scale": 2, "days": 3}):
        full = _strip(generate(**kwargs))
        monkeypatch.setattr(gen, "_phones", lambda rng, count: ["x"] * count)
        monkeypatch.setattr(gen, "_checkpoint_positions", lambda busiest: [])
        bare = _strip(generate(**kwargs))
        monkeypatch.undo()
        assert bare == full


def test_a_roster_of_the_week_names_leaders_and_positions_that_hold() -> None:
    s = scenario_from_dict(generate(days=2))
    duties = greedy_roster(s)
    roles = assign_roles(s, duties)
    assert role_problems(s, duties, roles) == []
    placed = Counter(r.position for a, r in roles.items() if s.post(a.post).kind is PostKind.CHECKPOINT)
    assert placed["near"] > 0 and placed["mid"] > 0
    assert any(r.leader for r in roles.values())
    month = scenario_from_dict(normal_month(generate(days=7)))
    assert all(o.phone for o in month.officers)
    assert all(p.positions for p in month.posts if p.kind is PostKind.CHECKPOINT)
