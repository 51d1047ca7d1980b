#!/usr/bin/env bash
# Tests of the Python package in python/ (the SQLAlchemy dialect), against both test servers:
#   1. ruff (lint and format) over python/;
#   2. the dialect's tests under each SQLAlchemy version, each in a virtual environment of its own;
#   3. the C API's Arrow streams read through pyarrow (python/tests/arrow);
#   4. the ADBC driver through adbc-driver-manager, pandas and polars (python/tests/adbc);
#   5. SQLAlchemy's dialect compliance suite (python/tests/compliance) on each server.
# The driver is the debug build, target/debug/libbytehouse.so (built here if missing).
#
# Usage: scripts/test-python.sh [pytest args for stage 2...]
#   PYTHON      the interpreter the environments are made from (default python3)
#   VENV_ROOT   where the environments live (default target/pyenv; kept between runs)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}
VENV_ROOT=${VENV_ROOT:-$ROOT/target/pyenv}

log() { echo "test-python: $*" >&2; }

# Each environment: the SQLAlchemy version it tests and what else it needs. pandas 2.2 and later
# need SQLAlchemy 2, so the 1.4 environment has the pandas before it.
declare -A REQUIREMENTS=(
    [sa-2.1.9]="sqlalchemy==2.1.9 pyodbc==5.5.0 pytest pandas pyarrow alembic ruff"
    [sa-1.4.54]="sqlalchemy==1.4.54 pyodbc==5.5.0 pytest pandas<2.2 alembic"
    [adbc]="adbc-driver-manager pyarrow pandas polars pytest"
)
ENVIRONMENTS=(sa-2.1.9 sa-1.4.54)

# Makes (or refreshes) an environment and installs python/ into it, editable. A stamp of the
# requirements and of pyproject.toml skips the work when nothing changed.
prepare() {
    local name=$1 venv=$VENV_ROOT/$1
    local stamp
    stamp="${REQUIREMENTS[$name]} $(sha256sum python/pyproject.toml | cut -c1-16)"
    if [[ -f $venv/.stamp && $(<"$venv/.stamp") == "$stamp" ]]; then
        return 0
    fi
    log "preparing $venv"
    [[ -x $venv/bin/python ]] || "$PYTHON" -m venv "$venv"
    export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
    # shellcheck disable=SC2086 # the requirements are words
    "$venv/bin/pip" install --quiet ${REQUIREMENTS[$name]}
    "$venv/bin/pip" install --quiet --no-deps -e python
    echo "$stamp" >"$venv/.stamp"
}

[[ -f target/debug/libbytehouse.so ]] || cargo build
scripts/test-servers.sh start >&2
eval "$(scripts/test-servers.sh env)"
export BYTEHOUSE_ODBC_DRIVER=$ROOT/target/debug/libbytehouse.so

for name in "${ENVIRONMENTS[@]}" adbc; do
    prepare "$name"
done

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

ruff=$VENV_ROOT/sa-2.1.9/bin/ruff
stage "ruff check" "$ruff" check python
stage "ruff format --check" "$ruff" format --check python

for name in "${ENVIRONMENTS[@]}"; do
    stage "dialect tests ($name)" bash -c 'cd python && "$0" -m pytest -q -p no:cacheprovider tests/sqlalchemy "$@"' \
        "$VENV_ROOT/$name/bin/python" "$@"
done

# The C API's Arrow streams read by pyarrow (libbytehouse.arrow).
stage "Arrow C stream tests" bash -c 'cd python && "$0" -m pytest -q -p no:cacheprovider tests/arrow' \
    "$VENV_ROOT/sa-2.1.9/bin/python"

# The ADBC driver loaded by adbc-driver-manager (libbytehouse.adbc), with pandas and polars.
stage "ADBC tests" bash -c 'cd python && "$0" -m pytest -q -p no:cacheprovider tests/adbc' \
    "$VENV_ROOT/adbc/bin/python"

# SQLAlchemy's compliance suite reads its setup.cfg from the folder it runs in; --dburi names the
# server. Each run ends with pytest's line of passed and skipped tests (-rs lists why each was skipped).
for name in "${ENVIRONMENTS[@]}"; do
    for server in "18.16:$CLICKHOUSE_PORT" "26.9:$CLICKHOUSE_MODERN_PORT"; do
        stage "compliance suite ($name, ClickHouse ${server%%:*})" bash -c \
            'cd python/tests/compliance && "$0" -m pytest -q -rfE --dburi "bytehouse://$CLICKHOUSE_HOST:$1/?database=default"' \
            "$VENV_ROOT/$name/bin/python" "${server#*:}"
    done
done

if ((${#failed[@]})); then
    printf 'test-python: FAILED: %s\n' "${failed[@]}" >&2
    exit 1
fi
