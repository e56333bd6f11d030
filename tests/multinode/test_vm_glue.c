/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * drivers-glue and the pipeline on a real two-node machine (the 2node QEMU
 * guest): the shipped config/examples/l2fwd-vm.ini goes through the same
 * bring-up numaperf-l2fwd calls (config -> np_config_runtime -> np_runtime:
 * plan, hugepage check, EAL, ports, pools, queues), a pipeline runs on it,
 * and where things landed is checked against the kernel and against what
 * the test itself set up (the node np-vm put each NIC on, libnuma's node of
 * each CPU), not against what numaperf meant:
 *
 *  - NIC A (node 1): its node comes from the device (sysfs before EAL,
 *    rte_eth_dev_socket_id after), its RX queue is polled by a node-1 lcore
 *    that really runs on a node-1 CPU, its mbuf pool and descriptor rings are
 *    in node-1 memory (rte_mem_virt2memseg()->socket_id and move_pages on
 *    every mbuf), and a frame received on it lands in node-1 memory;
 *  - NIC B (the kernel says -1): DPDK reports SOCKET_ID_ANY, it stays
 *    unknown until the configured unknown-node policy decides, and its pool,
 *    descriptors and poller follow that decision; the other policies give
 *    what they promise with DPDK's own answer as input;
 *  - the pipeline: each worker's context, counters, TX buffers and stage
 *    context are in its CPU's node's memory, its stage runs on a CPU of that
 *    node, NIC A is polled by a worker of NIC A's node, packets go round
 *    between the NICs, and at stop every mbuf is back.
 *
 * Options (defaults suit np-vm --topology 2node):
 *   --nic ADDR=NODE         a NIC and the node the guest gives it (-1 unknown);
 *                           default: $NP_VM_NICS from np-vm. One known and
 *                           one unknown are needed.
 *   --unknown-node POLICY   [policies] unknown_node for the run (default
 *                           nearest-worker)
 *   --expect-unknown-node N where NIC B must land (default 0: with one
 *                           worker per node the tie goes to the node with
 *                           fewer RX queues, and NIC A loads node 1)
 * Skips (77) with fewer than 2 NUMA nodes, without root, or without the NICs.
 */
#include <errno.h>
#include <numa.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_memory.h>
#include <rte_memzone.h>

#include "np_config.h"
#include "np_mempool.h"
#include "np_pipeline.h"
#include "np_pipeline_worker.h"
#include "np_plan.h"
#include "np_port.h"
#include "np_runtime.h"
#include "np_test.h"
#include "np_test_numa.h"
#include "np_topo.h"

#define RX_WAIT_S 30 /* TCG: a frame crosses the hub in well under a second */

static char nic_known[32], nic_unknown[32];
static int nic_known_node = -1;
static const char *policy = "nearest-worker";
static int expect_unknown = 0;

static np_topo *topo;
static struct np_config *cfg;
static struct np_config_runtime rtp;
static np_runtime *rt;
static const np_plan *plan;
static const np_mempools *pools;
static np_port *ports[2];
static uint16_t port_ids[2];
static struct np_port_node probed[2];
static struct np_port_node expected[2];

/* ---- where memory and threads are, as the kernel says -------------------- */

struct mbuf_walk {
	int want;
	unsigned int n, bad_dpdk, bad_kernel;
	int first_bad;
};

static void
walk_mbuf(struct rte_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	struct mbuf_walk *w = arg;
	struct rte_mbuf *m = obj;
	const void *ends[2] = { m, (char *)m->buf_addr + m->buf_len - 1 };

	(void)mp;
	(void)idx;
	for (int i = 0; i < 2; i++) {
		int k = np_test_page_node(ends[i]);

		w->n++;
		w->bad_dpdk += np_mempool_addr_node(ends[i]) != w->want;
		if (k != w->want) {
			w->bad_kernel++;
			w->first_bad = k;
		}
	}
}

/* Every mbuf of the pool, both ends, in DPDK's view and the kernel's. */
static void
check_pool_memory(const char *what, struct rte_mempool *mp, int want)
{
	struct mbuf_walk w = { .want = want, .first_bad = want };

	NP_REQUIRE(mp != NULL, "%s: no pool", what);
	NP_CHECK_INT(np_mempool_node(mp), want);
	rte_mempool_obj_iter(mp, walk_mbuf, &w);
	NP_CHECK(w.n > 0 && w.bad_dpdk == 0 && w.bad_kernel == 0,
		 "%s (%s): of %u addresses, %u in another socket's memseg, %u on pages of "
		 "another node (e.g. node %d), expected node %d", what, mp->name, w.n,
		 w.bad_dpdk, w.bad_kernel, w.first_bad, want);
	NP_CHECK_INT(np_test_page_node(mp), want);
}

static int
ran_on_node(void *arg)
{
	*(int *)arg = numa_node_of_cpu(sched_getcpu());
	return 0;
}

/* Run @p fn on @p lcore: launched on a worker, called on the main lcore. */
static int
run_on(unsigned int lcore, lcore_function_t *fn, void *arg)
{
	int ret;

	if (lcore == rte_get_main_lcore())
		return fn(arg);
	ret = rte_eal_remote_launch(fn, arg, lcore);
	if (ret < 0)
		return ret;
	return rte_eal_wait_lcore(lcore);
}

/* ---- cases ----------------------------------------------------------------- */

static void
test_nodes_read_and_decided(void)
{
	struct np_plan_port_info a, b;

	/* Before EAL, from sysfs; after, from DPDK: the same, and -1 stays unknown. */
	NP_CHECK_INT(expected[0].node, nic_known_node);
	NP_CHECK_INT(expected[1].node, NP_NODE_UNKNOWN);
	NP_CHECK_INT(probed[0].node, nic_known_node);
	NP_CHECK_INT(rte_eth_dev_socket_id(port_ids[1]), SOCKET_ID_ANY);
	NP_CHECK_INT(probed[1].node, NP_NODE_UNKNOWN);
	NP_CHECK_CONTAINS(probed[1].reason, "SOCKET_ID_ANY (-1)");

	NP_REQUIRE_INT(np_plan_port(plan, 0, &a), 0);
	NP_REQUIRE_INT(np_plan_port(plan, 1, &b), 0);
	NP_CHECK_INT(a.node, nic_known_node);
	NP_CHECK_INT(a.node_source, NP_NODE_FROM_DEVICE);
	NP_CHECK_INT(b.node, expect_unknown);
	NP_CHECK_INT(b.device_node, NP_NODE_UNKNOWN);
	NP_CHECK_INT(b.node_source, NP_NODE_FROM_POLICY);
	NP_CHECK(b.node >= 0, "NIC B's node is a real node, not %d", b.node);
}

/* With DPDK's answer for NIC B as input, each policy does what it says. */
static void
test_other_policies(void)
{
	struct np_plan_port ports_in[2];
	unsigned int cpus[] = { 0, 2 };
	struct np_plan_params p = { .ports = ports_in, .n_ports = 2, .cpus = cpus,
				    .n_cpus = 2, .burst = 32, .cache_size = 64 };
	struct np_plan_port_info b;
	np_plan *other;

	for (int i = 0; i < 2; i++)
		ports_in[i] = (struct np_plan_port){
			.name = cfg->ports[i].name, .node = probed[i].node,
			.node_source = probed[i].source, .n_rxq = 1, .nb_rxd = 256,
			.nb_txd = 256, .peer = 1 - i };
	for (int node = 0; node < 2; node++) {
		p.unknown_policy = NP_UNKNOWN_FIXED_NODE;
		p.unknown_node = node;
		other = np_plan_build(topo, &p);
		NP_REQUIRE(other != NULL, "node %d: %s", node, np_last_error());
		np_plan_port(other, 1, &b);
		NP_CHECK_INT(b.node, node);
		np_plan_destroy(other);
	}
	p.unknown_policy = NP_UNKNOWN_FAIL;
	other = np_plan_build(topo, &p);
	NP_CHECK(other == NULL && errno == EDOM, "fail policy refuses NIC B");
	NP_CHECK_CONTAINS(np_last_error(), "the device reports no NUMA node (-1)");
	np_plan_destroy(other);
}

/*
 * Where the test itself put port @port's NIC: NIC A on the node np-vm gave
 * it, NIC B (no node) where the test's --expect-unknown-node says the policy
 * must put it. Both guest nodes have memory, so that is also where its
 * pool and descriptors belong. Not the plan's answer: what it should be.
 */
static int
built_node(unsigned int port)
{
	return port == 0 ? nic_known_node : expect_unknown;
}

static void
test_pools_on_their_node(void)
{
	for (unsigned int i = 0; i < np_plan_pool_count(plan); i++) {
		struct np_plan_pool pp;
		char what[64];

		np_plan_pool(plan, i, &pp);
		/* One pool per NIC's node (placement = port), on the nodes the test chose. */
		NP_CHECK(pp.node == built_node(0) || pp.node == built_node(1),
			 "a pool planned on node %d; the test put the NICs on nodes %d and %d",
			 pp.node, built_node(0), built_node(1));
		snprintf(what, sizeof(what), "pool planned on node %d", pp.node);
		check_pool_memory(what, np_mempools_pool(pools, pp.node), pp.node);
	}
}

static void
test_queues_on_their_node(void)
{
	for (unsigned int i = 0; i < np_plan_rxq_count(plan); i++) {
		struct np_plan_rxq q;
		struct rte_eth_rxq_info qi;
		const struct rte_memzone *mz;
		char name[RTE_MEMZONE_NAMESIZE];
		int on = -1;

		np_plan_rxq(plan, i, &q);
		/* What the plan says against what the test built... */
		NP_CHECK(q.pool_node == built_node(q.port) && q.desc_node == built_node(q.port) &&
			 q.lcore_node == built_node(q.port),
			 "port%u RX queue %u: planned pool node %d, descriptors node %d, poller "
			 "node %d; the test put the NIC on node %d", q.port, q.queue, q.pool_node,
			 q.desc_node, q.lcore_node, built_node(q.port));
		/* ...the queue takes buffers from the planned node's pool... */
		NP_REQUIRE_INT(rte_eth_rx_queue_info_get(port_ids[q.port], q.queue, &qi), 0);
		NP_CHECK(qi.mp == np_mempools_pool(pools, q.pool_node),
			 "port%u RX queue %u uses pool %s, planned the node-%d pool", q.port,
			 q.queue, qi.mp ? qi.mp->name : "(none)", q.pool_node);
		/* ...its descriptor ring is where the NIC is (e1000's memzone name)... */
		snprintf(name, sizeof(name), "eth_p%u_q%u_rx_ring", port_ids[q.port], q.queue);
		mz = rte_memzone_lookup(name);
		NP_REQUIRE(mz != NULL, "memzone %s of port%u's RX ring not found", name, q.port);
		NP_CHECK_INT(mz->socket_id, q.desc_node);
		NP_CHECK_INT(np_test_page_node(mz->addr), q.desc_node);
		/* ...and its poller is an lcore of the port's node, running there. */
		NP_CHECK_INT(rte_lcore_to_socket_id(q.lcore), q.lcore_node);
		NP_CHECK_INT(np_topo_cpu_node(topo, q.lcore), q.lcore_node);
		NP_REQUIRE_INT(run_on(q.lcore, ran_on_node, &on), 0);
		NP_CHECK_INT(on, q.lcore_node);
		NP_CHECK_INT(numa_node_of_cpu((int)q.lcore), built_node(q.port));
		NP_CHECK(q.poller_local && q.pool_local, "port%u queue %u: poller and pool "
			 "local to node %d", q.port, q.queue, q.lcore_node);
	}
	for (unsigned int i = 0; i < np_plan_txq_count(plan); i++) {
		struct np_plan_txq t;
		char name[RTE_MEMZONE_NAMESIZE];
		const struct rte_memzone *mz;

		np_plan_txq(plan, i, &t);
		snprintf(name, sizeof(name), "eth_p%u_q%u_tx_ring", port_ids[t.port], t.queue);
		mz = rte_memzone_lookup(name);
		NP_REQUIRE(mz != NULL, "memzone %s of port%u's TX ring not found", name, t.port);
		NP_CHECK_INT(mz->socket_id, t.desc_node);
		NP_CHECK_INT(np_test_page_node(mz->addr), t.desc_node);
		NP_CHECK_INT(np_test_page_node(mz->addr), built_node(t.port));
	}
}

/*
 * Frames sent on one NIC cross QEMU's hub to the other: what each NIC
 * receives must come from its planned pool, in that node's memory, polled
 * from an lcore of that node.
 */
struct rx_job {
	uint16_t port_id;
	unsigned int got;
	int pool_ok, data_node, cpu_node;
	struct rte_mempool *want_pool;
};

static int
rx_on_lcore(void *arg)
{
	struct rx_job *j = arg;
	struct rte_mbuf *m[32];
	uint64_t end = rte_get_timer_cycles() + RX_WAIT_S * rte_get_timer_hz();

	j->cpu_node = numa_node_of_cpu(sched_getcpu());
	j->pool_ok = 1;
	j->data_node = -1;
	while (j->got == 0 && rte_get_timer_cycles() < end) {
		uint16_t n = rte_eth_rx_burst(j->port_id, 0, m, 32);

		for (uint16_t i = 0; i < n; i++) {
			j->pool_ok &= m[i]->pool == j->want_pool;
			j->data_node = np_test_page_node(rte_pktmbuf_mtod(m[i], void *));
		}
		j->got += n;
		rte_pktmbuf_free_bulk(m, n);
		if (n == 0)
			rte_delay_ms(10);
	}
	return 0;
}

static void
send_frames(unsigned int from)
{
	struct rte_mempool *mp;
	struct rte_mbuf *m[8];
	struct np_port_info in;
	uint16_t sent;

	np_runtime_port_info(rt, from, &in);
	mp = np_mempools_pool(pools, in.node);
	NP_REQUIRE(mp != NULL && rte_pktmbuf_alloc_bulk(mp, m, 8) == 0, "mbufs to send");
	for (int i = 0; i < 8; i++) {
		char *d = rte_pktmbuf_append(m[i], 60);
		struct rte_ether_hdr *eth = (struct rte_ether_hdr *)d;

		if (d == NULL) {
			NP_CHECK(0, "a 60-byte frame does not fit an mbuf of %s", mp->name);
			rte_pktmbuf_free_bulk(m, 8);
			return;
		}
		memset(d, 0, 60);
		memset(&eth->dst_addr, 0xff, sizeof(eth->dst_addr));
		rte_ether_addr_copy(&in.mac, &eth->src_addr);
		eth->ether_type = rte_cpu_to_be_16(0x88b5);
	}
	sent = rte_eth_tx_burst(port_ids[from], 0, m, 8);
	if (sent < 8)
		rte_pktmbuf_free_bulk(m + sent, 8 - sent);
	NP_CHECK(sent > 0, "port%u sent %u of 8 frames", from, sent);
}

static void
receive_on(unsigned int port)
{
	struct np_plan_rxq q;
	struct rx_job j = { .port_id = port_ids[port] };

	for (unsigned int i = 0; i < np_plan_rxq_count(plan); i++) {
		np_plan_rxq(plan, i, &q);
		if (q.port == port)
			break;
	}
	j.want_pool = np_mempools_pool(pools, q.pool_node);
	send_frames(1 - port);
	NP_REQUIRE_INT(run_on(q.lcore, rx_on_lcore, &j), 0);
	NP_REQUIRE(j.got > 0, "port%u received nothing in %d s", port, RX_WAIT_S);
	NP_CHECK(j.pool_ok, "port%u: frames came in mbufs of another pool", port);
	NP_CHECK_INT(j.data_node, q.pool_node);
	NP_CHECK_INT(j.cpu_node, q.lcore_node);
}

static void
test_rx_lands_on_node_a(void)
{
	receive_on(0);
}

static void
test_rx_lands_on_node_b(void)
{
	receive_on(1);
}


/* ---- the pipeline on two nodes -------------------------------------------- */

/* What the stage saw, per lcore, in its context on the lcore's node. */
struct where_ctx {
	uint64_t calls, pkts;
	int first_node;            /* node of the CPU of the first call */
	uint64_t off_node;         /* calls on a CPU of another node than init's */
	int init_node;
};

static int
where_init(void *ctx, const struct np_stage_lcore *w, void *arg)
{
	struct where_ctx *c = ctx;

	(void)arg;
	c->init_node = w->node;
	c->first_node = -1;
	return 0;
}

static void
where_process(void *ctx, struct np_burst *b)
{
	struct where_ctx *c = ctx;
	int node = numa_node_of_cpu(sched_getcpu());

	if (c->first_node < 0)
		c->first_node = node;
	c->off_node += node != c->init_node;
	c->calls++;
	c->pkts += b->n;
}

static struct np_stage where_stage = {
	.name = "vm-where", .process = where_process, .ctx_size = sizeof(struct where_ctx),
	.init = where_init,
};

static void
check_node_of(const char *what, unsigned int lcore, const void *addr, int want)
{
	const struct rte_memseg *ms = rte_mem_virt2memseg(addr, NULL);

	NP_CHECK(ms != NULL && ms->socket_id == want, "lcore %u's %s: DPDK memseg on "
		 "socket %d, expected node %d", lcore, what, ms ? ms->socket_id : -9, want);
	NP_CHECK(np_test_page_node(addr) == want, "lcore %u's %s: the kernel puts its page "
		 "on node %d, expected node %d", lcore, what, np_test_page_node(addr), want);
}

static void
test_pipeline_on_nodes(void)
{
	static const char *const names[] = { "vm-where" };
	struct np_runtime_stop_report r;
	np_pipeline *pl = np_runtime_pipeline(rt, names, 1);
	bool a_polled_locally = false;
	uint64_t seeded = 0;

	NP_REQUIRE(pl != NULL, "pipeline: %s", np_last_error());
	for (unsigned int i = 0; i < np_pipeline_lcore_count(pl); i++) {
		struct np_pipeline_lcore_info li;
		/* Expected from libnuma and the CPU number, not from the plan. */
		int want;

		NP_REQUIRE_INT(np_pipeline_lcore(pl, i, &li), 0);
		want = numa_node_of_cpu((int)li.lcore);
		NP_CHECK_INT(li.node, want);
		check_node_of("context", li.lcore, li.ctx, want);
		check_node_of("counters", li.lcore, li.counters, want);
		check_node_of("stage context", li.lcore, np_pipeline_stage_ctx(pl, i, 0), want);
		for (unsigned int p = 0; p < 2; p++) {
			const void *tb = np_pipeline_txbuf(pl, i, p, NULL);

			if (tb != NULL)
				check_node_of("TX buffer", li.lcore, tb, want);
		}
	}
	for (unsigned int i = 0; i < np_plan_rxq_count(plan); i++) {
		struct np_plan_rxq q;

		np_plan_rxq(plan, i, &q);
		if (q.port == 0)
			a_polled_locally |= numa_node_of_cpu((int)q.lcore) == nic_known_node;
	}
	NP_CHECK(a_polled_locally, "NIC A (node %d) is polled by a worker of node %d",
		 nic_known_node, nic_known_node);
	/* Frames cross QEMU's hub: what A sends arrives on B, and the pipeline sends it back. */
	for (unsigned int p = 0; p < 2; p++) {
		struct rte_mempool *mp = np_runtime_rxq_pool(rt, p, 0);
		struct rte_mbuf *m[16];
		uint16_t sent;

		NP_REQUIRE(mp != NULL && rte_pktmbuf_alloc_bulk(mp, m, 16) == 0, "seed mbufs");
		for (int k = 0; k < 16; k++) {
			char *d = rte_pktmbuf_append(m[k], 60);

			if (d == NULL) { /* NP_REQUIRE ends the case (CUnit's longjmp) */
				NP_REQUIRE(0, "no 60 bytes of room in a fresh mbuf of port %u's "
					   "pool", p);
				return;
			}
			memset(d, 0, 60);
			memset(d, 0xff, 6);
		}
		sent = rte_eth_tx_burst(port_ids[p], 0, m, 16);
		if (sent < 16)
			rte_pktmbuf_free_bulk(m + sent, 16 - sent);
		seeded += sent;
	}
	NP_REQUIRE_INT(np_runtime_run(rt, 5.0), 0);
	NP_CHECK_INT(np_runtime_stop(rt, &r), 0);
	NP_CHECK_INT(r.not_back, 0);
	NP_CHECK(np_pipeline_port_stat(pl, 0, NP_PORT_RX) > 0 &&
		 np_pipeline_port_stat(pl, 1, NP_PORT_RX) > 0, "both NICs received (%" PRIu64
		 ", %" PRIu64 ") of %" PRIu64 " seeded", np_pipeline_port_stat(pl, 0, NP_PORT_RX),
		 np_pipeline_port_stat(pl, 1, NP_PORT_RX), seeded);
	for (unsigned int i = 0; i < np_pipeline_lcore_count(pl); i++) {
		const struct where_ctx *c = np_pipeline_stage_ctx(pl, i, 0);
		struct np_pipeline_lcore_info li;

		np_pipeline_lcore(pl, i, &li);
		NP_CHECK_INT(c->off_node, 0);
		if (c->calls > 0)
			NP_CHECK_INT(c->first_node, numa_node_of_cpu((int)li.lcore));
	}
}

static const struct np_test_case cases[] = {
	{ "NIC nodes read, unknown decided by the policy", test_nodes_read_and_decided },
	{ "the other policies on DPDK's answer", test_other_policies },
	{ "pools in their node's memory", test_pools_on_their_node },
	{ "queues, rings and pollers on the port's node", test_queues_on_their_node },
	{ "frames on NIC A land in node-1 memory", test_rx_lands_on_node_a },
	{ "frames on NIC B land where the policy put it", test_rx_lands_on_node_b },
	{ "the pipeline: contexts, buffers and stages on their node", test_pipeline_on_nodes },
	{ NULL, NULL },
};

/* ---- set-up: the bring-up numaperf-l2fwd calls ------------------------------- */

static void
die(const char *what)
{
	fprintf(stderr, "test_vm_glue: %s: %s\n", what, np_last_error());
	exit(1);
}

static void
setup(void)
{
	char cfg_path[1024], o0[64], o1[64], o2[96];
	const char *ov[3] = { o0, o1, o2 };
	static const char *const names[] = { "vm-where" };

	snprintf(cfg_path, sizeof(cfg_path), "%s/../../config/examples/l2fwd-vm.ini",
		 NP_TEST_DATA);
	snprintf(o0, sizeof(o0), "port0.pci=%s", nic_known);
	snprintf(o1, sizeof(o1), "port1.pci=%s", nic_unknown);
	snprintf(o2, sizeof(o2), "policies.unknown_node=%s", policy);
	cfg = np_config_load(cfg_path, ov, 3, topo);
	if (cfg == NULL || np_config_runtime(cfg, &rtp) < 0)
		die("configuration");
	/* What the device says before EAL (the runtime does the same). */
	for (int i = 0; i < 2; i++)
		if (np_port_node_expect(topo, cfg->ports[i].pci, NULL, cfg->ports[i].node, 0,
					&expected[i]) < 0)
			die("expected node");
	if (np_stage_register(&where_stage) < 0)
		die("stage");
	rtp.params.name = "test_vm_glue";
	rtp.params.topo = topo;
	rtp.params.stages = names;
	rtp.params.n_stages = 1;
	rtp.params.verbose = stderr;
	rt = np_runtime_create(&rtp.params);
	if (rt == NULL)
		die("runtime");
	if (np_runtime_start(rt) < 0) {
		if (errno == ENOMEM)
			NP_TEST_SKIP_ALL("%s", np_last_error());
		die("bring-up");
	}
	plan = np_runtime_plan(rt);
	pools = np_runtime_pools(rt);
	np_plan_print(plan, stdout);
	for (int i = 0; i < 2; i++) {
		ports[i] = np_runtime_port(rt, (unsigned int)i);
		port_ids[i] = (uint16_t)np_runtime_port_id(rt, (unsigned int)i);
		/* What DPDK reports after EAL, read independently of the runtime. */
		if (np_port_node_probe(port_ids[i], cfg->ports[i].node, &probed[i]) < 0)
			die("probe");
	}
}

static int
add_nic(const char *spec)
{
	const char *eq = strrchr(spec, '=');
	char *end;
	long node;

	if (eq == NULL || eq == spec || (size_t)(eq - spec) >= sizeof(nic_known))
		return -1;
	node = strtol(eq + 1, &end, 10);
	if (end == eq + 1 || *end != '\0' || node < -1)
		return -1;
	if (node < 0)
		snprintf(nic_unknown, sizeof(nic_unknown), "%.*s", (int)(eq - spec), spec);
	else {
		snprintf(nic_known, sizeof(nic_known), "%.*s", (int)(eq - spec), spec);
		nic_known_node = (int)node;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	char path[128];
	int ret;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--nic") == 0 && i + 1 < argc) {
			if (add_nic(argv[++i]) < 0) {
				fprintf(stderr, "bad --nic %s: expected ADDR=NODE (-1 unknown)\n",
					argv[i]);
				return 2;
			}
		} else if (strcmp(argv[i], "--unknown-node") == 0 && i + 1 < argc) {
			policy = argv[++i];
		} else if (strcmp(argv[i], "--expect-unknown-node") == 0 && i + 1 < argc) {
			expect_unknown = atoi(argv[++i]);
		} else {
			fprintf(stderr, "usage: %s [--nic ADDR=NODE]... [--unknown-node POLICY] "
				"[--expect-unknown-node N]\n", argv[0]);
			return 2;
		}
	}
	if (numa_available() < 0 || numa_num_configured_nodes() < 2)
		NP_TEST_SKIP_ALL("needs >= 2 NUMA nodes, this machine has %d: run it in the "
				 "two-node guest: tests/vm/np-vm --topology 2node -- %s",
				 numa_available() < 0 ? 1 : numa_num_configured_nodes(), argv[0]);
	if (geteuid() != 0)
		NP_TEST_SKIP_ALL("needs root for hugepages and the uio-bound NICs");
	if (nic_known[0] == '\0' && nic_unknown[0] == '\0' && getenv("NP_VM_NICS")) {
		char *list = strdup(getenv("NP_VM_NICS")), *save = NULL;

		for (char *t = strtok_r(list, " ", &save); t; t = strtok_r(NULL, " ", &save))
			if (add_nic(t) < 0) {
				fprintf(stderr, "bad NP_VM_NICS entry %s\n", t);
				free(list);
				return 2;
			}
		free(list);
	}
	if (nic_known[0] == '\0' || nic_unknown[0] == '\0')
		NP_TEST_SKIP_ALL("needs a NIC with a known node and one whose node is unknown "
				 "(--nic ADDR=NODE, or $NP_VM_NICS from np-vm --topology 2node)");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", nic_known);
	if (access(path, F_OK) != 0)
		NP_TEST_SKIP_ALL("no PCI device %s here: run it in the two-node guest: "
				 "tests/vm/np-vm --topology 2node -- %s", nic_known, argv[0]);
	topo = np_topo_load_live();
	if (topo == NULL)
		die("topology");
	setup();
	ret = np_test_run((const struct np_test_suite[]){ { "glue on two nodes", NULL, NULL,
							     cases } }, 1);
	np_runtime_destroy(rt);
	np_config_free(cfg);
	np_topo_destroy(topo);
	return ret;
}
