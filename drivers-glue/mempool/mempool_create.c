/* SPDX-License-Identifier: BSD-3-Clause */
/* Creating the per-node mbuf pools and rings of a plan, on their node. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_memory.h>

#include "mempool_private.h"
#include "np_error_private.h"

NP_LOG_REGISTER(np_mempool_logtype, "numaperf.mempool");

int
np_mempool_addr_node(const void *addr)
{
	const struct rte_memseg *ms = rte_mem_virt2memseg(addr, NULL);

	if (ms == NULL || ms->socket_id < 0)
		return NP_NODE_UNKNOWN;
	return ms->socket_id;
}

int
np_mempool_node(const struct rte_mempool *mp)
{
	const struct rte_mempool_memhdr *hdr;

	if (mp == NULL)
		return NP_NODE_UNKNOWN;
	hdr = STAILQ_FIRST(&mp->mem_list);
	return hdr ? np_mempool_addr_node(hdr->addr) : NP_NODE_UNKNOWN;
}

static int
first_socket(const struct rte_memseg_list *msl, void *arg)
{
	if (msl->memseg_arr.count == 0)
		return 0;
	*(int *)arg = msl->socket_id;
	return 1;
}

/*
 * The socket id to give DPDK for memory meant for @p node. With --no-huge,
 * EAL has a single memory list (on socket 0 in DPDK 22.11) and asking for
 * another socket fails: use the socket that has memory, never -1 (the queue
 * set-up calls take an unsigned socket id).
 */
static int
socket_for(int node, bool no_numa)
{
	int s = -1;

	if (!no_numa)
		return node;
	if (rte_memseg_list_walk(first_socket, &s) <= 0 || s < 0)
		return node;
	return s;
}

void
np_mempools_destroy(np_mempools *p)
{
	if (p == NULL)
		return;
	for (unsigned int i = 0; i < p->n_rings; i++)
		rte_ring_free(p->rings[i].ring);
	for (unsigned int i = 0; i < p->n_pools; i++)
		rte_mempool_free(p->pools[i].mp);
	free(p->rings);
	free(p->pools);
	free(p);
}

/* DPDK's name for a pool or ring: the plan's, with the set's prefix if any. */
static void
name_of(char *buf, size_t len, const char *prefix, const char *plan_name)
{
	/* Prefix at most 8 characters, plan names at most 16 ("np_handoff_n1023"). */
	if (prefix != NULL && prefix[0])
		snprintf(buf, len, "%.8s_%.16s", prefix, plan_name);
	else
		snprintf(buf, len, "%.25s", plan_name);
}

np_mempools *
np_mempools_create(const np_plan *plan, const struct np_mempools_opts *opts)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	np_mempools *p;
	int err;

	if (plan == NULL || opts == NULL)
		return np_fail_null(EINVAL, "np_mempools_create: plan and options are required");
	if (opts->name_prefix != NULL && strlen(opts->name_prefix) > 8)
		return np_fail_null(EINVAL, "pool name prefix \"%.16s\" is longer than 8 "
				    "characters (DPDK names are at most %d)", opts->name_prefix,
				    (int)RTE_MEMPOOL_NAMESIZE - 1);
	if (opts->cache_size > RTE_MEMPOOL_CACHE_MAX_SIZE)
		return np_fail_null(EINVAL, "mempool cache_size %u exceeds DPDK's maximum %d",
				    opts->cache_size, RTE_MEMPOOL_CACHE_MAX_SIZE);
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return np_fail_null(ENOMEM, "no memory for the pool set");
	p->no_numa = opts->no_numa;
	p->pools = calloc(np_plan_pool_count(plan) + 1, sizeof(*p->pools));
	p->rings = calloc(np_plan_ring_count(plan) + 1, sizeof(*p->rings));
	if (p->pools == NULL || p->rings == NULL) {
		np_fail(ENOMEM, "no memory for the pool set");
		goto fail;
	}
	for (unsigned int i = 0; i < np_plan_pool_count(plan); i++) {
		struct np_plan_pool pp;
		struct mempool_entry *e = &p->pools[i];
		int got;

		np_plan_pool(plan, i, &pp);
		e->node = pp.node;
		e->socket = socket_for(pp.node, opts->no_numa);
		name_of(name, sizeof(name), opts->name_prefix, pp.name);
		/* The node is why this pool exists: its queues' NIC and pollers are there. */
		e->mp = rte_pktmbuf_pool_create(name, pp.n_mbufs, opts->cache_size, 0,
						opts->data_room, e->socket);
		if (e->mp == NULL && rte_errno == EEXIST) {
			np_fail(EEXIST, "cannot create mbuf pool %s: a pool of that name exists "
				"already (a second pool set in this process needs its own "
				"name_prefix)", name);
			goto fail;
		}
		if (e->mp == NULL) {
			np_fail(rte_errno, "cannot create mbuf pool %s: %u mbufs of %u bytes on "
				"node %d (socket %d): %s; reserve hugepages on node %d (the "
				"hugepage check shows how many) or run EAL without hugepages "
				"(no_huge)", name, pp.n_mbufs, opts->data_room, pp.node,
				e->socket, rte_strerror(rte_errno), pp.node);
			goto fail;
		}
		p->n_pools++;
		got = np_mempool_node(e->mp);
		if (got != e->socket)
			NP_LOG(WARNING, "pool %s: asked for socket %d, DPDK placed it on %d",
			       pp.name, e->socket, got);
		NP_LOG(INFO, "pool %s: %u mbufs x %u B on node %d%s", pp.name, pp.n_mbufs,
		       opts->data_room, got, opts->no_numa ? " (--no-huge: one socket)" : "");
	}
	for (unsigned int i = 0; i < np_plan_ring_count(plan); i++) {
		struct np_plan_ring pr;
		struct ring_entry *e = &p->rings[i];

		np_plan_ring(plan, i, &pr);
		e->node = pr.node;
		e->socket = socket_for(pr.mem_node, opts->no_numa);
		name_of(name, sizeof(name), opts->name_prefix, pr.name);
		/* Multi-producer (RX lcores of any node), multi-consumer (the node's workers). */
		e->ring = rte_ring_create(name, pr.size, e->socket, 0);
		if (e->ring == NULL) {
			np_fail(rte_errno, "cannot create ring %s: %u slots on node %d: %s",
				name, pr.size, pr.mem_node, rte_strerror(rte_errno));
			goto fail;
		}
		p->n_rings++;
	}
	return p;
fail:
	err = errno;
	np_mempools_destroy(p);
	errno = err;
	return NULL;
}

struct rte_mempool *
np_mempools_pool(const np_mempools *p, int node)
{
	for (unsigned int i = 0; p && i < p->n_pools; i++)
		if (p->pools[i].node == node)
			return p->pools[i].mp;
	errno = ENOENT;
	return NULL;
}

struct rte_ring *
np_mempools_ring(const np_mempools *p, int node)
{
	for (unsigned int i = 0; p && i < p->n_rings; i++)
		if (p->rings[i].node == node)
			return p->rings[i].ring;
	errno = ENOENT;
	return NULL;
}

int
np_mempools_socket(const np_mempools *p, int node)
{
	if (p == NULL || node < 0)
		return -EINVAL;
	return socket_for(node, p->no_numa);
}
