#!/usr/bin/env bash
# Set up a fresh Debian bookworm machine and run a query through the driver:
# installs dependencies, builds libbytehouse.so, starts the local test servers,
# registers the driver and a DSN in ini files under .test-servers/odbc (nothing
# is written to /etc) and runs the query with unixODBC's isql, then with pyodbc.
#
# Usage: scripts/demo.sh ["SQL"]
# The servers keep running afterwards; stop them with scripts/test-servers.sh stop.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

SQL=${1:-"SELECT version() AS version, timezone() AS tz, number, toString(number * 2) AS doubled, now() AS now FROM numbers(3)"}

section() { printf '\n======== %s ========\n' "$*"; }

section "Dependencies"
scripts/install-deps.sh

section "Build libbytehouse.so (release)"
cargo build --release

section "Test servers"
scripts/test-servers.sh start
eval "$(scripts/test-servers.sh env)"

section "Register the driver and a DSN"
odbc_dir=${BYTEHOUSE_TEST_DIR:-$PWD/.test-servers}/odbc
mkdir -p "$odbc_dir"
cat >"$odbc_dir/odbcinst.ini" <<INI
[ByteHouse]
Description = libbytehouse
Driver = $PWD/target/release/libbytehouse.so
INI
cat >"$odbc_dir/odbc.ini" <<INI
[bytehouse_demo]
Driver = ByteHouse
Host = $CLICKHOUSE_HOST
Port = $CLICKHOUSE_PORT
INI
export ODBCSYSINI=$odbc_dir ODBCINI=$odbc_dir/odbc.ini
cat "$odbc_dir/odbc.ini"

section "isql bytehouse_demo (ClickHouse 18.16 at $CLICKHOUSE_HOST:$CLICKHOUSE_PORT)"
echo "SQL: $SQL"
echo "$SQL" | isql -v -b -m24 bytehouse_demo

section "pyodbc, DSN-less"
python3 - "$SQL" <<'PY'
import os, sys, pyodbc
connection = pyodbc.connect(
    f"Driver={{ByteHouse}};Host={os.environ['CLICKHOUSE_HOST']};Port={os.environ['CLICKHOUSE_PORT']}")
cursor = connection.cursor()
cursor.execute(sys.argv[1])
print([column[0] for column in cursor.description])
for row in cursor.fetchall():
    print(tuple(row))
PY

section "Done"
echo "The test servers are still running: scripts/test-servers.sh status | stop"
