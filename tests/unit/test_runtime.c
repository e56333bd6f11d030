/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * drivers-glue/runtime before EAL: the parameters it refuses (each with the
 * parameter it is about), the EAL arguments it owns or cannot run with
 * (abbreviations and clustered short options included), a described
 * machine that plans but never runs, no_huge memory larger than the machine,
 * and the hugepage check counting every worker's context. Nothing here
 * starts EAL: every refusal must come before it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "np_pipeline.h"
#include "np_runtime.h"
#include "np_test.h"
#include "np_test_topo.h"

static const struct np_runtime_port two_rings[2] = {
	{ .vdev = "net_ring0,nodeaction=tr0:0:CREATE", .node = NP_NODE_UNKNOWN, .rx_queues = 1,
	  .rx_desc = 256, .tx_desc = 256, .peer = 1 },
	{ .vdev = "net_ring1,nodeaction=tr1:0:CREATE", .node = NP_NODE_UNKNOWN, .rx_queues = 1,
	  .rx_desc = 256, .tx_desc = 256, .peer = 0 },
};

static struct np_runtime_params
params(const np_topo *t, const struct np_runtime_port *ports, unsigned int n,
       const unsigned int *cpus, unsigned int n_cpus)
{
	return (struct np_runtime_params){
		.name = "test_runtime", .topo = (np_topo *)t, .ports = ports, .n_ports = n,
		.cpus = cpus, .n_cpus = n_cpus, .burst = 32, .cache_size = 64,
		.data_room = 2176,
	};
}

/* Refused with @p err, a message and the parameter it is about. */
static void
expect_refused(const struct np_runtime_params *p, int err, const char *msg, const char *param)
{
	np_runtime *rt = np_runtime_create(p);

	NP_CHECK(rt == NULL, "refused: %s", msg);
	NP_CHECK_INT(errno, err);
	NP_CHECK_CONTAINS(np_last_error(), msg);
	NP_CHECK_STR(np_last_error_param(), param);
	np_runtime_destroy(rt);
}

static void
test_eal_owner(void)
{
	static const struct {
		const char *arg;
		const char *owner; /* NULL: free; else a substring of the answer */
	} cases[] = {
		{ "--log-level=lib.eal:debug", NULL }, { "--file-prefix=x", NULL },
		{ "-n", NULL }, { "-n4", NULL }, { "-v", NULL }, { "-d", NULL },
		{ "--iova-mode=va", NULL }, { "--no-telemetry", NULL }, { "4", NULL },
		{ "-l", "workers" }, { "-l0", "workers" }, { "-c", "workers" },
		{ "--lcores=0@1", "workers" }, { "--main-lcore", "workers.main_lcore" },
		{ "--main-lc=0", "workers.main_lcore" },            /* getopt's abbreviation */
		{ "-vl0", "workers" },                   /* clustered short options */
		{ "-S", "workers" }, { "-a", "ports" }, { "--allow=0000:00:01.0", "ports" },
		{ "-b", "ports" }, { "--vdev=net_null0", "ports" }, { "--vde=net_null0", "ports" },
		{ "--no-pci", "ports" }, { "--no-huge", "no_huge" }, { "--no-hug", "no_huge" },
		{ "--in-memory", "no_huge" }, { "-m", "memory" }, { "-m512", "memory" },
		{ "--socket-mem=64", "memory" }, { "--proc-type=secondary", "secondary" },
		{ "--proc-type", "not supported" }, { "--help", "not supported" },
		{ "-h", "not supported" }, { "--no", "ambiguous" }, { "--bogus", "no option --bogus" },
		{ "-x", "no option -x" }, { "--", "'--' would end" }, { "-", "lone" },
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = np_runtime_eal_arg_owner(cases[i].arg);

		if (cases[i].owner == NULL)
			NP_CHECK(got == NULL, "%s is free to pass, got \"%s\"", cases[i].arg,
				 got ? got : "");
		else
			NP_CHECK(got != NULL && strstr(got, cases[i].owner) != NULL,
				 "%s: expected \"%s\", got \"%s\"", cases[i].arg, cases[i].owner,
				 got ? got : "(free)");
	}
}

static void
test_bad_params(void)
{
	np_topo *t = np_test_topo("1node.xml");
	unsigned int cpus[] = { 0, 1 }, bad_cpu[] = { 0, 9 };
	struct np_runtime_port ports[2];
	struct np_runtime_params p;
	char long_vdev[128];

	p = params(t, two_rings, 2, cpus, 2);
	p.eal_args = (const char *const[]){ "--log-level=x", "--vde=net_null9" };
	p.n_eal_args = 2;
	expect_refused(&p, EINVAL, "EAL argument --vde=net_null9: ports", "eal_args[1]");
	p.eal_args = (const char *const[]){ "--proc-type=secondary" };
	p.n_eal_args = 1;
	expect_refused(&p, EINVAL, "EAL argument --proc-type=secondary: not supported",
		       "eal_args[0]");

	/* An option's value may look like anything; a stray word may not. */
	p.eal_args = (const char *const[]){ "--log-level", "lib.eal:debug", "-n", "4" };
	p.n_eal_args = 4;
	{
		np_runtime *ok = np_runtime_create(&p);

		NP_CHECK(ok != NULL, "values after their options pass: %s", np_last_error());
		np_runtime_destroy(ok);
	}
	p.eal_args = (const char *const[]){ "--log-level=x", "garbage" };
	p.n_eal_args = 2;
	expect_refused(&p, EINVAL, "EAL argument \"garbage\" is neither an option nor an "
		       "option's value", "eal_args[1]");
	p.eal_args = (const char *const[]){ "--file-prefix" };
	p.n_eal_args = 1;
	expect_refused(&p, EINVAL, "EAL argument --file-prefix needs a value", "eal_args");

	p = params(t, two_rings, 2, bad_cpu, 2);
	expect_refused(&p, ENOENT, "worker CPU 9 does not exist", "workers.cpus");

	memcpy(ports, two_rings, sizeof(ports));
	ports[1].peer = 5;
	p = params(t, ports, 2, cpus, 2);
	expect_refused(&p, EINVAL, "port 1: peer 5 is not a port (0..1)", "ports[1].peer");

	memcpy(ports, two_rings, sizeof(ports));
	ports[0].pci = "0000:00:01.0";
	expect_refused(&p, EINVAL, "port 0: give exactly one of a PCI address and a vdev",
		       "ports[0]");

	/* DPDK cuts device names at 63 characters: refused before it can confuse two. */
	memcpy(ports, two_rings, sizeof(ports));
	memset(long_vdev, 'a', sizeof(long_vdev));
	memcpy(long_vdev, "net_null", 8);
	long_vdev[70] = '\0';
	ports[1].vdev = long_vdev;
	expect_refused(&p, EINVAL, "is 70 characters; DPDK's limit is 63", "ports[1].vdev");

	memcpy(ports, two_rings, sizeof(ports));
	ports[0].vdev = "net_ring0,nodeaction=tr0:3:CREATE";
	expect_refused(&p, ENOENT, "port 0: vdev net_ring0,nodeaction=tr0:3:CREATE: node 3 "
		       "does not exist", "ports[0].vdev");
	ports[0].vdev = two_rings[0].vdev;
	ports[0].node = 4;
	expect_refused(&p, ENOENT, "port 0: port net_ring0,nodeaction=tr0:0:CREATE: node = 4 "
		       "does not exist", "ports[0].node");

	p = params(t, two_rings, 2, cpus, 2);
	p.burst = 0;
	expect_refused(&p, EINVAL, "burst 0 is out of range", "burst");
	NP_CHECK(np_runtime_create(NULL) == NULL && errno == EINVAL, "NULL parameters");
	np_topo_destroy(t);
}

static void
test_refused_before_eal(void)
{
	np_topo *t = np_test_topo("2node.xml");
	unsigned int cpus[] = { 0, 2 };
	struct np_runtime_params p = params(t, two_rings, 2, cpus, 2);
	struct np_runtime_port big[2];
	np_runtime *rt;

	/* A described machine plans... */
	rt = np_runtime_create(&p);
	NP_REQUIRE(rt != NULL, "plan on 2node.xml: %s", np_last_error());
	NP_CHECK_INT(np_plan_lcore_count(np_runtime_plan(rt)), 2);
	NP_CHECK(np_runtime_topo(rt) == t, "the given topology is used");
	/* ...but never runs: it may have nodes this host has not. */
	NP_CHECK_INT(np_runtime_start(rt), -EPERM);
	NP_CHECK_CONTAINS(np_last_error(), "is a described machine");
	NP_CHECK_CONTAINS(np_last_error(), "unset NP_TOPOLOGY to run here");
	NP_CHECK(np_runtime_port(rt, 0) == NULL && np_runtime_port_id(rt, 0) == -ENODEV,
		 "no port before start");
	NP_CHECK(np_runtime_pipeline(rt, (const char *const[]){ "x" }, 1) == NULL &&
		 errno == EINVAL, "no pipeline before start");
	np_runtime_destroy(rt);
	np_topo_destroy(t);

	/* no_huge: EAL would take the whole plan as anonymous memory at once. */
	t = np_topo_load_live();
	NP_REQUIRE(t != NULL, "live topology: %s", np_last_error());
	cpus[0] = 0;
	memcpy(big, two_rings, sizeof(big));
	for (int i = 0; i < 2; i++) {
		big[i].rx_queues = 128;
		big[i].rx_desc = 32768;
	}
	p = params(t, big, 2, cpus, 1);
	p.no_huge = true;
	p.data_room = 65535;
	rt = np_runtime_create(&p);
	NP_REQUIRE(rt != NULL, "plan: %s", np_last_error());
	NP_CHECK_INT(np_runtime_start(rt), -ENOMEM);
	NP_CHECK_CONTAINS(np_last_error(), "without hugepages EAL would take");
	NP_CHECK_CONTAINS(np_last_error(), "MB available");
	NP_CHECK_STR(np_last_error_param(), "no_huge");
	np_runtime_destroy(rt);
	np_topo_destroy(t);
}

/* Every worker's context counts where it lives, pool or no pool there. */
static void
test_hugepages_count_workers(void)
{
	np_topo *t = np_test_topo("2node.xml");
	unsigned int cpus[] = { 0, 2 };
	struct np_runtime_port nic = { .pci = "0000:0a:02.0", .node = NP_NODE_UNKNOWN,
				       .rx_queues = 1, .rx_desc = 512, .tx_desc = 512,
				       .peer = 0 };
	struct np_runtime_params p = params(t, &nic, 1, cpus, 2);
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	np_runtime *rt;

	rt = np_runtime_create(&p);
	NP_REQUIRE(rt != NULL, "plan: %s", np_last_error());
	f = open_memstream(&buf, &len);
	NP_REQUIRE(f != NULL, "memstream");
	NP_CHECK_INT(np_runtime_print_hugepages(rt, f), 0);
	fclose(f);
	/* The NIC, its pool and its poller are on node 1; lcore 0 on node 0 has nothing else. */
	NP_CHECK_CONTAINS(buf, "hugepages on node 0: pools 0.0 MB + rings 0.0 MB + descriptors "
			  "0.0 MB + lcore contexts 0.0");
	NP_CHECK_CONTAINS(buf, "hugepages on node 1: pools");
	NP_CHECK(np_pipeline_lcore_bytes(np_runtime_plan(rt), 0, NULL, 0) > 4096,
		 "a worker's context is counted (%lld bytes)",
		 (long long)np_pipeline_lcore_bytes(np_runtime_plan(rt), 0, NULL, 0));
	NP_CHECK_INT(np_pipeline_lcore_bytes(np_runtime_plan(rt), 9, NULL, 0), -EINVAL);
	free(buf);
	np_runtime_destroy(rt);
	np_topo_destroy(t);
}

/*
 * Flow tables from the parameters: one per node with workers, priced by
 * np_flow_table_memory() into that node's need once (however many workers
 * it has), and a template the table would refuse is refused before EAL.
 */
static void
test_hugepages_count_flow_tables(void)
{
	np_topo *t = np_test_topo("2node.xml");
	unsigned int cpus[] = { 0, 1, 2 };   /* two workers on node 0, one on node 1 */
	struct np_runtime_port nic = { .pci = "0000:0a:02.0", .node = NP_NODE_UNKNOWN,
				       .rx_queues = 1, .rx_desc = 512, .tx_desc = 512,
				       .peer = 0 };
	struct np_flow_table_params ft = { .capacity = 100000, .state_size = 16 };
	struct np_runtime_params p = params(t, &nic, 1, cpus, 3);
	char want[64], *buf = NULL;
	size_t len = 0;
	FILE *f;
	np_runtime *rt;

	p.flow_tables = &ft;
	rt = np_runtime_create(&p);
	NP_REQUIRE(rt != NULL, "plan: %s", np_last_error());
	f = open_memstream(&buf, &len);
	NP_REQUIRE(f != NULL, "memstream");
	NP_CHECK_INT(np_runtime_print_hugepages(rt, f), 0);
	fclose(f);
	/* 100000 entries: about 17 MB (the estimate is checked against rte_malloc in test_flow). */
	snprintf(want, sizeof(want), "+ tables %.1f MB +", np_flow_table_memory(&ft) / 1048576.0);
	NP_CHECK(np_flow_table_memory(&ft) > (16u << 20) && np_flow_table_memory(&ft) < (20u << 20),
		 "100000 entries priced at %llu bytes", (unsigned long long)np_flow_table_memory(&ft));
	NP_CHECK(buf != NULL && strstr(buf, want) != NULL &&
		 strstr(strstr(buf, want) + 1, want) != NULL &&
		 strstr(strstr(strstr(buf, want) + 1, want) + 1, want) == NULL,
		 "one table on each of the two nodes with workers (\"%s\"):\n%s", want, buf);
	free(buf);
	np_runtime_destroy(rt);

	ft.capacity = 1;
	NP_CHECK(np_runtime_create(&p) == NULL && errno == EINVAL, "capacity 1 refused");
	NP_CHECK_STR(np_last_error_param(), "flow_tables");
	NP_CHECK_CONTAINS(np_last_error(), "flow tables of capacity 1 and state_size 16");
	np_topo_destroy(t);
}

static const struct np_test_case cases[] = {
	{ "EAL arguments the runtime owns", test_eal_owner },
	{ "bad parameters name the parameter", test_bad_params },
	{ "refused before EAL", test_refused_before_eal },
	{ "the hugepage check counts every worker", test_hugepages_count_workers },
	{ "the hugepage check counts the flow tables", test_hugepages_count_flow_tables },
	{ NULL, NULL },
};

NP_TEST_MAIN({ "runtime before EAL", NULL, NULL, cases })
