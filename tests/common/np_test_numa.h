/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the kernel and libnuma say about nodes, asked independently of
 * numaperf so that a test never checks the library against itself: the
 * node of a page (move_pages), a node's CPUs and free hugepages, and the
 * start of a multi-node program (its --nodes option, its nodes, SKIP on a
 * machine with fewer than two).
 *
 * Header only, like np_test.h; the program links libnuma.
 */
#ifndef NP_TEST_NUMA_H
#define NP_TEST_NUMA_H

#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <numa.h>
#include <numaif.h>

#include "np_test.h"

/* The node of the page holding @addr, as move_pages says; -errno if it cannot say. */
static inline int
np_test_page_node(const void *addr)
{
	void *page = (void *)((uintptr_t)addr & ~(uintptr_t)(sysconf(_SC_PAGESIZE) - 1));
	int status = -1;

	if (move_pages(0, 1, &page, NULL, &status, 0) < 0)
		return -errno;
	return status;
}

/*
 * The move_pages status of each of the @n pages of @psize bytes from
 * @addr: a node, or -errno (-ENOENT: not faulted in). Allocated: the
 * caller frees it. move_pages failing is fatal to the test.
 */
static inline int *
np_test_page_nodes(void *addr, size_t n, size_t psize)
{
	void **pages = calloc(n, sizeof(*pages));
	int *st = calloc(n, sizeof(*st));

	NP_REQUIRE(pages != NULL && st != NULL, "out of memory");
	for (size_t i = 0; i < n; i++)
		pages[i] = (char *)addr + i * psize;
	NP_REQUIRE(move_pages(0, n, pages, NULL, st, 0) == 0, "move_pages: %s", strerror(errno));
	free(pages);
	return st;
}

/* The CPUs of node @node as libnuma says (below CPU_SETSIZE); 0, or -1 if it cannot say. */
static inline int
np_test_libnuma_cpus(int node, cpu_set_t *out)
{
	struct bitmask *bm = numa_allocate_cpumask();
	int ret = numa_node_to_cpus(node, bm);

	CPU_ZERO(out);
	for (unsigned int c = 0; ret == 0 && c < bm->size && c < CPU_SETSIZE; c++)
		if (numa_bitmask_isbitset(bm, c))
			CPU_SET(c, out);
	numa_free_cpumask(bm);
	return ret == 0 ? 0 : -1;
}

/* Free hugepages of @page_size bytes on node @node, from sysfs; -1 if unknown. */
static inline long long
np_test_free_hugepages(int node, size_t page_size)
{
	char path[160];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path),
		 "/sys/devices/system/node/node%d/hugepages/hugepages-%zukB/free_hugepages", node,
		 page_size >> 10);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* ---- the start of a multi-node program ------------------------------------- */

/*
 * The options of a multi-node program: "--nodes N", the number of nodes
 * the machine must have (-1 when not given). Anything else: usage on
 * stderr and exit 2.
 */
static inline int
np_test_nodes_option(int argc, char **argv)
{
	int expected = -1;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--nodes") == 0 && i + 1 < argc) {
			expected = atoi(argv[++i]);
		} else {
			fprintf(stderr, "usage: %s [--nodes N]\nunknown argument: %s\n", argv[0], argv[i]);
			exit(2);
		}
	}
	return expected;
}

/* Which nodes a multi-node program works on. */
enum np_test_nodes {
	NP_TEST_NODES_WITH_MEMORY,
	NP_TEST_NODES_WITH_CPUS,
};

/*
 * The nodes with memory (or with CPUs), ascending, into @nodes (at most
 * @max); the program SKIPs (77), saying how to run it in the multi-node
 * guest, unless NUMA is available and there are at least two.
 *
 * @return How many nodes.
 */
static inline int
np_test_multinode(enum np_test_nodes which, int *nodes, int max, const char *prog)
{
	const char *with = which == NP_TEST_NODES_WITH_CPUS ? "CPUs" : "memory";
	int k = 0;

	if (numa_available() < 0)
		NP_TEST_SKIP_ALL("NUMA is not available on this kernel (numa_available() < 0): "
				 "run it in the multi-node guest: tests/vm/np-vm --topology 2node -- %s",
				 prog);
	for (int n = 0; n <= numa_max_node() && k < max; n++) {
		bool has;

		if (!numa_bitmask_isbitset(numa_nodes_ptr, (unsigned int)n))
			continue;
		if (which == NP_TEST_NODES_WITH_CPUS) {
			struct bitmask *bm = numa_allocate_cpumask();

			has = numa_node_to_cpus(n, bm) == 0 && numa_bitmask_weight(bm) > 0;
			numa_free_cpumask(bm);
		} else {
			has = numa_node_size64(n, NULL) > 0;
		}
		if (has)
			nodes[k++] = n;
	}
	if (k < 2)
		NP_TEST_SKIP_ALL("needs >= 2 NUMA nodes with %s, this machine has %d: run it in the "
				 "multi-node guest: tests/vm/np-vm --topology 2node -- %s", with, k, prog);
	return k;
}

#endif /* NP_TEST_NUMA_H */
