"""Duty leaders (带班) and positions (`solver.roles`): named after the solve, valid, never in the score;
the optional scenario and roster fields that carry them; `roster check` on them."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from app.cli import app
from solver.check import check_assignments
from solver.domain import Assignment, DutyRole, Roster, Scenario
from solver.io.errors import InvalidDocument
from solver.io.load import scenario_from_dict
from solver.io.roster import roster_from_dict, roster_to_dict
from solver.io.write import scenario_to_dict
from solver.roles import assign_roles, leader_skill, role_problems, with_roles
from solver.solve import SolveOptions, solve
from tests.solver.builders import assert_checked
from tests.solver.io.helpers import rejected

SMALL = Path(__file__).resolve().parents[2] / "data" / "example-small.json"
LAYERS = [
    {"id": "far", "name": "远端分流", "heads": 1},
    {"id": "mid", "name": "中端警示", "heads": 1},
    {"id": "near", "name": "近端查控"},
]
runner = CliRunner()


def small_with_layers() -> dict[str, Any]:
    doc = json.loads(SMALL.read_text(encoding="utf-8"))
    for p in doc["posts"]:
        if p["id"] == "g30-east":
            p["positions"] = LAYERS
    doc["officers"][0]["phone"] = "139-0000-0001"
    return doc


OPTIONS = SolveOptions(time_limit=2, workers=1, seed=0)


@pytest.fixture(scope="module")
def solved() -> tuple[Scenario, Roster]:
    s = scenario_from_dict(small_with_layers())
    return s, solve(s, OPTIONS)


def test_leaders_hold_the_skill_positions_are_the_posts_and_the_score_is_unchanged(solved):
    s, roster = solved
    assert_checked(s, roster)
    assert role_problems(s, roster.assignments, roster.roles) == []
    by_slot: dict[Any, list[Assignment]] = defaultdict(list)
    for a in roster.assignments:
        by_slot[a.slot_key].append(a)
    led = 0
    for key, duties in by_slot.items():
        leaders = [a for a in duties if roster.roles.get(a, DutyRole()).leader]
        skill = leader_skill(s, key)
        holders = [a for a in duties if skill is not None and skill in s.officer(a.officer).skills]
        assert len(leaders) == (1 if holders else 0), key
        for a in leaders:
            assert skill in s.officer(a.officer).skills
        led += len(leaders)
        placed = [roster.roles[a].position for a in duties if a in roster.roles and roster.roles[a].position]
        if key.post == "g30-east":
            assert len(placed) == len(duties)  # near has no cap: everyone stands somewhere
            counts = Counter(placed)
            assert set(counts) <= {"far", "mid", "near"} and counts["far"] == 1  # fewest first, in order
            assert counts["mid"] == (1 if len(duties) > 1 else 0)
        else:
            assert placed == []
    assert led > 0
    # the score is the referee's on the assignments alone, and the same as without any position
    assert roster.objective == check_assignments(s, roster.assignments).score.total
    plain = solve(scenario_from_dict(json.loads(SMALL.read_text(encoding="utf-8"))), OPTIONS)
    assert plain.assignments == roster.assignments and plain.objective == roster.objective
    assert with_roles(s, replace(roster, roles={})).objective == roster.objective


def test_roles_are_deterministic_and_kept_where_they_hold(solved):
    s, roster = solved
    assert assign_roles(s, roster.assignments) == dict(roster.roles)
    # a checkpoint slot staffed by two officers with the leader skill and one without (made up
    # here: which slots the solver staffs so depends on the search)
    first = next(a for a in roster.assignments if s.post(a.post).positions)
    slot = first.slot_key
    serving = [o for o in s.officers if s.post(first.post).unit in ({o.unit} | set(o.serves))]
    leaders = [o.id for o in serving if "leader" in o.skills][:2]
    plain_one = next(o.id for o in serving if "leader" not in o.skills)
    others = [a for a in roster.assignments if a.slot_key != slot]
    staffed = [Assignment(slot.date, slot.shift, slot.post, o) for o in [*leaders, plain_one]]
    assignments = [*others, *staffed]
    roster = replace(roster, assignments=assignments, roles=assign_roles(s, assignments))
    duties = [a for a in roster.assignments if a.slot_key == slot]
    leader = next(a for a in duties if roster.roles[a].leader)
    other = next(a for a in duties if a != leader and "leader" in s.officer(a.officer).skills)
    kept = assign_roles(s, roster.assignments, keep={other: DutyRole(leader=True, position="near")})
    assert kept[other] == DutyRole(leader=True, position="near") and not kept[leader].leader
    # a kept role that no longer holds (no skill, an unknown position) gives way
    plain = next(a for a in duties if "leader" not in s.officer(a.officer).skills)
    fixed = assign_roles(s, roster.assignments, keep={plain: DutyRole(leader=True, position="roof")})
    assert not fixed[plain].leader and fixed[plain].position in {"far", "mid", "near"}
    assert role_problems(s, roster.assignments, fixed) == []


def test_roster_document_carries_roles_and_check_judges_them(tmp_path, solved):
    doc = small_with_layers()
    s, roster = solved
    written = roster_to_dict(roster)
    entries = written["assignments"]
    assert any(e.get("role") == "leader" for e in entries)
    assert {e["position"] for e in entries if "position" in e} <= {"far", "mid", "near"}
    back, _ = roster_from_dict(written)
    assert dict(back.roles) == dict(roster.roles)

    scenario_path = tmp_path / "s.json"
    scenario_path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    roster_path = tmp_path / "r.json"
    roster_path.write_text(json.dumps(written), encoding="utf-8")
    ok = runner.invoke(app, ["check", str(scenario_path), str(roster_path)])
    assert ok.exit_code == 0, ok.output

    # a leader without the skill, a second leader, an unknown position: roster check fails on each
    broken = json.loads(json.dumps(written))
    g30 = [e for e in broken["assignments"] if e["post"] == "g30-east"]
    plain = next(e for e in g30 if "leader" not in s.officer(e["officer"]).skills)
    plain["role"] = "leader"
    plain["position"] = "roof"
    roster_path.write_text(json.dumps(broken), encoding="utf-8")
    bad = runner.invoke(app, ["check", str(scenario_path), str(roster_path)])
    assert bad.exit_code == 1
    assert "ROLE leader without the leader skill" in bad.output
    assert "ROLE unknown position 'roof'" in bad.output
    assert "leaders on g30-east" in bad.output


def test_roster_document_rejects_an_unknown_role_with_its_path():
    entry = {"officer": "o", "post": "p", "shift": "D", "date": "2021-11-08", "role": "boss"}
    with pytest.raises(InvalidDocument) as caught:
        roster_from_dict({"assignments": [entry]})
    assert [e.path for e in caught.value.errors] == ["assignments[0].role"]


def test_the_scenario_fields_load_write_and_reject_with_paths():
    doc = small_with_layers()
    doc["posts"][0]["leader_skill"] = "leader"
    s = scenario_from_dict(doc)
    post = s.post("g30-east")
    assert [(p.id, p.name, p.heads) for p in post.positions] == [
        ("far", "远端分流", 1),
        ("mid", "中端警示", 1),
        ("near", "近端查控", None),
    ]
    assert post.leader_skill == "leader" and s.officers[0].phone == "139-0000-0001"
    out = scenario_to_dict(s)
    assert "format" not in out  # an extension, not a version-2 field
    assert scenario_from_dict(out) == s

    dup = small_with_layers()
    dup["posts"][0]["positions"] = [*LAYERS, {"id": "far", "name": "again"}]
    rejected(dup, "posts[0].positions[3].id", "g30-east", "duplicate position id")
    heads = small_with_layers()
    heads["posts"][0]["positions"] = [{"id": "far", "name": "远端分流", "heads": 0}]
    rejected(heads, "posts[0].positions[0].heads", "far")
    skill = small_with_layers()
    skill["posts"][0]["leader_skill"] = "captain"
    rejected(skill, "posts[0].leader_skill", "g30-east", "unknown skill")
