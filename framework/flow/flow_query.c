/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reading a flow table: counter names, sums of the per-lcore counters,
 * iteration, and where its memory is.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ring.h>

#include "flow_private.h"

static const char *const ctr_names[NP_FLOW_CTR_COUNT] = {
#define NAME(e, name, doc) [NP_FLOW_CTR_##e] = name,
	NP_FLOW_COUNTERS(NAME)
#undef NAME
};

static const char *const ctr_docs[NP_FLOW_CTR_COUNT] = {
#define DOC(e, name, doc) [NP_FLOW_CTR_##e] = doc,
	NP_FLOW_COUNTERS(DOC)
#undef DOC
};

const char *
np_flow_counter_name(enum np_flow_counter c)
{
	return (unsigned int)c < NP_FLOW_CTR_COUNT ? ctr_names[c] : "unknown";
}

const char *
np_flow_counter_doc(enum np_flow_counter c)
{
	return (unsigned int)c < NP_FLOW_CTR_COUNT ? ctr_docs[c] : "unknown counter";
}

static void
stats_head(const np_flow_table *t, struct np_flow_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->entries = __atomic_load_n(&t->entries, __ATOMIC_RELAXED);
	out->capacity = t->capacity;
}

static void
add_lcore(const np_flow_table *t, unsigned int lcore, struct np_flow_stats *out)
{
	for (unsigned int c = 0; c < NP_FLOW_CTR_COUNT; c++)
		out->count[c] += __atomic_load_n(&t->ctr[lcore].v[c], __ATOMIC_RELAXED);
}

int
np_flow_stats(const np_flow_table *t, struct np_flow_stats *out)
{
	if (t == NULL || out == NULL)
		return np_fail(EINVAL, "np_flow_stats: %s is NULL", t == NULL ? "table" : "out");
	stats_head(t, out);
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++)
		add_lcore(t, l, out);
	return 0;
}

int
np_flow_stats_lcore(const np_flow_table *t, unsigned int lcore, struct np_flow_stats *out)
{
	if (t == NULL || out == NULL)
		return np_fail(EINVAL, "np_flow_stats_lcore: %s is NULL", t == NULL ? "table" : "out");
	if (lcore >= RTE_MAX_LCORE)
		return np_fail(EINVAL, "np_flow_stats_lcore: lcore %u is not below RTE_MAX_LCORE (%d)",
			       lcore, RTE_MAX_LCORE);
	stats_head(t, out);
	add_lcore(t, lcore, out);
	return 0;
}

int
np_flow_iterate(const np_flow_table *t, uint32_t *cursor, const struct np_flow_key **key,
		void **state)
{
	if (t == NULL || cursor == NULL || key == NULL || state == NULL)
		return np_fail(EINVAL, "np_flow_iterate: %s is NULL", t == NULL ? "table" :
			       cursor == NULL ? "cursor" : key == NULL ? "key" : "state");
	for (;;) {
		const void *k;
		void *d;

		if (rte_hash_iterate(t->h, &k, &d, cursor) < 0)
			return -ENOENT;
		/* No state yet: an add in progress on another lcore. */
		if (d != NULL) {
			*key = k;
			*state = d;
			return 0;
		}
	}
}

int
np_flow_table_node(const np_flow_table *t)
{
	return t == NULL ? NP_NODE_ANY : t->node;
}

size_t
np_flow_table_slot_size(const np_flow_table *t)
{
	return t == NULL ? 0 : t->slot_size;
}

int
np_flow_table_mem(const np_flow_table *t, struct np_flow_mem *out)
{
	char ring[RTE_RING_NAMESIZE];
	void *key = NULL;

	if (t == NULL || out == NULL)
		return np_fail(EINVAL, "np_flow_table_mem: %s is NULL", t == NULL ? "table" : "out");
	memset(out, 0, sizeof(*out));
	out->node = t->node;
	out->socket = t->socket;
	out->table = t;
	out->hash = t->h;
	/* Gives the address of slot 0's key whether or not a key is there. */
	rte_hash_get_key_with_position(t->h, 0, &key);
	out->key_store = key;
	/* rte_hash_create() names its rings "HT_<name>" and "HT_EXT_<name>". */
	snprintf(ring, sizeof(ring), "HT_%s", t->hash_name);
	out->free_slots = rte_ring_lookup(ring);
	snprintf(ring, sizeof(ring), "HT_EXT_%s", t->hash_name);
	out->ext_buckets = rte_ring_lookup(ring);
	out->state = t->state;
	out->state_bytes = (size_t)t->capacity * t->slot_size;
	out->qsbr = t->own_qsbr ? t->qsbr : NULL;
	out->counters = t->ctr;
	return 0;
}
