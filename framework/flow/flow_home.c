/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Home-node functions (see np_flow_key.h for the trade-off between them).
 */
#include <errno.h>
#include <string.h>

#include <rte_hash_crc.h>

#include "np_error_private.h"
#include "np_flow_key.h"

uint32_t
np_flow_key_hash_symmetric(const struct np_flow_key *key)
{
	struct np_flow_key c = *key;
	uint64_t words[sizeof(c) / sizeof(uint64_t)];
	int cmp = memcmp(key->src, key->dst, sizeof(key->src));

	/* Lower endpoint first: the reverse direction orders to the same bytes. */
	if (cmp > 0 || (cmp == 0 && key->sport > key->dport)) {
		memcpy(c.src, key->dst, sizeof(c.src));
		memcpy(c.dst, key->src, sizeof(c.dst));
		c.sport = key->dport;
		c.dport = key->sport;
	}
	/*
	 * rte_hash_crc() reads through uint64_t pointers: hashing the struct
	 * itself would let the compiler drop the port stores above (strict
	 * aliasing). memcpy gives the bytes the type the CRC reads.
	 */
	memcpy(words, &c, sizeof(c));
	return rte_hash_crc(words, sizeof(words), 0x9e3779b9);
}

int
np_flow_home_symmetric(const struct np_flow_key *key, int ingress_node,
		       const struct np_flow_nodes *nodes, void *arg)
{
	(void)ingress_node;
	(void)arg;
	/* Multiply-shift: uniform over n without a division. */
	return nodes->node[((uint64_t)np_flow_key_hash_symmetric(key) * nodes->n) >> 32];
}

int
np_flow_home_ingress(const struct np_flow_key *key, int ingress_node,
		     const struct np_flow_nodes *nodes, void *arg)
{
	for (unsigned int i = 0; i < nodes->n; i++)
		if (nodes->node[i] == ingress_node)
			return ingress_node;
	return np_flow_home_symmetric(key, ingress_node, nodes, arg);
}

int
np_flow_home_init(struct np_flow_home *h, np_flow_home_fn fn, void *arg, const int *nodes,
		  unsigned int n)
{
	if (h == NULL || fn == NULL || nodes == NULL)
		return np_fail(EINVAL, "np_flow_home_init: %s is NULL", h == NULL ? "the policy" :
			       fn == NULL ? "the home function" : "the node list");
	if (n == 0 || n > NP_FLOW_MAX_NODES)
		return np_fail(EINVAL, "np_flow_home_init: %u nodes: give 1..%d nodes with flow tables",
			       n, NP_FLOW_MAX_NODES);
	for (unsigned int i = 0; i < n; i++) {
		if (nodes[i] < 0 || nodes[i] >= NP_FLOW_MAX_NODES)
			return np_fail(EINVAL, "np_flow_home_init: node %d (entry %u) is not a node id "
				       "0..%d", nodes[i], i, NP_FLOW_MAX_NODES - 1);
		for (unsigned int j = 0; j < i; j++)
			if (nodes[j] == nodes[i])
				return np_fail(EINVAL, "np_flow_home_init: node %d is given twice "
					       "(entries %u and %u)", nodes[i], j, i);
	}
	memset(h, 0, sizeof(*h));
	h->fn = fn;
	h->arg = arg;
	h->nodes.n = n;
	memcpy(h->nodes.node, nodes, n * sizeof(nodes[0]));
	return 0;
}
