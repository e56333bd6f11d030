/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Topology discovery on a real multi-node machine (the QEMU guest): the
 * nodes, their CPUs, the distance matrix and each NIC's node must be what the
 * guest was built with, and must agree with libnuma.
 *
 * usage: test_vm_topo --cpus "0-1;2-3" --distances "10,21;21,10"
 *                     [--nic 0000:0a:02.0=1] [--nic 0000:00:05.0=unknown]
 * --cpus lists each node's CPUs (node ids 0..n-1), --distances the matrix.
 * SKIP (77) on a machine with fewer than 2 NUMA nodes.
 */
#include <getopt.h>
#include <limits.h>
#include <numa.h>
#include <stdlib.h>
#include <string.h>

#include "np_test.h"
#include "np_topo.h"

#define MAX_NODES 8
#define MAX_NICS 4

static unsigned int want_nodes;
static unsigned int want_cpus[MAX_NODES][64];
static unsigned int want_ncpus[MAX_NODES];
static int want_dist[MAX_NODES][MAX_NODES];
static struct { char pci[16]; int node; } want_nic[MAX_NICS];
static unsigned int want_nnics;
static np_topo *topo;

static int
setup(void)
{
	topo = np_topo_load_live();
	if (topo == NULL)
		fprintf(stderr, "np_topo_load_live: %s\n", np_last_error());
	return topo == NULL;
}

static int
teardown(void)
{
	np_topo_destroy(topo);
	return 0;
}

static void
test_nodes_and_cpus(void)
{
	NP_REQUIRE_INT(np_topo_node_count(topo), want_nodes);
	for (unsigned int n = 0; n < want_nodes; n++) {
		unsigned int got[64];
		int k = np_topo_node_cpus(topo, (int)n, got, 64);

		NP_CHECK_INT(np_topo_node_id(topo, n), n);
		NP_CHECK_INT(k, want_ncpus[n]);
		for (unsigned int c = 0; c < want_ncpus[n] && (int)c < k; c++) {
			NP_CHECK(got[c] == want_cpus[n][c], "node %u cpu[%u]: got %u, expected %u",
				 n, c, got[c], want_cpus[n][c]);
			/* libnuma, reading sysfs on its own, must agree. */
			NP_CHECK_INT(numa_node_of_cpu((int)got[c]), n);
		}
		NP_CHECK(np_topo_node_memory(topo, (int)n) > 0, "node %u has memory", n);
	}
}

static void
test_distances(void)
{
	NP_CHECK(np_topo_distances_known(topo), "the guest's firmware gives a SLIT");
	for (unsigned int a = 0; a < want_nodes; a++)
		for (unsigned int b = 0; b < want_nodes; b++) {
			NP_CHECK(np_topo_distance(topo, (int)a, (int)b) == want_dist[a][b],
				 "distance %u->%u: got %d, expected %d", a, b,
				 np_topo_distance(topo, (int)a, (int)b), want_dist[a][b]);
			NP_CHECK_INT(numa_distance((int)a, (int)b), want_dist[a][b]);
		}
}

static void
test_nics(void)
{
	for (unsigned int i = 0; i < want_nnics; i++) {
		int idx = np_topo_nic_find(topo, want_nic[i].pci);
		struct np_nic_info nic;

		NP_CHECK(idx >= 0, "NIC %s present in the guest", want_nic[i].pci);
		if (idx < 0)
			continue;
		np_topo_nic(topo, (unsigned int)idx, &nic);
		NP_CHECK(nic.node == want_nic[i].node, "NIC %s: node %d, expected %d%s",
			 nic.pci_addr, nic.node, want_nic[i].node,
			 want_nic[i].node == NP_NODE_UNKNOWN ? " (unknown)" : "");
	}
}

static void
test_hugepages_per_node(void)
{
	/* The harness reserves 2 MB pages on every node of the guest. */
	for (unsigned int n = 0; n < want_nodes; n++) {
		struct np_hugepages hp;

		NP_REQUIRE_INT(np_topo_node_hugepages(topo, (int)n, 2u << 20, &hp), 0);
		NP_CHECK(hp.total > 0, "node %u has 2 MB hugepages reserved (total %llu)", n,
			 (unsigned long long)hp.total);
	}
}

static void
usage_error(const char *what)
{
	fprintf(stderr, "test_vm_topo: %s\n", what);
	exit(2);
}

/*
 * One node's expected CPUs, "0-1" or "0,2-3", as the kernel writes a CPU
 * list: parsed here, not by the library under test (nor by libnuma, which
 * refuses CPUs this host does not have: the list is the guest's).
 */
static void
parse_list(const char *s, unsigned int *out, unsigned int *n)
{
	const char *p = s;

	*n = 0;
	while (*p) {
		char *end;
		unsigned long lo = strtoul(p, &end, 10), hi = lo;

		if (end == p)
			usage_error("--cpus: a CPU list like 0-1;2-3 is expected");
		if (*end == '-') {
			p = end + 1;
			hi = strtoul(p, &end, 10);
			if (end == p || hi < lo)
				usage_error("--cpus: a CPU list like 0-1;2-3 is expected");
		}
		for (unsigned long c = lo; c <= hi && *n < 64; c++)
			out[(*n)++] = (unsigned int)c;
		if (*end == ',')
			end++;
		else if (*end != '\0')
			usage_error("--cpus: a CPU list like 0-1;2-3 is expected");
		p = end;
	}
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cpus", required_argument, NULL, 'c' },
		{ "distances", required_argument, NULL, 'd' },
		{ "nic", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct np_test_case cases[] = {
		{ "nodes and CPUs", test_nodes_and_cpus },
		{ "distance matrix", test_distances },
		{ "NIC nodes", test_nics },
		{ "hugepages per node", test_hugepages_per_node },
		{ NULL, NULL },
	};
	static const struct np_test_suite suite = { "topo in the guest", setup, teardown, cases };
	char *tok, *save, *buf;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			buf = strdup(optarg);
			for (tok = strtok_r(buf, ";", &save); tok && want_nodes < MAX_NODES;
			     tok = strtok_r(NULL, ";", &save), want_nodes++)
				parse_list(tok, want_cpus[want_nodes], &want_ncpus[want_nodes]);
			free(buf);
			break;
		case 'd': {
			unsigned int row = 0;

			buf = strdup(optarg);
			for (tok = strtok_r(buf, ";", &save); tok && row < MAX_NODES;
			     tok = strtok_r(NULL, ";", &save), row++) {
				char *p = tok;

				/* "10 21" or "10,21": np-vm --query distances prints commas */
				for (unsigned int col = 0; col < MAX_NODES && *p; col++) {
					want_dist[row][col] = (int)strtol(p, &p, 10);
					p += strspn(p, ", ");
				}
			}
			free(buf);
			break;
		}
		case 'n': {
			const char *eq = strchr(optarg, '=');

			if (eq == NULL || want_nnics >= MAX_NICS || eq - optarg >= 16)
				usage_error("--nic wants PCI=NODE or PCI=unknown");
			snprintf(want_nic[want_nnics].pci, 16, "%.*s", (int)(eq - optarg), optarg);
			want_nic[want_nnics++].node =
				strcmp(eq + 1, "unknown") == 0 ? NP_NODE_UNKNOWN : atoi(eq + 1);
			break;
		}
		default:
			usage_error("usage: test_vm_topo --cpus LISTS --distances MATRIX [--nic PCI=NODE]");
		}
	}
	if (want_nodes < 2)
		usage_error("--cpus must describe at least 2 nodes");
	if (numa_available() < 0 || numa_num_configured_nodes() < 2)
		NP_TEST_SKIP_ALL("test_vm_topo needs >= 2 NUMA nodes, this machine has %d: "
				 "run it in the VM (tests/vm/np-vm -- %s ...)",
				 numa_available() < 0 ? 0 : numa_num_configured_nodes(), argv[0]);
	return np_test_run(&suite, 1);
}
