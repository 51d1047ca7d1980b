"""The narrow rows the benchmarks read and insert, (UInt64, String, Float64, DateTime,
Nullable(Int32)), and the peers that read them: clickhouse-driver, and clickhouse-client's command."""

from __future__ import annotations

import os

HOST = os.environ.get("CLICKHOUSE_HOST", "127.0.0.1")
NARROW = [
    "number AS id",
    "toString(number) AS s",
    "number / 3 AS f",
    "toDateTime(number) AS t",
    "if(number % 10 = 0, NULL, toInt32(number)) AS n",
]
#: The columns of a table that takes these rows.
COLUMNS = "id UInt64, s String, f Float64, t DateTime, n Nullable(Int32)"


def narrow_query(rows: int) -> str:
    return f"SELECT {', '.join(NARROW)} FROM system.numbers LIMIT {rows}"


def read_clickhouse_driver(port: int, sql: str) -> str:
    from clickhouse_driver import Client

    rows = Client(HOST, port=port).execute(sql)
    return f"rows={len(rows)}"


def client_command(port: int, *arguments: str) -> list:
    # Uncompressed, as our connection is by default.
    return [
        "clickhouse-client",
        "--host",
        HOST,
        "--port",
        str(port),
        "--compression=0",
        *arguments,
    ]
