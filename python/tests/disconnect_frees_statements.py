"""Connections closed with their statements' results still open, through unixODBC's libodbc called
with ctypes (no wrapper that frees statements first): SQLDisconnect must free the statements, or
each cycle leaks them with their result blocks. Prints the growth of the process's resident memory.

Environment: BYTEHOUSE_TEST_DSN (a data source of the driver), CYCLES (default 20).
"""

import ctypes
import os

odbc = ctypes.CDLL("libodbc.so.2")
HANDLE = ctypes.c_void_p
for name, arguments in {
    "SQLAllocHandle": [ctypes.c_short, HANDLE, ctypes.POINTER(HANDLE)],
    "SQLSetEnvAttr": [HANDLE, ctypes.c_int, HANDLE, ctypes.c_int],
    "SQLDriverConnect": [
        HANDLE,
        HANDLE,
        ctypes.c_char_p,
        ctypes.c_short,
        HANDLE,
        ctypes.c_short,
        HANDLE,
        ctypes.c_ushort,
    ],
    "SQLExecDirect": [HANDLE, ctypes.c_char_p, ctypes.c_int],
    "SQLFetch": [HANDLE],
    "SQLDisconnect": [HANDLE],
    "SQLFreeHandle": [ctypes.c_short, HANDLE],
}.items():
    getattr(odbc, name).argtypes = arguments
    getattr(odbc, name).restype = ctypes.c_short

ENV, DBC, STMT = 1, 2, 3
# 65,536 rows of about 100 bytes in the first block: megabytes per open result.
QUERY = b"SELECT concat(toString(number), '" + b"x" * 96 + b"') FROM numbers(200000)"


def check(code, what):
    if code not in (0, 1):
        raise SystemExit(f"{what} returned {code}")


def allocate(kind, parent):
    handle = HANDLE()
    check(odbc.SQLAllocHandle(kind, parent, ctypes.byref(handle)), f"SQLAllocHandle({kind})")
    return handle


env = allocate(ENV, None)
check(odbc.SQLSetEnvAttr(env, 200, HANDLE(3), 0), "SQLSetEnvAttr")
connection_string = f"DSN={os.environ['BYTEHOUSE_TEST_DSN']}".encode()


def connection():
    dbc = allocate(DBC, env)
    check(odbc.SQLDriverConnect(dbc, None, connection_string, len(connection_string), None, 0, None, 0), "connect")
    return dbc


def cycle():
    dbc = connection()
    for _ in range(2):
        stmt = allocate(STMT, dbc)
        check(odbc.SQLExecDirect(stmt, QUERY, len(QUERY)), "SQLExecDirect")
        check(odbc.SQLFetch(stmt), "SQLFetch")
    check(odbc.SQLDisconnect(dbc), "SQLDisconnect")
    check(odbc.SQLFreeHandle(DBC, dbc), "SQLFreeHandle(DBC)")


def resident_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


# A connection open throughout keeps the driver loaded, so that only the cycles are measured.
pinned = connection()
for _ in range(3):
    cycle()
before = resident_bytes()
cycles = int(os.environ.get("CYCLES", "20"))
for _ in range(cycles):
    cycle()
growth = resident_bytes() - before
print(f"resident memory grew {growth // 1024} KiB over {cycles} cycles")
