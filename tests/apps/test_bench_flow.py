#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""bench-flow smoke test: --quick --rounds 1 runs the three figures side by
side (executor handoff against a bare ring, flow lookup against a bare
rte_hash, one shared table against per-node tables), prints each with its
ratio and exits 0; a bad option exits 2. Figures are never compared: a
benchmark prints them (DEVELOPERS.md). Prints TAP.
usage: test_bench_flow.py BENCH_FLOW"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import check, done  # noqa: E402

bench = sys.argv[1]


p = subprocess.Popen([bench, "--quick", "--rounds", "1", "--no-huge"], stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True)
try:
    out, err = p.communicate(timeout=240)
except subprocess.TimeoutExpired:
    p.kill()
    out, err = p.communicate()
check(p.returncode == 0, "--quick --rounds 1: exit 0", err[-2000:])
# Its EAL prefix is bench_flow_PID: np_eal_cleanup() removes the directory.
rundir = "%s/bench_flow_%d" % ("/var/run/dpdk" if os.getuid() == 0 else
                               os.path.join(os.environ.get("XDG_RUNTIME_DIR") or "/tmp", "dpdk"),
                               p.pid)
check(not os.path.exists(rundir), "EAL's runtime directory %s is gone at exit" % rundir)
N = r"\d+\.\d+"
for pat, what in [
        (r"bare rte_ring enqueue_burst \+ dequeue_burst \(pointers\) +" + N, "bare ring figure"),
        (r"np_exec_submit_burst \+ np_exec_poll \(mbufs\) +" + N, "executor mbuf figure"),
        (r"ratio mbuf handoff / bare ring: " + N + r"x \(" + N + "-" + N + r"\) per round "
         r"\(target <= 1\.20x: (met|NOT met)\); of the medians " + N + "x", "handoff ratio"),
        (r"bare rte_hash_lookup_bulk_data +" + N, "bare lookup figure"),
        (r"np_flow_lookup_burst +" + N, "flow lookup figure"),
        (r"throughput np / bare: " + N + r"x \(" + N + "-" + N + r"\) per round "
         r"\(target >= 0\.95x: (met|NOT met)\); of the medians " + N + "x", "lookup ratio"),
        (r"ratio shared / per-node: " + N + "x", "writers ratio")]:
    check(re.search(pat, out) is not None, "prints the %s" % what, out)
p = subprocess.run([bench, "--rounds", "0"], capture_output=True, text=True, timeout=30)
check(p.returncode == 2 and "--rounds" in p.stderr, "--rounds 0: exit 2 naming the option",
      p.stderr)
done()
