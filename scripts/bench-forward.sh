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
# min-max, and the exact command lines. A command that prints figures: it
# asserts nothing about speed (DEVELOPERS.md: no timed tests).
#
# usage: scripts/bench-forward.sh [--rounds N] [--seconds S] [--warmup W]
#            [--quick] [--only LIST] [--lcore N] [--no-huge] [--build DIR]
#            [--numaperf-arg ARG]...
#
# What each tool counts, over what window:
#   numaperf  its report's TX total (packets the ports' TX queues accepted,
#             counted by the pipeline) over the loops' whole run (--duration S;
#             the report's own clock). No warm-up is cut: its first
#             milliseconds count, a bias against numaperf, not for it.
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
# Exit status: 0 figures printed, 1 a tool failed or is missing, 2 bad usage.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
rounds=5
seconds=5
warmup=1
only=numaperf,nolat,testpmd,l2fwd
lcore=1
no_huge=auto
build=$repo/build
numaperf_extra=()

usage() {
    sed -n '/^# usage:/,/^#            \[--numaperf-arg/p' "$0" | sed 's/^# \{0,1\}//'
    cat <<'EOF'
  --rounds N    rounds of the three tools, alternating (default 5)
  --seconds S   measured seconds per run, an integer (default 5)
  --warmup W    seconds testpmd and l2fwd forward before their window (default 1)
  --quick       a smoke run: 1 round of 1 s
  --only LIST   some of numaperf,nolat,testpmd,l2fwd (comma-separated)
  --lcore N     the forwarding CPU (default 1); testpmd's main lcore takes another
  --no-huge     run all three without hugepages (default: only if none are free)
  --build DIR   numaperf's meson build directory (default: build)
  --numaperf-arg ARG  one more argument for numaperf-l2fwd (repeatable), e.g.
                --numaperf-arg --no-latency where the demo records latency
EOF
}

die() { echo "bench-forward: $1" >&2; exit "${2:-1}"; }
posint() { [[ $2 =~ ^[0-9]+$ ]] && (( $2 >= ${3:-1} )) || die "$1 needs an integer >= ${3:-1}, not '$2'" 2; }

while (( $# )); do
    case $1 in
    --rounds) posint "$1" "${2-}"; rounds=$2; shift 2 ;;
    --seconds) posint "$1" "${2-}"; seconds=$2; shift 2 ;;
    --warmup) posint "$1" "${2-}" 0; warmup=$2; shift 2 ;;
    --quick) rounds=1; seconds=1; warmup=1; shift ;;
    --only) [[ ${2-} =~ ^(numaperf|nolat|testpmd|l2fwd)(,(numaperf|nolat|testpmd|l2fwd))*$ ]] ||
                die "--only takes some of numaperf,nolat,testpmd,l2fwd, not '${2-}'" 2
            only=$2; shift 2 ;;
    --lcore) posint "$1" "${2-}" 0; lcore=$2; shift 2 ;;
    --no-huge) no_huge=yes; shift ;;
    --build) [ -n "${2-}" ] || die "--build needs a directory" 2; build=$(realpath -m "$2"); shift 2 ;;
    --numaperf-arg) [ -n "${2-}" ] || die "--numaperf-arg needs an argument" 2
                    numaperf_extra+=("$2"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" 2 ;;
    esac
done
tools=()
for t in numaperf nolat testpmd l2fwd; do [[ ,$only, == *,$t,* ]] && tools+=("$t"); done
wants() { [[ ,$only, == *,$1,* ]]; }

# --- the machine -------------------------------------------------------------
ncpu=$(nproc)
(( lcore < ncpu )) || die "--lcore $lcore: this machine has CPUs 0-$((ncpu - 1))" 2
main_lcore=0; (( lcore == 0 )) && main_lcore=1
if wants testpmd && (( ncpu < 2 )); then
    die "testpmd needs a main lcore besides the forwarding one: this machine has 1 CPU"
fi
if [ "$no_huge" = auto ]; then
    free_pages=$(awk '/^HugePages_Free:/ {print $2}' /proc/meminfo)
    page_kb=$(awk '/^Hugepagesize:/ {print $2}' /proc/meminfo)
    # Each tool needs ~40 MB while it runs (one at a time): ask for 128 MB free.
    if grep -q " hugetlbfs " /proc/mounts && (( ${free_pages:-0} * ${page_kb:-0} >= 131072 )); then
        no_huge=no
    else
        no_huge=yes
        echo "bench-forward: fewer than 128 MB of free hugepages (or no hugetlbfs): all three run --no-huge"
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
if wants testpmd && [ -z "$testpmd_bin" ]; then
    die "dpdk-testpmd is missing: apt-get install -y dpdk"
fi
if wants l2fwd; then
    [ -f "$l2fwd_src/main.c" ] || die "DPDK's l2fwd example is missing ($l2fwd_src): apt-get install -y dpdk-doc"
    # Debian's packaged example, built once into the build directory with its
    # own Makefile (pkg-config libdpdk, -O3), never fetched.
    if [ ! -x "$l2fwd_bin" ] || [ "$l2fwd_src/main.c" -nt "$l2fwd_bin" ]; then
        echo "bench-forward: building DPDK's l2fwd example ($l2fwd_src, Debian dpdk-doc) into $l2fwd_dir with its Makefile (pkg-config libdpdk)"
        rm -rf "$l2fwd_dir" && mkdir -p "$l2fwd_dir" &&
            cp "$l2fwd_src/main.c" "$l2fwd_src/Makefile" "$l2fwd_dir/" &&
            make -s -C "$l2fwd_dir" >"$l2fwd_dir.log" 2>&1 ||
            { cat "$l2fwd_dir.log" >&2; die "building DPDK's l2fwd example failed (log above)"; }
    else
        echo "bench-forward: using DPDK's l2fwd example built earlier: $l2fwd_bin"
    fi
fi

# --- the same conditions, as each tool spells them ------------------------------
vdevs=(--vdev net_null0,size=64,copy=0 --vdev net_null1,size=64,copy=0)
if [ "$no_huge" = yes ]; then
    mem=(--no-huge --no-shconf -m 256)
    np_mem=(--no-huge)
else
    mem=(--in-memory)
    np_mem=()   # numaperf's runtime always adds --in-memory
fi
eal_common=(--no-pci "${vdevs[@]}" "${mem[@]}" --log-level=lib.eal:warning)
numaperf_cmd=("$numaperf_bin" --config "$repo/config/examples/bench-null.ini"
              --lcores "$lcore" --duration "$seconds" "${np_mem[@]}" "${numaperf_extra[@]}")
testpmd_cmd=("$testpmd_bin" -l "$main_lcore,$lcore" --main-lcore "$main_lcore" "${eal_common[@]}"
             -- -i --auto-start --forward-mode=macswap --nb-cores=1 --burst=32
             --rxq=1 --txq=1 --rxd=1024 --txd=1024 --mbcache=256 --total-num-mbufs=8192)
l2fwd_cmd=("$l2fwd_bin" -l "$lcore" "${eal_common[@]}" -- -p 0x3 -q 2 -T 1)

tmp=$(mktemp -d /tmp/bench-forward.XXXXXX) || die "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
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

run_numaperf() {  # [more numaperf-l2fwd arguments]
    local out=$tmp/numaperf.out line tid s0 s1
    trap stop_child EXIT
    rm -f "$out"   # a new file: no line of the last run is read as this one's
    "${numaperf_cmd[@]}" "$@" >"$out" 2>&1 &
    child=$!
    off_fwd_cpu
    # The loops start right after this line (flushed): the window's start.
    wait_for "$out" "^forwarding on" 1 60 "$child" || {
        wait "$child"; fail_run "numaperf-l2fwd did not start forwarding (status $?)" "$out"; }
    tid=$(fwd_tid "$child") && s0=$(sample "$child" "$tid") ||
        fail_run "cannot find numaperf-l2fwd's forwarding thread on CPU $lcore" "$out"
    # The loops stop on their own after S seconds, and the process soon
    # after: sample every 50 ms until then, and keep the last sample taken.
    local end=$(( ${s0%% *} + seconds * 1000000 )) s
    while s=$(sample "$child" "$tid" 2>/dev/null); do
        s1=$s
        (( ${s%% *} >= end )) && break
        sleep 0.05
    done
    [ -n "${s1:-}" ] || fail_run "numaperf-l2fwd ended before its CPU time could be read" "$out"
    wait_end "$child" 60 || fail_run "numaperf-l2fwd did not end" "$out"
    wait "$child" || fail_run "numaperf-l2fwd exited with status $?" "$out"
    child=
    line=$(grep -a '^total: ' "$out" | tail -n 1)
    [[ $line =~ \;\ ([0-9.]+)\ Mpps\ sent ]] ||
        fail_run "no 'total: ... Mpps sent' line in numaperf-l2fwd's report" "$out"
    echo "${BASH_REMATCH[1]} $(share "$s0" "$s1")"
}

# The same run without latency recording: the other side of its cost.
run_nolat() { run_numaperf --no-latency; }

run_testpmd() {
    local out=$tmp/testpmd.out fifo=$tmp/testpmd.in pps tid s0 s1
    trap stop_child EXIT
    rm -f "$fifo"; mkfifo "$fifo" || die "cannot create a fifo in $tmp"
    rm -f "$out"
    "${testpmd_cmd[@]}" <"$fifo" >"$out" 2>&1 &
    child=$!
    exec 7>"$fifo"
    off_fwd_cpu
    # The prompt comes after --auto-start started forwarding (testpmd's stdout
    # is block-buffered into a file: its own lines may come later).
    wait_for "$out" "testpmd> " 1 60 "$child" ||
        fail_run "dpdk-testpmd did not start forwarding" "$out"
    tid=$(fwd_tid "$child") || fail_run "cannot find dpdk-testpmd's forwarding thread on CPU $lcore" "$out"
    sleep "$warmup"
    s0=$(sample "$child" "$tid")
    echo "show port stats all" >&7
    sleep "$seconds"
    echo "show port stats all" >&7
    s1=$(sample "$child" "$tid")
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
    local out=$tmp/l2fwd.out mpps tid s0 s1 a=$((warmup + 1)) b=$((warmup + seconds + 1))
    trap stop_child EXIT
    rm -f "$out"   # a new file: no line of the last run is read as this one's
    "${l2fwd_cmd[@]}" >"$out" 2>&1 &
    child=$!
    off_fwd_cpu
    # Print 1 comes when the loop starts, print k about k - 1 seconds later.
    wait_for "$out" "Total packets sent:" "$a" $((warmup + 60)) "$child" ||
        fail_run "DPDK's l2fwd did not print $a statistics" "$out"
    tid=$(fwd_tid "$child") && s0=$(sample "$child" "$tid") ||
        fail_run "cannot find DPDK l2fwd's forwarding thread on CPU $lcore" "$out"
    wait_for "$out" "Total packets sent:" "$b" $((seconds + 60)) "$child" ||
        fail_run "DPDK's l2fwd did not print $b statistics" "$out"
    s1=$(sample "$child" "$tid")
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

# median, min and max of the arguments: "MED MIN MAX"
stats() {
    printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.3f %.3f %.3f", m, v[1], v[NR] }'
}

declare -A label=([numaperf]="numaperf-l2fwd" [nolat]="numaperf-l2fwd --no-latency" [testpmd]="dpdk-testpmd macswap" [l2fwd]="DPDK l2fwd example")
declare -A mpps=() percpu=()

echo "bench-forward: $rounds round(s) of ${tools[*]}, ${seconds} s measured per run" \
     "(testpmd and l2fwd after ${warmup} s of warm-up), forwarding on CPU $lcore," \
     "net_null pair (size=64, copy=0), burst 32, MAC swap (l2fwd: its MAC update)," \
     "$([ "$no_huge" = yes ] && echo "--no-huge" || echo "hugepages")"
echo "machine: $ncpu CPUs, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)," \
     "DPDK $(pkg-config --modversion libdpdk 2>/dev/null || echo '?'), load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commands:"
wants numaperf && echo "  numaperf: ${numaperf_cmd[*]}"
wants nolat && echo "  nolat:    ${numaperf_cmd[*]} --no-latency"
wants testpmd && echo "  testpmd:  ${testpmd_cmd[*]}   (stdin: after ${warmup} s 'show port stats all', ${seconds} s later again, then 'quit')"
wants l2fwd && echo "  l2fwd:    ${l2fwd_cmd[*]}   (SIGINT after print $((warmup + seconds)))"
echo "counted: numaperf = its report's TX total / its loops' run time; testpmd = Tx-pps" \
     "of its second 'show port stats all', both ports; l2fwd = its 'Total packets sent'" \
     "between prints ${warmup} and $((warmup + seconds)) (print 0 at its start), / ${seconds} s."
echo "cpu = the share of CPU $lcore the forwarding thread got over about the same window" \
     "(/proc schedstat); Mpps/cpu = Mpps / cpu, what it would do with the CPU to itself."

for ((r = 1; r <= rounds; r++)); do
    for t in "${tools[@]}"; do
        read -r v sh < <(run_"$t"; echo) && [ -n "${v:-}" ] || exit 1
        n=$(awk -v m="$v" -v c="$sh" 'BEGIN { printf "%.3f", (c > 0) ? m / c : 0 }')
        mpps[$t]+="$v "
        percpu[$t]+="$n "
        printf 'round %d %-9s %8s Mpps  cpu %5.1f%%  %8s Mpps/cpu\n' "$r" "$t" "$v" \
            "$(awk -v c="$sh" 'BEGIN { print c * 100 }')" "$n"
    done
done

echo "medians over $rounds round(s) (min-max):"
for t in "${tools[@]}"; do
    # shellcheck disable=SC2086
    read -r med lo hi < <(stats ${mpps[$t]})
    # shellcheck disable=SC2086
    read -r nmed nlo nhi < <(stats ${percpu[$t]})
    printf '  %-22s %8s Mpps  (%s-%s)   %8s Mpps/cpu  (%s-%s)\n' "${label[$t]}" \
        "$med" "$lo" "$hi" "$nmed" "$nlo" "$nhi"
done
# Median of the per-round ratios numaperf / OTHER of one figure: "MED MIN MAX".
ratios() {  # figure-array-name other
    local -n fig=$1
    local -a a b q=()
    read -r -a a <<<"${fig[numaperf]}"
    read -r -a b <<<"${fig[$2]}"
    for ((i = 0; i < ${#a[@]}; i++)); do
        q+=("$(awk -v x="${a[$i]}" -v y="${b[$i]}" 'BEGIN { printf "%.4f", (y > 0) ? x / y : 0 }')")
    done
    stats "${q[@]}"
}
ratio() {  # other target
    local med lo hi nmed nlo nhi
    read -r med lo hi < <(ratios mpps "$1")
    read -r nmed nlo nhi < <(ratios percpu "$1")
    printf '  numaperf/%-8s median %s (%s-%s), per cpu %s (%s-%s); target >= %s: %s, per cpu %s\n' \
        "$1" "$med" "$lo" "$hi" "$nmed" "$nlo" "$nhi" "$2" \
        "$(awk -v m="$med" -v t="$2" 'BEGIN { print (m >= t) ? "met" : "NOT met" }')" \
        "$(awk -v m="$nmed" -v t="$2" 'BEGIN { print (m >= t) ? "met" : "NOT met" }')"
}
if wants numaperf && { wants testpmd || wants l2fwd || wants nolat; }; then
    echo "ratios (median of the per-round ratios, min-max):"
    if wants testpmd; then ratio testpmd 1.00; fi
    if wants l2fwd; then ratio l2fwd 1.10; fi
    if wants nolat; then
        # Latency recording on vs off: under 3% lost is the target (>= 0.97).
        ratio nolat 0.97
        # Its cost per packet: the difference of the per-packet times, per cpu.
        # shellcheck disable=SC2086
        read -r on _ _ < <(stats ${percpu[numaperf]})
        # shellcheck disable=SC2086
        read -r off _ _ < <(stats ${percpu[nolat]})
        awk -v a="$on" -v b="$off" 'BEGIN { if (a > 0 && b > 0)
            printf "  latency recording: %.2f ns per packet (1000/Mpps per cpu, medians: %.2f - %.2f)\n",
                   1000 / a - 1000 / b, 1000 / a, 1000 / b }'
    fi
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg) (on a shared machine, Mpps move with it;" \
     "Mpps/cpu less so)"
