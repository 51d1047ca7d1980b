"""pyodbc describing a column named after a 100,000-character expression, longer than the
SQLSMALLINT in which SQLDescribeColW reports a name's length: the name arrives cut to 32,766
characters (pyodbc sizes its buffer as length + 1 in an SQLSMALLINT) and the value is right.

Environment: BYTEHOUSE_TEST_DSN (a data source of the driver).
"""

import os

import pyodbc

connection = pyodbc.connect(f"DSN={os.environ['BYTEHOUSE_TEST_DSN']}", autocommit=True)
cursor = connection.cursor()
cursor.execute("SELECT length(?)", "x" * 100_000)
name = cursor.description[0][0]
assert name == "length('" + "x" * (32_766 - 8), (len(name), name[:20])
assert cursor.fetchone()[0] == 100_000
print("long column name: ok")
