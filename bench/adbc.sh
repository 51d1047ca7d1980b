#!/usr/bin/env bash
# Benchmark: 10M rows of (UInt64, String, Float64, DateTime, Nullable(Int32)) through the ADBC driver
# (adbc-driver-manager loading the release library), same server, same run, each side in a process of
# its own, best of N:
# - cursor.fetch_arrow_table() next to clickhouse-driver reading the same rows (goal: at most 0.15x) and
#   to `clickhouse-client --format Null` (uncompressed, as our connection is by default; goal: at most
#   1.3x);
# - adbc_ingest of those rows from Arrow into a Null-engine table next to clickhouse-driver's columnar
#   insert of them (goal: at most 0.3x).
#
# Usage: bench/adbc.sh [ROWS] [--runs N] [--server old|modern]
#   PYTHON  the interpreter the environment is made from (default python3)
#   VENV    the environment (default target/pyenv/bench-adbc; made or refreshed here)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source bench/python_env.sh
python_bench_env bench-adbc "adbc-driver-manager==1.13.0 pyarrow==26.0.1 clickhouse-driver==0.2.11"
"$venv/bin/python" bench/adbc.py "$@"
