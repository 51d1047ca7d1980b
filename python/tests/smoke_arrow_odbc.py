"""arrow-odbc through unixODBC and libbytehouse.so: column-wise block fetch into Arrow batches.

Run by tests/odbc_driver_manager.rs with the driver registered as `ByteHouse`.
"""

import os
import sys

from arrow_odbc import read_arrow_batches_from_odbc

HOST = os.environ.get("BYTEHOUSE_TEST_HOST", "127.0.0.1")
PORT = os.environ["BYTEHOUSE_TEST_PORT"]


def check(condition, message):
    if not condition:
        print("FAILED:", message)
        sys.exit(1)


reader = read_arrow_batches_from_odbc(
    query="SELECT number AS n, toString(number) AS s, if(number % 3 = 0, NULL, toInt32(number)) AS i, "
    "number / 2 AS f FROM numbers(25000)",
    connection_string=f"Driver={{ByteHouse}};Host={HOST};Port={PORT}",
    batch_size=10000,
)
rows, batches, total = 0, 0, 0
for batch in reader:
    batches += 1
    rows += batch.num_rows
    total += sum(batch.column(0).to_pylist())
    strings = batch.column(1).to_pylist()
    check(strings[-1] == str(batch.column(0).to_pylist()[-1]), "text column follows the numbers")
    check(batch.column(2).null_count > 0, "NULLs arrive as nulls")
check(rows == 25000 and total == 25000 * 24999 // 2, f"rows {rows}, sum {total}")
# arrow-odbc caps a batch's memory; with String's nominal 65535 characters that means fewer rows.
check(batches >= 3, f"at most 10000 rows a batch: {batches}")
print("arrow-odbc smoke: ok")
