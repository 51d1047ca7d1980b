# Sourced by the Python benchmarks: `python_bench_env NAME REQUIREMENTS` makes (or refreshes) the
# virtual environment target/pyenv/NAME (or $VENV) with REQUIREMENTS and python/ installed, sets
# `venv` to it, starts the test servers and builds the release driver (BYTEHOUSE_ODBC_DRIVER).
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
    scripts/test-servers.sh start >/dev/null
    eval "$(scripts/test-servers.sh env)"
    cargo build --release --quiet
    export BYTEHOUSE_ODBC_DRIVER=$PWD/target/release/libbytehouse.so
}
