#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Install libnumaperf into a scratch DESTDIR and build an outside project with
# dependency('numaperf'): the headers, numaperf.pc and the library must be
# enough. usage: test_install.sh BUILD_DIR CONSUMER_SRC
set -euo pipefail
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
meson install -C "$build" --destdir "$tmp/root" --no-rebuild >"$tmp/install.log" 2>&1 \
    || { cat "$tmp/install.log"; exit 1; }
pc=$(find "$tmp/root" -name numaperf.pc)
[ -n "$pc" ] || { echo "numaperf.pc was not installed"; exit 1; }
echo "installed: $pc"
# Point the installed numaperf.pc at the DESTDIR copy (only its own prefix:
# libdpdk, hwloc and libnuma stay the system's).
mkdir -p "$tmp/pc"
sed "s|^prefix=|prefix=$tmp/root|" "$pc" > "$tmp/pc/numaperf.pc"
export PKG_CONFIG_PATH="$tmp/pc"
meson setup "$tmp/consumer-build" "$src" >"$tmp/setup.log" 2>&1 \
    || { cat "$tmp/setup.log"; exit 1; }
meson compile -C "$tmp/consumer-build" >"$tmp/compile.log" 2>&1 \
    || { cat "$tmp/compile.log"; exit 1; }
LD_LIBRARY_PATH=$(dirname "$(find "$tmp/root" -name 'libnumaperf.so' | head -1)") \
    "$tmp/consumer-build/consumer"
