"""A pyodbc loop through libbytehouse.so for tests/valgrind_pyodbc.rs: queries, parameters and
errors, repeated, so that memcheck sees every path of the driver a few times."""
import os

import pyodbc
c = pyodbc.connect(f"Driver={{ByteHouse}};Host={os.environ['BYTEHOUSE_TEST_HOST']};Port={os.environ['BYTEHOUSE_TEST_PORT']}")
cur = c.cursor()
for i in range(20):
    cur.execute("SELECT number, toString(number), if(number % 2, NULL, number / 3), toDateTime(number) FROM numbers(200)")
    rows = cur.fetchall()
    cur.execute("SELECT ?, ?", "x'y", i)
    cur.fetchall()
    try:
        cur.execute("SELEC 1")
    except pyodbc.Error:
        pass
c.close()
print("done")
