"""A solver worker process dies with its parent: kill -9 of the process that started it (the
service, a `roster worker`) ends the solve at once instead of leaving it to run on orphaned."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO

ZHANGYE = REPO / "data" / "zhangye-2021-11-08.json"

PARENT = """
import json, os, sys, time
from app.jobs.runner import process_context
from app.jobs.worker import JobSpec, solve_in_process

if __name__ == "__main__":
    ctx = process_context(sys.argv[2])
    events, stop = ctx.Queue(), ctx.Event()
    document = json.loads(open(sys.argv[1], encoding="utf-8").read())
    child = ctx.Process(target=solve_in_process, args=(document, JobSpec(300, 1), events, stop, os.getpid()))
    child.start()
    kind, _ = events.get(timeout=120)  # the solve is under way
    print(child.pid, kind, flush=True)
    time.sleep(600)
"""


def _parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for init to reap it counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


@pytest.mark.parametrize("start_method", ["forkserver", "spawn"])
def test_solver_process_exits_when_its_parent_is_killed(tmp_path: Path, start_method: str) -> None:
    """Spawned, the solve is the killed process's child; forked by the fork server (the default),
    its grandchild: either way it ends within seconds."""
    script = tmp_path / "parent.py"
    script.write_text(PARENT, encoding="utf-8")
    parent = subprocess.Popen(
        [sys.executable, str(script), str(ZHANGYE), start_method],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert parent.stdout is not None
        line = parent.stdout.readline().split()
        child_pid, kind = int(line[0]), line[1]
        assert kind == "progress" and _alive(child_pid)  # solving, with 300 s to go
        forked_by_server = _parent_of(child_pid) != parent.pid
        assert forked_by_server == (start_method == "forkserver")
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(10)
        killed = time.monotonic()
        while _alive(child_pid):
            assert time.monotonic() - killed < 10, "the solver process outlived its parent"
            time.sleep(0.1)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(10)
