#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Line coverage of the unit and apps suites, per folder.
#
# usage: scripts/coverage.sh [BUILD_DIR]        (default: build-coverage)
#
# Builds the tree in BUILD_DIR with meson's b_coverage (a debug build, so
# lines map to the source), runs `meson test --suite unit --suite apps`
# (less suite bench: the benchmark script's smoke test)
# there, then prints with gcovr (Debian's package, installed if missing when
# run as root) the line coverage of each folder and of each module in it.
#
# Environment:
#   NP_COVERAGE_MIN      percentage each checked folder must reach (default 85)
#   NP_COVERAGE_FOLDERS  folders checked (default "framework drivers-glue config apps")
#
# Exit status: 0 every checked folder at or above the minimum and every test
# passed; 1 a folder below it (named, with the gap) or a test failed; 2 the
# coverage build or gcovr could not run.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
builddir=${1:-build-coverage}
min=${NP_COVERAGE_MIN:-85}
folders=${NP_COVERAGE_FOLDERS:-framework drivers-glue config apps}

if ! [[ $min =~ ^[0-9]+([.][0-9]+)?$ ]]; then
    echo "coverage: NP_COVERAGE_MIN='$min' is not a percentage (e.g. 85)" >&2
    exit 2
fi
if ! command -v gcovr >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "coverage: gcovr missing: apt-get install -y gcovr"
        apt-get install -y gcovr >/dev/null || { echo "coverage: apt-get install gcovr failed" >&2; exit 2; }
    else
        echo "coverage: gcovr missing: run as root apt-get install -y gcovr" >&2
        exit 2
    fi
fi

if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" -Db_coverage=true --buildtype=debug >/dev/null ||
        { echo "coverage: meson setup $builddir failed" >&2; exit 2; }
fi
meson configure "$builddir" -Db_coverage=true >/dev/null ||
    { echo "coverage: $builddir cannot take -Db_coverage=true" >&2; exit 2; }
# Counts from an earlier run would add up with this one's.
find "$builddir" -name '*.gcda' -delete
meson compile -C "$builddir" >/dev/null || { echo "coverage: the build failed" >&2; exit 2; }

meson test -C "$builddir" --suite unit --suite apps --no-suite bench --print-errorlogs
tests_status=$?

summary="$builddir/coverage-summary.json"
gcovr --root . --object-directory "$builddir" --exclude 'tests/' --exclude "$builddir/" \
      --json-summary "$summary" >/dev/null 2>"$builddir/gcovr.log" ||
    { echo "coverage: gcovr failed, see $builddir/gcovr.log" >&2; exit 2; }

python3 - "$summary" "$min" "$folders" "$tests_status" <<'PY'
import json
import sys

summary, minimum, folders, tests_status = sys.argv[1], float(sys.argv[2]), sys.argv[3].split(), int(sys.argv[4])
files = json.load(open(summary))["files"]


def pct(covered, total):
    return 100.0 * covered / total if total else 100.0


# folder -> module (second path component, or the file for apps/x.c) -> [covered, total]
by = {}
for f in files:
    parts = f["filename"].split("/")
    if len(parts) < 2:
        continue
    top, mod = parts[0], parts[1] if len(parts) > 2 else parts[1]
    m = by.setdefault(top, {}).setdefault(mod, [0, 0])
    m[0] += f["line_covered"]
    m[1] += f["line_total"]

print("\nline coverage of the unit + apps suites (gcovr), minimum %g%% for: %s"
      % (minimum, " ".join(folders)))
print("  %-28s %8s %8s %8s" % ("folder / module", "lines", "covered", "percent"))
below = []
for top in sorted(by):
    cov = sum(v[0] for v in by[top].values())
    tot = sum(v[1] for v in by[top].values())
    p = pct(cov, tot)
    mark = ""
    if top in folders and p < minimum:
        below.append((top, p))
        mark = "  BELOW %g%% by %.1f points" % (minimum, minimum - p)
    print("  %-28s %8d %8d %7.1f%%%s" % (top + "/", tot, cov, p, mark))
    for mod in sorted(by[top]):
        c, t = by[top][mod]
        print("    %-26s %8d %8d %7.1f%%" % (mod, t, c, pct(c, t)))
missing = [f for f in folders if f not in by]
for f in missing:
    print("coverage: folder %s has no measured line (not built, or no test reached it)" % f)
status = 0
if below or missing:
    print("coverage: FAIL: %s" % ", ".join(["%s/ %.1f%% (%.1f points under %g%%)" % (t, p, minimum - p, minimum)
                                           for t, p in below] + ["%s/ not measured" % f for f in missing]))
    status = 1
else:
    print("coverage: every checked folder is at or above %g%%" % minimum)
if tests_status != 0:
    print("coverage: FAIL: a unit or apps test failed in the coverage build (status %d)" % tests_status)
    status = 1
sys.exit(status)
PY
