#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The unit and apps suites under AddressSanitizer + UndefinedBehaviorSanitizer
# (issue 12), in their own build dir ($NP_ASAN_BUILD, default build-asan;
# see scripts/asan-common.sh). scripts/test.sh runs this after the main
# suites. Any sanitizer report fails the test it happens in; leaks inside
# DPDK or hwloc are the only ones suppressed (tests/sanitize/lsan.supp).
#
# usage: scripts/sanitize.sh [meson test arguments, e.g. a test name]
# Prints meson's summary and one line "sanitize: N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
# shellcheck disable=SC2034  # read by asan_say() in scripts/asan-common.sh
NP_ASAN_WHO=sanitize
. scripts/asan-common.sh

asan_build || exit 1
asan_env
if [ $# -eq 0 ]; then
    # Not the benchmark script's smoke test (suite bench): bash around a
    # binary the apps suite runs here anyway.
    set -- --suite unit --suite apps --no-suite bench
fi
start=$(date +%s)
meson test -C "$NP_ASAN_BUILD" --print-errorlogs "$@"
status=$?

python3 - "$NP_ASAN_BUILD/meson-logs/testlog.json" "$(( $(date +%s) - start ))" <<'PY'
import json, sys
counts = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    counts[r["result"]] = counts.get(r["result"], 0) + 1
failed = sum(counts.get(k, 0) for k in ("FAIL", "TIMEOUT", "ERROR", "UNEXPECTEDPASS"))
print("sanitize: %d passed, %d failed, %d skipped (ASan+UBSan, %s s)" % (
    counts.get("OK", 0) + counts.get("EXPECTEDFAIL", 0), failed, counts.get("SKIP", 0),
    sys.argv[2]))
PY
exit $status
