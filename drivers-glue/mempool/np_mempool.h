/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Per-node mbuf pools and rings, created on their node from an np_plan, and
 * the hugepage check that runs before EAL.
 *
 * One pool per node the plan names (struct np_plan_pool: its size is the
 * plan's arithmetic), one ring per np_plan_ring, each created with the node
 * as DPDK socket id. With no_numa (EAL --no-huge) DPDK has memory on one
 * socket only, and everything goes there: the report says so.
 *
 * The hugepage check estimates the bytes each node needs (pools: objects as
 * rte_mempool_calc_obj_size() counts them, the pool header with its
 * per-lcore caches and its ring; rings; descriptor rings; a page of heap per
 * node and EAL's own start-up memory on the main lcore's node) and compares
 * the pages with the node's free hugepages. It does not need EAL.
 */
#ifndef NP_MEMPOOL_H
#define NP_MEMPOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_mempool.h>
#include <rte_ring.h>

#include "np_common.h"
#include "np_plan.h"
#include "np_topo.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque set of the pools and rings of one plan. */
typedef struct np_mempools np_mempools;

/** How pools are made. */
struct np_mempools_opts {
	uint16_t data_room;      /**< Bytes of mbuf data room, headroom included. */
	unsigned int cache_size; /**< Per-lcore cache (must match the plan's). */
	bool no_numa;            /**< EAL runs without hugepages: one socket has all memory. */
	/**
	 * Optional, for the hugepage check: bytes each worker lcore of the plan
	 * (np_plan_lcore() order) allocates on its memory node (its context,
	 * buffers and stage contexts: np_pipeline_lcore_bytes()). NULL counts
	 * none, but every worker's node is still checked.
	 */
	const uint64_t *lcore_bytes;
	/**
	 * Optional, for the hugepage check: bytes the application allocates
	 * once on each node with workers (on the workers' memory node), besides
	 * the lcores' own: per-node tables such as flow tables
	 * (np_flow_table_memory()). 0: none.
	 */
	uint64_t worker_node_bytes;
	/**
	 * Optional: names become "<prefix>_<plan name>", so several pool sets
	 * live in one process (DPDK names are unique). NULL: the plan's names.
	 */
	const char *name_prefix;
};

/**
 * Create the pools and rings of @p plan, each on its node.
 *
 * @param plan
 *   The plan (only read during the call).
 * @param opts
 *   How to make the pools.
 * @return
 *   The set, or NULL with errno and np_last_error() naming the pool or ring,
 *   its size and node: EINVAL (NULL argument, name_prefix longer than 8
 *   characters, cache_size over RTE_MEMPOOL_CACHE_MAX_SIZE), ENOMEM (not
 *   enough memory on the node: reserve hugepages there or use --no-huge),
 *   EEXIST (a pool of that name exists already), or another rte_errno of
 *   rte_pktmbuf_pool_create() or rte_ring_create().
 */
np_mempools *np_mempools_create(const np_plan *plan, const struct np_mempools_opts *opts);

/**
 * Free the pools and rings.
 *
 * @param pools
 *   The set; NULL is accepted.
 */
void np_mempools_destroy(np_mempools *pools);

/**
 * The mbuf pool planned on @p node.
 *
 * @param pools
 *   The set.
 * @param node
 *   A node id.
 * @return
 *   The pool, or NULL with errno = ENOENT if the plan has none there (or
 *   @p pools is NULL).
 */
struct rte_mempool *np_mempools_pool(const np_mempools *pools, int node);

/**
 * The ring planned on @p node.
 *
 * @param pools
 *   The set.
 * @param node
 *   A node id (the ring's polling node, np_plan_ring.node).
 * @return
 *   The ring, or NULL with errno = ENOENT if the plan has none there (or
 *   @p pools is NULL).
 */
struct rte_ring *np_mempools_ring(const np_mempools *pools, int node);

/**
 * The DPDK socket id to request memory meant for @p node with: @p node
 * itself, or with no_numa the one socket EAL --no-huge has memory on.
 * Never -1, so it can go to calls taking an unsigned socket id.
 *
 * @param pools
 *   The set.
 * @param node
 *   A node id, >= 0.
 * @return
 *   The socket id, or -EINVAL (NULL pools, negative node).
 */
int np_mempools_socket(const np_mempools *pools, int node);

/**
 * The node DPDK placed the memory at @p addr on (rte_mem_virt2memseg()).
 *
 * @param addr
 *   An address.
 * @return
 *   A node id, or NP_NODE_UNKNOWN if the address is not DPDK memory.
 */
int np_mempool_addr_node(const void *addr);

/**
 * The node of a pool's objects: np_mempool_addr_node() of its first memory chunk.
 *
 * @param mp
 *   The pool.
 * @return
 *   A node id, or NP_NODE_UNKNOWN (@p mp NULL, no memory chunk, not DPDK
 *   memory).
 */
int np_mempool_node(const struct rte_mempool *mp);

/** Hugepage needs of one node. */
struct np_hugepage_need {
	/** The node. */
	int node;
	uint64_t pool_bytes;   /**< mbuf pools, headers and their rings. */
	uint64_t ring_bytes;   /**< The plan's rings. */
	uint64_t desc_bytes;   /**< Descriptor rings of the queues on this node (estimate). */
	uint64_t lcore_bytes;  /**< Worker lcores' contexts, buffers and stage contexts. */
	uint64_t table_bytes;  /**< Per-node tables of a node with workers (np_mempools_opts.worker_node_bytes). */
	uint64_t eal_bytes;    /**< EAL's start-up memory (main lcore's node) and heap slack. */
	/** The sum of the above. */
	uint64_t total_bytes;
	/** Bytes per hugepage the pages are counted in. */
	uint64_t page_size;
	uint64_t pages;        /**< Pages needed. */
	uint64_t free_pages;   /**< Free on the node now. */
	uint64_t total_pages;  /**< Reserved on the node now. */
};

/**
 * What each node of @p plan needs, in pages of @p page_size.
 *
 * @param topo
 *   The machine (free and reserved pages per node).
 * @param plan
 *   The plan.
 * @param opts
 *   How the pools will be made.
 * @param main_node
 *   Node of the main lcore (EAL's start-up memory goes there).
 * @param page_size
 *   Bytes per hugepage, > 0.
 * @param out
 *   Filled with up to @p max entries, ascending node; may be NULL when
 *   @p max is 0.
 * @param max
 *   Capacity of @p out.
 * @return
 *   The number of nodes that need memory (may exceed max), or -EINVAL (a
 *   NULL argument, page_size 0), -ENOMEM.
 */
int np_mempool_hugepage_needs(const np_topo *topo, const np_plan *plan,
			      const struct np_mempools_opts *opts, int main_node,
			      uint64_t page_size, struct np_hugepage_need *out,
			      unsigned int max);

/**
 * Check, before EAL init, that every node the plan uses has enough free
 * hugepages; with @p verbose, print the arithmetic there.
 *
 * The page size is that of the first hugetlbfs mount for a live topology,
 * else 2 MB.
 *
 * @param topo
 *   The machine.
 * @param plan
 *   The plan.
 * @param opts
 *   How the pools will be made.
 * @param main_node
 *   Node of the main lcore.
 * @param verbose
 *   Where to print the arithmetic, or NULL.
 * @return
 *   0, or -ENOMEM with np_last_error() giving the exact shortfall of the
 *   first short node and the command that fixes it ("node 1 has 3 free 2 MB
 *   hugepages, the plan needs 12 (short by 9): echo 105 >
 *   /sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages,
 *   or run without hugepages: --no-huge"), -ENOENT (hugetlbfs is not mounted
 *   on a live machine), -EINVAL.
 */
int np_mempool_check_hugepages(const np_topo *topo, const np_plan *plan,
			       const struct np_mempools_opts *opts, int main_node,
			       FILE *verbose);

/**
 * Bytes the plan needs over all nodes: what to give EAL's -m with --no-huge.
 *
 * @param topo
 *   The machine.
 * @param plan
 *   The plan.
 * @param opts
 *   How the pools will be made.
 * @param main_node
 *   Node of the main lcore.
 * @return
 *   Bytes, or 0 on a NULL argument.
 */
uint64_t np_mempool_total_bytes(const np_topo *topo, const np_plan *plan,
				const struct np_mempools_opts *opts, int main_node);

#ifdef __cplusplus
}
#endif

#endif /* NP_MEMPOOL_H */
