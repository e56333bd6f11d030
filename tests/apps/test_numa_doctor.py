#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""numa-doctor as a user runs it: JSON validity and agreement with
`numactl --hardware` on this machine, verdicts and exit statuses on the
described machines, and clear errors on bad input. Prints TAP.
usage: test_numa_doctor.py NUMA_DOCTOR TOPOLOGY_DIR DATA_DIR [--live-only]
--live-only checks only this machine against numactl (the VM suite uses it:
the described machines give the same answers everywhere)."""
import json
import os
import re
import subprocess
import sys

doctor, topo_dir, data_dir = sys.argv[1:4]
live_only = "--live-only" in sys.argv[4:]
results = []


def check(ok, what, detail=""):
    results.append(ok)
    print("%s %d - %s" % ("ok" if ok else "not ok", len(results), what))
    if not ok and detail:
        for line in str(detail).splitlines():
            print("#   " + line)


def run(*args, env=None):
    e = dict(os.environ)
    e.pop("NP_TOPOLOGY", None)
    e.update(env or {})
    p = subprocess.run([doctor] + list(args), capture_output=True, text=True, env=e,
                       timeout=60)
    return p.returncode, p.stdout, p.stderr


def parse_list(text):
    """A kernel-style list, "0-1,4" -> [0, 1, 4]."""
    ids = []
    for part in text.split(","):
        a, _, b = part.partition("-")
        ids.extend(range(int(a), int(b or a) + 1))
    return ids


def numactl_hardware():
    out = subprocess.run(["numactl", "--hardware"], capture_output=True, text=True,
                         check=True).stdout
    nodes = parse_list(re.search(r"available: \d+ nodes \(([^)]*)\)", out).group(1))
    cpus = {int(n): [int(c) for c in cs.split()]
            for n, cs in re.findall(r"^node (\d+) cpus:(.*)$", out, re.M)}
    dist_lines = out.split("node distances:")[1].strip().splitlines()[1:]
    dist = {int(l.split(":")[0]): [int(v) for v in l.split(":")[1].split()]
            for l in dist_lines if ":" in l}
    return nodes, cpus, dist


# --- live machine vs numactl --hardware ---------------------------------
rc, out, err = run("--json")
check(rc in (0, 1), "live --json exits 0 or 1", "rc=%d stderr=%s" % (rc, err))
try:
    doc = json.loads(out)
    check(True, "live --json is valid JSON")
except ValueError as e:
    doc = None
    check(False, "live --json is valid JSON", e)
if doc:
    nodes, cpus, dist = numactl_hardware()
    ids = [n["id"] for n in doc["nodes"]]
    check(ids == nodes, "node ids match numactl --hardware", "%s vs %s" % (ids, nodes))
    check(doc["node_count"] == len(nodes), "node_count matches numactl")
    for n in doc["nodes"]:
        check(n["cpus"] == cpus.get(n["id"]), "node %d CPUs match numactl" % n["id"],
              "%s vs %s" % (n["cpus"], cpus.get(n["id"])))
    for i, a in enumerate(ids):
        check(doc["distances"][i] == dist[a], "distance row of node %d matches numactl" % a,
              "%s vs %s" % (doc["distances"][i], dist[a]))
    check(doc["verdict"]["exit_status"] == rc, "verdict.exit_status is the exit status")
    for nic in doc["nics"]:
        path = "/sys/bus/pci/devices/%s/numa_node" % nic["pci"]
        if os.path.exists(path):
            sysfs = int(open(path).read())
            want = None if sysfs < 0 else sysfs
            check(nic["node"] == want, "NIC %s node %s (sysfs %d)" % (nic["pci"], nic["node"],
                                                                      sysfs))
    for key in ("schema", "numa", "package_count", "cpu_count", "distances_known",
                "enforcement", "findings", "next_steps"):
        check(key in doc, "JSON has \"%s\"" % key)

rc, out, err = run()
check("available:" in out and "Verdict:" in out, "text report has the topology and a verdict")
if doc and doc["node_count"] > 1:
    check(doc["numa"] and doc["verdict"]["code"] in ("numa-ok", "numa-attention"),
          "several nodes: a NUMA verdict", doc["verdict"])
if live_only:
    print("1..%d" % len(results))
    sys.exit(0 if all(results) else 1)

# --- described machines --------------------------------------------------
cases = [
    ("1node.xml", "single-node", 0, False),
    ("2node.xml", "numa-attention", 1, True),
    ("4node-asym.xml", "numa-ok", 0, True),
    ("gap-0-2.xml", "numa-attention", 1, True),
    ("memory-only.xml", "numa-ok", 0, True),
    ("2pkg-1node.xml", "interleaving-suspected", 1, True),
    ("cpu-no-memory.xml", "numa-attention", 1, True),
]
for f, verdict, status, numa in cases:
    rc, out, err = run("--json", "--topology", os.path.join(topo_dir, f))
    try:
        d = json.loads(out)
    except ValueError as e:
        check(False, "%s: valid JSON" % f, e)
        continue
    check(d["verdict"]["code"] == verdict, "%s: verdict %s" % (f, verdict), d["verdict"])
    check(rc == status, "%s: exit status %d" % (f, status), "rc=%d" % rc)
    check(d["numa"] == numa, "%s: numa=%s" % (f, numa))

rc, out, _ = run("--json", "--topology", os.path.join(topo_dir, "2node.xml"))
d = json.loads(out)
nics = {n["pci"]: n["node"] for n in d["nics"]}
check(nics == {"0000:00:05.0": None, "0000:0a:02.0": 1},
      "2node: NIC nodes are null (unknown) and 1", nics)
check(d["distances"] == [[10, 21], [21, 10]], "2node: distances 10/21", d["distances"])
rc, out, _ = run("--json", "--topology", os.path.join(topo_dir, "gap-0-2.xml"))
d = json.loads(out)
check([n["id"] for n in d["nodes"]] == [0, 2], "gap-0-2: node ids 0 and 2")
rc, out, _ = run("--json", env={"NP_TOPOLOGY": os.path.join(topo_dir, "4node-asym.xml")})
check(json.loads(out)["node_count"] == 4, "$NP_TOPOLOGY selects the described machine")
rc, out, _ = run("--topology", "synthetic:pack:2 numa:1 core:2 pu:1")
check(rc == 0 and "available: 2 nodes (0,1)" in out, "synthetic description", out[:200])

# --- bad input ------------------------------------------------------------
bad = [
    (["--topology", "/no/such.xml"], 3, "/no/such.xml: no such topology file"),
    (["--topology", os.path.join(data_dir, "topo", "malformed.xml")], 3, "not an XML file"),
    (["--topology", os.path.join(data_dir, "topo", "empty.xml")], 3, "is empty"),
    (["--topology", os.path.join(data_dir, "topo", "zero-distance.xml")], 3,
     "distance from node 0 to node 1 is 0"),
    (["--topology", "synthetic:pack:x"], 3, "hwloc rejects the description"),
    (["--topology", ""], 2, "--topology needs a file name"),
    (["--bogus"], 2, "usage:"),
    (["extra"], 2, "unexpected argument 'extra'"),
]
for args, status, msg in bad:
    rc, out, err = run(*args)
    check(rc == status and msg in err, "%s -> exit %d, \"%s\"" % (args, status, msg),
          "rc=%d stderr=%s" % (rc, err))
    check(out == "", "%s prints no partial report" % args, out[:200])
rc, out, err = run(env={"NP_TOPOLOGY": "/no/where.xml"})
check(rc == 3 and "$NP_TOPOLOGY" in err, "bad $NP_TOPOLOGY names the variable", err)
rc, out, err = run("--help")
check(rc == 0 and "exit status" in out, "--help documents exit statuses")

print("1..%d" % len(results))
sys.exit(0 if all(results) else 1)
