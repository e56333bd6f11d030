/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The fast path of np_exec.h, inline: submit and poll.
 *
 * Cost: a submit is one rte_ring enqueue burst plus one or two counter
 * stores on the submitting lcore's own line; a poll is one dequeue burst
 * per kind plus the calls. Batch per destination (one submit per
 * destination node per RX burst, VPP handoff.c's frame per thread) so the
 * ring's atomic operations are paid per burst, not per packet.
 */
#ifndef NP_EXEC_WORKER_H
#define NP_EXEC_WORKER_H

#include <assert.h>
#include <errno.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "np_counter_worker.h"
#include "np_exec.h"

#ifdef __cplusplus
extern "C" {
#endif

static_assert(sizeof(struct np_exec_item) == 16, "a function item is a 16-byte ring element");
static_assert(NP_EXEC_BURST <= UINT16_MAX, "a polled burst fits the handler's uint16_t count");

/** @cond INTERNAL */
/** @internal One row of an lcore's counters (one destination or served node): one line. */
struct np_exec_ctr_row {
	uint64_t v[NP_EXEC_CTR_COUNT];
} __rte_cache_aligned;

static_assert(sizeof(struct np_exec_ctr_row) == RTE_CACHE_LINE_SIZE,
	      "one line per row: more counters need a second line (and this assert updated)");

/** @internal One node's executor. */
struct np_exec_queue {
	struct rte_ring *mbufs;   /**< MP/MC ring of mbuf pointers. */
	struct rte_ring *fns;     /**< MP/MC ring of struct np_exec_item. */
	int node;
	int socket;
	uint64_t fn_drained;      /**< Written by np_exec_drain() only. */
	uint64_t mbuf_drained;
} __rte_cache_aligned;

/**
 * @internal The executor set. Read-mostly: the fast path reads the ring
 * pointers (indexed by node id, so a submit is one load away from its
 * ring: no node -> index hop on the path to the ring's atomics), the
 * handler, idx and ctr; each lcore writes only its own counter rows.
 */
struct np_executor {
	struct rte_ring *mbuf_ring[NP_EXEC_MAX_NODES];   /**< By node id; NULL: no executor. */
	struct rte_ring *fn_ring[NP_EXEC_MAX_NODES];     /**< By node id; NULL: no executor. */
	np_exec_handler handler;
	void *ctx;
	unsigned int n_nodes;
	int8_t idx[NP_EXEC_MAX_NODES];        /**< node id -> index in q and counter rows, or -1. */
	/** Per lcore: n_nodes rows (by destination / served node index), then one row whose v[0] counts unroutable items. */
	struct np_exec_ctr_row *ctr[RTE_MAX_LCORE];
	int lcore_node[RTE_MAX_LCORE];        /**< Node each lcore counts for as a source. */
	struct np_exec_queue q[NP_EXEC_MAX_NODES];
	char name[32];
	/**
	 * By node id: 1 when functions may be queued there. Set by submitters
	 * after their enqueue, taken (exchanged for 0) by the poller before it
	 * dequeues, all with atomic exchanges so that a poller that takes a 1
	 * sees every item enqueued before it. A poll of a node with none reads
	 * this one line (its own: written only when functions are submitted),
	 * not the functions ring's two.
	 */
	uint8_t fn_pending[NP_EXEC_MAX_NODES] __rte_cache_aligned;
};

/**
 * @internal Run up to @p budget functions queued on @p fr, NP_EXEC_BURST at
 * a time: out of line, so that the poll of a node without queued functions
 * stays a few instructions.
 */
static __rte_noinline unsigned int
np__exec_run_fns(np_executor *e, int node, unsigned int lcore, unsigned int budget)
{
	struct rte_ring *fr = e->fn_ring[node];
	unsigned int fns = 0, k;

	if (__atomic_exchange_n(&e->fn_pending[node], 0, __ATOMIC_ACQ_REL) == 0)
		return 0;   /* another lcore of the node took them */
	while (fns < budget) {
		struct np_exec_item it[NP_EXEC_BURST];

		k = rte_ring_dequeue_burst_elem(fr, it, sizeof(it[0]),
						RTE_MIN(NP_EXEC_BURST, budget - fns), NULL);
		if (k == 0)
			break;
		for (unsigned int i = 0; i < k; i++)
			it[i].fn(it[i].arg, lcore);
		fns += k;
	}
	/* The budget ran out first: the next poll goes on. */
	if (!rte_ring_empty(fr))
		__atomic_exchange_n(&e->fn_pending[node], 1, __ATOMIC_RELEASE);
	return fns;
}

/** @internal Index of node @p node's executor, or -1. */
static inline int
np__exec_idx(const np_executor *e, int node)
{
	return (unsigned int)node < NP_EXEC_MAX_NODES ? e->idx[node] : -1;
}
/** @endcond */

/**
 * Hand a burst of mbufs to node @p dst's executor.
 *
 * @param e
 *   The executor set.
 * @param lcore
 *   The caller's lcore id, < RTE_MAX_LCORE (its counter slot).
 * @param dst
 *   Destination node.
 * @param mbufs
 *   @p n mbufs; all of them change owner: queued or freed.
 * @param n
 *   Burst size.
 * @return
 *   How many were queued (mbufs[0..ret-1]); mbufs[ret..n-1] were freed
 *   and counted as congestion drops for (this lcore's node, @p dst). For a
 *   node without an executor all are freed and counted as unroutable.
 */
static __rte_always_inline unsigned int
np_exec_submit_burst(np_executor *e, unsigned int lcore, int dst, struct rte_mbuf **mbufs,
		     unsigned int n)
{
	struct np_exec_ctr_row *c;
	struct rte_ring *r;
	unsigned int k;

	assert(lcore < RTE_MAX_LCORE);
	if (unlikely((unsigned int)dst >= NP_EXEC_MAX_NODES || (r = e->mbuf_ring[dst]) == NULL)) {
		rte_pktmbuf_free_bulk(mbufs, n);
		np_counter_u64_add(&e->ctr[lcore][e->n_nodes].v[0], n);
		return 0;
	}
	/* The counter's address before the ring's atomics: not a load chain after them. */
	c = &e->ctr[lcore][e->idx[dst]];
	k = rte_ring_enqueue_burst(r, (void **)mbufs, n, NULL);
	np_counter_u64_add(&c->v[NP_EXEC_CTR_MBUF_SUBMITTED], k);
	if (unlikely(k < n)) {
		rte_pktmbuf_free_bulk(mbufs + k, n - k);
		np_counter_u64_add(&c->v[NP_EXEC_CTR_MBUF_DROPPED], n - k);
	}
	return k;
}

/**
 * Queue @p n functions for node @p dst's executor.
 *
 * @param e
 *   The executor set.
 * @param lcore
 *   The caller's lcore id, < RTE_MAX_LCORE (its counter slot).
 * @param dst
 *   Destination node.
 * @param items
 *   @p n functions and their arguments (copied into the ring).
 * @param n
 *   How many.
 * @return
 *   How many were queued (items[0..ret-1]); the rest were refused (not
 *   run: the caller still owns their arguments) and counted as congestion
 *   drops for (this lcore's node, @p dst), or as unroutable when @p dst
 *   has no executor.
 */
static __rte_always_inline unsigned int
np_exec_submit_fns(np_executor *e, unsigned int lcore, int dst, const struct np_exec_item *items,
		   unsigned int n)
{
	struct np_exec_ctr_row *c;
	struct rte_ring *r;
	unsigned int k;

	assert(lcore < RTE_MAX_LCORE);
	if (unlikely((unsigned int)dst >= NP_EXEC_MAX_NODES || (r = e->fn_ring[dst]) == NULL)) {
		np_counter_u64_add(&e->ctr[lcore][e->n_nodes].v[0], n);
		return 0;
	}
	c = &e->ctr[lcore][e->idx[dst]];
	k = rte_ring_enqueue_burst_elem(r, items, sizeof(items[0]), n, NULL);
	if (k > 0)
		__atomic_exchange_n(&e->fn_pending[dst], 1, __ATOMIC_RELEASE);
	np_counter_u64_add(&c->v[NP_EXEC_CTR_FN_SUBMITTED], k);
	if (unlikely(k < n))
		np_counter_u64_add(&c->v[NP_EXEC_CTR_FN_REFUSED], n - k);
	return k;
}

/**
 * Queue one function for node @p dst: np_exec_submit_fns() of one item.
 *
 * @param e
 *   The executor set.
 * @param lcore
 *   The caller's lcore id, < RTE_MAX_LCORE.
 * @param dst
 *   Destination node.
 * @param fn
 *   The function, run as fn(arg, lcore) on an lcore of @p dst.
 * @param arg
 *   Its argument.
 * @return
 *   0 queued; -ENOBUFS refused (ring full, counted); -ENODEV no executor
 *   on @p dst (counted as unroutable).
 */
static inline int
np_exec_submit_fn(np_executor *e, unsigned int lcore, int dst, np_exec_fn fn, void *arg)
{
	const struct np_exec_item it = { fn, arg };

	if (np_exec_submit_fns(e, lcore, dst, &it, 1) == 1)
		return 0;
	return np__exec_idx(e, dst) < 0 ? -ENODEV : -ENOBUFS;
}

/**
 * Serve node @p node's executor from lcore @p lcore (an lcore of that
 * node): run up to @p budget queued functions, then deliver up to
 * @p budget queued mbufs to the handler, NP_EXEC_BURST at a time.
 *
 * @param e
 *   The executor set.
 * @param node
 *   The node whose executor is served.
 * @param lcore
 *   The caller's lcore id, < RTE_MAX_LCORE.
 * @param budget
 *   Most functions, and most mbufs, to take in this call.
 * @return
 *   Items run or delivered (0: both rings were empty, or no executor on
 *   @p node).
 */
static __rte_always_inline unsigned int
np_exec_poll(np_executor *e, int node, unsigned int lcore, unsigned int budget)
{
	struct np_exec_ctr_row *c;
	struct rte_ring *mr;
	unsigned int fns = 0, mbs = 0, k;

	assert(lcore < RTE_MAX_LCORE);
	if (unlikely((unsigned int)node >= NP_EXEC_MAX_NODES || (mr = e->mbuf_ring[node]) == NULL))
		return 0;
	/* Functions are rare next to packets: one load says "none". */
	if (unlikely(__atomic_load_n(&e->fn_pending[node], __ATOMIC_RELAXED)))
		fns = np__exec_run_fns(e, node, lcore, budget);
	/* The common case, budget <= NP_EXEC_BURST, is one dequeue and no loop. */
	do {
		struct rte_mbuf *m[NP_EXEC_BURST];

		k = rte_ring_dequeue_burst(mr, (void **)m, RTE_MIN(NP_EXEC_BURST, budget - mbs), NULL);
		if (k == 0)
			break;
		e->handler(e->ctx, lcore, m, (uint16_t)k);
		mbs += k;
	} while (unlikely(mbs < budget && k == NP_EXEC_BURST));
	c = &e->ctr[lcore][e->idx[node]];
	if (unlikely(fns != 0))
		np_counter_u64_add(&c->v[NP_EXEC_CTR_FN_RUN], fns);
	if (mbs != 0)
		np_counter_u64_add(&c->v[NP_EXEC_CTR_MBUF_DELIVERED], mbs);
	return fns + mbs;
}

#ifdef __cplusplus
}
#endif

#endif /* NP_EXEC_WORKER_H */
