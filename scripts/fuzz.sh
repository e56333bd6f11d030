#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Fuzz the configuration reader, the topology loader and the flow-key parser
# (libFuzzer, clang), each for a bounded time, in the sanitizer build (scripts/asan-common.sh:
# ASan + UBSan, $NP_ASAN_BUILD, default build-asan).
#
# usage: scripts/fuzz.sh [TARGET...]     targets: config topo flow_key (default all)
#   NP_FUZZ_SECONDS  seconds per target (default 60; scripts/test.sh uses 20)
#   NP_FUZZ_SEED     libFuzzer's random seed (default: a new one each run;
#                    scripts/test.sh uses 1). A seed does not make runs
#                    repeatable: how far a run gets in its time differs per
#                    machine, and libFuzzer learns from compared values that
#                    include addresses (checked: two runs of 3000 inputs, seed
#                    1, ASLR off, ended with different corpora). So a CI run
#                    can find what a run here did not: its reproducer line is
#                    what to run.
#
# Seeds: tests/data/{config,topo}, config/examples, tests/topologies and every
# input that once crashed a target (tests/fuzz/regress/TARGET/). What a run
# finds is kept in $NP_ASAN_BUILD/fuzz-corpus/TARGET for the next run. On a
# crash, leak, sanitizer report or broken promise (the targets abort) the
# script prints the report and the reproducer, and exits 1.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
# shellcheck disable=SC2034  # read by asan_say() in scripts/asan-common.sh
NP_ASAN_WHO=fuzz
. scripts/asan-common.sh

secs=${NP_FUZZ_SECONDS:-60}
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(config topo flow_key)

declare -A seeds=(
    [config]="tests/data/config config/examples tests/fuzz/regress/config"
    [topo]="tests/data/topo tests/topologies tests/fuzz/regress/topo"
    [flow_key]="tests/fuzz/regress/flow_key"
)
# Largest input tried: a few configuration lines over the 322-byte line
# limit; a described machine with some PCI devices; a frame's headers (Ethernet,
# two VLAN tags, IPv6 with extension headers, L4) and some bytes more.
declare -A max_len=([config]=8192 [topo]=16384 [flow_key]=512)

asan_build || exit 1
asan_env
# A fuzzer allocates and frees for hours: a smaller quarantine keeps its
# memory bounded; leaks are checked after each input that allocated more.
export ASAN_OPTIONS="$ASAN_OPTIONS:quarantine_size_mb=64:malloc_context_size=20"

fail=0
for t in "${targets[@]}"; do
    bin=$NP_ASAN_BUILD/tests/fuzz/fuzz_$t
    if [ -z "${seeds[$t]+x}" ] || [ ! -x "$bin" ]; then
        asan_say "no fuzz target '$t' (targets: ${!seeds[*]}; $bin built?)" >&2
        fail=1
        continue
    fi
    corpus=$NP_ASAN_BUILD/fuzz-corpus/$t
    art=$NP_ASAN_BUILD/fuzz-artifacts/$t
    log=$NP_ASAN_BUILD/fuzz-$t.log
    mkdir -p "$corpus" "$art"
    opts=()
    [ -f "tests/fuzz/$t.dict" ] && opts+=(-dict="tests/fuzz/$t.dict")
    [ -n "${NP_FUZZ_SEED:-}" ] && opts+=(-seed="$NP_FUZZ_SEED")
    # shellcheck disable=SC2086  # seed folders are word lists on purpose
    timeout $((secs * 2 + 120)) "$bin" -max_total_time="$secs" -max_len="${max_len[$t]}" \
        -timeout=20 -rss_limit_mb=3072 -print_final_stats=1 "${opts[@]}" \
        -artifact_prefix="$art/" "$corpus" ${seeds[$t]} >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    if [ $rc -eq 0 ]; then
        asan_say "$t: ${runs:-?} inputs in ${secs} s, ${cov:-cov: ?}, corpus $(ls "$corpus" | wc -l) files: no crash, leak or sanitizer report"
        continue
    fi
    fail=1
    asan_say "$t: FAILED (libFuzzer exit status $rc); its report:" >&2
    grep -v -E '^#[0-9]+ +(NEW|REDUCE|pulse|INITED)' "$log" | tail -60 >&2
    for f in $(ls -t "$art" 2>/dev/null | head -3); do
        asan_say "reproduce: ASAN_OPTIONS='$ASAN_OPTIONS' UBSAN_OPTIONS='$UBSAN_OPTIONS'" \
                 "LSAN_OPTIONS='$LSAN_OPTIONS' $bin $art/$f" >&2
        asan_say "once fixed, keep it: cp $art/$f tests/fuzz/regress/$t/<what-it-found>" >&2
    done
done
exit $fail
