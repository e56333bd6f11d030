#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# numaperf set-up, idempotent, used by both README commands and by CI:
#   1. installs every Debian package the project needs (only if missing);
#   2. reserves 2 MB hugepages and mounts hugetlbfs, where it can.
# It says plainly what it could not do and why, instead of letting DPDK fail
# later. Environment:
#   NP_HUGEPAGES   2 MB pages to have reserved in all (default 512 = 1 GiB)
#   NP_SKIP_APT=1  do not run apt-get (packages must already be there)
set -uo pipefail

# Build and run: compiler, meson, DPDK (recommends on: the mempool ring
# driver and most PMDs are only "Recommends" of dpdk), hwloc, libnuma, CUnit.
# VM suite: QEMU, a guest kernel with modules, busybox for the initramfs.
PACKAGES=(
    gcc libc6-dev pkg-config meson ninja-build python3 git prometheus
    dpdk dpdk-dev libdpdk-dev dpdk-doc
    hwloc libhwloc-dev libnuma-dev numactl libcunit1-dev valgrind
    qemu-system-x86 linux-image-amd64 busybox-static
    gnuplot-nox
    doxygen                 # the API reference: docs/Doxyfile.in, test doxygen
    clang libclang-rt-14-dev  # sanitizer and fuzz runs (scripts/asan-common.sh)
    gcovr                   # scripts/coverage.sh
    shellcheck              # tests/lint: every shell script of the repo passes it
)
HUGEPAGES=${NP_HUGEPAGES:-512}

say() { printf 'setup: %s\n' "$*"; }
warn() { printf 'setup: WARNING: %s\n' "$*" >&2; }

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
    say "all ${#PACKAGES[@]} packages present"
elif [ "${NP_SKIP_APT:-0}" = 1 ]; then
    warn "missing packages and NP_SKIP_APT=1: ${missing[*]}"
    exit 1
elif [ "$(id -u)" -ne 0 ]; then
    warn "missing packages: ${missing[*]}"
    warn "not root, so they cannot be installed here: run as root, or"
    warn "  sudo apt-get install -y ${missing[*]}"
    exit 1
else
    say "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get update -q >/tmp/numaperf-apt-update.log 2>&1; then
        warn "apt-get update failed (log: /tmp/numaperf-apt-update.log); trying the cached lists"
    fi
    if ! apt-get install -y -q "${missing[@]}" >/tmp/numaperf-apt-install.log 2>&1; then
        tail -20 /tmp/numaperf-apt-install.log >&2
        warn "apt-get install failed: see /tmp/numaperf-apt-install.log"
        exit 1
    fi
    say "installed ${#missing[@]} packages"
fi

# ---- hugepages -----------------------------------------------------------
# DPDK's EAL wants hugepage memory; without it only --no-huge runs work.
# Reserved through the global knob, which the kernel spreads over the nodes.
nr_file=/proc/sys/vm/nr_hugepages
if [ "$(id -u)" -ne 0 ]; then
    warn "not root: cannot reserve hugepages or mount hugetlbfs;" \
         "DPDK apps will need --no-huge (or run this script as root)"
elif [ ! -w "$nr_file" ]; then
    warn "$nr_file is not writable (a container without privileges?):" \
         "no hugepages reserved; DPDK apps will need --no-huge"
else
    cur=$(cat "$nr_file")
    if [ "$cur" -lt "$HUGEPAGES" ]; then
        echo "$HUGEPAGES" > "$nr_file" 2>/dev/null
        got=$(cat "$nr_file")
        if [ "$got" -lt "$HUGEPAGES" ]; then
            warn "asked the kernel for $HUGEPAGES 2 MB hugepages, got $got" \
                 "(memory too fragmented or too small); try after a reboot or lower NP_HUGEPAGES"
        else
            say "reserved $got 2 MB hugepages (was $cur)"
        fi
    else
        say "$cur 2 MB hugepages reserved (wanted >= $HUGEPAGES)"
    fi
    if ! grep -q " /dev/hugepages hugetlbfs " /proc/mounts; then
        mkdir -p /dev/hugepages
        if mount -t hugetlbfs -o pagesize=2M nodev /dev/hugepages 2>/tmp/numaperf-mount.log; then
            say "mounted hugetlbfs on /dev/hugepages"
        else
            warn "could not mount hugetlbfs on /dev/hugepages: $(cat /tmp/numaperf-mount.log)"
        fi
    fi
fi
exit 0
