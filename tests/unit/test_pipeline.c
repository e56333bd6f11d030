/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * framework/pipeline on DPDK vdevs, brought up by the runtime as an app
 * would. EAL starts once per process, so each scenario is its own run of
 * this program (meson registers one test per scenario):
 *
 *   stages       three stages in order on two lcores: every verdict (next,
 *                port, node, drop with a cause, bad ones), drops counted per
 *                stage and cause exactly, contexts on the lcore's node,
 *                init/fini once per lcore, what is in flight at stop drained
 *                and every mbuf back; registry and creation errors
 *   txfull       a TX queue nobody reads (net_ring TX queue 1 with one RX
 *                queue): refusals counted as tx_refused, conservation holds,
 *                and the mbufs stuck in the device are reported as not back
 *   handoff      the plan's handoff mode: out = in + drops + drained
 *   latency-idle a reader while the loops run sees every packet's latency
 *                once they idle (recorded one run late)
 *   drain-timer  TX buffers held up to tx_drain_us: still nothing lost
 *   signal-TERM, signal-HUP, signal-INT: the signal stops an endless run
 *
 * Packets carry a sequence number at offset 14, a visit flag at 18 and the
 * mark of the last stage that saw them at 19.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memory.h>

#include "np_exec.h"
#include "np_pipeline.h"
#include "np_pipeline_worker.h"
#include "np_runtime.h"
#include "np_test.h"

#define OFF_SEQ 14
#define OFF_VISIT 18
#define OFF_MARK 19

static const char *scenario;
static np_runtime *rt;
static np_pipeline *pl;
static unsigned int cpus[2], n_cpus;
static bool use_hugepages;

/* ---- the test stages --------------------------------------------------- */

struct stage_ctx {
	unsigned int inited;      /* init calls on this context */
	unsigned int lcore;       /* where init said it runs */
	int node;
	uint64_t calls, pkts;     /* process() calls and packets seen */
	uint64_t order_errors;    /* a packet without the previous stage's mark */
	uint64_t entry_errors;    /* a verdict that was not "next" on entry */
	uint64_t wrong_lcore;     /* process() on another lcore than init's */
};

static unsigned int finis;        /* fini calls, all stages */

static int
ctx_init(void *ctx, const struct np_stage_lcore *where, void *arg)
{
	struct stage_ctx *c = ctx;

	(void)arg;
	c->inited++;
	c->lcore = where->lcore;
	c->node = where->node;
	return 0;
}

static void
ctx_fini(void *ctx, void *arg)
{
	(void)ctx;
	(void)arg;
	__atomic_fetch_add(&finis, 1, __ATOMIC_RELAXED);
}

static uint8_t *
data(struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod(m, uint8_t *);
}

static void
seen(struct stage_ctx *c, struct np_burst *b, uint8_t want_mark, uint8_t mark)
{
	c->calls++;
	c->pkts += b->n;
	if (b->lcore != c->lcore || rte_lcore_id() != c->lcore)
		c->wrong_lcore++;
	for (uint16_t i = 0; i < b->n; i++) {
		if (b->verdict[i] != NP_VERDICT_NEXT)
			c->entry_errors++;
		if (want_mark && data(b->pkts[i])[OFF_MARK] != want_mark)
			c->order_errors++;
		data(b->pkts[i])[OFF_MARK] = mark;
	}
}

static void
mark_process(void *ctx, struct np_burst *b)
{
	seen(ctx, b, 0, 'A');
}

/*
 * Whether this is the first stage visit of @m (a packet handed to an
 * executor comes round again), and its sequence number.
 */
static bool
first_visit(struct rte_mbuf *m, uint32_t *seq)
{
	uint8_t *d = data(m);

	if (d[OFF_VISIT])
		return false;
	d[OFF_VISIT] = 1;
	memcpy(seq, d + OFF_SEQ, sizeof(*seq));
	return true;
}

/* The first time a packet is seen, its sequence number picks its fate. */
static void
verdict_process(void *ctx, struct np_burst *b)
{
	seen(ctx, b, 'A', 'B');
	for (uint16_t i = 0; i < b->n; i++) {
		uint32_t seq;

		if (!first_visit(b->pkts[i], &seq))
			continue;
		switch (seq % 8) {
		case 0: np_burst_verdict(b, i, NP_VERDICT_DROP(NP_DROP_FILTERED)); break;
		case 1: np_burst_verdict(b, i, NP_VERDICT_DROP(NP_DROP_MALFORMED)); break;
		case 2: np_burst_verdict(b, i, NP_VERDICT_PORT(b->in_port)); break;
		case 3: np_burst_verdict(b, i, NP_VERDICT_PORT(99)); break;
		case 4: np_burst_verdict(b, i, NP_VERDICT_NODE(0)); break;
		case 5: np_burst_verdict(b, i, NP_VERDICT_DROP(999)); break;
		default: break;
		}
	}
}

static void
count_process(void *ctx, struct np_burst *b)
{
	seen(ctx, b, 'B', 'C');
}

static void
pass_process(void *ctx, struct np_burst *b)
{
	seen(ctx, b, 0, 'P');
}

/* The first time: a quarter to node 0's executor, a quarter to node 7 (none). */
static void
handoff_process(void *ctx, struct np_burst *b)
{
	seen(ctx, b, 'A', 'B');
	for (uint16_t i = 0; i < b->n; i++) {
		uint32_t seq;

		if (!first_visit(b->pkts[i], &seq))
			continue;
		if (seq % 4 == 0)
			np_burst_verdict(b, i, NP_VERDICT_NODE(0));
		else if (seq % 4 == 1)
			np_burst_verdict(b, i, NP_VERDICT_NODE(7));
	}
}

/* Every packet, every time: to node 0's executor (a flood for a small ring). */
static void
flood_process(void *ctx, struct np_burst *b)
{
	seen(ctx, b, 0, 'F');
	np_burst_verdict_all(b, NP_VERDICT_NODE(0));
}

static struct np_stage stages[] = {
	{ .name = "t-mark", .process = mark_process, .ctx_size = sizeof(struct stage_ctx),
	  .init = ctx_init, .fini = ctx_fini },
	{ .name = "t-verdict", .process = verdict_process,
	  .ctx_size = sizeof(struct stage_ctx), .init = ctx_init, .fini = ctx_fini },
	{ .name = "t-count", .process = count_process, .ctx_size = sizeof(struct stage_ctx),
	  .init = ctx_init, .fini = ctx_fini },
	{ .name = "t-pass", .process = pass_process, .ctx_size = sizeof(struct stage_ctx),
	  .init = ctx_init, .fini = ctx_fini },
	{ .name = "t-handoff", .process = handoff_process, .ctx_size = sizeof(struct stage_ctx),
	  .init = ctx_init, .fini = ctx_fini },
	{ .name = "t-flood", .process = flood_process, .ctx_size = sizeof(struct stage_ctx),
	  .init = ctx_init, .fini = ctx_fini },
};

/* ---- bring-up ------------------------------------------------------------ */

static void
pick_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		NP_TEST_SKIP_ALL("sched_getaffinity failed");
	for (unsigned int c = 0; c < CPU_SETSIZE && n_cpus < 2; c++)
		if (CPU_ISSET(c, &set))
			cpus[n_cpus++] = c;
	if (n_cpus < 2)
		NP_TEST_SKIP_ALL("the pipeline tests need 2 CPUs (several lcores); this "
				 "process may run on %u", n_cpus);
}

static void
pick_memory(void)
{
	np_topo *t = np_topo_load_live();
	struct np_enforcement enf;
	struct np_hugepages hp;

	if (t == NULL)
		NP_TEST_SKIP_ALL("cannot read this machine's topology: %s", np_last_error());
	np_topo_enforcement(t, &enf);
	use_hugepages = enf.n_mounts > 0 && getenv("NP_TEST_NO_HUGE") == NULL &&
			np_topo_node_hugepages(t, np_topo_node_id(t, 0), enf.mounts[0].page_size,
					       &hp) == 0 &&
			hp.free * enf.mounts[0].page_size >= (128ULL << 20);
	np_topo_destroy(t);
}

/* Bring up @p n ports and a pipeline of @p names; SKIP (77) if EAL cannot start. */
static bool latency = true;   /* recorded in every scenario but drain-timer */
static unsigned int exec_ring;  /* executors' ring size: 0 none */
/* "-sse" scenarios: EAL limits vectors to 128 bits, so the plain loop's SSE copy runs. */
static bool simd_128;

static void
bring_up(const struct np_runtime_port *ports, unsigned int n, enum np_tx_mode mode,
	 unsigned int drain_us, const char *const *names, unsigned int n_names)
{
	struct np_runtime_params p = {
		.name = "test_pipeline", .ports = ports, .n_ports = n, .cpus = cpus,
		.n_cpus = n_cpus, .burst = 32, .cache_size = 64, .data_room = 2176,
		.tx_mode = mode, .ring_size = 1024, .tx_drain_us = drain_us,
		.held_per_port = 64, .stages = names, .n_stages = n_names,
		.no_huge = !use_hugepages, .latency = latency, .exec_ring_size = exec_ring,
		.eal_args = (const char *const[]){ "--log-level=lib.eal:error",
						   "--force-max-simd-bitwidth=128" },
		.n_eal_args = simd_128 ? 2 : 1,
	};

	rt = np_runtime_create(&p);
	if (rt == NULL || np_runtime_start(rt) < 0)
		NP_TEST_SKIP_ALL("the bring-up does not start here with %s: %s (run as root; "
				 "with hugepages: mount hugetlbfs and reserve them)",
				 use_hugepages ? "hugepages" : "no_huge", np_last_error());
	pl = np_runtime_pipeline(rt, names, n_names);
	if (pl == NULL)
		NP_TEST_SKIP_ALL("pipeline: %s", np_last_error());
}

/* Inject @p n packets numbered from @p seq0 on port @p port (TX queue 0). */
static unsigned int
seed(unsigned int port, uint32_t seq0, unsigned int n)
{
	struct rte_mempool *mp = np_runtime_rxq_pool(rt, port, 0);
	struct rte_mbuf *m[64];
	uint16_t sent;

	NP_REQUIRE(mp != NULL && n <= 64, "pool of port %u", port);
	NP_REQUIRE_INT(rte_pktmbuf_alloc_bulk(mp, m, n), 0);
	for (unsigned int i = 0; i < n; i++) {
		uint8_t *d = (uint8_t *)rte_pktmbuf_append(m[i], 60);
		uint32_t seq = seq0 + i;

		memset(d, 0, 60);
		memset(d, 0xff, 6);
		memcpy(d + OFF_SEQ, &seq, sizeof(seq));
	}
	sent = rte_eth_tx_burst((uint16_t)np_runtime_port_id(rt, port), 0, m, (uint16_t)n);
	if (sent < n)
		rte_pktmbuf_free_bulk(m + sent, n - sent);
	return sent;
}

static uint64_t
port_sum(enum np_port_counter c)
{
	uint64_t s = 0;

	for (unsigned int p = 0; p < np_runtime_port_count(rt); p++)
		s += np_pipeline_port_stat(pl, p, c);
	return s;
}

static const struct stage_ctx *
ctx_of(unsigned int lcore_idx, unsigned int stage)
{
	return np_pipeline_stage_ctx(pl, lcore_idx, stage);
}

/*
 * Every received packet was sent, dropped, or was still held at stop; every
 * one that left (sent or dropped) has its latency recorded, once; every one
 * received was counted by the pool it came from.
 */
static void
check_conservation(const struct np_runtime_stop_report *r)
{
	uint64_t rx = port_sum(NP_PORT_RX), tx = port_sum(NP_PORT_TX);
	uint64_t drops = np_pipeline_drops_total(pl), by_pool = 0;
	struct np_latency l;

	NP_CHECK(rx == tx + drops + r->drain.tx_buffers + r->drain.handoff,
		 "rx %" PRIu64 " = tx %" PRIu64 " + drops %" PRIu64 " + held at stop %" PRIu64
		 " + %" PRIu64, rx, tx, drops, r->drain.tx_buffers, r->drain.handoff);
	for (unsigned int i = 0; i < np_pipeline_lcore_count(pl); i++)
		for (unsigned int p = 0; p < np_runtime_port_count(rt); p++) {
			struct np_pipeline_locality loc;

			NP_REQUIRE_INT(np_pipeline_locality(pl, i, p, &loc), 0);
			for (unsigned int k = 0; k < loc.n_pools; k++)
				by_pool += loc.pool[k].pkts;
			/* One node here: every packet is local, from the plan's one pool. */
			NP_CHECK_INT(loc.local, loc.pkts);
			NP_CHECK_INT(loc.pool[0].pkts, loc.pkts);
		}
	NP_CHECK_INT(by_pool, rx);
	if (!latency) {
		NP_CHECK_INT(np_pipeline_latency(pl, -1, -1, NP_LATENCY_TOTAL, &l), -ENOTSUP);
		return;
	}
	NP_REQUIRE_INT(np_pipeline_latency(pl, -1, -1, NP_LATENCY_TOTAL, &l), 0);
	NP_CHECK_INT(l.count, tx + drops);
	NP_CHECK(l.min > 0 && l.p50 >= l.min && l.p99 >= l.p50 && l.max >= l.p9999,
		 "ordered percentiles: min %.0f p50 %.0f p99 %.0f p99.99 %.0f max %.0f ns",
		 l.min, l.p50, l.p99, l.p9999, l.max);
	NP_CHECK_INT(np_pipeline_latency(pl, -1, -1, NP_LATENCY_INTERVAL, &l), 0);
	NP_CHECK(l.count > 0 && l.count <= tx + drops, "the last interval has %" PRIu64
		 " of the run's packets", l.count);
}

static struct np_runtime_port
ring_port(const char *vdev, uint16_t rxq, int peer)
{
	return (struct np_runtime_port){ .vdev = vdev, .node = NP_NODE_UNKNOWN,
					 .rx_queues = rxq, .rx_desc = 256, .tx_desc = 256,
					 .peer = peer };
}

/* ---- scenarios ------------------------------------------------------------ */

static void
test_stages(void)
{
	static const char *const names[] = { "t-mark", "t-verdict", "t-count" };
	struct np_runtime_port ports[2] = {
		ring_port("net_ring0,nodeaction=tps_r0:0:CREATE", 1, 1),
		ring_port("net_ring1,nodeaction=tps_r1:0:CREATE", 1, 0),
	};
	struct np_runtime_stop_report r;
	uint64_t first_pkts = 0, third_pkts = 0;
	unsigned int seeded;

	bring_up(ports, 2, NP_TX_BY_POLLER, 0, names, 3);
	NP_REQUIRE_INT(np_pipeline_lcore_count(pl), 2);
	NP_CHECK_INT(np_pipeline_stage_count(pl), 3);
	NP_CHECK_STR(np_pipeline_stage_name(pl, 1), "t-verdict");
	NP_CHECK(np_pipeline_stage_name(pl, 3) == NULL, "no stage 3");
	/* Each lcore's stage contexts: inited once, for it, on its node (DPDK's view). */
	for (unsigned int i = 0; i < 2; i++) {
		struct np_pipeline_lcore_info li;

		NP_REQUIRE_INT(np_pipeline_lcore(pl, i, &li), 0);
		for (unsigned int s = 0; s < 3; s++) {
			const struct stage_ctx *c = ctx_of(i, s);
			const struct rte_memseg *ms = rte_mem_virt2memseg(c, NULL);

			NP_REQUIRE(c != NULL, "lcore %u stage %u has a context", li.lcore, s);
			NP_CHECK_INT(c->inited, 1);
			NP_CHECK_INT(c->lcore, li.lcore);
			NP_CHECK(ms != NULL && ms->socket_id == li.socket,
				 "stage %u context of lcore %u on socket %d", s, li.lcore,
				 ms ? ms->socket_id : -9);
		}
		NP_CHECK(np_pipeline_txbuf(pl, i, 0, NULL) != NULL ||
			 np_pipeline_txbuf(pl, i, 1, NULL) != NULL, "lcore %u has a TX buffer",
			 li.lcore);
	}
	/* 64 numbered packets per port: seq % 8 decides each one's fate. */
	seeded = seed(0, 0, 64) + seed(1, 64, 64);
	NP_REQUIRE_INT(seeded, 128);
	/* Paused and resumed before the run: every packet is still recorded (conservation). */
	NP_CHECK_INT(np_pipeline_latency_record(pl, false), 0);
	NP_CHECK_INT(np_pipeline_latency_record(pl, true), 0);
	NP_CHECK_INT(np_pipeline_latency_record(NULL, true), -EINVAL);
	NP_REQUIRE_INT(np_runtime_run(rt, 1.5), 0);
	NP_CHECK(np_pipeline_seconds(pl) >= 1.4, "ran %.2f s", np_pipeline_seconds(pl));
	NP_CHECK(np_pipeline_latency_enabled(pl), "latency recorded");
	NP_CHECK_STR(np_locality_health(np_pipeline_locality_ratio(pl, -1, -1, NULL),
					port_sum(NP_PORT_RX)), "local");
	NP_CHECK_INT(np_runtime_stop(rt, &r), 0);

	/* Exactly 16 per class of the 128, at stage 1, under their cause. */
	NP_CHECK_INT(np_pipeline_drops(pl, 1, NP_DROP_FILTERED), 16);
	NP_CHECK_INT(np_pipeline_drops(pl, 1, NP_DROP_MALFORMED), 16);
	NP_CHECK_INT(np_pipeline_drops(pl, 1, NP_DROP_BAD_VERDICT), 32);
	NP_CHECK_INT(np_pipeline_drops(pl, 1, NP_DROP_NO_EXECUTOR), 16);
	/*
	 * "Back on the port it came in on": the plan gives an lcore a TX queue on
	 * its ports' peers only, so the dispatch (stage 3) drops them as no_route.
	 */
	NP_CHECK_INT(np_pipeline_drops(pl, 3, NP_DROP_NO_ROUTE), 16);
	NP_CHECK_INT(np_pipeline_drops_total(pl), 96);
	NP_CHECK_INT(np_pipeline_drops(pl, 0, NP_DROP_FILTERED), 0);
	NP_CHECK_INT(np_pipeline_drops(pl, 3, NP_DROP_TX_REFUSED), 0);
	NP_CHECK_INT(port_sum(NP_PORT_DROPPED), 96);
	/* The other 32 went round until the stop, and were drained there. */
	NP_CHECK_INT(r.drain.total, 32);
	NP_CHECK_INT(r.not_back, 0);
	NP_CHECK(r.n_pools >= 1 && r.pools[0].in_use == 0, "pool %s all back", r.pools[0].name);
	check_conservation(&r);
	for (unsigned int i = 0; i < 2; i++) {
		unsigned int lcore = ctx_of(i, 0)->lcore;

		for (unsigned int s = 0; s < 3; s++) {
			NP_CHECK_INT(ctx_of(i, s)->order_errors, 0);
			NP_CHECK_INT(ctx_of(i, s)->entry_errors, 0);
			NP_CHECK_INT(ctx_of(i, s)->wrong_lcore, 0);
		}
		first_pkts += ctx_of(i, 0)->pkts;
		third_pkts += ctx_of(i, 2)->pkts;
		NP_CHECK(np_pipeline_lcore_stat(pl, lcore, NP_LCORE_LOOPS) > 0, "lcore %u looped",
			 lcore);
	}
	/* Stage 1 saw every packet received; stage 3 all but the 96 stage 2 turned away. */
	NP_CHECK_INT(first_pkts, port_sum(NP_PORT_RX));
	NP_CHECK_INT(third_pkts, first_pkts - 96);
	NP_CHECK(first_pkts > 10000, "packets went round (%" PRIu64 ")", first_pkts);
	{
		struct rte_eth_stats es0, es1;

		NP_REQUIRE_INT(np_runtime_eth_stats(rt, 0, &es0), 0);
		NP_REQUIRE_INT(np_runtime_eth_stats(rt, 1, &es1), 0);
		/* DPDK saw what the pipeline received, plus what the drain took. */
		NP_CHECK_INT(es0.ipackets + es1.ipackets, port_sum(NP_PORT_RX) + r.drain.rx_rings);
		NP_CHECK_INT(es0.opackets + es1.opackets, port_sum(NP_PORT_TX) + 128);
	}
	/* A second drain finds nothing; a second stop is refused. */
	{
		struct np_pipeline_drain d;

		NP_CHECK_INT(np_pipeline_drain(pl, &d), 0);
		NP_CHECK_INT(d.total, 0);
		NP_CHECK_INT(np_runtime_stop(rt, NULL), -EALREADY);
	}
	/* Creation errors. */
	NP_CHECK(np_runtime_pipeline(rt, names, 3) == NULL && errno == EEXIST, "one pipeline");
	NP_CHECK_INT(np_stage_register(&stages[0]), -EEXIST);
	NP_CHECK_CONTAINS(np_last_error(), "a stage named \"t-mark\" is registered already");
	NP_CHECK_INT(np_stage_register(&(struct np_stage){ .name = "x" }), -EINVAL);
	NP_CHECK_INT(np_stage_register(&(struct np_stage){
		.name = "a-name-that-is-much-longer-than-thirty-one", .process = pass_process }),
		-EINVAL);
	{
		struct np_pipeline_params pp = {
			.plan = np_runtime_plan(rt), .port_ids = (uint16_t[]){ 0, 1 },
			.stages = (const char *const[]){ "t-mark", "no-such-stage" },
			.n_stages = 2, .burst = 32, .socket_override = -1,
		};

		NP_CHECK(np_pipeline_create(&pp) == NULL && errno == ENOENT, "unknown stage");
		NP_CHECK_CONTAINS(np_last_error(), "no stage named \"no-such-stage\" is registered "
				  "(stage 1 of the pipeline)");
		pp.n_stages = 1;
		pp.burst = NP_PIPELINE_MAX_BURST + 1;
		NP_CHECK(np_pipeline_create(&pp) == NULL && errno == EINVAL, "burst too large");
	}
	finis = 0;
	np_runtime_destroy(rt);
	NP_CHECK_INT(finis, 6);
}

static void
test_txfull(void)
{
	static const char *const names[] = { "t-pass" };
	/* Port 0 makes packets; both lcores send them on port 1, whose TX queue 1 no RX reads. */
	struct np_runtime_port ports[2] = {
		{ .vdev = "net_null0", .node = NP_NODE_UNKNOWN, .rx_queues = 2, .rx_desc = 256,
		  .tx_desc = 256, .peer = 1 },
		ring_port("net_ring0,nodeaction=tpf_r1:0:CREATE", 1, 0),
	};
	struct np_runtime_stop_report r;
	uint64_t refused;

	bring_up(ports, 2, NP_TX_BY_POLLER, 0, names, 1);
	NP_REQUIRE_INT(np_runtime_run(rt, 0.5), 0);
	NP_CHECK_INT(np_runtime_stop(rt, &r), -EIO);
	refused = np_pipeline_port_stat(pl, 1, NP_PORT_TX_REFUSED);
	NP_CHECK(refused > 0, "port 1 refused %" PRIu64 " packets", refused);
	NP_CHECK_INT(np_pipeline_drops(pl, 1, NP_DROP_TX_REFUSED), refused);
	NP_CHECK_INT(port_sum(NP_PORT_TX_REFUSED), refused);
	check_conservation(&r);
	/* net_ring's TX queue 1 is a 1024-slot ring (1023 usable): full, and never read. */
	NP_CHECK_INT(r.not_back, 1023);
	NP_CHECK_CONTAINS(np_last_error(), "1023 of");
	NP_CHECK_CONTAINS(np_last_error(), "mbufs are not back after the ports closed");
	np_runtime_destroy(rt);
}

static void
test_handoff(void)
{
	static const char *const names[] = { "t-pass" };
	struct np_runtime_port ports[2] = {
		ring_port("net_ring0,nodeaction=tph_r0:0:CREATE", 2, 1),
		ring_port("net_ring1,nodeaction=tph_r1:0:CREATE", 2, 0),
	};
	struct np_runtime_stop_report r;
	uint64_t out, in;

	bring_up(ports, 2, NP_TX_BY_HANDOFF, 0, names, 1);
	NP_REQUIRE_INT(seed(0, 0, 64) + seed(1, 64, 64), 128);
	NP_REQUIRE_INT(np_runtime_run(rt, 0.5), 0);
	NP_CHECK_INT(np_runtime_stop(rt, &r), 0);
	out = port_sum(NP_PORT_HANDOFF_OUT);
	in = port_sum(NP_PORT_HANDOFF_IN);
	NP_CHECK(in > 10000, "packets went through the ring (%" PRIu64 ")", in);
	NP_CHECK_INT(np_pipeline_drops_total(pl), 0);
	/* Every handed-off packet was taken from the ring or was in it (or a buffer) at stop. */
	NP_CHECK_INT(out, in + r.drain.handoff);
	NP_CHECK_INT(r.drain.total, 128);
	NP_CHECK_INT(r.not_back, 0);
	check_conservation(&r);
	np_runtime_destroy(rt);
}

/* Latency paused for a whole run: packets flow, nothing is recorded, the histograms stay. */
static void
test_latency_paused(void)
{
	static const char *const names[] = { "t-pass" };
	struct np_runtime_port ports[2] = {
		ring_port("net_ring0,nodeaction=tpl_r0:0:CREATE", 1, 1),
		ring_port("net_ring1,nodeaction=tpl_r1:0:CREATE", 1, 0),
	};
	struct np_runtime_stop_report r;
	struct np_latency l;

	struct rte_mempool *foreign;
	struct rte_mbuf *fm[8];
	uint64_t own = 0, other = 0;

	bring_up(ports, 2, NP_TX_BY_POLLER, 0, names, 1);
	NP_REQUIRE_INT(seed(0, 0, 32) + seed(1, 32, 32), 64);
	/*
	 * 8 more from a pool the plan does not know, in among the others: bursts
	 * of mixed origin, counted mbuf by mbuf (the queue's own pool is told by
	 * the mbuf's address, the others by its pool pointer).
	 */
	foreign = rte_pktmbuf_pool_create("tpl_foreign", 63, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					  SOCKET_ID_ANY);
	NP_REQUIRE(foreign != NULL, "a foreign pool: %s", rte_strerror(rte_errno));
	NP_REQUIRE_INT(rte_pktmbuf_alloc_bulk(foreign, fm, 8), 0);
	for (unsigned int i = 0; i < 8; i++)
		memset(rte_pktmbuf_append(fm[i], 60), 0, 60);
	NP_REQUIRE_INT(rte_eth_tx_burst((uint16_t)np_runtime_port_id(rt, 1), 0, fm, 8), 8);
	NP_CHECK_INT(np_pipeline_latency_record(pl, false), 0);
	NP_REQUIRE_INT(np_runtime_run(rt, 0.5), 0);
	NP_CHECK_INT(np_runtime_stop(rt, &r), 0);
	NP_CHECK(port_sum(NP_PORT_TX) > 1000, "packets went round (%" PRIu64 " sent)",
		 port_sum(NP_PORT_TX));
	for (unsigned int i = 0; i < np_pipeline_lcore_count(pl); i++)
		for (unsigned int p = 0; p < np_runtime_port_count(rt); p++) {
			struct np_pipeline_locality loc;

			NP_REQUIRE_INT(np_pipeline_locality(pl, i, p, &loc), 0);
			NP_REQUIRE_INT(loc.n_pools, 2);
			own += loc.pool[0].pkts;
			other += loc.pool[1].pkts;
			NP_CHECK_INT(loc.pool[1].node, NP_NODE_UNKNOWN);
		}
	/* Every packet counted once, by its origin; 8 of the 72 going round are foreign. */
	NP_CHECK_INT(own + other, port_sum(NP_PORT_RX));
	NP_CHECK(other > 0 && other * 9 * 10 >= (own + other) * 9 &&
		 other * 9 * 10 <= (own + other) * 11,
		 "foreign mbufs are 1/9 of what was received: %" PRIu64 " of %" PRIu64, other,
		 own + other);
	NP_CHECK_INT(rte_mempool_in_use_count(foreign), 0);   /* the drain freed them */
	rte_mempool_free(foreign);
	NP_CHECK(np_pipeline_latency_enabled(pl), "the histograms are there");
	/* Nothing recorded: no percentile to give. */
	NP_CHECK_INT(np_pipeline_latency(pl, -1, -1, NP_LATENCY_TOTAL, &l), -ENODATA);
	NP_CHECK_INT(r.not_back, 0);
	np_runtime_destroy(rt);
}

/* What np_pipeline_latency() said while the loops ran, 0.2 s in. */
static int mid_ret = 1;
static uint64_t mid_count;

static void *
read_latency_midway(void *arg)
{
	struct np_latency l;

	(void)arg;
	usleep(200 * 1000);
	mid_ret = np_pipeline_latency(pl, -1, -1, NP_LATENCY_TOTAL, &l);
	mid_count = mid_ret == 0 ? l.count : 0;
	return NULL;
}

/*
 * A run of packets is recorded into its histogram one run late (the loop's
 * record_run()): once traffic stops, an idle iteration records what waits,
 * so a reader while the loops run sees every packet that left.
 */
static void
test_latency_idle(void)
{
	static const char *const names[] = { "t-pass" };
	struct np_runtime_port ports[2] = {
		ring_port("net_ring0,nodeaction=tpi_r0:0:CREATE", 1, NP_PLAN_PEER_ANY),
		ring_port("net_ring1,nodeaction=tpi_r1:0:CREATE", 1, NP_PLAN_PEER_ANY),
	};
	struct np_runtime_stop_report r;
	struct np_latency l;
	pthread_t t;

	bring_up(ports, 2, NP_TX_BY_POLLER, 0, names, 1);
	/* No peer: the 8 packets are dropped as no-route once, then the loops idle. */
	NP_REQUIRE_INT(seed(0, 0, 8), 8);
	NP_REQUIRE_INT(pthread_create(&t, NULL, read_latency_midway, NULL), 0);
	NP_REQUIRE_INT(np_runtime_run(rt, 0.5), 0);
	pthread_join(t, NULL);
	NP_CHECK_INT(np_runtime_stop(rt, &r), 0);
	NP_CHECK_INT(port_sum(NP_PORT_DROPPED), 8);
	NP_CHECK_INT(mid_ret, 0);
	NP_CHECK_INT(mid_count, 8);
	NP_REQUIRE_INT(np_pipeline_latency(pl, -1, -1, NP_LATENCY_TOTAL, &l), 0);
	NP_CHECK_INT(l.count, 8);
	NP_CHECK_INT(r.not_back, 0);
	np_runtime_destroy(rt);
}

static void
test_drain_timer(void)
{
	static const char *const names[] = { "t-pass" };
	struct np_runtime_port ports[2] = {
		ring_port("net_ring0,nodeaction=tpd_r0:0:CREATE", 1, 1),
		ring_port("net_ring1,nodeaction=tpd_r1:0:CREATE", 1, 0),
	};
	struct np_runtime_stop_report r;
	uint64_t bursts, tx;

	/* 4 packets per port, bursts of 32: every buffer is partial, sent by the timer. */
	bring_up(ports, 2, NP_TX_BY_POLLER, 100, names, 1);
	NP_REQUIRE_INT(seed(0, 0, 4) + seed(1, 4, 4), 8);
	/* Created without latency: nothing to resume. */
	NP_CHECK_INT(np_pipeline_latency_record(pl, true), -ENOTSUP);
	NP_REQUIRE_INT(np_runtime_run(rt, 0.5), 0);
	NP_CHECK_INT(np_runtime_stop(rt, &r), 0);
	tx = port_sum(NP_PORT_TX);
	bursts = np_pipeline_lcore_stat(pl, cpus[0], NP_LCORE_TX_BURSTS) +
		 np_pipeline_lcore_stat(pl, cpus[1], NP_LCORE_TX_BURSTS);
	NP_CHECK(tx > 0, "the timer flushed partial buffers (%" PRIu64 " sent)", tx);
	/* At most one flush per 100 us per lcore and port: 0.5 s x 2 x 1 = 10000, and slack. */
	NP_CHECK(bursts <= 12000, "%" PRIu64 " TX bursts in 0.5 s: held up to 100 us", bursts);
	NP_CHECK_INT(r.drain.total, 8);
	NP_CHECK_INT(r.not_back, 0);
	check_conservation(&r);
	np_runtime_destroy(rt);
}

static uint64_t
lcore_sum(enum np_lcore_counter c)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < n_cpus; i++)
		sum += np_pipeline_lcore_stat(pl, cpus[i], c);
	return sum;
}

static void
test_exec(void)
{
	static const char *const names[] = { "t-mark", "t-handoff", "t-count" };
	/*
	 * With executors every worker may send on every port: 2 TX queues per
	 * port, so 2 RX queues (net_ring loops TX queue i to RX queue i).
	 */
	struct np_runtime_port ports[2] = {
		ring_port("net_ring0,nodeaction=tpx_r0:0:CREATE", 2, 1),
		ring_port("net_ring1,nodeaction=tpx_r1:0:CREATE", 2, 0),
	};
	struct np_runtime_stop_report r;
	const struct np_executor *e;
	uint64_t handed, ran, pairs;

	bring_up(ports, 2, NP_TX_BY_POLLER, 0, names, 3);
	e = np_pipeline_executor(pl);
	NP_REQUIRE(e != NULL, "the pipeline made an executor for node 0");
	NP_REQUIRE_INT(seed(0, 0, 64) + seed(1, 64, 64), 128);
	NP_REQUIRE_INT(np_runtime_run(rt, 1.0), 0);
	NP_CHECK_INT(np_runtime_stop(rt, &r), 0);
	/* A node without an executor: dropped at the stage that asked, 32 of 128. */
	NP_CHECK_INT(np_pipeline_drops(pl, 1, NP_DROP_NO_EXECUTOR), 32);
	NP_CHECK_INT(np_pipeline_drops_total(pl), 32);
	/* The other quarter crossed once each and went on at stage 3 (order checked there). */
	handed = np_pipeline_node_pair(pl, NP_PAIR_HANDOFF, 0, 0);
	ran = lcore_sum(NP_LCORE_EXEC_IN);
	pairs = np_exec_pair_count(e, 0, 0, NP_EXEC_CTR_MBUF_SUBMITTED);
	NP_CHECK_INT(handed, 32);
	NP_CHECK_INT(pairs, 32);
	NP_CHECK(ran <= handed && handed - ran <= r.drain.handoff, "handed %" PRIu64
		 " = run %" PRIu64 " + in the ring at stop (<= %" PRIu64 ")", handed, ran,
		 r.drain.handoff);
	for (unsigned int i = 0; i < 2; i++)
		for (unsigned int s = 0; s < 3; s++)
			NP_CHECK_INT(ctx_of(i, s)->order_errors, 0);
	NP_CHECK_INT(r.drain.total, 96);
	NP_CHECK_INT(r.not_back, 0);
	check_conservation(&r);
	np_runtime_destroy(rt);
}

static void
test_exec_full(void)
{
	static const char *const names[] = { "t-flood" };
	/* Each lcore receives 2 x 32 a loop and polls at most 32 from the ring: it fills. */
	struct np_runtime_port ports[2] = {
		{ .vdev = "net_null0", .node = NP_NODE_UNKNOWN, .rx_queues = 2, .rx_desc = 256,
		  .tx_desc = 256, .peer = 1 },
		{ .vdev = "net_null1", .node = NP_NODE_UNKNOWN, .rx_queues = 2, .rx_desc = 256,
		  .tx_desc = 256, .peer = 0 },
	};
	struct np_runtime_stop_report r;
	const struct np_executor *e;
	uint64_t full;

	bring_up(ports, 2, NP_TX_BY_POLLER, 0, names, 1);
	e = np_pipeline_executor(pl);
	NP_REQUIRE(e != NULL, "an executor");
	NP_REQUIRE_INT(np_runtime_run(rt, 0.5), 0);
	NP_CHECK_INT(np_runtime_stop(rt, &r), 0);
	full = np_pipeline_drops(pl, 1, NP_DROP_EXEC_FULL);
	/* Two lcores flood one 64-slot ring: it refuses, never blocks, and both sides count it. */
	NP_CHECK(full > 0, "the executor ring refused %" PRIu64 " packets", full);
	NP_CHECK_INT(np_exec_pair_count(e, 0, 0, NP_EXEC_CTR_MBUF_DROPPED), full);
	NP_CHECK_INT(r.not_back, 0);
	check_conservation(&r);
	np_runtime_destroy(rt);
}

static int signal_to_send;

static void *
send_signal(void *arg)
{
	(void)arg;
	usleep(300 * 1000);
	kill(getpid(), signal_to_send);
	return NULL;
}

static void
test_signal(void)
{
	static const char *const names[] = { "t-pass" };
	struct np_runtime_port ports[2] = {
		ring_port("net_ring0,nodeaction=tpg_r0:0:CREATE", 1, 1),
		ring_port("net_ring1,nodeaction=tpg_r1:0:CREATE", 1, 0),
	};
	struct np_runtime_stop_report r;
	pthread_t t;

	bring_up(ports, 2, NP_TX_BY_POLLER, 0, names, 1);
	NP_REQUIRE_INT(np_runtime_handle_signals(rt), 0);
	NP_REQUIRE_INT(seed(0, 0, 32), 32);
	NP_REQUIRE_INT(pthread_create(&t, NULL, send_signal, NULL), 0);
	/* No duration: only the signal ends it (meson's timeout would catch a hang). */
	NP_CHECK_INT(np_runtime_run(rt, 0), 0);
	pthread_join(t, NULL);
	NP_CHECK_INT(np_runtime_stop_signal(rt), signal_to_send);
	NP_CHECK(np_pipeline_stopping(pl), "stop was asked");
	NP_CHECK(np_pipeline_seconds(pl) >= 0.25 && np_pipeline_seconds(pl) < 5,
		 "ran until the signal (%.2f s)", np_pipeline_seconds(pl));
	NP_CHECK_INT(np_runtime_stop(rt, &r), 0);
	NP_CHECK_INT(r.drain.total, 32);
	np_runtime_destroy(rt);
}

int
main(int argc, char **argv)
{
	static const struct np_test_case stages_cases[] = {
		{ "stages, verdicts, drops, drain", test_stages }, { NULL, NULL } };
	static const struct np_test_case txfull_cases[] = {
		{ "a full TX queue", test_txfull }, { NULL, NULL } };
	static const struct np_test_case handoff_cases[] = {
		{ "handoff rings", test_handoff }, { NULL, NULL } };
	static const struct np_test_case paused_cases[] = {
		{ "latency paused", test_latency_paused }, { NULL, NULL } };
	static const struct np_test_case idle_cases[] = {
		{ "latency recorded by an idle loop", test_latency_idle }, { NULL, NULL } };
	static const struct np_test_case timer_cases[] = {
		{ "TX drain timer", test_drain_timer }, { NULL, NULL } };
	static const struct np_test_case signal_cases[] = {
		{ "a signal stops the loops", test_signal }, { NULL, NULL } };
	static const struct np_test_case exec_cases[] = {
		{ "to a node's executor and on", test_exec }, { NULL, NULL } };
	static const struct np_test_case exec_full_cases[] = {
		{ "a full executor ring", test_exec_full }, { NULL, NULL } };
	const struct np_test_case *cases = NULL;

	scenario = argc > 1 ? argv[1] : "";
	if (strcmp(scenario, "stages") == 0)
		cases = stages_cases;
	else if (strcmp(scenario, "txfull") == 0)
		cases = txfull_cases;
	else if (strcmp(scenario, "handoff") == 0)
		cases = handoff_cases;
	else if (strcmp(scenario, "exec") == 0) {
		cases = exec_cases;
		exec_ring = 1024;
	} else if (strcmp(scenario, "exec-full") == 0) {
		cases = exec_full_cases;
		exec_ring = 64;
	} else if (strcmp(scenario, "latency-paused") == 0) {
		cases = paused_cases;
	} else if (strcmp(scenario, "latency-paused-sse") == 0) {
		cases = paused_cases;
		simd_128 = true;
	} else if (strcmp(scenario, "latency-idle") == 0) {
		cases = idle_cases;
	} else if (strcmp(scenario, "drain-timer") == 0) {
		cases = timer_cases;
		latency = false;
	}
	else if (strncmp(scenario, "signal-", 7) == 0) {
		cases = signal_cases;
		signal_to_send = strcmp(scenario + 7, "TERM") == 0 ? SIGTERM :
				 strcmp(scenario + 7, "HUP") == 0 ? SIGHUP :
				 strcmp(scenario + 7, "INT") == 0 ? SIGINT : 0;
		if (signal_to_send == 0)
			cases = NULL;
	}
	if (cases == NULL) {
		fprintf(stderr, "usage: test_pipeline stages|txfull|handoff|exec|exec-full|"
			"latency-paused|latency-paused-sse|latency-idle|drain-timer|signal-TERM|signal-HUP|signal-INT\n");
		return 2;
	}
	for (unsigned int i = 0; i < RTE_DIM(stages); i++)
		if (np_stage_register(&stages[i]) < 0) {
			fprintf(stderr, "test_pipeline: %s\n", np_last_error());
			return 1;
		}
	pick_cpus();
	pick_memory();
	return np_test_run((const struct np_test_suite[]){ { scenario, NULL, NULL, cases } }, 1);
}
