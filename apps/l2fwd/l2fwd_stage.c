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

/* Four frames from @p i one by one: one of them is too short for the swap. */
static __rte_noinline void
swap_four_slow(const struct mac_ctx *c, struct np_burst *b, unsigned int i)
{
	for (unsigned int k = i; k < i + 4; k++)
		mac_one(c, b, (uint16_t)k, NULL, NULL);
}

/* Four headers' addresses, computed once: for their prefetch and their swap. */
struct four {
	void *h0, *h1, *h2, *h3;
	bool ok;   /* all four long enough for the swap (four_long()) */
};

static __rte_always_inline struct four
four_prefetch(struct rte_mbuf *const *m)
{
	struct four f = {
		.h0 = rte_pktmbuf_mtod(m[0], void *), .h1 = rte_pktmbuf_mtod(m[1], void *),
		.h2 = rte_pktmbuf_mtod(m[2], void *), .h3 = rte_pktmbuf_mtod(m[3], void *),
		.ok = four_long(m),
	};

	rte_prefetch0(f.h0);
	rte_prefetch0(f.h1);
	rte_prefetch0(f.h2);
	rte_prefetch0(f.h3);
	return f;
}

static __rte_always_inline void
four_swap(const struct mac_ctx *c, struct np_burst *b, unsigned int i, const struct four *f)
{
	if (likely(f->ok)) {
		mac_swap16(f->h0);
		mac_swap16(f->h1);
		mac_swap16(f->h2);
		mac_swap16(f->h3);
	} else {
		swap_four_slow(c, b, i);
	}
}

/*
 * The swap, the demo's default: its own loop, so that the mode is not
 * tested per packet; four frames' lengths checked at once. While four
 * headers are swapped the next four are prefetched; their addresses are
 * computed once, for the prefetch, and kept in registers for the swap: the
 * swap's 16-byte stores may alias anything, so an address computed after
 * one would be loaded again (the mbuf pointer, buf_addr, data_off). Two
 * groups of four take turns (a and b), so that no register is copied to
 * another between them.
 */
static void
swap_burst(const struct mac_ctx *c, struct np_burst *b)
{
	struct rte_mbuf **m = b->pkts;
	unsigned int i = 0, n = b->n;
	struct four fa, fb;

	if (n < 4)
		goto tail;
	fa = four_prefetch(m);
	for (; i + 12 <= n; i += 8) {
		fb = four_prefetch(&m[i + 4]);
		four_swap(c, b, i, &fa);
		fa = four_prefetch(&m[i + 8]);
		four_swap(c, b, i + 4, &fb);
	}
	/* Group a at i is prefetched; one more group of four may follow it. */
	if (i + 8 <= n) {
		fb = four_prefetch(&m[i + 4]);
		four_swap(c, b, i, &fa);
		four_swap(c, b, i + 4, &fb);
		i += 8;
	} else {
		four_swap(c, b, i, &fa);
		i += 4;
	}
tail:
	for (; i < n; i++)
		mac_one(c, b, (uint16_t)i, NULL, NULL);
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
