#!/usr/bin/env bash
# Benchmark: 10M rows of (UInt64, String, Float64, DateTime, Nullable(Int32)) through the C API's Arrow
# streams (libbytehouse.arrow over the release library), same server, same run, each side in a process
# of its own, best of N:
# - read into a pyarrow Table, next to `clickhouse-client --format Null` (uncompressed, as our
#   connection is by default; goal: at most 1.3x) and to
#   clickhouse-driver reading the same rows (goal: at most 0.15x); our peak RSS next to the Arrow size
#   of the result (goal: at most 2x);
# - inserted from that Arrow data into a Null-engine table, next to clickhouse-client inserting the
#   same rows from a Native-format file (goal: at most 1.3x).
#
# Usage: bench/arrow.sh [ROWS] [--runs N] [--server old|modern]
#   PYTHON  the interpreter the environment is made from (default python3)
#   VENV    the environment (default target/pyenv/bench-arrow; made or refreshed here)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source bench/python_env.sh
python_bench_env bench-arrow "pyarrow==26.0.1 clickhouse-driver==0.2.11"
"$venv/bin/python" bench/arrow.py "$@"
