/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * numaperf-l2fwd fast path: burst in, count out. Headers are rewritten four
 * at a time while the next four are prefetched (VPP l2_fwd.c, DPDK l2fwd),
 * each burst leaves with one tx_burst (or one ring enqueue), and what does
 * not fit is freed and counted, never silently lost.
 */
#ifndef L2FWD_WORKER_H
#define L2FWD_WORKER_H

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#include <rte_ring.h>

#include "l2fwd.h"

static inline void
l2fwd__mac_one(struct rte_mbuf *m, enum np_config_mac mode,
	       const struct rte_ether_addr *src, uint16_t dst_port_id)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ether_addr tmp;

	if (mode == NP_MAC_SWAP) {
		rte_ether_addr_copy(&eth->src_addr, &tmp);
		rte_ether_addr_copy(&eth->dst_addr, &eth->src_addr);
		rte_ether_addr_copy(&tmp, &eth->dst_addr);
	} else if (mode == NP_MAC_REWRITE) {
		/* l2fwd's convention: 02:00:00:00:00:<TX port>, source = TX port's MAC. */
		const struct rte_ether_addr dst = {
			.addr_bytes = { 0x02, 0, 0, 0, 0, (uint8_t)dst_port_id },
		};

		rte_ether_addr_copy(&dst, &eth->dst_addr);
		rte_ether_addr_copy(src, &eth->src_addr);
	}
}

/*
 * Rewrite @p n headers for port @p dst_port_id; with @p tag, also record the
 * destination in m->port (the handoff ring's consumer reads it there).
 */
static inline void
l2fwd_mac_burst(struct rte_mbuf **m, uint16_t n, enum np_config_mac mode,
		const struct rte_ether_addr *src, uint16_t dst_port_id, bool tag)
{
	uint16_t i = 0;

	if (mode != NP_MAC_NONE) {
		for (; i + 8 <= n; i += 4) {
			rte_prefetch0(rte_pktmbuf_mtod(m[i + 4], void *));
			rte_prefetch0(rte_pktmbuf_mtod(m[i + 5], void *));
			rte_prefetch0(rte_pktmbuf_mtod(m[i + 6], void *));
			rte_prefetch0(rte_pktmbuf_mtod(m[i + 7], void *));
			l2fwd__mac_one(m[i], mode, src, dst_port_id);
			l2fwd__mac_one(m[i + 1], mode, src, dst_port_id);
			l2fwd__mac_one(m[i + 2], mode, src, dst_port_id);
			l2fwd__mac_one(m[i + 3], mode, src, dst_port_id);
		}
		for (; i < n; i++)
			l2fwd__mac_one(m[i], mode, src, dst_port_id);
	}
	if (tag)
		for (i = 0; i < n; i++)
			m[i]->port = dst_port_id;
}

/* Send @p n packets on (port, queue); free and count what the queue refuses. */
static inline void
l2fwd_tx(struct l2fwd_stats *st, uint8_t dst, uint16_t port_id, uint16_t queue,
	 struct rte_mbuf **m, uint16_t n)
{
	uint16_t sent = rte_eth_tx_burst(port_id, queue, m, n);

	st->port[dst][L2FWD_TX] += sent;
	if (unlikely(sent < n)) {
		rte_pktmbuf_free_bulk(m + sent, n - sent);
		st->port[dst][L2FWD_DROP_TX] += n - sent;
	}
}

/* Hand @p n packets to the ring of the node that sends on their port. */
static inline void
l2fwd_handoff(struct l2fwd_stats *st, uint8_t dst, struct rte_ring *r,
	      struct rte_mbuf **m, uint16_t n)
{
	unsigned int done = rte_ring_enqueue_burst(r, (void **)m, n, NULL);

	if (unlikely(done < n)) {
		rte_pktmbuf_free_bulk(m + done, n - done);
		st->port[dst][L2FWD_DROP_RING] += n - done;
	}
}

#endif /* L2FWD_WORKER_H */
