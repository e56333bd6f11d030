/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The l2fwd stage: rewrite or swap each packet's Ethernet addresses. It sets
 * no verdict, so each packet leaves on the peer of the port it came in on
 * (the pipeline's default route). Headers are rewritten four at a time while
 * the next four are prefetched (VPP l2_fwd.c, DPDK l2fwd).
 *
 * Its per-lcore context holds its own copy of the MAC table, on the lcore's
 * node: the hot loop reads nothing from the main lcore's node.
 */
#include <stdbool.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "l2fwd.h"
#include "mac_swap.h"
#include "np_pipeline_worker.h"

struct mac_ctx {
	struct l2fwd_mac_table t;
};

/* Filled by main() before the pipeline is created: the stage's init copies it. */
static struct l2fwd_mac_table table;

void
l2fwd_stage_set_table(const struct l2fwd_mac_table *t)
{
	table = *t;
}

static int
mac_init(void *ctx, const struct np_stage_lcore *where, void *arg)
{
	struct mac_ctx *c = ctx;

	(void)where;
	c->t = *(const struct l2fwd_mac_table *)arg;
	return 0;
}

/* The 16-byte swap (apps/common/mac_swap.h); mac_one() checks the length. */
static inline void
swap_one(struct rte_mbuf *m)
{
	mac_swap16(rte_pktmbuf_mtod(m, void *));
}

static inline void
rewrite_one(struct rte_mbuf *m, const struct rte_ether_addr *src,
	    const struct rte_ether_addr *dst)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);

	rte_ether_addr_copy(dst, &eth->dst_addr);
	rte_ether_addr_copy(src, &eth->src_addr);
}

/*
 * A frame shorter than 16 bytes: the 16-byte swap would read and write past
 * its data. One without a whole Ethernet header (14 bytes) has no addresses
 * to swap or rewrite: dropped as malformed, counted, never forwarded.
 */
static __rte_noinline void
mac_short(const struct mac_ctx *c, struct np_burst *b, uint16_t i)
{
	struct rte_mbuf *m = b->pkts[i];
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ether_addr tmp;

	if (rte_pktmbuf_data_len(m) < RTE_ETHER_HDR_LEN) {
		np_burst_verdict(b, i, NP_VERDICT_DROP(NP_DROP_MALFORMED));
		return;
	}
	if (c->t.mode == NP_MAC_SWAP) {
		rte_ether_addr_copy(&eth->src_addr, &tmp);
		rte_ether_addr_copy(&eth->dst_addr, &eth->src_addr);
		rte_ether_addr_copy(&tmp, &eth->dst_addr);
	} else {
		rewrite_one(m, &c->t.src[b->in_port], &c->t.dst[b->in_port]);
	}
}

static inline void
mac_one(const struct mac_ctx *c, struct np_burst *b, uint16_t i,
	const struct rte_ether_addr *src, const struct rte_ether_addr *dst)
{
	struct rte_mbuf *m = b->pkts[i];

	if (unlikely(rte_pktmbuf_data_len(m) < 16))
		mac_short(c, b, i);
	else if (c->t.mode == NP_MAC_SWAP)
		swap_one(m);
	else
		rewrite_one(m, src, dst);
}

/*
 * Whether the four frames from @p m all have the 16 bytes the swap needs:
 * no length minus 16 is negative, one sign test for the four.
 */
static inline bool
four_long(struct rte_mbuf *const *m)
{
	return (((int)rte_pktmbuf_data_len(m[0]) - 16) | ((int)rte_pktmbuf_data_len(m[1]) - 16) |
		((int)rte_pktmbuf_data_len(m[2]) - 16) | ((int)rte_pktmbuf_data_len(m[3]) - 16)) >= 0;
}

/* Four frames from @p i: the swap if all are long enough, else one by one. */
static inline void
swap_four(const struct mac_ctx *c, struct np_burst *b, uint16_t i, bool ok, void *h0,
	  void *h1, void *h2, void *h3)
{
	if (likely(ok)) {
		mac_swap16(h0);
		mac_swap16(h1);
		mac_swap16(h2);
		mac_swap16(h3);
	} else {
		for (uint16_t k = i; k < i + 4; k++)
			mac_one(c, b, k, NULL, NULL);
	}
}

/*
 * The swap, the demo's default: its own loop, so that the mode is not
 * tested per packet; four frames' lengths checked at once. While four
 * headers are swapped the next four are prefetched; their addresses are
 * computed once, for the prefetch, and kept in registers for the swap: the
 * swap's 16-byte stores may alias anything, so an address computed after
 * one would be loaded again (the mbuf pointer, buf_addr, data_off).
 */
static void
swap_burst(const struct mac_ctx *c, struct np_burst *b)
{
	struct rte_mbuf **m = b->pkts;
	uint16_t i = 0, n = b->n;
	void *h0, *h1, *h2, *h3;
	bool ok;

	if (n < 4)
		goto tail;
	h0 = rte_pktmbuf_mtod(m[0], void *);
	h1 = rte_pktmbuf_mtod(m[1], void *);
	h2 = rte_pktmbuf_mtod(m[2], void *);
	h3 = rte_pktmbuf_mtod(m[3], void *);
	ok = four_long(m);
	for (; i + 8 <= n; i += 4) {
		void *n0 = rte_pktmbuf_mtod(m[i + 4], void *);
		void *n1 = rte_pktmbuf_mtod(m[i + 5], void *);
		void *n2 = rte_pktmbuf_mtod(m[i + 6], void *);
		void *n3 = rte_pktmbuf_mtod(m[i + 7], void *);
		bool next_ok = four_long(&m[i + 4]);

		rte_prefetch0(n0);
		rte_prefetch0(n1);
		rte_prefetch0(n2);
		rte_prefetch0(n3);
		swap_four(c, b, i, ok, h0, h1, h2, h3);
		h0 = n0;
		h1 = n1;
		h2 = n2;
		h3 = n3;
		ok = next_ok;
	}
	/* The last four, already prefetched. */
	swap_four(c, b, i, ok, h0, h1, h2, h3);
	i += 4;
tail:
	for (; i < n; i++)
		mac_one(c, b, i, NULL, NULL);
}

static void
mac_process(void *ctx, struct np_burst *b)
{
	const struct mac_ctx *c = ctx;
	const struct rte_ether_addr *src = &c->t.src[b->in_port];
	const struct rte_ether_addr *dst = &c->t.dst[b->in_port];
	struct rte_mbuf **m = b->pkts;
	uint16_t i = 0, n = b->n;

	if (c->t.mode == NP_MAC_NONE)
		return;
	if (c->t.mode == NP_MAC_SWAP) {
		swap_burst(c, b);
		return;
	}
	for (; i + 8 <= n; i += 4) {
		rte_prefetch0(rte_pktmbuf_mtod(m[i + 4], void *));
		rte_prefetch0(rte_pktmbuf_mtod(m[i + 5], void *));
		rte_prefetch0(rte_pktmbuf_mtod(m[i + 6], void *));
		rte_prefetch0(rte_pktmbuf_mtod(m[i + 7], void *));
		mac_one(c, b, i, src, dst);
		mac_one(c, b, i + 1, src, dst);
		mac_one(c, b, i + 2, src, dst);
		mac_one(c, b, i + 3, src, dst);
	}
	for (; i < n; i++)
		mac_one(c, b, i, src, dst);
}

static struct np_stage l2fwd_mac_stage = {
	.name = L2FWD_STAGE,
	.process = mac_process,
	.ctx_size = sizeof(struct mac_ctx),
	.init = mac_init,
	.arg = &table,
};
NP_STAGE_REGISTER(l2fwd_mac_stage);
