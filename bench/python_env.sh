# Sourced by the Python benchmarks: `python_bench_env NAME REQUIREMENTS` makes (or refreshes) the
# virtual environment target/pyenv/NAME (or $VENV) with REQUIREMENTS and python/ installed, sets
# `venv` to it, starts the test servers and builds the release driver (BYTEHOUSE_ODBC_DRIVER).
# `bench_servers` alone: the servers' environment (CLICKHOUSE_PORT, ...), started if they do not answer.
#   PYTHON  the interpreter the environment is made from (default python3)
python_bench_env() {
    local name=$1 requirements=$2
    venv=${VENV:-$PWD/target/pyenv/$name}
    local stamp
    stamp="$requirements $(sha256sum python/pyproject.toml | cut -c1-16)"
    if [[ ! -f $venv/.stamp || $(<"$venv/.stamp") != "$stamp" ]]; then
        echo "$name: preparing $venv" >&2
        [[ -x $venv/bin/python ]] || "${PYTHON:-python3}" -m venv "$venv"
        export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
        # shellcheck disable=SC2086 # the requirements are words
        "$venv/bin/pip" install --quiet $requirements
        "$venv/bin/pip" install --quiet --no-deps -e python
        echo "$stamp" >"$venv/.stamp"
    fi
    bench_servers
    cargo build --release --quiet
    export BYTEHOUSE_ODBC_DRIVER=$PWD/target/release/libbytehouse.so
}

# The test servers' environment; they are started only when one does not answer, so that servers
# already running (another checkout's, shared with others) are used as they are, never restarted.
bench_servers() {
    eval "$(scripts/test-servers.sh env 2>/dev/null)"
    local port
    for port in "$CLICKHOUSE_PORT" "$CLICKHOUSE_MODERN_PORT"; do
        if ! clickhouse-client --host "$CLICKHOUSE_HOST" --port "$port" -q 'SELECT 1' >/dev/null 2>&1; then
            scripts/test-servers.sh start >/dev/null
            eval "$(scripts/test-servers.sh env)"
            return
        fi
    done
}
