#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# README command 1: set up, build, and run the main job: the l2fwd demo on
# two net_ring virtual ports, its placement plan, then its locality report.
# Extra arguments go to numaperf-l2fwd (e.g. --duration 10, --mode handoff).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
./scripts/setup.sh || exit 1
./scripts/build.sh >/dev/null || { ./scripts/build.sh; exit 1; }

args=(--config config/examples/l2fwd-vdev.ini --duration 5)
# Without hugetlbfs (not root, a container), DPDK can only run --no-huge:
# say so rather than let EAL fail.
if ! grep -q " hugetlbfs " /proc/mounts || [ "$(cat /proc/sys/vm/nr_hugepages)" = 0 ]; then
    echo "demo: no hugepages here (see the set-up warnings above): running with --no-huge"
    args+=(--no-huge)
fi
echo
echo "== numaperf-l2fwd ${args[*]} $*"
./build/apps/l2fwd/numaperf-l2fwd "${args[@]}" "$@"
