#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Install libnumaperf into a scratch DESTDIR and build an outside packet app
# with dependency('numaperf'): the installed headers, numaperf.pc and the
# library must be enough to write RX -> stage -> TX on the runtime. Then run
# it (hugepages if there are enough, and again without), and check that an
# internal helper (np_fail) is NOT reachable from the installed library: a
# program calling it must fail to link, while the same program calling a
# public function links and runs. Then the same with the installed static
# library (libnumaperf.a): its globals are the shared library's exports, the
# app linked against it runs without libnumaperf.so, a program may define its
# own functions named like numaperf's internals, and np_fail stays out of reach.
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

# The static library: one object whose only globals are the shared library's
# exports (scripts/public_archive.py). An application that links it (DPDK and
# the rest shared, as with DPDK's own pkg-config) runs without libnumaperf.so,
# may define functions named like numaperf's internals, and cannot reach np_fail.
archive=$libdir/libnumaperf.a
[ -f "$archive" ] || fail "libnumaperf.a was not installed next to libnumaperf.so"
so_syms=$(nm -D --defined-only "$libdir/libnumaperf.so" | awk 'NF >= 3 && $2 ~ /^[TWDBRVui]$/ && $3 !~ /^NUMAPERF/ { sub(/@.*/, "", $3); print $3 }' | sort -u)
a_syms=$(nm -g --defined-only "$archive" | awk 'NF >= 3 && $2 ~ /^[TWDBRVui]$/ { print $3 }' | sort -u)
[ "$a_syms" = "$so_syms" ] || {
    diff <(echo "$so_syms") <(echo "$a_syms") | head -20
    fail "libnumaperf.a's global symbols differ from libnumaperf.so's exports (< .so, > .a)"
}
echo "static archive: $(echo "$a_syms" | wc -l) global symbols, the same as the shared library's"
# numaperf.pc's private libraries (rte_bus_vdev, libnuma) with DPDK and hwloc shared.
read -r -a static_libs <<<"$(pkg-config --libs libdpdk hwloc) $(pkg-config --static --libs-only-l numaperf | grep -o -e '-lrte_bus_vdev' -e '-lnuma' | tr '\n' ' ') -lm -lpthread"
read -r -a np_cflags <<<"$(pkg-config --cflags numaperf)"
"$cc" "${np_cflags[@]}" "$src/main.c" "$archive" "${static_libs[@]}" -o "$tmp/consumer-static" \
    >"$tmp/static.log" 2>&1 || { cat "$tmp/static.log"; fail "the consumer does not link against libnumaperf.a"; }
if ldd "$tmp/consumer-static" | grep -q libnumaperf; then
    ldd "$tmp/consumer-static"; fail "the statically linked consumer still loads libnumaperf.so"
fi
consumer=$tmp/consumer-static
unset LD_LIBRARY_PATH   # nothing of the install's shared library may be needed
run_consumer static --no-huge
export LD_LIBRARY_PATH=$libdir
echo "static consumer: linked against libnumaperf.a and ran"
"$cc" -DCALL_PUBLIC -DOWN_NAMES "${np_cflags[@]}" "$src/internal.c" "$archive" "${static_libs[@]}" \
    -o "$tmp/own-names" >"$tmp/own-names.log" 2>&1 \
    || { cat "$tmp/own-names.log"; fail "a program with its own cfg_scan/mem_note/plan_poll_node does not link against libnumaperf.a"; }
"$tmp/own-names" >/dev/null || fail "the program with its own helper names did not run its own"
echo "static archive: a program's own cfg_scan, mem_note and plan_poll_node link and run"
if "$cc" "${np_cflags[@]}" "$src/internal.c" "$archive" "${static_libs[@]}" -o "$tmp/internal-static" \
    >"$tmp/internal-static.log" 2>&1; then
    fail "a program calling the internal np_fail() linked against libnumaperf.a"
fi
grep -q "undefined reference to .np_fail'" "$tmp/internal-static.log" \
    || { cat "$tmp/internal-static.log"; fail "the static link failed, but not on np_fail"; }
echo "static archive: internal np_fail: link refused as expected"
echo "install: OK"
