/* SPDX-License-Identifier: BSD-3-Clause */
/* numa-doctor's verdict: the reasons and what to try next. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "doctor.h"

#define MAX_NODES_SHOWN 64
#define HUGEPAGE_2M (2ULL << 20)

static void __attribute__((format(printf, 4, 5)))
add(struct doctor_report *rep, enum finding_severity sev, const char *code,
    const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	if (rep->n_findings >= DOCTOR_MAX_FINDINGS)
		return;
	f = &rep->findings[rep->n_findings++];
	f->severity = sev;
	snprintf(f->code, sizeof(f->code), "%s", code);
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 2, 3)))
step(struct doctor_report *rep, const char *fmt, ...)
{
	va_list ap;

	if (rep->n_steps >= DOCTOR_MAX_STEPS)
		return;
	va_start(ap, fmt);
	vsnprintf(rep->steps[rep->n_steps++], sizeof(rep->steps[0]), fmt, ap);
	va_end(ap);
}

static bool
has_warning(const struct doctor_report *rep)
{
	for (unsigned int i = 0; i < rep->n_findings; i++)
		if (rep->findings[i].severity == SEV_WARNING)
			return true;
	return false;
}

static uint64_t
free_hugepages(const np_topo *topo, int node)
{
	uint64_t sizes[4], total = 0;
	int n = np_topo_hugepage_sizes(topo, sizes, 4);

	for (int s = 0; s < n && s < 4; s++) {
		struct np_hugepages hp;

		if (np_topo_node_hugepages(topo, node, sizes[s], &hp) == 0)
			total += hp.free * (sizes[s] / HUGEPAGE_2M);
	}
	return total; /* in 2 MB page equivalents */
}

static void
analyze_single(const np_topo *topo, struct doctor_report *rep)
{
	int node = np_topo_node_id(topo, 0);

	if (np_topo_package_count(topo) > 1) {
		rep->verdict = VERDICT_INTERLEAVED;
		rep->is_numa = true;
		add(rep, SEV_WARNING, "interleaving-suspected",
		    "%u processor packages but one NUMA node: the firmware is probably "
		    "interleaving memory across sockets (BIOS \"node interleaving\" on), so about "
		    "half of every thread's memory accesses cross the interconnect and none "
		    "can be made local", np_topo_package_count(topo));
		step(rep, "turn BIOS/UEFI \"node interleaving\" off (or enable NUMA / "
		     "\"socket interleave: disabled\") so each socket gets its own node, "
		     "then run numa-doctor again");
		step(rep, "until then, compare p99 with the process confined to one socket's "
		     "CPUs (taskset); the remote half of the accesses stays either way");
		return;
	}
	rep->verdict = VERDICT_SINGLE_NODE;
	rep->is_numa = false;
	add(rep, SEV_INFO, "single-node",
	    "one NUMA node (node %d) and one package: every CPU reaches all memory at the "
	    "same distance, so no placement can make memory more local", node);
	step(rep, "look at the allocator: per-thread caches, hugepages for hot memory, "
	     "no malloc on the packet path");
	step(rep, "look at the scheduler: isolate and pin the polling threads "
	     "(isolcpus/nohz_full, one lcore per core), keep interrupts off them");
	step(rep, "look at locks and shared cache lines: per-lcore counters, no "
	     "contended atomics on the hot path");
}

static void
analyze_nics(const np_topo *topo, struct doctor_report *rep)
{
	unsigned int n = np_topo_nic_count(topo);
	bool unknown = false, short_hp = false, no_cpus = false;

	if (n == 0)
		add(rep, SEV_INFO, "no-nics",
		    "no PCI network device found: nothing to place next to a NIC");
	for (unsigned int i = 0; i < n; i++) {
		struct np_nic_info nic;
		const char *name;

		np_topo_nic(topo, i, &nic);
		name = nic.ifname[0] ? nic.ifname : "no interface";
		if (nic.node == NP_NODE_UNKNOWN) {
			unknown = true;
			add(rep, SEV_WARNING, "nic-node-unknown",
			    "NIC %s (%s): the kernel reports no NUMA node (-1); DPDK will call "
			    "it SOCKET_ID_ANY and many applications silently use node 0",
			    nic.pci_addr, name);
			continue;
		}
		if (np_topo_node_cpus(topo, nic.node, NULL, 0) == 0) {
			no_cpus = true;
			add(rep, SEV_WARNING, "nic-node-no-cpus",
			    "NIC %s (%s) is on node %d, which has no CPUs: every poller is remote "
			    "to it", nic.pci_addr, name, nic.node);
		} else
			add(rep, SEV_INFO, "nic-node",
			    "NIC %s (%s) is on node %d: poll it from node %d's CPUs with mbufs "
			    "from node %d", nic.pci_addr, name, nic.node, nic.node, nic.node);
		if (free_hugepages(topo, nic.node) == 0) {
			short_hp = true;
			add(rep, SEV_WARNING, "nic-node-no-hugepages",
			    "NIC %s is on node %d, which has no free hugepages: its mbufs would "
			    "come from another node", nic.pci_addr, nic.node);
		}
	}
	if (unknown)
		step(rep, "for a NIC with an unknown node: on bare metal check that the "
		     "firmware publishes PCI locality (ACPI _PXM); otherwise choose the node "
		     "explicitly (numaperf's unknown-node policy: nearest-worker, node N, or "
		     "fail) rather than letting it default to 0");
	if (no_cpus)
		step(rep, "for a NIC on a node without CPUs: poll it from the nearest node "
		     "that has CPUs (numaperf's plan does, with a warning) and keep its mbufs "
		     "and descriptor rings on its own node, where the NIC writes");
	if (short_hp)
		step(rep, "reserve hugepages on each NIC's node: echo 512 > "
		     "/sys/devices/system/node/nodeN/hugepages/hugepages-2048kB/nr_hugepages");
}

static void
analyze_nodes(const np_topo *topo, struct doctor_report *rep)
{
	unsigned int nn = np_topo_node_count(topo), n_cpu_nodes = 0;
	unsigned int cpus[1];
	int maxd = 0, n_cpuless_mem;

	for (unsigned int i = 0; i < nn; i++) {
		int a = np_topo_node_id(topo, i);

		for (unsigned int j = 0; j < nn; j++) {
			int d = np_topo_distance(topo, a, np_topo_node_id(topo, j));

			if (d > maxd)
				maxd = d;
		}
		if (np_topo_node_cpus(topo, a, NULL, 0) > 0)
			n_cpu_nodes++;
		if (np_topo_node_is_memory_only(topo, a))
			add(rep, SEV_INFO, "memory-only-node",
			    "node %d has memory but no CPUs (CXL, HBM or hot-plugged memory): "
			    "nothing runs there; bind only data that tolerates its distance", a);
	}
	if (np_topo_distances_known(topo))
		add(rep, SEV_INFO, "distances",
		    "%u NUMA nodes; the farthest pair is at distance %d, %.1fx a local access",
		    nn, maxd, (double)maxd / NP_DISTANCE_LOCAL);
	else
		add(rep, SEV_INFO, "distances-unknown",
		    "%u NUMA nodes; the firmware gives no distance matrix (assumed 10 local, "
		    "20 remote)", nn);

	n_cpuless_mem = np_topo_cpus_without_memory(topo, cpus, 1);
	if (n_cpuless_mem > 0) {
		add(rep, SEV_WARNING, "cpus-without-memory",
		    "%d CPU(s) belong to a node with no memory (first: CPU %u): every access "
		    "they make is remote", n_cpuless_mem, cpus[0]);
		step(rep, "do not run pollers on CPUs without local memory; check the DIMM "
		     "population of their socket");
	}
	/* Memory-only nodes (CXL, HBM) split no socket: count nodes with CPUs. */
	if (np_topo_package_count(topo) > 1 && n_cpu_nodes > np_topo_package_count(topo))
		add(rep, SEV_INFO, "sub-numa-clustering",
		    "%u nodes with CPUs on %u packages: sub-NUMA clustering (SNC/NPS) splits "
		    "each socket", n_cpu_nodes, np_topo_package_count(topo));
}

/*
 * Without a hugetlbfs mount DPDK gets no hugepage memory, on one node as on
 * many. Only a live machine's mounts are facts (doctor_analyze()).
 */
static void
analyze_hugetlbfs(const struct np_enforcement *enf, bool facts_read,
		  struct doctor_report *rep)
{
	if (!facts_read || enf->n_mounts > 0)
		return;
	add(rep, SEV_WARNING, "no-hugetlbfs",
	    "no hugetlbfs is mounted: DPDK cannot get hugepage memory");
	step(rep, "mount hugetlbfs: mkdir -p /dev/hugepages && "
	     "mount -t hugetlbfs nodev /dev/hugepages (scripts/setup.sh does this)");
}

static void
analyze_enforcement(const struct np_enforcement *enf, struct doctor_report *rep)
{
	if (enf->numa_balancing == NP_BALANCING_ON) {
		add(rep, SEV_WARNING, "numa-balancing-on",
		    "automatic NUMA balancing is on: the kernel unmaps and migrates pages of "
		    "pinned pollers behind their back, which shows as p99 spikes");
		step(rep, "turn automatic NUMA balancing off: "
		     "echo 0 > /proc/sys/kernel/numa_balancing");
	}
	if (!enf->root && !enf->cap_sys_nice)
		add(rep, SEV_WARNING, "no-cap-sys-nice",
		    "this process has neither root nor CAP_SYS_NICE: memory policies on "
		    "other threads and page migration cannot be enforced");
}

void
doctor_analyze(const np_topo *topo, const struct np_enforcement *enf,
	       bool facts_read, struct doctor_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->facts_read = facts_read;
	if (np_topo_node_count(topo) == 1) {
		/*
		 * A missing hugetlbfs stops DPDK before anything else: its step
		 * comes first. On one node the NIC's node, NUMA balancing and
		 * CAP_SYS_NICE change nothing; the facts are printed.
		 */
		analyze_hugetlbfs(enf, facts_read, rep);
		analyze_single(topo, rep);
		return;
	}
	rep->is_numa = true;
	analyze_nodes(topo, rep);
	analyze_nics(topo, rep);
	analyze_enforcement(enf, rep);
	analyze_hugetlbfs(enf, facts_read, rep);
	if (has_warning(rep)) {
		rep->verdict = VERDICT_NUMA_ATTENTION;
	} else {
		rep->verdict = VERDICT_NUMA_OK;
		step(rep, "placement looks right; measure it: compare local vs remote "
		     "pinning p99 with numaperf's pinning benchmark");
	}
}

const char *
doctor_verdict_code(enum doctor_verdict v)
{
	switch (v) {
	case VERDICT_SINGLE_NODE: return "single-node";
	case VERDICT_INTERLEAVED: return "interleaving-suspected";
	case VERDICT_NUMA_OK: return "numa-ok";
	case VERDICT_NUMA_ATTENTION: return "numa-attention";
	}
	return "?";
}

const char *
doctor_verdict_summary(enum doctor_verdict v)
{
	switch (v) {
	case VERDICT_SINGLE_NODE:
		return "NUMA is not your bottleneck here";
	case VERDICT_INTERLEAVED:
		return "NUMA is hidden here: memory is probably interleaved across sockets";
	case VERDICT_NUMA_OK:
		return "this box is NUMA and nothing found is misplaced";
	case VERDICT_NUMA_ATTENTION:
		return "this box is NUMA and something needs attention";
	}
	return "?";
}

int
doctor_exit_status(const struct doctor_report *rep)
{
	return has_warning(rep) ? DOCTOR_EXIT_ATTENTION : DOCTOR_EXIT_OK;
}
