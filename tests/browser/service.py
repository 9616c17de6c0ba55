"""The service as a user runs it, for the browser tests and the screenshot script.

`Service.start()` makes a fresh SQLite database in a temporary folder, loads the Zhangye sample
week and creates an admin and a dispatcher with the `roster` command line (`roster import`,
`roster user create`), then runs `roster serve` on a free port with `ROSTER_NOW` at
2021-11-09 12:00 (the sample week's Tuesday noon) and a short default solve time.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "zhangye-2021-11-08.json"
UNITS = ["ganzhou", "gaotai", "hq", "linze", "minle", "shandan", "sunan"]
NOW = "2021-11-09T12:00"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORDS = {"admin": "admin-password-1", "dispatcher": "dispatcher-password-1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def roster_command() -> list[str]:
    """The `roster` console script of this interpreter's environment (or the module behind it)."""
    script = Path(sys.executable).with_name("roster")
    return [str(script)] if script.exists() else [sys.executable, "-m", "app.cli"]


@dataclass
class Service:
    solve_seconds: float = 6.0
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="roster-browser-")))
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    tokens: dict[str, str] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=lambda: dict(PASSWORDS))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.folder / "service.log"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ROSTER_")}
        env.update(
            {
                "ROSTER_DATABASE_URL": f"sqlite:///{self.folder / 'roster.sqlite3'}",
                "ROSTER_NOW": NOW,
                "ROSTER_SOLVER__TIME_LIMIT": f"{self.solve_seconds:g}",
                "ROSTER_SOLVER__WORKERS": "1",  # the other tests run beside it
                "ROSTER_SOLVER__REPLAN_TIME_LIMIT": "2",  # a re-plan's proposal, not its quality, is tested
                "ROSTER_JOBS__PROGRESS_INTERVAL": "0.25",
            }
        )
        return env

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            [*roster_command(), *args], env=self.env(), cwd=REPO, capture_output=True, text=True, timeout=120
        )
        if done.returncode != 0:
            raise RuntimeError(f"roster {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
        return done.stdout

    def start(self) -> Service:
        self.cli("import", str(SAMPLE))
        self.cli("user", "create", "admin", "--role", "admin", "--password", self.passwords["admin"])
        units = [arg for unit in UNITS for arg in ("--units", unit)]
        self.cli(
            "user",
            "create",
            "dispatcher",
            "--role",
            "dispatcher",
            *units,
            "--password",
            self.passwords["dispatcher"],
        )
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [*roster_command(), "serve", "--port", str(self.port)],
            env=self.env(),
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"roster serve exited:\n{self.log_path.read_text(errors='replace')}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(
            f"roster serve did not answer within 60 s:\n{self.log_path.read_text(errors='replace')}"
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    # ------------------------------------------------------------------ the API, for test set-up

    def token(self, username: str, password: str | None = None) -> str:
        if username not in self.tokens:
            response = httpx.post(
                f"{self.url}/auth/token",
                data={"username": username, "password": password or self.passwords[username]},
                timeout=10,
            )
            response.raise_for_status()
            self.tokens[username] = response.json()["access_token"]
        return self.tokens[username]

    def api(self, method: str, path: str, as_: str = "admin", **kwargs: Any) -> Any:
        response = httpx.request(
            method,
            f"{self.url}{path}",
            headers={"Authorization": f"Bearer {self.token(as_)}"},
            timeout=60,
            **kwargs,
        )
        response.raise_for_status()
        return None if response.status_code == 204 else response.json()

    def published_week(self, units: tuple[str, ...] = ("ganzhou",), seconds: float = 4) -> int:
        """The roster published for the sample week's `units`: solved and published once, by the
        API as a dispatcher does (another test may already have published the whole week)."""
        found = self.api("GET", "/duties", params={"unit": units[0], "start": "2021-11-08", "limit": 1})
        if found["total"]:
            return int(found["items"][0].get("roster_id") or 0)
        job = self.api(
            "POST", "/jobs", json={"start": "2021-11-08", "units": list(units), "time_limit": seconds}
        )
        deadline = time.monotonic() + 180
        while job["status"] in ("queued", "running"):
            if time.monotonic() > deadline:
                raise AssertionError(f"job {job['id']} did not finish in 180 s")
            time.sleep(1)
            job = self.api("GET", f"/jobs/{job['id']}")
        assert job["status"] == "succeeded" and job["roster_id"], job
        self.api("POST", f"/rosters/{job['roster_id']}/publish")
        return int(job["roster_id"])

    def officer_account(self, officer_id: str) -> tuple[str, str]:
        """An officer account for the officer (created once); returns username and password."""
        username, password = f"officer-{officer_id}", f"password-{officer_id}"
        existing = self.api("GET", "/users", params={"role": "officer", "limit": 500})["items"]
        if not any(u["username"] == username for u in existing):
            self.api(
                "POST",
                "/users",
                json={
                    "username": username,
                    "role": "officer",
                    "password": password,
                    "officer_id": officer_id,
                },
            )
        self.passwords[username] = password
        return username, password

    def swappable_duties(self, unit: str = "ganzhou") -> tuple[dict[str, Any], dict[str, Any]]:
        """Two published duties after now, of two officers of the unit, that could be swapped:
        each officer could take the other's duty without breaking a rule or leaving a slot short."""

        def fine(candidate: dict[str, Any]) -> bool:
            return bool(candidate["can"]) and (candidate["delta"] or {}).get("shortfall", 0) <= 0

        params = {"unit": unit, "start": "2021-11-10", "end": "2021-11-13", "limit": 500}
        duties = self.api("GET", "/duties", params=params)["items"]
        officers = self.api("GET", "/officers", params={"unit": unit, "limit": 500})["items"]
        home = {o["id"] for o in officers}
        duties = [d for d in duties if d["officer"] in home]  # officers see their home unit's roster
        by_officer: dict[str, list[dict[str, Any]]] = {}
        for d in duties:
            by_officer.setdefault(d["officer"], []).append(d)
        for mine in duties[:40]:
            cover = self.api(
                "GET", "/cover", params={k: mine[k] for k in ("post", "shift", "date", "officer")}
            )
            working = [c for c in cover["candidates"] if fine(c) and c["officer"]["id"] in by_officer]
            for candidate in working[:6]:
                for theirs in by_officer.get(candidate["officer"]["id"], []):
                    if theirs["date"] == mine["date"] and theirs["shift"] == mine["shift"]:
                        continue
                    back = {k: theirs[k] for k in ("post", "shift", "date", "officer")}
                    reverse = self.api("GET", "/cover", params=back)["candidates"]
                    if any(fine(c) and c["officer"]["id"] == mine["officer"] for c in reverse):
                        return mine, theirs
        raise AssertionError(f"no swappable pair of duties in the published roster of {unit}")
