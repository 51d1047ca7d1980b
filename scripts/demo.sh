#!/usr/bin/env bash
# Set up a fresh Debian bookworm machine and show the native client at work:
# installs dependencies, builds, starts the local test servers and runs
# examples/query.rs against ClickHouse 18.16.
#
# Usage: scripts/demo.sh ["SQL"]
# The servers keep running afterwards; stop them with scripts/test-servers.sh stop.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

SQL=${1:-"SELECT version() AS version, timezone() AS tz, number, toString(number * 2) AS doubled, now() AS now FROM numbers(3)"}

section() { printf '\n======== %s ========\n' "$*"; }

section "Dependencies"
scripts/install-deps.sh

section "Build (release)"
cargo build --release --example query

section "Test servers"
scripts/test-servers.sh start
eval "$(scripts/test-servers.sh env)"

section "Query on ClickHouse 18.16 at $CLICKHOUSE_HOST:$CLICKHOUSE_PORT"
echo "SQL: $SQL"
cargo run --release --quiet --example query -- "$SQL"

section "Done"
echo "The test servers are still running: scripts/test-servers.sh status | stop"
