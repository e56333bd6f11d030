/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench-graph: the same forwarding job (a net_null pair, one lcore, MAC swap,
 * burst 32) on two engines in one process and on the same ports, in
 * alternating rounds: numaperf's pipeline (np_pipeline, one stage) and DPDK's
 * graph library (rte_graph: rx -> swap -> tx nodes). The figure behind the
 * engine decision in framework/pipeline/README.md.
 */
#ifndef BENCH_GRAPH_H
#define BENCH_GRAPH_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_graph.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "mac_swap.h"
#include "np_pipeline.h"

/* The numaperf stage's name (engine_np.c registers it). */
#define BENCH_STAGE "bench-swap"

/* Largest number of ports (the job uses two). */
#define BENCH_MAX_PORTS 2

/* The swap numaperf-l2fwd's stage does (apps/common/mac_swap.h). */
static inline void
bench_swap_one(struct rte_mbuf *m)
{
	mac_swap16(rte_pktmbuf_mtod(m, void *));
}

/*
 * The per-packet work both engines do, the same code: swap four packets
 * while the headers of the next four are prefetched (DPDK l2fwd, VPP).
 */
static inline void
bench_swap_burst(struct rte_mbuf **m, uint16_t n)
{
	uint16_t i = 0;

	for (; i + 8 <= n; i += 4) {
		rte_prefetch0(rte_pktmbuf_mtod(m[i + 4], void *));
		rte_prefetch0(rte_pktmbuf_mtod(m[i + 5], void *));
		rte_prefetch0(rte_pktmbuf_mtod(m[i + 6], void *));
		rte_prefetch0(rte_pktmbuf_mtod(m[i + 7], void *));
		bench_swap_one(m[i]);
		bench_swap_one(m[i + 1]);
		bench_swap_one(m[i + 2]);
		bench_swap_one(m[i + 3]);
	}
	for (; i < n; i++)
		bench_swap_one(m[i]);
}

/* What one engine did in one timed run. */
struct bench_run {
	uint64_t packets;     /* accepted by the ports' TX queues */
	double seconds;       /* wall time of the run */
	double cpu_seconds;   /* CPU time of the forwarding thread in it */
};

/* One port as the graph sees it. */
struct bench_port {
	uint16_t port_id;     /* DPDK port */
	uint16_t rxq;         /* the RX queue the lcore polls */
	uint16_t txq;         /* the lcore's TX queue */
	uint16_t peer;        /* plan index of the port its packets leave on */
};

/* The graph's TX counters of one port, written by the forwarding lcore only. */
struct bench_tx_count {
	uint64_t sent;
	uint64_t refused;     /* freed: the TX queue was full */
} __rte_cache_aligned;

/* engine_graph.c */
int bench_graph_setup(const struct bench_port *ports, unsigned int n_ports, unsigned int burst,
		      int socket, struct bench_tx_count *counts);
struct rte_graph *bench_graph_get(void);
void bench_graph_teardown(void);
uint64_t bench_graph_walk_stats(struct rte_graph *g, uint64_t tsc_end, const np_pipeline *stop);
/* graph_walk_nostats.c */
uint64_t bench_graph_walk_nostats(struct rte_graph *g, uint64_t tsc_end,
				  const np_pipeline *stop);

/* engine_bare.c */
uint64_t bench_bare_loop(const struct bench_port *ports, unsigned int n_ports, uint16_t burst,
			 struct bench_tx_count *counts, uint64_t tsc_end, const np_pipeline *stop);

#endif /* BENCH_GRAPH_H */
