/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the topology loader: the input is an hwloc XML
 * description, given to np_topo_load_xml() through a memfd (an in-memory
 * regular file, so no disk I/O per input). An accepted topology is queried
 * the way the apps query it (nodes, CPUs, memory, hugepages, distances,
 * nodes by distance, NICs), so the tables load() built are read everywhere.
 *
 * Beyond the sanitizers: a refusal has a message, and an accepted topology
 * keeps the promises of np_topo.h (at least one node, ids ascending, every
 * CPU on a node that exists, local distance first). hwloc and libxml2 do the
 * XML parsing. np_topo_load_xml() first loads each file in a child process,
 * so an input that crashes hwloc is a refusal with a message here, not a
 * crash of this target (the fork makes an input ~4x slower under ASan).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <hwloc.h>

#include "np_topo.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static hwloc_topology_t keep;

	(void)argc;
	(void)argv;
	/* hwloc's XML import talks on stderr about every malformed input. */
	setenv("HWLOC_XML_VERBOSE", "0", 1);
	setenv("HWLOC_HIDE_ERRORS", "2", 1);
	/*
	 * hwloc loads its plugins when the first topology is created and
	 * unloads them with the last: one topology kept for the whole run
	 * spares a dlopen() of every plugin per input.
	 */
	if (hwloc_topology_init(&keep) < 0)
		abort();
	return 0;
}

static void
fail(const char *why)
{
	fprintf(stderr, "fuzz_topo: %s (last error: \"%s\")\n", why, np_last_error());
	abort();
}

static void
query(const np_topo *t)
{
	unsigned int n = np_topo_node_count(t), cpus[256];
	uint64_t sizes[8];
	int order[64], prev = -1;
	int n_sizes = np_topo_hugepage_sizes(t, sizes, 8);

	if (n < 1)
		fail("a topology without a node");
	for (unsigned int i = 0; i < n; i++) {
		int id = np_topo_node_id(t, i);
		int k = np_topo_node_cpus(t, id, cpus, 256);

		if (id <= prev || np_topo_node_index(t, id) != (int)i || !np_topo_node_exists(t, id))
			fail("node ids not ascending, or a node not found again");
		prev = id;
		if (k < 0)
			fail("a listed node has no CPU list");
		for (int c = 0; c < k && c < 256; c++)
			if (np_topo_cpu_node(t, cpus[c]) != id || !np_topo_cpu_is_local(t, cpus[c], id))
				fail("a node's CPU belongs to another node");
		(void)np_topo_node_memory(t, id);
		(void)np_topo_node_is_memory_only(t, id);
		for (int s = 0; s < n_sizes && s < 8; s++) {
			struct np_hugepages hp;

			if (np_topo_node_hugepages(t, id, sizes[s], &hp) != 0 ||
			    hp.page_size != sizes[s] || hp.free > hp.total)
				fail("hugepages of a listed size unreadable or inconsistent");
		}
		for (unsigned int j = 0; j < n; j++) {
			int d = np_topo_distance(t, id, np_topo_node_id(t, j));

			if (d < 1 || d > 255 || (j == i && d != NP_DISTANCE_LOCAL &&
						 !np_topo_distances_known(t)))
				fail("a distance out of 1..255");
		}
		k = np_topo_nodes_by_distance(t, id, order, 64);
		if (k != (int)n || order[0] != id)
			fail("nodes by distance: not every node, or not starting with itself");
	}
	(void)np_topo_cpus_without_memory(t, cpus, 256);
	(void)np_topo_cpu_count(t);
	(void)np_topo_package_count(t);
	for (unsigned int i = 0; i < np_topo_nic_count(t); i++) {
		struct np_nic_info nic;

		if (np_topo_nic(t, i, &nic) != 0)
			fail("a counted NIC cannot be read");
		if (np_topo_nic_find(t, nic.pci_addr) < 0)
			fail("a NIC is not found by its own address");
		if (nic.node != NP_NODE_UNKNOWN && !np_topo_node_exists(t, nic.node))
			fail("a NIC on a node that does not exist");
	}
	(void)np_topo_source_name(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	np_topo *t;
	int fd = memfd_create("fuzz-topo.xml", MFD_CLOEXEC);

	if (fd < 0)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	t = np_topo_load_xml(path);
	if (t == NULL) {
		if (np_last_error()[0] == '\0')
			fail("refused without a message");
	} else {
		query(t);
		np_topo_destroy(t);
	}
	close(fd);
	return 0;
}
