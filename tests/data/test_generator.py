"""The Zhangye scenario generator: valid, deterministic, committed output current, history sound."""

from __future__ import annotations

import copy
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest

from data.generate_zhangye import (
    DEFAULT_OUT,
    EMERGENCY_KINDS,
    capacity,
    generate,
    main,
    normal_month,
    to_json,
)
from solver.check import check_assignments
from solver.domain import Assignment, PostKind, Scenario
from solver.greedy import greedy_roster
from solver.io.load import load_scenario, scenario_from_dict

START = date(2021, 11, 8)


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return generate()


@pytest.fixture(scope="module")
def scenario(doc: dict[str, Any]) -> Scenario:
    return scenario_from_dict(doc)


def test_scale_1_has_the_detachment(scenario: Scenario) -> None:
    kinds = Counter(p.kind for p in scenario.posts)
    assert kinds[PostKind.CHECKPOINT] == 46
    assert kinds[PostKind.INTERSECTION] == 34
    assert (kinds[PostKind.HOSPITAL], kinds[PostKind.ISOLATION_SITE], kinds[PostKind.SUPPLY_DEPOT]) == (
        2,
        3,
        2,
    )
    assert [u.id for u in scenario.units] == ["hq", "ganzhou", "linze", "gaotai", "shandan", "minle", "sunan"]
    assert 550 <= len(scenario.officers) <= 650
    checkpoints = Counter(p.unit for p in scenario.posts if p.kind is PostKind.CHECKPOINT)
    assert checkpoints == {"ganzhou": 10, "linze": 7, "gaotai": 8, "shandan": 8, "minle": 8, "sunan": 5}
    assert {p.unit for p in scenario.posts if p.kind is PostKind.INTERSECTION} == {"ganzhou"}
    for o in scenario.officers:
        assert o.serves == (("ganzhou",) if o.unit == "hq" else (o.unit,))
    assert len({o.id for o in scenario.officers}) == len(scenario.officers)
    assert (scenario.start, scenario.days, scenario.timezone) == (START, 7, "Asia/Shanghai")
    assert scenario.baseline == ()


def test_same_seed_same_bytes_other_seed_other_bytes() -> None:
    text = to_json(generate())
    assert to_json(generate(seed=2021)) == text
    assert to_json(generate(seed=7)) != text


def test_committed_file_is_generator_output(doc: dict[str, Any]) -> None:
    assert DEFAULT_OUT.read_text(encoding="utf-8") == to_json(doc)
    assert len(load_scenario(DEFAULT_OUT).officers) == len(doc["officers"])


def test_command_line_writes_the_same_bytes(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "z.json"
    assert main(["--out", str(out)]) == 0
    assert out.read_bytes() == DEFAULT_OUT.read_bytes()
    assert "sunan" in capsys.readouterr().err  # the capacity table


def test_scale_2_is_two_cities(doc: dict[str, Any]) -> None:
    doc2 = generate(scale=2)
    s2 = scenario_from_dict(doc2)
    assert len(s2.posts) == 2 * len(doc["posts"])
    assert len(s2.officers) == 2 * len(doc["officers"])
    assert len(s2.slots()) == 2 * len(scenario_from_dict(doc).slots())
    n_posts, n_officers = len(doc["posts"]), len(doc["officers"])
    assert doc2["units"][: len(doc["units"])] == doc["units"]
    assert doc2["posts"][:n_posts] == doc["posts"]
    assert doc2["officers"][:n_officers] == doc["officers"]
    assert doc2["pinned"][: len(doc["pinned"])] == doc["pinned"]
    second = doc2["officers"][n_officers:]
    assert all(o["id"].startswith("c2-") and o["name"].endswith("（2）") for o in second)
    assert all(p["id"].startswith("c2-") and p["unit"].startswith("c2-") for p in doc2["posts"][n_posts:])
    assert [o.get("unavailable") for o in second] != [o.get("unavailable") for o in doc["officers"]]
    assert not check_assignments(s2, s2.pinned).violations


def test_28_days() -> None:
    doc28 = generate(days=28)
    s = scenario_from_dict(doc28)
    assert s.days == 28
    assert len(s.slots()) == 4 * len(scenario_from_dict(generate()).slots())
    for o in s.officers:
        assert all(START - timedelta(days=7) <= h.date < START for h in o.history)
    late = [r for o in s.officers for r in o.requests if r.date >= START + timedelta(days=7)]
    assert late  # requests are drawn over the whole horizon


def test_no_violations_without_assignments(scenario: Scenario) -> None:
    """An empty roster breaks nothing but the pins (history alone never makes a roster invalid)."""
    violations = check_assignments(scenario, []).violations
    assert [v.rule for v in violations] == ["pinned_missing"] * len(scenario.pinned)


def test_pinned_duties_are_valid(scenario: Scenario) -> None:
    assert len(scenario.pinned) == 3
    slots = {slot.key for slot in scenario.slots()}
    for pin in scenario.pinned:
        officer, post = scenario.officer(pin.officer), scenario.post(pin.post)
        assert post.unit in officer.serves
        assert (post.id, pin.shift, pin.date) in {(k.post, k.shift, k.date) for k in slots}
    assert check_assignments(scenario, scenario.pinned).violations == ()


def _history_as_roster(doc: dict[str, Any]) -> tuple[Scenario, list[Assignment]]:
    """The week before the horizon as a scenario of its own, with the history as its roster."""
    start = date.fromisoformat(doc["horizon"]["start"])
    first = start - timedelta(days=7)
    past = copy.deepcopy(doc)
    past["horizon"] = {"start": first.isoformat(), "days": 7}
    past["pinned"] = []
    all_shifts = [s["id"] for s in doc["shift_types"]]
    past["posts"] = [
        {
            "id": f"past-{u['id']}",
            "name": u["name"],
            "kind": "other",
            "unit": u["id"],
            "coverage": [{"shift": s, "min": 0, "max": 10_000} for s in all_shifts],
        }
        for u in doc["units"]
    ]
    assignments = []
    for o in past["officers"]:
        o.pop("requests", None)
        for h in o.pop("history", []):
            day = date.fromisoformat(h["date"])
            assert first <= day < start
            post = "past-" + o.get("serves", [o["unit"]])[0]
            assignments.append(Assignment(day, h["shift"], post, o["id"]))
    return scenario_from_dict(past), assignments


def test_history_obeys_every_rule(doc: dict[str, Any]) -> None:
    """Rest, runs, minutes, a day off in the week, no duty during leave, the shift types of the posts."""
    past, assignments = _history_as_roster(doc)
    assert len(assignments) > 2500
    assert check_assignments(past, assignments).violations == ()


def test_history_constrains_the_first_days(scenario: Scenario) -> None:
    last = [START - timedelta(days=i) for i in range(1, 7)]
    ends_on_three_nights = [
        o for o in scenario.officers if {(d, "N") for d in last[:3]} <= {(h.date, h.shift) for h in o.history}
    ]
    ends_on_six_days = [o for o in scenario.officers if set(last) <= {h.date for h in o.history}]
    assert ends_on_three_nights and ends_on_six_days


def test_capacity_only_sunan_is_short(doc: dict[str, Any]) -> None:
    rows = {r["unit"]: r for r in capacity(doc)}
    for unit in ("ganzhou", "linze", "gaotai", "shandan", "minle"):
        assert rows[unit]["load"] <= 0.85
        assert rows[unit]["leader_load"] <= 0.85
        assert rows[unit]["fewest_leaders_free"] > rows[unit]["leader_seats_per_day"]
    sunan = rows["sunan"]
    assert sunan["fewest_leaders_free"] == sunan["leader_seats_per_day"] - 1


def test_history_check_catches_a_broken_history(doc: dict[str, Any]) -> None:
    broken = copy.deepcopy(doc)
    officer = next(o for o in broken["officers"] if not o.get("unavailable"))
    officer["history"] = [
        {"shift": "E", "date": (START - timedelta(days=2)).isoformat()},
        {"shift": "N", "date": (START - timedelta(days=1)).isoformat()},
    ]
    past, assignments = _history_as_roster(broken)
    assert {v.rule for v in check_assignments(past, assignments).violations} == {"min_rest"}


def test_the_normal_month_is_a_valid_format_2_scenario_whose_greedy_roster_holds() -> None:
    doc = normal_month(generate(days=7))
    assert doc["format"] == 2 and doc["pinned"] == []
    assert not any(p["kind"] in EMERGENCY_KINDS for p in doc["posts"])
    s = scenario_from_dict(doc)
    assert s.rules.max_duties_per_day == 1 and s.rules.min_consecutive_days_off == 2
    assert any(sl.over_weight for sl in s.slots())
    report = check_assignments(s, greedy_roster(s))
    assert not report.violations


def test_hq_officers_stand_in_duty_groups_inside_ganzhou_and_checkpoints_have_locations(
    doc: dict[str, Any],
) -> None:
    scenario = scenario_from_dict(doc)
    hq = {o.id for o in scenario.officers if o.unit == "hq"}
    members = [m for g in scenario.groups for m in g.members]
    assert sorted(members) == sorted(hq) and len(members) == len(set(members))
    assert all(len(g.members) == 4 and g.pattern is None for g in scenario.groups)
    leaders = {o.id for o in scenario.officers if "leader" in o.skills}
    assert all(set(g.members) & leaders for g in scenario.groups)  # each group can lead a checkpoint
    assert all(scenario.officer(m).serves == ("ganzhou",) for m in members)
    for p in scenario.posts:
        assert (p.location is not None) == (p.kind is PostKind.CHECKPOINT)
        if p.location is not None:
            assert 38.0 < p.location.lat < 40.0 and 99.0 < p.location.lon < 101.6
    assert len({(p.location.lat, p.location.lon) for p in scenario.posts if p.location}) == 46
