/* SPDX-License-Identifier: BSD-3-Clause */
/* Topology queries: lookups in the tables built by topo_load.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "np_error_private.h"
#include "topo_private.h"

enum np_topo_source
np_topo_source(const np_topo *topo)
{
	return topo->source;
}

const char *
np_topo_source_name(const np_topo *topo)
{
	return topo->source_name;
}

unsigned int
np_topo_node_count(const np_topo *topo)
{
	return topo->n_nodes;
}

int
np_topo_node_id(const np_topo *topo, unsigned int idx)
{
	if (idx >= topo->n_nodes)
		return -EINVAL;
	return topo->nodes[idx].id;
}

int
np_topo_node_index(const np_topo *topo, int node)
{
	/* Few nodes (<= 8 in practice): a scan beats a sparse map. */
	for (unsigned int i = 0; i < topo->n_nodes; i++)
		if (topo->nodes[i].id == node)
			return (int)i;
	return -ENOENT;
}

bool
np_topo_node_exists(const np_topo *topo, int node)
{
	return np_topo_node_index(topo, node) >= 0;
}

static const struct topo_node *
node_of(const np_topo *topo, int node)
{
	int i = np_topo_node_index(topo, node);

	return i < 0 ? NULL : &topo->nodes[i];
}

int
np_topo_node_cpus(const np_topo *topo, int node, unsigned int *cpus, unsigned int max)
{
	const struct topo_node *n = node_of(topo, node);

	if (n == NULL)
		return -ENOENT;
	for (unsigned int i = 0; i < n->n_cpus && i < max; i++)
		cpus[i] = n->cpus[i];
	return (int)n->n_cpus;
}

uint64_t
np_topo_node_memory(const np_topo *topo, int node)
{
	const struct topo_node *n = node_of(topo, node);

	return n == NULL ? 0 : n->memory;
}

int
np_topo_cpu_node(const np_topo *topo, unsigned int cpu)
{
	for (unsigned int i = 0; i < topo->n_nodes; i++)
		for (unsigned int c = 0; c < topo->nodes[i].n_cpus; c++)
			if (topo->nodes[i].cpus[c] == cpu)
				return topo->nodes[i].id;
	return -ENOENT;
}

bool
np_topo_cpu_is_local(const np_topo *topo, unsigned int cpu, int node)
{
	return node >= 0 && np_topo_cpu_node(topo, cpu) == node;
}

unsigned int
np_topo_cpu_count(const np_topo *topo)
{
	return topo->n_cpus;
}

int
np_topo_hugepage_sizes(const np_topo *topo, uint64_t *sizes, unsigned int max)
{
	for (unsigned int i = 0; i < topo->n_page_sizes && i < max; i++)
		sizes[i] = topo->page_sizes[i];
	return (int)topo->n_page_sizes;
}

int
np_topo_node_hugepages(const np_topo *topo, int node, uint64_t page_size,
		       struct np_hugepages *out)
{
	const struct topo_node *n = node_of(topo, node);

	if (n == NULL)
		return -ENOENT;
	for (unsigned int s = 0; s < topo->n_page_sizes; s++)
		if (topo->page_sizes[s] == page_size) {
			*out = n->hp[s];
			return 0;
		}
	return -EINVAL;
}

int
np_topo_distance(const np_topo *topo, int from, int to)
{
	int a = np_topo_node_index(topo, from), b = np_topo_node_index(topo, to);

	if (a < 0 || b < 0)
		return -ENOENT;
	return topo->dist[a * (int)topo->n_nodes + b];
}

bool
np_topo_distances_known(const np_topo *topo)
{
	return topo->dist_known;
}

int
np_topo_nodes_by_distance(const np_topo *topo, int from, int *nodes, unsigned int max)
{
	int a = np_topo_node_index(topo, from);
	unsigned int n = topo->n_nodes, k = 0;
	const int *row;
	bool *used;

	if (a < 0)
		return -ENOENT;
	row = &topo->dist[a * (int)n];
	used = calloc(n, sizeof(*used));
	if (used == NULL)
		return -ENOMEM;
	/*
	 * Selection by (self first, distance, id): n is small and this keeps
	 * "self first" true even for a matrix whose diagonal is not the minimum.
	 */
	for (k = 0; k < n && k < max; k++) {
		int best = -1;

		for (unsigned int j = 0; j < n; j++) {
			if (used[j])
				continue;
			if (best < 0 || (int)j == a ||
			    (best != a && row[j] < row[best]))
				best = (int)j;
		}
		used[best] = true;
		nodes[k] = topo->nodes[best].id;
	}
	free(used);
	return (int)n;
}

unsigned int
np_topo_package_count(const np_topo *topo)
{
	return topo->n_packages;
}

bool
np_topo_node_is_memory_only(const np_topo *topo, int node)
{
	const struct topo_node *n = node_of(topo, node);

	return n != NULL && n->n_cpus == 0 && n->memory > 0;
}

int
np_topo_cpus_without_memory(const np_topo *topo, unsigned int *cpus, unsigned int max)
{
	unsigned int k = 0;

	for (unsigned int i = 0; i < topo->n_nodes; i++) {
		if (topo->nodes[i].memory > 0)
			continue;
		for (unsigned int c = 0; c < topo->nodes[i].n_cpus; c++, k++)
			if (k < max)
				cpus[k] = topo->nodes[i].cpus[c];
	}
	return (int)k;
}

unsigned int
np_topo_nic_count(const np_topo *topo)
{
	return topo->n_nics;
}

int
np_topo_nic(const np_topo *topo, unsigned int idx, struct np_nic_info *out)
{
	if (idx >= topo->n_nics)
		return -EINVAL;
	*out = topo->nics[idx];
	return 0;
}

int
np_topo_nic_find(const np_topo *topo, const char *pci_addr)
{
	char full[32];

	if (pci_addr == NULL)
		return -ENOENT;
	/* "0a:02.0" is shorthand for domain 0000, as lspci and DPDK accept. */
	if (strlen(pci_addr) <= 7)
		snprintf(full, sizeof(full), "0000:%s", pci_addr);
	else
		snprintf(full, sizeof(full), "%s", pci_addr);
	for (unsigned int i = 0; i < topo->n_nics; i++)
		if (strcasecmp(topo->nics[i].pci_addr, full) == 0)
			return (int)i;
	return -ENOENT;
}

void
np_topo_enforcement(const np_topo *topo, struct np_enforcement *out)
{
	topo_sysfs_enforcement(out, topo->source == NP_TOPO_LIVE);
}
