/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An outside packet application, written only against the installed
 * headers and numaperf.pc (dependency('numaperf')), as a user of the
 * library would write one: RX, one stage, TX.
 *
 * Two net_ring ports, peers of each other (net_ring loops what is sent on
 * a port back to its own RX), workers on every CPU this process may run
 * on. The stage counts the packets each lcore sees in its per-lcore
 * context; after one second the app stops, and checks what a user would:
 * packets were received, the stage saw exactly what the pipeline received
 * (the sum of its contexts equals the pipeline's rx counter), every seeded
 * packet is accounted for (the ports only loop packets: each is in flight
 * at stop or dropped, never lost) and every mbuf is back in its pool.
 * Hugepages if the machine has enough free (the runtime's own check),
 * else EAL without them.
 *
 * usage: consumer [--no-huge] [-- EAL arguments]
 * Exit 0 with a one-line summary, else 1 with the message.
 */
#define _GNU_SOURCE /* sched_getaffinity() */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include <np_pipeline.h>
#include <np_pipeline_worker.h>
#include <np_runtime.h>

#define PROG "consumer"
#define STAGE "consumer-count"
#define N_PORTS 2
#define SEED 64          /* packets injected per port before the loops start */
#define RUN_SECONDS 1.0

/* The stage's per-lcore context: on the lcore's node, written by it alone. */
struct count_ctx {
	uint64_t packets;
	uint64_t bursts;
	unsigned int lcore;
};

static int
count_init(void *ctx, const struct np_stage_lcore *where, void *arg)
{
	struct count_ctx *c = ctx;

	(void)arg;
	c->lcore = where->lcore;
	return 0;
}

/* Counts; every packet keeps verdict "next" and leaves on its port's peer. */
static void
count_process(void *ctx, struct np_burst *b)
{
	struct count_ctx *c = ctx;

	c->packets += b->n;
	c->bursts++;
}

static struct np_stage count_stage = {
	.name = STAGE,
	.process = count_process,
	.ctx_size = sizeof(struct count_ctx),
	.init = count_init,
};
NP_STAGE_REGISTER(count_stage);

static int
fail(np_runtime *rt, const char *what)
{
	fprintf(stderr, PROG ": %s: %s\n", what, np_last_error());
	np_runtime_destroy(rt);
	return 1;
}

/* The CPUs this process may run on: they become the workers. */
static unsigned int
allowed_cpus(unsigned int *cpus, unsigned int max)
{
	cpu_set_t set;
	unsigned int n = 0;

	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return 0;
	for (unsigned int c = 0; c < CPU_SETSIZE && n < max; c++)
		if (CPU_ISSET(c, &set))
			cpus[n++] = c;
	return n;
}

/* Inject SEED minimum-size frames into each port (net_ring makes no traffic). */
static int
seed(np_runtime *rt, uint64_t *seeded)
{
	struct rte_mbuf *m[SEED];

	*seeded = 0;
	for (unsigned int p = 0; p < N_PORTS; p++) {
		struct rte_mempool *mp = np_runtime_rxq_pool(rt, p, 0);
		int port_id = np_runtime_port_id(rt, p);
		const uint16_t len = RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN;
		uint16_t sent;

		if (mp == NULL || port_id < 0) {
			fprintf(stderr, PROG ": port %u has no pool or port id\n", p);
			return -1;
		}
		if (rte_pktmbuf_alloc_bulk(mp, m, SEED) != 0) {
			fprintf(stderr, PROG ": pool %s has no %d free mbufs\n", mp->name, SEED);
			return -1;
		}
		for (unsigned int i = 0; i < SEED; i++) {
			struct rte_ether_hdr *eth =
				(struct rte_ether_hdr *)rte_pktmbuf_append(m[i], len);

			if (eth == NULL) {
				fprintf(stderr, PROG ": a %u-byte frame does not fit an mbuf\n", len);
				rte_pktmbuf_free_bulk(m, SEED);
				return -1;
			}
			memset(eth, 0, len);
			memset(&eth->dst_addr, 0xff, sizeof(eth->dst_addr));
			eth->ether_type = rte_cpu_to_be_16(0x88b5); /* local experimental */
		}
		sent = rte_eth_tx_burst((uint16_t)port_id, 0, m, SEED);
		if (sent < SEED)
			rte_pktmbuf_free_bulk(m + sent, SEED - sent);
		*seeded += sent;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const char *const stages[] = { STAGE };
	unsigned int cpus[256], n_cpus, queues;
	struct np_runtime_port ports[N_PORTS];
	const char *eal_args[NP_RUNTIME_MAX_EAL_ARGS];
	struct np_runtime_params p;
	struct np_runtime_stop_report stop;
	np_runtime *rt = NULL;
	np_pipeline *pl;
	uint64_t seeded, rx = 0, counted = 0;
	char per_lcore[256] = "";
	size_t off = 0;
	bool force_no_huge = false, huge;
	int ret, i = 1;

	if (i < argc && strcmp(argv[i], "--no-huge") == 0) {
		force_no_huge = true;
		i++;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	else if (i < argc) {
		fprintf(stderr, "usage: " PROG " [--no-huge] [-- EAL arguments]\n");
		return 1;
	}
	memset(&p, 0, sizeof(p));
	eal_args[p.n_eal_args++] = "--log-level=lib.eal:warning";
	for (; i < argc && p.n_eal_args < NP_RUNTIME_MAX_EAL_ARGS; i++)
		eal_args[p.n_eal_args++] = argv[i];

	n_cpus = allowed_cpus(cpus, sizeof(cpus) / sizeof(cpus[0]));
	if (n_cpus == 0) {
		fprintf(stderr, PROG ": cannot read the CPUs this process may run on\n");
		return 1;
	}
	/*
	 * net_ring loops TX queue q of a port back to its RX queue q, and each
	 * lcore polling a port sends on a TX queue of its own on the peer: give
	 * each port as many RX queues as the lcores that may poll its peer, so
	 * every looped packet lands on a polled queue.
	 */
	queues = (n_cpus + N_PORTS - 1) / N_PORTS;
	for (unsigned int k = 0; k < N_PORTS; k++)
		ports[k] = (struct np_runtime_port){
			.vdev = k == 0 ? "net_ring0" : "net_ring1",
			.node = NP_NODE_UNKNOWN,
			.rx_queues = (uint16_t)queues,
			.rx_desc = 1024,
			.tx_desc = 1024,
			.peer = (int)(N_PORTS - 1 - k),
			.promiscuous = false,
		};
	p.name = PROG;
	p.ports = ports;
	p.n_ports = N_PORTS;
	p.cpus = cpus;
	p.n_cpus = n_cpus;
	p.unknown_policy = NP_UNKNOWN_NEAREST_WORKER;
	p.pool_placement = NP_POOL_AT_PORT;
	p.tx_mode = NP_TX_BY_POLLER;
	p.burst = 32;
	p.cache_size = 256;
	p.data_room = RTE_MBUF_DEFAULT_BUF_SIZE;
	p.held_per_port = SEED;
	p.stages = stages;
	p.n_stages = 1;
	p.eal_args = eal_args;

	/* Hugepages if every node the plan uses has enough free (the check
	 * np_runtime_start() makes before EAL), else anonymous memory. */
	huge = !force_no_huge;
	if (huge) {
		FILE *null = fopen("/dev/null", "w");

		rt = np_runtime_create(&p);
		if (rt == NULL)
			return fail(NULL, "np_runtime_create");
		if (null == NULL) {
			fprintf(stderr, PROG ": cannot open /dev/null: %s\n", strerror(errno));
			np_runtime_destroy(rt);
			return 1;
		}
		ret = np_runtime_print_hugepages(rt, null);
		fclose(null);
		if (ret < 0) {
			fprintf(stderr, PROG ": %s: running without hugepages\n", np_last_error());
			np_runtime_destroy(rt);
			rt = NULL;
			huge = false;
		}
	}
	if (!huge) {
		p.no_huge = true;
		rt = np_runtime_create(&p);
		if (rt == NULL)
			return fail(NULL, "np_runtime_create");
	}
	if (np_runtime_start(rt) < 0)
		return fail(rt, "np_runtime_start");
	pl = np_runtime_pipeline(rt, stages, 1);
	if (pl == NULL)
		return fail(rt, "np_runtime_pipeline");
	if (seed(rt, &seeded) < 0) {
		np_runtime_destroy(rt);
		return 1;
	}
	if (np_runtime_run(rt, RUN_SECONDS) < 0)
		return fail(rt, "np_runtime_run");
	if (np_runtime_stop(rt, &stop) < 0)
		return fail(rt, "np_runtime_stop");

	for (unsigned int k = 0; k < N_PORTS; k++)
		rx += np_pipeline_port_stat(pl, k, NP_PORT_RX);
	for (unsigned int l = 0; l < np_pipeline_lcore_count(pl); l++) {
		const struct count_ctx *c = np_pipeline_stage_ctx(pl, l, 0);
		int n;

		if (c == NULL) {
			fprintf(stderr, PROG ": worker %u has no context for stage " STAGE "\n", l);
			np_runtime_destroy(rt);
			return 1;
		}
		counted += c->packets;
		n = snprintf(per_lcore + off, sizeof(per_lcore) - off, "%slcore %u: %" PRIu64,
			     off ? ", " : "", c->lcore, c->packets);
		if (n > 0 && (size_t)n < sizeof(per_lcore) - off)
			off += (size_t)n;
	}
	ret = 0;
	if (rx == 0) {
		fprintf(stderr, PROG ": no packet was received in %.1f s\n", RUN_SECONDS);
		ret = 1;
	}
	if (counted != rx) {
		fprintf(stderr, PROG ": the stage counted %" PRIu64 " packets (%s), the pipeline "
			"received %" PRIu64 "\n", counted, per_lcore, rx);
		ret = 1;
	}
	/* Closed loops: every seeded packet is in flight at stop or dropped. */
	if (seeded != stop.drain.total + np_pipeline_drops_total(pl)) {
		fprintf(stderr, PROG ": %" PRIu64 " packets seeded, but %" PRIu64 " in flight at "
			"stop + %" PRIu64 " dropped\n", seeded, stop.drain.total,
			np_pipeline_drops_total(pl));
		ret = 1;
	}
	if (stop.not_back != 0 || stop.n_pools == 0) {
		fprintf(stderr, PROG ": %" PRIu64 " mbufs not back in %u pools\n", stop.not_back,
			stop.n_pools);
		ret = 1;
	}
	if (ret == 0)
		printf(PROG ": %u lcore%s, %u net_ring ports, %s: rx %" PRIu64 " in %.2f s, the "
		       "stage counted %" PRIu64 " (%s), %" PRIu64 " seeded = %" PRIu64 " in flight "
		       "at stop + %" PRIu64 " dropped, every mbuf back in %u pool%s\n",
		       np_pipeline_lcore_count(pl), np_pipeline_lcore_count(pl) == 1 ? "" : "s",
		       N_PORTS, huge ? "hugepages" : "no_huge", rx,
		       np_pipeline_seconds(pl), counted, per_lcore, seeded, stop.drain.total,
		       np_pipeline_drops_total(pl), stop.n_pools, stop.n_pools == 1 ? "" : "s");
	np_runtime_destroy(rt);
	return ret;
}
