#!/usr/bin/env bash
# How much of each ODBC workload of bench/odbc_read.py is the driver's own work: each runs RUNS
# times under `perf record`, taking turns with its peer, and of its fastest run the samples in libbytehouse.so, in the driver manager (libodbc) and in
# everything else (Python, pyodbc or arrow-odbc, the kernel) are printed in seconds of CPU time.
# Then the workload's wall time less the driver's and the driver manager's CPU, against the peer's
# time for the same work (its fastest of RUNS): the ratio a driver that cost nothing would reach,
# which shows whether a target is bound by the consumer. Single runs are not enough on this VM:
# the same read varies by half from one minute to the next.
# Usage: bench/odbc_share.sh [ROWS] [RUNS]   (default 1000000 rows, 3 runs; needs perf; same setup
# as bench/odbc_read.sh)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/odbc_env.sh"
frequency=999
declare -A goal=([fetchall]=1.0 [arrow]=2.0 [insert]=1.5)
for workload in fetchall arrow insert; do
    data=$dir/perf-$workload.data
    elapsed= peer=
    for ((run = 0; run < ${2:-3}; run++)); do
        seconds=$(perf record -q -F $frequency -o "$data.run" "$python" bench/odbc_read.py "${1:-1000000}" \
            --once "$workload" 2>/dev/null)
        if [[ -z $elapsed ]] || awk -v a="$seconds" -v b="$elapsed" 'BEGIN { exit !(a < b) }'; then
            elapsed=$seconds
            mv "$data.run" "$data"
        fi
        seconds=$("$python" bench/odbc_read.py "${1:-1000000}" --once "$workload" --peer)
        if [[ -z $peer ]] || awk -v a="$seconds" -v b="$peer" 'BEGIN { exit !(a < b) }'; then
            peer=$seconds
        fi
    done
    perf report -i "$data" --stdio --sort dso -n 2>/dev/null | awk -v workload="$workload" -v elapsed="$elapsed" \
        -v frequency=$frequency -v peer="$peer" -v goal="${goal[$workload]}" '
        /^ +[0-9.]+%/ { samples = $2; total += samples
                        if ($3 ~ /libbytehouse/) driver += samples; else if ($3 ~ /libodbc/) manager += samples }
        END { driver /= frequency; manager /= frequency
              printf "%-9s wall %.2fs  cpu: driver %.2fs, driver manager %.2fs, rest %.2fs\n", workload, elapsed,
                     driver, manager, total / frequency - driver - manager
              # The rest includes imports; the wall is the workload alone, so this is what the
              # consumer (and the kernel on its behalf) spends on the workload without us.
              alone = elapsed - driver - manager
              printf "%-9s without the driver and the driver manager: %.2fs, the peer %.2fs, ratio %.2f (goal <= %s)\n",
                     "", alone, peer, alone / peer, goal }'
done
