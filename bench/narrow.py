"""The narrow rows the benchmarks read and insert, (UInt64, String, Float64, DateTime,
Nullable(Int32)), and the peers that read them: clickhouse-driver, and clickhouse-client's command."""

from __future__ import annotations

import os
from collections.abc import Callable

from timing import best_in_turns, timed_process

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


def against_client_null(
    runs: int, server: str, port: int, sql: str, ours: Callable[[], tuple]
) -> tuple[tuple, float | None]:
    """The best outcome of `ours` and, on the old server (the only one with a clickhouse-client),
    the best seconds of `clickhouse-client --format Null` reading `sql`, the two taking turns so that
    both meet the server in the same moods; None for the client on the modern server."""
    sides = [ours]
    if server == "old":
        command = client_command(port, "--format", "Null", "-q", sql)
        sides.append(lambda: timed_process(command))
    best = best_in_turns(runs, *sides)
    return best[0], best[1][0] if server == "old" else None
