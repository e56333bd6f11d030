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
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import check, done, skip  # noqa: E402

doctor, topo_dir, data_dir = sys.argv[1:4]
live_only = "--live-only" in sys.argv[4:]


def run(*args, env=None):
    e = dict(os.environ)
    e.pop("NP_TOPOLOGY", None)
    e.update(env or {})
    p = subprocess.run([doctor] + list(args), capture_output=True, text=True, env=e,
                       timeout=60)
    return p.returncode, p.stdout, p.stderr


def run_bytes(*args, env=None, **kw):
    """As run(), with arguments and output as bytes (names that are not UTF-8)."""
    e = dict(os.environ)
    e.pop("NP_TOPOLOGY", None)
    e.update(env or {})
    p = subprocess.run([os.fsencode(doctor)] + [os.fsencode(a) for a in args],
                       stdout=kw.pop("stdout", subprocess.PIPE), stderr=subprocess.PIPE,
                       env=e, timeout=60, **kw)
    return p.returncode, p.stdout or b"", p.stderr


def codes(doc):
    return {f["code"] for f in doc["findings"]}


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

# A report that cannot be written is an error (exit 4), never a silent 0.
FULL = "numa-doctor: could not write the report to standard output: No space left on device\n"
CLOSED = ("numa-doctor: standard output is closed: nothing to write the report to; run it "
          "with stdout open (a terminal, a file or a pipe)\n")
for args in ([], ["--json"], ["--help"]):
    with open("/dev/full", "w") as full:
        rc, _, err = run_bytes(*args, stdout=full)
    check(rc == 4 and err.decode() == FULL, "%s > /dev/full -> exit 4, \"%s\"" % (args, FULL.strip()),
          "rc=%d stderr=%r" % (rc, err))
    rc, _, err = run_bytes(*args, stdout=None, preexec_fn=lambda: os.close(1))
    check(rc == 4 and err.decode() == CLOSED, "%s with stdout closed -> exit 4" % args,
          "rc=%d stderr=%r" % (rc, err))

# No hugetlbfs mounted (issue 12: never said on a one-node host): unmount it in
# a mount namespace of our own, so the machine keeps its mount.
UNMOUNT = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
           'umount -a -t hugetlbfs && exec "$@"', "sh"]
probe = subprocess.run(UNMOUNT + ["true"], capture_output=True, text=True) \
    if shutil.which("unshare") else None
if probe is None or probe.returncode != 0:
    skip("no hugetlbfs mounted: warning no-hugetlbfs, exit 1",
         "cannot unmount hugetlbfs in a private mount namespace here (%s)"
         % ("no unshare(1)" if probe is None else probe.stderr.strip()))
else:
    p = subprocess.run(UNMOUNT + [doctor, "--json"], capture_output=True, text=True,
                       timeout=60)
    try:
        d = json.loads(p.stdout)
    except ValueError as e:
        d = None
        check(False, "no hugetlbfs: valid JSON", e)
    if d:
        msgs = [f for f in d["findings"] if f["code"] == "no-hugetlbfs"]
        check(p.returncode == 1 and d["verdict"]["exit_status"] == 1,
              "no hugetlbfs mounted: exit 1 (%d nodes)" % d["node_count"],
              "rc=%d stderr=%s" % (p.returncode, p.stderr))
        check(len(msgs) == 1 and msgs[0]["severity"] == "warning" and msgs[0]["message"] ==
              "no hugetlbfs is mounted: DPDK cannot get hugepage memory",
              "no hugetlbfs mounted: warning no-hugetlbfs", d["findings"])
        check(d["enforcement"]["hugetlbfs"] == [], "no hugetlbfs mounted: none listed")
        check(any("mount -t hugetlbfs nodev /dev/hugepages" in s for s in d["next_steps"]),
              "no hugetlbfs mounted: the mount command is a next step", d["next_steps"])
    p = subprocess.run(UNMOUNT + [doctor], capture_output=True, text=True, timeout=60)
    check(p.returncode == 1 and "hugetlbfs not mounted" in p.stdout and
          "[warning] no hugetlbfs is mounted" in p.stdout,
          "no hugetlbfs mounted: the text report says so", p.stdout[-600:])
if live_only:
    done()

# --- described machines --------------------------------------------------
cases = [
    ("1node.xml", "single-node", 0, False),
    ("2node.xml", "numa-attention", 1, True),
    ("4node-asym.xml", "numa-ok", 0, True),
    ("gap-0-2.xml", "numa-attention", 1, True),
    ("memory-only.xml", "numa-ok", 0, True),
    ("2pkg-1node.xml", "interleaving-suspected", 1, True),
    ("cpu-no-memory.xml", "numa-attention", 1, True),
    ("5node-cpu-only.xml", "numa-attention", 1, True),
    ("nic-on-memory-only.xml", "numa-attention", 1, True),
    ("2node-no-distances.xml", "numa-ok", 0, True),
]
# Findings each described machine must produce (and, for some, must not).
must = {
    "2node.xml": {"nic-node-unknown", "nic-node", "distances"},
    "memory-only.xml": {"memory-only-node"},
    "cpu-no-memory.xml": {"cpus-without-memory"},
    "5node-cpu-only.xml": {"cpus-without-memory", "nic-node-no-hugepages"},
    "nic-on-memory-only.xml": {"nic-node-no-cpus", "memory-only-node"},
    "2node-no-distances.xml": {"no-nics", "distances-unknown"},
}
must_not = {
    "memory-only.xml": {"sub-numa-clustering"},
    "nic-on-memory-only.xml": {"nic-node-unknown", "sub-numa-clustering"},
    "2node-no-distances.xml": {"distances"},
    "1node.xml": {"no-hugetlbfs"},  # a described machine has no mounts to check
}
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
    if f in must:
        check(must[f] <= codes(d), "%s: findings %s" % (f, sorted(must[f])), sorted(codes(d)))
    if f in must_not:
        check(not (must_not[f] & codes(d)), "%s: no finding %s" % (f, sorted(must_not[f])),
              sorted(codes(d)))

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
check("[info]    no PCI network device found" in out and
      "the firmware gives no distance matrix (assumed 10 local, 20 remote)" in out and
      "node distances (not given: assumed):" in out,
      "synthetic: no NICs and unknown distances said", out)
rc, out, _ = run("--json", "--topology", os.path.join(topo_dir, "nic-on-memory-only.xml"))
d = json.loads(out)
check({n["pci"]: n["node"] for n in d["nics"]} == {"0000:0a:00.0": 0, "0000:50:00.0": 2},
      "nic-on-memory-only: NIC 0000:50:00.0 on node 2", d["nics"])

# --- names that are not UTF-8, or hold control bytes --------------------------
# --json must stay valid UTF-8 (bad bytes -> \ufffd, controls -> \u00XX); the
# text report and error messages write them as \xNN. A valid "é" is kept.
tmp = tempfile.mkdtemp(prefix="np-doctor-")
try:
    bad = os.path.join(os.fsencode(tmp), b"bad\xff\x1b[31m\xc3\xa9.xml")
    shutil.copy(os.path.join(topo_dir, "2node.xml"), bad)
    rc, out, err = run_bytes("--json", "--topology", bad)
    try:
        d = json.loads(out.decode("utf-8"))
        check(d["source"] == tmp + "/bad\ufffd\x1b[31m\u00e9.xml",
              "--json: a path that is not UTF-8 is escaped", repr(d["source"]))
    except (UnicodeDecodeError, ValueError) as e:
        check(False, "--json: valid UTF-8 and JSON for a path that is not UTF-8", e)
    check(rc == 1 and b"\x1b" not in out and b"\\u001b[31m" in out and b"\\ufffd" in out,
          "--json: exit 1, ESC written as \\u001b, 0xff as \\ufffd", out[:300])
    rc, out, err = run_bytes("--topology", bad)
    first = out.split(b"\n")[0]
    check(first == b"numa-doctor: topology of " + os.fsencode(tmp) +
          b"/bad\\xff\\x1b[31m\xc3\xa9.xml", "text: the path is shown with \\xNN", first)
    rc, out, err = run_bytes("--topology", bad + b".missing")
    check(rc == 3 and b"\x1b" not in err and
          b"bad\\xff\\x1b[31m\xc3\xa9.xml.missing: no such topology file" in err,
          "error message: the path is shown with \\xNN, exit 3", err)

    # An interface name with such bytes: hwloc's own XML reader (HWLOC_LIBXML=0)
    # takes the bytes as they are, as a live kernel's interface name can be.
    xml = open(os.path.join(topo_dir, "2node.xml"), "rb").read()
    pci = xml.index(b'<object type="PCIDev"')
    eol = xml.index(b"\n", pci) + 1
    xml = (xml[:eol] + b'<object type="OSDev" gp_index="99" name="eth\xff\x1b[31mX" '
           b'subtype="Network" osdev_type="2"/>\n' + xml[eol:])
    ifxml = os.path.join(tmp, "ifname.xml")
    open(ifxml, "wb").write(xml)
    rc, out, err = run_bytes("--json", "--topology", ifxml, env={"HWLOC_LIBXML": "0"})
    try:
        d = json.loads(out.decode("utf-8"))
        names = {n["pci"]: n["ifname"] for n in d["nics"]}
        check(names.get("0000:0a:02.0") == "eth\ufffd\x1b[31mX",
              "--json: an interface name that is not UTF-8 is escaped", names)
        check(any(f["message"].startswith("NIC 0000:0a:02.0 (eth\ufffd\x1b[31mX) is on node 1")
                  for f in d["findings"]), "--json: and in the finding that names it",
              d["findings"])
    except (UnicodeDecodeError, ValueError) as e:
        check(False, "--json: valid UTF-8 and JSON for an interface name that is not UTF-8",
              "%s: %r" % (e, out[:400]))
    rc, out, err = run_bytes("--topology", ifxml, env={"HWLOC_LIBXML": "0"})
    check(b"\x1b" not in out and b"0000:0a:02.0 eth\\xff\\x1b[31mX driver -" in out,
          "text: the interface name is shown with \\xNN", out[-900:])
finally:
    shutil.rmtree(tmp)

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

done()
