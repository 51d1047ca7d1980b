#!/usr/bin/env bash
# Builds the packages of libbytehouse into target/dist/, from one release build of the library:
#   libbytehouse-VERSION-py3-none-manylinux_*.whl   the Python package with the driver inside it
#                                                   (python/setup.py), repaired by auditwheel
#   libbytehouse_VERSION-1_ARCH.deb                 the driver, its header and its odbcinst
#                                                   registration (cargo-deb, Cargo.toml)
# Both take their version from Cargo.toml. Needs cargo-deb, auditwheel and patchelf
# (scripts/install-deps.sh).
#
# The wheel bundles OpenSSL (auditwheel copies libssl and libcrypto under renamed sonames beside the
# driver) and nothing of unixODBC: the driver opens libodbcinst.so.2 by name at run time, and so
# gets the copy of the driver manager that loaded it.
#
# Usage: scripts/package.sh
#   PYTHON  the interpreter that builds the wheel (default python3)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
DIST=target/dist
BUILD=target/package-build

log() { echo "package: $*" >&2; }

rm -rf "$DIST" "$BUILD" python/build
mkdir -p "$DIST" "$BUILD"

log "release build"
cargo build --release --lib

# The wheel carries the library without its debug information; the symbols stay for backtraces.
objcopy --strip-debug target/release/libbytehouse.so "$BUILD/libbytehouse.so"

log "wheel"
BYTEHOUSE_LIBRARY=$PWD/$BUILD/libbytehouse.so PIP_DISABLE_PIP_VERSION_CHECK=1 \
    "$PYTHON" -m pip wheel --quiet --no-deps --wheel-dir "$BUILD" ./python
rm -rf python/build
auditwheel show "$BUILD"/libbytehouse-*.whl
auditwheel repair --wheel-dir "$DIST" "$BUILD"/libbytehouse-*.whl

log "Debian package"
cargo deb --no-build --multiarch=same --strip --output "$DIST"

log "built:"
ls -l "$DIST" >&2
