"""pyodbc through unixODBC and libbytehouse.so: connect, types, fetch styles, errors.

Run by tests/odbc_driver_manager.rs with ODBCSYSINI/ODBCINI pointing at generated ini files that
register the driver as `ByteHouse` and a DSN for the server, named in BYTEHOUSE_TEST_DSN.
"""
import datetime
import os
import sys

import pyodbc

HOST = os.environ.get("BYTEHOUSE_TEST_HOST", "127.0.0.1")
PORT = os.environ["BYTEHOUSE_TEST_PORT"]
DSN = os.environ["BYTEHOUSE_TEST_DSN"]


def check(condition, message):
    if not condition:
        print("FAILED:", message)
        sys.exit(1)


def main():
    # DSN-less, SQLAlchemy's Server=host,port form, and a DSN: each connects.
    for connection_string in (
        f"Driver={{ByteHouse}};Host={HOST};Port={PORT}",
        f"DRIVER={{ByteHouse}};SERVER={HOST},{PORT}",
        f"DSN={DSN}",
    ):
        pyodbc.connect(connection_string).close()

    connection = pyodbc.connect(f"Driver={{ByteHouse}};Host={HOST};Port={PORT}")
    cursor = connection.cursor()
    cursor.execute(
        "SELECT toUInt64(18446744073709551615) AS big, toInt32(-7) AS i, 'Grüße, 世界' AS s, "
        "toNullable(NULL) AS n, 1.5 AS f, toDate('2020-01-02') AS d, "
        "toDateTime('2020-01-02 03:04:05') AS t, toDecimal64('-12.345', 3) AS dec"
    )
    names = [column[0] for column in cursor.description]
    check(names == ["big", "i", "s", "n", "f", "d", "t", "dec"], f"description {names}")
    row = cursor.fetchone()
    check(row.big == 18446744073709551615, f"UInt64 max: {row.big!r}")
    check(row.i == -7, f"Int32: {row.i!r}")
    check(row.s == "Grüße, 世界", f"text: {row.s!r}")
    check(row.n is None, f"NULL: {row.n!r}")
    check(row.f == 1.5, f"float: {row.f!r}")
    check(row.d == datetime.date(2020, 1, 2), f"date: {row.d!r}")
    check(row.t == datetime.datetime(2020, 1, 2, 3, 4, 5), f"timestamp: {row.t!r}")
    check(str(row.dec) == "-12.345", f"decimal: {row.dec!r}")
    check(cursor.fetchone() is None, "one row only")

    cursor.execute("SELECT number FROM numbers(100000)")
    check(len(cursor.fetchmany(10)) == 10, "fetchmany")
    rest = cursor.fetchall()
    check(len(rest) == 99990 and rest[-1][0] == 99999, "fetchall after fetchmany")

    long_text = "x" * 10000 + "é"
    cursor.execute(f"SELECT '{long_text}'")
    check(cursor.fetchone()[0] == long_text, "long text read in pieces")

    try:
        cursor.execute("SELECT * FROM no_such_table_for_pyodbc")
        check(False, "unknown table must fail")
    except pyodbc.Error as error:
        check(error.args[0] == "42S02", f"SQLSTATE {error.args}")
    cursor.execute("SELECT 1")
    check(cursor.fetchone()[0] == 1, "usable after an error")

    # Parameters are quoted by the driver: no value can change the statement.
    hostile = "x'); DROP TABLE t; -- \\ \\' \0 é"
    cursor.execute("SELECT ?, ?, ?, ?, ?", hostile, 42, None, 2.5, datetime.date(2020, 1, 2))
    row = cursor.fetchone()
    check(row[0] == hostile, f"string parameter round trip: {row[0]!r}")
    check(row[1] == 42 and row[2] is None and row[3] == 2.5, f"scalar parameters: {tuple(row)!r}")
    check(str(row[4]) == "2020-01-02", f"date parameter: {row[4]!r}")
    cursor.execute("SELECT '?' , ?", "q")
    check(tuple(cursor.fetchone()) == ("?", "q"), "a quoted ? is not a placeholder")

    table = f"pyodbc_params_{os.getpid()}"
    cursor.execute(f"CREATE TABLE {table} (id Int64, name String, born Nullable(DateTime)) ENGINE = Memory")
    rows = [(i, f"name {i} 'quoted'", datetime.datetime(2020, 1, 1, 0, 0, i % 60) if i % 2 else None) for i in range(1000)]
    # A String has no size: fast_executemany sends text at execution, so long and non-ASCII text fits.
    rows[999] = (999, "é" * 20000, None)
    cursor.executemany(f"INSERT INTO {table} (id, name, born) VALUES (?, ?, ?)", rows)
    cursor.fast_executemany = True
    cursor.executemany(f"INSERT INTO {table} (id, name, born) VALUES (?, ?, ?)", rows)
    cursor.fast_executemany = False
    cursor.execute(f"SELECT count(), sum(id), countIf(born IS NULL), any(name) FROM {table} WHERE id = 7")
    count, total, nulls, name = cursor.fetchone()
    check((count, total, nulls, name) == (2, 14, 0, "name 7 'quoted'"), f"inserted rows: {(count, total, nulls, name)}")
    cursor.execute(f"SELECT count() FROM {table}")
    check(cursor.fetchone()[0] == 2000, "both executemany forms inserted every row")
    cursor.execute(f"SELECT count() FROM {table} WHERE name = ?", "é" * 20000)
    check(cursor.fetchone()[0] == 2, "long text through both executemany forms")
    cursor.execute(f"DROP TABLE {table}")

    connection.commit()
    connection.rollback()
    connection.close()
    print("pyodbc smoke: ok")


main()
