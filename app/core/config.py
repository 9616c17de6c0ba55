"""Service settings: one pydantic-settings class, read from `ROSTER_*` environment variables.

Nested sections use a double underscore: `ROSTER_SOLVER__TIME_LIMIT=60`, `ROSTER_JOBS__MAX_CONCURRENT=1`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///var/roster.sqlite3"


class SolverSettings(BaseModel):
    time_limit: float = Field(
        default=60.0, gt=0, description="seconds a job solves when the request names none"
    )
    max_time_limit: float = Field(default=1800.0, gt=0, description="the most a roster request may ask for")
    workers: int = Field(default=2, ge=1, description="CP-SAT search workers per job")
    replan_time_limit: float = Field(
        default=5.0, gt=0, description="seconds a leave or coverage-change re-plan solves at most"
    )


class JobSettings(BaseModel):
    max_concurrent: int = Field(default=2, ge=1, description="roster jobs solving at once, one process each")
    grace_seconds: float = Field(
        default=30.0, gt=0, description="past its limit a job is stopped, then killed"
    )
    progress_interval: float = Field(default=0.5, gt=0, description="at most one progress write per interval")
    start_method: Literal["forkserver", "spawn"] = Field(
        default="forkserver",
        description="how a job's process starts: forkserver: forked from one server process per "
        "service or worker that has the solver imported already (milliseconds); spawn: a fresh "
        "interpreter importing OR-Tools for every job (about a second, more under load)",
    )
    history_days: int = Field(default=28, ge=0, description="published duties this far back count as history")
    engine: Literal["inline", "procrastinate"] = Field(
        default="inline",
        description="inline: jobs run in the service's own worker processes (the embedded default, "
        "SQLite or PostgreSQL); procrastinate: jobs are queued in PostgreSQL and run by `roster worker`",
    )
    worker_lost: Literal["retry", "interrupt"] = Field(
        default="retry",
        description="procrastinate: a lost worker's job is queued again (retry) or marked interrupted",
    )
    max_attempts: int = Field(
        default=2, ge=1, description="procrastinate: runs of a job in all, retries included"
    )
    worker_heartbeat: float = Field(
        default=5.0,
        gt=0,
        description="procrastinate: seconds between a worker's heartbeats and recovery sweeps",
    )
    worker_stalled_after: float = Field(
        default=20.0,
        gt=0,
        description="procrastinate: a worker silent this long is lost; its jobs are recovered within about "
        "this plus one heartbeat",
    )
    fan_out: bool = Field(
        default=True,
        description="procrastinate: a job with independent parts runs each part as a job of its own",
    )
    fan_out_min_parts: int = Field(default=2, ge=2, description="procrastinate: fan out from this many parts")
    lease_seconds: float = Field(
        default=30.0,
        gt=0,
        description="a process holds its queued and running jobs this long past its last heartbeat "
        "(renewed every third of it); a job whose lease ran out is declared interrupted by another",
    )


class TourConfig(BaseModel):
    """Supervisors' inspection tours (docs/tours.md): where they start, who they are, how they drive."""

    hq_name: str = Field(default="张掖市公安局交警支队", description="the start and end point's name")
    hq_lat: float = Field(default=38.93, ge=-90, le=90, description="the headquarters, WGS 84 degrees")
    hq_lon: float = Field(default=100.45, ge=-180, le=180)
    supervisor_skill: str = Field(
        default="supervisor", description="officers holding this skill are the supervisors (unless named)"
    )
    road_factor: float = Field(default=1.3, ge=1, description="road km per great-circle km")
    speed_kmh: float = Field(default=60.0, gt=0)
    time_limit_per_day: float = Field(default=2.0, gt=0, description="routing search seconds per day")
    max_days: int = Field(default=31, ge=1, description="the longest horizon a tour plan may have")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ROSTER_", env_nested_delimiter="__", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    public_url: str = Field(
        default="http://127.0.0.1:8000", description="base of the calendar feed URLs handed out"
    )
    token_ttl_hours: int = Field(default=12, ge=1, description="a bearer token's lifetime")
    token_idle_minutes: int = Field(
        default=60, ge=1, description="a bearer token unused this long expires (idle expiry)"
    )
    login_max_failures: int = Field(
        default=5, ge=1, description="failed logins for one user name before it is locked out"
    )
    login_client_max_failures: int = Field(
        default=20, ge=1, description="failed logins from one client address before it is locked out"
    )
    login_window_seconds: float = Field(default=900, gt=0, description="failures count this long")
    login_lockout_seconds: float = Field(default=900, gt=0, description="how long a lockout lasts")
    max_body_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)
    default_page_size: int = Field(default=50, ge=1)
    max_page_size: int = Field(default=500, ge=1)
    max_in_flight: int = Field(
        default=32,
        ge=1,
        description="requests one process works on at once; more get 503 with Retry-After at once",
    )
    retry_after_seconds: int = Field(default=1, ge=1, description="the Retry-After of a 503 under overload")
    db_pool_size: int = Field(default=10, ge=1, description="database connections kept open per process")
    db_max_overflow: int = Field(default=20, ge=0, description="extra connections per process under load")
    db_pool_timeout: float = Field(
        default=5.0, gt=0, description="seconds a request waits for a connection before 503"
    )
    workers: int = Field(default=1, ge=1, description="service processes `roster serve` starts")
    solver: SolverSettings = SolverSettings()
    jobs: JobSettings = JobSettings()
    tours: TourConfig = TourConfig()
    now: datetime | None = Field(
        default=None,
        description="local wall-clock time the service takes as now for changes to published rosters "
        "(ROSTER_NOW=2021-11-09T12:00 for the sample week); unset: the real clock",
    )
    test_pause_in_approval: float = Field(
        default=0.0,
        ge=0,
        le=600,
        description="a test hook, never set in production: an approval sleeps this long inside its "
        "transaction, after its writes, so a crash test can kill the service there "
        "(tests/app/reliability/test_crashes.py)",
    )

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("ROSTER_DATABASE_URL must be a sqlite:// or postgresql+psycopg:// URL")
        return value

    @field_validator("now")
    @classmethod
    def _local_now(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            raise ValueError("ROSTER_NOW is a local wall-clock time in the detachment's time zone: no offset")
        return value

    @model_validator(mode="after")
    def _engine_needs_postgresql(self) -> Settings:
        if self.jobs.engine == "procrastinate" and not self.database_url.startswith("postgresql"):
            raise ValueError(
                "ROSTER_JOBS__ENGINE=procrastinate needs a PostgreSQL ROSTER_DATABASE_URL "
                "(the embedded SQLite default runs jobs inline)"
            )
        return self

    def engine_options(self) -> dict[str, Any]:
        """The connection pool of a PostgreSQL engine (SQLite keeps SQLAlchemy's defaults)."""
        if not self.database_url.startswith("postgresql"):
            return {}
        return {
            "pool_size": self.db_pool_size,
            "max_overflow": self.db_max_overflow,
            "pool_timeout": self.db_pool_timeout,
        }

    def sqlite_path(self) -> Path | None:
        """The database file of a file-backed SQLite URL (so the CLI can create its folder)."""
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and self.database_url != prefix + ":memory:":
            return Path(self.database_url[len(prefix) :])
        return None
