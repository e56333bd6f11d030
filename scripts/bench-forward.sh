#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Forwarding figures: numaperf-l2fwd (as the demo runs, latency recorded, and
# with --no-latency: "nolat") against dpdk-testpmd --forward-mode=macswap and
# DPDK's l2fwd example, on the same net_null pair (size=64, copy=0), one
# forwarding lcore, burst 32, alternating rounds in one invocation (A B C D A B
# C D ...). Prints each round's Mpps, the median of each tool with min-max,
# the median of the per-round ratios numaperf/testpmd, numaperf/l2fwd and
# numaperf/nolat (what latency recording costs, with its ns per packet) with
# min-max, nolat/testpmd and nolat/l2fwd (the same work as the references,
# which record no latency), and the exact command lines. A command that prints figures: it
# asserts nothing about speed (DEVELOPERS.md: no timed tests).
#
# Each ratio also gets its median's 95% interval (order statistics, no
# assumption on the distribution), and a target's verdict reads it: "met"
# when the whole interval is at or above the target, "NOT met" when all of
# it is below, "undecided" when the target is inside it: this host's noise
# cannot tell the two apart in that many rounds.
#
# With --together and 6 rounds or more it then prints the rounds in thirds by
# the host's speed in them (by_host_speed() below): on this shared host the
# ratios shrink towards 1 in the spells when every tool runs slower, and the
# table shows how much of a run fell in one.
#
# --only ...,testpmdlat adds dpdk-testpmd with --latencystats on the
# forwarding lcore (DPDK's rte_latencystats: an RX callback stamps every
# packet, a TX callback measures each one; min, mean, max and jitter, no
# percentiles), and the ratio numaperf/testpmdlat: the two each recording
# latency their own way. Not in the default set (no target is set on it).
#
# --base DIR adds numaperf-l2fwd from another build directory ("base", e.g.
# a worktree of an earlier commit), run as the demo runs, and the ratio
# numaperf/base: a change to the hot path measured side by side, in the same
# rounds (with --together, in the same seconds) as its baseline.
#
# usage: scripts/bench-forward.sh [--rounds N] [--seconds S] [--warmup W]
#            [--quick] [--only LIST] [--lcore N] [--no-huge] [--build DIR]
#            [--together] [--numaperf-arg ARG]... [--base DIR] [--base-arg ARG]...
#
# What each tool counts, over what window:
#   numaperf  its progress lines' TX rates (packets the ports' TX queues
#             accepted, counted by the pipeline, over the monitor's own clock),
#             one line a second: lines W+1 to W+S, each rate weighted by its
#             interval, summed over both ports. The same warm-up as the
#             others: the first second forwards about 10% slower than the
#             next ones (caches, TLB, the host), for all three tools.
#   testpmd   `show port stats all` Tx-pps (ethdev opackets: what net_null's TX
#             took), testpmd's own rate between two shows S seconds apart,
#             sent W seconds after forwarding started; summed over both ports.
#   l2fwd     its "Total packets sent" (what rte_eth_tx_buffer/_flush sent),
#             printed every second (-T 1): the difference between print W and
#             print W+S, divided by S. Its MAC update is l2fwd's own (both
#             addresses rewritten), not a swap: l2fwd has no swap mode.
# On a shared machine other programs take turns on the forwarding CPU, and
# Mpps follow them. Each run also prints "cpu", the share of the forwarding
# CPU its forwarding thread got over about the same window (run time in
# /proc/PID/task/TID/schedstat over wall time), and Mpps/cpu: a figure that
# moves far less with the load, for comparing the tools on a busy machine.
#
# --together: in each round the tools run at the same time, all forwarding on
# the one CPU, and the kernel gives each a few milliseconds in turn (CFS).
# Their windows are the same seconds, so each sees the same machine: on a
# shared host, whose speed moves by 20-40% from one second to the next (the
# progress lines of one run show it), that is the only way to a ratio
# between separate processes that means something. Only Mpps/cpu is then a
# figure (Mpps is about 1/N of it); each turn starts with caches the others
# used, a cost all of them pay. The cross-process counterpart of
# bench-graph's --slice.
# Exit status: 0 figures printed, 1 a tool failed or is missing, 2 bad usage.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
rounds=5
seconds=5
warmup=1
only=numaperf,nolat,testpmd,l2fwd
all_tools="numaperf|nolat|testpmd|testpmdlat|l2fwd"
lcore=1
no_huge=auto
build=$repo/build
numaperf_extra=()
base_extra=()
together=no
base=

usage() {
    sed -n '/^# usage:/,/^#            \[--together/p' "$0" | sed 's/^# \{0,1\}//'
    cat <<'EOF'
  --rounds N    rounds of the three tools, alternating (default 5)
  --seconds S   measured seconds per run, an integer (default 5)
  --warmup W    seconds each tool forwards before its window (default 1)
  --quick       a smoke run: 1 round of 1 s
  --only LIST   some of numaperf,nolat,testpmd,testpmdlat,l2fwd (comma-separated;
                default all but testpmdlat: testpmd with --latencystats, its
                latency recording, set on the forwarding lcore)
  --lcore N     the forwarding CPU (default 1); testpmd's and numaperf-l2fwd's
                main lcore take another (numaperf-l2fwd --main-lcore, as testpmd);
                --numaperf-arg --main-lcore=first-worker forwards on its main lcore
  --no-huge     run every tool without hugepages (default: only if none are free)
  --build DIR   numaperf's meson build directory (default: build)
  --together    the tools of a round forward at the same time, taking turns
                on the one CPU (see above); the ratios are then per CPU
  --numaperf-arg ARG  one more argument for numaperf-l2fwd (repeatable), e.g.
                --numaperf-arg --no-latency where the demo records latency
  --base DIR    also numaperf-l2fwd from build directory DIR ("base"), and
                the ratio numaperf/base (an A/B of two builds)
  --base-arg ARG  one more argument for the base run only (repeatable): with
                --base set to the same build, an A/B of two settings, e.g.
                --base-arg --main-lcore=first-worker
EOF
}

die() { echo "bench-forward: $1" >&2; exit "${2:-1}"; }
# shellcheck disable=SC2015  # A && B || die: dies when either test fails, as meant
posint() { [[ $2 =~ ^[0-9]+$ ]] && (( $2 >= ${3:-1} )) || die "$1 needs an integer >= ${3:-1}, not '$2'" 2; }

while (( $# )); do
    case $1 in
    --rounds) posint "$1" "${2-}"; rounds=$2; shift 2 ;;
    --seconds) posint "$1" "${2-}"; seconds=$2; shift 2 ;;
    --warmup) posint "$1" "${2-}" 0; warmup=$2; shift 2 ;;
    --quick) rounds=1; seconds=1; warmup=1; shift ;;
    --only) [[ ${2-} =~ ^($all_tools)(,($all_tools))*$ ]] ||
                die "--only takes some of ${all_tools//|/,}, not '${2-}'" 2
            only=$2; shift 2 ;;
    --lcore) posint "$1" "${2-}" 0; lcore=$2; shift 2 ;;
    --no-huge) no_huge=yes; shift ;;
    --together) together=yes; shift ;;
    --build) [ -n "${2-}" ] || die "--build needs a directory" 2; build=$(realpath -m "$2"); shift 2 ;;
    --base) [ -n "${2-}" ] || die "--base needs a build directory" 2; base=$(realpath -m "$2"); shift 2 ;;
    --numaperf-arg) [ -n "${2-}" ] || die "--numaperf-arg needs an argument" 2
                    numaperf_extra+=("$2"); shift 2 ;;
    --base-arg) [ -n "${2-}" ] || die "--base-arg needs an argument" 2
                base_extra+=("$2"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" 2 ;;
    esac
done
tools=()
[ -n "$base" ] && only+=,base
(( ${#base_extra[@]} == 0 )) || [ -n "$base" ] || die "--base-arg needs --base DIR (the build the base run uses)" 2
for t in numaperf base nolat testpmd testpmdlat l2fwd; do [[ ,$only, == *,$t,* ]] && tools+=("$t"); done
wants() { [[ ,$only, == *,$1,* ]]; }

# --- the machine -------------------------------------------------------------
ncpu=$(nproc)
(( lcore < ncpu )) || die "--lcore $lcore: this machine has CPUs 0-$((ncpu - 1))" 2
main_lcore=0; (( lcore == 0 )) && main_lcore=1
if { wants testpmd || wants testpmdlat; } && (( ncpu < 2 )); then
    die "testpmd needs a main lcore besides the forwarding one: this machine has 1 CPU"
fi
if [ "$no_huge" = auto ]; then
    free_pages=$(awk '/^HugePages_Free:/ {print $2}' /proc/meminfo)
    page_kb=$(awk '/^Hugepagesize:/ {print $2}' /proc/meminfo)
    # Each tool needs ~40 MB while it runs (one at a time, or all four
    # --together): ask for 128 MB free, or 256 MB.
    need_kb=131072; [ "$together" = yes ] && need_kb=262144
    if grep -q " hugetlbfs " /proc/mounts && (( ${free_pages:-0} * ${page_kb:-0} >= need_kb )); then
        no_huge=no
    else
        no_huge=yes
        echo "bench-forward: fewer than $((need_kb / 1024)) MB of free hugepages (or no hugetlbfs): all of them run --no-huge"
    fi
fi

# --- the three programs --------------------------------------------------------
numaperf_bin=$build/apps/l2fwd/numaperf-l2fwd
testpmd_bin=$(command -v dpdk-testpmd || true)
l2fwd_src=/usr/share/dpdk/examples/l2fwd
l2fwd_dir=$build/dpdk-examples/l2fwd
l2fwd_bin=$l2fwd_dir/build/l2fwd
if { wants numaperf || wants nolat; } && [ ! -x "$numaperf_bin" ]; then
    die "$numaperf_bin is not built: meson setup build && meson compile -C build"
fi
base_bin=$base/apps/l2fwd/numaperf-l2fwd
if wants base && [ ! -x "$base_bin" ]; then
    die "--base $base: $base_bin is not built: meson compile -C $base"
fi
# numaperf-l2fwd keeps EAL's main lcore apart from its worker, as testpmd does;
# a base built before --main-lcore existed forwards on its main lcore instead.
np_main=(--main-lcore "$main_lcore")
base_main=("${np_main[@]}")
if wants base && ! "$base_bin" --help 2>&1 | grep -q -- --main-lcore; then
    base_main=()
    echo "bench-forward: note: the base build has no --main-lcore: it forwards on its main lcore" >&2
fi
if { wants testpmd || wants testpmdlat; } && [ -z "$testpmd_bin" ]; then
    die "dpdk-testpmd is missing: apt-get install -y dpdk"
fi
if wants l2fwd; then
    [ -f "$l2fwd_src/main.c" ] || die "DPDK's l2fwd example is missing ($l2fwd_src): apt-get install -y dpdk-doc"
    # Debian's packaged example, built once into the build directory with its
    # own Makefile (pkg-config libdpdk, -O3), never fetched.
    if [ ! -x "$l2fwd_bin" ] || [ "$l2fwd_src/main.c" -nt "$l2fwd_bin" ]; then
        echo "bench-forward: building DPDK's l2fwd example ($l2fwd_src, Debian dpdk-doc) into $l2fwd_dir with its Makefile (pkg-config libdpdk)"
        # shellcheck disable=SC2015  # any step failing shows the log and dies, as meant
        rm -rf "$l2fwd_dir" && mkdir -p "$l2fwd_dir" &&
            cp "$l2fwd_src/main.c" "$l2fwd_src/Makefile" "$l2fwd_dir/" &&
            make -s -C "$l2fwd_dir" >"$l2fwd_dir.log" 2>&1 ||
            { cat "$l2fwd_dir.log" >&2; die "building DPDK's l2fwd example failed (log above)"; }
    else
        echo "bench-forward: using DPDK's l2fwd example built earlier: $l2fwd_bin"
    fi
fi

# --- the same conditions, as each tool spells them ------------------------------
# shellcheck disable=SC2054  # the commas are inside each --vdev argument, on purpose
vdevs=(--vdev net_null0,size=64,copy=0 --vdev net_null1,size=64,copy=0)
if [ "$no_huge" = yes ]; then
    mem=(--no-huge --no-shconf -m 256)
    np_mem=(--no-huge)
else
    mem=(--in-memory)
    np_mem=()   # numaperf's runtime always adds --in-memory
fi
eal_common=(--no-pci "${vdevs[@]}" "${mem[@]}" --log-level=lib.eal:warning)
# Each process its own runtime directory (telemetry socket): they may run at
# once. Its name (--file-prefix) is npbf-TOOL- padded with x's to a length
# drawn anew each round, the same for every tool of the round (16-63
# characters, new_prefixes()): the length of that name moves the process's
# memory layout, and the speed of a tool with it. Two runs of one
# numaperf-l2fwd build side by side (--only numaperf --base with the same
# build as both), named npbf-numaperf and npbf-base, gave numaperf/base
# 0.930-0.942 in six runs of 6-10 rounds, still 0.934-0.970 started one
# after another in a rotated order, 0.996-1.005 with one more environment
# variable set (which moves the layout of both).
# What moved with the name: glibc's heap, and in it the forwarding thread's
# DTV (the table __tls_get_addr reads, which net_null calls for every packet
# it frees), at offset 0xb00 of its page under the one name and 0xcd0 under
# the other, while every hugepage object stayed where it was; that this is
# the whole cause is not shown (this VM has no counters to show 4K-aliasing
# stalls). A fixed name per tool is one draw of such a layout for the whole
# benchmark: a new length each round makes each median one over many, and
# one length for all the tools of a round makes an A/B of two builds
# compare them on one layout at a time.
prefix_min=16   # npbf-testpmdlat-
prefix_max=63
declare -A prefix=()
new_prefixes() {
    local t p len=$((prefix_min + RANDOM % (prefix_max - prefix_min + 1)))
    for t in numaperf base nolat testpmd testpmdlat l2fwd; do
        p=npbf-$t-
        prefix[$t]=$p$(printf '%*s' $((len - ${#p})) '' | tr ' ' x)
    done
}
# A run's runtime directory, once it has ended (one per prefix: not left to pile up).
rm_runtime_dir() { [ -n "${prefix[$1]:-}" ] && rm -rf "/var/run/dpdk/${prefix[$1]}"; }
new_prefixes
numaperf_cmd=("$numaperf_bin" --config "$repo/config/examples/bench-null.ini"
              --lcores "$lcore" "${np_mem[@]}")
testpmd_cmd=("$testpmd_bin" -l "$main_lcore,$lcore" --main-lcore "$main_lcore" "${eal_common[@]}"
             --file-prefix=PREFIX
             -- -i --auto-start --forward-mode=macswap --nb-cores=1 --burst=32
             --rxq=1 --txq=1 --rxd=1024 --txd=1024 --mbcache=256 --total-num-mbufs=8192)
l2fwd_cmdline() {  # array name
    local -n _l2=$1
    _l2=("$l2fwd_bin" -l "$lcore" "${eal_common[@]}" --file-prefix="${prefix[l2fwd]}"
         -- -p 0x3 -q 2 -T 1)
}

# numaperf-l2fwd's --duration: long enough for the window's progress lines (a
# second each, a little more when the machine is busy); it is stopped by
# SIGINT after the last one.
np_duration=$((2 * (warmup + seconds) + 30))

# The exact command lines of one run, as run and as printed: ARRAY NAME ...
# numaperf-l2fwd from BINARY with more ARGS, in its own runtime directory.
np_cmdline() {  # array name binary [more numaperf-l2fwd arguments]
    local -n _np=$1
    local -a _main=("${np_main[@]}") _extra=()
    [ "$2" = base ] && _main=("${base_main[@]}") _extra=("${base_extra[@]}")
    _np=("$3" "${numaperf_cmd[@]:1}" "${_main[@]}" "${numaperf_extra[@]}" "${_extra[@]}"
          --duration "$np_duration" "${@:4}" -- --file-prefix="${prefix[$2]}")
}
# dpdk-testpmd in its own runtime directory, with more application ARGS.
tpmd_cmdline() {  # array name [more testpmd application arguments]
    local -n _tp=$1
    _tp=("${testpmd_cmd[@]/#--file-prefix=PREFIX/--file-prefix=${prefix[$2]}}" "${@:3}")
}

tmp=$(mktemp -d /tmp/bench-forward.XXXXXX) || die "cannot create a temporary directory"
# On any exit, also the runtime directories of a round cut short.
trap 'rm -rf "$tmp"; for t in "${!prefix[@]}"; do rm_runtime_dir "$t"; done' EXIT
trap 'exit 130' INT TERM

# Each run_* function runs in a subshell and starts one tool ($child): when
# the subshell ends, by failure or interruption, the tool ends with it.
child=
stop_child() {
    [ -n "$child" ] && kill -0 "$child" 2>/dev/null || return 0
    kill -INT "$child" 2>/dev/null
    timeout 5 tail --pid="$child" -f /dev/null || kill -KILL "$child" 2>/dev/null
}

fail_run() {  # what, output file
    echo "bench-forward: $1; its output ended with:" >&2
    tail -n 30 "$2" | tr -d '\033' >&2
    exit 1
}

# How often PATTERN occurs in FILE (0 while the file does not exist).
count() { local n; n=$(grep -a -c -- "$2" "$1" 2>/dev/null); echo "${n:-0}"; }

# Wait until PATTERN occurs COUNT times in FILE: 0 if it did, 1 if the process
# ended or the time ran out. Polls every 10 ms, so window edges are seen late
# by about that much.
wait_for() {  # file pattern count timeout_s pid
    local deadline=$((SECONDS + $4))
    while (( SECONDS < deadline )); do
        (( $(count "$1" "$2") >= $3 )) && return 0
        kill -0 "$5" 2>/dev/null || return 1
        sleep 0.01
    done
    return 1
}

# --together: say this tool forwards ($tmp/ready.NAME), then wait for the
# round's common window start ($tmp/t0, microseconds since the epoch, written
# once every tool is ready) and sleep until then.
window_start() {  # name
    local t0 deadline=$((SECONDS + 120)) now
    touch "$tmp/ready.$1"
    until [ -s "$tmp/t0" ]; do
        (( SECONDS < deadline )) || return 1
        sleep 0.01
    done
    read -r t0 <"$tmp/t0"
    now=${EPOCHREALTIME/./}
    (( t0 > now )) && sleep "$(awk -v d=$((t0 - now)) 'BEGIN { printf "%.6f", d / 1e6 }')"
    return 0
}

# --together: say this tool's window is over, and keep it forwarding until
# every tool's is: no window has a stretch where its tool ran alone.
window_end() {  # name
    local deadline=$((SECONDS + 3 * seconds + 60)) n
    [ "$together" = yes ] || return 0
    touch "$tmp/end.$1"
    while (( SECONDS < deadline )); do
        n=$(find "$tmp" -maxdepth 1 -name 'end.*' | wc -l)
        (( n >= ${#tools[@]} )) && return 0
        sleep 0.01
    done
}

# Wait at most S seconds for a process to end: 0 if it did.
wait_end() { timeout "$2" tail --pid="$1" -f /dev/null; }

# This monitoring subshell and its children (grep, sleep) run on the other
# CPU, not on the forwarding one. The tool was forked before, with its own.
off_fwd_cpu() { taskset -pc "$main_lcore" "$BASHPID" >/dev/null 2>&1 || true; }

# The forwarding thread of PID: the one pinned to the forwarding CPU alone.
fwd_tid() {
    local t
    for t in /proc/"$1"/task/*; do
        [ "$(awk '/^Cpus_allowed_list:/ {print $2}' "$t/status" 2>/dev/null)" = "$lcore" ] &&
            { echo "${t##*/}"; return 0; }
    done
    return 1
}

# "WALL_US RUN_NS" of thread TID of PID: the wall clock and the thread's time
# on a CPU (/proc/PID/task/TID/schedstat). Their ratio over a window is the
# share of the forwarding CPU the thread got: below 1 when others ran there.
sample() {
    local run rest
    read -r run rest <"/proc/$1/task/$2/schedstat" || return 1
    echo "${EPOCHREALTIME/./} $run"
}
share() {  # "w0 r0" "w1 r1"
    awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " ")
        printf "%.3f", (y[2] - x[2]) / 1e3 / (y[1] - x[1]) }'
}

run_np() {  # name binary [more numaperf-l2fwd arguments]
    local name=$1 out=$tmp/$1.out tid s0 s1 a=$warmup b mpps
    local re='^\[ *[0-9.]* s\] port0'
    local -a cmd
    np_cmdline cmd "$@"
    trap stop_child EXIT
    rm -f "$out"   # a new file: no line of the last run is read as this one's
    "${cmd[@]}" >"$out" 2>&1 &
    child=$!
    off_fwd_cpu
    # The loops start right after this line (flushed); progress line k
    # comes about k seconds later, with the rates of the second before it.
    wait_for "$out" "^forwarding on" 1 60 "$child" || {
        wait "$child"; fail_run "numaperf-l2fwd did not start forwarding (status $?)" "$out"; }
    tid=$(fwd_tid "$child") ||
        fail_run "cannot find numaperf-l2fwd's forwarding thread on CPU $lcore" "$out"
    if [ "$together" = yes ]; then
        window_start "$name" || fail_run "the other tools did not start" "$out"
        a=$(( $(count "$out" "$re") + 1 ))   # the window starts at the next line
    fi
    b=$((a + seconds))
    if (( a > 0 )); then
        wait_for "$out" "$re" "$a" $((warmup + 60)) "$child" ||
            fail_run "numaperf-l2fwd did not print $a progress lines" "$out"
    fi
    s0=$(sample "$child" "$tid") || fail_run "numaperf-l2fwd ended before its window" "$out"
    wait_for "$out" "$re" "$b" $((3 * seconds + 60)) "$child" ||
        fail_run "numaperf-l2fwd did not print $b progress lines" "$out"
    s1=$(sample "$child" "$tid")
    window_end "$name"
    kill -INT "$child"
    wait_end "$child" 60 || fail_run "numaperf-l2fwd did not stop on SIGINT" "$out"
    wait "$child" || fail_run "numaperf-l2fwd exited with status $?" "$out"
    child=
    # Lines a+1..b: each interval's TX rate of both ports times its length
    # (the line's time less the one before: 0 for line 1), over their sum.
    mpps=$(grep -a "$re" "$out" | awk -v a="$a" -v b="$b" '
        { t = substr($0, 2) + 0; r = 0
          for (i = 1; i < NF; i++) if ($i == "tx") r += $(i + 1)
          if (NR > a && NR <= b) { pk += r * (t - last); dt += t - last }
          last = t }
        END { if (NR < b || dt <= 0) exit 1; printf "%.3f", pk / dt }') ||
        fail_run "cannot read numaperf-l2fwd's progress lines $((a + 1))-$b" "$out"
    echo "$mpps $(share "$s0" "$s1")"
}

run_numaperf() { run_np numaperf "$numaperf_bin"; }
# The same run from another build: the baseline of an A/B (--base).
run_base() { run_np base "$base_bin"; }
# The same run without latency recording: the other side of its cost.
run_nolat() { run_np nolat "$numaperf_bin" --no-latency; }

run_testpmd() { run_tpmd testpmd; }
# The same with DPDK's own latency recording (rte_latencystats: an RX
# callback stamps each packet, a TX callback measures it), on the forwarding
# lcore: what testpmd pays for measuring latency.
run_testpmdlat() { run_tpmd testpmdlat "--latencystats=$lcore"; }

run_tpmd() {  # name [more testpmd application arguments]
    local name=$1 out=$tmp/$1.out fifo=$tmp/$1.in pps tid s0 s1
    local -a cmd
    tpmd_cmdline cmd "$@"
    trap stop_child EXIT
    rm -f "$fifo"; mkfifo "$fifo" || die "cannot create a fifo in $tmp"
    rm -f "$out"
    "${cmd[@]}" <"$fifo" >"$out" 2>&1 &
    child=$!
    exec 7>"$fifo"
    off_fwd_cpu
    # The prompt comes after --auto-start started forwarding (testpmd's stdout
    # is block-buffered into a file: its own lines may come later).
    wait_for "$out" "testpmd> " 1 60 "$child" ||
        fail_run "dpdk-testpmd did not start forwarding" "$out"
    tid=$(fwd_tid "$child") || fail_run "cannot find dpdk-testpmd's forwarding thread on CPU $lcore" "$out"
    if [ "$together" = yes ]; then
        window_start "$name" || fail_run "the other tools did not start" "$out"
    else
        sleep "$warmup"
    fi
    s0=$(sample "$child" "$tid")
    echo "show port stats all" >&7
    sleep "$seconds"
    echo "show port stats all" >&7
    s1=$(sample "$child" "$tid")
    window_end "$name"
    echo "quit" >&7
    exec 7>&-
    wait_end "$child" 60 || { kill "$child"; fail_run "dpdk-testpmd did not quit" "$out"; }
    wait "$child" || fail_run "dpdk-testpmd exited with status $?" "$out"
    child=
    # Four Tx-pps lines (two shows, two ports): the second show's are the window.
    pps=$(grep -a -o 'Tx-pps: *[0-9]*' "$out" | awk '{v[NR] = $2} END {
        if (NR != 4) exit 1; printf "%.3f", (v[3] + v[4]) / 1e6 }') ||
        fail_run "dpdk-testpmd did not print two 'show port stats' results" "$out"
    echo "$pps $(share "$s0" "$s1")"
}

run_l2fwd() {
    local out=$tmp/l2fwd.out mpps tid s0 s1 a=$((warmup + 1)) b
    local -a l2fwd_cmd
    l2fwd_cmdline l2fwd_cmd
    trap stop_child EXIT
    rm -f "$out"   # a new file: no line of the last run is read as this one's
    "${l2fwd_cmd[@]}" >"$out" 2>&1 &
    child=$!
    off_fwd_cpu
    if [ "$together" = yes ]; then
        wait_for "$out" "Total packets sent:" 1 60 "$child" ||
            fail_run "DPDK's l2fwd did not start forwarding" "$out"
        window_start l2fwd || fail_run "the other tools did not start" "$out"
        a=$(( $(count "$out" "Total packets sent:") + 1 ))   # the next print
    fi
    b=$((a + seconds))
    # Print 1 comes when the loop starts, print k about k - 1 seconds later.
    wait_for "$out" "Total packets sent:" "$a" $((warmup + 60)) "$child" ||
        fail_run "DPDK's l2fwd did not print $a statistics" "$out"
    # shellcheck disable=SC2015  # either step failing ends the run, as meant
    tid=$(fwd_tid "$child") && s0=$(sample "$child" "$tid") ||
        fail_run "cannot find DPDK l2fwd's forwarding thread on CPU $lcore" "$out"
    wait_for "$out" "Total packets sent:" "$b" $((3 * seconds + 60)) "$child" ||
        fail_run "DPDK's l2fwd did not print $b statistics" "$out"
    s1=$(sample "$child" "$tid")
    window_end l2fwd
    kill -INT "$child"
    wait_end "$child" 60 || { kill "$child"; fail_run "DPDK's l2fwd did not stop on SIGINT" "$out"; }
    wait "$child" || fail_run "DPDK's l2fwd exited with status $?" "$out"
    child=
    mpps=$(grep -a -o 'Total packets sent: *[0-9]*' "$out" |
           awk -v a="$a" -v b="$b" -v s="$seconds" \
               '{v[NR] = $4} END { if (NR < b) exit 1; printf "%.3f", (v[b] - v[a]) / s / 1e6 }') ||
        fail_run "cannot read DPDK's l2fwd statistics" "$out"
    echo "$mpps $(share "$s0" "$s1")"
}

# "MEDIAN MIN MAX LO HI" of the values: LO-HI is the median's 95% interval,
# distribution-free (order statistics: ranks n/2 -+ 1.96 sqrt(n)/2 of the
# sorted values, as the sign test gives it). Under 6 values even min-max
# holds the median with less than 95%: LO and HI are then "-".
stats() {
    printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        d = 1.96 * sqrt(NR) / 2
        j = int(NR / 2 - d + 0.5); k = int(NR / 2 + 1 + d + 0.5)
        if (j < 1) j = 1
        if (k > NR) k = NR
        if (NR < 6) printf "%.3f %.3f %.3f - -", m, v[1], v[NR]
        else printf "%.3f %.3f %.3f %.3f %.3f", m, v[1], v[NR], v[j], v[k] }'
}

declare -A label=([numaperf]="numaperf-l2fwd" [base]="numaperf-l2fwd (--base)" [nolat]="numaperf-l2fwd --no-latency" [testpmd]="dpdk-testpmd macswap" [testpmdlat]="dpdk-testpmd macswap --latencystats" [l2fwd]="DPDK l2fwd example")
declare -A mpps=() percpu=()

echo "bench-forward: $rounds round(s) of ${tools[*]}, ${seconds} s measured per run" \
     "after ${warmup} s of warm-up, forwarding on CPU $lcore," \
     "net_null pair (size=64, copy=0), burst 32, MAC swap (l2fwd: its MAC update)," \
     "$([ "$no_huge" = yes ] && echo "--no-huge" || echo "hugepages")"
echo "machine: $ncpu CPUs, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)," \
     "DPDK $(pkg-config --modversion libdpdk 2>/dev/null || echo '?'), load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commands:"
c=()
np_cmdline c numaperf "$numaperf_bin"
wants numaperf && echo "  numaperf: ${c[*]}   (SIGINT after progress line $((warmup + seconds)))"
np_cmdline c base "$base_bin"
wants base && echo "  base:     ${c[*]}   (the same)"
np_cmdline c nolat "$numaperf_bin" --no-latency
wants nolat && echo "  nolat:    ${c[*]}   (the same)"
tpmd_cmdline c testpmd
wants testpmd && echo "  testpmd:  ${c[*]}   (stdin: after ${warmup} s 'show port stats all', ${seconds} s later again, then 'quit')"
tpmd_cmdline c testpmdlat "--latencystats=$lcore"
wants testpmdlat && echo "  testpmdlat: ${c[*]}   (the same)"
l2fwd_cmdline c
wants l2fwd && echo "  l2fwd:    ${c[*]}   (SIGINT after print $((warmup + seconds)))"
echo "  (each --file-prefix: npbf-TOOL- and x's to $prefix_min-$prefix_max characters, one length" \
     "for all in a round, a new one each round: the name's length moves a tool's memory" \
     "layout, and its speed with it)"
echo "counted: numaperf = its progress lines' TX rates, lines $((warmup + 1))-$((warmup + seconds)), both ports; testpmd = Tx-pps" \
     "of its second 'show port stats all', both ports; l2fwd = its 'Total packets sent'" \
     "between prints ${warmup} and $((warmup + seconds)) (print 0 at its start), / ${seconds} s."
echo "cpu = the share of CPU $lcore the forwarding thread got over about the same window" \
     "(/proc schedstat); Mpps/cpu = Mpps / cpu, what it would do with the CPU to itself."

# --together: every tool of the round at once; the window starts $warmup s
# after the last one is forwarding. Prints "TOOL MPPS SHARE" per tool.
run_together() {
    local t pids=() ready deadline=$((SECONDS + 120))
    rm -f "$tmp"/ready.* "$tmp/t0" "$tmp"/res.* "$tmp"/end.*
    for t in "${tools[@]}"; do
        run_"$t" >"$tmp/res.$t" &
        pids+=($!)
    done
    while :; do
        ready=0
        for t in "${tools[@]}"; do [ -e "$tmp/ready.$t" ] && ready=$((ready + 1)); done
        (( ready == ${#tools[@]} )) && break
        for t in "${pids[@]}"; do
            kill -0 "$t" 2>/dev/null || { kill "${pids[@]}" 2>/dev/null; wait; return 1; }
        done
        (( SECONDS < deadline )) || { kill "${pids[@]}" 2>/dev/null; wait; return 1; }
        sleep 0.01
    done
    echo $(( ${EPOCHREALTIME/./} + warmup * 1000000 )) >"$tmp/t0.new" && mv "$tmp/t0.new" "$tmp/t0"
    for t in "${pids[@]}"; do wait "$t" || { kill "${pids[@]}" 2>/dev/null; wait; return 1; }; done
    for t in "${tools[@]}"; do echo "$t $(cat "$tmp/res.$t")"; done
}

for ((r = 1; r <= rounds; r++)); do
    declare -A res=()
    (( r > 1 )) && new_prefixes
    if [ "$together" = yes ]; then
        while read -r t v sh; do res[$t]="$v $sh"; done < <(run_together || echo FAIL)
    fi
    for t in "${tools[@]}"; do
        if [ "$together" = yes ]; then
            read -r v sh <<<"${res[$t]:-}"
            [ -n "${v:-}" ] || die "a tool failed in round $r (its output is above)"
        else
            read -r v sh < <(run_"$t"; echo) && [ -n "${v:-}" ] || exit 1
        fi
        n=$(awk -v m="$v" -v c="$sh" 'BEGIN { printf "%.3f", (c > 0) ? m / c : 0 }')
        mpps[$t]+="$v "
        percpu[$t]+="$n "
        printf 'round %d %-9s %8s Mpps  cpu %5.1f%%  %8s Mpps/cpu\n' "$r" "$t" "$v" \
            "$(awk -v c="$sh" 'BEGIN { print c * 100 }')" "$n"
        rm_runtime_dir "$t"
    done
done

echo "medians over $rounds round(s) (min-max):"
for t in "${tools[@]}"; do
    # shellcheck disable=SC2086
    read -r med lo hi _ < <(stats ${mpps[$t]})
    # shellcheck disable=SC2086
    read -r nmed nlo nhi _ < <(stats ${percpu[$t]})
    printf '  %-22s %8s Mpps  (%s-%s)   %8s Mpps/cpu  (%s-%s)\n' "${label[$t]}" \
        "$med" "$lo" "$hi" "$nmed" "$nlo" "$nhi"
done
# Median of a per-round figure of TOOL's value x and OTHER's y in one figure
# array, EXPR in awk (0 when either is 0): "MED MIN MAX LO HI".
per_round() {  # figure-array-name tool other expr
    local -n fig=$1
    local -a a b q=()
    read -r -a a <<<"${fig[$2]}"
    read -r -a b <<<"${fig[$3]}"
    for ((i = 0; i < ${#a[@]}; i++)); do
        q+=("$(awk -v x="${a[$i]}" -v y="${b[$i]}" "BEGIN { printf \"%.4f\", (x > 0 && y > 0) ? $4 : 0 }")")
    done
    stats "${q[@]}"
}
# Median of the per-round ratios TOOL / OTHER of one figure.
ratios() { per_round "$1" "$2" "$3" 'x / y'; }  # figure-array-name tool other
# A target against a median and its 95% interval: met when the whole
# interval is at or above it, NOT met when all of it is below, else
# undecided (the host cannot tell the median from the target: more rounds,
# or a quieter host).
verdict() {  # median lo hi target
    awk -v m="$1" -v lo="$2" -v hi="$3" -v t="$4" 'BEGIN {
        if (lo == "-") print "undecided (no 95% interval under 6 rounds)"
        else if (lo >= t) print "met"
        else if (hi < t) print "NOT met"
        else printf "undecided (median %s, its 95%% interval %s-%s holds %s)\n", m, lo, hi, t }'
}
# The interval as printed: "LO-HI", or why there is none.
interval() { if [ "$1" = - ]; then echo "none (under 6 rounds)"; else echo "$1-$2"; fi; }
ratio() {  # tool other target (- for none)
    local med lo hi clo chi nmed nlo nhi nclo nchi
    read -r med lo hi clo chi < <(ratios mpps "$1" "$2")
    read -r nmed nlo nhi nclo nchi < <(ratios percpu "$1" "$2")
    if [ "$3" = - ]; then
        # No target (the A/B): the per-round ratios' median and range, and the per
        # cpu median's interval.
        printf '  %s/%-8s median %s (%s-%s), per cpu %s (%s-%s), 95%% interval %s\n' \
            "$1" "$2" "$med" "$lo" "$hi" "$nmed" "$nlo" "$nhi" "$(interval "$nclo" "$nchi")"
        return
    fi
    if [ "$together" = yes ]; then
        # Sharing one CPU, Mpps says how the kernel split it: per cpu is the figure.
        printf '  %s/%-8s per cpu median %s (%s-%s), 95%% interval %s; target >= %s: %s\n' \
            "$1" "$2" "$nmed" "$nlo" "$nhi" "$(interval "$nclo" "$nchi")" "$3" \
            "$(verdict "$nmed" "$nclo" "$nchi" "$3")"
        return
    fi
    printf '  %s/%-8s median %s (%s-%s, 95%% interval %s), per cpu %s (%s-%s, 95%% interval %s); target >= %s: %s, per cpu %s\n' \
        "$1" "$2" "$med" "$lo" "$hi" "$(interval "$clo" "$chi")" "$nmed" "$nlo" "$nhi" \
        "$(interval "$nclo" "$nchi")" "$3" \
        "$(verdict "$med" "$clo" "$chi" "$3")" "$(verdict "$nmed" "$nclo" "$nchi" "$3")"
}
if wants numaperf && { wants testpmd || wants testpmdlat || wants l2fwd || wants nolat || wants base; }; then
    echo "ratios (median of the per-round ratios (min-max), the median's 95% interval):"
    if wants testpmd; then ratio numaperf testpmd 1.00; fi
    if wants l2fwd; then ratio numaperf l2fwd 1.10; fi
    # Both recording latency, each its own way: no target, a comparison.
    if wants testpmdlat; then ratio numaperf testpmdlat -; fi
    # The A/B: no target, a ratio (above 1: this build is faster).
    if wants base; then ratio numaperf base -; fi
    if wants nolat; then
        # Latency recording on vs off: under 3% lost is the target (>= 0.97).
        ratio numaperf nolat 0.97
        # Its cost per packet: the difference of the per-packet times (1000/Mpps
        # per cpu) round by round, and their median. (The difference of the two
        # tools' medians is not one: in a run whose host slowed for some rounds
        # it came out negative.)
        read -r cmed clo chi cilo cihi < <(per_round percpu numaperf nolat '1000 / x - 1000 / y')
        printf '  latency recording: %s ns per packet (%s to %s), 95%% interval %s (per round: 1000/Mpps per cpu, numaperf - nolat)\n' \
            "$(printf '%.2f' "$cmed")" "$(printf '%.2f' "$clo")" "$(printf '%.2f' "$chi")" \
            "$(if [ "$cilo" = - ]; then echo "none (under 6 rounds)"; else printf '%.2f to %.2f' "$cilo" "$cihi"; fi)"
    fi
fi
# Without latency recording numaperf-l2fwd does the work testpmd and l2fwd do
# (and counts where each mbuf came from): the like-for-like comparison.
if wants nolat && { wants testpmd || wants l2fwd; }; then
    echo "ratios without latency recording (the references record none):"
    if wants testpmd; then ratio nolat testpmd 1.00; fi
    if wants l2fwd; then ratio nolat l2fwd 1.10; fi
fi
# The host's speed, round by round: this shared host has spells in which
# every tool slows together (to 50-75% of its usual Mpps/cpu), and in
# them the ratios shrink towards 1, the like-for-like ones too, as if each
# packet cost every tool the same extra time (in the PMD and mempool code
# all the tools share). The run's rounds in thirds by speed (the mean
# Mpps/cpu of all the round's tools, so that no one tool's own noise sorts
# them), with each third's speed and the ratios' medians over its rounds:
# how a verdict above came out, said by the run itself. A description, not
# a verdict: the verdicts read every round.
by_host_speed() {
    local -a pairs=() args=()
    local t
    for t in testpmd l2fwd nolat base; do wants "$t" && pairs+=("numaperf/$t"); done
    if wants nolat; then for t in testpmd l2fwd; do wants "$t" && pairs+=("nolat/$t"); done; fi
    for t in "${tools[@]}"; do args+=("$t=${percpu[$t]}"); done
    echo "by host speed (the rounds in thirds by their tools' mean Mpps/cpu; medians of the" \
         "per-round ratios in each, no verdict):"
    awk -v pairs="${pairs[*]}" -v tools="${tools[*]}" '
    function sort(a, n,    i, j, t) {   # insertion sort: at most a few hundred rounds
        for (i = 2; i <= n; i++)
            for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    }
    function med(a, n,    b, i) {
        for (i = 1; i <= n; i++) b[i] = a[i]
        sort(b, n)
        return (n % 2) ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2
    }
    BEGIN {
        nt = split(tools, tl, " ")
        np = split(pairs, pl, " ")
        for (i = 1; i < ARGC; i++) {
            split(ARGV[i], kv, "="); nr = split(kv[2], v, " ")
            for (r = 1; r <= nr; r++) x[kv[1], r] = v[r]
        }
        # Rounds by mean speed, slowest first: order[k] is a round number.
        for (r = 1; r <= nr; r++) {
            m[r] = 0
            for (i = 1; i <= nt; i++) m[r] += x[tl[i], r] / nt
            order[r] = r
        }
        for (i = 2; i <= nr; i++)
            for (j = i; j > 1 && m[order[j - 1]] > m[order[j]]; j--) {
                t = order[j]; order[j] = order[j - 1]; order[j - 1] = t
            }
        hdr = sprintf("  %-14s %6s %10s", "rounds", "n", "Mpps/cpu")
        for (k = 1; k <= np; k++) hdr = hdr sprintf(" %16s", pl[k])
        print hdr
        split("slowest third,middle third,fastest third", name, ",")
        for (g = 3; g >= 1; g--) {
            lo = int((g - 1) * nr / 3) + 1; hi = int(g * nr / 3); n = 0
            for (k = lo; k <= hi; k++) { n++; rr[n] = order[k]; mm[n] = m[order[k]] }
            line = sprintf("  %-14s %6d %10.1f", name[g], n, med(mm, n))
            for (k = 1; k <= np; k++) {
                split(pl[k], ab, "/")
                for (i = 1; i <= n; i++)
                    q[i] = x[ab[2], rr[i]] > 0 ? x[ab[1], rr[i]] / x[ab[2], rr[i]] : 0
                line = line sprintf(" %16.3f", med(q, n))
            }
            print line
        }
    }' "${args[@]}"
}
if [ "$together" = yes ] && wants numaperf && (( rounds >= 6 )) &&
   { wants testpmd || wants l2fwd || wants nolat || wants base; }; then
    by_host_speed
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg) (on a shared machine, Mpps move with it;" \
     "Mpps/cpu less so)"
