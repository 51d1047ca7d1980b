/* A C program that links libbytehouse.so directly (no driver manager) and runs a query.
 * Usage: select HOST PORT; prints the rows as "number|text" lines. */
#include <stdio.h>
#include <string.h>
#include <sql.h>
#include <sqlext.h>

static int fail(SQLSMALLINT type, SQLHANDLE handle, const char *what) {
    SQLCHAR state[6], message[512];
    SQLINTEGER native;
    SQLSMALLINT length;
    if (SQL_SUCCEEDED(SQLGetDiagRec(type, handle, 1, state, &native, message, sizeof message, &length)))
        fprintf(stderr, "%s failed: [%s] %s\n", what, state, message);
    else
        fprintf(stderr, "%s failed without a diagnostic\n", what);
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 3) return 2;
    SQLHENV env;
    SQLHDBC dbc;
    SQLHSTMT stmt;
    char connection[256];
    snprintf(connection, sizeof connection, "Host=%s;Port=%s", argv[1], argv[2]);
    SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
    SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
    SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
    if (!SQL_SUCCEEDED(SQLDriverConnect(dbc, NULL, (SQLCHAR *)connection, SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT)))
        return fail(SQL_HANDLE_DBC, dbc, "SQLDriverConnect");
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt);
    if (!SQL_SUCCEEDED(SQLExecDirect(stmt, (SQLCHAR *)"SELECT number, concat('row ', toString(number)) FROM numbers(3)", SQL_NTS)))
        return fail(SQL_HANDLE_STMT, stmt, "SQLExecDirect");
    while (SQLFetch(stmt) == SQL_SUCCESS) {
        SQLBIGINT number;
        char text[64];
        SQLLEN indicator;
        SQLGetData(stmt, 1, SQL_C_SBIGINT, &number, sizeof number, NULL);
        SQLGetData(stmt, 2, SQL_C_CHAR, text, sizeof text, &indicator);
        printf("%lld|%s\n", (long long)number, text);
    }
    if (SQLExecDirect(stmt, (SQLCHAR *)"SELEC 1", SQL_NTS) != SQL_ERROR) return 1;
    fail(SQL_HANDLE_STMT, stmt, "expected syntax error");
    SQLFreeHandle(SQL_HANDLE_STMT, stmt);
    SQLDisconnect(dbc);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    SQLFreeHandle(SQL_HANDLE_ENV, env);
    return 0;
}
