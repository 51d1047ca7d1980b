#!/usr/bin/env bash
# How much of each ODBC workload of bench/odbc_read.py is the driver's own work: each runs once
# under `perf record`, and the samples in libbytehouse.so, in the driver manager (libodbc) and in
# everything else (Python, pyodbc or arrow-odbc, the kernel) are printed in seconds of CPU time.
# Usage: bench/odbc_share.sh [ROWS]   (needs perf; same setup as bench/odbc_read.sh)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/odbc_env.sh"
frequency=999
for workload in fetchall arrow insert; do
    data=$dir/perf-$workload.data
    elapsed=$(perf record -q -F $frequency -o "$data" "$python" bench/odbc_read.py "${1:-1000000}" --once "$workload" 2>/dev/null)
    perf report -i "$data" --stdio --sort dso -n 2>/dev/null | awk -v workload="$workload" -v elapsed="$elapsed" \
        -v frequency=$frequency '
        /^ +[0-9.]+%/ { samples = $2; total += samples
                        if ($3 ~ /libbytehouse/) driver += samples; else if ($3 ~ /libodbc/) manager += samples }
        END { printf "%-9s wall %.2fs  cpu: driver %.2fs, driver manager %.2fs, rest %.2fs\n", workload, elapsed,
                     driver / frequency, manager / frequency, (total - driver - manager) / frequency }'
done
