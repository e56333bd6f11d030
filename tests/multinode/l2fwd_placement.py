#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""numaperf-l2fwd's locality counters and its audit on a real multi-node
kernel (the QEMU guests of tests/vm), each run once local and once remote by
construction. The expectations come from what the guest was built with (the
node np-vm put each NIC on, $NP_VM_NICS; each CPU's node from sysfs), not
from numaperf's plan. Prints TAP; a TAP skip on fewer than 2 nodes.

usage: l2fwd_placement.py NUMAPERF_L2FWD EXAMPLES_DIR"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from tap import check, done  # noqa: E402

l2fwd, examples = sys.argv[1:3]
tmp = tempfile.mkdtemp(prefix="np-placement-")


def cpu_node(cpu):
    """The node sysfs puts a CPU on: the guest's construction, not numaperf's view."""
    for d in glob.glob("/sys/devices/system/cpu/cpu%d/node*" % cpu):
        return int(re.search(r"node(\d+)$", d).group(1))
    return None


nodes = sorted(int(re.search(r"node(\d+)$", d).group(1))
               for d in glob.glob("/sys/devices/system/node/node[0-9]*"))
if len(nodes) < 2:
    # TAP's skip (meson reports SKIP); inside the guests this never happens.
    print("1..0 # SKIP needs >= 2 NUMA nodes, this machine has %d: the vm suite runs it in "
          "the 2- and 4-node guests (tests/vm/np-vm --topology 2node -- python3 %s ...)"
          % (len(nodes), sys.argv[0]))
    sys.exit(0)


def run(name, config, *args):
    js = os.path.join(tmp, name + ".json")
    p = subprocess.run([l2fwd, "--config", config, "--duration", "4", "--quiet", "--audit",
                        "--stats-json", js] + list(args), capture_output=True, text=True,
                       timeout=240)
    check(p.returncode == 0, "%s: exits 0 with every mbuf back" % name,
          "rc=%d\n%s\n%s" % (p.returncode, p.stdout[-3000:], p.stderr[-2000:]))
    try:
        return json.load(open(js)), p.stdout
    except (OSError, ValueError):
        return {}, p.stdout


def port(doc, i):
    return doc.get("ports", [{}] * (i + 1))[i] if doc.get("ports") else {}


def audit_checks(name, doc, expect_remote):
    audit = doc.get("audit", [])
    misplaced = [a for a in audit if a["verdict"] == "MISPLACED"]
    remote = [a for a in audit if a["verdict"] == "REMOTE"]
    check(audit and not misplaced, "%s: no object is MISPLACED (%d audited)" % (name, len(audit)),
          json.dumps(misplaced)[:1500])
    # Each worker's objects are on its CPU's node, as the kernel says.
    wrong = []
    for a in audit:
        m = re.match(r"lcore (\d+)", a["which"])
        if m and a["kernel_node"] != cpu_node(int(m.group(1))):
            wrong.append(a)
    check(not wrong, "%s: every worker's context, counters, buffers and histograms on "
          "its CPU's node (kernel's view)" % name, json.dumps(wrong)[:1500])
    if expect_remote:
        check(any(a["object"] == "pool-use" for a in remote),
              "%s: the audit flags the pool serving a port of another node as REMOTE" % name,
              json.dumps(audit)[:2000])
    else:
        check(not remote, "%s: nothing REMOTE" % name, json.dumps(remote)[:1500])


def locality_checks(name, doc, idx, port_node, want):
    p = port(doc, idx)
    loc = p.get("locality", {})
    lcores = loc.get("by_lcore", [])
    check(p.get("node") == port_node and p.get("rx", 0) > 0,
          "%s: port%d is on node %d and received packets" % (name, idx, port_node),
          json.dumps(p)[:1500])
    if want == "local":
        check(loc.get("health") == "local" and loc.get("ratio", 0) >= 0.99 and lcores and
              all(l["lcore_node"] == port_node == cpu_node(l["lcore"]) for l in lcores),
              "%s: port%d is local: polled from node %d, mbufs from its pool" %
              (name, idx, port_node), json.dumps(loc)[:1500])
    else:
        check(loc.get("health") == "remote" and loc.get("ratio", 1) == 0 and lcores and
              all(l["lcore_node"] != port_node and l["local"] == 0 for l in lcores),
              "%s: port%d is remote by construction and counted so" % (name, idx),
              json.dumps(loc)[:1500])


nics = dict(reversed(t.split("=")) for t in os.environ.get("NP_VM_NICS", "").split() if "=" in t)
vm_ini = os.path.join(examples, "l2fwd-vm.ini")
vdev_ini = os.path.join(examples, "l2fwd-vdev.ini")
if "1" in nics:
    # The two-node guest: NIC A on node 1, NIC B on no node (policy: node 0).
    a = nics["1"]
    b = nics.get("-1", "")
    over = ["--set", "port0.pci=" + a, "--set", "port1.pci=" + b]
    doc, out = run("2node-local", vm_ini, *over)
    locality_checks("2node-local", doc, 0, 1, "local")
    audit_checks("2node-local", doc, False)
    # Workers on node 0 only, pools at the poller: NIC A (node 1) polled from node 0
    # with node-0 mbufs. Correct, remote, and both the counters and the audit say so.
    doc, out = run("2node-remote", vm_ini, "--lcores", "0-1", "--set", "pools.placement=poller",
                   *over)
    locality_checks("2node-remote", doc, 0, 1, "remote")
    audit_checks("2node-remote", doc, True)
else:
    # No NIC: net_ring ports whose rings the vdev puts on the last node.
    last = nodes[-1]
    cpus_last = [c for c in range(os.cpu_count()) if cpu_node(c) == last]
    over = ["--set", "port0.vdev=net_ring0,nodeaction=pl_r0:%d:CREATE" % last,
            "--set", "port1.vdev=net_ring1,nodeaction=pl_r1:%d:CREATE" % last]
    doc, out = run("%dnode-local" % len(nodes), vdev_ini, "--per-node", "1", *over)
    for i in (0, 1):
        locality_checks("%dnode-local" % len(nodes), doc, i, last, "local")
    audit_checks("%dnode-local" % len(nodes), doc, False)
    pools = {a["which"].split()[0]: a for a in doc.get("audit", []) if a["object"] == "pool"}
    check(("np_mbuf_n%d" % last) in pools and
          pools["np_mbuf_n%d" % last]["kernel_node"] == last,
          "%dnode-local: the ports' pool np_mbuf_n%d is in node %d's memory" %
          (len(nodes), last, last), json.dumps(pools)[:1500])
    doc, out = run("%dnode-remote" % len(nodes), vdev_ini, "--lcores", "0",
                   "--set", "pools.placement=poller", *over)
    for i in (0, 1):
        locality_checks("%dnode-remote" % len(nodes), doc, i, last, "remote")
    audit_checks("%dnode-remote" % len(nodes), doc, True)

# --- EAL's main lcore apart, on another node than the worker ---------------------
# DPDK gives a vdev the node of the main lcore that probes it: with the main lcore
# on the first node and the only worker on the last, net_null ports land on the
# first node (the plan expects so; with the main lcore the lowest worker, as by
# default, they would be on the last), are polled from the last node and counted
# remote; the worker's own objects stay on its node, the pool on the ports' node
# (pools at the port): nothing is placed away from its user, only the polling
# crosses nodes, and the locality counters say so.
main_cpu = min(c for c in range(os.cpu_count()) if cpu_node(c) == nodes[0])
worker_cpu = min(c for c in range(os.cpu_count()) if cpu_node(c) == nodes[-1])
name = "%dnode-main-apart" % len(nodes)
doc, out = run(name, vdev_ini, "--lcores", str(worker_cpu), "--main-lcore", str(main_cpu),
               "--no-strict", "--set", "port0.vdev=net_null0", "--set", "port1.vdev=net_null1",
               "--set", "pipeline.seed_packets=0")
check("main lcore: CPU %d, apart from the workers" % main_cpu in out,
      "%s: the plan shows main lcore CPU %d apart from worker CPU %d" % (name, main_cpu, worker_cpu),
      out[-3000:])
for i in (0, 1):
    locality_checks(name, doc, i, nodes[0], "remote")
audit_checks(name, doc, False)

# --- the stateful forwarder: flows live on their node, packets cross once -------
# Two net_ring ports, one on the first node and one on the last, a worker on
# each node: half the flows' home (a hash of the 5-tuple) is the other node.
first, last = nodes[0], nodes[-1]
flows_ini = os.path.join(examples, "l2fwd-flows.ini")
n_workers = len(nodes)
over = ["--per-node", "1", "--set", "port0.vdev=net_ring0,nodeaction=fl_r0:%d:CREATE" % first,
        "--set", "port1.vdev=net_ring1,nodeaction=fl_r1:%d:CREATE" % last,
        "--set", "port0.rx_queues=%d" % n_workers, "--set", "port1.rx_queues=%d" % n_workers]
name = "%dnode-flows" % len(nodes)
doc, out = run(name, flows_ini, "--flows", "2000", *over)
m = re.search(r"migrated: (\d+) packets handled on their flow's node after crossing; (\d+) "
              r"crossed more than once, (\d+) handled away", out)
check(m is not None and int(m.group(1)) > 0 and m.group(2) == "0" and m.group(3) == "0",
      "%s: packets crossed to their flow's node, each exactly once, none counted away "
      "from it" % name, out[-4000:] + "\ndrops (JSON): " + json.dumps(doc.get("drops")))
# The report's flows section only: other tables have rows of numbers too (the
# numastat table's "3  3  0  0 ..." for 3 pages on node 3 once overwrote pair 3->3).
head, sep, tail = out.partition("\nfrom  to")
tables_part = head.rsplit("\nnode  ", 1)[-1] if sep else ""
pairs_part = tail.split("\nmigrated:", 1)[0]
pairs = {(int(a), int(b)): (int(l), int(h)) for a, b, l, h in
         re.findall(r"^(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+", pairs_part, re.M)}
cross = [(a, b) for (a, b) in pairs if a != b]
check(cross and all(pairs[k][1] > 0 and pairs[k][0] == 0 for k in [(first, last), (last, first)])
      and all(pairs[(n, n)][0] > 0 for n in (first, last)),
      "%s: handoffs both ways between nodes %d and %d, every flow lookup on its own node"
      % (name, first, last), json.dumps({"%d->%d" % k: v for k, v in pairs.items()}))
# node, entries, capacity, created, refused, expired, hits, misses. Flows are
# counted as created: what a table holds at the end depends on the last 2 s
# (idle flows age out), and in a guest on a busy host a node's share of the
# circulating packets can fall idle that long (CI, 4-node guest: node 0's
# table empty at the end, node 3's holding 800).
tables = {int(t[0]): int(t[3]) for t in
          re.findall(r"^(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+\s+\d+\s+\d+\s+\d+$", tables_part,
                     re.M)}
check(tables.get(first, 0) > 0 and tables.get(last, 0) > 0,
      "%s: the tables of nodes %d and %d both made flows" % (name, first, last), tables)
objs = [a for a in doc.get("audit", []) if a["object"] in ("flow", "executor")]
node_of = lambda a: int(re.search(r"(?:flow_n|node )(\d+)", a["which"]).group(1))
check(len(objs) >= 4 * 2 + 2 * 2 and
      all(a["verdict"] == "OK" and a["kernel_node"] == node_of(a) == a["intended_node"]
          for a in objs),
      "%s: each node's flow table (hash, keys, state, counters) and executor rings are in "
      "that node's memory" % name, json.dumps(objs)[:2000])

done()
