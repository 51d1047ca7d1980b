"""The readers and writers of bench/adbc.sh, each timed in a process of its own (see the script)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

from command_line import parse_arguments, server_port
from narrow import (
    COLUMNS,
    HOST,
    against_client_null,
    narrow_query,
    read_clickhouse_driver,
)
from timing import best_in_turns, timed

SINK = "bench_adbc_sink"


def read_ours(port: int, sql: str) -> str:
    from libbytehouse import adbc

    with (
        adbc.connect(uri=f"clickhouse://{HOST}:{port}") as conn,
        conn.cursor() as cursor,
    ):
        cursor.execute(sql)
        table = cursor.fetch_arrow_table()
    return f"rows={table.num_rows}"


def insert_ours(port: int, arrow_file: str) -> str:
    import pyarrow
    from libbytehouse import adbc

    table = pyarrow.ipc.open_file(arrow_file).read_all()
    # Reading the file is not part of the insert.
    started = time.perf_counter()
    with (
        adbc.connect(uri=f"clickhouse://{HOST}:{port}") as conn,
        conn.cursor() as cursor,
    ):
        rows = cursor.adbc_ingest(SINK, table, mode="append")
    return f"rows={rows} seconds_inserting={time.perf_counter() - started}"


def insert_clickhouse_driver(port: int, arrow_file: str) -> str:
    import pyarrow
    from clickhouse_driver import Client

    table = pyarrow.ipc.open_file(arrow_file).read_all()
    # Its input is Python values, column by column; making them is not part of the insert.
    columns = [table.column(name).to_pylist() for name in table.column_names]
    started = time.perf_counter()
    rows = Client(HOST, port=port).execute(
        f"INSERT INTO {SINK} VALUES", columns, columnar=True
    )
    return f"rows={rows} seconds_inserting={time.perf_counter() - started}"


TASKS = {
    "ours": read_ours,
    "clickhouse-driver": read_clickhouse_driver,
    "ours-ingest": insert_ours,
    "clickhouse-driver-insert": insert_clickhouse_driver,
}


def child(task: str, port: int, argument: str) -> None:
    # Imports are not part of what is measured.
    import adbc_driver_manager.dbapi  # noqa: F401
    import clickhouse_driver  # noqa: F401
    import pyarrow  # noqa: F401

    elapsed, outcome = timed(TASKS[task], port, argument)
    print(f"{elapsed} {outcome}")


def in_child(task: str, port: int, argument: str) -> tuple[float]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", task, str(port), argument],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return (float(output[0]),)


def best_in_children(runs: int, task: str, port: int, argument: str) -> float:
    return best_in_turns(runs, lambda: in_child(task, port, argument))[0][0]


def main() -> None:
    args = parse_arguments()
    if args.child:
        child(args.child[0], int(args.child[1]), args.child[2])
        return
    port = server_port(args.server)
    sql = narrow_query(args.rows)
    (ours,), client = against_client_null(
        args.runs, args.server, port, sql, lambda: in_child("ours", port, sql)
    )
    driver = best_in_children(args.runs, "clickhouse-driver", port, sql)
    print(
        f"server={args.server} rows={args.rows} runs={args.runs} (best of runs, each in a new process; ours and clickhouse-client in turns)"
    )
    print(f"  {'ADBC fetch_arrow_table':28} {ours:7.3f} s")
    print(f"  {'clickhouse-driver execute':28} {driver:7.3f} s")
    print(f"ours / clickhouse-driver = {ours / driver:.3f} (goal <= 0.15)")
    if client is not None:
        print(
            f"  {'clickhouse-client':28} {client:7.3f} s  (--format Null, uncompressed as ours, whole process)"
        )
        print(f"ours / clickhouse-client = {ours / client:.2f} (goal <= 1.3)")
    ingest(port, sql, args.runs)


def ingest(port: int, sql: str, runs: int) -> None:
    """The same rows ingested from Arrow by us and inserted by clickhouse-driver, into a Null table."""
    import pyarrow
    from libbytehouse import adbc

    with (
        tempfile.TemporaryDirectory() as directory,
        adbc.connect(uri=f"clickhouse://{HOST}:{port}") as conn,
    ):
        arrow_file = os.path.join(directory, "rows.arrow")
        with conn.cursor() as cursor:
            cursor.execute(sql)
            table = cursor.fetch_arrow_table()
            with pyarrow.ipc.new_file(arrow_file, table.schema) as writer:
                writer.write_table(table)
            del table
            cursor.execute(f"DROP TABLE IF EXISTS {SINK}")
            cursor.execute(f"CREATE TABLE {SINK} ({COLUMNS}) ENGINE = Null")
            ours = best_in_children(runs, "ours-ingest", port, arrow_file)
            theirs = best_in_children(
                runs, "clickhouse-driver-insert", port, arrow_file
            )
            cursor.execute(f"DROP TABLE {SINK}")
    print(
        f"  {'ADBC adbc_ingest':28} {ours:7.3f} s  (from a pyarrow Table, file read excluded)"
    )
    print(
        f"  {'clickhouse-driver insert':28} {theirs:7.3f} s  (columnar, from Python lists made beforehand)"
    )
    print(f"ours / clickhouse-driver insert = {ours / theirs:.3f} (goal <= 0.3)")


if __name__ == "__main__":
    main()
