/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Per-node executors: how work crosses nodes. Each node with workers has an
 * executor, two multi-producer rings in that node's memory; any lcore puts
 * work in, the node's own lcores take it out and run it, so the work runs
 * where its data lives.
 *
 * Two kinds of work:
 *  - a function and its argument (a 16-byte ring element), run as
 *    fn(arg, lcore) by whichever of the node's lcores polls;
 *  - a burst of mbufs, e.g. packets of flows whose state lives on that
 *    node (np_flow.h): handed to the handler the application registered
 *    at creation, handler(ctx, lcore, mbufs, n), which then owns them.
 *
 * Submitting never waits for room (VPP's handoff.c): a burst submit puts
 * in what fits and returns how many; the mbufs that did not fit are freed
 * and the functions refused, and either is counted as a congestion drop
 * for the pair (node of the submitting lcore, destination node). Nothing
 * is lost silently: every item is counted as queued and then run or
 * delivered, or as dropped, or as drained at stop. (The rings are DPDK's
 * default multi-producer/multi-consumer ones: a producer may spin for the
 * few nanoseconds an earlier producer takes to finish its copy, as with
 * any rte_ring shared by lcores; lcores should be pinned, one per CPU.)
 *
 * Serving: the node's workers call np_exec_poll() between RX bursts (the
 * run-to-completion style), or a dedicated lcore loops on it. A poll runs
 * up to a budget of functions and delivers up to a budget of mbufs.
 *
 * Counters are per lcore (plain stores to lines only that lcore writes,
 * summed on read; names from one list, NP_EXEC_COUNTERS). Which node an
 * lcore counts for is DPDK's socket of the lcore (its CPU's NUMA node)
 * unless set with np_exec_lcore_node().
 *
 * The fast path (submit, poll) is inline in np_exec_worker.h; this header
 * is the control plane. This module does not decide where work should go
 * (np_flow_home() does) and does not launch lcores.
 */
#ifndef NP_EXEC_H
#define NP_EXEC_H

#include <stddef.h>
#include <stdint.h>

#include <rte_config.h>

#include "np_common.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rte_mbuf;

/** Opaque executor set: one executor per node (layout in np_exec_worker.h). */
typedef struct np_executor np_executor;

/** A function to run on another node: called as fn(arg, lcore) by the polling lcore. */
typedef void (*np_exec_fn)(void *arg, unsigned int lcore);

/**
 * What an executor does with mbufs: called by the polling lcore with up to
 * NP_EXEC_BURST mbufs, which it then owns (forward or free them).
 */
typedef void (*np_exec_handler)(void *ctx, unsigned int lcore, struct rte_mbuf **mbufs,
				uint16_t n);

/** One queued function: the 16-byte ring element. */
struct np_exec_item {
	np_exec_fn fn;   /**< Called as fn(arg, lcore). */
	void *arg;       /**< Its argument. */
};

/** Largest node id + 1 an executor may serve (DPDK's socket limit). */
#define NP_EXEC_MAX_NODES RTE_MAX_NUMA_NODES

/** Items taken from a ring at a time by np_exec_poll(). */
#define NP_EXEC_BURST 32u

/**
 * Every executor counter, in one list: X(ENUM, name, explanation).
 * Submit-side counters belong to (source node, destination node); poll-
 * and drain-side ones to the node that ran the work.
 */
#define NP_EXEC_COUNTERS(X)                                                              \
	X(FN_SUBMITTED, "fn_submitted", "functions queued for the node")                 \
	X(FN_REFUSED, "fn_refused", "functions refused: the node's function ring was full") \
	X(MBUF_SUBMITTED, "mbufs_submitted", "mbufs queued for the node")                \
	X(MBUF_DROPPED, "mbufs_dropped", "mbufs freed: the node's mbuf ring was full")   \
	X(FN_RUN, "fn_run", "functions run by the node's lcores (np_exec_poll)")         \
	X(MBUF_DELIVERED, "mbufs_delivered", "mbufs handed to the handler by the node's lcores") \
	X(FN_DRAINED, "fn_drained", "functions run by np_exec_drain() (in flight at stop)") \
	X(MBUF_DRAINED, "mbufs_drained", "mbufs freed by np_exec_drain() (in flight at stop)")

/** Executor counters. */
enum np_exec_counter {
#define NP__EXEC_CTR_ENUM(e, name, doc) NP_EXEC_CTR_##e,
	NP_EXEC_COUNTERS(NP__EXEC_CTR_ENUM)
#undef NP__EXEC_CTR_ENUM
	NP_EXEC_CTR_COUNT   /**< Number of counters. */
};

/**
 * Name of counter @p c.
 *
 * @param c
 *   The counter.
 * @return
 *   Its name ("mbufs_dropped"); "unknown" if out of range.
 */
const char *np_exec_counter_name(enum np_exec_counter c);

/**
 * Explanation of counter @p c.
 *
 * @param c
 *   The counter.
 * @return
 *   One sentence; "unknown counter" if out of range.
 */
const char *np_exec_counter_doc(enum np_exec_counter c);

/** Creation parameters. */
struct np_exec_params {
	/** For messages and logs (copied, up to 31 characters). NULL: "exec". */
	const char *name;
	/** Nodes with workers, one executor each: distinct ids 0..NP_EXEC_MAX_NODES-1. */
	const int *nodes;
	/** DPDK socket id of each node's rings (SOCKET_ID_ANY allowed); NULL: the node ids. */
	const int *sockets;
	/** How many nodes, 1..NP_EXEC_MAX_NODES. */
	unsigned int n_nodes;
	/** Capacity of each node's mbuf ring, in mbufs (exact, not rounded). */
	unsigned int mbuf_ring_size;
	/** Capacity of each node's function ring, in items (exact). */
	unsigned int fn_ring_size;
	/** Receives the mbufs polled from a node's ring. Required. */
	np_exec_handler handler;
	/** Passed to @p handler. */
	void *ctx;
};

/**
 * Create one executor per node. The rings of node nodes[i] are allocated
 * on sockets[i]; the handle (read-mostly) on sockets[0]; each lcore's
 * counters on the socket of the node it counts for (if it has an executor).
 *
 * @param p
 *   The parameters (copied; the arrays may be freed afterwards).
 * @return
 *   The executor set, or NULL with errno set and np_last_error() saying
 *   what: EINVAL (NULL params, nodes or handler; a count, node, socket or
 *   ring size out of range; a node given twice), ENOMEM (no DPDK memory on
 *   a socket), or the rte_errno of rte_ring_create(). EAL must be
 *   initialised.
 */
np_executor *np_exec_create(const struct np_exec_params *p);

/**
 * Drain (np_exec_drain()), then free everything. Nothing else may use the
 * executor any more.
 *
 * @param e
 *   The executor set; NULL is ignored.
 */
void np_exec_destroy(np_executor *e);

/**
 * Stop: run every queued function (on the calling thread, with lcore =
 * rte_lcore_id()) and free every queued mbuf, counting them as drained.
 * Call once no lcore submits or polls. Functions run here must not submit
 * to the executor.
 *
 * @param e
 *   The executor set.
 * @return
 *   Number of items drained (at most INT32_MAX is reported), or -EINVAL
 *   (NULL).
 */
int np_exec_drain(np_executor *e);

/**
 * Make lcore @p lcore count as a source on node @p node (for a thread
 * registered with rte_thread_register(), or to override DPDK's socket).
 * Set it before the lcore submits. Counts are read through the current
 * binding: what an lcore id counted before a rebinding (e.g. an id that
 * rte_thread_unregister() freed and another thread got) moves with it.
 *
 * @param e
 *   The executor set.
 * @param lcore
 *   The lcore id, < RTE_MAX_LCORE.
 * @param node
 *   The node it counts for, or NP_NODE_UNKNOWN (its submits are then
 *   counted under src = NP_NODE_UNKNOWN in np_exec_pair_count()).
 * @return
 *   0, or -EINVAL (NULL, lcore >= RTE_MAX_LCORE, node not 0..NP_MAX_NODE_ID
 *   nor NP_NODE_UNKNOWN).
 */
int np_exec_lcore_node(np_executor *e, unsigned int lcore, int node);

/** Totals of one node's executor. */
struct np_exec_stats {
	int node;                               /**< The node. */
	uint64_t count[NP_EXEC_CTR_COUNT];      /**< Indexed by enum np_exec_counter. */
};

/**
 * Counters of node @p node's executor: submit-side ones summed over every
 * source node, poll-side ones over the node's lcores, drained at stop.
 *
 * @param e
 *   The executor set.
 * @param node
 *   The node whose executor is read.
 * @param out
 *   Receives the totals.
 * @return
 *   0, or -EINVAL (NULL), -ENOENT (no executor on that node).
 */
int np_exec_stats(const np_executor *e, int node, struct np_exec_stats *out);

/**
 * A submit-side counter (FN_SUBMITTED, FN_REFUSED, MBUF_SUBMITTED,
 * MBUF_DROPPED) for the pair (lcores counting for node @p src, executor of
 * node @p dst): e.g. the congestion drops from node 0 to node 1.
 *
 * @param e
 *   The executor set.
 * @param src
 *   The node the submitting lcores count for.
 * @param dst
 *   The destination node.
 * @param c
 *   One of the four submit-side counters.
 * @return
 *   The count; 0 for a NULL executor, an unknown pair or another counter.
 */
uint64_t np_exec_pair_count(const np_executor *e, int src, int dst, enum np_exec_counter c);

/**
 * Items (mbufs freed or functions refused) submitted to a node that has
 * no executor: a routing bug in the caller, counted so it is not silent.
 *
 * @param e
 *   The executor set.
 * @return
 *   Their number over every lcore; 0 for NULL.
 */
uint64_t np_exec_unroutable(const np_executor *e);

/** Where a node's executor memory is, for an audit (rte_mem_virt2memseg()). */
struct np_exec_mem {
	int node;                 /**< The node. */
	int socket;               /**< Socket id its rings were asked on. */
	const void *mbuf_ring;    /**< struct rte_ring of mbuf pointers. */
	const void *fn_ring;      /**< struct rte_ring of struct np_exec_item. */
};

/**
 * Fill @p out for node @p node.
 *
 * @param e
 *   The executor set.
 * @param node
 *   The node.
 * @param out
 *   Receives the addresses.
 * @return
 *   0, or -EINVAL (NULL), -ENOENT (no executor on that node).
 */
int np_exec_mem(const np_executor *e, int node, struct np_exec_mem *out);

#ifdef __cplusplus
}
#endif

#endif /* NP_EXEC_H */
