#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# usage: memcheck.sh EXPECTED_STATUS PROGRAM ARGS...
# Runs PROGRAM under valgrind memcheck. Fails if valgrind finds an invalid
# access or a definite/indirect leak, or if PROGRAM's own exit status is not
# EXPECTED_STATUS (bad-input runs are expected to fail, cleanly).
set -u
expected=$1; shift
command -v valgrind >/dev/null || { echo "SKIP: valgrind missing: apt-get install valgrind"; exit 77; }
valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    -q "$@" >/dev/null 2>"${TMPDIR:-/tmp}/memcheck.$$"
rc=$?
grep -v "^hwloc x86 backend\|^May be reenabled\|^and reloading" "${TMPDIR:-/tmp}/memcheck.$$"
rm -f "${TMPDIR:-/tmp}/memcheck.$$"
if [ $rc -eq 99 ]; then echo "memcheck: valgrind found errors in: $*"; exit 1; fi
if [ "$rc" -ne "$expected" ]; then echo "memcheck: exit status $rc, expected $expected: $*"; exit 1; fi
echo "memcheck: clean, exit status $rc as expected: $*"
