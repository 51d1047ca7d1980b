"""Queries through an installed wheel's bundled driver, on both test servers, with nothing registered
and nothing named in the environment: pyodbc, SQLAlchemy, and ADBC once ``libbytehouse.adbc`` exists."""

from __future__ import annotations

import importlib.util
import os
from importlib.metadata import version

import pytest
import sqlalchemy

import libbytehouse
from libbytehouse.driver import BUNDLED_LIBRARY, ENVIRONMENT_VARIABLE, find_driver

PORTS = ["CLICKHOUSE_PORT", "CLICKHOUSE_MODERN_PORT"]
QUERY = "SELECT toUInt64(number) * 2 AS doubled, toString(number) AS text FROM system.numbers LIMIT 3"
ROWS = [(0, "0"), (2, "1"), (4, "2")]


@pytest.fixture(scope="module", autouse=True)
def nothing_but_the_wheel():
    """The bundled driver is found only if no other one is: none registered, none in the environment."""
    assert ENVIRONMENT_VARIABLE not in os.environ
    assert find_driver() == str(BUNDLED_LIBRARY)
    assert "site-packages" in str(BUNDLED_LIBRARY)


def test_the_version_is_the_crates():
    assert version("libbytehouse") == libbytehouse.__version__ == os.environ["CRATE_VERSION"]


@pytest.mark.parametrize("port", PORTS)
def test_pyodbc(port):
    import pyodbc

    host = os.environ["CLICKHOUSE_HOST"]
    with pyodbc.connect(f"DRIVER={find_driver()};Host={host};Port={os.environ[port]}") as connection:
        assert [tuple(row) for row in connection.cursor().execute(QUERY).fetchall()] == ROWS


@pytest.mark.parametrize("port", PORTS)
def test_sqlalchemy(port):
    engine = sqlalchemy.create_engine(
        f"bytehouse://{os.environ['CLICKHOUSE_HOST']}:{os.environ[port]}/?database=default"
    )
    try:
        with engine.connect() as connection:
            assert [tuple(row) for row in connection.execute(sqlalchemy.text(QUERY))] == ROWS
    finally:
        engine.dispose()


@pytest.mark.skipif(
    importlib.util.find_spec("libbytehouse.adbc") is None, reason="libbytehouse.adbc is not in the wheel"
)
@pytest.mark.parametrize("port", PORTS)
def test_adbc(port):
    from libbytehouse import adbc

    uri = f"clickhouse://default@{os.environ['CLICKHOUSE_HOST']}:{os.environ[port]}/default"
    with adbc.connect(uri=uri) as connection, connection.cursor() as cursor:
        cursor.execute(QUERY)
        table = cursor.fetch_arrow_table()
    assert list(zip(table.column("doubled").to_pylist(), table.column("text").to_pylist())) == ROWS
