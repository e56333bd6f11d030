/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internals of the pipeline: the per-lcore context every worker loop reads,
 * all of it allocated on the worker's own node.
 */
#ifndef PIPELINE_PRIVATE_H
#define PIPELINE_PRIVATE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "np_exec.h"
#include "np_hist.h"
#include "np_hist_worker.h"
#include "np_pipeline.h"
#include "np_pipeline_worker.h"

#define NP_LOGTYPE np_pipeline_logtype
extern int np_pipeline_logtype;

/* A TX buffer holds two bursts: a full one is sent before the next is added. */
#define TXBUF_CAP (2 * NP_PIPELINE_MAX_BURST)

/*
 * Packets held in a TX buffer that share an RX stamp and an input port:
 * latency is recorded per run when they leave, never read back from each
 * mbuf (its metadata is in the mbuf's second cache line: reading it per
 * packet cost more than the rest of the recording).
 */
struct stamp_run {
	uint64_t rx_tsc;
	uint16_t in_port;
	uint16_t n;
};

/* One lcore's buffer for one port: its own TX queue there. */
struct txbuf {
	uint16_t port_id;     /* DPDK port */
	uint16_t queue;       /* this lcore's TX queue on it */
	uint16_t port;        /* plan index */
	uint16_t len;
	uint64_t since;       /* drain timer: TSC it started, 0 not yet (flush_all()) */
	uint16_t n_runs;      /* with latency: runs[] describe pkts[0..len) in order */
	struct rte_mbuf *pkts[TXBUF_CAP];
	struct stamp_run runs[TXBUF_CAP];
} __rte_cache_aligned;

/* One lcore's buffer for one node's handoff ring: one enqueue per loop. */
struct hobuf {
	struct rte_ring *ring;
	int node;             /* the polling node that consumes the ring */
	uint16_t len;
	struct rte_mbuf *pkts[TXBUF_CAP];
} __rte_cache_aligned;

/* One lcore's buffer for one node's executor: one submit per loop. */
struct exbuf {
	int node;
	uint16_t len;
	struct rte_mbuf *pkts[TXBUF_CAP];
} __rte_cache_aligned;

struct rxq {
	uint16_t port_id;
	uint16_t queue;
	uint16_t port;        /* plan index */
	int16_t peer;         /* plan index of the default route, -1 none */
	uint8_t pool;         /* index of the pool the queue fills from (POOL_OTHER: none) */
	/*
	 * That pool's memory when it is one piece (one memory chunk): an mbuf
	 * whose address is in [pool_base, pool_base + pool_len) is one of its
	 * objects, told without reading the mbuf. pool_len 0: no such range.
	 */
	uintptr_t pool_base;
	uintptr_t pool_len;
};

/* Index of the locality counter for mbufs of a pool the plan does not know. */
#define POOL_OTHER NP_PIPELINE_MAX_POOLS

/*
 * The per-lcore counters: plain, written by the owning lcore only, read by
 * summing over the lcores (the one counter design of the framework, see
 * np_counter_worker.h for the increment).
 */
struct counters {
	uint64_t port[NP_PLAN_MAX_PORTS][NP_PORT_N];
	uint64_t lcore[NP_LCORE_N];
	uint64_t drops[NP_PIPELINE_MAX_STAGES + 1][NP_DROP_N];
	/* Received mbufs by port and by the pool they came from. */
	uint64_t pool_pkts[NP_PLAN_MAX_PORTS][NP_PIPELINE_MAX_POOLS + 1];
	/* Node pairs from this lcore's node, by dense destination index. */
	uint64_t pair[NP_PAIR_N][NP_PIPELINE_MAX_NODES];
} __rte_cache_aligned;

struct stage_slot {
	void (*process)(void *ctx, struct np_burst *b);
	void *ctx;
};

struct tick_slot {
	void (*tick)(void *ctx, uint64_t now);
	void *ctx;
};

/* Everything one worker loop reads, on the worker's node. */
struct lcore_ctx {
	/* Written at stop by np_pipeline_stop(), read every loop: on this node. */
	volatile sig_atomic_t stop;
	unsigned int lcore;
	int node;
	int mem_node;
	int socket;
	unsigned int burst;
	unsigned int n_ports;
	unsigned int n_stages;
	int meta_offset;
	bool handoff;
	uint64_t drain_tsc;   /* 0: flush at the end of every iteration */
	bool tsc_every_loop;  /* latency, a tick or a stage needs the time */
	uint64_t tsc_last;    /* the last leave time read this iteration, 0 none (leave_tsc()) */
	uint64_t deadline;    /* TSC at which to return; UINT64_MAX none */

	unsigned int n_rxq;
	struct rxq rxq[NP_PIPELINE_MAX_RXQ];
	struct stage_slot stage[NP_PIPELINE_MAX_STAGES];
	unsigned int n_ticks;
	struct tick_slot ticks[NP_PIPELINE_MAX_STAGES];

	/* TX buffers by plan port (NULL: no TX queue of this lcore there). */
	struct txbuf *tx[NP_PLAN_MAX_PORTS];
	unsigned int n_txbuf;
	struct txbuf *txbufs;        /* the n_txbuf buffers, one allocation */

	/* Handoff: the buffer for the ring of each port's polling node. */
	struct hobuf *ho_of_port[NP_PLAN_MAX_PORTS];
	unsigned int n_hobuf;
	struct hobuf *hobufs;
	struct rte_ring *drain_ring; /* this node's ring, or NULL */

	/* Executors: a buffer per destination node (exidx[node], -1 none). */
	np_executor *exec;
	unsigned int n_exbuf;
	struct exbuf *exbufs;
	int8_t exidx[NP_PIPELINE_MAX_NODES];
	/* The default route of each input port (its peer), for packets resuming here. */
	int16_t peer_of[NP_PLAN_MAX_PORTS];

	/* Locality: the plan's pools, to tell where each received mbuf came from. */
	unsigned int n_pools;
	struct rte_mempool *pools[NP_PIPELINE_MAX_POOLS];

	/* Latency: one histogram per input port, on this node; NULL when off. */
	bool latency;
	np_hist *hist[NP_PLAN_MAX_PORTS];
	void *hist_mem;
	/*
	 * The last run of packets timed, recorded into its histogram one run
	 * later (record_run()): h NULL when none waits.
	 */
	struct {
		np_hist *h;
		uint64_t v;
		uint64_t n;
	} pend;

	struct counters *cnt;

	/*
	 * The loop's burst: on the worker's node, in the pipeline's hugepage
	 * memory, not on the thread's stack (4 KiB pages, a new physical
	 * layout every process). verdict is all NP_VERDICT_NEXT between bursts
	 * (zeroed at creation, run_stages() keeps it so).
	 */
	struct rte_mbuf *pkts[NP_PIPELINE_MAX_BURST] __rte_cache_aligned;
	uint16_t verdict[NP_PIPELINE_MAX_BURST] __rte_cache_aligned;
} __rte_cache_aligned;

struct np_pipeline {
	struct np_pipeline_params params;
	const np_plan *plan;
	uint16_t port_ids[NP_PLAN_MAX_PORTS];
	unsigned int n_ports;
	struct rte_ring **rings;                   /* copied: the plan's handoff rings */
	unsigned int n_rings;
	unsigned int n_stages;
	const struct np_stage *stages[NP_PIPELINE_MAX_STAGES];
	unsigned int n_lcores;
	struct lcore_ctx **lcores;                 /* plan order */
	struct lcore_ctx *by_lcore[RTE_MAX_LCORE]; /* by lcore id */
	void **stage_ctx;                          /* [lcore idx * n_stages + stage] */
	bool running;
	double seconds;
	int meta_offset;
	np_executor *exec;

	/* Locality: the node of each plan pool, POOL_OTHER -> NP_NODE_UNKNOWN. */
	unsigned int n_pools;
	int pool_node[NP_PIPELINE_MAX_POOLS];
	struct rte_mempool *pools[NP_PIPELINE_MAX_POOLS];

	/* Latency (control plane): histogram parameters and size, the last tick's
	 * snapshot and interval per (lcore, port), and scratch for merging. */
	bool latency;
	struct np_hist_params hist_params;
	size_t hist_size;
	np_hist **snap;       /* [lcore idx * n_ports + port] */
	np_hist **interval;
	np_hist *scratch;
	uint64_t ticks;
};

/* Histograms: 2^-7 relative error, up to 2^35 TSC cycles (~10 s at 3.5 GHz). */
#define HIST_SUB_BITS 7
#define HIST_MAX_CYCLES ((UINT64_C(1) << 35) - 1)

/* pipeline_stage.c */
const struct np_stage *stage_find(const char *name);

/* pipeline_create.c: whether @c's loop reads the TSC every iteration (what needs the time). */
void pl_lcore_clock(const np_pipeline *pl, struct lcore_ctx *c);

/* pipeline_loop.c: the executors' handler, running the stages after the handoff. */
void pl_exec_handler(void *ctx, unsigned int lcore, struct rte_mbuf **mbufs, uint16_t n);

#endif /* PIPELINE_PRIVATE_H */
