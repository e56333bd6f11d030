#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""bench-primitives smoke test: with its smallest settings it runs in well
under a second, prints every row of its table with a figure, says its sums
are exact and exits 0; bad options exit 2 naming the option. Figures are
never compared: this is a benchmark (DEVELOPERS.md), only its shape and
its arithmetic check are tested. Prints TAP.
usage: test_bench_primitives.py BENCH_PRIMITIVES"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import check, done  # noqa: E402

bench = sys.argv[1]


def run(*args):
    p = subprocess.run([bench] + list(args), capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


SMALL = ["--iterations", "1000", "--size-mb", "1", "--repeat", "1", "--threads-per-node", "1"]
rc, out, err = run(*SMALL)
check(rc == 0 and err == "", "smallest settings: exit 0, nothing on stderr",
      "rc=%d stderr=%s" % (rc, err))
FIG = r"\d+\.\d+( \(\d+\.\d+-\d+\.\d+\))?"  # median, or median (min-max)
rows = [
    (r"^numaperf bench-primitives: \d+ CPUs, \d+ NUMA nodes? with memory \([0-9,-]+\)", "header"),
    (r"^counter increment: ns of thread CPU time per increment, 1000 increments per thread,$",
     "counter table title"),
    (r"^median \(min-max\) of 1 runs; threads pinned to CPUs \d+", "counter table runs"),
    (r"^  sharded counter \(np_counter_inc, own line\) +" + FIG, "sharded counter row"),
    (r"^  one shared atomic \(__atomic_fetch_add\) +" + FIG, "shared atomic row"),
    (r"^  sums: exact \(every increment counted\)$", "sums exact"),
    (r"^np_sharded_local\(\): " + FIG + r" ns of CPU time per lookup", "np_sharded_local row"),
    (r"^prefault 1 MiB, interleave over nodes? [0-9,-]+, normal pages: GB/s", "prefault title"),
    (r"^  touch \(calling thread\) +" + FIG, "prefault touch row"),
    (r"^  parallel touch \(\d+ nodes? x 1 thread\) +" + FIG, "prefault parallel row"),
]
for pattern, what in rows:
    check(re.search(pattern, out, re.M) is not None, "prints the %s" % what, out)
check("WRONG" not in out, "no sum reported wrong", out)

bad = [
    (["--iterations", "0"], "bench-primitives: --iterations needs a positive number, got '0'"),
    (["--repeat", "1000000"], "bench-primitives: --repeat is at most"),
    (["--policy", "nowhere"], "bench-primitives: --policy is interleave, bind or local"),
    (["--pages", "4K"], "bench-primitives: --pages is normal, thp or 2M"),
    (["--bogus"], "usage: bench-primitives"),
    (["extra"], "bench-primitives: unexpected argument 'extra'"),
]
for args, msg in bad:
    rc, out, err = run(*args)
    check(rc == 2 and msg in err and out == "", "%s -> exit 2, \"%s\"" % (args, msg),
          "rc=%d stdout=%s stderr=%s" % (rc, out[:200], err))
rc, out, err = run("--help")
check(rc == 0 and out.startswith("usage: bench-primitives"), "--help: usage, exit 0")

done()
