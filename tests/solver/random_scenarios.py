"""Small random scenarios with every feature (history, leave, requests, overrides, pins, baseline),
for property tests of the solver, the ledger and the referee."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

START = date(2021, 11, 8)

SHIFTS = [
    {"id": "N", "name": "夜班", "start": "00:00", "minutes": 480, "night": True},
    {"id": "D", "name": "白班", "start": "08:00", "minutes": 480},
    {"id": "E", "name": "晚班", "start": "16:00", "minutes": 480},
    {"id": "AM", "name": "早高峰", "start": "07:00", "minutes": 300},
    {"id": "X", "name": "长夜班", "start": "20:00", "minutes": 720, "night": True},
]


def random_scenario(seed: int, days: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    units = [{"id": f"u{i}", "name": f"单位{i}"} for i in range(rng.randint(1, 3))]
    posts = []
    for i in range(rng.randint(2, 5)):
        shifts = rng.sample([s["id"] for s in SHIFTS], rng.randint(1, 3))
        coverage = []
        for sh in shifts:
            lo = rng.randint(0, 2)
            entry: dict[str, Any] = {"shift": sh, "min": lo, "max": lo + rng.randint(0, 1)}
            if lo and rng.random() < 0.5:
                entry["skills"] = {"leader": 1}
            if rng.random() < 0.3:
                entry["days"] = rng.sample(["mon", "tue", "wed", "thu", "fri", "sat", "sun"], 4)
            coverage.append(entry)
        posts.append(
            {
                "id": f"p{i}",
                "name": f"岗位{i}",
                "kind": rng.choice(["checkpoint", "intersection", "hospital"]),
                "unit": rng.choice(units)["id"],
                "priority": rng.randint(1, 10),
                "coverage": coverage,
            }
        )
    officers = []
    for i in range(rng.randint(3, 9)):
        unit = rng.choice(units)["id"]
        o: dict[str, Any] = {"id": f"o{i}", "name": f"民警{i}", "unit": unit}
        if rng.random() < 0.4:
            o["skills"] = ["leader"]
        if rng.random() < 0.3:
            o["serves"] = rng.sample([u["id"] for u in units], rng.randint(1, len(units)))
        if rng.random() < 0.3:
            begin = datetime(START.year, START.month, START.day) + timedelta(
                days=rng.randint(-1, days - 1), hours=rng.randint(0, 23)
            )
            end = begin + timedelta(hours=rng.randint(1, 60))
            o["unavailable"] = [{"start": f"{begin:%Y-%m-%dT%H:%M}", "end": f"{end:%Y-%m-%dT%H:%M}"}]
        requests = []
        for _ in range(rng.randint(0, 2)):
            kind = rng.choice(["day_off", "shift_off", "shift_on"])
            r: dict[str, Any] = {
                "kind": kind,
                "date": str(START + timedelta(days=rng.randint(0, days))),
                "weight": rng.randint(1, 3),
            }
            if kind != "day_off":
                r["shift"] = rng.choice(SHIFTS)["id"]
            requests.append(r)
        if requests:
            o["requests"] = requests
        history = {}
        for back in range(1, 8):
            if rng.random() < 0.5:
                history[str(START - timedelta(days=back))] = rng.choice(["N", "D", "E"])
        if history:
            o["history"] = [{"shift": sh, "date": d} for d, sh in sorted(history.items())]
        if rng.random() < 0.2:
            o["rules"] = {
                "max_consecutive_nights": rng.randint(1, 2),
                "min_rest_minutes": rng.choice([480, 720]),
            }
        officers.append(o)
    rules = {
        "min_rest_minutes": rng.choice([480, 660]),
        "max_minutes_per_7_days": rng.choice([1920, 2400, 2880]),
        "min_days_off_per_7_days": rng.randint(0, 2),
        "max_consecutive_days": rng.randint(2, 6),
        "max_consecutive_nights": rng.randint(1, 3),
        "weights": {"shortfall": rng.choice([100, 1000]), "continuity": rng.randint(0, 3), "change": 20},
    }
    doc = {
        "name": f"random-{seed}",
        "horizon": {"start": str(START), "days": days},
        "shift_types": SHIFTS,
        "units": units,
        "skills": [{"id": "leader", "name": "带班"}],
        "posts": posts,
        "officers": officers,
        "rules": rules,
    }
    # a baseline from a few plausible duties (possibly no longer valid: the term still counts)
    baseline = []
    for _ in range(rng.randint(0, 4)):
        p = rng.choice(posts)
        baseline.append(
            {
                "officer": rng.choice(officers)["id"],
                "post": p["id"],
                "shift": rng.choice(p["coverage"])["shift"],
                "date": str(START + timedelta(days=rng.randint(0, days - 1))),
            }
        )
    doc["baseline"] = baseline
    return doc


def random_v2_scenario(seed: int, days: int = 7) -> dict[str, Any]:
    """`random_scenario(seed)` with the version-2 rules: at most one duty a day, a forbidden
    succession, limits per shift type, horizon minutes, minimum runs, weekends, over-staffing
    weights. Minimums are kept small so that most seeds have rosters."""
    doc = random_scenario(seed, days)
    rng = random.Random(f"v2-{seed}")
    doc["format"] = 2
    doc["rules"].update(
        {
            "max_duties_per_day": rng.choice([1, 1, 2]),
            "forbidden_successions": [{"first": "E", "then": ["N", "D"]}, {"first": "X", "then": ["D"]}],
            "max_duties_by_shift": {"X": rng.randint(0, 2)},
            "max_minutes_per_horizon": rng.choice([1920, 2400, 2880]),
            "min_consecutive_days_off": rng.choice([1, 2]),
            "max_weekends": rng.choice([0, 1]),
        }
    )
    for post in doc["posts"]:
        for entry in post["coverage"]:
            if entry["max"] > entry["min"] and rng.random() < 0.5:
                entry["over_weight"] = rng.randint(1, 20)
            elif rng.random() < 0.3:
                entry["max"] = entry["min"] + 1
                entry["over_weight"] = rng.randint(1, 20)
    for o in doc["officers"]:
        if rng.random() < 0.4:
            rules = o.setdefault("rules", {})
            rules["min_minutes_per_horizon"] = rng.choice([300, 480])
            if rng.random() < 0.5:
                rules["min_consecutive_days"] = 2
    return doc
