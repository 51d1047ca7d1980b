"""What the live suites (tests/adbc, tests/arrow) share: the local test servers, each test run
against both, or skipped without them (scripts/test-python.sh starts them)."""

from __future__ import annotations

import os
from typing import List, Tuple

import pytest


def live_servers() -> List[Tuple[str, int]]:
    """(version, native port) of each local test server; none without their environment."""
    if "CLICKHOUSE_PORT" not in os.environ:
        return []
    return [("18.16", int(os.environ["CLICKHOUSE_PORT"])), ("26.9", int(os.environ["CLICKHOUSE_MODERN_PORT"]))]


NO_SERVERS = [pytest.param(None, marks=pytest.mark.skip("no test servers"))]


# Not named `server`: tests/sqlalchemy parametrizes an argument of that name itself.
@pytest.fixture(params=live_servers() or NO_SERVERS, ids=lambda p: p and p[0])
def live_server(request: pytest.FixtureRequest) -> Tuple[str, int]:
    return request.param
