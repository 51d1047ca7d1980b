"""ODBC read benchmarks, each printed as a ratio against a peer measured in the same run:

- pyodbc `fetchall` of ROWS rows of (UInt64, String, Float64, DateTime, Nullable(Int32)) through
  libbytehouse.so, next to clickhouse-driver's `execute` of the same query (goal: at most 1.0x);
- arrow-odbc reading 10x ROWS rows of the same shape, next to `clickhouse-client --format Null`
  (goal: at most 2x);
- pyodbc `fast_executemany` inserting ROWS rows of (Int64, String, Float64), next to
  clickhouse-driver's insert of the same rows (goal: at most 1.5x).

Usage: bench/odbc_read.sh (sets up the driver registration and the servers, then runs this).
`odbc_read.py [ROWS] --once WORKLOAD [--peer]` runs one of our workloads once, or with `--peer` the
peer's side of it, and prints its seconds (for bench/odbc_share.sh).
"""

import os
import subprocess
import sys

import pyodbc
from arrow_odbc import read_arrow_batches_from_odbc
from clickhouse_driver import Client
from narrow import client_command, narrow_query
from timing import best_in_turns, best_of

HOST = os.environ["CLICKHOUSE_HOST"]
PORT = int(os.environ["CLICKHOUSE_PORT"])
ARGUMENTS = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
ROWS = int(ARGUMENTS[0]) if ARGUMENTS and ARGUMENTS[0].isdigit() else 1_000_000
CONNECTION = f"Driver={{ByteHouse}};Host={HOST};Port={PORT}"


def pyodbc_fetchall():
    cursor = pyodbc.connect(CONNECTION).cursor()
    cursor.execute(narrow_query(ROWS))
    assert len(cursor.fetchall()) == ROWS


def driver_execute():
    assert len(Client(HOST, port=PORT).execute(narrow_query(ROWS))) == ROWS


def arrow_read(max_text_size=None):
    reader = read_arrow_batches_from_odbc(
        query=narrow_query(10 * ROWS),
        connection_string=CONNECTION,
        batch_size=65536,
        max_text_size=max_text_size,
    )
    assert sum(batch.num_rows for batch in reader) == 10 * ROWS


def client_null():
    # Uncompressed, as our connection is by default (and as bench/run.py's clickhouse-client side).
    command = client_command(PORT, "--format", "Null", "-q", narrow_query(10 * ROWS))
    subprocess.run(command, check=True)


def insert_rows():
    # Made when a workload needs them: a million tuples alive during the reads would make Python's
    # garbage collector walk them again and again, slowing every side's fetch.
    return [(i, f"name {i}", i / 3) for i in range(ROWS)]


def insert_table(client):
    client.execute("DROP TABLE IF EXISTS bench_insert")
    client.execute(
        "CREATE TABLE bench_insert (id Int64, name String, f Float64) ENGINE = Memory"
    )


def pyodbc_insert(rows):
    insert_table(Client(HOST, port=PORT))
    cursor = pyodbc.connect(CONNECTION).cursor()
    cursor.fast_executemany = True
    cursor.executemany("INSERT INTO bench_insert (id, name, f) VALUES (?, ?, ?)", rows)


def driver_insert(rows):
    client = Client(HOST, port=PORT)
    insert_table(client)
    client.execute("INSERT INTO bench_insert (id, name, f) VALUES", rows)


def in_turns(*sides):
    """The best of three seconds of each side (a workload's name, with "--peer" for its peer's
    side), each run in a process of its own and the sides taking turns: later runs in one process
    read slower than the first, as Python's heap and collector carry the earlier rows."""

    def once(side):
        command = [sys.executable, __file__, str(ROWS), "--once", *side.split()]
        finished = subprocess.run(command, capture_output=True, text=True, check=True)
        return (float(finished.stdout.split()[-1]),)

    return [
        best[0]
        for best in best_in_turns(3, *[lambda side=side: once(side) for side in sides])
    ]


def main():
    ours, theirs = in_turns("fetchall", "fetchall --peer")
    print(
        f"pyodbc fetchall {ROWS} rows: ours={ours:.2f}s clickhouse-driver={theirs:.2f}s "
        f"ratio={ours / theirs:.2f} (goal <= 1.0)"
    )
    # A String column has no size, so arrow-odbc sizes its buffers by the nominal size the driver
    # reports (StringMaxLength, 256 by default); its max_text_size option bounds it further.
    ours, bounded, theirs = in_turns("arrow", "arrow-256", "arrow --peer")
    for label, seconds in (("", ours), (" max_text_size=256", bounded)):
        print(
            f"arrow-odbc{label} {10 * ROWS} rows: ours={seconds:.2f}s clickhouse-client={theirs:.2f}s "
            f"ratio={seconds / theirs:.2f} (goal <= 2.0)"
        )
    ours, theirs = in_turns("insert", "insert --peer")
    print(
        f"pyodbc fast_executemany insert {ROWS} rows: ours={ours:.2f}s clickhouse-driver={theirs:.2f}s "
        f"ratio={ours / theirs:.2f} (goal <= 1.5)"
    )


# Each of our workloads, and the peer its target compares it with.
WORKLOADS = {
    "fetchall": pyodbc_fetchall,
    "arrow": arrow_read,
    "arrow-256": lambda: arrow_read(256),
    "insert": pyodbc_insert,
}
PEERS = {"fetchall": driver_execute, "arrow": client_null, "insert": driver_insert}

if "--once" in sys.argv:
    name = sys.argv[sys.argv.index("--once") + 1]
    side = PEERS if "--peer" in sys.argv else WORKLOADS
    arguments = (insert_rows(),) if name == "insert" else ()
    print(f"{best_of(1, lambda: side[name](*arguments)):.3f}")
else:
    main()
