/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * What a stage sees: the burst, its verdicts, and the per-packet metadata
 * the pipeline keeps in an mbuf dynamic field. Inline, for stage code.
 *
 * A verdict is a uint16_t: the kind in the top two bits, a port index, node
 * id or drop cause in the other fourteen. Every packet enters a stage with
 * NP_VERDICT_NEXT; a stage sets the verdict of each packet that should not
 * go on to the next stage:
 *
 *   NP_VERDICT_PORT(p)   leave on port p (an index of the plan's ports), on
 *                        this lcore's TX queue there: the plan gives an lcore
 *                        one on the peer of each port it polls (on every port
 *                        when the peer is NP_PLAN_PEER_ANY); another port is
 *                        dropped as no_route;
 *   NP_VERDICT_NODE(n)   continue on node n, through node n's executor;
 *   NP_VERDICT_DROP(c)   free it, counted under this stage and cause c.
 *
 * After the last stage, a packet still marked NEXT leaves on the peer of
 * the port it came in on.
 */
#ifndef NP_PIPELINE_WORKER_H
#define NP_PIPELINE_WORKER_H

#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include "np_counter_worker.h"
#include "np_pipeline.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Go on to the next stage (every packet's verdict when a stage is called). */
#define NP_VERDICT_NEXT ((uint16_t)0)
/** @cond INTERNAL */
/** @internal The kind bits. */
#define NP__VERDICT_KIND 0xC000u
#define NP__VERDICT_ARG 0x3FFFu
#define NP__VERDICT_PORT 0x4000u
#define NP__VERDICT_NODE 0x8000u
#define NP__VERDICT_DROP 0xC000u
/** @endcond */
/** Leave on port @p p (the port's index in the plan). */
#define NP_VERDICT_PORT(p) ((uint16_t)(NP__VERDICT_PORT | ((unsigned int)(p) & NP__VERDICT_ARG)))
/** Continue on node @p n: hand the packet to node n's executor. */
#define NP_VERDICT_NODE(n) ((uint16_t)(NP__VERDICT_NODE | ((unsigned int)(n) & NP__VERDICT_ARG)))
/** Drop, counted under cause @p c (enum np_drop_cause). */
#define NP_VERDICT_DROP(c) ((uint16_t)(NP__VERDICT_DROP | ((unsigned int)(c) & NP__VERDICT_ARG)))

/**
 * Per-packet metadata, in an mbuf dynamic field the pipeline registers
 * ("numaperf_pkt_meta"). Written by the pipeline where it needs it: at RX
 * (rx_tsc, in_port, handoffs = 0) when packets may be handed off (handoff
 * rings or executors), and before a handoff (out_port or stage, handoffs +
 * 1). Latency recording alone does not write it: a stage reads the time
 * from np_burst.now and the port from np_burst.in_port.
 */
struct np_pkt_meta {
	uint64_t rx_tsc;      /**< TSC when the burst was received. */
	uint16_t in_port;     /**< Plan index of the port it came in on. */
	uint16_t out_port;    /**< Plan index of the port it leaves on (handoff). */
	uint16_t handoffs;    /**< Times it was handed to a ring or an executor. */
	uint16_t stage;       /**< The stage it resumes at after an executor handoff. */
};

/** A burst as a stage's process() receives it. */
struct np_burst {
	struct rte_mbuf **pkts;  /**< The packets, pkts[0..n). */
	uint16_t *verdict;       /**< One per packet, NP_VERDICT_NEXT on entry. */
	uint16_t n;              /**< How many. */
	uint16_t in_port;        /**< Plan index of the port the burst came in on. */
	uint16_t n_ports;        /**< Ports of the plan: valid NP_VERDICT_PORT arguments. */
	uint16_t lcore;          /**< The worker running the stage. */
	int16_t node;            /**< Its node. */
	int meta_offset;         /**< Offset of struct np_pkt_meta in an mbuf. */
	uint64_t now;            /**< TSC at the burst's RX (or at its executor handoff's poll); 0 unless a stage sets np_stage.uses_now, latency is recorded or a stage has a tick. */
	/** @cond INTERNAL */
	uint64_t *pairs;         /**< @internal This lcore's node-pair counters. */
	/** @endcond */
};

/**
 * Count @p n events of kind @p kind from this lcore's node to node @p dst
 * (e.g. NP_PAIR_FLOW_LOOKUP: lookups in node dst's flow table), on the
 * lcore's own counters (np_pipeline_node_pair() sums them).
 *
 * @param b
 *   The burst the stage is processing.
 * @param kind
 *   What is counted.
 * @param dst
 *   The destination node; outside 0..NP_PIPELINE_MAX_NODES - 1 nothing is
 *   counted.
 * @param n
 *   How many.
 */
static inline void
np_burst_count_pair(struct np_burst *b, enum np_node_pair_kind kind, int dst, uint64_t n)
{
	if (likely((unsigned int)dst < NP_PIPELINE_MAX_NODES && (unsigned int)kind < NP_PAIR_N))
		np_counter_u64_add(&b->pairs[(unsigned int)kind * NP_PIPELINE_MAX_NODES +
					     (unsigned int)dst], n);
}

/**
 * Set the verdict of packet @p i.
 *
 * @param b
 *   The burst.
 * @param i
 *   The packet's index, below b->n (not checked).
 * @param verdict
 *   NP_VERDICT_NEXT, NP_VERDICT_PORT(), NP_VERDICT_NODE() or
 *   NP_VERDICT_DROP().
 */
static inline void
np_burst_verdict(struct np_burst *b, uint16_t i, uint16_t verdict)
{
	b->verdict[i] = verdict;
}

/**
 * Set the verdict of every packet of the burst.
 *
 * @param b
 *   The burst.
 * @param verdict
 *   NP_VERDICT_NEXT, NP_VERDICT_PORT(), NP_VERDICT_NODE() or
 *   NP_VERDICT_DROP().
 */
static inline void
np_burst_verdict_all(struct np_burst *b, uint16_t verdict)
{
	for (uint16_t i = 0; i < b->n; i++)
		b->verdict[i] = verdict;
}

/**
 * The metadata of a packet.
 *
 * @param b
 *   The burst it belongs to (for the field's offset).
 * @param m
 *   The packet.
 * @return
 *   Its np_pkt_meta, inside the mbuf.
 */
static inline struct np_pkt_meta *
np_pkt_meta(const struct np_burst *b, struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, b->meta_offset, struct np_pkt_meta *);
}

#ifdef __cplusplus
}
#endif

#endif /* NP_PIPELINE_WORKER_H */
