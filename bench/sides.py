"""One side of one workload of bench/run.py, run in a process of its own so that its peak RSS is its
own: `sides.py SIDE WORKLOAD ROWS PORT RUNS` prints the best of RUNS timings of the work alone
(imports, made-up insert rows and table setup excluded) and the peak RSS as `seconds kilobytes`, or
`error: <reason>` when the side cannot do the workload.

Sides: ours through pyodbc, arrow-odbc and our SQLAlchemy dialect (the release libbytehouse.so named
by BYTEHOUSE_ODBC_DRIVER); the peers clickhouse-client (whole process), clickhouse-driver,
clickhouse-connect (HTTP), clickhouse-sqlalchemy and bytehouse-driver.
"""

from __future__ import annotations

import functools
import os
import resource
import subprocess
import sys
import tempfile
from collections.abc import Callable
from typing import Any

from narrow import HOST, NARROW, client_command
from timing import best_of

HTTP_PORT = int(os.environ.get("CLICKHOUSE_HTTP_PORT", "18123"))
DRIVER = os.environ.get("BYTEHOUSE_ODBC_DRIVER", "")
# Reads of more rows than this stream (fetchmany, execute_iter, block streams) rather than holding
# every row as a Python object at once, which would take gigabytes on every side.
MATERIALIZED_ROWS = 1_000_000
BATCH = 65536
SMALL_QUERY = "SELECT number, toString(number) FROM system.numbers LIMIT 10"
INSERT_TABLE = "bench_run_insert"
INSERT_COLUMNS = "id Int64, name String, f Float64"

# 32 columns: the narrow shape, then integers, floats, strings, dates and Nullables mixed.
WIDE = NARROW + [
    expression
    for i in range(3)
    for expression in (
        f"toUInt8(number % 200) AS u8_{i}",
        f"toInt16(number % 3000) AS i16_{i}",
        f"toUInt32(number + {i}) AS u32_{i}",
        f"toInt64(number * {i + 2}) AS i64_{i}",
        f"toFloat32(number / {i + 7}) AS f32_{i}",
        f"concat('name-', toString(number % 1000)) AS str_{i}",
        f"toDate(number % 20000) AS d_{i}",
        f"if(number % 7 = {i}, NULL, toString(number)) AS ns_{i}",
        f"toFixedString(toString(number % 100), 2) AS fs_{i}",
    )
]


def read_query(workload: str, rows: int) -> str:
    columns = WIDE if workload.startswith("wide") else NARROW
    return f"SELECT {', '.join(columns)} FROM system.numbers LIMIT {rows}"


def odbc_connection_string(port: int) -> str:
    return f"Driver={DRIVER};Host={HOST};Port={port}"


def insert_rows(rows: int) -> list:
    return [(i, f"name {i}", i / 3) for i in range(rows)]


# ---------------------------------------------------------------- ours


def pyodbc_read(port: int, sql: str, rows: int) -> int:
    import pyodbc

    cursor = pyodbc.connect(odbc_connection_string(port)).cursor()
    cursor.execute(sql)
    if rows <= MATERIALIZED_ROWS:
        return len(cursor.fetchall())
    count = 0
    while batch := cursor.fetchmany(BATCH):
        count += len(batch)
    return count


def arrow_odbc_read(port: int, sql: str, rows: int) -> int:
    from arrow_odbc import read_arrow_batches_from_odbc

    # arrow-odbc's defaults: batches of 65535 rows, text buffers sized from the column size.
    reader = read_arrow_batches_from_odbc(
        query=sql, connection_string=odbc_connection_string(port)
    )
    return sum(batch.num_rows for batch in reader)


@functools.cache
def our_engine(port: int) -> Any:
    return engine(f"bytehouse://{HOST}:{port}/")


@functools.cache
def peer_engine(port: int) -> Any:
    return engine(f"clickhouse+native://default:@{HOST}:{port}/default")


def engine(url: str) -> Any:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    # No pool: each connect workload's connection is a new one, as on the other sides.
    return create_engine(url, poolclass=NullPool)


def sqlalchemy_read(engine: Any, sql: str, rows: int) -> int:
    from sqlalchemy import text

    with engine.connect() as connection:
        result = connection.execute(text(sql))
        if rows <= MATERIALIZED_ROWS:
            return len(result.fetchall())
        count = 0
        while batch := result.fetchmany(BATCH):
            count += len(batch)
        return count


# ---------------------------------------------------------------- peers


def clickhouse_client_read(port: int, sql: str, rows: int) -> int:
    subprocess.run(client_command(port, "--format", "Null", "-q", sql), check=True)
    return rows


def clickhouse_driver_read(port: int, sql: str, rows: int) -> int:
    from clickhouse_driver import Client

    client = Client(HOST, port=port)
    if rows <= MATERIALIZED_ROWS:
        return len(client.execute(sql))
    return sum(1 for _ in client.execute_iter(sql, settings={"max_block_size": BATCH}))


def http_client(port: int) -> Any:
    import clickhouse_connect

    if port != int(os.environ.get("CLICKHOUSE_PORT", "19000")):
        raise Unavailable(
            "the 26.9 server (chdb's clickhouse-local) has no HTTP port here"
        )
    try:
        return clickhouse_connect.get_client(host=HOST, port=HTTP_PORT)
    except clickhouse_connect.driver.exceptions.DatabaseError as error:
        # 18.16: it reads system.settings.readonly at connect, a column added in later releases.
        reason = str(error).split("DB::Exception: ", 1)[-1].split(",")[0]
        raise Unavailable(
            f"clickhouse-connect fails at connect on this server: {reason}"
        ) from error


def clickhouse_connect_read(port: int, sql: str, rows: int) -> int:
    client = http_client(port)
    if rows <= MATERIALIZED_ROWS:
        return len(client.query(sql).result_rows)
    with client.query_row_block_stream(sql) as stream:
        return sum(len(block) for block in stream)


def bytehouse_driver_client(port: int) -> Any:
    from bytehouse_driver import Client

    # Its Client picks a ByteHouse virtual warehouse at construction (`SHOW DEFAULT SETTINGS`, or
    # `SET WAREHOUSE` when given one), statements ClickHouse rejects; that step alone is skipped, the
    # rest (protocol, queries, inserts) is the driver's own. `secure=False`: its default is TLS.
    Client.set_warehouse = lambda client, warehouse: None
    return Client(host=HOST, port=port, user="default", password="", secure=False)


def bytehouse_driver_read(port: int, sql: str, rows: int) -> int:
    client = bytehouse_driver_client(port)
    return sum(1 for _ in client.execute_iter(sql))


class Unavailable(Exception):
    """The side cannot do this workload on this server; the message says why."""


# ---------------------------------------------------------------- workloads


def read(
    reader: Callable[[int, str, int], int],
) -> Callable[[int, str, int], Callable[[], None]]:
    def prepare(port: int, workload: str, rows: int) -> Callable[[], None]:
        sql = read_query(workload, rows)

        def work() -> None:
            got = reader(port, sql, rows)
            if got != rows:
                raise AssertionError(f"read {got} rows of {rows}")

        return work

    return prepare


def small_queries(
    connect: Callable[[int], Callable[[str], int]],
) -> Callable[[int, str, int], Callable[[], None]]:
    """`rows` queries of 10 rows each on one connection."""

    def prepare(port: int, workload: str, rows: int) -> Callable[[], None]:
        warm_up(connect, port)

        def work() -> None:
            run = connect(port)
            for _ in range(rows):
                if run(SMALL_QUERY) != 10:
                    raise AssertionError("a small query did not return 10 rows")

        return work

    return prepare


def connects(
    connect: Callable[[int], Callable[[str], int]],
) -> Callable[[int, str, int], Callable[[], None]]:
    """`rows` times: connect, SELECT 1, disconnect."""

    def prepare(port: int, workload: str, rows: int) -> Callable[[], None]:
        warm_up(connect, port)

        def work() -> None:
            for _ in range(rows):
                run = connect(port)
                if run("SELECT 1") != 1:
                    raise AssertionError("SELECT 1 did not return one row")
                del run

        return work

    return prepare


def warm_up(connect: Callable[[int], Callable[[str], int]], port: int) -> None:
    """One connection and query before the timing: loading the driver (and a dialect's first look
    at the server) happens once a process, not once a connection."""
    connect(port)("SELECT 1")


def pyodbc_session(port: int) -> Callable[[str], int]:
    import pyodbc

    cursor = pyodbc.connect(odbc_connection_string(port)).cursor()
    return lambda sql: len(cursor.execute(sql).fetchall())


def sqlalchemy_session(
    engine_for: Callable[[int], Any],
) -> Callable[[int], Callable[[str], int]]:
    def connect(port: int) -> Callable[[str], int]:
        from sqlalchemy import text

        connection = engine_for(port).connect()
        return lambda sql: len(connection.execute(text(sql)).fetchall())

    return connect


def clickhouse_driver_session(port: int) -> Callable[[str], int]:
    from clickhouse_driver import Client

    client = Client(HOST, port=port)
    return lambda sql: len(client.execute(sql))


def clickhouse_connect_session(port: int) -> Callable[[str], int]:
    client = http_client(port)
    return lambda sql: len(client.query(sql).result_rows)


def bytehouse_driver_session(port: int) -> Callable[[str], int]:
    client = bytehouse_driver_client(port)
    return lambda sql: len(client.execute(sql))


def clickhouse_client_queries(
    port: int, workload: str, rows: int
) -> Callable[[], None]:
    queries = ";".join([SMALL_QUERY] * rows)
    return lambda: subprocess.run(
        client_command(port, "--format", "Null", "-n", "-q", queries), check=True
    )


def recreate_sink(port: int) -> None:
    from clickhouse_driver import Client

    client = Client(HOST, port=port)
    client.execute(f"DROP TABLE IF EXISTS {INSERT_TABLE}")
    client.execute(f"CREATE TABLE {INSERT_TABLE} ({INSERT_COLUMNS}) ENGINE = Null")


def insert(
    inserter: Callable[[int, list], None],
) -> Callable[[int, str, int], Callable[[], None]]:
    def prepare(port: int, workload: str, rows: int) -> Callable[[], None]:
        recreate_sink(port)
        values = insert_rows(rows)
        return lambda: inserter(port, values)

    return prepare


def pyodbc_insert(port: int, values: list) -> None:
    import pyodbc

    cursor = pyodbc.connect(odbc_connection_string(port)).cursor()
    cursor.fast_executemany = True
    cursor.executemany(
        f"INSERT INTO {INSERT_TABLE} (id, name, f) VALUES (?, ?, ?)", values
    )


def clickhouse_driver_insert(port: int, values: list) -> None:
    from clickhouse_driver import Client

    Client(HOST, port=port).execute(
        f"INSERT INTO {INSERT_TABLE} (id, name, f) VALUES", values
    )


def clickhouse_connect_insert(port: int, values: list) -> None:
    http_client(port).insert(INSERT_TABLE, values, column_names=["id", "name", "f"])


def bytehouse_driver_insert(port: int, values: list) -> None:
    bytehouse_driver_client(port).execute(
        f"INSERT INTO {INSERT_TABLE} (id, name, f) VALUES", values
    )


def clickhouse_client_insert(port: int, workload: str, rows: int) -> Callable[[], None]:
    """The rows from a Native file made beforehand, as clickhouse-client inserts fastest."""
    recreate_sink(port)
    # Open, and so kept, while the work may run; removed when this process ends.
    native = tempfile.NamedTemporaryFile(suffix=".native")  # noqa: SIM115
    source = (
        f"SELECT toInt64(number) AS id, concat('name ', toString(number)) AS name, number / 3 AS f "
        f"FROM system.numbers LIMIT {rows} FORMAT Native"
    )
    subprocess.run(client_command(port, "-q", source), stdout=native, check=True)

    def work() -> None:
        with open(native.name, "rb") as rows_file:
            subprocess.run(
                client_command(port, "-q", f"INSERT INTO {INSERT_TABLE} FORMAT Native"),
                stdin=rows_file,
                check=True,
            )

    return work


# Each side's way of doing each workload; a missing entry means the side is not run for it.
READ_SIDES = {
    "ours pyodbc": read(pyodbc_read),
    "ours arrow-odbc": read(arrow_odbc_read),
    "ours SQLAlchemy": read(
        lambda port, sql, rows: sqlalchemy_read(our_engine(port), sql, rows)
    ),
    "clickhouse-client": read(clickhouse_client_read),
    "clickhouse-driver": read(clickhouse_driver_read),
    "clickhouse-connect": read(clickhouse_connect_read),
    "clickhouse-sqlalchemy": read(
        lambda port, sql, rows: sqlalchemy_read(peer_engine(port), sql, rows)
    ),
    "bytehouse-driver": read(bytehouse_driver_read),
}
SESSION_SIDES = {
    "ours pyodbc": pyodbc_session,
    "ours SQLAlchemy": sqlalchemy_session(our_engine),
    "clickhouse-driver": clickhouse_driver_session,
    "clickhouse-connect": clickhouse_connect_session,
    "clickhouse-sqlalchemy": sqlalchemy_session(peer_engine),
    "bytehouse-driver": bytehouse_driver_session,
}
INSERT_SIDES = {
    "ours pyodbc": insert(pyodbc_insert),
    "clickhouse-client": clickhouse_client_insert,
    "clickhouse-driver": insert(clickhouse_driver_insert),
    "clickhouse-connect": insert(clickhouse_connect_insert),
    "bytehouse-driver": insert(bytehouse_driver_insert),
}
WORKLOADS: dict[str, dict[str, Callable[[int, str, int], Callable[[], None]]]] = {
    "narrow read": READ_SIDES,
    "wide read": READ_SIDES,
    "small queries": {
        **{side: small_queries(session) for side, session in SESSION_SIDES.items()},
        "clickhouse-client": clickhouse_client_queries,
    },
    "connect": {side: connects(session) for side, session in SESSION_SIDES.items()},
    "insert": INSERT_SIDES,
}


def main() -> None:
    side, workload, rows, port, runs = (
        sys.argv[1],
        sys.argv[2],
        int(sys.argv[3]),
        int(sys.argv[4]),
        int(sys.argv[5]),
    )
    try:
        work = WORKLOADS[workload][side](port, workload, rows)
        best = best_of(runs, work)
    except Unavailable as reason:
        print(f"error: {reason}")
        return
    except ModuleNotFoundError as missing:
        print(f"error: {missing.name} is not installed")
        return
    # clickhouse-client's peak is that of its own processes, not of this Python that starts them.
    who = (
        resource.RUSAGE_CHILDREN
        if side == "clickhouse-client"
        else resource.RUSAGE_SELF
    )
    print(f"{best} {resource.getrusage(who).ru_maxrss}")


if __name__ == "__main__":
    main()
