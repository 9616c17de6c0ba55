"""Supervisors' inspection tours of the checkpoints (督导检查): problem, builder, routing solver,
nearest-neighbour baseline, referee and storage. Pure: no I/O, no service, no environment.

    problem = tour_problem(scenario, roster.assignments, TourSettings(), locations=...)
    plan = solve_tours(problem, settings)
    report = check_plan(problem, plan)            # report.ok, report.violations, report.metrics
    plan = replan_day(problem, plan, "hq-004", datetime(2021, 11, 9, 11, 30), settings)
"""

from solver.tours.baseline import nearest_neighbour
from solver.tours.build import free_windows, interval_days, post_location, roster_shortfalls, tour_problem
from solver.tours.check import RULES, TourCheck, TourMetrics, Violation, check_plan
from solver.tours.plan import Interruption, MissedVisit, MissReason, NotVisited, Route, TourPlan, Visit
from solver.tours.problem import (
    Depot,
    FreeWindow,
    Location,
    Requirement,
    RequirementKind,
    Site,
    Supervisor,
    TourProblem,
    TravelMatrixError,
    TravelModel,
    haversine_km,
)
from solver.tours.settings import ZHANGYE_HQ, TourSettings
from solver.tours.solve import replan_day, solve_tours
from solver.tours.store import plan_from_dict, plan_to_dict, problem_from_dict, problem_to_dict

__all__ = [
    "RULES",
    "ZHANGYE_HQ",
    "Depot",
    "FreeWindow",
    "Interruption",
    "Location",
    "MissReason",
    "MissedVisit",
    "NotVisited",
    "Requirement",
    "RequirementKind",
    "Route",
    "Site",
    "Supervisor",
    "TourCheck",
    "TourMetrics",
    "TourPlan",
    "TourProblem",
    "TourSettings",
    "TravelMatrixError",
    "TravelModel",
    "Violation",
    "Visit",
    "check_plan",
    "free_windows",
    "haversine_km",
    "interval_days",
    "nearest_neighbour",
    "plan_from_dict",
    "plan_to_dict",
    "post_location",
    "problem_from_dict",
    "problem_to_dict",
    "replan_day",
    "roster_shortfalls",
    "solve_tours",
    "tour_problem",
]
