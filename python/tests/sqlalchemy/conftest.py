"""Fixtures for the dialect's tests: the two local servers started by scripts/test-servers.sh, an
engine on each, and table names no other test uses.

Tests that need a server are skipped when CLICKHOUSE_PORT is not set (scripts/test-python.sh sets
it); unit tests run anywhere.
"""

from __future__ import annotations

import itertools
import os
import uuid
from dataclasses import dataclass
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

HOST = os.environ.get("CLICKHOUSE_HOST", "127.0.0.1")
#: The password scripts/test-servers.sh gives ByteHouse's API-key user (`bytehouse`) on both servers.
API_KEY = "test-api-key"


@dataclass(frozen=True)
class Server:
    name: str
    port: int

    @property
    def url(self) -> str:
        return f"bytehouse://{HOST}:{self.port}/?database=default"

    @property
    def is_old(self) -> bool:
        return self.name == "18.16"


def servers() -> list:
    if "CLICKHOUSE_PORT" not in os.environ:
        return []
    return [
        Server("18.16", int(os.environ["CLICKHOUSE_PORT"])),
        Server("26.9", int(os.environ["CLICKHOUSE_MODERN_PORT"])),
    ]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "server" in metafunc.fixturenames:
        found = servers()
        if not found:
            metafunc.parametrize("server", [pytest.param(None, marks=pytest.mark.skip("no test servers"))])
        else:
            metafunc.parametrize("server", found, ids=[server.name for server in found])


@pytest.fixture
def engine(server: Server) -> Iterator[Engine]:
    engine = create_engine(server.url)
    yield engine
    engine.dispose()


_names = itertools.count()


@pytest.fixture
def table_name(request: pytest.FixtureRequest) -> str:
    """A table name unique to this test and run."""
    stem = request.node.originalname.replace("test_", "")[:40]
    return f"sa_{stem}_{os.getpid()}_{next(_names)}"


@pytest.fixture
def database(server: Server) -> Iterator[str]:
    """A database of its own, for tests that look at everything in one (Alembic) or use fixed names."""
    name = f"sa_db_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    yield name
    with admin.begin() as connection:
        connection.execute(text(f"DROP DATABASE {name}"))
    admin.dispose()
