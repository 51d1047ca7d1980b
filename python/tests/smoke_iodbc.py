"""iODBC (libiodbc.so.2 loaded by this program) and libbytehouse.so, through ctypes: narrow and wide
calls. iODBC's SQLWCHAR is wchar_t, four bytes on Linux, which ctypes' c_wchar also is.

Run by tests/odbc_driver_manager.rs with ODBCINI/ODBCINSTINI naming generated ini files and the
data source in BYTEHOUSE_TEST_DSN.
"""

import ctypes
import os
import sys

SQL_NTS = -3
SQL_C_CHAR, SQL_C_WCHAR = 1, -8

odbc = ctypes.CDLL("libiodbc.so.2")


def call(function, *args):
    function.restype = ctypes.c_short
    return function(*args)


def check(condition, message):
    if not condition:
        print("FAILED:", message)
        sys.exit(1)


def diagnostic(handle_type, handle):
    state = ctypes.create_unicode_buffer(6)
    native = ctypes.c_int()
    message = ctypes.create_unicode_buffer(512)
    length = ctypes.c_short()
    call(odbc.SQLGetDiagRecW, handle_type, handle, 1, state, ctypes.byref(native), message, 512, ctypes.byref(length))
    return state.value, message.value


def main():
    env, dbc, stmt = ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_void_p()
    check(call(odbc.SQLAllocHandle, 1, None, ctypes.byref(env)) == 0, "environment")
    check(call(odbc.SQLSetEnvAttr, env, 200, ctypes.c_void_p(3), 0) == 0, "ODBC 3")
    check(call(odbc.SQLAllocHandle, 2, env, ctypes.byref(dbc)) == 0, "connection")
    text = ctypes.create_unicode_buffer(f"DSN={os.environ['BYTEHOUSE_TEST_DSN']}")
    out = ctypes.create_unicode_buffer(256)
    out_length = ctypes.c_short()
    code = call(odbc.SQLDriverConnectW, dbc, None, text, SQL_NTS, out, 256, ctypes.byref(out_length), 0)
    check(code == 0, f"SQLDriverConnectW: {code} {diagnostic(2, dbc)}")
    check(call(odbc.SQLAllocHandle, 3, dbc, ctypes.byref(stmt)) == 0, "statement")

    sql = ctypes.create_unicode_buffer("SELECT 'Grüße, 世界 😀' AS `wörter`, 42 AS n")
    check(call(odbc.SQLExecDirectW, stmt, sql, SQL_NTS) == 0, f"SQLExecDirectW {diagnostic(3, stmt)}")
    name = ctypes.create_unicode_buffer(32)
    name_length, data_type = ctypes.c_short(), ctypes.c_short()
    size, digits, nullable = ctypes.c_size_t(), ctypes.c_short(), ctypes.c_short()
    code = call(
        odbc.SQLDescribeColW,
        stmt,
        1,
        name,
        32,
        ctypes.byref(name_length),
        ctypes.byref(data_type),
        ctypes.byref(size),
        ctypes.byref(digits),
        ctypes.byref(nullable),
    )
    check((code, name.value, name_length.value) == (0, "wörter", 6), f"SQLDescribeColW {name.value!r}")
    check(call(odbc.SQLFetch, stmt) == 0, "fetch")
    wide = ctypes.create_unicode_buffer(64)
    length = ctypes.c_ssize_t()
    code = call(odbc.SQLGetData, stmt, 1, SQL_C_WCHAR, wide, ctypes.sizeof(wide), ctypes.byref(length))
    check(
        (code, wide.value, length.value) == (0, "Grüße, 世界 😀", 4 * 11), f"SQL_C_WCHAR {wide.value!r} {length.value}"
    )
    narrow = ctypes.create_string_buffer(64)
    code = call(odbc.SQLGetData, stmt, 2, SQL_C_CHAR, narrow, 64, ctypes.byref(length))
    check((code, narrow.value) == (0, b"42"), f"SQL_C_CHAR {narrow.value!r}")
    call(odbc.SQLCloseCursor, stmt)

    # Narrow calls on the same connection: iODBC passes them on as wide ones.
    bad = b"SELECT * FROM no_such_table_for_iodbc"
    check(call(odbc.SQLExecDirect, stmt, bad, len(bad)) == -1, "unknown table must fail")
    state, message = diagnostic(3, stmt)
    check(state == "42S02" and "no_such_table_for_iodbc" in message, f"diagnostic {state} {message!r}")

    for handle_type, handle in ((3, stmt), (2, dbc), (1, env)):
        if handle_type == 2:
            call(odbc.SQLDisconnect, dbc)
        call(odbc.SQLFreeHandle, handle_type, handle)
    print("iodbc smoke: ok")


main()
