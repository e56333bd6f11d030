# shellcheck shell=bash
# SPDX-License-Identifier: BSD-3-Clause
# Sourced by scripts/sanitize.sh and scripts/fuzz.sh: the one sanitizer build
# they share and the sanitizer settings of every run in it.
#
# The build (default ./build-asan, or $NP_ASAN_BUILD) is clang with
# AddressSanitizer + UndefinedBehaviorSanitizer on everything, plus
# libFuzzer's coverage instrumentation (-fsanitize=fuzzer-no-link), so the
# same objects serve the fuzz targets and the sanitized test suites: one
# build in CI, not two. -Db_lundef=false because the sanitizer runtimes
# resolve symbols at load time.

NP_ASAN_BUILD=${NP_ASAN_BUILD:-build-asan}
NP_ASAN_PACKAGES=(clang libclang-rt-14-dev)

asan_say() { printf '%s: %s\n' "${NP_ASAN_WHO:-asan}" "$*"; }

# Install clang and its sanitizer/libFuzzer runtimes if missing, with
# scripts/setup.sh's rules (root only, NP_SKIP_APT=1 forbids it).
asan_packages() {
    local missing=() p
    for p in "${NP_ASAN_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "${NP_SKIP_APT:-0}" = 1 ] || [ "$(id -u)" -ne 0 ]; then
        asan_say "missing ${missing[*]}: apt-get install -y ${missing[*]} (as root)" >&2
        return 1
    fi
    asan_say "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" \
        >/tmp/numaperf-asan-apt.log 2>&1 || {
        tail -20 /tmp/numaperf-asan-apt.log >&2
        asan_say "apt-get install failed: see /tmp/numaperf-asan-apt.log" >&2
        return 1
    }
}

# Configure once, then build.
asan_build() {
    asan_packages || return 1
    if [ ! -f "$NP_ASAN_BUILD/build.ninja" ]; then
        CC=clang meson setup "$NP_ASAN_BUILD" -Db_sanitize=address,undefined \
            -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link >/dev/null || {
            asan_say "meson setup $NP_ASAN_BUILD failed" >&2
            return 1
        }
    fi
    meson compile -C "$NP_ASAN_BUILD" >/tmp/numaperf-asan-build.log 2>&1 || {
        tail -30 /tmp/numaperf-asan-build.log >&2
        asan_say "build failed: see /tmp/numaperf-asan-build.log" >&2
        return 1
    }
}

# Every report is fatal (undefined behaviour included, not only printed),
# with a stack. Leak suppressions: only DPDK's or hwloc's, each explained in
# tests/sanitize/lsan.supp; matching them needs whole stacks through those
# uninstrumented libraries, hence the slow unwinder at malloc.
asan_env() {
    local supp
    supp="$(pwd)/tests/sanitize/lsan.supp"
    export ASAN_OPTIONS="detect_leaks=1:fast_unwind_on_malloc=0:abort_on_error=0:print_summary=1${NP_ASAN_EXTRA:+:$NP_ASAN_EXTRA}"
    export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:print_summary=1"
    export LSAN_OPTIONS="suppressions=$supp:print_suppressions=0"
}
