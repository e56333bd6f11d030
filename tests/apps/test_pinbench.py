#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""pinbench as a user runs it, on this host and on described machines:

  - --help documents every option, configuration and exit status;
  - memory mode with a small buffer: local and unpinned run, placed and
    verified, with figures in a sane order (p50 <= p99 <= p99.9 <= max); on
    one node the remote and interleave configurations say exactly
    "not applicable: 1 NUMA node"; --json, --csv and --chart (PNG and SVG)
    are written and parse;
  - pipeline mode on a net_null pair (EAL in a child): local runs with its
    audit and locality, the rest is not applicable or not supported;
  - the dry run on tests/topologies/2node.xml and 4node-asym.xml names the
    right nodes: Y is the NEAREST other node (not the lowest), distances are
    read from the thread's node to the memory's;
  - bad input: each message and exit status;
  - refusals forced for real with seccomp (np-deny): a placement that cannot
    be what its name says is refused, reported with its reason and no figure,
    exit 3.

Figures are never compared with anything but each other: a benchmark, not a
timed test. Prints TAP.
usage: test_pinbench.py PINBENCH NP_DENY TOPOLOGY_DIR"""
import csv
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import check, done, skip  # noqa: E402

pinbench, np_deny, topo_dir = sys.argv[1:4]
tmp = tempfile.mkdtemp(prefix="np-pinbench-")
NODES = len(glob.glob("/sys/devices/system/node/node[0-9]*")) or 1
NA = "not applicable: 1 NUMA node"
CONFIGS = ["local", "remote-memory", "remote-cpu", "unpinned", "interleave"]
SMALL = ["--size", "4M", "--samples", "2000"]


def run(*args, env=None, prefix=(), timeout=120, stdout=subprocess.PIPE):
    e = dict(os.environ)
    e.pop("NP_TOPOLOGY", None)
    e.update(env or {})
    p = subprocess.run(list(prefix) + [pinbench] + list(args), stdout=stdout,
                       stderr=subprocess.PIPE, text=True, env=e, timeout=timeout)
    return p.returncode, p.stdout or "", p.stderr


def topo(name):
    return os.path.join(topo_dir, name)


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        return {"error": str(e)}


def by_name(doc):
    return {c["name"]: c for c in doc.get("configurations", [])}


def sane_latency(c):
    lat = c.get("latency_ns", {})
    keys = ["min", "p50", "p90", "p99", "p999", "max"]
    vals = [lat.get(k) for k in keys]
    return (lat.get("count", 0) > 0 and all(isinstance(v, (int, float)) and v > 0 for v in vals)
            and all(a <= b for a, b in zip(vals, vals[1:])))


# ---- --help --------------------------------------------------------------------------------
rc, out, err = run("--help")
check(rc == 0 and out.startswith("usage: pinbench") and err == "", "--help: usage, exit 0")
check(all(c in out for c in CONFIGS) and all(o in out for o in [
    "--mode", "--configs", "--home", "--away", "--size", "--pages", "--samples", "--hops",
    "--seed", "--duration", "--burst", "--no-huge", "--dry-run", "--topology", "--json",
    "--csv", "--chart"]), "--help names every option and configuration", out)
check(all(re.search(r"^(\s+|exit status: )%d " % s, out, re.M) for s in range(5)),
      "--help documents the exit statuses 0-4", out)

# ---- memory mode on this host ----------------------------------------------------------------
js, cs, chart = (os.path.join(tmp, n) for n in ("mem.json", "mem.csv", "chart"))
have_gnuplot = shutil.which("gnuplot") is not None
rc, out, err = run(*SMALL, "--json", js, "--csv", cs,
                   *(("--chart", chart) if have_gnuplot else ()))
check(rc == 0, "memory mode, 4 MiB, 2000 samples: exit 0", "rc=%d\n%s\n%s" % (rc, out, err))
doc = load_json(js)
cfg = by_name(doc)
check(doc.get("schema") == "numaperf/pinbench/1" and doc.get("mode") == "memory" and
      doc.get("exit_status") == 0 and list(cfg) == CONFIGS,
      "--json: schema, mode, exit status and the five configurations in order",
      json.dumps(doc)[:1500])
for name in ("local", "unpinned"):
    c = cfg.get(name, {})
    check(c.get("status") == "ran" and sane_latency(c) and c.get("hops_per_second", 0) > 0,
          "%s ran: ns per hop with p50 <= p99 <= p99.9 <= max, hops per second" % name,
          json.dumps(c)[:1500])
    pages = c.get("memory", {}).get("pages_by_node", {})
    check(c.get("memory", {}).get("policy") == "bind" and
          pages == {"0": c["memory"]["pages"]} and c["memory"]["pages"] == 1024,
          "%s: the 1024 pages of the buffer are all on node 0, as move_pages says" % name,
          json.dumps(c.get("memory"))[:600])
    check(c.get("numastat") and c["numastat"][0]["node"] == 0 and
          c["numastat"][0]["numa_hit"] > 0,
          "%s: numastat over the run is reported per node" % name, json.dumps(c)[:800])
loc = cfg.get("local", {})
check(loc.get("thread", {}).get("pinned") and loc["thread"]["ran_on_nodes"] == "0" and
      loc["thread"]["cpu"] is not None and loc["thread"]["ran_on_cpus"] == str(loc["thread"]["cpu"]),
      "local: the thread was pinned to one CPU of node 0 and seen only there",
      json.dumps(loc.get("thread")))
unp = cfg.get("unpinned", {})
check(unp.get("thread", {}).get("pinned") is False and unp["thread"]["ran_on_cpus"],
      "unpinned: not pinned, the CPUs it ran on are recorded", json.dumps(unp.get("thread")))
if NODES == 1:
    for name in ("remote-memory", "remote-cpu", "interleave"):
        c = cfg.get(name, {})
        check(c.get("status") == "not applicable" and c.get("reason") == NA and
              "latency_ns" not in c,
              "%s: \"%s\" in the JSON, and no figure" % (name, NA), json.dumps(c))
        check(re.search(r"^\[\d/5\] %s: %s$" % (name, NA), out, re.M) and
              re.search(r"^%s +%s$" % (name, NA), out, re.M),
              "%s: \"%s\" in the progress line and the table" % (name, NA), out)
else:
    for name in ("remote-memory", "remote-cpu", "interleave"):
        check(cfg.get(name, {}).get("status") == "ran", "%s ran on this %d-node host" %
              (name, NODES), json.dumps(cfg.get(name))[:800])
for i, name in enumerate(CONFIGS):
    check(re.search(r"^\[%d/5\] %s: " % (i + 1, name), out, re.M),
          "a progress line for %s" % name, out)
row = re.search(r"^local +CPU (\d+) \(node 0\) +node 0 +([\d.]+) +([\d.]+) +([\d.]+) +"
                r"([\d.]+) +([\d.]+) +n0 \d+/\d+/\d+$", out, re.M)
check(row and float(row.group(2)) <= float(row.group(3)) <= float(row.group(4)) <=
      float(row.group(5)), "the table's local row: thread, memory, p50 <= p99 <= p99.9 <= max, "
      "rate, numastat", out)

try:
    with open(cs, newline="") as f:
        rows = list(csv.DictReader(f))
except OSError as e:
    rows = []
check([r["configuration"] for r in rows] == CONFIGS and
      list(rows[0].keys())[:3] == ["mode", "configuration", "status"] and
      "reason" in rows[0] and "numa_hit" in rows[0],
      "--csv: a header and one row per configuration", str(rows)[:1500])
for r in rows:
    if r["status"] == "ran":
        ok = (r["unit"] == "ns per hop" and
              float(r["p50"]) <= float(r["p99"]) <= float(r["p999"]) <= float(r["max"]) and
              r["reason"] == "" and re.fullmatch(r"0:\d+", r["numa_hit"]) and
              float(r["rate_per_s"]) > 0)
    else:
        ok = r["reason"] == NA and r["p50"] == "" and r["rate_per_s"] == ""
    check(ok, "--csv row %s (%s): figures only for a run, a reason otherwise" %
          (r["configuration"], r["status"]), json.dumps(r))

if have_gnuplot:
    png, svg = chart + ".png", chart + ".svg"
    png_ok = os.path.exists(png) and os.path.getsize(png) > 1000 and \
        open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    svg_text = open(svg, errors="replace").read() if os.path.exists(svg) else ""
    check(png_ok, "--chart: a non-empty PNG", png)
    check("<svg" in svg_text and "</svg>" in svg_text and "local" in svg_text and
          "ns per hop (log scale)" in svg_text and "p99.9" in svg_text,
          "--chart: a non-empty SVG with the configurations, the log-scale axis label and "
          "the percentiles", svg_text[:500])
else:
    skip("--chart: PNG and SVG", "gnuplot missing: apt-get install -y gnuplot-nox "
         "(scripts/setup.sh does)")

# ---- every memory-mode option on a valid run ------------------------------------------------
rc, out, err = run("--mode", "memory", "--configs", "local", "--size", "4096KiB", "--pages",
                   "normal", "--samples", "300", "--hops", "8", "--seed", "7", "--json", js)
c = by_name(load_json(js)).get("local", {})
check(rc == 0 and c.get("status") == "ran" and c["latency_ns"]["count"] == 300 and
      c["memory"]["pages"] == 1024 and load_json(js)["parameters"] ==
      {"size_bytes": 4 << 20, "pages": "normal", "samples": 300, "hops_per_sample": 8,
       "seed": 7},
      "--size 4096KiB --hops 8 --seed 7 --samples 300: the run uses them", json.dumps(c)[:800])
thp = open("/sys/kernel/mm/transparent_hugepage/enabled").read() \
    if os.path.exists("/sys/kernel/mm/transparent_hugepage/enabled") else ""
if "[never]" not in thp and thp:
    rc, out, err = run("--configs", "local", "--size", "4M", "--samples", "200", "--pages", "thp",
                       "--json", js)
    check(rc == 0 and by_name(load_json(js)).get("local", {}).get("status") == "ran" and
          load_json(js)["parameters"]["pages"] == "thp", "--pages thp: runs", out + err)
else:
    skip("--pages thp", "transparent huge pages are disabled here")


def free_pages(size_kb):
    try:
        with open("/sys/devices/system/node/node0/hugepages/hugepages-%dkB/free_hugepages"
                  % size_kb) as f:
            return int(f.read())
    except (OSError, ValueError):
        return 0


if free_pages(2048) >= 8:
    rc, out, err = run("--configs", "local", "--size", "4M", "--samples", "200", "--pages", "2M",
                       "--json", js)
    c = by_name(load_json(js)).get("local", {})
    check(rc == 0 and c.get("status") == "ran" and c["memory"]["page_size"] == 2 << 20 and
          c["memory"]["pages_by_node"] == {"0": 2},
          "--pages 2M: two 2 MB pages, both on node 0", json.dumps(c)[:800])
else:
    skip("--pages 2M", "node 0 has %d free 2 MB hugepages" % free_pages(2048))
if free_pages(1048576) == 0:
    # Not a placement problem: no 1 GB page to take. Failed (exit 1), with the fix:
    # reserve one, or, on a kernel booted without a 1 GB pool, boot with one.
    pool_1g = os.path.isdir("/sys/kernel/mm/hugepages/hugepages-1048576kB")
    rc, out, err = run("--configs", "local", "--size", "4M", "--samples", "200", "--pages", "1G",
                       "--csv", cs)
    with open(cs, newline="") as f:
        rows = list(csv.DictReader(f))
    fix = (("1024 MB hugepages", "echo 1 >") if pool_1g else
           ("no 1024 MB hugepage pool", "boot with hugepagesz=1G"))
    check(rc == 1 and rows and rows[0]["status"] == "failed" and
          all(x in rows[0]["reason"] for x in fix) and
          # Its own terms: not the library's function name or advice on its strict flag.
          "NP_REGION_STRICT" not in rows[0]["reason"] and
          "np_region_create" not in rows[0]["reason"] and
          re.search(r"^\[1/1\] local: FAILED: the buffer could not be placed ", out, re.M),
          "--pages 1G with no free 1 GB page: failed (exit 1), saying how to get one (%s)"
          % ("reserve it" if pool_1g else "this kernel has no 1 GB pool: boot with one"),
          "rc=%d\n%s\n%s" % (rc, out, rows))
else:
    skip("--pages 1G without 1 GB pages", "node 0 has free 1 GB hugepages")
rc, out, err = run("--dry-run", "--size", "1G")
check(rc == 0 and "dry run (memory mode) on this machine" in out and
      re.search(r"^local: thread pinned to CPU \d+ on node 0 .*memory bound to node 0 \(1 GiB\)",
                out, re.M) and "p50" not in out, "--dry-run: this machine's plan, nothing measured",
      out + err)

# ---- gnuplot that fails: the chart is an output error (exit 4) -------------------------------
if have_gnuplot:
    fake = os.path.join(tmp, "fakebin")
    os.mkdir(fake)
    for name, body in (("fails", "cat >/dev/null; echo 'gnuplot: cannot' >&2; exit 3"),
                       ("garbage", "cat >/dev/null; echo not-an-image")):
        d = os.path.join(fake, name)
        os.mkdir(d)
        with open(os.path.join(d, "gnuplot"), "w") as f:
            f.write("#!/bin/sh\n%s\n" % body)
        os.chmod(os.path.join(d, "gnuplot"), 0o755)
    env_path = os.environ.get("PATH", "/usr/bin:/bin")
    rc, out, err = run(*SMALL, "--configs", "local", "--chart", chart + "-f",
                       env={"PATH": os.path.join(fake, "fails") + ":" + env_path})
    check(rc == 4 and "pinbench: --chart %s-f.png: gnuplot failed (exit status 3)" % chart in err
          and not os.path.exists(chart + "-f.png"),
          "--chart, gnuplot exits 3: exit 4, no file written", "rc=%d\n%s" % (rc, err))
    rc, out, err = run(*SMALL, "--configs", "local", "--chart", chart + "-g",
                       env={"PATH": os.path.join(fake, "garbage") + ":" + env_path})
    check(rc == 4 and "pinbench: --chart %s-g.png: gnuplot wrote 13 bytes that are not a PNG image"
          % chart in err and not os.path.exists(chart + "-g.png"),
          "--chart, gnuplot writes no image: exit 4, no file written", "rc=%d\n%s" % (rc, err))
else:
    skip("--chart with a failing gnuplot", "gnuplot missing")

# ---- dry runs on described machines ------------------------------------------------------
rc, out, err = run("--topology", topo("2node.xml"))
check(rc == 0 and "nothing is measured" in out and "p50" not in out and
      "home node X = 0: the lowest node with CPUs and memory" in out and
      re.search(r"^away node Y = 1: the nearest other node with CPUs and memory \(distance 21",
                out, re.M),
      "2node.xml dry run: X = 0, Y = 1 at distance 21, nothing measured", out + err)
expect = [
    r"^local: thread pinned to CPU 0 on node 0 \(CPUs 0-1\); memory bound to node 0 "
    r"\(256 MiB\); distance 10$",
    r"^remote-memory: thread pinned to CPU 0 on node 0 \(CPUs 0-1\); memory bound to node 1 "
    r"\(256 MiB\); distance 21$",
    r"^remote-cpu: thread pinned to CPU 2 on node 1 \(CPUs 2-3\); memory bound to node 0 "
    r"\(256 MiB\); distance 21$",
    r"^unpinned: thread not pinned \(the scheduler chooses among CPUs 0-3\); memory bound to "
    r"node 0",
    r"^interleave: thread pinned to CPU 0 on node 0 \(CPUs 0-1\); memory interleaved over "
    r"nodes 0-1 \(128 MiB each\)",
]
for pattern, name in zip(expect, CONFIGS):
    check(re.search(pattern, out, re.M), "2node.xml dry run: where %s goes" % name, out)

rc, out, err = run("--topology", topo("4node-asym.xml"))
check(rc == 0 and re.search(r"^away node Y = 1: the nearest other node .*distance 16 in node "
                            r"0's row", out, re.M),
      "4node-asym.xml: X = 0, Y = 1 (distance 16)", out + err)
for home, away, d in ((2, 3, 16), (3, 2, 16), (1, 0, 16)):
    rc, out, err = run("--topology", topo("4node-asym.xml"), "--home", str(home))
    check(rc == 0 and re.search(r"^home node X = %d: --home$" % home, out, re.M) and
          re.search(r"^away node Y = %d: the nearest other node with CPUs and memory "
                    r"\(distance %d in node %d's row\)$" % (away, d, home), out, re.M) and
          re.search(r"^remote-memory: .*on node %d .*memory bound to node %d .*distance %d$"
                    % (home, away, d), out, re.M),
          "4node-asym.xml --home %d: Y = %d, the nearest (not the lowest) other node" %
          (home, away), out + err)
# The matrix is asymmetric between 0 and 3: 28 from node 0's CPUs, 30 from node 3's.
rc, out, err = run("--topology", topo("4node-asym.xml"), "--away", "3")
check(rc == 0 and re.search(r"^remote-memory: thread pinned to CPU 0 on node 0 .*memory bound "
                            r"to node 3 .*distance 28$", out, re.M) and
      re.search(r"^remote-cpu: thread pinned to CPU 6 on node 3 .*memory bound to node 0 "
                r".*distance 30$", out, re.M),
      "4node-asym.xml --away 3: distances read from the thread's node (28 one way, 30 the "
      "other)", out + err)
rc, out, err = run("--topology", topo("4node-asym.xml"), "--mode", "pipeline", "--away", "3")
check(rc == 0 and re.search(r"^remote-memory: worker lcore pinned to CPU 0 on node 0 .*ports "
                            r"and mbuf pool on node 3; distance 28$", out, re.M) and
      re.search(r"^  plan: worker lcore 6 \(node 3\); net_null0 and net_null1 on node 0, "
                r"polled from node 3; mbuf pool on node 0$", out, re.M) and
      re.search(r"^unpinned: not supported in pipeline mode: ", out, re.M) and
      re.search(r"^interleave: not supported in pipeline mode: ", out, re.M),
      "4node-asym.xml pipeline dry run: the runtime's plan per configuration", out + err)
rc, out, err = run("--topology", topo("2node.xml"), "--away", "0")
check(rc == 0 and re.search(r"^remote-memory: .*memory bound to node 0 .*would be refused\)$",
                            out, re.M),
      "dry run with --away = --home: says the remote configurations would be refused", out)
rc, out, err = run(env={"NP_TOPOLOGY": topo("1node.xml")})
check(rc == 0 and "nothing is measured" in out and
      re.search(r"^remote-cpu: %s$" % NA, out, re.M) and
      re.search(r"^interleave: %s$" % NA, out, re.M),
      "$NP_TOPOLOGY names a described machine: a dry run; one node: not applicable", out + err)

# ---- bad input ------------------------------------------------------------------------------
bad = [
    (["--size", "abc"], 2, "pinbench: --size needs a size in bytes with an optional K, M or G "
                           "suffix (e.g. 256M), got 'abc'"),
    (["--size", "1K"], 2, "pinbench: --size 1K is below the smallest buffer, 4 KiB (one page)"),
    (["--size", "300G"], 2, "pinbench: --size 300G is above the largest buffer, 256 GiB"),
    (["--size", "255G"], 2, "pinbench: --size 255 GiB does not fit node 0 ("),
    (["--home", "7"], 2, "pinbench: --home 7: no such node; this machine has node"),
    (["--away", "9"], 2, "pinbench: --away 9: no such node; this machine has node"),
    (["--home", "x"], 2, "pinbench: --home needs a whole number from 0 to 1023, got 'x'"),
    (["--samples", "0"], 2, "pinbench: --samples needs a whole number from 1 to 1000000000, "
                            "got '0'"),
    (["--hops", "5000"], 2, "pinbench: --hops needs a whole number from 1 to 4096, got '5000'"),
    (["--mode", "fast"], 2, "pinbench: --mode is memory or pipeline, got 'fast'"),
    (["--configs", "local,nowhere"], 2, "pinbench: --configs: unknown configuration 'nowhere'"),
    (["--pages", "4K"], 2, "pinbench: --pages is normal, thp, 2M or 1G, got '4K'"),
    (["--duration", "0"], 2, "pinbench: --duration needs seconds above 0 and up to 3600, "
                             "got '0'"),
    (["--burst", "0"], 2, "pinbench: --burst needs a whole number from 1 to 256, got '0'"),
    (["--duration", "1"], 2, "pinbench: --duration is an option of pipeline mode: add --mode "
                             "pipeline, or leave it out"),
    (["--mode", "pipeline", "--size", "4M"], 2, "pinbench: --size is an option of memory mode "
                                                "(the pointer chase), not of --mode pipeline"),
    (["--bogus"], 2, "pinbench: unknown option '--bogus'"),
    (["--size"], 2, "pinbench: option --size needs a value"),
    (["extra"], 2, "pinbench: unexpected argument 'extra'"),
    (["--json", ""], 2, "pinbench: --json needs a file name"),
    (["--csv", ""], 2, "pinbench: --csv needs a file name"),
    (["--chart", ""], 2, "pinbench: --chart needs a file name"),
    (["--topology", ""], 2, "pinbench: --topology needs a file name or synthetic:DESC"),
    (["--size", "2X"], 2, "pinbench: --size needs a size in bytes with an optional K, M or G "
                          "suffix (e.g. 256M), got '2X'"),
    (["--size", "1T"], 2, "pinbench: --size 1T is above the largest buffer, 256 GiB"),
    (["--seed", "-1"], 2, "pinbench: --seed needs a whole number from 0 to 18446744073709551615, "
                          "got '-1'"),
    (["--topology", topo("2node.xml"), "--csv", "x.csv"], 2,
     "pinbench: --json, --csv and --chart report measurements; a dry run"),
    (["--topology", "/nonexistent/machine.xml"], 2,
     "pinbench: --topology: /nonexistent/machine.xml: no such topology file"),
    (["--topology", topo("cpu-no-memory.xml"), "--home", "1"], 2,
     "pinbench: --home 1: node 1 has no memory, so the buffer of local cannot be there; choose "
     "a node with memory (nodes with memory: 0)"),
    (["--topology", topo("memory-only.xml"), "--home", "2"], 2,
     "pinbench: --home 2: node 2 has no CPUs, so the thread of local cannot run there; choose "
     "a node with CPUs (nodes with CPUs: 0-1)"),
    (["--topology", topo("memory-only.xml"), "--away", "2"], 2,
     "pinbench: --away 2: node 2 has no CPUs, so the thread of remote-cpu cannot run there"),
    (["--topology", topo("2node.xml"), "--size", "2G"], 2,
     "pinbench: --size 2 GiB does not fit node 0 (1 GiB of memory), needed by local: give a "
     "smaller --size"),
]
for args, status, msg in bad:
    rc, out, err = run(*args)
    check(rc == status and msg in err and out == "",
          "%s -> exit %d, \"%s\"" % (" ".join(args).replace(topo_dir + "/", ""), status,
                                     msg[:70]), "rc=%d\nstdout=%s\nstderr=%s" % (rc, out, err))
rc, out, err = run("--configs", "local", "--chart", os.path.join(tmp, "c"),
                   env={"PATH": "/nonexistent"})
check(rc == 2 and "pinbench: --chart needs gnuplot, which is not on $PATH: apt-get install -y "
      "gnuplot-nox" in err and out == "", "--chart without gnuplot: exit 2 before measuring",
      "rc=%d %s %s" % (rc, out, err))

# ---- outputs that cannot be written: exit 4 -----------------------------------------------
if os.path.exists("/dev/full"):
    rc, out, err = run(*SMALL, "--configs", "local", "--json", "/dev/full")
    check(rc == 4 and "pinbench: --json /dev/full: could not write it: No space left on device"
          in err, "--json on a full disk: exit 4 and says so", "rc=%d\n%s" % (rc, err))
    rc, out, err = run(*SMALL, "--configs", "local", "--csv", "/dev/full")
    check(rc == 4 and "pinbench: --csv /dev/full: could not write it: No space left on device"
          in err, "--csv on a full disk: exit 4 and says so", "rc=%d\n%s" % (rc, err))
    if have_gnuplot:
        full = os.path.join(tmp, "full")
        os.symlink("/dev/full", full + ".png")
        rc, out, err = run(*SMALL, "--configs", "local", "--chart", full)
        check(rc == 4 and "pinbench: --chart %s.png: cannot write it: No space left on device"
              % full in err, "--chart on a full disk: exit 4 and says so",
              "rc=%d\n%s" % (rc, err))
        rc, out, err = run(*SMALL, "--configs", "local", "--chart", "/dev/full/x")
        check(rc == 4 and "pinbench: --chart /dev/full/x.png: cannot write it: Not a directory"
              in err, "--chart where no file can be made: exit 4 and says so",
              "rc=%d\n%s" % (rc, err))
    with open("/dev/full", "w") as full:
        rc, out, err = run(*SMALL, "--configs", "local", stdout=full)
    check(rc == 4 and "pinbench: could not write the report to standard output" in err,
          "standard output on a full disk: exit 4", "rc=%d\n%s" % (rc, err))
else:
    skip("outputs on a full disk", "no /dev/full")
rc, out, err = run(*SMALL, "--configs", "local", "--json", os.path.join(tmp, "no", "x.json"))
check(rc == 4 and "pinbench: --json %s: cannot create it: No such file or directory" %
      os.path.join(tmp, "no", "x.json") in err, "--json in a missing directory: exit 4",
      "rc=%d\n%s" % (rc, err))

# ---- refusals, forced with seccomp ---------------------------------------------------------
def denied(calls, *args):
    return run(*args, prefix=(np_deny, calls))


rc, out, err = denied("mbind", *SMALL, "--json", js)
if rc == 125:
    skip("refusals under seccomp", err.strip())
else:
    doc, cfg = load_json(js), by_name(load_json(js))
    check(rc == 3, "mbind refused: exit 3 (refused)", "rc=%d\n%s\n%s" % (rc, out, err))
    for name in ("local", "unpinned"):
        c = cfg.get(name, {})
        check(c.get("status") == "refused" and "latency_ns" not in c and
              "mbind(bind, nodes 0) was refused (EPERM" in c.get("reason", "") and
              re.search(r"^\[\d/5\] %s: REFUSED: the buffer could not be placed \(bind over "
                        r"node 0\): " % name, out, re.M) and
              re.search(r"^%s +REFUSED: " % name, out, re.M),
              "mbind refused: %s is refused with the reason, no figure" % name,
              json.dumps(c) + "\n" + out)
    check(doc.get("exit_status") == 3 and "refused: a configuration's placement was not what "
          "its name says" in out, "mbind refused: the JSON and the report say exit 3", out)

    rc, out, err = denied("sched_setaffinity", *SMALL, "--json", js)
    cfg = by_name(load_json(js))
    check(rc == 3 and cfg.get("local", {}).get("status") == "refused" and
          "could not be pinned to CPU" in cfg["local"].get("reason", "") and
          "sched_setaffinity" in cfg["local"]["reason"],
          "sched_setaffinity refused: local (pinned) is refused, exit 3", out + err)
    check(cfg.get("unpinned", {}).get("status") == "ran" and sane_latency(cfg["unpinned"]),
          "sched_setaffinity refused: unpinned (no pin asked) still runs and is reported",
          json.dumps(cfg.get("unpinned"))[:1000])

    rc, out, err = denied("move_pages", *SMALL, "--configs", "local", "--csv", cs)
    with open(cs, newline="") as f:
        rows = list(csv.DictReader(f))
    check(rc == 3 and rows and rows[0]["status"] == "refused" and rows[0]["p50"] == "" and
          rows[0]["reason"].startswith("where the pages are cannot be verified: "),
          "move_pages refused: the placement cannot be proved, so local is refused",
          "rc=%d\n%s\n%s" % (rc, out, rows))

    rc, out, err = denied("sched_setaffinity", "--mode", "pipeline", "--configs", "local",
                          "--duration", "0.2", "--no-huge")
    check(rc == 1 and re.search(r"^\[1/1\] local: FAILED: the bring-up failed: EAL did not "
                                r"start", out, re.M),
          "pipeline mode, sched_setaffinity refused: EAL cannot pin its lcore: failed, exit 1",
          "rc=%d\n%s\n%s" % (rc, out, err[-1500:]))

# ---- pipeline mode on this host -------------------------------------------------------------
def free_2m_pages():
    try:
        with open("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages") as f:
            return int(f.read())
    except (OSError, ValueError):
        return 0


def pipeline_checks(what, *extra):
    pj = os.path.join(tmp, "pipe.json")
    rc, out, err = run("--mode", "pipeline", "--duration", "0.3", "--json", pj, *extra,
                       timeout=200)
    doc = load_json(pj)
    cfg = by_name(doc)
    c = cfg.get("local", {})
    burst = int(extra[extra.index("--burst") + 1]) if "--burst" in extra else 32
    check(rc == 0 and doc.get("mode") == "pipeline" and
          doc.get("parameters", {}).get("burst") == burst and
          doc["parameters"].get("no_huge") == ("--no-huge" in extra),
          "pipeline mode%s: exit 0, the parameters as given" % what,
          "rc=%d\n%s\n%s" % (rc, out, err[-2000:]))
    check(c.get("status") == "ran" and sane_latency(c) and c.get("mpps", 0) > 0 and
          c.get("tx_packets", 0) > 0 and c["latency_ns"]["unit"] == "ns per packet",
          "pipeline mode%s: local ran: Mpps and p50 <= p99 <= p99.9 <= max per packet" % what,
          json.dumps(c)[:1500])
    audit = c.get("audit", {})
    check(audit.get("objects", 0) > 0 and audit.get("OK") == audit.get("objects") and
          c.get("locality_ratio") == 1 and c.get("locality_health") == "local" and
          c.get("thread", {}).get("ran_on_nodes") == "0" and c.get("workers") ==
          "lcore %s (node 0)" % c.get("thread", {}).get("cpu"),
          "pipeline mode%s: local verified: every audited object OK, every packet local, the "
          "worker seen on node 0" % what, json.dumps(c)[:1500])
    u = cfg.get("unpinned", {})
    check(u.get("status") == "not supported" and
          u.get("reason", "").startswith("not supported in pipeline mode: ") and
          re.search(r"^\[4/5\] unpinned: not supported in pipeline mode: ", out, re.M),
          "pipeline mode%s: unpinned is \"not supported in pipeline mode: <why>\"" % what,
          json.dumps(u) + out)
    if NODES == 1:
        check(all(cfg.get(n, {}).get("reason") == NA
                  for n in ("remote-memory", "remote-cpu", "interleave")),
              "pipeline mode%s: the remote and interleave configurations: \"%s\"" % (what, NA),
              json.dumps(doc)[:2000])
    check(re.search(r"^local +CPU \d+ \(node 0\) +node 0 +[\d.]+ +\d+ +\d+ +\d+ +\d+ +100\.0%  "
                    r"\d+ OK, 0 REMOTE of \d+$", out, re.M),
          "pipeline mode%s: the table's local row" % what, out)


pipeline_checks(" --no-huge --burst 16", "--no-huge", "--burst", "16")
if free_2m_pages() >= 64:
    pipeline_checks(" on hugepages")
else:
    skip("pipeline mode on hugepages", "%d free 2 MB hugepages here (need 64)" % free_2m_pages())

done()
