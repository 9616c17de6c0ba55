from __future__ import annotations

import math
from dataclasses import replace

import pytest

from solver.tours import Depot, Location, TravelMatrixError, TravelModel, haversine_km
from tests.solver.tours.helpers import problem, site


def test_haversine_known_distances() -> None:
    # One degree of latitude on the mean sphere: 2πR/360.
    assert haversine_km(Location(0, 0), Location(1, 0)) == pytest.approx(111.195, abs=0.001)
    # Paris (Notre-Dame) to London (Charing Cross): about 343.5 km great-circle.
    assert haversine_km(Location(48.8530, 2.3499), Location(51.5073, -0.1276)) == pytest.approx(
        343.5, abs=1.0
    )
    assert haversine_km(Location(38.93, 100.45), Location(38.93, 100.45)) == 0.0


def test_travel_minutes_are_road_km_over_speed_rounded_up() -> None:
    hq = Depot("hq", "HQ", Location(38.93, 100.45))
    gaotai = site("gt", lat=39.365, lon=99.83)
    model = TravelModel(road_factor=1.3, speed_kmh=60)
    km = haversine_km(hq.location, gaotai.location) * 1.3
    assert model.km(hq, gaotai) == pytest.approx(km)
    assert model.minutes(hq, gaotai) == math.ceil(km)  # 60 km/h: a minute per km
    assert TravelModel(road_factor=1.0, speed_kmh=30).minutes(hq, gaotai) == math.ceil(km / 1.3 * 2)
    assert model.minutes(hq, hq) == 0


def test_imported_matrix_and_a_missing_pair() -> None:
    a, b = site("a"), site("b")
    model = TravelModel(minutes_matrix={"a": {"b": 12.5}})
    assert model.minutes(a, b) == 13
    with pytest.raises(TravelMatrixError, match="no entry from 'b' to 'a'"):
        model.minutes(b, a)
    assert TravelModel(minutes_matrix={"a": {"b": 12}}, symmetric=True).minutes(b, a) == 12
    # km: from km_matrix when given, else haversine.
    assert TravelModel(minutes_matrix={"a": {"b": 1}}, km_matrix={"a": {"b": 7}}).km(a, b) == 7


def test_a_problem_with_an_incomplete_matrix_is_refused() -> None:
    p = problem({"a": 10, "b": 20})
    matrix = {k: dict(v) for k, v in (p.travel.minutes_matrix or {}).items()}
    del matrix["b"]["hq"]
    with pytest.raises(TravelMatrixError, match="from 'b' to 'hq'"):
        replace(p, travel=TravelModel(minutes_matrix=matrix))
