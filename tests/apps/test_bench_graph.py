#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""bench-graph as a user runs it, in its smoke form (--quick): numaperf's
pipeline and rte_graph forward on the same net_null pair in one process, each
engine prints a figure, the ratios to np are printed, and every mbuf is back
in its pool at the end. Values are not checked (no timed tests). Bad
arguments exit 2 with a message. Prints TAP.
usage: test_bench_graph.py BENCH_GRAPH"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import check, done, skip  # noqa: E402

bench = sys.argv[1]


def run(*args, timeout=120):
    p = subprocess.run([bench] + list(args), capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


for args, says in ((["--rounds", "0"], "--rounds needs an integer in 1-99, not '0'"),
                   (["--engines", "np,vpp"],
                    "--engines takes some of np,graph,graph-nostats,np-latency,bare, not 'np,vpp'"),
                   (["--slice", "-5"], "--slice needs an integer in 0-3600000, not '-5'"),
                   (["stray"], "unexpected argument 'stray'")):
    rc, out, err = run(*args)
    check(rc == 2 and says in err, "%s: exit 2, '%s'" % (" ".join(args), says),
          "rc=%d\n%s%s" % (rc, out, err))

if (os.cpu_count() or 1) < 2:
    skip("both engines forwarding on lcore 1", "needs 2 CPUs, this machine has %d"
         % (os.cpu_count() or 1))
    done()

# Hugepages if there are some (the runtime checks them before EAL), else --no-huge.
free = 0
with open("/proc/meminfo") as f:
    for line in f:
        if line.startswith("HugePages_Free:"):
            free = int(line.split()[1])
mem = [] if free >= 64 else ["--no-huge"]
rc, out, err = run("--quick", *mem)
detail = "rc=%d\n%s\n%s" % (rc, out, err)
check(rc == 0, "--quick %sexits 0" % " ".join(mem + [""]), detail)
num = r"[0-9]+\.[0-9]{3}"
for e in ("np", "graph", "graph-nostats", "np-latency"):
    check(re.search(r"^round 1 %s +%s Mpps +cpu +[0-9.]+%% +%s Mpps/cpu" % (re.escape(e), num, num),
                    out, re.M) is not None, "engine %s forwarded and printed a figure" % e,
          detail)
for e in ("graph", "graph-nostats", "np-latency"):
    check(re.search(r"^  %s/np +median %s \(%s-%s\), per cpu %s" % (re.escape(e), num, num, num, num),
                    out, re.M) is not None, "the ratio %s/np is printed" % e, detail)
# The bare loop (testpmd's macswap, nothing around it), on request only.
rc2, out2, err2 = run("--quick", "--engines", "np,bare", *mem)
detail2 = "rc=%d\n%s\n%s" % (rc2, out2, err2)
check(rc2 == 0 and re.search(r"^round 1 bare +%s Mpps" % num, out2, re.M) is not None
      and re.search(r"^  np/bare +median %s \(%s-%s\), per cpu %s" % (num, num, num, num),
                    out2, re.M) is not None and "graph-nostats" not in out2,
      "--engines np,bare: the bare loop forwards and np/bare is printed", detail2)
check(re.search(r"^pool \S+: 0 of [0-9]+ mbufs not back$", out, re.M) is not None
      and "ERROR" not in out, "every mbuf is back in its pool after both engines ran", detail)
check("graph: 0 packets refused by TX queues (freed); np: 0 dropped" in out,
      "net_null's TX refused nothing, the pipeline dropped nothing", detail)

done()
