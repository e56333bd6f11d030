#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The worker loops are compiled as hot code.

Their one caller, lcore_loop(), calls each right after an NP_LOG(), and DPDK
declares rte_log() cold: without __rte_hot GCC took the loops for code that
hardly runs and put them in .text.unlikely, unaligned and optimized for size
(side by side, hot: 1.003 and 1.008 times as fast, bench-forward.sh --base).
GNU ld places .text.unlikely input sections first in .text, with the
functions' ".cold" parts, so a loop that lies below the last ".cold" part is
cold code. Prints TAP.
usage: hot_code.py LIBNUMAPERF_SO"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import check, done, skip  # noqa: E402

lib = sys.argv[1]
syms = {}
for line in subprocess.run(["nm", lib], capture_output=True, text=True, check=True).stdout.splitlines():
    f = line.split()
    if len(f) == 3 and f[1] in "tT":
        syms[f[2]] = int(f[0], 16)
cold = [a for n, a in syms.items() if n.endswith(".cold")]
loops = [n for n in ("loop_plain", "loop_any", "loop_plain_avx2") if n in syms]
check({"loop_plain", "loop_any"} <= set(loops), "the worker loops are in %s's symbol table"
      % os.path.basename(lib), sorted(syms)[:50])
if not cold:
    skip("hot loops", "no .cold part in %s: nothing tells where GCC's unlikely code ends" % lib)
else:
    last = max(cold)
    for n in loops:
        check(syms[n] > last, "%s lies above the cold code (at %#x, last .cold part at %#x)"
              % (n, syms[n], last))
done()
