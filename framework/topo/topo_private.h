/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of the topology module: the tables every query reads. */
#ifndef TOPO_PRIVATE_H
#define TOPO_PRIVATE_H

#include <hwloc.h>

#include "np_topo.h"

#define NP_LOGTYPE np_topo_logtype
extern int np_topo_logtype;

#define TOPO_MAX_PAGE_SIZES 4

struct topo_node {
	int id;                  /* OS index */
	unsigned int *cpus;      /* ascending OS indices */
	unsigned int n_cpus;
	uint64_t memory;         /* bytes */
	struct np_hugepages hp[TOPO_MAX_PAGE_SIZES]; /* indexed like topo->page_sizes */
};

struct np_topo {
	enum np_topo_source source;
	char *source_name;

	unsigned int n_nodes;
	struct topo_node *nodes; /* ascending id */

	/* n_nodes x n_nodes, dense indices: dist[i * n_nodes + j] */
	int *dist;
	bool dist_known;

	unsigned int n_packages;
	unsigned int n_cpus;

	uint64_t page_sizes[TOPO_MAX_PAGE_SIZES]; /* ascending */
	unsigned int n_page_sizes;

	struct np_nic_info *nics; /* ascending PCI address */
	unsigned int n_nics;
};

/* topo_sysfs.c: facts hwloc does not give, read from the live kernel. */
int topo_sysfs_nic_node(const char *pci_addr);
void topo_sysfs_nic_driver(const char *pci_addr, char *buf, size_t len);
int topo_sysfs_hugepages(int node, uint64_t page_size, uint64_t *total,
			 uint64_t *free_pages);
void topo_sysfs_enforcement(struct np_enforcement *out, bool live);

#endif /* TOPO_PRIVATE_H */
