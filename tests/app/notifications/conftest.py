"""The service with "now" = Tuesday 2021-11-09 noon, on example-small's published roster."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.app.helpers import make_api
from tests.conftest import Api


@pytest.fixture
def capi(session_factory: Any, published: int) -> Iterator[Api]:
    yield from make_api(session_factory)
