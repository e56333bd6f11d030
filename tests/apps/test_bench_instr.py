#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""scripts/bench-instr.sh: the instruction count of numaperf-l2fwd's
forwarding loop under callgrind. One build as both sides (--base) gives the
same figure (the count is deterministic: that is the script's point); the
run with --no-latency counts fewer instructions a packet than the run that
records latency (the count sees a hot-path difference); bad options exit 2
naming the option, a missing build exits 1 saying what to build. Figures are
printed, never compared with a speed (DEVELOPERS.md). Prints TAP.
usage: test_bench_instr.py SCRIPT BUILD_DIR"""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import check, done, skip  # noqa: E402

script, build = sys.argv[1:3]
FIG = re.compile(r"^(numaperf-l2fwd|base) \(.*?\)\s+(\d+\.\d\d) instructions/packet  "
                 r"\((\d+) over (\d+) packets\)$", re.M)


def run(*args, timeout=240):
    p = subprocess.run([script, *args], capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


if shutil.which("valgrind") is None:
    skip("bench-instr", "valgrind is missing: apt-get install -y valgrind")
else:
    rc, out, err = run("--seconds", "1", "--build", build, "--base", build)
    figs = {m.group(1): (float(m.group(2)), int(m.group(3)), int(m.group(4)))
            for m in FIG.finditer(out)}
    check(rc == 0 and set(figs) == {"numaperf-l2fwd", "base"}, "--base with the same build: "
          "exit 0, a figure for each side", out + err)
    check(all(20 < f[0] < 2000 and f[2] > 100000 for f in figs.values()),
          "each figure over more than 100000 packets, 20-2000 instructions a packet", figs)
    a, b = figs.get("numaperf-l2fwd", (0,))[0], figs.get("base", (-1,))[0]
    check(abs(a - b) <= 0.05 and re.search(r"^ratio numaperf/base: 1\.000\d", out, re.M),
          "one build twice: the same count to 0.05 instructions a packet, ratio 1.000",
          out)
    check(out.count("valgrind --tool=callgrind --toggle-collect=lcore_loop") == 2,
          "prints both command lines", out)
    rc, out2, err = run("--seconds", "1", "--build", build, "--numaperf-arg", "--no-latency")
    m = FIG.search(out2)
    check(rc == 0 and m is not None and float(m.group(2)) < a,
          "--no-latency counts fewer instructions a packet than recording latency (%s)" % a,
          out2 + err)

rc, out, err = run("--seconds", "0")
check(rc == 2 and "--seconds needs an integer >= 1, not '0'" in err, "--seconds 0: exit 2", err)
rc, out, err = run("--frobnicate")
check(rc == 2 and "unknown argument '--frobnicate'" in err, "unknown option: exit 2", err)
rc, out, err = run("--build", "/nonexistent-build")
check(rc == 1 and "/nonexistent-build/apps/l2fwd/numaperf-l2fwd is not built: meson setup"
      in err, "a build directory without numaperf-l2fwd: exit 1, says how to build it", err)
done()
