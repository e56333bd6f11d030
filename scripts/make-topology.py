#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write an hwloc 2 XML file describing a NUMA machine, for numaperf's
--topology / $NP_TOPOLOGY and for tests (tests/topologies/ was made with it).

Example: a 2-socket box, distance 21, a NIC on node 1 and one with no node:
  scripts/make-topology.py --nodes 0,1 --cpus-per-node 4 --packages 2 \
      --distances "10 21; 21 10" --nic 0000:0a:00.0=1 --nic 0000:00:05.0=unknown \
      --hugepages 2M=512 -o two-socket.xml

Layout rules (what hwloc itself produces on such machines):
  - as many CPU nodes as packages: one node per package;
  - more CPU nodes than packages: sub-NUMA clusters, a Group per node;
  - fewer (e.g. 2 packages, 1 node): the node is attached to the Machine,
    which is what BIOS "node interleaving" looks like;
  - memory-only nodes (--memory-only) are attached to the Machine;
  - a NIC on node N hangs below N's package/group; an unknown NIC below the
    Machine; a NIC on a memory-only node (a CXL or HBM expander with its own
    PCIe link) hangs, with that node, below a Group that has no CPU, placed
    after the packages (hwloc wants objects in cpuset order);
  - a node given 0 MiB (--node-mem N=0, a CPU-only node) gets no hugepages.
"""
import argparse
import sys

PAGE_SIZES = {"2M": 2 << 20, "1G": 1 << 30}


def mask(bits):
    """hwloc bitmap string: comma-separated 32-bit words, highest first."""
    if not bits:
        return "0x0"
    words = [0] * (max(bits) // 32 + 1)
    for b in bits:
        words[b // 32] |= 1 << (b % 32)
    return ",".join("0x%08x" % w for w in reversed(words))


class Writer:
    def __init__(self):
        self.lines = []
        self.gp = 0

    def gpi(self):
        self.gp += 1
        return self.gp

    def emit(self, depth, text):
        self.lines.append("  " * depth + text)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--nodes", required=True,
                   help="comma-separated NUMA node ids with CPUs, e.g. 0,1 or 0,2")
    p.add_argument("--memory-only", default="",
                   help="comma-separated ids of nodes with memory and no CPU")
    p.add_argument("--cpus-per-node", type=int, default=2)
    p.add_argument("--packages", type=int, default=None,
                   help="processor packages (default: one per CPU node)")
    p.add_argument("--mem-mib", type=int, default=1024, help="memory per node, MiB")
    p.add_argument("--node-mem", action="append", default=[],
                   help="NODE=MiB overriding --mem-mib for one node (0: a node without memory)")
    p.add_argument("--distances", default=None,
                   help='matrix rows separated by ";", in --nodes then --memory-only order')
    p.add_argument("--nic", action="append", default=[],
                   help="PCI=NODE or PCI=unknown, repeatable")
    p.add_argument("--hugepages", action="append", default=[],
                   help="SIZE=COUNT per node (SIZE 2M or 1G), repeatable")
    p.add_argument("-o", "--output", required=True)
    return p.parse_args(argv)


def ids(text):
    return [int(x) for x in text.split(",") if x.strip() != ""]


def main(argv):
    a = parse_args(argv)
    cpu_nodes = ids(a.nodes)
    mem_nodes = ids(a.memory_only)
    all_nodes = cpu_nodes + mem_nodes
    if len(set(all_nodes)) != len(all_nodes):
        sys.exit("make-topology: a node id is given twice")
    packages = a.packages or len(cpu_nodes)
    if len(cpu_nodes) > packages and len(cpu_nodes) % packages:
        sys.exit("make-topology: %d CPU nodes do not split evenly over %d packages"
                 % (len(cpu_nodes), packages))
    hp = []
    for h in a.hugepages:
        size, count = h.split("=")
        hp.append((PAGE_SIZES[size], int(count)))
    nics = {}
    for n in a.nic:
        pci, node = n.split("=")
        nics[pci] = None if node == "unknown" else int(node)
        if nics[pci] is not None and nics[pci] not in all_nodes:
            sys.exit("make-topology: NIC %s on node %s, which is not in --nodes or "
                     "--memory-only" % (pci, node))

    cpus = {}  # node -> list of PU ids
    next_cpu = 0
    for n in cpu_nodes:
        cpus[n] = list(range(next_cpu, next_cpu + a.cpus_per_node))
        next_cpu += a.cpus_per_node
    all_cpus = list(range(next_cpu))
    all_nodeset = mask(all_nodes)
    node_mem = {n: a.mem_mib << 20 for n in all_nodes}
    for o in a.node_mem:
        n, mib = o.split("=")
        node_mem[int(n)] = int(mib) << 20

    w = Writer()
    w.emit(0, '<?xml version="1.0" encoding="UTF-8"?>')
    w.emit(0, '<!DOCTYPE topology SYSTEM "hwloc2.dtd">')
    w.emit(0, '<topology version="2.0">')

    def node_obj(depth, n, cpuset):
        mem = node_mem[n]
        w.emit(depth, '<object type="NUMANode" os_index="%d" cpuset="%s" complete_cpuset="%s" '
               'nodeset="%s" complete_nodeset="%s" gp_index="%d" local_memory="%d">'
               % (n, cpuset, cpuset, mask([n]), mask([n]), w.gpi(), mem))
        w.emit(depth + 1, '<page_type size="4096" count="%d"/>' % (mem // 4096))
        for size, count in hp:
            # A node without memory (a CPU-only node) has no hugepages either.
            w.emit(depth + 1, '<page_type size="%d" count="%d"/>'
                   % (size, count if mem > 0 else 0))
        w.emit(depth, '</object>')

    def cores(depth, cpu_list, nodeset):
        for c in cpu_list:
            m = mask([c])
            w.emit(depth, '<object type="Core" os_index="%d" cpuset="%s" complete_cpuset="%s" '
                   'nodeset="%s" complete_nodeset="%s" gp_index="%d">'
                   % (c, m, m, nodeset, nodeset, w.gpi()))
            w.emit(depth + 1, '<object type="PU" os_index="%d" cpuset="%s" complete_cpuset="%s" '
                   'nodeset="%s" complete_nodeset="%s" gp_index="%d"/>'
                   % (c, m, m, nodeset, nodeset, w.gpi()))
            w.emit(depth, '</object>')

    def nic_objs(depth, node):
        for pci, nn in sorted(nics.items()):
            if nn != node:
                continue
            dom, b, rest = pci.split(":")
            w.emit(depth, '<object type="Bridge" gp_index="%d" bridge_type="0-1" depth="0" '
                   'bridge_pci="%s:[%s-%s]">' % (w.gpi(), dom, b, b))
            w.emit(depth + 1, '<object type="PCIDev" gp_index="%d" pci_busid="%s" '
                   'pci_type="0200 [8086:100e] [8086:001e] 03" pci_link_speed="0.000000">'
                   % (w.gpi(), pci))
            w.emit(depth + 1, '</object>')
            w.emit(depth, '</object>')

    m_cpus = mask(all_cpus)
    w.emit(1, '<object type="Machine" os_index="0" cpuset="%s" complete_cpuset="%s" '
           'allowed_cpuset="%s" nodeset="%s" complete_nodeset="%s" allowed_nodeset="%s" '
           'gp_index="%d">' % (m_cpus, m_cpus, m_cpus, all_nodeset, all_nodeset, all_nodeset,
                               w.gpi()))
    if len(cpu_nodes) < packages:
        # The firmware interleaves: one node spanning every package.
        for n in cpu_nodes:
            node_obj(2, n, m_cpus)
    nic_nodes = set(nics.values())
    for n in mem_nodes:
        if n not in nic_nodes:
            node_obj(2, n, m_cpus)
    per_pkg = max(1, len(cpu_nodes) // packages)
    cpus_per_pkg = len(all_cpus) // packages
    for p in range(packages):
        if len(cpu_nodes) >= packages:
            pnodes = cpu_nodes[p * per_pkg:(p + 1) * per_pkg]
            pcpus = [c for n in pnodes for c in cpus[n]]
        else:
            pnodes = []
            pcpus = all_cpus[p * cpus_per_pkg:(p + 1) * cpus_per_pkg]
        pset = mask(pcpus)
        pnodeset = mask(pnodes) if pnodes else all_nodeset
        w.emit(2, '<object type="Package" os_index="%d" cpuset="%s" complete_cpuset="%s" '
               'nodeset="%s" complete_nodeset="%s" gp_index="%d">'
               % (p, pset, pset, pnodeset, pnodeset, w.gpi()))
        if len(pnodes) == 1:
            node_obj(3, pnodes[0], pset)
            cores(3, pcpus, pnodeset)
            nic_objs(3, pnodes[0])
        elif len(pnodes) > 1:
            for n in pnodes:
                gset, gnodes = mask(cpus[n]), mask([n])
                w.emit(3, '<object type="Group" cpuset="%s" complete_cpuset="%s" nodeset="%s" '
                       'complete_nodeset="%s" gp_index="%d" kind="1000" subkind="0">'
                       % (gset, gset, gnodes, gnodes, w.gpi()))
                node_obj(4, n, gset)
                cores(4, cpus[n], gnodes)
                nic_objs(4, n)
                w.emit(3, '</object>')
        else:
            cores(3, pcpus, pnodeset)
        w.emit(2, '</object>')
    for n in mem_nodes:
        if n in nic_nodes:
            # No CPU is near this NIC: the Group's nodeset is all that says where it is.
            ns = mask([n])
            w.emit(2, '<object type="Group" cpuset="0x0" complete_cpuset="0x0" nodeset="%s" '
                   'complete_nodeset="%s" gp_index="%d" kind="1000" subkind="0">'
                   % (ns, ns, w.gpi()))
            node_obj(3, n, "0x0")
            nic_objs(3, n)
            w.emit(2, '</object>')
    nic_objs(2, None)
    if len(cpu_nodes) < packages:
        for n in cpu_nodes:
            nic_objs(2, n)
    w.emit(1, '</object>')

    if a.distances:
        rows = [[int(v) for v in r.split()] for r in a.distances.split(";")]
        if len(rows) != len(all_nodes) or any(len(r) != len(all_nodes) for r in rows):
            sys.exit("make-topology: --distances must be a %dx%d matrix"
                     % (len(all_nodes), len(all_nodes)))
        flat = " ".join(str(v) for r in rows for v in r)
        w.emit(1, '<distances2 type="NUMANode" nbobjs="%d" kind="5" name="NUMALatency" '
               'indexing="os">' % len(all_nodes))
        w.emit(2, '<indexes length="%d">%s </indexes>'
               % (len(" ".join(map(str, all_nodes))) + 1, " ".join(map(str, all_nodes))))
        w.emit(2, '<u64values length="%d">%s </u64values>' % (len(flat) + 1, flat))
        w.emit(1, '</distances2>')
    w.emit(0, '</topology>')
    with open(a.output, "w") as f:
        f.write("\n".join(w.lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
