/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of the per-node pools and rings. */
#ifndef MEMPOOL_PRIVATE_H
#define MEMPOOL_PRIVATE_H

#include "np_mempool.h"

#define NP_LOGTYPE np_mempool_logtype
extern int np_mempool_logtype;

struct mempool_entry {
	int node;               /* planned node */
	int socket;             /* socket id given to DPDK */
	struct rte_mempool *mp;
};

struct ring_entry {
	int node;
	int socket;
	struct rte_ring *ring;
};

struct np_mempools {
	bool no_numa;
	struct mempool_entry *pools;
	unsigned int n_pools;
	struct ring_entry *rings;
	unsigned int n_rings;
};

#endif /* MEMPOOL_PRIVATE_H */
