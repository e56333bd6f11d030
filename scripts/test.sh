#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# README command 2 (and .ci/run): set up, build, run every test suite
# (unit, apps, multinode, vm), then print meson's summary and one line
# "N passed, N failed, N skipped", then the coverage block below.  Extra
# arguments go to `meson test` (e.g. --suite unit).
set -uo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh || exit 1
./scripts/build.sh || exit 1

meson test -C build --print-errorlogs "$@"
status=$?

python3 - build/meson-logs/testlog.json <<'PY'
import json, sys
counts = {"OK": 0, "FAIL": 0, "SKIP": 0, "TIMEOUT": 0, "ERROR": 0, "EXPECTEDFAIL": 0,
          "UNEXPECTEDPASS": 0}
for line in open(sys.argv[1]):
    r = json.loads(line)
    counts[r["result"]] = counts.get(r["result"], 0) + 1
failed = counts["FAIL"] + counts["TIMEOUT"] + counts["ERROR"] + counts["UNEXPECTEDPASS"]
print("%d passed, %d failed, %d skipped" % (counts["OK"] + counts["EXPECTEDFAIL"], failed,
                                            counts["SKIP"]))
PY

# ---- coverage (scripts/coverage.sh) ------------------------------- BEGIN ----
# After the main suites: a separate build (build-coverage, meson's
# b_coverage) runs the unit and apps suites and prints the line coverage of
# framework/, drivers-glue/, config/ and apps/; a folder under
# $NP_COVERAGE_MIN percent (default 85) fails the run. It runs on a full run
# (no extra arguments) or with NP_COVERAGE=1; NP_COVERAGE=0 leaves it out.
if [ "${NP_COVERAGE:-$([ $# -eq 0 ] && echo 1 || echo 0)}" = 1 ]; then
    echo
    echo "== coverage: scripts/coverage.sh (unit + apps, build-coverage/) =="
    ./scripts/coverage.sh
    coverage_status=$?
    [ $status -eq 0 ] && status=$coverage_status
fi
# ---- coverage ----------------------------------------------------- END ------
exit $status
