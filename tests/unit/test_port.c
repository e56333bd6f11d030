/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * drivers-glue on this host with DPDK vdevs (net_ring, net_null): finding
 * ports, reading their node, per-node pools sized by the plan, queues set up
 * per the plan with the planned pool (checked on the mbufs the ports hand
 * back), bad set-ups refused, and the hugepage check's shortfall message on
 * described machines.
 *
 * EAL, the ports, their pools and queues come from the runtime's bring-up
 * (drivers-glue/runtime), the one every app uses: this file checks what it
 * built against the plan, then drives the glue's own calls on more vdevs.
 * Hugepages when this host has free ones (and hugetlbfs mounted), else
 * no_huge; if EAL cannot start either way the program exits 77 saying why.
 */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdlib.h>

#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "np_mempool.h"
#include "np_plan.h"
#include "np_port.h"
#include "np_runtime.h"
#include "np_test.h"
#include "np_test_topo.h"
#include "np_topo.h"

#define N_PORTS 3
static const char *const vdevs[N_PORTS] = {
	"net_ring0,nodeaction=tp_ring0:0:CREATE",
	"net_ring1,nodeaction=tp_ring1:0:CREATE",
	"net_null0",
};
static const char *devnames[N_PORTS] = { "net_ring0", "net_ring1", "net_null0" };

static np_topo *live;
static np_runtime *rt;
static bool use_hugepages;
static unsigned int cpus[2];
static unsigned int n_cpus;
static uint16_t port_ids[N_PORTS];

/* ---- finding ports and their node ---------------------------------------- */

static void
test_find_and_probe(void)
{
	struct np_port_node n;
	uint16_t id;

	for (unsigned int i = 0; i < N_PORTS; i++) {
		NP_REQUIRE(np_port_find(devnames[i], &port_ids[i]) == 0, "%s: %s",
			   devnames[i], np_last_error());
		NP_CHECK_INT(np_port_node_probe(port_ids[i], NP_NODE_UNKNOWN, &n), 0);
		NP_CHECK_INT(n.node, rte_eth_dev_socket_id(port_ids[i]));
		NP_CHECK_INT(n.source, NP_NODE_FROM_DEVICE);
		NP_CHECK_CONTAINS(n.reason, "DPDK reports socket 0");
	}
	/* The configuration's node wins and says so. */
	NP_CHECK_INT(np_port_node_probe(port_ids[0], 0, &n), 0);
	NP_CHECK_INT(n.source, NP_NODE_FROM_CONFIG);
	NP_CHECK_CONTAINS(n.reason, "node 0 given for the port overrides the device");
	NP_CHECK_INT(np_port_node_probe(RTE_MAX_ETHPORTS - 1, NP_NODE_UNKNOWN, &n), -ENODEV);

	NP_CHECK_INT(np_port_find("0000:7f:00.0", &id), -ENODEV);
	NP_CHECK_CONTAINS(np_last_error(), "device 0000:7f:00.0 has no DPDK port");
	NP_CHECK_CONTAINS(np_last_error(), "DPDK has: net_ring0, net_ring1, net_null0");
}

static void
test_expected_nodes(void)
{
	np_topo *t2 = np_test_topo("2node.xml");
	struct np_port_node n;

	/* Before EAL: net_ring's nodeaction, the main lcore for other vdevs. */
	NP_CHECK_INT(np_port_node_expect(t2, NULL, "net_ring0,nodeaction=r:1:CREATE",
					 NP_NODE_UNKNOWN, 0, &n), 0);
	NP_CHECK_INT(n.node, 1);
	NP_CHECK_CONTAINS(n.reason, "nodeaction puts its ring on node 1");
	NP_CHECK_INT(np_port_node_expect(t2, NULL, "net_null0", NP_NODE_UNKNOWN, 1, &n), 0);
	NP_CHECK_INT(n.node, 1);
	NP_CHECK_CONTAINS(n.reason, "node of the main lcore that probes it (node 1)");
	/* PCI: the topology's numa_node, -1 stays unknown (never 0). */
	NP_CHECK_INT(np_port_node_expect(t2, "0000:0a:02.0", NULL, NP_NODE_UNKNOWN, 0, &n), 0);
	NP_CHECK_INT(n.node, 1);
	NP_CHECK_INT(np_port_node_expect(t2, "0000:00:05.0", NULL, NP_NODE_UNKNOWN, 0, &n), 0);
	NP_CHECK_INT(n.node, NP_NODE_UNKNOWN);
	NP_CHECK_CONTAINS(n.reason, "numa_node of 0000:00:05.0 is -1");
	NP_CHECK_INT(np_port_node_expect(t2, "0000:00:05.0", NULL, 1, 0, &n), 0);
	NP_CHECK_INT(n.node, 1);
	NP_CHECK_INT(n.source, NP_NODE_FROM_CONFIG);
	/* Bad input. */
	NP_CHECK_INT(np_port_node_expect(t2, "0000:0a:02.0", NULL, 4, 0, &n), -ENOENT);
	NP_CHECK_CONTAINS(np_last_error(), "node = 4 does not exist");
	NP_CHECK_INT(np_port_node_expect(t2, NULL, "net_ring0,nodeaction=r:x:CREATE",
					 NP_NODE_UNKNOWN, 0, &n), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "nodeaction must be NAME:NODE:ACTION");
	NP_CHECK_INT(np_port_node_expect(t2, NULL, "net_ring0,nodeaction=r:3:CREATE",
					 NP_NODE_UNKNOWN, 0, &n), -ENOENT);
	NP_CHECK_INT(np_port_node_expect(t2, "0000:0a:02.0", "net_null0", NP_NODE_UNKNOWN,
					 0, &n), -EINVAL);
	np_topo_destroy(t2);
}

/* ---- pools and queues per the plan ---------------------------------------- */

static np_plan *
plan_for_vdevs(uint16_t rxq0, uint16_t nb_rxd)
{
	static struct np_port_node nodes[N_PORTS]; /* the plan copies the reasons */
	struct np_plan_port ports[N_PORTS];
	struct np_plan_params p = {
		.ports = ports, .n_ports = N_PORTS, .cpus = cpus, .n_cpus = n_cpus,
		.burst = 32, .cache_size = 64,
	};

	for (unsigned int i = 0; i < N_PORTS; i++) {
		struct np_port_node *n = &nodes[i];

		NP_REQUIRE(np_port_node_probe(port_ids[i], NP_NODE_UNKNOWN, n) == 0, "probe");
		ports[i] = (struct np_plan_port){
			.name = devnames[i], .node = n->node, .node_source = n->source,
			.node_reason = n->reason, .n_rxq = i == 0 ? rxq0 : 1,
			.nb_rxd = nb_rxd, .nb_txd = 128, .peer = i == 2 ? 2 : (int)(i ^ 1),
		};
		NP_REQUIRE(np_port_adjust_desc(port_ids[i], &ports[i].nb_rxd,
					       &ports[i].nb_txd) == 0, "%s", np_last_error());
	}
	return np_plan_build(live, &p);
}

static void
test_pools_and_queues(void)
{
	const np_plan *plan = np_runtime_plan(rt);
	const np_mempools *pools = np_runtime_pools(rt);
	struct rte_mbuf *pkts[8], *back[8];
	struct np_plan_pool pp;
	struct rte_mempool *mp;
	char link[64];

	NP_REQUIRE(plan != NULL && pools != NULL, "the runtime has a plan and pools");
	NP_REQUIRE_INT(np_plan_pool_count(plan), 1);
	NP_REQUIRE_INT(np_plan_pool(plan, 0, &pp), 0);
	mp = np_mempools_pool(pools, pp.node);
	NP_REQUIRE(mp != NULL, "pool on node %d", pp.node);
	/* Sized by the plan, on the node the plan says (DPDK's view of the pages). */
	NP_CHECK_INT(mp->size, pp.n_mbufs);
	NP_CHECK_INT(mp->cache_size, 64);
	NP_CHECK_STR(mp->name, pp.name);
	NP_CHECK_INT(np_mempool_node(mp), pp.node);
	NP_CHECK_INT(np_mempools_socket(pools, pp.node), pp.node);
	NP_CHECK(np_mempools_pool(pools, pp.node + 1) == NULL && errno == ENOENT,
		 "no pool on another node");
	NP_CHECK(np_mempools_ring(pools, 0) == NULL, "io mode has no ring");
	NP_CHECK(np_runtime_rxq_pool(rt, 0, 1) == mp, "port 0 queue 1 fills from the pool");
	NP_CHECK(np_runtime_rxq_pool(rt, 0, 2) == NULL && errno == ENOENT, "no queue 2");

	for (unsigned int i = 0; i < N_PORTS; i++) {
		struct np_port_info in;
		struct rte_eth_dev_info di;

		NP_REQUIRE(np_runtime_port(rt, i) != NULL, "port %u started", i);
		NP_CHECK_INT(np_runtime_port_info(rt, i, &in), 0);
		NP_CHECK_STR(in.device, devnames[i]);
		NP_CHECK(!in.is_pci, "%s is a vdev", devnames[i]);
		NP_CHECK_INT(in.node, 0);
		NP_CHECK_INT(in.node_source, NP_NODE_FROM_DEVICE);
		NP_CHECK_INT(in.n_rxq, i == 0 ? 2 : 1);
		NP_CHECK_INT(rte_eth_dev_info_get(port_ids[i], &di), 0);
		NP_CHECK_INT(di.nb_rx_queues, in.n_rxq);
		NP_CHECK_INT(di.nb_tx_queues, in.n_txq);
		NP_CHECK_INT(np_port_link(np_runtime_port(rt, i), 1000, link, sizeof(link)), 1);
	}
	{
		char name[RTE_ETH_NAME_MAX_LEN];

		/* net_ring names the ethdev after its ring, not the vdev. */
		NP_CHECK_INT(rte_eth_dev_get_name_by_port(port_ids[0], name), 0);
		NP_CHECK_STR(name, "tp_ring0");
	}

	/* net_null fills RX bursts from the queue's pool: the planned one. */
	{
		uint16_t n = rte_eth_rx_burst(port_ids[2], 0, pkts, 8);

		NP_CHECK_INT(n, 8);
		for (uint16_t i = 0; i < n; i++) {
			NP_CHECK(pkts[i]->pool == mp, "net_null mbuf %u from %s, not the "
				 "planned %s", i, pkts[i]->pool->name, mp->name);
			NP_CHECK_INT(np_mempool_addr_node(pkts[i]), pp.node);
		}
		rte_pktmbuf_free_bulk(pkts, n);
	}
	/* net_ring loops TX queue q back to RX queue q: a real round trip. */
	NP_REQUIRE_INT(rte_pktmbuf_alloc_bulk(mp, pkts, 8), 0);
	for (unsigned int i = 0; i < 8; i++)
		rte_pktmbuf_append(pkts[i], 60);
	NP_CHECK_INT(rte_eth_tx_burst(port_ids[0], 0, pkts, 8), 8);
	NP_CHECK_INT(rte_eth_rx_burst(port_ids[0], 0, back, 8), 8);
	NP_CHECK(back[0] == pkts[0], "the same mbuf came back");
	rte_pktmbuf_free_bulk(back, 8);
}

static void
test_bad_setups(void)
{
	struct np_mempools_opts mo = { .data_room = 2176, .cache_size = 64,
				       .no_numa = !use_hugepages, .name_prefix = "bad" };
	struct np_port_opts po = { .promiscuous = false };
	np_mempools *pools;
	np_plan *plan;
	np_port *port;

	/* More vdevs, driven by the glue's own calls (the runtime's are started). */
	static const char *const more[N_PORTS] = {
		"net_ring5,nodeaction=tp_ring5:0:CREATE",
		"net_ring6,nodeaction=tp_ring6:0:CREATE",
		"net_null5",
	};
	static const char *const more_names[N_PORTS] = { "net_ring5", "net_ring6",
							 "net_null5" };

	for (unsigned int i = 0; i < N_PORTS; i++) {
		NP_REQUIRE_INT(rte_dev_probe(more[i]), 0);
		devnames[i] = more_names[i];
		NP_REQUIRE(np_port_find(devnames[i], &port_ids[i]) == 0, "%s", np_last_error());
	}
	/* net_ring has 16 queues: 20 RX queues are refused with the numbers. */
	plan = plan_for_vdevs(20, 256);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	pools = np_mempools_create(plan, &mo);
	NP_REQUIRE(pools != NULL, "pools: %s", np_last_error());
	port = np_port_start(plan, 0, port_ids[0], pools, &po);
	NP_CHECK(port == NULL && errno == ENOTSUP, "20 queues refused");
	NP_CHECK_CONTAINS(np_last_error(), "has at most 16 RX and 16 TX queues; the plan "
			  "needs 20 RX (port 0's RX queues)");
	NP_CHECK(np_port_start(plan, 9, port_ids[1], pools, &po) == NULL && errno == EINVAL,
		 "index out of range");
	/* A refused port is left as it was: it still starts with a plan that fits. */
	port = np_port_start(plan, 1, port_ids[1], pools, &po);
	NP_CHECK(port != NULL, "port 1 starts: %s", np_last_error());
	np_port_close(port);
	/* Creating the same pools twice: DPDK's EEXIST, named. */
	NP_CHECK(np_mempools_create(plan, &mo) == NULL && errno == EEXIST, "duplicate pool");
	NP_CHECK_CONTAINS(np_last_error(), "cannot create mbuf pool bad_np_mbuf_n0: a pool "
			  "of that name exists already");
	mo.cache_size = 1000;
	NP_CHECK(np_mempools_create(plan, &mo) == NULL && errno == EINVAL, "cache too big");
	np_mempools_destroy(pools);
	np_plan_destroy(plan);
}

static void
test_handoff_rings(void)
{
	struct np_mempools_opts mo = { .data_room = 1024, .cache_size = 0,
				       .no_numa = !use_hugepages, .name_prefix = "ho" };
	struct np_plan_port port = { .name = "r", .node = 0, .n_rxq = 1, .nb_rxd = 64,
				     .nb_txd = 64, .peer = 0 };
	struct np_plan_params p = { .ports = &port, .n_ports = 1, .cpus = cpus,
				    .n_cpus = n_cpus, .burst = 8, .tx_mode = NP_TX_BY_HANDOFF,
				    .ring_size = 256 };
	np_plan *plan = np_plan_build(live, &p);
	np_mempools *pools;
	struct rte_ring *r;

	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	pools = np_mempools_create(plan, &mo);
	NP_REQUIRE(pools != NULL, "pools: %s", np_last_error());
	r = np_mempools_ring(pools, 0);
	NP_REQUIRE(r != NULL, "ring on node 0");
	NP_CHECK_INT(rte_ring_get_capacity(r), 255);
	NP_CHECK_STR(r->name, "ho_np_handoff_n0");
	NP_CHECK_INT(np_mempool_addr_node(r), 0);
	np_mempools_destroy(pools);
	np_plan_destroy(plan);
}

/* ---- the hugepage check on described machines ------------------------------ */

static np_plan *
plan_on(const np_topo *t, int node, uint16_t n_rxq, uint16_t nb_rxd, unsigned int cpu)
{
	static struct np_plan_port port;
	static unsigned int one[1];
	struct np_plan_params p = { .ports = &port, .n_ports = 1, .cpus = one, .n_cpus = 1,
				    .burst = 32, .cache_size = 256 };
	np_plan *plan;

	port = (struct np_plan_port){ .name = "nic", .node = node, .n_rxq = n_rxq,
				      .nb_rxd = nb_rxd, .nb_txd = 1024, .peer = 0 };
	one[0] = cpu;
	plan = np_plan_build(t, &p);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	return plan;
}

static void
test_hugepage_shortfall(void)
{
	struct np_mempools_opts mo = { .data_room = 2176, .cache_size = 256 };
	np_topo *gap = np_test_topo("gap-0-2.xml"), *two = np_test_topo("2node.xml");
	struct np_hugepage_need need[4];
	char want[300]; /* fits np_test.h's 512-byte message with the error */
	np_plan *plan;
	int n;

	/* gap-0-2: node 2 has no hugepages at all. */
	plan = plan_on(gap, 2, 1, 1024, 2);
	n = np_mempool_hugepage_needs(gap, plan, &mo, 2, 2 << 20, need, 4);
	NP_REQUIRE_INT(n, 1);
	NP_CHECK_INT(need[0].node, 2);
	NP_CHECK_INT(need[0].free_pages, 0);
	NP_CHECK_INT(need[0].total_bytes, need[0].pool_bytes + need[0].ring_bytes +
		     need[0].desc_bytes + need[0].lcore_bytes + need[0].eal_bytes);
	NP_CHECK_INT(need[0].pages, (need[0].total_bytes + (2 << 20) - 1) / (2 << 20));
	NP_CHECK(need[0].pool_bytes > (uint64_t)2047 * (sizeof(struct rte_mbuf) + 2176),
		 "pool bytes cover the mbufs");
	NP_CHECK_INT(np_mempool_check_hugepages(gap, plan, &mo, 2, NULL), -ENOMEM);
	snprintf(want, sizeof(want), "node 2 has 0 free 2 MB hugepages, the plan needs %"
		 PRIu64, need[0].pages);
	NP_CHECK_CONTAINS(np_last_error(), want);
	snprintf(want, sizeof(want), "short by %" PRIu64 ": echo %" PRIu64 " > /sys/devices/"
		 "system/node/node2/hugepages/hugepages-2048kB/nr_hugepages, or run EAL "
		 "without hugepages (no_huge)", need[0].pages, need[0].pages);
	NP_CHECK_CONTAINS(np_last_error(), want);
	np_plan_destroy(plan);

	/* 2node: 96 pages per node. A small plan fits; 8 queues x 8192 do not. */
	plan = plan_on(two, 1, 1, 512, 2);
	NP_CHECK_INT(np_mempool_check_hugepages(two, plan, &mo, 1, NULL), 0);
	np_plan_destroy(plan);
	plan = plan_on(two, 1, 8, 8192, 2);
	n = np_mempool_hugepage_needs(two, plan, &mo, 1, 2 << 20, need, 4);
	NP_REQUIRE_INT(n, 1);
	NP_REQUIRE(need[0].pages > 96, "needs more than 96 pages (%" PRIu64 ")", need[0].pages);
	NP_CHECK_INT(np_mempool_check_hugepages(two, plan, &mo, 1, NULL), -ENOMEM);
	snprintf(want, sizeof(want), "node 1 has 96 free 2 MB hugepages, the plan needs %"
		 PRIu64, need[0].pages);
	NP_CHECK_CONTAINS(np_last_error(), want);
	snprintf(want, sizeof(want), "short by %" PRIu64 ": echo %" PRIu64 " > /sys/devices/"
		 "system/node/node1/hugepages/", need[0].pages - 96, need[0].pages);
	NP_CHECK_CONTAINS(np_last_error(), want);
	/* EAL's own memory goes to the main lcore's node: node 0 here. */
	n = np_mempool_hugepage_needs(two, plan, &mo, 0, 2 << 20, need, 4);
	NP_CHECK_INT(n, 2);
	NP_CHECK_INT(need[0].node, 0);
	NP_CHECK_INT(need[0].pool_bytes, 0);
	NP_CHECK(need[0].eal_bytes > 0, "EAL memory on node 0");
	NP_CHECK(np_mempool_total_bytes(two, plan, &mo, 0) > need[1].pool_bytes,
		 "total covers the pools");
	np_plan_destroy(plan);
	np_topo_destroy(gap);
	np_topo_destroy(two);
}

/* Whether np_runtime_create() refuses @p p with EINVAL (a runtime it makes is freed). */
static bool
refused(const struct np_runtime_params *p)
{
	np_runtime *r = np_runtime_create(p);
	int err = errno;

	np_runtime_destroy(r);
	return r == NULL && err == EINVAL;
}

/* Pool parameters a runtime cannot use are refused before EAL, by name. */
static void
test_bad_pool_params(void)
{
	struct np_runtime_port port = {
		.vdev = "net_null9", .node = NP_NODE_UNKNOWN, .rx_queues = 1,
		.rx_desc = 64, .tx_desc = 64, .peer = 0,
	};
	struct np_runtime_params p = {
		.name = "test_port", .topo = live, .ports = &port, .n_ports = 1,
		.cpus = cpus, .n_cpus = n_cpus, .burst = 32, .cache_size = 64,
		.data_room = 0, .no_huge = true,
	};

	NP_CHECK(refused(&p), "data_room 0 refused");
	NP_CHECK_STR(np_last_error_param(), "data_room");
	p.data_room = RTE_PKTMBUF_HEADROOM + RTE_ETHER_MIN_LEN - 1;
	NP_CHECK(refused(&p), "data_room %u refused", p.data_room);
	p.data_room = 2176;
	p.cache_size = RTE_MEMPOOL_CACHE_MAX_SIZE + 1;
	NP_CHECK(refused(&p), "cache_size %u refused", p.cache_size);
	NP_CHECK_STR(np_last_error_param(), "cache_size");
}

/*
 * The hugepage need, derived here from DPDK's own sizes and the documented
 * pool rule, not from the library's fields: one port on node 1 of 2node.xml
 * with 1 RX queue of 1024 descriptors and 1 TX queue of 1024, one worker
 * (CPU 2), burst 32, cache 256, data room 2176.
 *   mbufs = 1024 (RX) + 1024 (TX) + 384 (a cache fills to 1.5 x 256) + 32
 *           (one burst held) = 2464, rounded up to 2^12 - 1 = 4095;
 *   pool  = 4095 objects of rte_mempool_calc_obj_size(mbuf + data room)
 *           + the mempool header with RTE_MAX_LCORE caches + its ring;
 *   descriptors = 2 queues x (1024 x 64 B + 4 KB), as np_mempool.h estimates.
 */
static void
test_hugepage_arithmetic(void)
{
	const uint64_t MB2 = 2ull << 20;
	struct np_mempools_opts mo = { .data_room = 2176, .cache_size = 256 };
	np_topo *two = np_test_topo("2node.xml");
	np_plan *plan = plan_on(two, 1, 1, 1024, 2);
	struct np_hugepage_need need[4];
	struct rte_mempool_objsz sz;
	uint64_t obj, pool, ring, desc;
	int n;

	obj = rte_mempool_calc_obj_size(sizeof(struct rte_mbuf) + 2176, 0, &sz);
	ring = (uint64_t)rte_ring_get_memsize(4096);
	pool = 4095 * obj + sizeof(struct rte_mempool) + sizeof(struct rte_pktmbuf_pool_private) +
	       RTE_MAX_LCORE * sizeof(struct rte_mempool_cache) + ring;
	desc = 2 * (1024 * 64 + 4096);
	n = np_mempool_hugepage_needs(two, plan, &mo, 1, MB2, need, 4);
	NP_REQUIRE_INT(n, 1);
	NP_CHECK_INT(need[0].node, 1);
	NP_CHECK_INT(need[0].pool_bytes, pool);
	NP_CHECK_INT(need[0].desc_bytes, desc);
	NP_CHECK_INT(need[0].ring_bytes, 0);
	/* The whole: parts plus EAL's start-up memory and a page of heap slack, in pages. */
	NP_CHECK_INT(need[0].total_bytes, pool + desc + need[0].lcore_bytes + (4ull << 20) + MB2);
	NP_CHECK_INT(need[0].pages, (need[0].total_bytes + MB2 - 1) / MB2);
	NP_CHECK_INT(need[0].lcore_bytes, 0);    /* no per-lcore sizes given */
	/* Given, the worker's context counts on its node (CPU 2 is on node 1). */
	mo.lcore_bytes = (const uint64_t[]){ 123456 };
	NP_REQUIRE_INT(np_mempool_hugepage_needs(two, plan, &mo, 1, MB2, need, 4), 1);
	NP_CHECK_INT(need[0].lcore_bytes, 123456);
	NP_CHECK_INT(need[0].total_bytes, pool + desc + 123456 + (4ull << 20) + MB2);
	/* 96 pages free on node 1 of 2node.xml: the counts the topology read. */
	NP_CHECK_INT(need[0].free_pages, 96);
	NP_CHECK_INT(need[0].total_pages, 96);
	np_plan_destroy(plan);
	np_topo_destroy(two);
}

static const struct np_test_case cases[] = {
	{ "find ports, probe their node", test_find_and_probe },
	{ "expected nodes before EAL", test_expected_nodes },
	{ "pools and queues per the plan", test_pools_and_queues },
	{ "bad set-ups refused", test_bad_setups },
	{ "handoff rings", test_handoff_rings },
	{ "hugepage shortfall", test_hugepage_shortfall },
	{ "hugepage arithmetic, derived independently", test_hugepage_arithmetic },
	{ "bad pool parameters refused before EAL", test_bad_pool_params },
	{ NULL, NULL },
};

/*
 * Hugepages if this host has 128 MB free and hugetlbfs mounted, else
 * --no-huge; NP_TEST_NO_HUGE=1 forces --no-huge to test that path too.
 */
static void
choose_memory(void)
{
	struct np_enforcement enf;
	struct np_hugepages hp;
	const char *force = getenv("NP_TEST_NO_HUGE");

	if (force && strcmp(force, "1") == 0)
		return;
	np_topo_enforcement(live, &enf);
	use_hugepages = enf.n_mounts > 0 &&
			np_topo_node_hugepages(live, np_topo_node_id(live, 0),
					       enf.mounts[0].page_size, &hp) == 0 &&
			hp.free * enf.mounts[0].page_size >= (128ULL << 20);
}

int
main(void)
{
	struct np_runtime_port ports[N_PORTS];
	struct np_runtime_params p;
	int ret;
	cpu_set_t set;

	live = np_topo_load_live();
	if (live == NULL)
		NP_TEST_SKIP_ALL("cannot read this machine's topology: %s", np_last_error());
	/* Two CPUs this process may run on become lcores (lcore id = CPU id). */
	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		NP_TEST_SKIP_ALL("sched_getaffinity failed");
	for (unsigned int c = 0; c < CPU_SETSIZE && n_cpus < 2; c++)
		if (CPU_ISSET(c, &set))
			cpus[n_cpus++] = c;
	choose_memory();
	for (unsigned int i = 0; i < N_PORTS; i++)
		ports[i] = (struct np_runtime_port){
			.vdev = vdevs[i], .node = NP_NODE_UNKNOWN, .rx_queues = i == 0 ? 2 : 1,
			.rx_desc = 256, .tx_desc = 128, .peer = i == 2 ? 2 : (int)(i ^ 1),
			.promiscuous = true,
		};
	p = (struct np_runtime_params){
		.name = "test_port", .topo = live, .ports = ports, .n_ports = N_PORTS,
		.cpus = cpus, .n_cpus = n_cpus, .burst = 32, .cache_size = 64,
		.data_room = 2176, .no_huge = !use_hugepages,
		.eal_args = (const char *const[]){ "--log-level=lib.eal:error" }, .n_eal_args = 1,
	};
	rt = np_runtime_create(&p);
	if (rt == NULL || np_runtime_start(rt) < 0)
		NP_TEST_SKIP_ALL("the bring-up does not start here with %s: %s (run as root; "
				 "with hugepages: mount hugetlbfs and reserve them)",
				 use_hugepages ? "hugepages" : "no_huge", np_last_error());
	for (unsigned int i = 0; i < N_PORTS; i++)
		port_ids[i] = (uint16_t)np_runtime_port_id(rt, i);
	fprintf(stderr, "test_port: EAL on %u lcores with %s\n", n_cpus,
		use_hugepages ? "hugepages" : "no_huge");
	ret = np_test_run((const struct np_test_suite[]){ { "port", NULL, NULL, cases } }, 1);
	np_runtime_stop(rt, NULL);
	np_runtime_destroy(rt);
	np_topo_destroy(live);
	return ret;
}
