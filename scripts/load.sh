#!/usr/bin/env bash
# The load test (tests/load.rs) run longer than in CI, against the running test servers
# (scripts/test-servers.sh start): prints statements/s and VmRSS after warm-up and at the end,
# per server.
#
# Usage: scripts/load.sh [STATEMENTS_PER_THREAD]   (default 10000; CI runs 600)
#   RELEASE=1 scripts/load.sh   measures a release build instead of the debug one.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$SCRIPT_DIR/.."
# The servers' ports: from the environment if set, else from the running test servers.
[[ -n ${CLICKHOUSE_PORT:-} ]] || eval "$(scripts/test-servers.sh env)"

profile=()
[[ ${RELEASE:-0} == 1 ]] && profile=(--release)
BYTEHOUSE_LOAD_STATEMENTS=${1:-10000} cargo test "${profile[@]}" --test load \
    many_threads_and_connections_stay_correct_and_flat -- --exact --nocapture --test-threads=1 |
    grep -oE 'load on .*|test result.*'
