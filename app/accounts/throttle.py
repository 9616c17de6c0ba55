"""Login throttling: after too many failed logins for one user name, or from one client, further
attempts are refused with 429 and Retry-After until the lockout ends, without checking the password
(so a flood costs no scrypt work).

The counts live in memory, in one process: with several service processes (`ROSTER_WORKERS`) each
keeps its own, so the effective limit is multiplied by the number of processes; a shared store
(the database, Redis) would be needed for one exact limit across processes.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ThrottleRules:
    user_failures: int = 5
    client_failures: int = 20
    window_seconds: float = 15 * 60
    lockout_seconds: float = 15 * 60


class LoginThrottle:
    def __init__(self, rules: ThrottleRules, clock: Callable[[], float] = time.monotonic) -> None:
        self.rules = rules
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _keys(username: str, client: str) -> tuple[str, str]:
        return f"user:{username.lower()}", f"client:{client}"

    def retry_after(self, username: str, client: str) -> int | None:
        """Seconds until this user name and client may try again, or None when they may now."""
        now = self.clock()
        with self._lock:
            waits = [self._locked_until.get(k, 0.0) - now for k in self._keys(username, client)]
        wait = max(waits)
        return math.ceil(wait) if wait > 0 else None

    def failed(self, username: str, client: str) -> None:
        now = self.clock()
        user_key, client_key = self._keys(username, client)
        with self._lock:
            for key, limit in (
                (user_key, self.rules.user_failures),
                (client_key, self.rules.client_failures),
            ):
                times = self._failures.setdefault(key, deque())
                times.append(now)
                while times and times[0] <= now - self.rules.window_seconds:
                    times.popleft()
                if len(times) >= limit:
                    self._locked_until[key] = now + self.rules.lockout_seconds
                    times.clear()
            if len(self._failures) > 100_000:  # bounded memory under a flood of names
                self._failures.clear()

    def succeeded(self, username: str) -> None:
        user_key = self._keys(username, "")[0]
        with self._lock:
            self._failures.pop(user_key, None)
            self._locked_until.pop(user_key, None)
