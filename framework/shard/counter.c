/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sharded counter: per-node arrays of per-thread cache lines, summed on
 * read. See np_counter.h for the slot rules and np_counter_worker.h for the
 * increment.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "np_counter_worker.h"
#include "np_error_private.h"
#include "np_nodemask.h"
#include "shard_private.h"

static int
zero_slots(void *shard, int node, void *arg)
{
	unsigned int n = *(const unsigned int *)arg;

	(void)node;
	memset(shard, 0, n * sizeof(struct np_counter_slot));
	return 0;
}

static void
counter_free(np_counter *c)
{
	if (c == NULL)
		return;
	np_sharded_destroy(c->shards);
	free(c->slot);
	free(c->claimed);
	free(c->slot_node);
	free(c);
}

static int
bind_slot(np_counter *c, unsigned int slot, unsigned int shard_idx)
{
	struct np_counter_slot *arr = np_sharded_get(c->shards, shard_idx);

	if (arr == NULL)
		return -EINVAL;
	c->slot[slot] = &arr[slot];
	c->slot_node[slot] = np_sharded_node(c->shards, shard_idx);
	return 0;
}

np_counter *
np_counter_create(unsigned int n_slots, int node, unsigned int flags)
{
	np_nodemask one, *nodes = NULL;
	np_counter *c;

	if (n_slots == 0 || n_slots > NP_COUNTER_MAX_SLOTS)
		return np_fail_null(EINVAL, "np_counter_create: n_slots %u is not in 1..%d", n_slots,
				    NP_COUNTER_MAX_SLOTS);
	if (node != NP_NODE_ANY) {
		if (node < 0 || node > NP_MAX_NODE_ID)
			return np_fail_null(EINVAL, "np_counter_create: node %d is not a node id (0..%d) "
					    "nor NP_NODE_ANY", node, NP_MAX_NODE_ID);
		np_nodemask_zero(&one);
		np_nodemask_set(&one, node);
		nodes = &one;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return np_fail_null(ENOMEM, "np_counter_create: out of memory");
	c->n_slots = n_slots;
	c->slot = calloc(n_slots, sizeof(c->slot[0]));
	c->claimed = calloc(n_slots, 1);
	c->slot_node = calloc(n_slots, sizeof(c->slot_node[0]));
	if (c->slot == NULL || c->claimed == NULL || c->slot_node == NULL) {
		counter_free(c);
		return np_fail_null(ENOMEM, "np_counter_create: out of memory");
	}
	c->shards = np_sharded_create((size_t)n_slots * sizeof(struct np_counter_slot),
				      RTE_CACHE_LINE_SIZE, nodes, zero_slots, &n_slots, flags);
	if (c->shards == NULL) {
		int err = errno;

		counter_free(c);
		errno = err;
		return NULL;
	}
	/* Slot i starts on the node of CPU i: DPDK's default lcore i = CPU i. */
	for (unsigned int i = 0; i < n_slots; i++)
		bind_slot(c, i, (unsigned int)np_sharded_index_for_cpu(c->shards, i));
	return c;
}

void
np_counter_destroy(np_counter *c)
{
	counter_free(c);
}

unsigned int
np_counter_slots(const np_counter *c)
{
	return c == NULL ? 0 : c->n_slots;
}

int
np_counter_slot_bind(np_counter *c, unsigned int slot, int node)
{
	unsigned int n;

	if (c == NULL)
		return np_fail(EINVAL, "np_counter_slot_bind: counter is NULL");
	if (slot >= c->n_slots)
		return np_fail(EINVAL, "np_counter_slot_bind: slot %u is not below the counter's %u slots",
			       slot, c->n_slots);
	n = np_sharded_count(c->shards);
	for (unsigned int i = 0; i < n; i++)
		if (np_sharded_node(c->shards, i) == node)
			return bind_slot(c, slot, i);
	return np_fail(ENOENT, "np_counter_slot_bind: the counter has no shard on node %d (create it "
		       "with NP_NODE_ANY, or with that node)", node);
}

int
np_counter_register(np_counter *c)
{
	int cpu;

	if (c == NULL)
		return np_fail(EINVAL, "np_counter_register: counter is NULL");
	for (unsigned int i = 0; i < c->n_slots; i++) {
		if (__atomic_exchange_n(&c->claimed[i], 1, __ATOMIC_ACQ_REL) != 0)
			continue;
		cpu = sched_getcpu();
		bind_slot(c, i, (unsigned int)np_sharded_index_for_cpu(c->shards,
								       cpu < 0 ? 0u : (unsigned int)cpu));
		return (int)i;
	}
	return np_fail(ENOSPC, "np_counter_register: all %u slots are claimed: create the counter "
		       "with more slots, or unregister threads that stopped counting", c->n_slots);
}

int
np_counter_unregister(np_counter *c, unsigned int slot)
{
	if (c == NULL)
		return np_fail(EINVAL, "np_counter_unregister: counter is NULL");
	if (slot >= c->n_slots)
		return np_fail(EINVAL, "np_counter_unregister: slot %u is not below the counter's %u slots",
			       slot, c->n_slots);
	if (__atomic_exchange_n(&c->claimed[slot], 0, __ATOMIC_ACQ_REL) == 0)
		return np_fail(EINVAL, "np_counter_unregister: slot %u was not claimed by "
			       "np_counter_register()", slot);
	return 0;
}

/*
 * A slot's count since the last reset. base is read first: it was copied
 * from an earlier value and value only grows, so value - base >= 0 even
 * when a reset runs concurrently.
 */
static uint64_t
slot_count(const struct np_counter_slot *s)
{
	uint64_t base = __atomic_load_n(&s->base, __ATOMIC_ACQUIRE);

	return __atomic_load_n(&s->value, __ATOMIC_RELAXED) - base;
}

static uint64_t
shard_sum(const np_counter *c, unsigned int idx)
{
	const struct np_counter_slot *arr = np_sharded_get(c->shards, idx);
	uint64_t sum = 0;

	for (unsigned int i = 0; i < c->n_slots; i++)
		sum += slot_count(&arr[i]);
	return sum;
}

uint64_t
np_counter_sum(const np_counter *c)
{
	uint64_t sum = 0;

	if (c == NULL)
		return 0;
	for (unsigned int s = 0; s < np_sharded_count(c->shards); s++)
		sum += shard_sum(c, s);
	return sum;
}

uint64_t
np_counter_sum_node(const np_counter *c, int node)
{
	if (c == NULL)
		return 0;
	for (unsigned int s = 0; s < np_sharded_count(c->shards); s++)
		if (np_sharded_node(c->shards, s) == node)
			return shard_sum(c, s);
	return 0;
}

uint64_t
np_counter_slot_value(const np_counter *c, unsigned int slot)
{
	uint64_t sum = 0;

	if (c == NULL || slot >= c->n_slots)
		return 0;
	/* A slot rebound to another node left its earlier counts there. */
	for (unsigned int s = 0; s < np_sharded_count(c->shards); s++) {
		const struct np_counter_slot *arr = np_sharded_get(c->shards, s);

		sum += slot_count(&arr[slot]);
	}
	return sum;
}

int
np_counter_reset(np_counter *c)
{
	if (c == NULL)
		return np_fail(EINVAL, "np_counter_reset: counter is NULL");
	for (unsigned int s = 0; s < np_sharded_count(c->shards); s++) {
		struct np_counter_slot *arr = np_sharded_get(c->shards, s);

		for (unsigned int i = 0; i < c->n_slots; i++)
			__atomic_store_n(&arr[i].base, __atomic_load_n(&arr[i].value, __ATOMIC_RELAXED),
					 __ATOMIC_RELEASE);
	}
	return 0;
}
