"""pyodbc through unixODBC and libbytehouse.so: connect, types, fetch styles, errors.

Run by tests/odbc_driver_manager.rs with ODBCSYSINI/ODBCINI pointing at generated ini files that
register the driver as `ByteHouse` and a DSN for the server, named in BYTEHOUSE_TEST_DSN.
"""

import datetime
import decimal
import os
import sys
import threading
import uuid

import pyodbc

HOST = os.environ.get("BYTEHOUSE_TEST_HOST", "127.0.0.1")
PORT = os.environ["BYTEHOUSE_TEST_PORT"]
DSN = os.environ["BYTEHOUSE_TEST_DSN"]


def check(condition, message):
    if not condition:
        print("FAILED:", message)
        sys.exit(1)


def round_trip_types(cursor):
    """Every common column type written through parameters (and as NULL) and read back."""
    table = f"pyodbc_types_{os.getpid()}"
    columns = {
        "i8": ("Int8", -128),
        "u8": ("UInt8", 255),
        "i16": ("Int16", -32768),
        "u16": ("UInt16", 65535),
        "i32": ("Int32", -(2**31)),
        "u32": ("UInt32", 2**32 - 1),
        "i64": ("Int64", -(2**63)),
        "u64": ("UInt64", 2**63 - 1),
        "f32": ("Float32", 1.5),
        "f64": ("Float64", 0.1),
        "s": ("String", "Grüße, 世界 ' \\"),
        "fs": ("FixedString(3)", "abc"),
        "d": ("Date", datetime.date(2020, 1, 2)),
        "t": ("DateTime", datetime.datetime(2020, 1, 2, 3, 4, 5)),
        "u": ("UUID", uuid.UUID("01234567-89ab-cdef-0123-456789abcdef")),
        "dec": ("Decimal(18, 4)", decimal.Decimal("-12.3456")),
        "e": ("Enum8('a' = 1, 'b' = 2)", "b"),
        "lc": ("LowCardinality(String)", "low"),
    }
    if not cursor.execute("SELECT version()").fetchone()[0].startswith("18."):
        columns.update(
            {
                "b": ("Bool", True),
                "t64": ("DateTime64(3)", datetime.datetime(2020, 1, 2, 3, 4, 5, 123000)),
                "d32": ("Date32", datetime.date(1900, 1, 1)),
                "ip4": ("IPv4", "10.0.0.1"),
                "ip6": ("IPv6", "2001:db8::1"),
                "i128": ("Int128", decimal.Decimal(-(2**127))),
                "u256": ("UInt256", decimal.Decimal(2**256 - 1)),
            }
        )
    declared = ", ".join(
        f"{name} {type_name}, n_{name} Nullable({type_name})"
        for name, (type_name, _) in columns.items()
        if not type_name.startswith("LowCard")
    )
    # 18.16 calls LowCardinality experimental; newer servers no longer know the setting.
    if cursor.execute("SELECT version()").fetchone()[0].startswith("18."):
        cursor.execute("SET allow_experimental_low_cardinality_type = 1")
    cursor.execute(f"CREATE TABLE {table} ({declared}, lc LowCardinality(String), arr Array(Int32)) ENGINE = Memory")
    names = [name for name in columns if name != "lc"]
    insert_names = [*names, *(f"n_{name}" for name in names), "lc"]
    values = [columns[name][1] for name in names] + [None] * len(names) + ["low"]
    marks = ", ".join("?" * len(insert_names))
    cursor.execute(f"INSERT INTO {table} ({', '.join(insert_names)}) VALUES ({marks})", *values)
    cursor.execute(f"SELECT {', '.join(insert_names)}, arr FROM {table}")
    row = cursor.fetchone()
    for name, got in zip(insert_names, row):
        expected = None if name.startswith("n_") else columns[name][1]
        if isinstance(expected, uuid.UUID):
            got = uuid.UUID(str(got))
        check(got == expected, f"{name}: {got!r} != {expected!r}")
    check(row[-1] == "[]", f"Array as text: {row[-1]!r}")
    if "b" in columns:
        cursor.execute("SELECT map('a', 1) AS m, CAST((1, 'x'), 'Tuple(id Int32, name String)') AS named")
        check(tuple(cursor.fetchone()) == ("{'a':1}", "(1,'x')"), "Map and named Tuple as text")
    cursor.execute(f"DROP TABLE {table}")


def catalog(cursor):
    """The catalog functions SQLAlchemy and BI tools reflect schemas with."""
    table = f"pyodbc_catalog_{os.getpid()}"
    old = cursor.execute("SELECT version()").fetchone()[0].startswith("18.")
    engine = "MergeTree(d, (id, t), 8192)" if old else "MergeTree PARTITION BY d ORDER BY (id, t)"
    cursor.execute(
        f"CREATE TABLE {table} (id UInt64, name Nullable(String), t DateTime, d Date DEFAULT today(), "
        f"price Decimal(10, 2)) ENGINE = {engine}"
    )
    database = cursor.execute("SELECT currentDatabase()").fetchone()[0]
    # REMARKS is the table's comment (none here); the engine and keys follow ODBC's five columns.
    tables = [(*tuple(row)[:5], row.engine, row.sorting_key) for row in cursor.tables(table=table)]
    check(tables == [(database, None, table, "TABLE", None, "MergeTree", "id, t")], f"tables: {tables}")
    check(
        any(
            row.table_name == "numbers" and row.table_type == "SYSTEM TABLE"
            for row in cursor.tables(catalog="system", table="num%")
        ),
        "system tables by pattern",
    )
    columns = [
        (row.column_name, row.data_type, row.type_name, row.nullable, row.ordinal_position)
        for row in cursor.columns(table=table)
    ]
    check(
        columns
        == [
            ("id", -5, "UInt64", 0, 1),
            ("name", 12, "Nullable(String)", 1, 2),
            ("t", 93, "DateTime", 0, 3),
            ("d", 91, "Date", 0, 4),
            ("price", 3, "Decimal(10, 2)", 0, 5),
        ],
        f"columns: {columns}",
    )
    price = cursor.columns(table=table, column="pri%").fetchone()
    check((price.column_size, price.decimal_digits) == (10, 2), f"decimal column: {tuple(price)}")
    keys = [(row.column_name, row.key_seq) for row in cursor.primaryKeys(table)]
    check(keys == [("id", 1), ("t", 2)], f"primary key: {keys}")
    sorting = [row.column_name for row in cursor.statistics(table) if row.index_name]
    check(sorting == ["id", "t"], f"sorting key as an index: {sorting}")
    check(
        cursor.foreignKeys(table).fetchall() == []
        and cursor.rowIdColumns(table).fetchall() == []
        and cursor.procedures().fetchall() == [],
        "nothing for keys, row ids and procedures",
    )
    catalogs = [row.table_cat for row in cursor.tables(catalog="%", schema="", table="")]
    check({"system", database} <= set(catalogs), f"catalogs: {catalogs}")
    cursor.execute(f"DROP TABLE {table}")


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

    # Cancel from another thread, and a query timeout: the statement fails, the connection lives on.
    endless = "SELECT sum(number) FROM numbers(10000000000)"
    timer = threading.Timer(0.5, cursor.cancel)
    timer.start()
    try:
        cursor.execute(endless).fetchall()
        check(False, "a cancelled query must fail")
    except pyodbc.Error as error:
        check(error.args[0] == "HY008", f"cancel: {error.args}")
    timer.join()
    connection.timeout = 1  # applies to cursors made from now on
    try:
        connection.cursor().execute(endless).fetchall()
        check(False, "a query past its timeout must fail")
    except pyodbc.Error as error:
        check(error.args[0] == "HYT00", f"timeout: {error.args}")
    connection.timeout = 0
    cursor.execute("SELECT 2")
    check(cursor.fetchone()[0] == 2, "usable after cancel and timeout")

    round_trip_types(cursor)
    catalog(cursor)

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
    rows = [
        (i, f"name {i} 'quoted'", datetime.datetime(2020, 1, 1, 0, 0, i % 60) if i % 2 else None) for i in range(1000)
    ]
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
