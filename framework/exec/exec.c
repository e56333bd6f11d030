/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Creating, draining and destroying the per-node executors. Each node's
 * rings are allocated on that node's socket: the node's lcores dequeue
 * from them on every poll, while producers on other nodes pay the remote
 * write once per burst.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>

#include "exec_private.h"

NP_LOG_REGISTER(np_exec_logtype, "numaperf.exec");

/* rte_ring names are global in the process: a sequence number keeps them unique. */
static uint32_t exec_seq;

static void
exec_free(np_executor *e)
{
	if (e == NULL)
		return;
	for (unsigned int i = 0; i < e->n_nodes; i++) {
		rte_ring_free(e->q[i].mbufs);
		rte_ring_free(e->q[i].fns);
	}
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++)
		rte_free(e->ctr[l]);
	rte_free(e);
}

static np_executor *
fail(np_executor *e)
{
	int err = errno;

	exec_free(e);
	errno = err;
	rte_errno = err;
	return NULL;
}

static int
check_params(const struct np_exec_params *p)
{
	if (p == NULL || p->nodes == NULL || p->handler == NULL)
		return np_fail(EINVAL, "np_exec_create: %s is NULL", p == NULL ? "params" :
			       p->nodes == NULL ? "the node list" : "the mbuf handler");
	if (p->n_nodes == 0 || p->n_nodes > NP_EXEC_MAX_NODES)
		return np_fail(EINVAL, "np_exec_create: %u nodes: give 1..%d nodes with workers",
			       p->n_nodes, NP_EXEC_MAX_NODES);
	for (unsigned int i = 0; i < p->n_nodes; i++) {
		int s = p->sockets != NULL ? p->sockets[i] : p->nodes[i];

		if (p->nodes[i] < 0 || p->nodes[i] >= NP_EXEC_MAX_NODES)
			return np_fail(EINVAL, "np_exec_create: node %d (entry %u) is not a node id "
				       "0..%d", p->nodes[i], i, NP_EXEC_MAX_NODES - 1);
		for (unsigned int j = 0; j < i; j++)
			if (p->nodes[j] == p->nodes[i])
				return np_fail(EINVAL, "np_exec_create: node %d is given twice (entries "
					       "%u and %u): one executor per node", p->nodes[i], j, i);
		if (s != SOCKET_ID_ANY && (s < 0 || s >= RTE_MAX_NUMA_NODES))
			return np_fail(EINVAL, "np_exec_create: socket %d of node %d is not a DPDK "
				       "socket id (0..%d) nor SOCKET_ID_ANY", s, p->nodes[i],
				       RTE_MAX_NUMA_NODES - 1);
	}
	if (p->mbuf_ring_size == 0 || p->mbuf_ring_size > RTE_RING_SZ_MASK ||
	    p->fn_ring_size == 0 || p->fn_ring_size > RTE_RING_SZ_MASK)
		return np_fail(EINVAL, "np_exec_create: ring sizes %u (mbufs) and %u (functions) must "
			       "be 1..%u", p->mbuf_ring_size, p->fn_ring_size,
			       (unsigned int)RTE_RING_SZ_MASK);
	return 0;
}

static struct rte_ring *
make_ring(np_executor *e, uint32_t seq, unsigned int i, char kind, unsigned int esize,
	  unsigned int count)
{
	struct np_exec_queue *q = &e->q[i];
	char name[RTE_RING_NAMESIZE];
	struct rte_ring *r;

	snprintf(name, sizeof(name), "npx%" PRIu32 "%c%d", seq, kind, q->node);
	/* Multi-producer, multi-consumer (the node's lcores), capacity exactly as asked. */
	r = rte_ring_create_elem(name, esize, count, q->socket, RING_F_EXACT_SZ);
	if (r == NULL)
		np_fail(rte_errno ? rte_errno : ENOMEM, "np_exec_create: executor \"%s\": the %s ring "
			"of node %d (%u items on socket %d): %s%s", e->name,
			kind == 'm' ? "mbuf" : "function", q->node, count, q->socket,
			rte_strerror(rte_errno), rte_errno == ENOMEM ? ": reserve more hugepages on "
			"that node, or give EAL more memory" : "");
	return r;
}

np_executor *
np_exec_create(const struct np_exec_params *p)
{
	np_executor *e;
	uint32_t seq;
	int home;

	if (check_params(p) < 0)
		return NULL;
	home = p->sockets != NULL ? p->sockets[0] : p->nodes[0];
	e = rte_zmalloc_socket("np_executor", sizeof(*e), RTE_CACHE_LINE_SIZE, home);
	if (e == NULL)
		return np_fail_null(ENOMEM, "np_exec_create: no DPDK memory on socket %d for the "
				    "executor handle: is EAL initialised, with memory on it?", home);
	snprintf(e->name, sizeof(e->name), "%s", p->name != NULL ? p->name : "exec");
	e->handler = p->handler;
	e->ctx = p->ctx;
	memset(e->idx, -1, sizeof(e->idx));
	seq = __atomic_fetch_add(&exec_seq, 1, __ATOMIC_RELAXED);
	for (unsigned int i = 0; i < p->n_nodes; i++) {
		struct np_exec_queue *q = &e->q[i];

		q->node = p->nodes[i];
		q->socket = p->sockets != NULL ? p->sockets[i] : p->nodes[i];
		e->idx[q->node] = (int8_t)i;
		e->n_nodes = i + 1;
		q->mbufs = make_ring(e, seq, i, 'm', sizeof(void *), p->mbuf_ring_size);
		if (q->mbufs == NULL)
			return fail(e);
		q->fns = make_ring(e, seq, i, 'f', sizeof(struct np_exec_item), p->fn_ring_size);
		if (q->fns == NULL)
			return fail(e);
		e->mbuf_ring[q->node] = q->mbufs;
		e->fn_ring[q->node] = q->fns;
	}
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++) {
		int node = rte_lcore_is_enabled(l) ? (int)rte_lcore_to_socket_id(l) : NP_NODE_UNKNOWN;
		int idx = np__exec_idx(e, node);
		size_t sz = (e->n_nodes + 1) * sizeof(struct np_exec_ctr_row);

		e->lcore_node[l] = node;
		/* An lcore's counters on its own node when that node has an executor. */
		e->ctr[l] = rte_zmalloc_socket("np_exec_ctr", sz, RTE_CACHE_LINE_SIZE,
					       idx >= 0 ? e->q[idx].socket : home);
		if (e->ctr[l] == NULL)
			e->ctr[l] = rte_zmalloc("np_exec_ctr", sz, RTE_CACHE_LINE_SIZE);
		if (e->ctr[l] == NULL) {
			np_fail(ENOMEM, "np_exec_create: executor \"%s\": no DPDK memory for lcore %u's "
				"counters (%zu bytes)", e->name, l, sz);
			return fail(e);
		}
	}
	NP_LOG(DEBUG, "executor \"%s\": %u node%s, rings of %u mbufs and %u functions", e->name,
	       e->n_nodes, e->n_nodes == 1 ? "" : "s", p->mbuf_ring_size, p->fn_ring_size);
	return e;
}

int
np_exec_drain(np_executor *e)
{
	unsigned int lcore = rte_lcore_id();
	uint64_t total = 0;

	if (e == NULL)
		return np_fail(EINVAL, "np_exec_drain: executor is NULL");
	for (unsigned int i = 0; i < e->n_nodes; i++) {
		struct np_exec_queue *q = &e->q[i];
		unsigned int k;

		do {
			struct np_exec_item it[NP_EXEC_BURST];

			k = rte_ring_dequeue_burst_elem(q->fns, it, sizeof(it[0]), NP_EXEC_BURST, NULL);
			for (unsigned int j = 0; j < k; j++)
				it[j].fn(it[j].arg, lcore);
			q->fn_drained += k;
			total += k;
		} while (k != 0);
		__atomic_store_n(&e->fn_pending[q->node], 0, __ATOMIC_RELEASE);
		do {
			struct rte_mbuf *m[NP_EXEC_BURST];

			k = rte_ring_dequeue_burst(q->mbufs, (void **)m, NP_EXEC_BURST, NULL);
			rte_pktmbuf_free_bulk(m, k);
			q->mbuf_drained += k;
			total += k;
		} while (k != 0);
	}
	if (total != 0)
		NP_LOG(INFO, "executor \"%s\": %" PRIu64 " items in flight at stop, drained",
		       e->name, total);
	return total > INT32_MAX ? INT32_MAX : (int)total;
}

void
np_exec_destroy(np_executor *e)
{
	if (e == NULL)
		return;
	np_exec_drain(e);
	exec_free(e);
}

int
np_exec_lcore_node(np_executor *e, unsigned int lcore, int node)
{
	if (e == NULL || lcore >= RTE_MAX_LCORE)
		return np_fail(EINVAL, "np_exec_lcore_node: %s", e == NULL ? "executor is NULL" :
			       "lcore is not below RTE_MAX_LCORE");
	if (node != NP_NODE_UNKNOWN && (node < 0 || node > NP_MAX_NODE_ID))
		return np_fail(EINVAL, "np_exec_lcore_node: node %d is not a node id (0..%d) nor "
			       "NP_NODE_UNKNOWN", node, NP_MAX_NODE_ID);
	e->lcore_node[lcore] = node;
	return 0;
}
