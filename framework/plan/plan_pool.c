/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rings and per-node mbuf pools of a plan. A pool must hold every mbuf that
 * can be away from it at once: in RX descriptors, in TX descriptors not yet
 * completed, in per-lcore caches, in rings, in bursts held by lcores, plus
 * what the application injects. Too small and RX silently stops refilling;
 * l2fwd's RTE_MAX(..., 8192) floor hides that, so there is no floor here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "np_error_private.h"
#include "plan_private.h"

static bool
has_node(const int *nodes, unsigned int n, int node)
{
	for (unsigned int i = 0; i < n; i++)
		if (nodes[i] == node)
			return true;
	return false;
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* One handoff ring per polling node, in that node's memory (its consumers). */
static int
plan_rings(np_plan *plan, const np_topo *topo, const struct np_plan_params *p)
{
	int nodes[NP_PLAN_MAX_PORTS];
	unsigned int n = 0;

	if (p->tx_mode != NP_TX_BY_HANDOFF)
		return 0;
	for (unsigned int i = 0; i < plan->n_ports; i++)
		if (!has_node(nodes, n, plan->ports[i].info.poll_node))
			nodes[n++] = plan->ports[i].info.poll_node;
	qsort(nodes, n, sizeof(int), cmp_int);
	plan->rings = calloc(n, sizeof(*plan->rings));
	if (plan->rings == NULL)
		return np_fail(ENOMEM, "plan: no memory for rings");
	for (unsigned int i = 0; i < n; i++) {
		struct np_plan_ring *r = &plan->rings[i];

		snprintf(r->name, sizeof(r->name), "np_handoff_n%d", nodes[i]);
		r->node = nodes[i];
		r->mem_node = plan_memory_node(topo, nodes[i]);
		r->size = p->ring_size;
		r->holds_mbufs = true;
	}
	plan->n_rings = n;
	return 0;
}

/* Does the worker @p w allocate from or free into the pool on @p node? */
static bool
touches(const np_plan *plan, unsigned int w, int node)
{
	if (plan->tx_mode == NP_TX_BY_HANDOFF)
		return true;
	for (unsigned int i = 0; i < plan->n_rxqs; i++)
		if (plan->rxqs[i].lcore == plan->workers[w].cpu &&
		    plan->rxqs[i].pool_node == node)
			return true;
	return false;
}

static uint32_t
pow2_minus_1(uint64_t n)
{
	uint64_t v = 1;

	while (v - 1 < n)
		v <<= 1;
	return (uint32_t)(v - 1);
}

static int
size_pool(np_plan *plan, const struct np_plan_params *p, struct np_plan_pool *pool)
{
	uint64_t ring_mbufs = 0, cache;

	for (unsigned int i = 0; i < plan->n_rxqs; i++) {
		const struct np_plan_rxq *r = &plan->rxqs[i];

		if (r->pool_node != pool->node)
			continue;
		pool->n_rxq++;
		pool->rx_desc += plan->ports[r->port].info.nb_rxd;
		if (r->queue == 0)
			pool->held += p->held_per_port;
	}
	for (unsigned int w = 0; w < plan->n_workers; w++) {
		if (!touches(plan, w, pool->node))
			continue;
		pool->n_lcores++;
		for (unsigned int t = 0; t < plan->n_txqs; t++)
			if (plan->txqs[t].lcore == plan->workers[w].cpu)
				pool->tx_desc += plan->ports[plan->txqs[t].port].info.nb_txd;
	}
	for (unsigned int i = 0; i < plan->n_rings; i++)
		if (plan->rings[i].holds_mbufs)
			ring_mbufs += plan->rings[i].size - 1;
	pool->rings = ring_mbufs;
	/* A cache grows to its flush threshold, 1.5 x its size (rte_mempool.c). */
	cache = (p->cache_size * 3 + 1) / 2;
	/*
	 * A main lcore kept apart takes what the application injects through a
	 * cache of its own, which keeps what it did not hand out while the
	 * loops run.
	 */
	pool->caches = ((uint64_t)pool->n_lcores + (plan->main_apart && pool->held > 0)) * cache;
	pool->bursts = (uint64_t)pool->n_lcores * p->burst *
		       (p->tx_mode == NP_TX_BY_HANDOFF ? 2 : 1);
	pool->sum = pool->rx_desc + pool->tx_desc + pool->caches + pool->rings +
		    pool->bursts + pool->held;
	if (pool->sum >= UINT32_MAX / 2)
		return np_fail(ERANGE, "pool on node %d would need %llu mbufs: use fewer "
			       "descriptors, a smaller handoff ring or mempool cache",
			       pool->node, (unsigned long long)pool->sum);
	pool->n_mbufs = pow2_minus_1(pool->sum);
	snprintf(pool->name, sizeof(pool->name), "np_mbuf_n%d", pool->node);
	return 0;
}

int
plan_size_pools(np_plan *plan, const np_topo *topo, const struct np_plan_params *p)
{
	int nodes[NP_MAX_NODE_ID + 1]; /* distinct pool nodes */
	unsigned int n = 0;
	int ret;

	ret = plan_rings(plan, topo, p);
	if (ret < 0)
		return ret;
	for (unsigned int i = 0; i < plan->n_rxqs; i++)
		if (!has_node(nodes, n, plan->rxqs[i].pool_node))
			nodes[n++] = plan->rxqs[i].pool_node;
	qsort(nodes, n, sizeof(int), cmp_int);
	plan->pools = calloc(n, sizeof(*plan->pools));
	if (plan->pools == NULL)
		return np_fail(ENOMEM, "plan: no memory for pools");
	plan->n_pools = n;
	for (unsigned int i = 0; i < n; i++) {
		plan->pools[i].node = nodes[i];
		ret = size_pool(plan, p, &plan->pools[i]);
		if (ret < 0)
			return ret;
	}
	return 0;
}
