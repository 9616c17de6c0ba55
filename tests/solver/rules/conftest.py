import pytest

from tests.solver.rules.harness import MODELS


@pytest.fixture(params=sorted(MODELS))
def kind(request: pytest.FixtureRequest) -> str:
    """Every rule test runs on each model: PostModel, plain PostModel, ShiftModel."""
    return request.param
