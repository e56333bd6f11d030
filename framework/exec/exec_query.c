/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reading the executors: per-lcore counter rows summed by destination node,
 * by (source node, destination node), plus what drain counted; where each
 * node's rings are.
 */
#include <errno.h>
#include <string.h>

#include "exec_private.h"

static const char *const ctr_names[NP_EXEC_CTR_COUNT] = {
#define NAME(e, name, doc) [NP_EXEC_CTR_##e] = name,
	NP_EXEC_COUNTERS(NAME)
#undef NAME
};

static const char *const ctr_docs[NP_EXEC_CTR_COUNT] = {
#define DOC(e, name, doc) [NP_EXEC_CTR_##e] = doc,
	NP_EXEC_COUNTERS(DOC)
#undef DOC
};

const char *
np_exec_counter_name(enum np_exec_counter c)
{
	return (unsigned int)c < NP_EXEC_CTR_COUNT ? ctr_names[c] : "unknown";
}

const char *
np_exec_counter_doc(enum np_exec_counter c)
{
	return (unsigned int)c < NP_EXEC_CTR_COUNT ? ctr_docs[c] : "unknown counter";
}

static uint64_t
load(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

int
np_exec_stats(const np_executor *e, int node, struct np_exec_stats *out)
{
	int idx;

	if (e == NULL || out == NULL)
		return np_fail(EINVAL, "np_exec_stats: %s is NULL", e == NULL ? "executor" : "out");
	idx = np__exec_idx(e, node);
	if (idx < 0)
		return np_fail(ENOENT, "np_exec_stats: executor \"%s\" has no executor on node %d",
			       e->name, node);
	memset(out, 0, sizeof(*out));
	out->node = node;
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++)
		for (unsigned int c = 0; c < NP_EXEC_CTR_COUNT; c++)
			out->count[c] += load(&e->ctr[l][idx].v[c]);
	out->count[NP_EXEC_CTR_FN_DRAINED] += load(&e->q[idx].fn_drained);
	out->count[NP_EXEC_CTR_MBUF_DRAINED] += load(&e->q[idx].mbuf_drained);
	return 0;
}

uint64_t
np_exec_pair_count(const np_executor *e, int src, int dst, enum np_exec_counter c)
{
	uint64_t sum = 0;
	int idx;

	if (e == NULL || (c != NP_EXEC_CTR_FN_SUBMITTED && c != NP_EXEC_CTR_FN_REFUSED &&
			  c != NP_EXEC_CTR_MBUF_SUBMITTED && c != NP_EXEC_CTR_MBUF_DROPPED))
		return 0;
	idx = np__exec_idx(e, dst);
	if (idx < 0)
		return 0;
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++)
		if (e->lcore_node[l] == src)
			sum += load(&e->ctr[l][idx].v[c]);
	return sum;
}

uint64_t
np_exec_unroutable(const np_executor *e)
{
	uint64_t sum = 0;

	if (e == NULL)
		return 0;
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++)
		sum += load(&e->ctr[l][e->n_nodes].v[0]);
	return sum;
}

int
np_exec_mem(const np_executor *e, int node, struct np_exec_mem *out)
{
	int idx;

	if (e == NULL || out == NULL)
		return np_fail(EINVAL, "np_exec_mem: %s is NULL", e == NULL ? "executor" : "out");
	idx = np__exec_idx(e, node);
	if (idx < 0)
		return np_fail(ENOENT, "np_exec_mem: executor \"%s\" has no executor on node %d",
			       e->name, node);
	out->node = node;
	out->socket = e->q[idx].socket;
	out->mbuf_ring = e->q[idx].mbufs;
	out->fn_ring = e->q[idx].fns;
	return 0;
}
