#!/usr/bin/env bash
# Run everything that CI checks: dependencies, formatting, clippy, and all
# cargo test targets against the local ClickHouse test servers.
#
# Usage: scripts/test-all.sh [extra cargo test args...]
#   KEEP_TEST_SERVERS=1  leave the test servers running afterwards
#
# Every stage runs even if an earlier check (fmt, clippy) failed, so one run
# shows all problems; the exit status is non-zero if any stage failed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

section() { printf '\n======== %s ========\n' "$*"; }

failed=()
run_stage() {
    local name=$1
    shift
    section "$name"
    if "$@"; then
        echo "-- $name: ok"
    else
        echo "-- $name: FAILED (exit $?)"
        failed+=("$name")
    fi
}

stop_servers() {
    local rc=$?
    if [[ ${KEEP_TEST_SERVERS:-0} == 1 ]]; then
        section "Test servers left running (scripts/test-servers.sh stop)"
    else
        section "Stopping test servers"
        scripts/test-servers.sh stop || true
    fi
    exit "$rc"
}

export RUST_BACKTRACE=${RUST_BACKTRACE:-1}

section "Dependencies"
scripts/install-deps.sh

run_stage "cargo fmt --check" cargo fmt --all --check
run_stage "cargo clippy --all-targets -- -D warnings" cargo clippy --all-targets -- -D warnings

section "Starting test servers"
trap stop_servers EXIT
scripts/test-servers.sh start
eval "$(scripts/test-servers.sh env)"
scripts/test-servers.sh env

# The driver-manager tests load target/debug/libbytehouse.so, which `cargo test` alone may not relink.
run_stage "cargo build" cargo build
# build.rs regenerates include/bytehouse.h from the exports: the committed header must be that text.
run_stage "include/bytehouse.h matches the exports" git diff --exit-code -- include/bytehouse.h
run_stage "cargo test --all-targets" cargo test --all-targets --no-fail-fast "$@"

# The odbc-api suite again, with odbc-api calling the ANSI functions: a crate of its own, since
# features unify within one build. Run from its directory so that its .cargo/config.toml applies
# (it builds into target/, where the driver library is).
odbc_api_narrow() {
    (cd tests/odbc_api_narrow && cargo fmt --check && cargo test)
}
run_stage "odbc-api narrow suite (tests/odbc_api_narrow)" odbc_api_narrow

# Every fuzz target (fuzz/) for a short while from its seeds: a crash or an allocation far larger
# than the input fails the stage. Longer runs: scripts/fuzz.sh --seconds 600.
run_stage "fuzz targets, 12 s each (scripts/fuzz.sh)" scripts/fuzz.sh --seconds 12

# The SQLAlchemy dialect (python/): ruff, its tests under SQLAlchemy 2.x and 1.4, the compliance suite.
run_stage "Python package (scripts/test-python.sh)" scripts/test-python.sh

# The wheel and the Debian package (scripts/package.sh), each installed and queried through: the
# wheel in a fresh venv, the Debian package inside a mount namespace that keeps the host unchanged.
run_stage "Packages (scripts/test-packages.sh)" scripts/test-packages.sh

section "Summary"
if ((${#failed[@]})); then
    printf 'FAILED: %s\n' "${failed[@]}"
    exit 1
fi
echo "all stages passed"
