/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sharded counter (framework/shard/np_counter.h, np_counter_worker.h):
 * layout (one cache line per slot, on its node), every API and bad argument,
 * exact sums with several threads counting plainly at once, and a reset
 * that neither loses nor invents increments while threads count.
 *
 * No timing is asserted here: the speed figures come from
 * apps/bench-primitives.
 */
#include <errno.h>
#include <numa.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <unistd.h>

#include "np_counter_worker.h"
#include "np_nodemask.h"
#include "np_pin.h"
#include "np_test.h"
#include "np_test_numa.h"

#define THREADS 4
#define PER_THREAD 1000000u

static void
test_bad_args(void)
{
	np_clear_error();
	errno = 0;
	NP_CHECK(np_counter_create(0, NP_NODE_ANY, 0) == NULL, "0 slots");
	NP_CHECK_INT(errno, EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "n_slots 0 is not in 1..1024");
	NP_CHECK(np_counter_create(NP_COUNTER_MAX_SLOTS + 1, NP_NODE_ANY, 0) == NULL, "too many slots");
	NP_CHECK_CONTAINS(np_last_error(), "n_slots 1025 is not in 1..1024");
	NP_CHECK(np_counter_create(4, -3, 0) == NULL, "node -3");
	NP_CHECK_CONTAINS(np_last_error(), "node -3 is not a node id");
	errno = 0;
	NP_CHECK(np_counter_create(4, NP_MAX_NODE_ID, 0) == NULL, "absent node");
	NP_CHECK_INT(errno, ENODEV);
	NP_CHECK_CONTAINS(np_last_error(), "node 1023 does not exist");
	errno = 0;
	NP_CHECK(np_counter_create(4, NP_NODE_ANY, 0x40) == NULL, "bad flags");
	NP_CHECK_INT(errno, EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "flags 0x40 has unknown bits");

	NP_CHECK_INT(np_counter_register(NULL), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "counter is NULL");
	NP_CHECK_INT(np_counter_unregister(NULL, 0), -EINVAL);
	NP_CHECK_INT(np_counter_slot_bind(NULL, 0, 0), -EINVAL);
	NP_CHECK_INT(np_counter_reset(NULL), -EINVAL);
	NP_CHECK_INT(np_counter_sum(NULL), 0);
	NP_CHECK_INT(np_counter_sum_node(NULL, 0), 0);
	NP_CHECK_INT(np_counter_slot_value(NULL, 0), 0);
	NP_CHECK_INT(np_counter_slots(NULL), 0);
	np_counter_destroy(NULL);
}

static void
test_layout(void)
{
	np_counter *c = np_counter_create(16, NP_NODE_ANY, NP_SHARDED_STRICT);

	NP_REQUIRE(c != NULL, "create: %s", np_last_error());
	NP_CHECK_INT(sizeof(struct np_counter_slot), RTE_CACHE_LINE_SIZE);
	NP_CHECK_INT(_Alignof(struct np_counter_slot), RTE_CACHE_LINE_SIZE);
	NP_CHECK_INT(np_counter_slots(c), 16);
	for (unsigned int i = 0; i < 16; i++) {
		NP_CHECK(((uintptr_t)c->slot[i] & (RTE_CACHE_LINE_SIZE - 1)) == 0,
			 "slot %u on a line boundary: %p", i, (void *)c->slot[i]);
		for (unsigned int j = 0; j < i; j++)
			NP_CHECK(c->slot[i] != c->slot[j], "slots %u and %u share a line", i, j);
		/* Each slot lives on the node it is bound to. */
		NP_CHECK_INT(np_test_page_node(c->slot[i]), c->slot_node[i]);
	}
	/* Slot i starts on the node of CPU i (DPDK's default lcore mapping). */
	for (unsigned int i = 0; i < 16; i++) {
		int n = numa_node_of_cpu((int)i);

		if (n >= 0)
			NP_CHECK_INT(c->slot_node[i], n);
	}
	np_counter_destroy(c);
}

static void
test_single_thread(void)
{
	np_counter *c = np_counter_create(8, 0, 0);

	NP_REQUIRE(c != NULL, "create: %s", np_last_error());
	NP_CHECK_INT(np_counter_sum(c), 0);
	for (int i = 0; i < 1000; i++)
		np_counter_inc(c, 3);
	np_counter_add(c, 5, 42);
	np_counter_add(c, 0, 0);
	NP_CHECK_INT(np_counter_slot_value(c, 3), 1000);
	NP_CHECK_INT(np_counter_slot_value(c, 5), 42);
	NP_CHECK_INT(np_counter_slot_value(c, 0), 0);
	NP_CHECK_INT(np_counter_slot_value(c, 99), 0);
	NP_CHECK_INT(np_counter_sum(c), 1042);
	NP_CHECK_INT(np_counter_sum_node(c, 0), 1042);
	NP_CHECK_INT(np_counter_sum_node(c, NP_MAX_NODE_ID), 0);
	NP_CHECK_INT(np_counter_reset(c), 0);
	NP_CHECK_INT(np_counter_sum(c), 0);
	NP_CHECK_INT(np_counter_slot_value(c, 3), 0);
	np_counter_inc(c, 3);
	NP_CHECK_INT(np_counter_sum(c), 1);
	NP_CHECK_INT(np_counter_slot_value(c, 3), 1);
	np_counter_destroy(c);
}

static void
test_register_and_bind(void)
{
	np_counter *c = np_counter_create(2, NP_NODE_ANY, 0);
	struct np_counter_slot *before;
	int a, b;

	NP_REQUIRE(c != NULL, "create: %s", np_last_error());
	a = np_counter_register(c);
	b = np_counter_register(c);
	NP_CHECK(a >= 0 && b >= 0 && a != b, "two slots: %d %d", a, b);
	NP_CHECK_INT(np_counter_register(c), -ENOSPC);
	NP_CHECK_CONTAINS(np_last_error(), "all 2 slots are claimed");
	/* Registered slots are bound to the caller's node. */
	NP_CHECK_INT(c->slot_node[a], numa_node_of_cpu(sched_getcpu()));
	np_counter_add(c, (unsigned int)a, 7);
	NP_CHECK_INT(np_counter_unregister(c, (unsigned int)a), 0);
	NP_CHECK_INT(np_counter_unregister(c, (unsigned int)a), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "was not claimed");
	NP_CHECK_INT(np_counter_unregister(c, 2), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "slot 2 is not below the counter's 2 slots");
	NP_CHECK_INT(np_counter_register(c), a);           /* the freed slot comes back */
	NP_CHECK_INT(np_counter_sum(c), 7);                /* and its counts stayed */

	before = c->slot[0];
	NP_CHECK_INT(np_counter_slot_bind(c, 0, 0), 0);
	NP_CHECK_INT(c->slot_node[0], 0);
	NP_CHECK_INT(np_test_page_node(c->slot[0]), 0);
	NP_CHECK(c->slot[0] == before || numa_node_of_cpu(0) != 0, "rebinding to its node keeps the line");
	NP_CHECK_INT(np_counter_slot_bind(c, 0, NP_MAX_NODE_ID), -ENOENT);
	NP_CHECK_CONTAINS(np_last_error(), "no shard on node 1023");
	NP_CHECK_INT(np_counter_slot_bind(c, 9, 0), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "slot 9 is not below the counter's 2 slots");
	np_counter_destroy(c);
}

struct worker {
	np_counter *c;
	int slot;
	unsigned int n;
	atomic_int *go;
	atomic_int *done;
};

static void *
count(void *arg)
{
	struct worker *w = arg;

	w->slot = np_counter_register(w->c);
	while (!atomic_load(w->go))
		sched_yield();
	if (w->slot >= 0)
		for (unsigned int i = 0; i < w->n; i++)
			np_counter_inc(w->c, (unsigned int)w->slot);
	atomic_fetch_add(w->done, 1);
	return NULL;
}

static void
run_workers(np_counter *c, struct worker *w, unsigned int n_each, bool reset_while_counting,
	    uint64_t *max_seen)
{
	pthread_t t[THREADS];
	atomic_int go = 0, done = 0;

	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .c = c, .n = n_each, .go = &go, .done = &done };
		NP_REQUIRE(pthread_create(&t[i], NULL, count, &w[i]) == 0, "pthread_create");
	}
	atomic_store(&go, 1);
	*max_seen = 0;
	while (reset_while_counting && atomic_load(&done) < THREADS) {
		uint64_t s = np_counter_sum(c);

		if (s > *max_seen)
			*max_seen = s;
		np_counter_reset(c);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
}

static void
test_threads_exact(void)
{
	np_counter *c = np_counter_create(THREADS, NP_NODE_ANY, 0);
	struct worker w[THREADS];
	np_nodemask usable;
	uint64_t per_node = 0, unused;

	NP_REQUIRE(c != NULL, "create: %s", np_last_error());
	run_workers(c, w, PER_THREAD, false, &unused);
	for (int i = 0; i < THREADS; i++) {
		NP_REQUIRE(w[i].slot >= 0, "worker %d registered", i);
		NP_CHECK_INT(np_counter_slot_value(c, (unsigned int)w[i].slot), PER_THREAD);
	}
	/* Plain increments, yet nothing lost: each line has one writer. */
	NP_CHECK_INT(np_counter_sum(c), (uint64_t)THREADS * PER_THREAD);
	NP_REQUIRE_INT(np_nodemask_usable(&usable), 0);
	NP_NODEMASK_FOREACH(n, &usable)
		per_node += np_counter_sum_node(c, n);
	NP_CHECK_INT(per_node, (uint64_t)THREADS * PER_THREAD);

	/* Reset between rounds is exact. */
	NP_CHECK_INT(np_counter_reset(c), 0);
	NP_CHECK_INT(np_counter_sum(c), 0);
	for (int i = 0; i < THREADS; i++)
		np_counter_unregister(c, (unsigned int)w[i].slot);
	run_workers(c, w, 1000, false, &unused);
	NP_CHECK_INT(np_counter_sum(c), (uint64_t)THREADS * 1000);
	np_counter_destroy(c);
}

/*
 * Resets while threads count: a sum must never exceed what was counted in
 * all (a reset read in the wrong order makes value - base wrap to ~2^64),
 * and after a final reset with the threads stopped the sum is 0.
 */
static void
test_reset_while_counting(void)
{
	np_counter *c = np_counter_create(THREADS, NP_NODE_ANY, 0);
	struct worker w[THREADS];
	uint64_t max_seen;

	NP_REQUIRE(c != NULL, "create: %s", np_last_error());
	run_workers(c, w, PER_THREAD, true, &max_seen);
	NP_CHECK(max_seen <= (uint64_t)THREADS * PER_THREAD,
		 "a sum during resets was %llu, more than the %u increments made",
		 (unsigned long long)max_seen, THREADS * PER_THREAD);
	NP_CHECK(np_counter_sum(c) <= (uint64_t)THREADS * PER_THREAD, "final sum in range");
	np_counter_reset(c);
	NP_CHECK_INT(np_counter_sum(c), 0);
	np_counter_destroy(c);
}

static const struct np_test_case cases[] = {
	{ "bad arguments", test_bad_args },
	{ "one cache line per slot, on its node", test_layout },
	{ "add, sum, reset in one thread", test_single_thread },
	{ "register, unregister, bind", test_register_and_bind },
	{ "threads counting at once: exact", test_threads_exact },
	{ "reset while threads count", test_reset_while_counting },
	{ NULL, NULL },
};

NP_TEST_MAIN({ "counter", NULL, NULL, cases })
