/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The burst wrapper of key extraction over mbufs: the first segment's
 * bytes, validated against the whole packet's length (see flow_key.c).
 */
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "flow_key_private.h"

unsigned int
np_flow_key_extract_burst(struct rte_mbuf *const *pkts, unsigned int n, struct np_flow_key *keys,
			  uint8_t *results)
{
	unsigned int ok = 0;

	for (unsigned int i = 0; i < n; i++) {
		const struct rte_mbuf *m = pkts[i];
		enum np_flow_parse r;

		/* The next frame's headers, while this one is parsed. */
		if (i + 1 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], const void *));
		r = flow_key_parse(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, m->pkt_len,
				   &keys[i]);
		results[i] = (uint8_t)r;
		ok += r == NP_FLOW_PARSE_OK;
	}
	return ok;
}
