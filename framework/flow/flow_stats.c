/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reading a flow table: counter names, sums of the per-lcore counters, and
 * iteration.
 */
#include <errno.h>
#include <string.h>

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
