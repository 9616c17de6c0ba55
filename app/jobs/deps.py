"""The job engine of the app (inline runner or procrastinate), as a dependency."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.jobs.engines import JobEngine


def get_runner(request: Request) -> JobEngine:
    runner: JobEngine = request.app.state.runner
    return runner


RunnerDep = Annotated[JobEngine, Depends(get_runner)]
