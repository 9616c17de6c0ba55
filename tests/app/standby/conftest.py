"""The standby tests' service (rolled back, "now" = Tuesday 2021-11-09 noon)."""

from __future__ import annotations

from tests.app.changes.conftest import capi

__all__ = ["capi"]
