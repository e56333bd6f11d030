/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The placement planner on described machines (tests/topologies/): 1, 2 and
 * 4 nodes, gaps in node ids, a NIC on a node without workers (nearest by
 * distance; strict refuses), a node without memory, unknown nodes under each
 * policy, TX queues and handoff rings, pool sizing, EAL's main lcore kept
 * apart from the workers, and the printed table.
 */
#include <errno.h>
#include <stdlib.h>

#include "np_plan.h"
#include "np_test.h"
#include "np_test_topo.h"
#include "np_topo.h"

/* The node the described machine gives a NIC, as drivers-glue would read it. */
static int
nic_node(const np_topo *t, const char *pci)
{
	struct np_nic_info nic;
	int idx = np_topo_nic_find(t, pci);

	NP_REQUIRE(idx >= 0, "NIC %s not in the topology", pci);
	NP_REQUIRE(np_topo_nic(t, (unsigned int)idx, &nic) == 0, "np_topo_nic");
	return nic.node;
}

static struct np_plan_port
port(const char *name, int node, uint16_t n_rxq, int peer)
{
	struct np_plan_port p = {
		.name = name, .node = node, .node_source = NP_NODE_FROM_DEVICE,
		.n_rxq = n_rxq, .nb_rxd = 512, .nb_txd = 256, .peer = peer,
	};
	return p;
}

static struct np_plan_params
params(const struct np_plan_port *ports, unsigned int n_ports,
       const unsigned int *cpus, unsigned int n_cpus)
{
	struct np_plan_params p = {
		.ports = ports, .n_ports = n_ports, .cpus = cpus, .n_cpus = n_cpus,
		.burst = 32, .cache_size = 256, .ring_size = 1024,
	};
	return p;
}

static struct np_plan_rxq
rxq(const np_plan *plan, unsigned int idx)
{
	struct np_plan_rxq r = {0};

	NP_REQUIRE(np_plan_rxq(plan, idx, &r) == 0, "rxq %u exists", idx);
	return r;
}

static struct np_plan_port_info
pinfo(const np_plan *plan, unsigned int idx)
{
	struct np_plan_port_info i = {0};

	NP_REQUIRE(np_plan_port(plan, idx, &i) == 0, "port %u exists", idx);
	return i;
}

/* True if some warning contains every one of the (NULL-terminated) words. */
static bool
warned(const np_plan *plan, const char *a, const char *b, const char *c)
{
	for (unsigned int i = 0; i < np_plan_warning_count(plan); i++) {
		const char *w = np_plan_warning(plan, i);

		if (strstr(w, a) && (!b || strstr(w, b)) && (!c || strstr(w, c)))
			return true;
	}
	return false;
}

/* ---- one node --------------------------------------------------------- */

static void
test_one_node_spreads_queues(void)
{
	np_topo *t = np_test_topo("1node.xml");
	struct np_plan_port ports[2] = { port("p0", 0, 2, 1), port("p1", 0, 2, 0) };
	unsigned int cpus[] = { 1, 0 };
	struct np_plan_params p = params(ports, 2, cpus, 2);
	np_plan *plan = np_plan_build(t, &p);
	unsigned int want_lcore[4] = { 0, 1, 0, 1 };

	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	NP_CHECK_INT(np_plan_rxq_count(plan), 4);
	for (unsigned int i = 0; i < 4; i++) {
		struct np_plan_rxq r = rxq(plan, i);

		NP_CHECK_INT(r.port, i / 2);
		NP_CHECK_INT(r.queue, i % 2);
		NP_CHECK_INT(r.lcore, want_lcore[i]);
		NP_CHECK_INT(r.pool_node, 0);
		NP_CHECK(r.poller_local && r.pool_local, "rxq %u local", i);
	}
	/* Each lcore polls both ports, so it owns a TX queue on each peer. */
	NP_CHECK_INT(np_plan_txq_count(plan), 4);
	NP_CHECK_INT(np_plan_lcore_txq(plan, 0, 0), 0);
	NP_CHECK_INT(np_plan_lcore_txq(plan, 1, 0), 1);
	NP_CHECK_INT(np_plan_lcore_txq(plan, 1, 1), 1);
	NP_CHECK_INT(np_plan_lcore_txq(plan, 7, 1), -ENOENT);
	NP_CHECK_INT(np_plan_lcore_txq(plan, 0, 2), -EINVAL);
	NP_CHECK_INT(np_plan_warning_count(plan), 0);
	NP_CHECK_INT(np_plan_ring_count(plan), 0);
	NP_CHECK_INT(pinfo(plan, 0).node_source, NP_NODE_FROM_DEVICE);
	np_plan_destroy(plan);
	np_topo_destroy(t);
}

/*
 * The pool arithmetic of np_plan.h, computed by hand: 4 RX queues of 512,
 * 2 lcores each owning 2 TX queues of 256, caches 2 x 384, bursts 2 x 32,
 * seed 10 x 2 ports: 2048 + 1024 + 768 + 64 + 20 = 3924 -> 4095.
 */
static void
test_pool_arithmetic(void)
{
	np_topo *t = np_test_topo("1node.xml");
	struct np_plan_port ports[2] = { port("p0", 0, 2, 1), port("p1", 0, 2, 0) };
	unsigned int cpus[] = { 0, 1 };
	struct np_plan_params p = params(ports, 2, cpus, 2);
	struct np_plan_pool pool;
	np_plan *plan;

	p.held_per_port = 10;
	plan = np_plan_build(t, &p);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	NP_REQUIRE_INT(np_plan_pool_count(plan), 1);
	NP_REQUIRE_INT(np_plan_pool(plan, 0, &pool), 0);
	NP_CHECK_INT(pool.node, 0);
	NP_CHECK_STR(pool.name, "np_mbuf_n0");
	NP_CHECK_INT(pool.n_rxq, 4);
	NP_CHECK_INT(pool.n_lcores, 2);
	NP_CHECK_INT(pool.rx_desc, 2048);
	NP_CHECK_INT(pool.tx_desc, 1024);
	NP_CHECK_INT(pool.caches, 768);
	NP_CHECK_INT(pool.rings, 0);
	NP_CHECK_INT(pool.bursts, 64);
	NP_CHECK_INT(pool.held, 20);
	NP_CHECK_INT(pool.sum, 3924);
	NP_CHECK_INT(pool.n_mbufs, 4095);
	NP_CHECK_INT(np_plan_pool_index(plan, 0), 0);
	NP_CHECK_INT(np_plan_pool_index(plan, 1), -ENOENT);
	np_plan_destroy(plan);
	np_topo_destroy(t);
}

/* ---- two nodes -------------------------------------------------------- */

static void
test_two_nodes_local_first(void)
{
	np_topo *t = np_test_topo("2node.xml");
	struct np_plan_port ports[1];
	struct np_plan_params p;
	np_plan *plan;

	ports[0] = port("0000:0a:02.0", nic_node(t, "0000:0a:02.0"), 2, 0);
	NP_CHECK_INT(ports[0].node, 1);
	p = params(ports, 1, NULL, 0);
	p.per_node = 2; /* CPUs 0,1 on node 0 and 2,3 on node 1 */
	plan = np_plan_build(t, &p);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	NP_CHECK_INT(np_plan_lcore_count(plan), 4);
	/* Both queues on node 1's workers, one each, with node 1's pool. */
	NP_CHECK_INT(rxq(plan, 0).lcore, 2);
	NP_CHECK_INT(rxq(plan, 1).lcore, 3);
	NP_CHECK_INT(rxq(plan, 0).pool_node, 1);
	NP_CHECK_INT(rxq(plan, 1).desc_node, 1);
	NP_CHECK(rxq(plan, 1).poller_local, "poller local");
	NP_CHECK_INT(np_plan_pool_count(plan), 1);
	NP_CHECK_INT(np_plan_pool_index(plan, 1), 0);
	/* Node 0's workers have nothing to do, and the plan says so. */
	NP_CHECK(warned(plan, "lcore 0 (node 0)", "will idle", NULL), "idle warning");
	NP_CHECK(warned(plan, "lcore 1 (node 0)", "will idle", NULL), "idle warning");
	np_plan_destroy(plan);
	np_topo_destroy(t);
}

static void
test_nic_on_node_without_worker(void)
{
	np_topo *t = np_test_topo("2node.xml");
	struct np_plan_port ports[1] = { port("0000:0a:02.0", 1, 1, 0) };
	unsigned int cpus[] = { 0, 1 };
	struct np_plan_params p = params(ports, 1, cpus, 2);
	np_plan *plan = np_plan_build(t, &p);
	struct np_plan_port_info pi;

	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	pi = pinfo(plan, 0);
	NP_CHECK_INT(pi.node, 1);
	NP_CHECK_INT(pi.poll_node, 0);
	NP_CHECK_INT(rxq(plan, 0).lcore_node, 0);
	NP_CHECK(!rxq(plan, 0).poller_local, "poller is remote");
	/* The pool stays on the NIC's node by default: DMA writes locally. */
	NP_CHECK_INT(rxq(plan, 0).pool_node, 1);
	NP_CHECK(rxq(plan, 0).pool_local, "pool is local to the port");
	NP_CHECK(warned(plan, "port 0000:0a:02.0 is on node 1, which has no worker",
			"distance 21 (local is 10)", "add a worker on node 1"),
		 "remote warning names the distance");

	/* Strict mode refuses, with the same facts. */
	p.strict = true;
	np_plan_destroy(plan);
	plan = np_plan_build(t, &p);
	NP_CHECK(plan == NULL, "strict plan refused");
	NP_CHECK_INT(errno, EXDEV);
	NP_CHECK_CONTAINS(np_last_error(), "port 0000:0a:02.0 is on node 1, which has no worker");
	NP_CHECK_CONTAINS(np_last_error(), "distance 21, local is 10");
	NP_CHECK_CONTAINS(np_last_error(), "add a worker on node 1 or allow remote polling");
	NP_CHECK_STR(np_last_error_param(), "strict");
	np_plan_destroy(plan);

	/* Pools at the poller follow the lcore instead. */
	p.strict = false;
	p.pool_placement = NP_POOL_AT_POLLER;
	plan = np_plan_build(t, &p);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	NP_CHECK_INT(rxq(plan, 0).pool_node, 0);
	NP_CHECK(!rxq(plan, 0).pool_local, "pool remote from the port");
	np_plan_destroy(plan);
	np_topo_destroy(t);
}

/* ---- four nodes, asymmetric distances ---------------------------------- */

static void
test_four_nodes_nearest_by_distance(void)
{
	np_topo *t = np_test_topo("4node-asym.xml");
	struct np_plan_port ports[1];
	unsigned int cpus[] = { 0, 4 }; /* node 0 and node 2 */
	struct np_plan_params p;
	np_plan *plan;

	ports[0] = port("0000:30:00.0", nic_node(t, "0000:30:00.0"), 1, 0);
	NP_CHECK_INT(ports[0].node, 3);
	p = params(ports, 1, cpus, 2);
	plan = np_plan_build(t, &p);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	/* From node 3: node 2 at 16, node 0 at 30: the nearer, not the lower id. */
	NP_CHECK_INT(pinfo(plan, 0).poll_node, 2);
	NP_CHECK_INT(rxq(plan, 0).lcore, 4);
	NP_CHECK(warned(plan, "polled from node 2 at distance 16", NULL, NULL),
		 "warning names distance 16");
	np_plan_destroy(plan);
	np_topo_destroy(t);
}

/* ---- node ids with gaps ------------------------------------------------ */

static void
test_gap_in_node_ids(void)
{
	np_topo *t = np_test_topo("gap-0-2.xml");
	struct np_plan_port ports[1];
	struct np_plan_params p;
	int nodes[] = { 2 };
	np_plan *plan;

	ports[0] = port("0000:40:00.0", nic_node(t, "0000:40:00.0"), 2, 0);
	NP_CHECK_INT(ports[0].node, 2);
	p = params(ports, 1, NULL, 0);
	p.per_node = 2;
	p.nodes = nodes;
	p.n_nodes = 1;
	plan = np_plan_build(t, &p);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	NP_CHECK_INT(np_plan_lcore_count(plan), 2);
	NP_CHECK_INT(rxq(plan, 0).lcore, 2);
	NP_CHECK_INT(rxq(plan, 1).lcore, 3);
	NP_CHECK_INT(rxq(plan, 1).pool_node, 2);
	NP_CHECK_INT(np_plan_warning_count(plan), 0);
	np_plan_destroy(plan);

	/* Node 1 is the gap: refused, not mapped to index 1. */
	nodes[0] = 1;
	plan = np_plan_build(t, &p);
	NP_CHECK(plan == NULL, "node 1 refused");
	NP_CHECK_INT(errno, ENOENT);
	NP_CHECK_CONTAINS(np_last_error(), "node 1 does not exist");
	ports[0].node = 1;
	p.nodes = NULL;
	p.per_node = 1;
	plan = np_plan_build(t, &p);
	NP_CHECK(plan == NULL, "port on node 1 refused");
	NP_CHECK_INT(errno, ENOENT);
	NP_CHECK_CONTAINS(np_last_error(), "port 0000:40:00.0: node 1 does not exist");
	np_topo_destroy(t);
}

/* ---- a node with CPUs but no memory ------------------------------------ */

static void
test_node_without_memory(void)
{
	np_topo *t = np_test_topo("cpu-no-memory.xml");
	struct np_plan_port ports[1] = { port("nic1", 1, 1, 0) };
	unsigned int cpus[] = { 2 };
	struct np_plan_params p = params(ports, 1, cpus, 1);
	np_plan *plan = np_plan_build(t, &p);

	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	NP_CHECK_INT(rxq(plan, 0).lcore, 2);
	NP_CHECK(rxq(plan, 0).poller_local, "poller local");
	NP_CHECK_INT(pinfo(plan, 0).mem_node, 0);
	NP_CHECK_INT(rxq(plan, 0).desc_node, 0);
	NP_CHECK_INT(rxq(plan, 0).pool_node, 0);
	NP_CHECK(warned(plan, "node 1 has no memory", "go to node 0", "distance 21"),
		 "memory fallback warned");
	np_plan_destroy(plan);

	/* The lcore's own data, a pool at the poller, a ring: node 0's memory too. */
	p.pool_placement = NP_POOL_AT_POLLER;
	p.tx_mode = NP_TX_BY_HANDOFF;
	plan = np_plan_build(t, &p);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	{
		struct np_plan_lcore l;
		struct np_plan_ring r;

		NP_REQUIRE_INT(np_plan_lcore(plan, 0, &l), 0);
		NP_CHECK_INT(l.node, 1);
		NP_CHECK_INT(l.mem_node, 0);
		NP_CHECK_INT(rxq(plan, 0).pool_node, 0);
		NP_REQUIRE_INT(np_plan_ring(plan, 0, &r), 0);
		NP_CHECK_INT(r.node, 1);
		NP_CHECK_INT(r.mem_node, 0);
	}
	np_plan_destroy(plan);
	np_topo_destroy(t);
}

/*
 * ---- tie-breaks: 5 nodes, a CPU-only node, uneven and one-way distances --
 *
 * tests/topologies/5node-cpu-only.xml (the command that made it is in
 * tests/README.md): nodes 0-3 have 2 CPUs and memory each, node 4 has CPUs
 * 8-9 and NO memory, and NIC 0000:40:00.0 sits on node 4. The distance
 * matrix, row = from:
 *
 *          0   1   2   3   4
 *     0:  10  20  20  20  28
 *     1:  20  10  20  20  17
 *     2:  20  20  10  20  17
 *     3:  20  20  20  10  24
 *     4:  28  17  17  14  10      <- the row every expectation below reads
 *
 * Row 4 and column 4 differ (d(4,3) = 14 but d(3,4) = 24), so reading the
 * matrix the wrong way round gives other answers too. Every expected node
 * below is worked out by hand from row 4, not from the planner's code.
 */
#define CPU_ONLY_TOPO "5node-cpu-only.xml"
#define CPU_ONLY_NIC "0000:40:00.0"

/* The machine is the one the expectations were derived from. */
static void
check_row4(const np_topo *t)
{
	static const int row4[5] = { 28, 17, 17, 14, 10 };

	NP_REQUIRE_INT(np_topo_node_count(t), 5);
	for (int n = 0; n < 5; n++)
		NP_REQUIRE(np_topo_distance(t, 4, n) == row4[n],
			   "%s changed: distance 4 -> %d is %d, the tests expect %d",
			   CPU_ONLY_TOPO, n, np_topo_distance(t, 4, n), row4[n]);
	NP_REQUIRE(np_topo_distance(t, 3, 4) == 24, "%s changed: d(3,4) = %d, expected 24",
		   CPU_ONLY_TOPO, np_topo_distance(t, 3, 4));
	NP_REQUIRE(np_topo_node_memory(t, 4) == 0 && np_topo_node_memory(t, 0) > 0,
		   "%s changed: node 4 must be the only node without memory", CPU_ONLY_TOPO);
	NP_REQUIRE_INT(nic_node(t, CPU_ONLY_NIC), 4);
}

/*
 * Nearest wins over fewest queues and lowest id. Workers on nodes 0, 1, 3.
 * Before the NIC is placed: node 0 has 1 RX queue (port a), node 1 has 0,
 * node 3 has 2 (port b). From node 4: node 3 at 14 is nearest; "fewest
 * queues" alone would say node 1, "lowest id" alone node 0, and reading
 * column 4 instead of row 4 (0:28, 1:17, 3:24) node 1. Expected: node 3.
 */
static void
test_tiebreak_nearest_first(void)
{
	np_topo *t = np_test_topo(CPU_ONLY_TOPO);
	struct np_plan_port ports[3] = { port("a", 0, 1, 0), port("b", 3, 2, 1),
					 port(CPU_ONLY_NIC, 4, 1, 2) };
	unsigned int cpus[] = { 0, 2, 6 };
	struct np_plan_params p = params(ports, 3, cpus, 3);
	np_plan *plan;

	check_row4(t);
	plan = np_plan_build(t, &p);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	NP_CHECK_INT(pinfo(plan, 2).poll_node, 3);
	NP_CHECK_INT(rxq(plan, 3).lcore, 6);
	NP_CHECK_INT(rxq(plan, 3).lcore_node, 3);
	NP_CHECK(warned(plan, "port 0000:40:00.0 is on node 4, which has no worker",
			"polled from node 3 at distance 14 (local is 10); add a worker on node 4",
			NULL), "remote warning names node 3 at 14, and no tie");
	np_plan_destroy(plan);
	np_topo_destroy(t);
}

/*
 * Equally near: fewest RX queues already planned. Workers on nodes 0, 1, 2
 * (CPUs 0, 2, 4); port a on node 1 has 1 RX queue. From node 4, nodes 1
 * and 2 are both at 17 (node 0 at 28): node 1 carries 1 queue, node 2 none,
 * so node 2. "Nearest, then lowest id" would say node 1; "lowest id" node 0.
 * The NIC's memory stays rule 4's: node 3 (nearest with memory, at 14).
 */
static void
test_tiebreak_fewest_queues(void)
{
	np_topo *t = np_test_topo(CPU_ONLY_TOPO);
	struct np_plan_port ports[2] = { port("a", 1, 1, 0), port(CPU_ONLY_NIC, 4, 1, 1) };
	unsigned int cpus[] = { 0, 2, 4 }, cpus2[] = { 0, 2, 3, 4 };
	struct np_plan_params p = params(ports, 2, cpus, 3);
	np_plan *plan;

	check_row4(t);
	plan = np_plan_build(t, &p);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	NP_CHECK_INT(pinfo(plan, 1).poll_node, 2);
	NP_CHECK_INT(rxq(plan, 1).lcore, 4);
	NP_CHECK_INT(pinfo(plan, 1).mem_node, 3);
	NP_CHECK_INT(rxq(plan, 1).desc_node, 3);
	NP_CHECK_INT(rxq(plan, 1).pool_node, 3);
	NP_CHECK(warned(plan, "polled from node 2 at distance 17 (local is 10)",
			"nodes 1, 2 have workers at that distance",
			"node 2 had the fewest RX queues already planned (0)"),
		 "the warning explains the tie-break");
	np_plan_destroy(plan);

	/*
	 * The count is the node's total, not a per-worker figure: node 1 has two
	 * workers (CPUs 2, 3) carrying port a's 2 queues, node 2 one worker
	 * (CPU 4) carrying port b's 1 queue. Totals 2 against 1: node 2. (Per
	 * worker both carry 1, which would fall through to node 1.)
	 */
	ports[0] = port("a", 1, 2, 0);
	{
		struct np_plan_port ports3[3] = { ports[0], port("b", 2, 1, 1),
						   port(CPU_ONLY_NIC, 4, 1, 2) };

		p = params(ports3, 3, cpus2, 4);
		plan = np_plan_build(t, &p);
		NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
		NP_CHECK_INT(rxq(plan, 0).lcore, 2);
		NP_CHECK_INT(rxq(plan, 1).lcore, 3);
		NP_CHECK_INT(pinfo(plan, 2).poll_node, 2);
		NP_CHECK_INT(rxq(plan, 3).lcore, 4);
		np_plan_destroy(plan);
	}
	np_topo_destroy(t);
}

/*
 * Equally near and equally loaded: lowest id; and ports of a worker-less
 * node spread. Workers on nodes 0, 1, 2; three 1-queue ports on node 4.
 * Port x0: nodes 1 and 2 both at 17 with 0 queues -> node 1 (lowest id).
 * Port x1: node 1 has 1, node 2 has 0 -> node 2. Port x2: 1 and 1 ->
 * node 1. Always-lowest-id would put all three on node 1.
 */
static void
test_tiebreak_lowest_id_then_spread(void)
{
	np_topo *t = np_test_topo(CPU_ONLY_TOPO);
	struct np_plan_port ports[3] = { port("x0", 4, 1, 0), port("x1", 4, 1, 1),
					 port("x2", 4, 1, 2) };
	unsigned int cpus[] = { 0, 2, 4 };
	struct np_plan_params p = params(ports, 3, cpus, 3);
	static const int want_poll[3] = { 1, 2, 1 };
	static const unsigned int want_lcore[3] = { 2, 4, 2 };
	struct np_plan_lcore l;
	np_plan *plan;

	check_row4(t);
	plan = np_plan_build(t, &p);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	for (unsigned int i = 0; i < 3; i++) {
		NP_CHECK(pinfo(plan, i).poll_node == want_poll[i],
			 "port x%u polled from node %d, expected %d", i,
			 pinfo(plan, i).poll_node, want_poll[i]);
		NP_CHECK(rxq(plan, i).lcore == want_lcore[i], "port x%u polled by lcore %u, "
			 "expected %u", i, rxq(plan, i).lcore, want_lcore[i]);
	}
	NP_REQUIRE_INT(np_plan_lcore(plan, 0, &l), 0);
	NP_CHECK_INT(l.lcore, 0);
	NP_CHECK_INT(l.n_rxq, 0); /* node 0 is at 28: never chosen */
	np_plan_destroy(plan);

	/* Strict refuses, naming the node the tie-break chose and its distance. */
	p.strict = true;
	plan = np_plan_build(t, &p);
	NP_CHECK(plan == NULL, "strict refuses a worker-less node");
	NP_CHECK_INT(errno, EXDEV);
	NP_CHECK_CONTAINS(np_last_error(), "port x0 is on node 4, which has no worker; "
			  "strict mode refuses to poll it from node 1 (distance 17, local is 10)");
	np_plan_destroy(plan);
	np_topo_destroy(t);
}

/*
 * Rule 4: memory for CPU-only node 4 goes to the nearest node with memory
 * in row 4: node 3 (14). Not the lowest id with memory (node 0, at 28),
 * not column 4's nearest (node 1: d(1,4) = 17 < d(3,4) = 24).
 */
static void
test_memory_node_is_nearest(void)
{
	np_topo *t = np_test_topo(CPU_ONLY_TOPO);
	struct np_plan_port ports[1] = { port(CPU_ONLY_NIC, 4, 2, 0) };
	unsigned int cpus[] = { 8, 9 };
	struct np_plan_params p = params(ports, 1, cpus, 2);
	struct np_plan_lcore l;
	struct np_plan_ring r;
	struct np_plan_pool pool;
	np_plan *plan;

	check_row4(t);
	plan = np_plan_build(t, &p);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	NP_CHECK_INT(pinfo(plan, 0).node, 4);
	NP_CHECK_INT(pinfo(plan, 0).poll_node, 4);
	NP_CHECK_INT(pinfo(plan, 0).mem_node, 3);
	for (unsigned int i = 0; i < 2; i++) {
		NP_CHECK_INT(rxq(plan, i).lcore_node, 4);
		NP_CHECK(rxq(plan, i).poller_local, "rxq %u poller local", i);
		NP_CHECK_INT(rxq(plan, i).desc_node, 3);
		NP_CHECK_INT(rxq(plan, i).pool_node, 3);
	}
	for (unsigned int i = 0; i < 2; i++) {
		NP_REQUIRE_INT(np_plan_lcore(plan, i, &l), 0);
		NP_CHECK_INT(l.node, 4);
		NP_CHECK_INT(l.mem_node, 3);
	}
	NP_REQUIRE_INT(np_plan_pool_count(plan), 1);
	NP_REQUIRE_INT(np_plan_pool(plan, 0, &pool), 0);
	NP_CHECK_INT(pool.node, 3);
	NP_CHECK(warned(plan, "port 0000:40:00.0: node 4 has no memory",
			"go to node 3 (distance 14)", NULL), "memory fallback warned");
	np_plan_destroy(plan);

	/* The handoff ring of polling node 4 and pools at the poller: node 3 too. */
	p.tx_mode = NP_TX_BY_HANDOFF;
	p.pool_placement = NP_POOL_AT_POLLER;
	plan = np_plan_build(t, &p);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	NP_REQUIRE_INT(np_plan_ring_count(plan), 1);
	NP_REQUIRE_INT(np_plan_ring(plan, 0, &r), 0);
	NP_CHECK_INT(r.node, 4);
	NP_CHECK_INT(r.mem_node, 3);
	NP_CHECK_INT(rxq(plan, 0).pool_node, 3);
	np_plan_destroy(plan);
	np_topo_destroy(t);
}

/* ---- unknown node, each policy ----------------------------------------- */

static void
test_unknown_node_policies(void)
{
	np_topo *t = np_test_topo("2node.xml");
	struct np_plan_port ports[2];
	unsigned int cpus3[] = { 0, 2, 3 }, cpus2[] = { 0, 2 };
	struct np_plan_params p;
	struct np_plan_port_info pi;
	np_plan *plan;

	ports[0] = port("0000:00:05.0", nic_node(t, "0000:00:05.0"), 1, 1);
	ports[1] = port("0000:0a:02.0", nic_node(t, "0000:0a:02.0"), 1, 0);
	NP_REQUIRE_INT(ports[0].node, NP_NODE_UNKNOWN);

	/* nearest-worker: node 1 has the most workers. */
	p = params(ports, 2, cpus3, 3);
	plan = np_plan_build(t, &p);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	pi = pinfo(plan, 0);
	NP_CHECK_INT(pi.node, 1);
	NP_CHECK_INT(pi.device_node, NP_NODE_UNKNOWN);
	NP_CHECK_INT(pi.node_source, NP_NODE_FROM_POLICY);
	NP_CHECK_CONTAINS(pi.node_reason, "nearest-worker chose node 1");
	NP_CHECK(rxq(plan, 0).poller_local && rxq(plan, 0).pool_local, "local");
	NP_CHECK(warned(plan, "port 0000:00:05.0: the device reports no NUMA node (-1)",
			"nearest-worker places it on node 1", NULL), "decision warned");
	np_plan_destroy(plan);

	/* Equal workers: the known port loads node 1 first, so node 0 wins. */
	p = params(ports, 2, cpus2, 2);
	plan = np_plan_build(t, &p);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	NP_CHECK_INT(pinfo(plan, 0).node, 0);
	NP_CHECK_INT(rxq(plan, 0).lcore, 0);
	NP_CHECK_INT(pinfo(plan, 1).node, 1);
	np_plan_destroy(plan);

	/* node N */
	p.unknown_policy = NP_UNKNOWN_FIXED_NODE;
	p.unknown_node = 1;
	plan = np_plan_build(t, &p);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	NP_CHECK_INT(pinfo(plan, 0).node, 1);
	NP_CHECK_INT(rxq(plan, 0).lcore, 2);
	NP_CHECK(warned(plan, "the unknown-node policy 'node 1' places it on node 1", NULL, NULL),
		 "fixed decision warned");
	np_plan_destroy(plan);

	p.unknown_node = 7;
	plan = np_plan_build(t, &p);
	NP_CHECK(plan == NULL, "node 7 refused");
	NP_CHECK_INT(errno, ENOENT);
	NP_CHECK_CONTAINS(np_last_error(), "unknown-node policy 'node 7': no such node");
	NP_CHECK_STR(np_last_error_param(), "unknown_node");

	/* fail */
	p.unknown_policy = NP_UNKNOWN_FAIL;
	plan = np_plan_build(t, &p);
	NP_CHECK(plan == NULL, "fail policy refuses");
	NP_CHECK_INT(errno, EDOM);
	NP_CHECK_CONTAINS(np_last_error(), "port 0000:00:05.0: the device reports no NUMA node");
	NP_CHECK_CONTAINS(np_last_error(), "use the policy nearest-worker or 'node N', or give "
			  "the port a node");
	NP_CHECK_STR(np_last_error_param(), "unknown_node");

	/* -1 is "any", never a port's node. */
	ports[0].node = NP_NODE_ANY;
	p.unknown_policy = NP_UNKNOWN_NEAREST_WORKER;
	plan = np_plan_build(t, &p);
	NP_CHECK(plan == NULL, "node -1 refused");
	NP_CHECK_INT(errno, EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "give NP_NODE_UNKNOWN");
	np_topo_destroy(t);
}

/* ---- handoff: TX queues per polling node, rings on it ------------------- */

static void
test_handoff_rings(void)
{
	np_topo *t = np_test_topo("2node.xml");
	struct np_plan_port ports[2] = { port("a", 0, 1, 1), port("b", 1, 1, 0) };
	unsigned int cpus[] = { 0, 1, 2 };
	struct np_plan_params p = params(ports, 2, cpus, 3);
	struct np_plan_ring ring;
	struct np_plan_pool pool;
	np_plan *plan;

	p.tx_mode = NP_TX_BY_HANDOFF;
	p.ring_size = 1000;
	plan = np_plan_build(t, &p);
	NP_CHECK(plan == NULL, "ring size 1000 refused");
	NP_CHECK_CONTAINS(np_last_error(), "not a power of 2");

	p.ring_size = 512;
	plan = np_plan_build(t, &p);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	NP_REQUIRE_INT(np_plan_ring_count(plan), 2);
	NP_REQUIRE_INT(np_plan_ring(plan, 1, &ring), 0);
	NP_CHECK_STR(ring.name, "np_handoff_n1");
	NP_CHECK_INT(ring.node, 1);
	NP_CHECK_INT(ring.mem_node, 1);
	NP_CHECK_INT(ring.size, 512);
	/* Port a (node 0) is sent on by node 0's workers: lcores 0 and 1. */
	NP_CHECK_INT(np_plan_lcore_txq(plan, 0, 0), 0);
	NP_CHECK_INT(np_plan_lcore_txq(plan, 1, 0), 1);
	NP_CHECK_INT(np_plan_lcore_txq(plan, 2, 0), -ENOENT);
	NP_CHECK_INT(np_plan_lcore_txq(plan, 2, 1), 0);
	NP_CHECK(warned(plan, "lcore 1 (node 0) polls no RX queue", "handoff ring", NULL),
		 "lcore 1 only drains");
	/* Every worker may free any pool's mbufs; both rings count. */
	NP_REQUIRE_INT(np_plan_pool(plan, 0, &pool), 0);
	NP_CHECK_INT(pool.n_lcores, 3);
	NP_CHECK_INT(pool.rings, 2 * 511);
	NP_CHECK_INT(pool.bursts, 3 * 32 * 2);
	NP_CHECK_INT(pool.tx_desc, 3 * 256);
	np_plan_destroy(plan);
	np_topo_destroy(t);
}

/* ---- bad parameters ----------------------------------------------------- */

/* Refused with @p err, a message and the parameter it is about (in parameter words). */
static void
expect_fail(const np_topo *t, const struct np_plan_params *p, int err, const char *msg,
	    const char *param)
{
	np_plan *plan = np_plan_build(t, p);

	NP_CHECK(plan == NULL, "plan refused (%s)", msg);
	NP_CHECK_INT(errno, err);
	NP_CHECK_CONTAINS(np_last_error(), msg);
	NP_CHECK_STR(np_last_error_param(), param);
	NP_CHECK(strchr(np_last_error(), '[') == NULL, "no INI section in a plan message: %s",
		 np_last_error());
	np_plan_destroy(plan);
}

static void
test_bad_params(void)
{
	np_topo *t = np_test_topo("2node.xml");
	struct np_plan_port ports[1] = { port("p0", 0, 1, 0) };
	unsigned int cpus[] = { 0, 9 }, dup[] = { 1, 1 };
	struct np_plan_params p = params(ports, 1, cpus, 2);

	expect_fail(t, &p, ENOENT, "worker CPU 9 does not exist", "workers.cpus");
	p = params(ports, 1, dup, 2);
	expect_fail(t, &p, EEXIST, "worker CPU 1 is listed twice", "workers.cpus");
	p = params(ports, 1, NULL, 0);
	expect_fail(t, &p, EINVAL, "not neither", "workers");
	p = params(ports, 1, dup, 1);
	p.per_node = 1;
	expect_fail(t, &p, EINVAL, "not both", "workers");
	p = params(ports, 1, NULL, 0);
	p.per_node = 3;
	expect_fail(t, &p, ERANGE, "3 workers per node, but node 0 has only 2 CPUs",
		    "workers.per_node");
	p = params(ports, 1, cpus, 1);
	ports[0].peer = 4;
	expect_fail(t, &p, EINVAL, "peer 4 is not a port index", "ports[0].peer");
	ports[0].peer = 0;
	ports[0].n_rxq = 0;
	expect_fail(t, &p, EINVAL, "port p0: 0 RX queues", "ports[0].rx_queues");
	ports[0].n_rxq = 1;
	p.n_ports = 0;
	expect_fail(t, &p, EINVAL, "0 ports", "ports");
	p.n_ports = 1;
	p.burst = 0;
	expect_fail(t, &p, EINVAL, "burst must be at least 1", "burst");
	NP_CHECK(np_plan_build(NULL, &p) == NULL && errno == EINVAL, "NULL topology");
	np_topo_destroy(t);
}

/* ---- EAL's main lcore kept apart from the workers ----------------------- */

static void
test_main_lcore_apart(void)
{
	np_topo *t = np_test_topo("2node.xml"); /* CPUs 0,1 on node 0 and 2,3 on node 1 */
	struct np_plan_port ports[1] = { port("p0", 0, 1, 0) };
	unsigned int cpus[] = { 1, 2 }, with_main[] = { 0, 1 };
	struct np_plan_params p = params(ports, 1, NULL, 0);
	struct np_plan_pool pool;
	struct np_plan_lcore l;
	np_plan *plan;
	bool apart = true;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	/* Default: the lowest worker is the main lcore. */
	p.per_node = 1;
	p.held_per_port = 10;
	plan = np_plan_build(t, &p);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	NP_CHECK_INT(np_plan_main_lcore(plan, &apart), 0);
	NP_CHECK(!apart, "the first worker is the main lcore");
	NP_REQUIRE_INT(np_plan_pool(plan, 0, &pool), 0);
	NP_CHECK_INT(pool.caches, 384);
	np_plan_destroy(plan);

	/* Apart on CPU 0: per_node skips it, node 0's worker is CPU 1. */
	p.main_apart = true;
	p.main_lcore = 0;
	plan = np_plan_build(t, &p);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	NP_CHECK_INT(np_plan_main_lcore(plan, &apart), 0);
	NP_CHECK(apart, "the main lcore is apart");
	NP_REQUIRE_INT(np_plan_lcore_count(plan), 2);
	NP_REQUIRE_INT(np_plan_lcore(plan, 0, &l), 0);
	NP_CHECK_INT(l.lcore, 1);
	NP_REQUIRE_INT(np_plan_lcore(plan, 1, &l), 0);
	NP_CHECK_INT(l.lcore, 2);
	/* The main lcore injects the held mbufs through a cache of its own. */
	NP_REQUIRE_INT(np_plan_pool(plan, 0, &pool), 0);
	NP_CHECK_INT(pool.n_lcores, 1);
	NP_CHECK_INT(pool.caches, 768);
	f = open_memstream(&buf, &len);
	NP_REQUIRE(f != NULL, "open_memstream");
	NP_CHECK_INT(np_plan_print(plan, f), 0);
	fclose(f);
	NP_CHECK(strstr(buf, "\nmain lcore: CPU 0, apart from the workers") != NULL,
		 "printed: %s", buf);
	free(buf);
	np_plan_destroy(plan);

	/* Without held mbufs the main lcore's cache holds none while the loops run. */
	p.held_per_port = 0;
	plan = np_plan_build(t, &p);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	NP_REQUIRE_INT(np_plan_pool(plan, 0, &pool), 0);
	NP_CHECK_INT(pool.caches, 384);
	np_plan_destroy(plan);

	/* Listed workers around it. */
	p = params(ports, 1, cpus, 2);
	p.main_apart = true;
	p.main_lcore = 0;
	plan = np_plan_build(t, &p);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	NP_CHECK_INT(np_plan_main_lcore(plan, NULL), 0);
	np_plan_destroy(plan);

	/* Refused: a worker, a CPU that does not exist, too few CPUs left. */
	p = params(ports, 1, with_main, 2);
	p.main_apart = true;
	p.main_lcore = 0;
	expect_fail(t, &p, EEXIST, "CPU 0 is both the main lcore and a worker",
		    "workers.main_lcore");
	p.cpus = cpus;
	p.main_lcore = 9;
	expect_fail(t, &p, ENOENT, "main lcore CPU 9 does not exist", "workers.main_lcore");
	p = params(ports, 1, NULL, 0);
	p.per_node = 2;
	p.main_apart = true;
	p.main_lcore = 2;
	expect_fail(t, &p, ERANGE, "node 1 has only 1 CPU besides the main lcore",
		    "workers.per_node");
	NP_CHECK_INT(np_plan_main_lcore(NULL, NULL), -EINVAL);
	np_topo_destroy(t);
}

/* ---- the printed table -------------------------------------------------- */

static void
test_print_table(void)
{
	np_topo *t = np_test_topo("2node.xml");
	struct np_plan_port ports[2] = { port("0000:0a:02.0", 1, 1, 1),
					 port("0000:00:05.0", NP_NODE_UNKNOWN, 1, 0) };
	unsigned int cpus[] = { 0 };
	struct np_plan_params p = params(ports, 2, cpus, 1);
	np_plan *plan = np_plan_build(t, &p);
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	f = open_memstream(&buf, &len);
	NP_REQUIRE(f != NULL, "open_memstream");
	NP_CHECK_INT(np_plan_print(plan, f), 0);
	NP_CHECK_INT(np_plan_print_pools(plan, f), 0);
	fclose(f);
	NP_CHECK_CONTAINS(buf, "port  name          node  from    queue  lcore  "
			  "lcore-node  mempool-node  poller  mempool");
	/* The NIC on node 1 is polled from node 0 with a node-1 pool. */
	NP_CHECK_CONTAINS(buf, "0     0000:0a:02.0     1  device      0      0"
			  "           0             1  REMOTE  LOCAL");
	NP_CHECK_CONTAINS(buf, "1     0000:00:05.0     0  policy      0      0"
			  "           0             0  LOCAL   LOCAL");
	NP_CHECK_CONTAINS(buf, "np_mbuf_n1 on node 1");
	NP_CHECK_CONTAINS(buf, "total                  1440  -> 2047 mbufs (next 2^k - 1)");
	NP_CHECK_CONTAINS(buf, "has no worker");
	free(buf);
	NP_CHECK_INT(np_plan_print(NULL, stdout), -EINVAL);
	np_plan_destroy(plan);
	np_topo_destroy(t);
}

static const struct np_test_case cases[] = {
	{ "one node spreads queues", test_one_node_spreads_queues },
	{ "pool arithmetic", test_pool_arithmetic },
	{ "two nodes, local first", test_two_nodes_local_first },
	{ "NIC on a node without worker", test_nic_on_node_without_worker },
	{ "four nodes, nearest by distance", test_four_nodes_nearest_by_distance },
	{ "gap in node ids", test_gap_in_node_ids },
	{ "node without memory", test_node_without_memory },
	{ "tie-break: nearest first", test_tiebreak_nearest_first },
	{ "tie-break: fewest RX queues", test_tiebreak_fewest_queues },
	{ "tie-break: lowest id, ports spread", test_tiebreak_lowest_id_then_spread },
	{ "CPU-only node: memory on the nearest node", test_memory_node_is_nearest },
	{ "unknown node policies", test_unknown_node_policies },
	{ "handoff rings", test_handoff_rings },
	{ "bad parameters", test_bad_params },
	{ "main lcore apart from the workers", test_main_lcore_apart },
	{ "printed table", test_print_table },
	{ NULL, NULL },
};

NP_TEST_MAIN({ "plan", NULL, NULL, cases })
