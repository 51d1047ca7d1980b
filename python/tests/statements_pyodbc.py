"""pyodbc cursors sharing one connection, as ORMs and BI tools use them.

A cursor iterating a result while other cursors run queries (failing ones and catalog calls too)
gets every row; the QueryTimeout key bounds each query; cancelling an idle cursor leaves another
cursor's running query alone. Run by tests/odbc_driver_manager.rs with the server's DSN in
BYTEHOUSE_TEST_DSN.
"""

import os
import sys
import threading
import time

import pyodbc

DSN = os.environ["BYTEHOUSE_TEST_DSN"]


def check(condition, message):
    if not condition:
        print("FAILED:", message)
        sys.exit(1)


def lazy_loading_while_iterating(connection):
    """SQLAlchemy's lazy loads and BI tools' metadata queries between the rows of a result."""
    rows, total = 0, 0
    other = connection.cursor()
    for (number,) in connection.cursor().execute("SELECT number FROM numbers(300000)"):
        rows += 1
        total += number
        if number % 100000 == 0:
            check(other.execute("SELECT 1").fetchone()[0] == 1, "a query mid-iteration")
            try:
                other.execute("SELECT * FROM no_such_table_anywhere")
                check(False, "the unknown table was found")
            except pyodbc.ProgrammingError as error:
                check("42S02" in str(error), f"the failing query's error: {error}")
            check(other.tables(tableType="TABLE").fetchall() is not None, "a catalog call mid-iteration")
    check((rows, total) == (300000, 300000 * 299999 // 2), f"every row arrived: {rows}, {total}")


def query_timeout_key():
    connection = pyodbc.connect(f"DSN={DSN};QueryTimeout=1", autocommit=True)
    started = time.monotonic()
    try:
        connection.cursor().execute("SELECT sleepEachRow(1) FROM numbers(3) SETTINGS max_block_size = 1").fetchall()
        check(False, "a 3 s query ran past QueryTimeout=1")
    except pyodbc.Error as error:
        check("HYT00" in str(error), f"the timeout's error: {error}")
    check(time.monotonic() - started < 3, "the timeout bounded the wait")
    check(connection.cursor().execute("SELECT 5").fetchone()[0] == 5, "usable after the timeout")
    connection.close()


def cancel_of_an_idle_cursor(connection):
    idle = connection.cursor()
    busy = connection.cursor()
    outcome = []
    runner = threading.Thread(target=lambda: outcome.append(busy.execute("SELECT sleep(1)").fetchone()[0]))
    runner.start()
    time.sleep(0.3)
    idle.cancel()
    runner.join()
    check(outcome == [0], f"the running query went on: {outcome}")


def main():
    connection = pyodbc.connect(f"DSN={DSN}", autocommit=True)
    lazy_loading_while_iterating(connection)
    cancel_of_an_idle_cursor(connection)
    connection.close()
    query_timeout_key()
    print("pyodbc statements: ok")


main()
