#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Install libnumaperf into a scratch DESTDIR and build an outside packet app
# with dependency('numaperf'): the installed headers, numaperf.pc and the
# library must be enough to write RX -> stage -> TX on the runtime. Then run
# it (hugepages if there are enough, and again without), and check that an
# internal helper (np_fail) is NOT reachable from the installed library: a
# program calling it must fail to link, while the same program calling a
# public function links and runs.
# usage: test_install.sh BUILD_DIR CONSUMER_SRC
set -euo pipefail
build=$1 src=$2
tmp=$(mktemp -d)
prefixes=()
cleanup() {
    rm -rf "$tmp"
    # EAL's runtime directories of the consumer's runs (named after our pid).
    local base=/var/run/dpdk
    [ "$(id -u)" = 0 ] || base=${XDG_RUNTIME_DIR:-/tmp}/dpdk
    for p in "${prefixes[@]}"; do rm -rf "${base:?}/$p"; done
}
trap cleanup EXIT
fail() { echo "test_install.sh: FAIL: $*"; exit 1; }

meson install -C "$build" --destdir "$tmp/root" --no-rebuild >"$tmp/install.log" 2>&1 \
    || { cat "$tmp/install.log"; fail "meson install"; }
pc=$(find "$tmp/root" -name numaperf.pc)
[ -n "$pc" ] || fail "numaperf.pc was not installed"
echo "installed: $pc"
libdir=$(dirname "$(find "$tmp/root" -name 'libnumaperf.so' | head -1)")
[ -d "$libdir" ] || fail "libnumaperf.so was not installed"
# Point the installed numaperf.pc at the DESTDIR copy (only its own prefix:
# libdpdk, hwloc and libnuma stay the system's).
mkdir -p "$tmp/pc"
sed "s|^prefix=|prefix=$tmp/root|" "$pc" > "$tmp/pc/numaperf.pc"
export PKG_CONFIG_PATH="$tmp/pc"
meson setup "$tmp/consumer-build" "$src" >"$tmp/setup.log" 2>&1 \
    || { cat "$tmp/setup.log"; fail "meson setup of the consumer"; }
meson compile -C "$tmp/consumer-build" >"$tmp/compile.log" 2>&1 \
    || { cat "$tmp/compile.log"; fail "the consumer does not build against the install"; }
consumer=$tmp/consumer-build/consumer
export LD_LIBRARY_PATH=$libdir
# It must run on the installed library, not on the build tree's.
ldd "$consumer" | grep -q "libnumaperf.so.* => $libdir/" \
    || { ldd "$consumer"; fail "the consumer does not load libnumaperf from $libdir"; }

# The app runs on this machine, whatever NP_TOPOLOGY says.
unset NP_TOPOLOGY
run_consumer() {
    local run=$1 prefix="np-consumer-$$-$1" out rc=0
    shift
    prefixes+=("$prefix")
    out=$(timeout 120 "$consumer" "$@" -- --file-prefix "$prefix" 2>&1) || rc=$?
    echo "$out"
    [ "$rc" = 0 ] || fail "consumer ($run run) exited $rc"
    grep -q "^consumer: .* every mbuf back" <<<"$out" \
        || fail "consumer ($run run) printed no summary"
    last=$out
}
run_consumer auto
if grep -q "^consumer: .*, hugepages: " <<<"$last"; then
    run_consumer nohuge --no-huge
    grep -q "^consumer: .*, no_huge: " <<<"$last" || fail "--no-huge did not run without hugepages"
fi

# Internal helpers are not exported. One cc line each, as a user would build
# a single file: the control (a public call) must link and run ...
cc=${CC:-cc}
read -r -a flags <<<"$(pkg-config --cflags --libs numaperf)"
"$cc" -DCALL_PUBLIC "$src/internal.c" "${flags[@]}" -o "$tmp/public" >"$tmp/public.log" 2>&1 \
    || { cat "$tmp/public.log"; fail "a program calling a public function does not link"; }
"$tmp/public" >/dev/null || fail "a program calling a public function does not run"
echo "public function: linked and ran"
# ... and the same program calling np_fail() must not link, for that reason.
if "$cc" "$src/internal.c" "${flags[@]}" -o "$tmp/internal" >"$tmp/internal.log" 2>&1; then
    fail "a program calling the internal np_fail() linked against the installed library"
fi
grep -q "undefined reference to .np_fail'" "$tmp/internal.log" \
    || { cat "$tmp/internal.log"; fail "the link failed, but not on np_fail"; }
echo "internal np_fail: link refused as expected: $(grep -m1 "undefined reference" "$tmp/internal.log")"
echo "install: OK"
