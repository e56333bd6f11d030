#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build the API reference and fail on any doxygen warning: every public
# symbol, parameter and return value documented, no malformed command, and
# the HTML really written. Exit 77 (SKIP) where doxygen is missing.
# usage: check_doxygen.sh DOXYFILE HTML_DIR
set -uo pipefail
doxyfile=$1 html=$2

if ! command -v doxygen >/dev/null 2>&1; then
    echo "SKIP: doxygen is not installed, so the API reference cannot be checked:"
    echo "  apt-get install doxygen (scripts/setup.sh installs it)"
    exit 77
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
rm -rf "$html"
# QUIET = YES in the Doxyfile: doxygen prints nothing but warnings and
# errors, on stderr. WARN_AS_ERROR = FAIL_ON_WARNINGS makes it exit non-zero
# after a warning; the log is checked as well, so neither can hide one.
doxygen "$doxyfile" >"$log" 2>&1
status=$?
n=$(grep -c 'warning:\|error:' "$log")
if [ -s "$log" ] || [ $status -ne 0 ]; then
    cat "$log"
    echo "FAIL: doxygen $(doxygen --version) printed $n warnings/errors (status $status)" \
         "for $doxyfile: document what it names in the public header (STYLE.md:" \
         "@param and @return with each errno), or keep an inline internal out of the" \
         "reference with /** @cond INTERNAL */ ... /** @endcond */"
    exit 1
fi
if [ ! -s "$html/index.html" ]; then
    echo "FAIL: doxygen exited 0 without warnings but wrote no $html/index.html"
    exit 1
fi
pages=$(find "$html" -name '*.html' | wc -l)
echo "ok: doxygen $(doxygen --version), no warnings; $pages HTML pages, open $html/index.html"
