#!/usr/bin/env bash
# Local ClickHouse servers for libbytehouse's tests, on 127.0.0.1 only:
#
#   * ClickHouse 18.16.1 (Debian's clickhouse-server), native TCP, native TCP
#     over TLS (self-signed test CA) and HTTP;
#   * ClickHouse 26.9.2.1 (clickhouse-local from the pip package chdb-core
#     26.9.0, see shared/reference/modern-server.md), native TCP.
#
# Usage: scripts/test-servers.sh start|start-old|stop|status|env
#   start   install what is missing, start both servers, wait until each
#           answers a query. Does nothing for a server that already answers.
#   start-old  start only the 18.16 server.
#   stop    stop both servers (idempotent).
#   status  show what runs; exit 0 only if both servers answer.
#   env     print `export NAME=value` lines for the tests:
#               eval "$(scripts/test-servers.sh env)"
#
# State (configs, pids, data, logs, certificates) lives in $BYTEHOUSE_TEST_DIR,
# default <repo>/.test-servers. Each (re)start of a server wipes its data, except
# `start-old` with BYTEHOUSE_KEEP_DATA=1.
# Ports can be chosen at `start` with the same variables `env` prints:
#   CLICKHOUSE_PORT (19000), CLICKHOUSE_TLS_PORT (19440),
#   CLICKHOUSE_HTTP_PORT (18123), CLICKHOUSE_MODERN_PORT (19100).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
STATE=${BYTEHOUSE_TEST_DIR:-$REPO_ROOT/.test-servers}
PYTHON=${PYTHON:-python3}
HOST=127.0.0.1
START_TIMEOUT=${START_TIMEOUT:-30}

OLD_DIR=$STATE/clickhouse-18
MODERN_DIR=$STATE/clickhouse-modern
CERT_DIR=$STATE/certs
PORTS_FILE=$STATE/ports.env

log() { echo "test-servers: $*" >&2; }
die() {
    log "error: $*"
    exit 1
}

# ---------------------------------------------------------------- helpers

# Ports: those recorded by the last `start` if any, else the environment, else defaults.
load_ports() {
    if [[ -f $PORTS_FILE ]]; then
        # shellcheck disable=SC1090
        source "$PORTS_FILE"
    fi
    BH_OLD_PORT=${BH_OLD_PORT:-${CLICKHOUSE_PORT:-19000}}
    BH_TLS_PORT=${BH_TLS_PORT:-${CLICKHOUSE_TLS_PORT:-19440}}
    BH_HTTP_PORT=${BH_HTTP_PORT:-${CLICKHOUSE_HTTP_PORT:-18123}}
    BH_MODERN_PORT=${BH_MODERN_PORT:-${CLICKHOUSE_MODERN_PORT:-19100}}
}

requested_ports() {
    BH_OLD_PORT=${CLICKHOUSE_PORT:-19000}
    BH_TLS_PORT=${CLICKHOUSE_TLS_PORT:-19440}
    BH_HTTP_PORT=${CLICKHOUSE_HTTP_PORT:-18123}
    BH_MODERN_PORT=${CLICKHOUSE_MODERN_PORT:-19100}
}

save_ports() {
    cat >"$PORTS_FILE" <<EOF
BH_OLD_PORT=$BH_OLD_PORT
BH_TLS_PORT=$BH_TLS_PORT
BH_HTTP_PORT=$BH_HTTP_PORT
BH_MODERN_PORT=$BH_MODERN_PORT
EOF
}

# Is something accepting TCP connections on 127.0.0.1:$1 ?
port_open() {
    timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null
}

# pid from $1 if that process is alive and its command line contains $2
# (guards against a recycled pid).
live_pid() {
    local pidfile=$1 pattern=$2 pid
    [[ -f $pidfile ]] || return 1
    pid=$(<"$pidfile")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$pattern" || return 1
    echo "$pid"
}

old_pid() { live_pid "$OLD_DIR/server.pid" "$OLD_DIR/config.xml"; }
modern_pid() { live_pid "$MODERN_DIR/server.pid" "$MODERN_DIR/serve.py"; }

# Run a query with clickhouse-client 18.16 (it talks to both servers).
ch_query() {
    local port=$1
    shift
    timeout 10 clickhouse-client --host "$HOST" --port "$port" "$@"
}

answers() { ch_query "$1" -q 'SELECT 1' >/dev/null 2>&1; }

tls_answers() {
    timeout 10 clickhouse-client --config-file="$CERT_DIR/client-tls.xml" --secure \
        --host localhost --port "$BH_TLS_PORT" -q 'SELECT 1' >/dev/null 2>&1
}

# Stop the process group led by pid $1: SIGTERM, wait up to $2 s, then SIGKILL.
kill_group() {
    local pid=$1 grace=$2 i
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    log "pid $pid did not stop after ${grace}s: SIGKILL"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    return 1
}

# Start "$@" in a new session (so the whole group can be stopped), detached
# from our stdin/stdout and from the lock fd 9, and record its pid in $1.
# `exec` keeps the pid that bash wrote, whether or not setsid had to fork.
spawn() {
    local pidfile=$1 logfile=$2
    shift 2
    rm -f "$pidfile"
    # shellcheck disable=SC2016 # expanded by the inner bash
    # TZ=UTC: clickhouse-local (the 26.9 server) ignores <timezone> and uses TZ.
    TZ=UTC setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" \
        </dev/null >"$logfile" 2>&1 9>&- &
    local i
    for ((i = 0; i < 50; i++)); do
        [[ -s $pidfile ]] && return 0
        sleep 0.05
    done
    die "could not start $*"
}

# ---------------------------------------------------------------- certificates

gen_certs() {
    mkdir -p "$CERT_DIR"
    if [[ -s $CERT_DIR/ca.pem && -s $CERT_DIR/server.crt && -s $CERT_DIR/server.key ]] &&
        openssl x509 -checkend 86400 -noout -in "$CERT_DIR/server.crt" >/dev/null 2>&1 &&
        openssl verify -CAfile "$CERT_DIR/ca.pem" "$CERT_DIR/server.crt" >/dev/null 2>&1; then
        return 0
    fi
    log "generating test CA and server certificate in $CERT_DIR"
    (
        cd "$CERT_DIR"
        rm -f ca.* server.*
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
            -keyout ca.key -out ca.pem -days 3650 -subj "/CN=libbytehouse test CA" \
            -addext "basicConstraints=critical,CA:TRUE" \
            -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
            -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
        cat >server.ext <<'EOF'
subjectAltName=DNS:localhost,IP:127.0.0.1
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
EOF
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
            -out server.crt -days 3650 -extfile server.ext 2>/dev/null
        rm -f server.csr ca.srl
        chmod 600 ca.key server.key
        openssl verify -CAfile ca.pem server.crt >/dev/null
    ) || die "certificate generation failed"
    # clickhouse-client 18.16 config that trusts only the test CA.
    cat >"$CERT_DIR/client-tls.xml" <<EOF
<config>
    <openSSL>
        <client>
            <loadDefaultCAFile>false</loadDefaultCAFile>
            <caConfig>$CERT_DIR/ca.pem</caConfig>
            <verificationMode>strict</verificationMode>
            <cacheSessions>true</cacheSessions>
            <disableProtocols>sslv2,sslv3</disableProtocols>
            <invalidCertificateHandler><name>RejectCertificateHandler</name></invalidCertificateHandler>
        </client>
    </openSSL>
</config>
EOF
}

# ---------------------------------------------------------------- users

# One user of users.xml, allowed from 127.0.0.1: name, password, and any extra elements.
user_xml() {
    cat <<EOF
        <$1>
            <password>$2</password>
            <networks><ip>127.0.0.1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>${3:+
            $3}
        </$1>
EOF
}

# ---------------------------------------------------------------- ClickHouse 18.16

write_old_config() {
    mkdir -p "$OLD_DIR"
    # Users: `default` without a password (as Debian's users.xml has it) and
    # `bytehouse`, the login of a ByteHouse API key, with the key as password.
    # (A user named `account::user`, as ByteHouse logs accounts in, cannot be
    # written in XML: the dialect's tests put a scripted gateway in front.)
    cat >"$OLD_DIR/users.xml" <<EOF
<?xml version="1.0"?>
<yandex>
    <profiles><default></default></profiles>
    <quotas><default></default></quotas>
    <users>
$(user_xml default "")
$(user_xml bytehouse test-api-key)
    </users>
</yandex>
EOF
    cat >"$OLD_DIR/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
    <logger>
        <level>information</level>
        <log>$OLD_DIR/server.log</log>
        <errorlog>$OLD_DIR/server.err.log</errorlog>
        <size>50M</size>
        <count>1</count>
    </logger>
    <listen_host>$HOST</listen_host>
    <tcp_port>$BH_OLD_PORT</tcp_port>
    <tcp_port_secure>$BH_TLS_PORT</tcp_port_secure>
    <http_port>$BH_HTTP_PORT</http_port>
    <openSSL>
        <server>
            <certificateFile>$CERT_DIR/server.crt</certificateFile>
            <privateKeyFile>$CERT_DIR/server.key</privateKeyFile>
            <!-- No dhParamsFile: Poco then uses its built-in DH parameters, and
                 the (EC) certificate uses ECDHE anyway. -->
            <verificationMode>none</verificationMode>
            <loadDefaultCAFile>false</loadDefaultCAFile>
            <cacheSessions>true</cacheSessions>
            <disableProtocols>sslv2,sslv3</disableProtocols>
            <preferServerCiphers>true</preferServerCiphers>
        </server>
    </openSSL>
    <path>$OLD_DIR/data/</path>
    <tmp_path>$OLD_DIR/data/tmp/</tmp_path>
    <user_files_path>$OLD_DIR/data/user_files/</user_files_path>
    <format_schema_path>$OLD_DIR/data/format_schemas/</format_schema_path>
    <users_config>$OLD_DIR/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <max_connections>1024</max_connections>
    <keep_alive_timeout>3</keep_alive_timeout>
    <max_concurrent_queries>100</max_concurrent_queries>
    <uncompressed_cache_size>268435456</uncompressed_cache_size>
    <mark_cache_size>268435456</mark_cache_size>
    <max_session_timeout>3600</max_session_timeout>
    <default_session_timeout>60</default_session_timeout>
</yandex>
EOF
}

start_old() {
    local pid
    if pid=$(old_pid); then
        if answers "$BH_OLD_PORT" && tls_answers; then
            log "ClickHouse 18.16 already running (pid $pid)"
            return 0
        fi
        log "ClickHouse 18.16 (pid $pid) does not answer: restarting it"
        kill_group "$pid" 15 || true
    fi
    local p
    for p in "$BH_OLD_PORT" "$BH_TLS_PORT" "$BH_HTTP_PORT"; do
        port_open "$p" && die "port $HOST:$p is already in use by another process"
    done
    write_old_config
    # BYTEHOUSE_KEEP_DATA=1: a private server restarted after a kill keeps its tables.
    [[ ${BYTEHOUSE_KEEP_DATA:-0} == 1 ]] || rm -rf "$OLD_DIR/data"
    rm -rf "$OLD_DIR"/server*.log "$OLD_DIR/stdout.log"
    mkdir -p "$OLD_DIR/data"
    # 18.16 runs fine as root (the "process user must own the data" check came
    # in later releases), so no user switch is needed; all files are ours.
    spawn "$OLD_DIR/server.pid" "$OLD_DIR/stdout.log" \
        /usr/sbin/clickhouse-server --config-file="$OLD_DIR/config.xml"
    pid=$(<"$OLD_DIR/server.pid")
    log "ClickHouse 18.16 starting (pid $pid)"
}

wait_old() {
    local pid deadline=$((SECONDS + START_TIMEOUT))
    pid=$(<"$OLD_DIR/server.pid")
    until answers "$BH_OLD_PORT" && tls_answers; do
        if ! kill -0 "$pid" 2>/dev/null; then
            show_old_logs
            die "ClickHouse 18.16 exited during startup"
        fi
        if ((SECONDS >= deadline)); then
            show_old_logs
            kill_group "$pid" 5 || true
            die "ClickHouse 18.16 did not answer within ${START_TIMEOUT}s"
        fi
        sleep 0.3
    done
    log "ClickHouse 18.16 up: $(ch_query "$BH_OLD_PORT" -q 'SELECT version()') on tcp $BH_OLD_PORT, tls $BH_TLS_PORT, http $BH_HTTP_PORT"
}

show_old_logs() {
    local f
    for f in "$OLD_DIR/stdout.log" "$OLD_DIR/server.err.log" "$OLD_DIR/server.log"; do
        [[ -f $f ]] || continue
        echo "----- $f (last 40 lines)" >&2
        tail -n 40 "$f" >&2
    done
}

stop_old() {
    local pid
    if pid=$(old_pid); then
        log "stopping ClickHouse 18.16 (pid $pid)"
        kill_group "$pid" 20 || log "ClickHouse 18.16 (pid $pid) would not die"
    fi
    rm -f "$OLD_DIR/server.pid"
}

# ---------------------------------------------------------------- ClickHouse 26.9

write_modern_config() {
    mkdir -p "$MODERN_DIR"
    cat >"$MODERN_DIR/config.xml" <<EOF
<clickhouse>
    <listen_host>$HOST</listen_host>
    <tcp_port>$BH_MODERN_PORT</tcp_port>
    <path>$MODERN_DIR/data/</path>
    <users_config>users.xml</users_config>
    <timezone>UTC</timezone> <!-- ignored by clickhouse-local; spawn sets TZ=UTC -->
</clickhouse>
EOF
    cat >"$MODERN_DIR/users.xml" <<EOF
<clickhouse>
    <profiles><default></default></profiles>
    <quotas><default></default></quotas>
    <users>
$(user_xml default "" "<access_management>1</access_management>")
$(user_xml tester secret)
$(user_xml bytehouse test-api-key)
    </users>
</clickhouse>
EOF
    # chdb._chdb.query runs a one-shot clickhouse-local (DB::LocalServer), which
    # can open listeners; they live while the query runs, so the query blocks
    # reading the FIFO. `stop` writes a line to it. clickhouse-local reads
    # ./config.xml, hence the chdir.
    cat >"$MODERN_DIR/serve.py" <<'EOF'
import os, sys
import chdb._chdb as m
here = os.path.dirname(os.path.abspath(__file__))
os.chdir(here)
q = ("SYSTEM START LISTEN TCP; "
     f"SELECT count() FROM file('{here}/stop.fifo', 'LineAsString', 'line String') "
     "SETTINGS storage_file_read_method='read'")
r = m.query(q, "CSV")
err = r.error_message()
print("stopped", r.bytes(), err, flush=True)
sys.exit(1 if err else 0)
EOF
    rm -f "$MODERN_DIR/stop.fifo"
    mkfifo "$MODERN_DIR/stop.fifo"
}

start_modern() {
    local pid
    if pid=$(modern_pid); then
        if answers "$BH_MODERN_PORT"; then
            log "ClickHouse 26.9 already running (pid $pid)"
            return 0
        fi
        log "ClickHouse 26.9 (pid $pid) does not answer: restarting it"
        stop_modern
    fi
    port_open "$BH_MODERN_PORT" && die "port $HOST:$BH_MODERN_PORT is already in use by another process"
    write_modern_config
    rm -rf "$MODERN_DIR/data" "$MODERN_DIR/serve.log"
    mkdir -p "$MODERN_DIR/data"
    spawn "$MODERN_DIR/server.pid" "$MODERN_DIR/serve.log" \
        "$(command -v "$PYTHON")" "$MODERN_DIR/serve.py"
    pid=$(<"$MODERN_DIR/server.pid")
    log "ClickHouse 26.9 starting (pid $pid)"
}

wait_modern() {
    local pid deadline=$((SECONDS + START_TIMEOUT))
    pid=$(<"$MODERN_DIR/server.pid")
    until answers "$BH_MODERN_PORT"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "----- $MODERN_DIR/serve.log" >&2
            cat "$MODERN_DIR/serve.log" >&2 || true
            die "ClickHouse 26.9 exited during startup"
        fi
        if ((SECONDS >= deadline)); then
            echo "----- $MODERN_DIR/serve.log" >&2
            cat "$MODERN_DIR/serve.log" >&2 || true
            kill_group "$pid" 5 || true
            die "ClickHouse 26.9 did not answer within ${START_TIMEOUT}s"
        fi
        sleep 0.3
    done
    log "ClickHouse 26.9 up: $(ch_query "$BH_MODERN_PORT" -q 'SELECT version()') on tcp $BH_MODERN_PORT"
}

stop_modern() {
    local pid
    if pid=$(modern_pid); then
        log "stopping ClickHouse 26.9 (pid $pid)"
        # A write to the FIFO ends the blocking query; the listener closes at
        # once and the process exits after draining connections (about 5 s).
        # Opening a FIFO blocks while nobody reads it, hence the timeout.
        if [[ -p $MODERN_DIR/stop.fifo ]]; then
            # shellcheck disable=SC2016 # expanded by the inner bash
            timeout 3 bash -c 'echo stop >"$0"' "$MODERN_DIR/stop.fifo" 2>/dev/null || true
        fi
        local i
        for ((i = 0; i < 80; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill_group "$pid" 5 || log "ClickHouse 26.9 (pid $pid) would not die"
        fi
    fi
    rm -f "$MODERN_DIR/server.pid"
}

# ---------------------------------------------------------------- commands

ensure_deps() {
    local need=0 p
    for p in clickhouse-server clickhouse-client openssl; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need=1
    done
    for p in setsid timeout flock; do
        command -v "$p" >/dev/null || die "$p (util-linux / coreutils) is required"
    done
    "$PYTHON" -c 'import sys; from importlib.metadata import version; sys.exit(version("chdb-core") != "26.9.0")' \
        2>/dev/null || need=1
    if ((need)); then
        "$SCRIPT_DIR/install-deps.sh" --servers
    fi
}

cmd_start() {
    ensure_deps
    mkdir -p "$STATE"
    exec 9>"$STATE/.lock"
    flock -w 120 9 || die "another test-servers.sh holds $STATE/.lock"

    local running=0
    old_pid >/dev/null && running=1
    modern_pid >/dev/null && running=1
    if ((running)); then
        load_ports # keep the ports of the servers that run
        local want_old=${CLICKHOUSE_PORT:-$BH_OLD_PORT} want_modern=${CLICKHOUSE_MODERN_PORT:-$BH_MODERN_PORT}
        if [[ $want_old != "$BH_OLD_PORT" || $want_modern != "$BH_MODERN_PORT" ]]; then
            log "warning: servers already run on the ports in $PORTS_FILE; stop them to change ports"
        fi
    else
        requested_ports
    fi
    save_ports

    gen_certs
    start_old
    start_modern
    wait_old
    wait_modern
}

# Only the 18.16 server, e.g. a private one that a test kills: with its own
# BYTEHOUSE_TEST_DIR and ports.
cmd_start_old() {
    ensure_deps
    mkdir -p "$STATE"
    exec 9>"$STATE/.lock"
    flock -w 120 9 || die "another test-servers.sh holds $STATE/.lock"
    requested_ports
    save_ports
    gen_certs
    start_old
    wait_old
}

cmd_stop() {
    load_ports
    if [[ -d $STATE ]]; then
        exec 9>"$STATE/.lock"
        flock -w 120 9 || die "another test-servers.sh holds $STATE/.lock"
    fi
    stop_modern
    stop_old
    local p
    for p in "$BH_OLD_PORT" "$BH_TLS_PORT" "$BH_HTTP_PORT" "$BH_MODERN_PORT"; do
        port_open "$p" && log "warning: port $HOST:$p still in use"
    done
    return 0
}

cmd_status() {
    load_ports
    local ok=0 pid v
    if pid=$(old_pid); then
        if v=$(ch_query "$BH_OLD_PORT" -q 'SELECT version()' 2>/dev/null); then
            local tls=no
            tls_answers && tls=yes
            echo "clickhouse-18.16: running, pid $pid, version $v, tcp $HOST:$BH_OLD_PORT, tls $HOST:$BH_TLS_PORT (answers: $tls), http $HOST:$BH_HTTP_PORT"
            [[ $tls == yes ]] && ok=$((ok + 1))
        else
            echo "clickhouse-18.16: process $pid alive but tcp $HOST:$BH_OLD_PORT does not answer"
        fi
    else
        echo "clickhouse-18.16: stopped (tcp $BH_OLD_PORT $(port_open "$BH_OLD_PORT" && echo in use || echo free))"
    fi
    if pid=$(modern_pid); then
        if v=$(ch_query "$BH_MODERN_PORT" -q 'SELECT version()' 2>/dev/null); then
            echo "clickhouse-26.9:  running, pid $pid, version $v, tcp $HOST:$BH_MODERN_PORT"
            ok=$((ok + 1))
        else
            echo "clickhouse-26.9:  process $pid alive but tcp $HOST:$BH_MODERN_PORT does not answer"
        fi
    else
        echo "clickhouse-26.9:  stopped (tcp $BH_MODERN_PORT $(port_open "$BH_MODERN_PORT" && echo in use || echo free))"
    fi
    echo "state: $STATE"
    ((ok == 2)) || return 3
}

cmd_env() {
    load_ports
    local pid=""
    pid=$(old_pid) || log "warning: ClickHouse 18.16 is not running (scripts/test-servers.sh start)"
    modern_pid >/dev/null || log "warning: ClickHouse 26.9 is not running (scripts/test-servers.sh start)"
    cat <<EOF
export CLICKHOUSE_HOST=$HOST
export CLICKHOUSE_PORT=$BH_OLD_PORT
export CLICKHOUSE_TLS_PORT=$BH_TLS_PORT
export CLICKHOUSE_HTTP_PORT=$BH_HTTP_PORT
export CLICKHOUSE_TLS_CA=$(printf %q "$CERT_DIR/ca.pem")
export CLICKHOUSE_MODERN_PORT=$BH_MODERN_PORT
export CLICKHOUSE_SERVER_PID=$pid
EOF
}

case ${1:-} in
start) cmd_start ;;
start-old) cmd_start_old ;;
stop) cmd_stop ;;
status) cmd_status ;;
env) cmd_env ;;
*)
    echo "usage: $0 start|start-old|stop|status|env" >&2
    exit 2
    ;;
esac
