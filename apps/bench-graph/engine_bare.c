/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The bare engine: the loop dpdk-testpmd's macswap forwarding runs, written
 * out with nothing around it. For each port: one RX burst, the swap, one TX
 * burst on the peer's queue, what the queue refused freed and counted. No
 * stages, no verdicts, no TX buffers, no per-port counters but the TX one.
 * The floor numaperf's pipeline is measured against in the same process,
 * on the same ports, queues and pool (testpmd itself is another process
 * with its own pool and EAL, so its figure moves with process placement).
 */
#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "bench_graph.h"

uint64_t
bench_bare_loop(const struct bench_port *ports, unsigned int n_ports, uint16_t burst,
		struct bench_tx_count *counts, uint64_t tsc_end, const np_pipeline *stop)
{
	struct rte_mbuf *pkts[RTE_GRAPH_BURST_SIZE];
	uint64_t loops = 0;

	if (burst > RTE_DIM(pkts))
		burst = RTE_DIM(pkts);
	for (;;) {
		for (unsigned int i = 0; i < n_ports; i++) {
			const struct bench_port *p = &ports[i];
			const struct bench_port *peer = &ports[p->peer];
			uint16_t n = rte_eth_rx_burst(p->port_id, p->rxq, pkts, burst), sent;

			if (n == 0)
				continue;
			bench_swap_burst(pkts, n);
			sent = rte_eth_tx_burst(peer->port_id, peer->txq, pkts, n);
			counts[p->peer].sent += sent;
			if (unlikely(sent < n)) {
				rte_pktmbuf_free_bulk(pkts + sent, n - sent);
				counts[p->peer].refused += n - sent;
			}
		}
		if (unlikely((++loops & 63) == 0) &&
		    (rte_rdtsc() >= tsc_end || np_pipeline_stopping(stop)))
			break;
	}
	return loops;
}
