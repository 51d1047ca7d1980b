#!/usr/bin/env bash
# Tests of the packages in target/dist/ (scripts/package.sh), against both test servers:
#   1. the wheel, installed into a fresh virtual environment with no driver registered (HOME and
#      ODBCSYSINI are empty temporary folders) and none named in the environment: bytehouse-odbc,
#      and queries through pyodbc, SQLAlchemy and, once libbytehouse.adbc is in the tree, ADBC
#      (python/tests/packaging);
#   2. the Debian package, installed, used through isql and a DSN, and purged inside a mount
#      namespace whose /etc, /usr and /var are overlays of the host's, so that the host is left as
#      it was (packaging/test-deb.sh).
# The servers must be running, and their variables set: eval "$(scripts/test-servers.sh env)".
#
# Usage: scripts/test-packages.sh [--no-build]   (--no-build: test the packages already built)
#   PYTHON  the interpreter of the virtual environment (default python3)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}

log() { echo "test-packages: $*" >&2; }

: "${CLICKHOUSE_HOST:?run under scripts/test-all.sh or after: eval \"\$(scripts/test-servers.sh env)\"}"
[[ ${1:-} == --no-build ]] || scripts/package.sh

wheels=(target/dist/libbytehouse-*.whl)
debs=(target/dist/libbytehouse_*.deb)
[[ -f ${wheels[0]} && -f ${debs[0]} ]] || {
    log "target/dist/ lacks the wheel or the Debian package: run scripts/package.sh"
    exit 1
}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/home" "$scratch/odbcsysini"

failed=()
stage() {
    local name=$1
    shift
    printf '\n-------- %s --------\n' "$name"
    if "$@"; then
        echo "-- $name: ok"
    else
        echo "-- $name: FAILED"
        failed+=("$name")
    fi
}

wheel_tests() {
    local venv=$scratch/venv package=$ROOT/${wheels[0]}
    "$PYTHON" -m venv "$venv"
    # The ADBC test needs the driver manager, which the wheel's `adbc` extra brings.
    [[ -f python/src/libbytehouse/adbc.py ]] && package="$package[adbc]"
    PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/pip" install --quiet "$package" pytest
    # From a folder outside the repository, so that nothing imports python/src instead of the wheel.
    (
        cd "$scratch"
        env -u BYTEHOUSE_ODBC_DRIVER HOME="$scratch/home" ODBCSYSINI="$scratch/odbcsysini" \
            CRATE_VERSION="$(cargo pkgid --manifest-path "$ROOT/Cargo.toml" | sed 's/.*[#@]//')" \
            PATH="$venv/bin:$PATH" "$venv/bin/python" -m pytest -q -p no:cacheprovider \
            --rootdir "$scratch" "$ROOT/python/tests/packaging"
    )
}

stage "wheel: auditwheel show" auditwheel show "${wheels[0]}"
stage "wheel: installed in a fresh venv, bytehouse-odbc, pyodbc, SQLAlchemy, ADBC" wheel_tests
# What the Debian package would change on the host, were it installed there.
host_state() {
    dpkg-query -W libbytehouse 2>&1 || true
    cat /etc/odbcinst.ini /etc/odbc.ini 2>&1 || true
    ls /usr/lib/*/odbc/ /usr/include/bytehouse.h 2>&1 || true
}
before=$(host_state)
stage "Debian package: install, isql through a DSN, purge (in a mount namespace)" packaging/test-deb.sh "${debs[0]}"
stage "the host is as it was before the Debian package's test" test "$(host_state)" == "$before"

if ((${#failed[@]})); then
    printf 'test-packages: FAILED: %s\n' "${failed[@]}" >&2
    exit 1
fi
