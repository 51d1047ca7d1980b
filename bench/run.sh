#!/usr/bin/env bash
# Every benchmark of the project in one command, on both local servers (18.16 and 26.9), into
# bench/results/<date>/: results.md (a table of every workload with each side's time and peak RSS,
# the ratios of ours against the peers measured in the same run, the targets) and PNG plots of the
# ratios (bench/run.py over bench/sides.py); then the driver's own share of our ODBC workloads
# (bench/odbc_share.sh, with perf), the native client against clickhouse-client
# (bench/native_read.sh), and the C API's Arrow streams and the ADBC driver against
# clickhouse-client and clickhouse-driver (bench/arrow.sh, bench/adbc.sh), each appended to
# results.md as it prints.
#
# Usage: bench/run.sh [--quick] [--runs N] [--server both|old|modern]
#   --quick   a hundredth of the rows, one run, no perf share and no native benchmark: a smoke run
#   --runs N  best of N for each side (default 3)
# Needs: cargo, python3 (with venv), clickhouse-client, unixODBC (libodbc); perf for the share.
# The Python peers are installed into target/pyenv/bench-run by bench/python_env.sh; the servers
# are the test servers (scripts/test-servers.sh), started only if they do not answer.
#   RESULTS  the output folder (default bench/results/<UTC date>)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

quick=0
runs=()
previous=
for argument in "$@"; do
    [[ $argument == --quick ]] && quick=1
    [[ $previous == --runs ]] && runs=(--runs "$argument")
    previous=$argument
done

source bench/python_env.sh
python_bench_env bench-run "pyarrow==26.0.1 clickhouse-driver==0.2.11 pyodbc==5.5.0 sqlalchemy==2.0.58 \
clickhouse-sqlalchemy==0.3.2 clickhouse-connect==1.12.0 bytehouse-driver==1.0.5 arrow-odbc==10.6.2 matplotlib==3.11.2"

out=${RESULTS:-bench/results/$(date -u +%F)}
mkdir -p "$out"
"$venv/bin/python" bench/run.py --out "$out" "$@"
((quick)) && exit 0

{
    echo
    echo "## The driver's own share (bench/odbc_share.sh)"
    echo
    echo "Each of our ODBC workloads once under perf, its CPU split into the driver (libbytehouse.so),"
    echo "the driver manager (unixODBC) and the rest (Python, pyodbc or arrow-odbc, the kernel)."
    echo
    echo '```'
    if command -v perf >/dev/null && perf record -q -o /dev/null true 2>/dev/null; then
        BENCH_PYTHON=$venv/bin/python bench/odbc_share.sh
    else
        echo "(perf unavailable: no share measured)"
    fi
    echo '```'
    echo
    echo "## Native client against clickhouse-client, 18.16 (bench/native_read.sh)"
    echo
    echo '```'
    bench/native_read.sh
    echo '```'
    echo
    echo "## The C API's Arrow streams, 18.16 (bench/arrow.sh 10000000)"
    echo
    echo '```'
    bench/arrow.sh 10000000 "${runs[@]}"
    echo '```'
    echo
    echo "## The ADBC driver, 18.16 (bench/adbc.sh 10000000)"
    echo
    echo '```'
    bench/adbc.sh 10000000 "${runs[@]}"
    echo '```'
} | tee -a "$out/results.md"
echo "wrote $out"
