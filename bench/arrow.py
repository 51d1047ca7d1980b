"""The readers and writers of bench/arrow.sh, each timed in a process of its own (see the script)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time

from command_line import parse_arguments, server_port
from narrow import (
    COLUMNS,
    HOST,
    against_client_null,
    client_command,
    narrow_query,
    read_clickhouse_driver,
)
from timing import best_in_turns, timed


def read_ours(port: int, sql: str) -> str:
    from libbytehouse.arrow import connect

    with connect(f"Host={HOST};Port={port}") as connection:
        table = connection.query_arrow(sql).read_all()
    return f"rows={table.num_rows} arrow_bytes={table.nbytes}"


def insert_ours(port: int, arrow_file: str) -> str:
    import pyarrow
    from libbytehouse.arrow import connect

    table = pyarrow.ipc.open_file(arrow_file).read_all()
    started = time.perf_counter()
    with connect(f"Host={HOST};Port={port}") as connection:
        rows = connection.insert_arrow(f"INSERT INTO {SINK} VALUES", table)
    # Reading the file is not part of the insert.
    return f"rows={rows} seconds_inserting={time.perf_counter() - started}"


READERS = {
    "ours": read_ours,
    "clickhouse-driver": read_clickhouse_driver,
    "ours-insert": insert_ours,
}
SINK = "bench_arrow_sink"


def child(reader: str, port: int, sql: str) -> None:
    # Imports are not part of what is measured.
    import clickhouse_driver  # noqa: F401
    import libbytehouse.arrow  # noqa: F401
    import pyarrow  # noqa: F401

    elapsed, outcome = timed(READERS[reader], port, sql)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{elapsed} {peak_kb} {outcome}")


def output_of(command: list) -> list:
    return subprocess.run(
        command, check=True, capture_output=True, text=True
    ).stdout.split()


def main() -> None:
    args = parse_arguments()
    if args.child:
        child(args.child[0], int(args.child[1]), args.child[2])
        return
    port = server_port(args.server)
    sql = narrow_query(args.rows)

    def in_child(reader: str) -> tuple:
        output = output_of(
            [sys.executable, __file__, "--child", reader, str(port), sql]
        )
        return float(output[0]), int(output[1]), " ".join(output[2:])

    ours, client = against_client_null(
        args.runs, args.server, port, sql, lambda: in_child("ours")
    )
    results = {
        "ours": ours,
        "clickhouse-driver": best_in_turns(
            args.runs, lambda: in_child("clickhouse-driver")
        )[0],
    }
    ours = results["ours"]
    print(
        f"server={args.server} rows={args.rows} runs={args.runs} (ours and clickhouse-client in turns)"
    )
    for reader, (seconds, peak_kb, outcome) in results.items():
        print(
            f"  {reader:18} {seconds:7.3f} s  peak RSS {peak_kb / 1024:7.1f} MB  {outcome}"
        )
    if client is not None:
        print(
            f"  {'clickhouse-client':18} {client:7.3f} s  (--format Null, uncompressed as ours, whole process)"
        )
        print(f"ours / clickhouse-client = {ours[0] / client:.2f} (goal <= 1.3)")
    print(
        f"ours / clickhouse-driver = {ours[0] / results['clickhouse-driver'][0]:.3f} (goal <= 0.15)"
    )
    arrow_bytes = int(ours[2].split("arrow_bytes=")[1])
    print(f"our peak RSS / Arrow size = {ours[1] * 1024 / arrow_bytes:.2f} (goal <= 2)")
    if args.server == "old":
        insert(port, sql, args.runs)


def insert(port: int, sql: str, runs: int) -> None:
    """The same rows inserted from Arrow by us and from a Native file by clickhouse-client."""
    import tempfile

    import pyarrow
    from libbytehouse.arrow import connect

    client = client_command(port)
    with (
        tempfile.TemporaryDirectory() as directory,
        connect(f"Host={HOST};Port={port}") as connection,
    ):
        arrow_file = os.path.join(directory, "rows.arrow")
        native_file = os.path.join(directory, "rows.native")
        table = connection.query_arrow(sql).read_all()
        with pyarrow.ipc.new_file(arrow_file, table.schema) as writer:
            writer.write_table(table)
        with open(native_file, "wb") as out:
            subprocess.run(
                [*client, "-q", f"{sql} FORMAT Native"], stdout=out, check=True
            )
        connection.execute(f"DROP TABLE IF EXISTS {SINK}")
        connection.execute(f"CREATE TABLE {SINK} ({COLUMNS}) ENGINE = Null")
        ours = None
        for _ in range(runs):
            output = output_of(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    "ours-insert",
                    str(port),
                    arrow_file,
                ]
            )
            if ours is None or float(output[0]) < ours:
                ours = float(output[0])
        theirs = None
        for _ in range(runs):
            with open(native_file, "rb") as source:
                started = time.perf_counter()
                subprocess.run(
                    [*client, "-q", f"INSERT INTO {SINK} FORMAT Native"],
                    stdin=source,
                    check=True,
                )
                elapsed = time.perf_counter() - started
            theirs = elapsed if theirs is None else min(theirs, elapsed)
        connection.execute(f"DROP TABLE {SINK}")
    print(
        f"  {'ours (insert)':18} {ours:7.3f} s  (from a pyarrow Table, file read excluded)"
    )
    print(
        f"  {'clickhouse-client':18} {theirs:7.3f} s  (INSERT ... FORMAT Native from a file, whole process)"
    )
    print(f"ours / clickhouse-client insert = {ours / theirs:.2f} (goal <= 1.3)")


if __name__ == "__main__":
    main()
