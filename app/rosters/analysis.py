"""Score analysis per rule: the referee (`solver.check`) recomputes a roster version's score against
the scenario it was solved for, item by item."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.planning.schemas import ViolationRead
from app.rosters import schemas as rs
from app.rosters.models import Roster
from app.rosters.service import roster_domain
from solver.check import check_assignments
from solver.domain import SCORE_TERMS


def score_analysis(
    session: Session, roster: Roster, officer: str | None = None, unit: str | None = None, limit: int = 100
) -> rs.ScoreAnalysis:
    scenario, domain_roster = roster_domain(session, roster)
    report = check_assignments(scenario, domain_roster.assignments)
    terms = []
    for term in SCORE_TERMS:
        items = [
            c
            for c in report.by_term(term)
            if (officer is None or c.officer == officer) and (unit is None or c.unit == unit)
        ]
        items.sort(key=lambda c: (-c.amount, str(c.date), c.officer or "", c.post or ""))
        terms.append(
            rs.TermRead(
                term=term,
                total=sum(c.amount for c in items),
                items=len(items),
                contributions=[
                    rs.ContributionRead(
                        amount=c.amount,
                        detail=c.detail,
                        officer=c.officer,
                        post=c.post,
                        unit=c.unit,
                        date=c.date,
                        shift=c.shift,
                    )
                    for c in items[:limit]
                ],
            )
        )
    violations = [ViolationRead.of(v) for v in report.violations if officer is None or v.officer == officer]
    return rs.ScoreAnalysis(
        roster_id=roster.id,
        total=sum(t.total for t in terms),
        solver_objective=roster.objective,
        matches_solver=roster.objective is None or roster.objective == report.score.total,
        terms=terms,
        violations=violations,
    )
