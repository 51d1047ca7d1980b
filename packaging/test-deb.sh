#!/usr/bin/env bash
# The Debian package's install test (a stage of scripts/test-packages.sh). It runs in a mount
# namespace of its own, which it makes: /etc, /usr and /var become overlays of the host's over
# temporary folders, so that what dpkg, the maintainer scripts and odbcinst write lands there and goes
# when the namespace ends.
#
# Installs the package (twice: the second is an upgrade), checks its files and its one odbcinst entry,
# builds a C program against it, queries both test servers with isql through DSNs in /etc/odbc.ini,
# purges it, and checks that the files and the entry are gone.
#
# Usage (root, CLICKHOUSE_* set): packaging/test-deb.sh PACKAGE.deb
set -euo pipefail

: "${CLICKHOUSE_HOST:?the variables of the test servers are not set (scripts/test-servers.sh env)}"
deb=$(realpath "$1")
fail() {
    echo "test-deb: $*" >&2
    exit 1
}

# Into a namespace of its own, the one check that counts: this process's mount namespace is not its
# parent's (unshare execs this script, so the parent stays the caller). Installing outside it would
# change the host.
own=$(readlink /proc/self/ns/mnt)
parent=$(readlink "/proc/$PPID/ns/mnt")
[[ -n $own && -n $parent ]] || fail "cannot read the mount namespaces"
if [[ $own == "$parent" ]]; then
    [[ ${TEST_DEB_UNSHARED:-} != 1 ]] || fail "unshare left this script in its caller's mount namespace"
    TEST_DEB_UNSHARED=1 exec unshare --mount --propagation private "$0" "$@"
fi

layers=$(mktemp -d)
trap 'umount -l /var /usr /etc 2>/dev/null; rm -rf "$layers"' EXIT
for dir in /etc /usr /var; do
    mkdir -p "$layers/upper$dir" "$layers/work$dir"
    mount -t overlay overlay -o "lowerdir=$dir,upperdir=$layers/upper$dir,workdir=$layers/work$dir" "$dir"
done
# No user's odbc.ini or odbcinst.ini: only the system files count here.
export HOME=$layers/home
mkdir "$HOME"
export DEBIAN_FRONTEND=noninteractive

echo "install, then the same version again (an upgrade)"
dpkg -i "$deb" >/dev/null
dpkg -i "$deb" >/dev/null

library=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/odbc/libbytehouse.so
[[ -f $library ]] || fail "$library is missing"
[[ -f /usr/include/bytehouse.h ]] || fail "/usr/include/bytehouse.h is missing"
registered=$(odbcinst -q -d -n ByteHouse)
grep -qx "Driver=$library" <<<"$registered" || fail "odbcinst has [ByteHouse] as: $registered"
grep -qx "UsageCount=1" <<<"$registered" || fail "an upgrade changed the usage count: $registered"

# The C API: a program built against the package finds the header in /usr/include and the library
# through its link in the multiarch folder, with no -I, -L or rpath.
program=$layers/version
printf '#include <stdio.h>\n#include <bytehouse.h>\nint main(void) { puts(bh_version()); return 0; }\n' |
    gcc -x c -o "$program" - -lbytehouse
version=$(dpkg-query -W -f '${Version}' libbytehouse)
[[ $("$program") == "${version%-*}" ]] || fail "bh_version() is $("$program"), the package ${version}"
echo "a C program built with -lbytehouse runs: bh_version() = $("$program")"

cat >/etc/odbc.ini <<EOF
[bytehouse-18]
Driver = ByteHouse
Host = $CLICKHOUSE_HOST
Port = $CLICKHOUSE_PORT

[bytehouse-26]
Driver = ByteHouse
Host = $CLICKHOUSE_HOST
Port = $CLICKHOUSE_MODERN_PORT
EOF
for dsn in bytehouse-18 bytehouse-26; do
    answer=$(echo "SELECT 40 + 2 AS answer" | isql -b -v "$dsn")
    grep -qw 42 <<<"$answer" || fail "isql $dsn answered: $answer"
    echo "isql $dsn: $(tr -s ' \n' ' ' <<<"$answer")"
done

echo "purge"
dpkg --purge libbytehouse >/dev/null
[[ ! -e $library && ! -e /usr/include/bytehouse.h && ! -L ${library%/odbc/*}/libbytehouse.so ]] ||
    fail "the purge left the library, its link or the header"
if odbcinst -q -d -n ByteHouse >/dev/null 2>&1; then
    fail "the purge left [ByteHouse] in $(odbcinst -j | sed -n 's/^DRIVERS.*: //p')"
fi
echo "the package is gone, and so is its odbcinst entry"
