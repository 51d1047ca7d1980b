"""ODBC read benchmarks, each printed as a ratio against a peer measured in the same run:

- pyodbc `fetchall` of ROWS rows of (UInt64, String, Float64, DateTime, Nullable(Int32)) through
  libbytehouse.so, next to clickhouse-driver's `execute` of the same query (goal: at most 1.0x);
- arrow-odbc reading 10x ROWS rows of the same shape, next to `clickhouse-client --format Null`
  (goal: at most 2x);
- pyodbc `fast_executemany` inserting ROWS rows of (Int64, String, Float64), next to
  clickhouse-driver's insert of the same rows (goal: at most 1.5x).

Usage: bench/odbc_read.sh (sets up the driver registration and the servers, then runs this).
`odbc_read.py [ROWS] --once WORKLOAD` runs one of our workloads once (for bench/odbc_share.sh).
"""

import os
import subprocess
import sys

import pyodbc
from arrow_odbc import read_arrow_batches_from_odbc
from clickhouse_driver import Client
from narrow import narrow_query
from timing import best_of

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
    subprocess.run(
        [
            "clickhouse-client",
            "--host",
            HOST,
            "--port",
            str(PORT),
            "--format",
            "Null",
            "-q",
            narrow_query(10 * ROWS),
        ],
        check=True,
    )


INSERT_ROWS = [(i, f"name {i}", i / 3) for i in range(ROWS)]


def insert_table(client):
    client.execute("DROP TABLE IF EXISTS bench_insert")
    client.execute(
        "CREATE TABLE bench_insert (id Int64, name String, f Float64) ENGINE = Memory"
    )


def pyodbc_insert():
    insert_table(Client(HOST, port=PORT))
    cursor = pyodbc.connect(CONNECTION).cursor()
    cursor.fast_executemany = True
    cursor.executemany(
        "INSERT INTO bench_insert (id, name, f) VALUES (?, ?, ?)", INSERT_ROWS
    )


def driver_insert():
    client = Client(HOST, port=PORT)
    insert_table(client)
    client.execute("INSERT INTO bench_insert (id, name, f) VALUES", INSERT_ROWS)


def main():
    ours, theirs = best_of(3, pyodbc_fetchall), best_of(3, driver_execute)
    print(
        f"pyodbc fetchall {ROWS} rows: ours={ours:.2f}s clickhouse-driver={theirs:.2f}s "
        f"ratio={ours / theirs:.2f} (goal <= 1.0)"
    )
    # A String column has no size, so arrow-odbc sizes its buffers by the nominal size the driver
    # reports (StringMaxLength, 256 by default); its max_text_size option bounds it further.
    theirs = best_of(3, client_null)
    for label, max_text_size in (("", None), (" max_text_size=256", 256)):
        ours = best_of(3, lambda size=max_text_size: arrow_read(size))
        print(
            f"arrow-odbc{label} {10 * ROWS} rows: ours={ours:.2f}s clickhouse-client={theirs:.2f}s "
            f"ratio={ours / theirs:.2f} (goal <= 2.0)"
        )
    ours, theirs = best_of(3, pyodbc_insert), best_of(3, driver_insert)
    print(
        f"pyodbc fast_executemany insert {ROWS} rows: ours={ours:.2f}s clickhouse-driver={theirs:.2f}s "
        f"ratio={ours / theirs:.2f} (goal <= 1.5)"
    )


WORKLOADS = {"fetchall": pyodbc_fetchall, "arrow": arrow_read, "insert": pyodbc_insert}

if "--once" in sys.argv:
    workload = WORKLOADS[sys.argv[sys.argv.index("--once") + 1]]
    print(f"{best_of(1, workload):.3f}")
else:
    main()
