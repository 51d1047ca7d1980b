"""A pyodbc loop through libbytehouse.so for tests/valgrind_pyodbc.rs: queries, parameters,
parameter arrays (text sent at execution), zoned times and errors, repeated, so that memcheck sees
every path of the driver a few times."""

import datetime
import os

import pyodbc

c = pyodbc.connect(
    f"Driver={{ByteHouse}};Host={os.environ['BYTEHOUSE_TEST_HOST']};Port={os.environ['BYTEHOUSE_TEST_PORT']}"
)
cur = c.cursor()
table = f"valgrind_{os.getpid()}"
cur.execute(f"CREATE TABLE {table} (id Int64, name String, t DateTime('Asia/Shanghai')) ENGINE = Memory")
inserts = [(n, f"name {n}", datetime.datetime(2020, 1, 2, 3, 4, n % 60)) for n in range(50)]
for i in range(20):
    cur.execute(
        "SELECT number, toString(number), if(number % 2, NULL, number / 3), toDateTime(number) FROM numbers(200)"
    )
    rows = cur.fetchall()
    cur.execute("SELECT ?, ?", "x'y", i)
    cur.fetchall()
    cur.fast_executemany = i % 2 == 0
    cur.executemany(f"INSERT INTO {table} VALUES (?, ?, ?)", inserts)
    cur.execute(f"SELECT t, name FROM {table} WHERE id = ?", i)
    cur.fetchall()
    cur.columns(table=table).fetchall()
    cur.tables(table=table).fetchall()
    try:
        cur.execute("SELEC 1")
    except pyodbc.Error:
        pass
cur.execute(f"DROP TABLE {table}")
c.close()
print("done")
