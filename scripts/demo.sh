#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# README command 1: set up, build, and run the main job on this machine.
set -uo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh || exit 1
./scripts/build.sh || exit 1
echo
echo "== numa-doctor: is this box NUMA, and is NUMA my problem?"
./build/apps/numa-doctor/numa-doctor "$@"
