/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sharded state and the sharded counter on a real multi-node kernel
 * (framework/shard): each shard on its own node (move_pages here, not only
 * the library's own check), the local lookup from a thread pinned to each
 * node, the nearest shard for a node without one, a shard that really
 * lands on the wrong node (mbind and pinning refused by seccomp) reported
 * and refused under NP_SHARDED_STRICT, and counter slots counting on their
 * threads' nodes.
 *
 * Needs >= 2 NUMA nodes: skips (77) otherwise. The 'vm' suite runs it in the
 * 2-node and 4-node guests (tests/vm/np-vm).
 *
 * Options: --nodes N   the machine must have exactly N nodes with memory.
 */
#include <errno.h>
#include <numa.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "np_counter_worker.h"
#include "np_pin.h"
#include "np_sharded.h"
#include "np_test.h"
#include "np_test_numa.h"
#include "np_test_sys.h"

#define MAX_NODES 16

static int nodes[MAX_NODES];
static int k;
static int expected_nodes = -1;

static bool
has_cpus(int node)
{
	cpu_set_t c;

	return np_node_cpus(node, &c) > 0;
}

static void
test_every_node(void)
{
	np_sharded *s = np_sharded_create(200, 64, NULL, NULL, NULL, NP_SHARDED_STRICT);
	cpu_set_t online;

	NP_REQUIRE(s != NULL, "create: %s", np_last_error());
	if (expected_nodes >= 0)
		NP_CHECK_INT(k, expected_nodes);
	NP_REQUIRE_INT(np_sharded_count(s), k);
	for (int i = 0; i < k; i++) {
		struct np_shard_info in;

		NP_REQUIRE_INT(np_sharded_shard(s, (unsigned int)i, &in), 0);
		NP_CHECK_INT(in.node, nodes[i]);
		NP_CHECK(in.verified && in.pages_on_node == in.pages, "shard %d verified", i);
		NP_CHECK_INT(np_test_page_node(in.ptr), nodes[i]);
	}
	NP_CHECK_INT(np_sharded_verify(s), 0);

	/* Pinned to a node, "local" is that node's shard. */
	for (int i = 0; i < k; i++) {
		struct np_pin_scope scope;

		if (!has_cpus(nodes[i]))
			continue;
		NP_REQUIRE_INT(np_pin_node(&scope, nodes[i], NP_PIN_STRICT), 0);
		for (int rep = 0; rep < 20; rep++) {
			void *local = np_sharded_local(s);

			NP_CHECK(local == np_sharded_on(s, nodes[i]), "local on node %d", nodes[i]);
			NP_CHECK_INT(np_test_page_node(local), nodes[i]);
			sched_yield();
		}
		np_pin_restore(&scope);
	}
	/* Each CPU maps to its node's shard (libnuma's CPU-to-node map). */
	NP_REQUIRE_INT(np_cpus_online(&online), 0);
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &online))
			NP_CHECK(np_sharded_for_cpu(s, (unsigned int)c) ==
				 np_sharded_on(s, numa_node_of_cpu(c)), "CPU %d", c);
	np_sharded_destroy(s);
}

/* Shards on some nodes only: the others get the nearest by numa_distance. */
static void
test_nearest_shard(void)
{
	np_nodemask m = { { 0 } };
	np_sharded *s;

	for (int i = 1; i < k; i++)
		np_nodemask_set(&m, nodes[i]);     /* none on the first node */
	s = np_sharded_create(64, 0, &m, NULL, NULL, NP_SHARDED_STRICT);
	NP_REQUIRE(s != NULL, "create: %s", np_last_error());
	NP_CHECK_INT(np_sharded_count(s), k - 1);
	for (int i = 0; i < k; i++) {
		int want = -1, best = 0;
		struct np_pin_scope scope;

		for (int j = 1; j < k; j++) {
			int d = numa_distance(nodes[i], nodes[j]);

			if (want < 0 || d < best) {
				want = nodes[j];
				best = d;
			}
		}
		if (!has_cpus(nodes[i]))
			continue;
		NP_REQUIRE_INT(np_pin_node(&scope, nodes[i], NP_PIN_STRICT), 0);
		NP_CHECK(np_sharded_local(s) == np_sharded_on(s, want),
			 "a thread on node %d gets node %d's shard (distance %d)", nodes[i], want, best);
		np_pin_restore(&scope);
	}
	np_sharded_destroy(s);
}

/* ---- a shard that lands on the wrong node, for real ------------------------ */

struct child_out {
	int setup_err;
	bool created;
	int err;
	int verify_ret;
	unsigned int n;
	struct np_shard_info info[MAX_NODES];
	int real_node[MAX_NODES];
	char msg[360];
};

/* In the child: on the first node, mbind and pinning refused (as in a container), then create. */
static void
misplaced_in_child(void *report, void *arg)
{
	static const struct np_test_deny deny[] = {
		{ SYS_mbind, -1, 0, EPERM },
		{ SYS_sched_setaffinity, -1, 0, EPERM },
	};
	unsigned int flags = *(const unsigned int *)arg;
	struct child_out *o = report;
	np_sharded *s;

	/* Everything this child touches first is on the first node. */
	if (numa_run_on_node(nodes[0]) != 0)
		o->setup_err = -errno;
	else
		o->setup_err = np_test_deny_syscalls(deny, 2);
	if (o->setup_err != 0)
		return;
	s = np_sharded_create(64, 0, NULL, NULL, NULL, flags);
	o->created = s != NULL;
	o->err = s ? 0 : errno;
	snprintf(o->msg, sizeof(o->msg), "%s", np_last_error());
	if (s != NULL) {
		o->n = np_sharded_count(s);
		for (unsigned int i = 0; i < o->n && i < MAX_NODES; i++) {
			np_sharded_shard(s, i, &o->info[i]);
			o->real_node[i] = np_test_page_node(o->info[i].ptr);
		}
		o->verify_ret = np_sharded_verify(s);
		np_sharded_destroy(s);
	}
}

static void
create_misplaced(unsigned int flags, struct child_out *out)
{
	struct np_test_child c = np_test_fork(misplaced_in_child, &flags, out, sizeof(*out));

	NP_REQUIRE_CHILD_OK(c);
}

static void
test_misplaced_shard(void)
{
	struct child_out o;
	char needle[96];

	create_misplaced(0, &o);
	NP_REQUIRE(o.setup_err == 0, "seccomp / numa_run_on_node in the child: %s",
		   strerror(-o.setup_err));
	NP_REQUIRE(o.created, "best effort creates: %s", o.msg);
	NP_REQUIRE_INT(o.n, k);
	for (unsigned int i = 0; i < o.n; i++) {
		/* Where the kernel put it (the first node, where the child ran)... */
		NP_CHECK_INT(o.real_node[i], nodes[0]);
		/* ...is what the library reports. */
		NP_CHECK(o.info[i].verified == (o.info[i].node == nodes[0]),
			 "shard of node %d verified=%d though it is on node %d", o.info[i].node,
			 o.info[i].verified, o.real_node[i]);
		NP_CHECK_INT(o.info[i].pages_on_node, o.info[i].node == nodes[0] ? 1 : 0);
	}
	NP_CHECK_INT(o.verify_ret, k - 1);

	create_misplaced(NP_SHARDED_STRICT, &o);
	NP_CHECK(!o.created, "strict refuses");
	NP_CHECK_INT(o.err, EIO);
	snprintf(needle, sizeof(needle), "shard for node %d: only 0 of its 1 pages are on node %d",
		 nodes[1], nodes[1]);
	NP_CHECK_CONTAINS(o.msg, needle);
}

/* ---- the counter ----------------------------------------------------------- */

struct counting {
	np_counter *c;
	int node;
	unsigned int n;
	int slot;
	int slot_node;
	int line_node;
	int pin_ret;
};

static void *
count_on_node(void *arg)
{
	struct counting *w = arg;
	struct np_pin_scope scope;

	w->pin_ret = np_pin_node(&scope, w->node, NP_PIN_STRICT);
	if (w->pin_ret != 0)
		return NULL;
	w->slot = np_counter_register(w->c);
	if (w->slot < 0)
		return NULL;
	w->slot_node = w->c->slot_node[w->slot];
	w->line_node = np_test_page_node(w->c->slot[w->slot]);
	for (unsigned int i = 0; i < w->n; i++)
		np_counter_inc(w->c, (unsigned int)w->slot);
	return NULL;
}

static void
test_counter_per_node(void)
{
	np_counter *c = np_counter_create(2 * (unsigned int)k, NP_NODE_ANY, NP_SHARDED_STRICT);
	struct counting w[MAX_NODES];
	pthread_t t[MAX_NODES];
	uint64_t total = 0;
	int m = 0;

	NP_REQUIRE(c != NULL, "create: %s", np_last_error());
	for (int i = 0; i < k; i++) {
		if (!has_cpus(nodes[i]))
			continue;
		w[m] = (struct counting){ .c = c, .node = nodes[i], .n = 100000u * (unsigned int)(i + 1) };
		NP_REQUIRE(pthread_create(&t[m], NULL, count_on_node, &w[m]) == 0, "pthread_create");
		m++;
	}
	for (int i = 0; i < m; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < m; i++) {
		NP_REQUIRE_INT(w[i].pin_ret, 0);
		NP_REQUIRE(w[i].slot >= 0, "registered");
		/* The thread's slot is bound to its node and its line is there. */
		NP_CHECK_INT(w[i].slot_node, w[i].node);
		NP_CHECK_INT(w[i].line_node, w[i].node);
		NP_CHECK_INT(np_counter_sum_node(c, w[i].node), w[i].n);
		NP_CHECK_INT(np_counter_slot_value(c, (unsigned int)w[i].slot), w[i].n);
		total += w[i].n;
	}
	NP_CHECK_INT(np_counter_sum(c), total);

	/* A slot rebound to another node keeps what it counted on the first. */
	unsigned int s0 = (unsigned int)w[0].slot;
	int other = w[m - 1].node;

	NP_REQUIRE_INT(np_counter_slot_bind(c, s0, other), 0);
	NP_CHECK_INT(np_test_page_node(c->slot[s0]), other);
	np_counter_add(c, s0, 5);
	NP_CHECK_INT(np_counter_slot_value(c, s0), w[0].n + 5);
	NP_CHECK_INT(np_counter_sum_node(c, other), w[m - 1].n + 5);
	NP_CHECK_INT(np_counter_sum(c), total + 5);
	np_counter_destroy(c);

	/* A counter for workers all on one node keeps every slot there. */
	c = np_counter_create(8, nodes[k - 1], NP_SHARDED_STRICT);
	NP_REQUIRE(c != NULL, "create on node %d: %s", nodes[k - 1], np_last_error());
	for (unsigned int i = 0; i < 8; i++) {
		NP_CHECK_INT(c->slot_node[i], nodes[k - 1]);
		NP_CHECK_INT(np_test_page_node(c->slot[i]), nodes[k - 1]);
	}
	np_counter_destroy(c);
}

static const struct np_test_case cases[] = {
	{ "a shard on every node, local from each", test_every_node },
	{ "the nearest shard for a node without one", test_nearest_shard },
	{ "a shard on the wrong node is reported, strict refuses", test_misplaced_shard },
	{ "counter slots count on their threads' nodes", test_counter_per_node },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	expected_nodes = np_test_nodes_option(argc, argv);
	k = np_test_multinode(NP_TEST_NODES_WITH_MEMORY, nodes, MAX_NODES, argv[0]);

	const struct np_test_suite suites[] = {
		{ "shard placement", NULL, NULL, cases },
	};
	return np_test_run(suites, 1);
}
