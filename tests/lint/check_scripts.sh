#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Every shell script of the project passes shellcheck at warning level (the
# README's two commands run them: a quoting slip there breaks a fresh machine).
# Deliberate exceptions carry a "shellcheck disable=SCnnnn" line saying why.
#
# usage: tests/lint/check_scripts.sh SOURCE_ROOT
set -uo pipefail
root=${1:?usage: check_scripts.sh SOURCE_ROOT}
cd "$root" || exit 1
if ! command -v shellcheck >/dev/null; then
    echo "SKIP: shellcheck is not installed: apt-get install shellcheck" \
         "(scripts/setup.sh installs it)" >&2
    exit 77
fi
files=(.ci/run)
for f in scripts/*.sh docs/*.sh tests/*/*.sh; do
    [ -f "$f" ] && files+=("$f")
done
if shellcheck -S warning "${files[@]}"; then
    echo "check_scripts: ${#files[@]} scripts pass shellcheck -S warning"
    exit 0
fi
echo "check_scripts: shellcheck found the warnings above; fix them, or add" \
     "'# shellcheck disable=SCnnnn  # why' where one is deliberate" >&2
exit 1
