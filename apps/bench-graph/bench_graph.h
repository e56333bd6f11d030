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
#ifdef __SSSE3__
#include <tmmintrin.h>
#endif

#include "np_pipeline.h"

/* The numaperf stage's name (engine_np.c registers it). */
#define BENCH_STAGE "bench-swap"

/* Largest number of ports (the job uses two). */
#define BENCH_MAX_PORTS 2

/*
 * Swap the Ethernet addresses of one packet in registers. With SSSE3 (every
 * x86-64 DPDK build: -march=corei7) one 16-byte shuffle, as testpmd's
 * macswap does: bytes 12-15 are written back unchanged. Elsewhere the 12
 * bytes as an 8- and a 4-byte word, rotated.
 */
static inline void
bench_swap_one(struct rte_mbuf *m)
{
#ifdef __SSSE3__
	__m128i *h = rte_pktmbuf_mtod(m, __m128i *);
	const __m128i shuf = _mm_set_epi8(15, 14, 13, 12, 5, 4, 3, 2, 1, 0,
					  11, 10, 9, 8, 7, 6);

	_mm_storeu_si128(h, _mm_shuffle_epi8(_mm_loadu_si128(h), shuf));
#else
	unsigned char *h = rte_pktmbuf_mtod(m, unsigned char *);
	uint64_t a, na;
	uint32_t b, nb;

	memcpy(&a, h, sizeof(a));
	memcpy(&b, h + 8, sizeof(b));
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	na = (a >> 48) | ((uint64_t)b << 16) | (a << 48);
#else
	na = (a << 48) | ((uint64_t)b << 16) | (a >> 48);
#endif
	nb = (uint32_t)(a >> 16);
	memcpy(h, &na, sizeof(na));
	memcpy(h + 8, &nb, sizeof(nb));
#endif
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

#endif /* BENCH_GRAPH_H */
