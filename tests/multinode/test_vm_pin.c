/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pinning on a real multi-node kernel (framework/pin): a thread pinned to a
 * node runs on that node's CPUs (sched_getcpu, sampled while it yields), a
 * thread pinned to a CPU runs on it, scopes restore, and a CPU taken offline
 * for real narrows a pin, or leaves a node without CPUs.
 *
 * Needs >= 2 NUMA nodes: skips (77) otherwise. The 'vm' suite runs it in the
 * 2-node and 4-node guests (tests/vm/np-vm); it takes a CPU offline there
 * and brings it back.
 *
 * Options: --nodes N   the machine must have exactly N nodes.
 */
#include <errno.h>
#include <numa.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "np_pin.h"
#include "np_test.h"
#include "np_test_numa.h"
#include "np_test_sys.h"

#define MAX_NODES 16
#define SAMPLES 50

static int nodes[MAX_NODES];
static int k;
static int expected_nodes = -1;
static cpu_set_t original;

static void
libnuma_cpus(int node, cpu_set_t *out)
{
	NP_REQUIRE(np_test_libnuma_cpus(node, out) == 0, "numa_node_to_cpus(%d)", node);
}

static void
current(cpu_set_t *s)
{
	NP_REQUIRE(sched_getaffinity(0, sizeof(*s), s) == 0, "sched_getaffinity");
}

/* Sample where this thread runs while giving the scheduler chances to move it. */
static int
samples_off(const cpu_set_t *allowed, int *bad_cpu)
{
	volatile unsigned long sink = 0;
	int bad = 0;

	*bad_cpu = -1;
	for (int i = 0; i < SAMPLES; i++) {
		for (unsigned long j = 0; j < 100000; j++)
			sink += j;
		sched_yield();
		int cpu = sched_getcpu();

		if (!CPU_ISSET(cpu, allowed)) {
			bad++;
			*bad_cpu = cpu;
		}
	}
	return bad;
}

static void
test_node_cpus_match_libnuma(void)
{
	if (expected_nodes >= 0)
		NP_CHECK_INT(k, expected_nodes);
	for (int i = 0; i < k; i++) {
		cpu_set_t a, b;

		libnuma_cpus(nodes[i], &a);
		NP_CHECK_INT(np_node_cpus(nodes[i], &b), CPU_COUNT(&a));
		NP_CHECK(CPU_EQUAL(&a, &b), "node %d CPUs as libnuma says", nodes[i]);
	}
}

static void
test_pin_each_node(void)
{
	for (int i = 0; i < k; i++) {
		struct np_pin_scope s;
		cpu_set_t want, now;
		int bad, bad_cpu;

		libnuma_cpus(nodes[i], &want);
		NP_REQUIRE_INT(np_pin_node(&s, nodes[i], NP_PIN_STRICT), 0);
		current(&now);
		NP_CHECK(CPU_EQUAL(&now, &want), "affinity is node %d's CPUs", nodes[i]);
		bad = samples_off(&want, &bad_cpu);
		NP_CHECK(bad == 0, "pinned to node %d: %d of %d samples ran elsewhere (CPU %d, node %d)",
			 nodes[i], bad, SAMPLES, bad_cpu, bad_cpu < 0 ? -1 : numa_node_of_cpu(bad_cpu));
		NP_CHECK_INT(np_pin_restore(&s), 0);
		current(&now);
		NP_CHECK(CPU_EQUAL(&now, &original), "restored");
	}
}

static void
test_pin_each_cpu(void)
{
	for (int c = 0; c < CPU_SETSIZE; c++) {
		struct np_pin_scope s;
		cpu_set_t one;
		int bad, bad_cpu;

		if (!CPU_ISSET(c, &original))
			continue;
		NP_REQUIRE_INT(np_pin_cpu(&s, (unsigned int)c, NP_PIN_STRICT), 0);
		CPU_ZERO(&one);
		CPU_SET(c, &one);
		bad = samples_off(&one, &bad_cpu);
		NP_CHECK(bad == 0, "pinned to CPU %d: %d samples on CPU %d", c, bad, bad_cpu);
		NP_CHECK_INT(np_pin_restore(&s), 0);
	}
}

static void
test_nested_nodes(void)
{
	struct np_pin_scope outer, inner;
	cpu_set_t first, last, now;
	int bad_cpu;

	libnuma_cpus(nodes[0], &first);
	libnuma_cpus(nodes[k - 1], &last);
	NP_REQUIRE_INT(np_pin_node(&outer, nodes[0], NP_PIN_STRICT), 0);
	NP_REQUIRE_INT(np_pin_node(&inner, nodes[k - 1], NP_PIN_STRICT), 0);
	NP_CHECK_INT(samples_off(&last, &bad_cpu), 0);
	NP_CHECK_INT(np_pin_restore(&inner), 0);
	current(&now);
	NP_CHECK(CPU_EQUAL(&now, &first), "back on node %d", nodes[0]);
	NP_CHECK_INT(samples_off(&first, &bad_cpu), 0);
	NP_CHECK_INT(np_pin_restore(&outer), 0);
}

static int off_cpu = -1;

static void
online_again(void)
{
	if (off_cpu >= 0 && np_test_set_cpu_online(off_cpu, true) == 0)
		off_cpu = -1;
}

static void
test_offline_cpu(void)
{
	struct np_pin_scope s;
	cpu_set_t ask, zero, now, node_cpus;
	int last = -1, node;
	char needle[96];

	for (int c = CPU_SETSIZE - 1; c > 0 && last < 0; c--)
		if (CPU_ISSET(c, &original))
			last = c;
	NP_REQUIRE(last > 0, "a CPU other than 0");
	node = numa_node_of_cpu(last);
	NP_REQUIRE(np_test_set_cpu_online(last, false) == 0, "offline CPU %d: %s", last,
		   strerror(errno));
	off_cpu = last;

	CPU_ZERO(&ask);
	CPU_SET(0, &ask);
	CPU_SET(last, &ask);
	CPU_ZERO(&zero);
	CPU_SET(0, &zero);
	NP_REQUIRE_INT(np_pin_cpus(&s, &ask, 0), 0);
	NP_CHECK_INT(s.fallbacks, NP_PIN_FB_OFFLINE);
	NP_CHECK(CPU_EQUAL(&s.got, &zero), "got CPU 0 only");
	snprintf(needle, sizeof(needle), "CPUs %d are offline or do not exist", last);
	NP_CHECK_CONTAINS(s.detail, needle);
	NP_CHECK_INT(np_pin_restore(&s), 0);

	NP_CHECK_INT(np_pin_cpus(&s, &ask, NP_PIN_STRICT), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), needle);
	current(&now);
	CPU_CLR(last, &original);   /* the kernel dropped it from every mask */
	NP_CHECK(CPU_EQUAL(&now, &original), "affinity unchanged after the strict failure");

	NP_CHECK_INT(np_pin_cpu(&s, (unsigned int)last, 0), -EINVAL);
	snprintf(needle, sizeof(needle), "none of CPUs %d is online", last);
	NP_CHECK_CONTAINS(np_last_error(), needle);

	/* Its node: pinned to what is left, or, if nothing is, no CPUs at all. */
	int left = np_node_cpus(node, &node_cpus);
	if (left == 0) {
		NP_CHECK_INT(np_pin_node(&s, node, 0), -ENODEV);
		NP_CHECK_CONTAINS(np_last_error(), "has no CPUs");
	} else {
		NP_CHECK(!CPU_ISSET(last, &node_cpus), "offline CPU not listed for node %d", node);
		NP_CHECK_INT(np_pin_node(&s, node, NP_PIN_STRICT), 0);
		NP_CHECK_INT(np_pin_restore(&s), 0);
	}
	online_again();
	NP_CHECK_INT(off_cpu, -1);
	CPU_SET(last, &original);
	/* Back online, the node pins to all its CPUs again. */
	NP_REQUIRE_INT(np_pin_node(&s, node, NP_PIN_STRICT), 0);
	NP_CHECK(CPU_ISSET(last, &s.got), "CPU %d back in node %d's pin", last, node);
	NP_CHECK_INT(np_pin_restore(&s), 0);
	/* The thread's own affinity lost the CPU while it was offline: give it back. */
	sched_setaffinity(0, sizeof(original), &original);
}

static const struct np_test_case cases[] = {
	{ "node CPUs match libnuma", test_node_cpus_match_libnuma },
	{ "pinned to each node, runs there", test_pin_each_node },
	{ "pinned to each CPU, runs there", test_pin_each_cpu },
	{ "nested node scopes", test_nested_nodes },
	{ "a CPU taken offline", test_offline_cpu },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	expected_nodes = np_test_nodes_option(argc, argv);
	k = np_test_multinode(NP_TEST_NODES_WITH_CPUS, nodes, MAX_NODES, argv[0]);
	if (sched_getaffinity(0, sizeof(original), &original) < 0)
		return 1;
	atexit(online_again);

	const struct np_test_suite suites[] = {
		{ "pin placement", NULL, NULL, cases },
	};
	return np_test_run(suites, 1);
}
