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
#include <string.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#ifdef __SSSE3__
#include <tmmintrin.h>
#endif

#include "l2fwd.h"
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

/*
 * Swap the two addresses in registers. Through rte_ether_addr_copy() and a
 * temporary it took six 4+2-byte moves and a round trip through the stack
 * per packet: 2.5 ns of a 13 ns packet on net_null (scripts/bench-forward.sh).
 * With SSSE3 (every x86-64 DPDK build: -march=corei7) one 16-byte shuffle,
 * as testpmd's macswap does; it rewrites bytes 12-15 (the EtherType and two
 * more) with their own values, inside the mbuf's data room. Elsewhere the
 * 12 bytes as an 8- and a 4-byte word, rotated.
 */
static inline void
swap_one(struct rte_mbuf *m)
{
#ifdef __SSSE3__
	__m128i *h = rte_pktmbuf_mtod(m, __m128i *);
	/* Bytes 6-11 (source) to 0-5, 0-5 (destination) to 6-11, 12-15 stay. */
	const __m128i shuf = _mm_set_epi8(15, 14, 13, 12, 5, 4, 3, 2, 1, 0,
					  11, 10, 9, 8, 7, 6);

	_mm_storeu_si128(h, _mm_shuffle_epi8(_mm_loadu_si128(h), shuf));
#else
	unsigned char *h = rte_pktmbuf_mtod(m, unsigned char *);
	uint64_t a, na;
	uint32_t b, nb;

	memcpy(&a, h, sizeof(a));       /* dst0-5 src0-1 */
	memcpy(&b, h + 8, sizeof(b));   /* src2-5 */
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
