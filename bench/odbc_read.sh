#!/usr/bin/env bash
# Runs bench/odbc_read.py: the driver (release build) registered in ini files under
# .test-servers/odbc-bench, against the local 18.16 server.
# Usage: bench/odbc_read.sh [ROWS]   (default 1000000 for pyodbc, 10x that for arrow-odbc)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/test-servers.sh start >/dev/null
eval "$(scripts/test-servers.sh env)"
cargo build --release --quiet
dir=${BYTEHOUSE_TEST_DIR:-$PWD/.test-servers}/odbc-bench
mkdir -p "$dir"
printf '[ByteHouse]\nDriver = %s\n' "$PWD/target/release/libbytehouse.so" >"$dir/odbcinst.ini"
: >"$dir/odbc.ini"
ODBCSYSINI=$dir ODBCINI=$dir/odbc.ini python3 bench/odbc_read.py "$@"
