"""The duty-level tests' services: rolled back (`capi`), or committing for real with re-plan jobs
(`live`); both on example-small's published roster with "now" = Tuesday 2021-11-09 noon."""

from __future__ import annotations

from tests.app.changes.conftest import capi, live

__all__ = ["capi", "live"]
