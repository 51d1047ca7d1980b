#!/usr/bin/env bash
# Benchmark: 1M rows of (UInt64, String, Float64, DateTime, Nullable(Int32)) selected through
# SQLAlchemy with our dialect (bytehouse://, pyodbc over the release libbytehouse.so) and with
# clickhouse-sqlalchemy's native dialect (clickhouse-driver), same query, same server, same run, for
# conn.execute(text(q)).fetchall() and for a Core select() of a Table. Prints the best-of-5 times, the
# ratio ours/theirs (goal <= 1.0), each side's peak RSS, then where the time goes (see
# bench/sqlalchemy_read.py), and the CPU of one of our fetches split by library (perf, if present).
#
# Usage: bench/sqlalchemy_read.sh [ROWS] [--runs N] [--server old|modern] [--no-profile]
#   the 18.16 server by default, as the other benchmarks; --server modern for 26.9.
#   PYTHON     the interpreter the environment is made from (default python3)
#   VENV       the environment (default target/pyenv/bench-sqlalchemy; made or refreshed here)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source bench/python_env.sh
# clickhouse-sqlalchemy 0.3.2 requires SQLAlchemy >= 2.0, < 2.1.
python_bench_env bench-sqlalchemy "sqlalchemy==2.0.58 clickhouse-sqlalchemy==0.3.2 clickhouse-driver==0.2.11 pyodbc==5.5.0"

"$venv/bin/python" bench/sqlalchemy_read.py "$@"

# The CPU of one fetch of ours (text style), by library, as bench/odbc_share.sh does for pyodbc.
[[ " $* " == *" --no-profile "* ]] && exit 0
if ! command -v perf >/dev/null || ! perf record -q -o /dev/null true 2>/dev/null; then
    echo "(perf unavailable: no CPU split by library)"
    exit 0
fi
args=()
for arg in "$@"; do [[ $arg == --no-profile ]] || args+=("$arg"); done
dir=${BYTEHOUSE_TEST_DIR:-$PWD/.test-servers}/sqlalchemy-bench
mkdir -p "$dir"
frequency=999
echo
echo "CPU of one fetch by library (perf at $frequency Hz, sampling only during the fetch; the client's CPU, not the server's):"
for side in ours clickhouse-sqlalchemy; do
    data=$dir/perf-$side.data
    rm -f "$dir/ctl" "$dir/ack"
    mkfifo "$dir/ctl" "$dir/ack"
    elapsed=$(BENCH_PERF_CONTROL=$dir/ctl,$dir/ack perf record -q -F $frequency -D -1 \
        --control "fifo:$dir/ctl,$dir/ack" -o "$data" "$venv/bin/python" bench/sqlalchemy_read.py "${args[@]}" \
        --once "$side" text 2>/dev/null)
    perf report -i "$data" --stdio --sort dso -n 2>/dev/null | awk -v side="$side" -v elapsed="$elapsed" \
        -v frequency=$frequency '
        /^ +[0-9.]+%/ {
            samples = $2; total += samples; dso = $3
            if (dso ~ /libbytehouse/) part["driver"] += samples
            else if (dso ~ /libodbc/) part["driver manager"] += samples
            else if (dso ~ /pyodbc/) part["pyodbc"] += samples
            else if (dso ~ /clickhouse_driver|^(bufferedreader|varint|bufferedwriter)/) part["clickhouse-driver C"] += samples
            else if (dso ~ /^(collections|resultproxy|processors|util|immutabledict)\.cpython/) part["SQLAlchemy C"] += samples
            else if (dso ~ /python|libpython/) part["python"] += samples
            else if (dso ~ /libc[.-]|libm[.-]/) part["libc"] += samples
            else if (dso ~ /kernel/) part["kernel"] += samples
            else part["other"] += samples
        }
        END {
            printf "  %-22s fetch %.2fs  cpu %.2fs:", side, elapsed, total / frequency
            n = split("driver,driver manager,pyodbc,clickhouse-driver C,SQLAlchemy C,python,libc,kernel,other", order, ",")
            for (i = 1; i <= n; i++) if (part[order[i]] > 0) printf " %s %.2fs,", order[i], part[order[i]] / frequency
            printf "\n"
        }' | sed 's/,$//'
done
