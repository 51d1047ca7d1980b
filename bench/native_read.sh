#!/usr/bin/env bash
# Benchmark: read 10M rows of (UInt64, String, Float64, DateTime, Nullable(Int32)) with our native
# client (examples/read_bench.rs) and with `clickhouse-client --format Null`, against the same local
# server in the same run. Prints both times, the ratio (goal <= 1.5) and our peak RSS (goal < 100 MB).
# "decode" decodes every block and drops it, as --format Null does; "decode+read" also reads every
# value through Value, as the ODBC layer will on fetch.
#
# Usage: bench/native_read.sh [ROWS]   (servers from scripts/test-servers.sh; started if they do not answer)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

rows=${1:-10000000}
source bench/python_env.sh
bench_servers
cargo build --release --example read_bench --quiet

sql="SELECT number AS id, toString(number) AS s, number / 3 AS f, toDateTime(number) AS t, \
if(number % 10 = 0, NULL, toInt32(number)) AS n FROM system.numbers LIMIT $rows"

time_of() { # prints wall seconds of the command
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}

best() { # best of 5 runs
    local best_time="" t
    for _ in 1 2 3 4 5; do
        t=$(time_of "$@")
        if [[ -z $best_time ]] || (($(echo "$t < $best_time" | bc -l))); then best_time=$t; fi
    done
    echo "$best_time"
}

for mode in plain compressed; do
    flag=()
    client_flag=(--compression=0)
    if [[ $mode == compressed ]]; then
        flag=(--compress)
        client_flag=(--compression=1)
    fi
    theirs=$(best clickhouse-client --host 127.0.0.1 --port "$CLICKHOUSE_PORT" "${client_flag[@]}" \
        --format Null -q "$sql")
    for work in decode decode+read; do
        touch=()
        [[ $work == decode+read ]] && touch=(--touch)
        ours=$(best target/release/examples/read_bench "${flag[@]}" "${touch[@]}" "$sql")
        rss_kb=$(/usr/bin/time -f %M target/release/examples/read_bench "${flag[@]}" "${touch[@]}" "$sql" 2>&1 >/dev/null | tail -1)
        printf '%-10s %-12s rows=%s ours=%.3fs clickhouse-client=%.3fs ratio=%.2f (goal <= 1.5) peak_rss=%.1fMB (goal < 100)\n' \
            "$mode" "$work" "$rows" "$ours" "$theirs" "$(echo "$ours / $theirs" | bc -l)" "$(echo "$rss_kb / 1024" | bc -l)"
    done
done
