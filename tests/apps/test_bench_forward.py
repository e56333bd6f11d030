#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""scripts/bench-forward.sh as a user runs it, in its smoke form (--quick: one
round of 1 s): it exits 0 and prints a figure for each of the three forwarders,
their medians, the two ratios and the commands it ran. The figures' values are
not checked: speed is never asserted in a test (DEVELOPERS.md); the machine is
shared. Bad arguments exit 2 with a message. Prints TAP.
usage: test_bench_forward.py BENCH_FORWARD_SH BUILD_DIR"""
import glob
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import check, done  # noqa: E402

script, build = sys.argv[1:3]


def run(*args, timeout=300):
    p = subprocess.run([script, "--build", build] + list(args), capture_output=True,
                       text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


missing = [what for what, path in
           (("dpdk-testpmd (package dpdk)", "/usr/bin/dpdk-testpmd"),
            ("DPDK's l2fwd example (package dpdk-doc)",
             "/usr/share/dpdk/examples/l2fwd/main.c")) if not os.path.exists(path)]
if missing or (os.cpu_count() or 1) < 2:
    print("1..0 # SKIP %s" % ("missing: " + ", ".join(missing) if missing else
                              "testpmd needs 2 CPUs (a main and a forwarding lcore)"))
    sys.exit(0)

# --- bad arguments: exit 2, and the message names the argument ----------------
for args, says in ((["--rounds", "0"], "--rounds needs an integer >= 1, not '0'"),
                   (["--seconds", "1.5"], "--seconds needs an integer >= 1, not '1.5'"),
                   (["--only", "vpp"], "--only takes some of numaperf,nolat,testpmd,testpmdlat,l2fwd, not 'vpp'"),
                   (["--frobnicate"], "unknown argument '--frobnicate'"),
                   (["--base"], "--base needs a build directory"),
                   (["--base-arg", "--no-latency"], "--base-arg needs --base DIR"),
                   (["--base-arg"], "--base-arg needs an argument")):
    rc, out, err = run(*args, timeout=30)
    check(rc == 2 and says in err, "%s: exit 2, '%s'" % (" ".join(args), says),
          "rc=%d\n%s%s" % (rc, out, err))

# --- the smoke run ----------------------------------------------------------------
rc, out, err = run("--quick")
detail = "rc=%d\n%s\n%s" % (rc, out, err)
check(rc == 0, "--quick exits 0", detail)
num = r"[0-9]+\.[0-9]{3}"
for tool in ("numaperf", "nolat", "testpmd", "l2fwd"):
    check(re.search(r"^round 1 %s +%s Mpps +cpu +[0-9.]+%% +%s Mpps/cpu$" % (tool, num, num),
                    out, re.M) is not None, "a round-1 figure for %s" % tool, detail)
for label in ("numaperf-l2fwd", "numaperf-l2fwd --no-latency", "dpdk-testpmd macswap",
              "DPDK l2fwd example"):
    check(re.search(r"^  %s +%s Mpps  \(%s-%s\) +%s Mpps/cpu  \(%s-%s\)$"
                    % (re.escape(label), num, num, num, num, num, num), out, re.M) is not None,
          "the median of %s with its min-max" % label, detail)
# One round: no 95% interval of a median, so no verdict either way.
none = r"95% interval none \(under 6 rounds\)"
undecided = r"undecided \(no 95% interval under 6 rounds\)"
for other, target in (("testpmd", "1.00"), ("l2fwd", "1.10"), ("nolat", "0.97")):
    check(re.search(r"^  numaperf/%s +median %s \(%s-%s, %s\), per cpu %s \(%s-%s, %s\); target >= %s: "
                    r"%s, per cpu %s$" % (other, num, num, num, none, num, num, num, none, target,
                                          undecided, undecided),
                    out, re.M) is not None, "the ratio numaperf/%s and its target, undecided "
          "in one round" % other, detail)
for other, target in (("testpmd", "1.00"), ("l2fwd", "1.10")):
    check(re.search(r"^  nolat/%s +median %s \(%s-%s, %s\), per cpu %s \(%s-%s, %s\); target >= %s: "
                    r"%s, per cpu %s$" % (other, num, num, num, none, num, num, num, none, target,
                                          undecided, undecided),
                    out, re.M) is not None, "the ratio nolat/%s (no latency recorded) and its target"
          % other, detail)
# numaperf-l2fwd keeps its main lcore apart on the CPU testpmd's main lcore takes.
np_line = re.search(r"^  numaperf: \S*numaperf-l2fwd --config \S*bench-null.ini --lcores (\d+) "
                    r"--main-lcore (\d+) --duration 34 -- --file-prefix=(npbf-numaperf-x*) ", out, re.M)
tp_line = re.search(r"^  testpmd: +\S*dpdk-testpmd -l (\d+),(\d+) --main-lcore (\d+) "
                    r".*--file-prefix=(npbf-testpmd-x*) "
                    r".*--forward-mode=macswap --nb-cores=1 --burst=32", out, re.M)
check(np_line is not None and tp_line is not None
      and np_line.group(2) == tp_line.group(3) != np_line.group(1) == tp_line.group(2)
      and re.search(r"^  l2fwd: +\S*dpdk-examples/l2fwd/build/l2fwd -l \d+ .*-p 0x3 -q 2 -T 1",
                    out, re.M) is not None,
      "the three command lines are printed", detail)
# Each tool's runtime directory has a name of a new length each round (the
# length moves the layout, and the speed, of the process), one length for all
# the tools of a round, and none is left.
check(re.search(r"^  \(each --file-prefix: npbf-TOOL- and x's to 16-63 characters, one length "
                r"for all in a round, a new one each round", out, re.M) is not None
      and np_line is not None and tp_line is not None
      and 16 <= len(np_line.group(3)) == len(tp_line.group(4)) <= 63
      and not glob.glob("/var/run/dpdk/npbf-*"),
      "file prefixes of a new length each round, their runtime directories removed", detail)
# One round: its 1000/Mpps-per-cpu difference is the median, the min and the max.
cost = re.search(r"^  latency recording: (-?[0-9.]+) ns per packet \((-?[0-9.]+) to (-?[0-9.]+)\), "
                 r"95% interval none \(under 6 rounds\) \(per round: 1000/Mpps per cpu, "
                 r"numaperf - nolat\)$", out, re.M)
pc = dict(re.findall(r"^round 1 (numaperf|nolat) .* (%s) Mpps/cpu$" % num, out, re.M))
check(cost is not None and len(pc) == 2 and len(set(cost.groups())) == 1 and
      abs(float(cost.group(1)) - (1000 / float(pc["numaperf"]) - 1000 / float(pc["nolat"]))) < 0.006,
      "the cost of latency recording per packet, from the round's own figures", detail)
check(os.access(os.path.join(build, "dpdk-examples", "l2fwd", "build", "l2fwd"), os.X_OK),
      "DPDK's l2fwd example was built into the build directory", detail)

# --only: one tool, and no ratio without numaperf and a reference.
rc, out, err = run("--quick", "--only", "testpmd")
check(rc == 0 and re.search(r"^round 1 testpmd ", out, re.M) is not None
      and "round 1 numaperf" not in out and "ratios" not in out,
      "--only testpmd runs testpmd alone and prints no ratio", "rc=%d\n%s\n%s" % (rc, out, err))

# testpmdlat: testpmd recording latency (--latencystats on the forwarding
# lcore), and the ratio to numaperf as the demo runs (no target).
rc, out, err = run("--quick", "--only", "numaperf,testpmdlat")
detail = "rc=%d\n%s\n%s" % (rc, out, err)
check(rc == 0 and re.search(r"^round 1 testpmdlat +%s Mpps " % num, out, re.M) is not None
      and re.search(r"^  testpmdlat: \S*dpdk-testpmd .*--file-prefix=npbf-testpmdlat-x* .*"
                    r"--forward-mode=macswap .*--latencystats=\d+ ", out, re.M) is not None
      and re.search(r"^  numaperf/testpmdlat +median %s \(%s-%s\), per cpu %s \(%s-%s\), %s$"
                    % (num, num, num, num, num, num, none), out, re.M) is not None
      and "round 1 testpmd " not in out,
      "--only numaperf,testpmdlat: testpmd with --latencystats, and numaperf/testpmdlat", detail)

# --base: numaperf-l2fwd of another build, side by side, and the A/B ratio (no
# target); here the same build on both sides. A directory without it: exit 1.
rc, out, err = run("--quick", "--only", "numaperf", "--base", build)
detail = "rc=%d\n%s\n%s" % (rc, out, err)
check(rc == 0 and re.search(r"^round 1 base +%s Mpps " % num, out, re.M) is not None
      and re.search(r"^  base: +%s\S* --config " % re.escape(os.path.realpath(build)), out, re.M)
      is not None
      and re.search(r"^  numaperf/base +median %s \(%s-%s\), per cpu %s \(%s-%s\), %s$"
                    % (num, num, num, num, num, num, none), out, re.M) is not None,
      "--base runs the other build's numaperf-l2fwd too and prints numaperf/base", detail)
# A base built before --main-lcore existed (its --help does not list it) runs
# without it, and the script says so.
with tempfile.TemporaryDirectory() as old:
    os.makedirs(os.path.join(old, "apps", "l2fwd"))
    wrapper = os.path.join(old, "apps", "l2fwd", "numaperf-l2fwd")
    with open(wrapper, "w") as f:
        f.write("#!/bin/sh\n[ \"$1\" = --help ] && { %s --help 2>&1 | grep -v -- "
                "--main-lcore; exit 0; }\nexec %s \"$@\"\n"
                % ((os.path.join(os.path.realpath(build), "apps", "l2fwd", "numaperf-l2fwd"),) * 2))
    os.chmod(wrapper, 0o755)
    rc, out, err = run("--quick", "--only", "numaperf", "--base", old)
    base_line = re.search(r"^  base: .*$", out, re.M)
    check(rc == 0 and "the base build has no --main-lcore: it forwards on its main lcore" in err
          and base_line is not None and "--main-lcore" not in base_line.group(0)
          and re.search(r"^round 1 base +%s Mpps " % num, out, re.M) is not None,
          "--base of a build without --main-lcore: run without it, and said",
          "rc=%d\n%s\n%s" % (rc, out, err))
rc, out, err = run("--quick", "--base", "/nonexistent-build", timeout=30)
check(rc == 1 and "--base /nonexistent-build: /nonexistent-build/apps/l2fwd/numaperf-l2fwd "
      "is not built" in err, "--base with no build there: exit 1, says what is missing",
      "rc=%d\n%s\n%s" % (rc, out, err))

# --together: the tools forward at once, sharing the CPU; the ratio is per
# cpu. Six rounds, the fewest with a 95% interval of the median: the
# interval lies within the rounds' range around the median, and the verdict
# is the one the interval gives (the figures themselves are not judged).
rc, out, err = run("--together", "--rounds", "6", "--seconds", "1", "--only", "numaperf,testpmd")
detail = "rc=%d\n%s\n%s" % (rc, out, err)
check(rc == 0 and re.search(r"^round 1 numaperf +%s Mpps +cpu +[0-9.]+%% +%s Mpps/cpu$"
                            % (num, num), out, re.M) is not None
      and re.search(r"^round 6 testpmd ", out, re.M) is not None,
      "--together runs both at once, six rounds", detail)
m = re.search(r"^  numaperf/testpmd +per cpu median (%s) \((%s)-(%s)\), 95%% interval (%s)-(%s); "
              r"target >= 1.00: (met|NOT met|undecided \(median (%s), its 95%% interval (%s)-(%s) "
              r"holds 1.00\))$" % ((num,) * 8), out, re.M)
if m:
    med, lo, hi, clo, chi = (float(m.group(i)) for i in range(1, 6))
    want = "met" if clo >= 1.0 else "NOT met" if chi < 1.0 else "undecided"
    ok = lo <= clo <= med <= chi <= hi and m.group(6).split(" ")[0] == want.split(" ")[0] \
        and (want != "met" or m.group(6) == "met")
else:
    ok = False
check(ok, "--together: the per-cpu ratio with its median's 95% interval, and the verdict it "
      "gives", detail)
# The rounds in thirds by the mean Mpps/cpu of their tools, each third's
# median speed and ratio: recomputed here from the round lines.
per = {}
for r, t, v in re.findall(r"^round (\d+) (\S+) +\S+ Mpps +cpu +\S+%% +(%s) Mpps/cpu$" % num,
                          out, re.M):
    per.setdefault(int(r), {})[t] = float(v)


def median(v):
    v = sorted(v)
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2


order = sorted(per, key=lambda r: (per[r]["numaperf"] + per[r]["testpmd"]) / 2)
rows = re.findall(r"^  (fastest|middle|slowest) third +(\d+) +([0-9]+\.[0-9]) +(%s)$" % num, out,
                  re.M)
want_rows = []
for name, part in (("fastest", order[4:]), ("middle", order[2:4]), ("slowest", order[:2])):
    want_rows.append((name, len(part),
                      median([(per[r]["numaperf"] + per[r]["testpmd"]) / 2 for r in part]),
                      median([per[r]["numaperf"] / per[r]["testpmd"] for r in part])))
check(re.search(r"^by host speed \(the rounds in thirds", out, re.M) is not None and
      re.search(r"^  rounds +n +Mpps/cpu +numaperf/testpmd$", out, re.M) is not None and
      len(rows) == 3 and
      all(g[0] == w[0] and int(g[1]) == w[1] and abs(float(g[2]) - w[2]) < 0.06 and
          abs(float(g[3]) - w[3]) < 0.0011 for g, w in zip(rows, want_rows)),
      "--together: the rounds in thirds by host speed, each third's speed and median ratio "
      "as the round lines give them", "%s\nwant %s\n%s" % (rows, want_rows, detail))
shares = [float(x) for x in re.findall(r"^round 1 \S+ +\S+ Mpps +cpu +([0-9.]+)%", out, re.M)]
check(len(shares) == 2 and all(10 < x < 90 for x in shares),
      "--together: each got a part of the CPU, not all of it", detail)

done()
