# Sourced by the ODBC benchmarks: starts the test servers, builds the release driver and registers
# it for unixODBC in ini files under .test-servers/odbc-bench (exported ODBCSYSINI/ODBCINI).
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/test-servers.sh start >/dev/null
eval "$(scripts/test-servers.sh env)"
cargo build --release --quiet
dir=${BYTEHOUSE_TEST_DIR:-$PWD/.test-servers}/odbc-bench
mkdir -p "$dir"
printf '[ByteHouse]\nDriver = %s\n' "$PWD/target/release/libbytehouse.so" >"$dir/odbcinst.ini"
: >"$dir/odbc.ini"
export ODBCSYSINI=$dir ODBCINI=$dir/odbc.ini
