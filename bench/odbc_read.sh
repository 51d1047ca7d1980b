#!/usr/bin/env bash
# Runs bench/odbc_read.py: the driver (release build) registered in ini files under
# .test-servers/odbc-bench, against the local 18.16 server.
# Usage: bench/odbc_read.sh [ROWS]   (default 1000000 for pyodbc, 10x that for arrow-odbc)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/odbc_env.sh"
"$python" bench/odbc_read.py "$@"
