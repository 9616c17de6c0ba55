"""The job runner of the app, as a dependency."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.jobs.runner import JobRunner


def get_runner(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.runner
    return runner


RunnerDep = Annotated[JobRunner, Depends(get_runner)]
