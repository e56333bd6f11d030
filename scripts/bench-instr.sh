#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Instructions per packet of numaperf-l2fwd's forwarding loop: the run
# bench-forward.sh times (config/examples/bench-null.ini: one forwarding lcore
# on a net_null pair, MAC swap, burst 32, EAL's main lcore apart), under
# valgrind's callgrind, counting only what the worker's loop (lcore_loop() and
# everything it calls: RX, the stage, TX, the PMD, the mempool) executes, over
# the packets it sent. With --base, the same for a second build and the ratio
# numaperf/base.
#
# What it is for: an A/B of a hot-path change that a timed A/B
# (bench-forward.sh --base) cannot tell from noise. The count does not depend
# on the machine's load, on the memory layout (which moves timed figures by
# 6-7% here, see bench-forward.sh) or on other processes: two runs of one
# build give the same figure to a few hundredths of an instruction.
# What it is not: a speed. Instructions are not time: a change can cut
# instructions and not run faster (a stall it does not touch), and
# dpdk-testpmd --forward-mode=macswap runs fewer instructions per packet than
# numaperf-l2fwd (about 143 against 147 here) yet forwards fewer packets a
# second. Speed targets are read from bench-forward.sh only.
#
# usage: bench-instr.sh [--build DIR] [--base DIR] [--seconds N]
#            [--numaperf-arg ARG]...
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=$repo/build
base=
seconds=5
numaperf_extra=()

usage() {
    sed -n '/^# usage:/,/^#            \[--numaperf-arg/p' "$0" | sed 's/^# \{0,1\}//'
    cat <<'EOF'
  --build DIR   numaperf's meson build directory (default: build)
  --base DIR    also the build in DIR, and the ratio numaperf/base
  --seconds N   how long numaperf-l2fwd forwards under valgrind, an integer
                (default 5; the figure hardly moves with it)
  --numaperf-arg ARG  one more argument for numaperf-l2fwd (repeatable), e.g.
                --numaperf-arg --no-latency
EOF
}

die() { echo "bench-instr: $1" >&2; exit "${2:-1}"; }

while (( $# )); do
    case $1 in
    --build) [ -n "${2-}" ] || die "--build needs a directory" 2; build=$(realpath -m "$2"); shift 2 ;;
    --base) [ -n "${2-}" ] || die "--base needs a build directory" 2; base=$(realpath -m "$2"); shift 2 ;;
    --seconds) [[ ${2-} =~ ^[0-9]+$ ]] && (( ${2} >= 1 )) ||
                   die "--seconds needs an integer >= 1, not '${2-}'" 2
               seconds=$2; shift 2 ;;
    --numaperf-arg) [ -n "${2-}" ] || die "--numaperf-arg needs an argument" 2
                    numaperf_extra+=("$2"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" 2 ;;
    esac
done

command -v valgrind >/dev/null || die "valgrind is missing: apt-get install -y valgrind"
for b in "$build" ${base:+"$base"}; do
    [ -x "$b/apps/l2fwd/numaperf-l2fwd" ] ||
        die "$b/apps/l2fwd/numaperf-l2fwd is not built: meson setup $b && meson compile -C $b"
done
# The worker on CPU 1, EAL's main lcore apart on CPU 0, as bench-forward.sh
# runs it; a one-CPU machine forwards on its main lcore.
if (( $(nproc) >= 2 )); then
    cpus=(--lcores 1 --main-lcore 0)
else
    cpus=(--lcores 0)
fi
tmp=$(mktemp -d /tmp/np-bench-instr.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# One build's figure: prints "IR PACKETS".
count() {  # label build
    local label=$1 b=$2 out=$tmp/$1.out cg=$tmp/$1.cg ir pkts
    local -a on=("${cpus[@]}")
    # A build from before --main-lcore forwards on its main lcore (CPU 1).
    if ! "$b/apps/l2fwd/numaperf-l2fwd" --help 2>&1 | grep -q -- --main-lcore; then
        on=("${cpus[@]:0:2}")
    fi
    local -a cmd=(valgrind --tool=callgrind --toggle-collect=lcore_loop
                  --callgrind-out-file="$cg"
                  "$b/apps/l2fwd/numaperf-l2fwd" --config "$repo/config/examples/bench-null.ini"
                  "${on[@]}" --no-huge --duration "$seconds" --quiet
                  "${numaperf_extra[@]}")
    echo "  $label: ${cmd[*]}" >"$tmp/$label.cmd"
    if ! "${cmd[@]}" >"$out" 2>&1; then
        tail -n 20 "$out" >&2
        die "numaperf-l2fwd ($b) failed under valgrind (its output's end above)"
    fi
    ir=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$cg")
    pkts=$(sed -n 's/^total: .* tx \([0-9]*\),.*/\1/p' "$out")
    [ -n "$ir" ] && (( ir > 0 )) ||
        die "callgrind counted nothing in lcore_loop ($b): a stripped or renamed build?"
    [ -n "$pkts" ] && (( pkts > 0 )) ||
        die "numaperf-l2fwd ($b) sent no packets under valgrind (its report: $out)"
    echo "$ir $pkts"
}

per_pkt() { awk -v i="$1" -v p="$2" 'BEGIN { printf "%.2f", i / p }'; }

echo "bench-instr: instructions per packet sent in numaperf-l2fwd's forwarding loop, under"
echo "valgrind's callgrind (--toggle-collect=lcore_loop), $seconds s each; a count, not a speed."
fig=$(count numaperf "$build")
read -r ir pkts <<<"$fig"
if [ -n "$base" ]; then
    fig=$(count base "$base")
    read -r bir bpkts <<<"$fig"
fi
echo "Commands:"
cat "$tmp/numaperf.cmd" ${base:+"$tmp/base.cmd"}
printf '%-32s %8s instructions/packet  (%s over %s packets)\n' \
    "numaperf-l2fwd ($(basename "$build"))" "$(per_pkt "$ir" "$pkts")" "$ir" "$pkts"
if [ -n "$base" ]; then
    printf '%-32s %8s instructions/packet  (%s over %s packets)\n' \
        "base ($(basename "$base"))" "$(per_pkt "$bir" "$bpkts")" "$bir" "$bpkts"
    awk -v a="$ir" -v ap="$pkts" -v b="$bir" -v bp="$bpkts" \
        'BEGIN { printf "ratio numaperf/base: %.4f (below 1: the build runs fewer instructions a packet)\n", (a / ap) / (b / bp) }'
fi
