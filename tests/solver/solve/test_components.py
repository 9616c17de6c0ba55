"""The independent parts of a scenario: units joined by the officers who serve them."""

from __future__ import annotations

from dataclasses import replace

from solver.check import check_assignments
from solver.io.load import load_scenario
from solver.solve import SolveOptions, solve
from solver.solve.checks import checked_roster
from solver.solve.components import components, orphan_baseline_penalty, unit_components
from solver.solve.cpsat import Clock
from tests.conftest import REPO
from tests.solver.builders import SMALL, build, officer, post


def test_components_split_units_joined_by_officers():
    s = load_scenario(SMALL)
    parts = components(s)
    assert len(parts) == 1  # hq officers serve ganzhou
    lonely = replace(s, officers=tuple(o for o in s.officers if o.unit == "ganzhou"))
    parts = components(lonely)
    assert sorted(len(p.posts) for p in parts) == [0, 4]


def test_unit_components_join_an_officer_s_home_unit_and_every_unit_they_serve():
    s = build(
        units=[{"id": u, "name": u} for u in ("u1", "u2", "u3", "u4")],
        posts=[post("p1", "u1"), post("p3", "u3"), post("p4", "u4")],
        officers=[officer("a", "u1"), officer("b", "u3", serves=["u3", "u2"]), officer("c", "u4")],
    )
    assert unit_components(s) == [{"u1"}, {"u2", "u3"}, {"u4"}]
    assert [sorted(u.id for u in part.units) for part in components(s)] == [["u1"], ["u2", "u3"], ["u4"]]
    assert [[o.id for o in part.officers] for part in components(s)] == [["a"], ["b"], ["c"]]


def test_an_officer_serving_only_elsewhere_still_joins_their_home_unit():
    """Fairness compares a unit's own officers, so their home unit joins the units they serve."""
    s = build(officers=[officer("a", "u1", serves=["u2"])])
    assert unit_components(s) == [{"u1", "u2"}]


def test_a_duty_group_keeps_its_members_in_one_part_with_the_group():
    units = [{"id": u, "name": u} for u in ("u1", "u2", "u3")]
    people = [officer("a", "u1"), officer("b", "u2"), officer("c", "u3")]
    posts = [post("p1", "u1"), post("p2", "u2"), post("p3", "u3")]
    s = build(
        format=2,
        units=units,
        posts=posts,
        officers=people,
        groups=[{"id": "g", "name": "g", "members": ["a", "b"]}],
    )
    assert unit_components(s) == [{"u1", "u2"}, {"u3"}]
    first, second = components(s)
    assert [g.id for g in first.groups] == ["g"] and second.groups == ()
    assert {o.id for o in first.officers} == {"a", "b"}


def test_a_merge_takes_reasons_and_roles_from_its_parts_as_the_whole_would_give_them():
    """The Zhangye week solved part by part (as fanned-out jobs are), merged: the referee passes
    the whole, and the short slots' reasons and the duty roles taken from the parts are exactly
    those worked out on the whole roster."""
    s = load_scenario(REPO / "data" / "zhangye-2021-11-08.json")
    rosters = [solve(p, SolveOptions(time_limit=1, workers=1)) for p in components(s)]
    assignments = [a for r in rosters for a in r.assignments]
    objective = orphan_baseline_penalty(s) + sum(r.objective or 0 for r in rosters)
    clock = Clock(SolveOptions(), None)
    merged = checked_roster(s, assignments, objective, 0, clock, rosters)
    whole = checked_roster(s, assignments, objective, 0, clock)
    assert merged.shortfalls and merged.shortfalls == whole.shortfalls
    assert merged.roles and dict(merged.roles) == dict(whole.roles)
    assert not check_assignments(s, merged.assignments).violations
