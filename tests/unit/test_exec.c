/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * framework/exec: functions and mbuf bursts handed to a node's executor
 * and run by its poller; overload counted exactly per (source, destination)
 * node; nothing lost or run twice with several producer threads and a
 * poller at once; drain at stop runs or frees everything (the pool's in-use
 * count back to 0); bad arguments.
 *
 * On this one-node host the "nodes" 0 and 1 are labels whose rings are both
 * on socket 0 (EAL --no-huge): the accounting is what is tested here; where
 * the rings are and where the work runs is tests/multinode/test_vm_flow.c.
 * Producers are pthreads registered with rte_thread_register().
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "np_exec_worker.h"
#include "np_test.h"
#include "np_test_eal.h"

#define POOL_MBUFS 4095

static struct rte_mempool *pool;
static cpu_set_t all_cpus;   /* the process's CPUs before EAL pinned the main thread */

/* ---- what the handler and the functions record -------------------------------- */

#define MAX_IDS 200000u

static atomic_uint fn_seen[MAX_IDS];
static atomic_uint mb_seen[MAX_IDS];
static atomic_uint fn_ran;

static void
count_fn(void *arg, unsigned int lcore)
{
	(void)lcore;
	atomic_fetch_add(&fn_seen[(uintptr_t)arg], 1);
	atomic_fetch_add(&fn_ran, 1);
}

static uint32_t
mbuf_id(const struct rte_mbuf *m)
{
	uint32_t id;

	memcpy(&id, rte_pktmbuf_mtod(m, const void *), sizeof(id));
	return id;
}

static void
handler(void *ctx, unsigned int lcore, struct rte_mbuf **m, uint16_t n)
{
	(void)ctx;
	(void)lcore;
	for (uint16_t i = 0; i < n; i++)
		atomic_fetch_add(&mb_seen[mbuf_id(m[i])], 1);
	rte_pktmbuf_free_bulk(m, n);
}

static void
reset_seen(void)
{
	for (unsigned int i = 0; i < MAX_IDS; i++) {
		atomic_store(&fn_seen[i], 0);
		atomic_store(&mb_seen[i], 0);
	}
	atomic_store(&fn_ran, 0);
}

static struct rte_mbuf *
mbuf_with_id(uint32_t id)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	NP_REQUIRE(m != NULL, "mbuf alloc (in use %u)", rte_mempool_in_use_count(pool));
	memcpy(rte_pktmbuf_append(m, sizeof(id)), &id, sizeof(id));
	return m;
}

static np_executor *
exec2(unsigned int mbuf_ring, unsigned int fn_ring)
{
	static const int nodes[2] = { 0, 1 }, sockets[2] = { 0, 0 };
	struct np_exec_params p = {
		.name = "test", .nodes = nodes, .sockets = sockets, .n_nodes = 2,
		.mbuf_ring_size = mbuf_ring, .fn_ring_size = fn_ring, .handler = handler,
	};
	np_executor *e = np_exec_create(&p);

	NP_REQUIRE(e != NULL, "np_exec_create: %s", np_last_error());
	return e;
}

static uint64_t
stat(const np_executor *e, int node, enum np_exec_counter c)
{
	struct np_exec_stats s;

	NP_REQUIRE_INT(np_exec_stats(e, node, &s), 0);
	return s.count[c];
}

/* DPDK memory in use on socket 0: an executor destroyed (or failed) gives all of it back. */
static size_t
dpdk_bytes(unsigned int *count)
{
	struct rte_malloc_socket_stats st;

	rte_malloc_get_socket_stats(0, &st);
	*count = st.alloc_count;
	return st.heap_allocsz_bytes;
}

/* ---- tests ---------------------------------------------------------------------- */

static void
test_bad_args(void)
{
	static const int nodes[2] = { 0, 0 }, one[1] = { 0 }, big[1] = { NP_EXEC_MAX_NODES };
	struct np_exec_params p = { .nodes = one, .n_nodes = 1, .mbuf_ring_size = 8,
				    .fn_ring_size = 8, .handler = handler };
	struct np_exec_stats s;
	struct np_exec_mem m;
	unsigned int n0, n1;
	size_t b0 = dpdk_bytes(&n0), b1;
	np_executor *e;

	errno = 0;
	NP_CHECK(np_exec_create(NULL) == NULL && errno == EINVAL, "NULL");
	p.handler = NULL;
	NP_CHECK(np_exec_create(&p) == NULL, "no handler");
	NP_CHECK_CONTAINS(np_last_error(), "the mbuf handler is NULL");
	p.handler = handler;
	p.n_nodes = 0;
	NP_CHECK(np_exec_create(&p) == NULL, "0 nodes");
	NP_CHECK_CONTAINS(np_last_error(), "0 nodes: give 1..");
	p.n_nodes = 2;
	p.nodes = nodes;
	NP_CHECK(np_exec_create(&p) == NULL, "same node twice");
	NP_CHECK_CONTAINS(np_last_error(), "node 0 is given twice");
	p.n_nodes = 1;
	p.nodes = big;
	NP_CHECK(np_exec_create(&p) == NULL, "node out of range");
	NP_CHECK_CONTAINS(np_last_error(), "is not a node id");
	p.nodes = one;
	p.fn_ring_size = 0;
	NP_CHECK(np_exec_create(&p) == NULL, "ring size 0");
	NP_CHECK_CONTAINS(np_last_error(), "ring sizes 8 (mbufs) and 0 (functions) must be");
	p.fn_ring_size = 8;
	p.sockets = (const int[]){ 77 };
	NP_CHECK(np_exec_create(&p) == NULL, "bad socket");
	NP_CHECK_CONTAINS(np_last_error(), "socket 77 of node 0 is not a DPDK socket id");
	p.sockets = NULL;
	/* Rings bigger than EAL's memory (-m 256): ENOMEM, saying which ring. */
	p.mbuf_ring_size = 1u << 27;
	errno = 0;
	NP_CHECK(np_exec_create(&p) == NULL, "ring too big");
	NP_CHECK_INT(errno, ENOMEM);
	NP_CHECK_CONTAINS(np_last_error(), "the mbuf ring of node 0 (134217728 items on socket 0)");
	p.mbuf_ring_size = 8;

	e = np_exec_create(&p);
	NP_REQUIRE(e != NULL, "create: %s", np_last_error());
	NP_CHECK_INT(np_exec_stats(e, 1, &s), -ENOENT);
	NP_CHECK_CONTAINS(np_last_error(), "has no executor on node 1");
	NP_CHECK_INT(np_exec_mem(e, 3, &m), -ENOENT);
	NP_CHECK_INT(np_exec_mem(e, 0, NULL), -EINVAL);
	NP_CHECK_INT(np_exec_lcore_node(e, RTE_MAX_LCORE, 0), -EINVAL);
	NP_CHECK_INT(np_exec_lcore_node(e, 0, -7), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "node -7 is not a node id");
	NP_CHECK_INT(np_exec_drain(NULL), -EINVAL);
	NP_CHECK_INT(np_exec_pair_count(NULL, 0, 0, NP_EXEC_CTR_MBUF_DROPPED), 0);
	NP_CHECK_INT(np_exec_pair_count(e, 0, 0, NP_EXEC_CTR_FN_RUN), 0);
	NP_CHECK_STR(np_exec_counter_name(NP_EXEC_CTR_MBUF_DROPPED), "mbufs_dropped");
	NP_CHECK_STR(np_exec_counter_name(NP_EXEC_CTR_COUNT), "unknown");
	NP_CHECK_CONTAINS(np_exec_counter_doc(NP_EXEC_CTR_FN_DRAINED), "at stop");
	np_exec_destroy(e);
	np_exec_destroy(NULL);
	b1 = dpdk_bytes(&n1);
	NP_CHECK(b1 == b0 && n1 == n0, "DPDK heap: %zu bytes in %u blocks before, %zu in %u after",
		 b0, n0, b1, n1);
}

static void
test_run_and_deliver(void)
{
	np_executor *e = exec2(64, 64);
	unsigned int me = rte_lcore_id();
	struct rte_mbuf *m[10];
	struct np_exec_mem mem;

	reset_seen();
	NP_REQUIRE_INT(np_exec_lcore_node(e, me, 0), 0);
	NP_CHECK_INT(np_exec_submit_fn(e, me, 1, count_fn, (void *)(uintptr_t)7), 0);
	for (uint32_t i = 0; i < 10; i++)
		m[i] = mbuf_with_id(100 + i);
	NP_CHECK_INT(np_exec_submit_burst(e, me, 1, m, 10), 10);
	/* Node 0's executor has nothing; node 1's has 1 function and 10 mbufs. */
	NP_CHECK_INT(np_exec_poll(e, 0, me, 32), 0);
	NP_CHECK_INT(np_exec_poll(e, 1, me, 32), 11);
	NP_CHECK_INT(atomic_load(&fn_seen[7]), 1);
	for (uint32_t i = 0; i < 10; i++)
		NP_CHECK_INT(atomic_load(&mb_seen[100 + i]), 1);
	NP_CHECK_INT(np_exec_poll(e, 1, me, 32), 0);
	NP_CHECK_INT(rte_mempool_in_use_count(pool), 0);
	NP_CHECK_INT(stat(e, 1, NP_EXEC_CTR_FN_SUBMITTED), 1);
	NP_CHECK_INT(stat(e, 1, NP_EXEC_CTR_FN_RUN), 1);
	NP_CHECK_INT(stat(e, 1, NP_EXEC_CTR_MBUF_SUBMITTED), 10);
	NP_CHECK_INT(stat(e, 1, NP_EXEC_CTR_MBUF_DELIVERED), 10);
	NP_CHECK_INT(stat(e, 0, NP_EXEC_CTR_MBUF_SUBMITTED), 0);
	NP_CHECK_INT(np_exec_pair_count(e, 0, 1, NP_EXEC_CTR_MBUF_SUBMITTED), 10);
	NP_CHECK_INT(np_exec_pair_count(e, 1, 1, NP_EXEC_CTR_MBUF_SUBMITTED), 0);

	/* Budget: 40 functions, polled 15 at a time. */
	for (uintptr_t i = 0; i < 40; i++)
		NP_REQUIRE_INT(np_exec_submit_fn(e, me, 0, count_fn, (void *)(1000 + i)), 0);
	NP_CHECK_INT(np_exec_poll(e, 0, me, 15), 15);
	NP_CHECK_INT(np_exec_poll(e, 0, me, 15), 15);
	NP_CHECK_INT(np_exec_poll(e, 0, me, 15), 10);
	NP_CHECK_INT(atomic_load(&fn_ran), 41);

	/* A node without an executor: all freed and counted, never lost silently. */
	for (uint32_t i = 0; i < 4; i++)
		m[i] = mbuf_with_id(i);
	NP_CHECK_INT(np_exec_submit_burst(e, me, 5, m, 4), 0);
	NP_CHECK_INT(np_exec_submit_fn(e, me, -1, count_fn, NULL), -ENODEV);
	NP_CHECK_INT(np_exec_unroutable(e), 5);
	NP_CHECK_INT(rte_mempool_in_use_count(pool), 0);
	NP_CHECK_INT(np_exec_poll(e, 5, me, 32), 0);

	NP_REQUIRE_INT(np_exec_mem(e, 1, &mem), 0);
	NP_CHECK(mem.mbuf_ring != NULL && mem.fn_ring != NULL && mem.socket == 0, "mem of node 1");
	np_exec_destroy(e);
}

/* A full ring: exactly its capacity taken, the rest counted per (source, destination). */
static void
test_overload_exact(void)
{
	np_executor *e = exec2(64, 48);
	unsigned int me = rte_lcore_id();
	struct np_exec_item items[100];
	struct rte_mbuf *m[100];
	unsigned int got;

	reset_seen();
	/* This lcore counts as node 1 submitting to node 0. */
	NP_REQUIRE_INT(np_exec_lcore_node(e, me, 1), 0);
	for (uint32_t i = 0; i < 100; i++) {
		m[i] = mbuf_with_id(i);
		items[i] = (struct np_exec_item){ count_fn, (void *)(uintptr_t)i };
	}
	got = np_exec_submit_burst(e, me, 0, m, 100);
	NP_CHECK_INT(got, 64);
	NP_CHECK_INT(rte_mempool_in_use_count(pool), 64);   /* the 36 others were freed */
	NP_CHECK_INT(np_exec_submit_fns(e, me, 0, items, 100), 48);
	NP_CHECK_INT(np_exec_submit_fn(e, me, 0, count_fn, NULL), -ENOBUFS);
	NP_CHECK_INT(np_exec_pair_count(e, 1, 0, NP_EXEC_CTR_MBUF_SUBMITTED), 64);
	NP_CHECK_INT(np_exec_pair_count(e, 1, 0, NP_EXEC_CTR_MBUF_DROPPED), 36);
	NP_CHECK_INT(np_exec_pair_count(e, 1, 0, NP_EXEC_CTR_FN_SUBMITTED), 48);
	NP_CHECK_INT(np_exec_pair_count(e, 1, 0, NP_EXEC_CTR_FN_REFUSED), 53);
	NP_CHECK_INT(np_exec_pair_count(e, 0, 0, NP_EXEC_CTR_MBUF_DROPPED), 0);
	NP_CHECK_INT(np_exec_pair_count(e, 1, 1, NP_EXEC_CTR_MBUF_DROPPED), 0);
	/* Exactly the first 64 mbufs and 48 functions come out, once each. */
	while (np_exec_poll(e, 0, me, 32) != 0)
		;
	for (uint32_t i = 0; i < 100; i++) {
		NP_CHECK(atomic_load(&mb_seen[i]) == (i < 64), "mbuf %u delivered %u times", i,
			 atomic_load(&mb_seen[i]));
		NP_CHECK(atomic_load(&fn_seen[i]) == (i < 48), "function %u ran %u times", i,
			 atomic_load(&fn_seen[i]));
	}
	NP_CHECK_INT(stat(e, 0, NP_EXEC_CTR_MBUF_DELIVERED), 64);
	NP_CHECK_INT(stat(e, 0, NP_EXEC_CTR_FN_RUN), 48);
	NP_CHECK_INT(rte_mempool_in_use_count(pool), 0);
	np_exec_destroy(e);
}

static void
test_drain(void)
{
	np_executor *e = exec2(64, 64);
	unsigned int me = rte_lcore_id();
	struct rte_mbuf *m[20];

	reset_seen();
	for (uintptr_t i = 0; i < 10; i++)
		NP_REQUIRE_INT(np_exec_submit_fn(e, me, i & 1, count_fn, (void *)i), 0);
	for (uint32_t i = 0; i < 20; i++)
		m[i] = mbuf_with_id(i);
	NP_REQUIRE_INT(np_exec_submit_burst(e, me, 0, m, 12), 12);
	NP_REQUIRE_INT(np_exec_submit_burst(e, me, 1, m + 12, 8), 8);
	NP_CHECK_INT(rte_mempool_in_use_count(pool), 20);
	NP_CHECK_INT(np_exec_drain(e), 30);
	NP_CHECK_INT(rte_mempool_in_use_count(pool), 0);
	NP_CHECK_INT(atomic_load(&fn_ran), 10);
	for (uint32_t i = 0; i < 20; i++)
		NP_CHECK_INT(atomic_load(&mb_seen[i]), 0);   /* freed, not delivered */
	NP_CHECK_INT(stat(e, 0, NP_EXEC_CTR_FN_DRAINED), 5);
	NP_CHECK_INT(stat(e, 1, NP_EXEC_CTR_FN_DRAINED), 5);
	NP_CHECK_INT(stat(e, 0, NP_EXEC_CTR_MBUF_DRAINED), 12);
	NP_CHECK_INT(stat(e, 1, NP_EXEC_CTR_MBUF_DRAINED), 8);
	NP_CHECK_INT(np_exec_drain(e), 0);
	/* Destroy drains too: nothing leaks when the caller forgets. */
	for (uint32_t i = 0; i < 5; i++)
		m[i] = mbuf_with_id(i);
	NP_REQUIRE_INT(np_exec_submit_burst(e, me, 1, m, 5), 5);
	np_exec_destroy(e);
	NP_CHECK_INT(rte_mempool_in_use_count(pool), 0);
}

/* ---- several producers and a poller at once ----------------------------------- */

#define PRODUCERS 3
#define PER_PRODUCER 30000u   /* items each, half functions, half mbufs */

struct producer {
	np_executor *e;
	unsigned int idx;
	int node;                  /* the node it counts for */
	int err;
	uint8_t *refused;          /* per id: 1 if refused/dropped at submit */
	uint64_t fns_refused, mbs_dropped;
};

static atomic_uint producers_done;
static pthread_barrier_t producers_barrier;

static void *
produce(void *arg)
{
	struct producer *p = arg;
	unsigned int lcore;

	if (rte_thread_register() != 0) {
		p->err = rte_errno;
		atomic_fetch_add(&producers_done, 1);
		pthread_barrier_wait(&producers_barrier);
		return NULL;
	}
	lcore = rte_lcore_id();
	np_exec_lcore_node(p->e, lcore, p->node);
	for (uint32_t base = 0; base < PER_PRODUCER; base += 16) {
		uint32_t first = p->idx * PER_PRODUCER + base;
		struct np_exec_item it[8];
		struct rte_mbuf *m[8];
		unsigned int k;
		int dst = (int)((base / 16) & 1);

		/* ids first..first+7 are functions, first+8..first+15 mbufs. */
		for (uint32_t i = 0; i < 8; i++)
			it[i] = (struct np_exec_item){ count_fn, (void *)(uintptr_t)(first + i) };
		k = np_exec_submit_fns(p->e, lcore, dst, it, 8);
		for (uint32_t i = k; i < 8; i++)
			p->refused[first + i] = 1;
		p->fns_refused += 8 - k;
		if (k < 8)
			sched_yield();   /* back off a little: most items should get through */
		for (uint32_t i = 0; i < 8; i++) {
			uint32_t id = first + 8 + i;

			/* The pool may be empty for a moment: the poller frees. */
			while ((m[i] = rte_pktmbuf_alloc(pool)) == NULL)
				sched_yield();
			memcpy(rte_pktmbuf_append(m[i], sizeof(id)), &id, sizeof(id));
		}
		/* Ids of what will not fit must be read before the mbufs are freed. */
		uint32_t ids[8];

		for (uint32_t i = 0; i < 8; i++)
			ids[i] = mbuf_id(m[i]);
		k = np_exec_submit_burst(p->e, lcore, dst, m, 8);
		for (uint32_t i = k; i < 8; i++)
			p->refused[ids[i]] = 1;
		p->mbs_dropped += 8 - k;
	}
	atomic_fetch_add(&producers_done, 1);
	/* Keep the lcore id until all are done: a reused id would count for another node. */
	pthread_barrier_wait(&producers_barrier);
	rte_thread_unregister();
	return NULL;
}

static void
test_many_producers(void)
{
	np_executor *e = exec2(256, 256);
	const uint32_t total = PRODUCERS * PER_PRODUCER;
	uint8_t *refused = calloc(total, 1);
	struct producer pr[PRODUCERS];
	pthread_t th[PRODUCERS];
	unsigned int me = rte_lcore_id(), bad = 0;
	uint64_t sub = 0, dropped = 0, fns_refused = 0, mbs_dropped = 0;

	NP_REQUIRE(refused != NULL && total <= MAX_IDS, "ids");
	reset_seen();
	atomic_store(&producers_done, 0);
	pthread_barrier_init(&producers_barrier, NULL, PRODUCERS);
	for (unsigned int i = 0; i < PRODUCERS; i++) {
		pr[i] = (struct producer){ .e = e, .idx = i, .node = (int)(i % 2), .refused = refused };
		pthread_attr_t attr;

		/* Not on the main lcore's CPU only (threads inherit its pinning). */
		pthread_attr_init(&attr);
		pthread_attr_setaffinity_np(&attr, sizeof(all_cpus), &all_cpus);
		NP_REQUIRE(pthread_create(&th[i], &attr, produce, &pr[i]) == 0, "pthread_create");
		pthread_attr_destroy(&attr);
	}
	/* This lcore serves both nodes until the producers are done and the rings empty. */
	for (;;) {
		bool done = atomic_load(&producers_done) == PRODUCERS;
		unsigned int n = np_exec_poll(e, 0, me, 64) + np_exec_poll(e, 1, me, 64);

		if (done && n == 0)
			break;
	}
	for (unsigned int i = 0; i < PRODUCERS; i++) {
		pthread_join(th[i], NULL);
		if (i == PRODUCERS - 1)
			pthread_barrier_destroy(&producers_barrier);
		NP_CHECK_INT(pr[i].err, 0);
		fns_refused += pr[i].fns_refused;
		mbs_dropped += pr[i].mbs_dropped;
	}
	/* Every id exactly once: run/delivered, or refused/dropped at submit. */
	for (uint32_t id = 0; id < total; id++) {
		bool is_fn = (id % 16) < 8;
		unsigned int ran = is_fn ? atomic_load(&fn_seen[id]) : atomic_load(&mb_seen[id]);

		if (ran + refused[id] != 1 && bad++ < 5)
			NP_CHECK(false, "%s id %u: ran %u times, refused %u", is_fn ? "function" : "mbuf",
				 id, ran, refused[id]);
	}
	NP_CHECK_INT(bad, 0);
	/* The counters agree: submitted = run (+ drained) and submitted + dropped = offered. */
	for (int node = 0; node < 2; node++) {
		uint64_t s_fn = stat(e, node, NP_EXEC_CTR_FN_SUBMITTED);
		uint64_t s_mb = stat(e, node, NP_EXEC_CTR_MBUF_SUBMITTED);

		NP_CHECK_INT(s_fn, stat(e, node, NP_EXEC_CTR_FN_RUN));
		NP_CHECK_INT(s_mb, stat(e, node, NP_EXEC_CTR_MBUF_DELIVERED));
		sub += s_fn + s_mb;
		dropped += stat(e, node, NP_EXEC_CTR_FN_REFUSED) + stat(e, node, NP_EXEC_CTR_MBUF_DROPPED);
	}
	NP_CHECK_INT(sub + dropped, total);
	NP_CHECK_INT(dropped, fns_refused + mbs_dropped);
	/* By pair: producers 0 and 2 count for node 0, producer 1 for node 1. */
	{
		uint64_t pairs = 0;

		for (int s = 0; s < 2; s++)
			for (int d = 0; d < 2; d++)
				pairs += np_exec_pair_count(e, s, d, NP_EXEC_CTR_FN_SUBMITTED) +
					 np_exec_pair_count(e, s, d, NP_EXEC_CTR_FN_REFUSED) +
					 np_exec_pair_count(e, s, d, NP_EXEC_CTR_MBUF_SUBMITTED) +
					 np_exec_pair_count(e, s, d, NP_EXEC_CTR_MBUF_DROPPED);
		NP_CHECK_INT(pairs, total);
		NP_CHECK_INT(np_exec_pair_count(e, 1, 0, NP_EXEC_CTR_FN_SUBMITTED) +
			     np_exec_pair_count(e, 1, 0, NP_EXEC_CTR_FN_REFUSED) +
			     np_exec_pair_count(e, 1, 1, NP_EXEC_CTR_FN_SUBMITTED) +
			     np_exec_pair_count(e, 1, 1, NP_EXEC_CTR_FN_REFUSED), PER_PRODUCER / 2);
	}
	fprintf(stderr, "    (%" PRIu64 " of %u items refused or dropped under load)\n", dropped,
		total);
	NP_CHECK_INT(np_exec_drain(e), 0);
	NP_CHECK_INT(rte_mempool_in_use_count(pool), 0);
	np_exec_destroy(e);
	free(refused);
}

static const struct np_test_case cases[] = {
	{ "bad arguments", test_bad_args },
	{ "run functions, deliver mbufs", test_run_and_deliver },
	{ "overload counted exactly", test_overload_exact },
	{ "drain at stop", test_drain },
	{ "several producers", test_many_producers },
	{ NULL, NULL },
};

int
main(void)
{
	unsigned int cpus[2];
	int ret;

	np_test_eal_start("test_exec", 1, cpus, &all_cpus);
	/* No per-lcore cache: the in-use count is exact at every check. */
	pool = rte_pktmbuf_pool_create("test_exec", POOL_MBUFS, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	if (pool == NULL)
		NP_TEST_SKIP_ALL("no mbuf pool: %s", rte_strerror(rte_errno));
	ret = np_test_run((const struct np_test_suite[]){ { "exec", NULL, NULL, cases } }, 1);
	rte_mempool_free(pool);
	if (np_test_eal_stop() != 0 && ret == 0)
		ret = 1;
	return ret;
}
