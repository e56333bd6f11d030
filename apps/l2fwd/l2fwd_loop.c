/* SPDX-License-Identifier: BSD-3-Clause */
/* The run-to-completion loop each worker lcore runs until told to stop. */
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "l2fwd.h"
#include "l2fwd_worker.h"

#define MAX_BURST 256

volatile bool l2fwd_quit;

/* Handoff consumer: send what the node's ring holds, one tx_burst per run of one port. */
static inline void
drain(const struct l2fwd_lcore *me, struct l2fwd_stats *st, struct rte_mbuf **pkts,
      unsigned int burst)
{
	unsigned int n = rte_ring_dequeue_burst(me->drain, (void **)pkts, burst, NULL);
	unsigned int start = 0;

	while (start < n) {
		uint16_t port_id = pkts[start]->port;
		unsigned int end = start + 1;

		while (end < n && pkts[end]->port == port_id)
			end++;
		if (likely(me->txq[port_id] >= 0)) {
			l2fwd_tx(st, me->index_of[port_id], port_id, (uint16_t)me->txq[port_id],
				 pkts + start, (uint16_t)(end - start));
		} else {
			/* The plan gives this lcore a queue on every port of its node. */
			rte_pktmbuf_free_bulk(pkts + start, end - start);
			st->port[me->index_of[port_id]][L2FWD_DROP_TX] += end - start;
		}
		start = end;
	}
}

int
l2fwd_lcore_main(void *arg)
{
	const struct l2fwd *app = arg;
	const struct l2fwd_lcore *me = app->lcores[rte_lcore_id()];
	struct l2fwd_stats *st = app->stats[rte_lcore_id()];
	const enum np_config_mac mac = app->cfg->mac;
	const unsigned int burst = app->cfg->burst;
	const bool handoff = app->cfg->mode == NP_TX_BY_HANDOFF;
	struct rte_mbuf *pkts[MAX_BURST];

	if (me == NULL || st == NULL)
		return 0;
	while (!l2fwd_quit) {
		for (unsigned int i = 0; i < me->n_rxq; i++) {
			const struct l2fwd_rxq *q = &me->rxq[i];
			uint16_t n = rte_eth_rx_burst(q->port_id, q->queue, pkts, burst);

			if (n == 0)
				continue;
			st->port[q->port][L2FWD_RX] += n;
			l2fwd_mac_burst(pkts, n, mac, &app->mac[q->dst_port_id],
					q->dst_port_id, handoff);
			if (handoff)
				l2fwd_handoff(st, q->dst, q->dst_ring, pkts, n);
			else
				l2fwd_tx(st, q->dst, q->dst_port_id, q->dst_txq, pkts, n);
		}
		if (handoff && me->drain != NULL)
			drain(me, st, pkts, burst);
	}
	return 0;
}
