# Sourced by the ODBC benchmarks: starts the test servers (if they do not answer), builds the release
# driver and registers it for unixODBC in ini files under .test-servers/odbc-bench (exported
# ODBCSYSINI/ODBCINI). BENCH_PYTHON: the interpreter with pyodbc, arrow-odbc and clickhouse-driver
# (default python3; bench/run.sh passes its environment's).
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/python_env.sh
bench_servers
cargo build --release --quiet
dir=${BYTEHOUSE_TEST_DIR:-$PWD/.test-servers}/odbc-bench
mkdir -p "$dir"
printf '[ByteHouse]\nDriver = %s\n' "$PWD/target/release/libbytehouse.so" >"$dir/odbcinst.ini"
: >"$dir/odbc.ini"
export ODBCSYSINI=$dir ODBCINI=$dir/odbc.ini
python=${BENCH_PYTHON:-python3}
