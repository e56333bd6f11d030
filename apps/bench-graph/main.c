/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench-graph: numaperf's pipeline against DPDK's rte_graph as the stage
 * engine, on the same forwarding job in one process: a net_null pair
 * (size=64, copy=0), one forwarding lcore polling both ports, MAC swap,
 * burst 32, TX on the peer port. The runtime brings everything up once
 * (np_runtime: EAL starts once per process); the engines then take turns on
 * the same ports and queues, in alternating rounds:
 *
 *   np             np_pipeline with one stage doing the swap (engine_np.c)
 *   graph          rte_graph, rx -> swap -> tx nodes per port, walked as
 *                  Debian builds DPDK (graph statistics on: engine_graph.c)
 *   graph-nostats  the same graph, its walk compiled without statistics
 *                  (graph_walk_nostats.c)
 *   bare           testpmd's macswap loop with nothing around it: RX, swap,
 *                  TX on the peer, per port (engine_bare.c): the floor
 *                  numaperf's own cost is read against (on request)
 *
 * Every engine runs the same swap code (bench_graph.h) and count what the
 * ports' TX queues accepted. Each run is timed by the TSC, after a warm-up
 * run of the same engine; the forwarding thread's CPU time is taken too, so
 * a shared machine's figures can be read per CPU-second. A benchmark: it
 * asserts nothing about speed. It fails (exit 1) if an engine forwards
 * nothing, if the swap is wrong, or if mbufs are not back in their pool at
 * the end.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "bench_figures.h"
#include "bench_graph.h"
#include "np_runtime.h"

#define PROG "bench-graph"
#define MAX_ROUNDS BENCH_MAX_ROUNDS

/*
 * np-latency is the same pipeline with per-packet latency recording resumed
 * (np_pipeline_latency_record()): recording's cost, measured side by side in
 * one process, on the same ports and memory.
 */
enum engine { ENGINE_NP, ENGINE_GRAPH, ENGINE_GRAPH_NOSTATS, ENGINE_NP_LATENCY, ENGINE_BARE,
	      ENGINE_N };
static const char *const engine_names[ENGINE_N] = { "np", "graph", "graph-nostats",
						    "np-latency", "bare" };

struct opts {
	unsigned int rounds;
	unsigned int seconds;
	unsigned int warmup;
	unsigned int lcore;
	unsigned int slice_ms;
	bool no_huge;
	bool engine[ENGINE_N];
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--rounds N] [--seconds S] [--warmup W] [--quick]\n"
		"                   [--engines LIST] [--slice MS] [--lcore N] [--no-huge]\n"
		"  --rounds N      rounds, each engine once per round (default 5, at most %d)\n"
		"  --seconds S     measured seconds per run (default 5)\n"
		"  --warmup W      seconds each engine runs, uncounted, before each of its runs "
		"(default 1)\n"
		"  --quick         a smoke run: 1 round of 1 s, no warm-up\n"
		"  --engines LIST  some of np,graph,graph-nostats,np-latency,bare\n"
		"                  (default np,graph,graph-nostats,np-latency)\n"
		"  --slice MS      a round's S seconds per engine are run in slices of MS ms,\n"
		"                  the engines taking turns slice by slice, so that both see\n"
		"                  the same machine load (default 100; 0: one run each)\n"
		"  --lcore N       the forwarding CPU (default 1)\n"
		"  --no-huge       EAL without hugepages\n"
		"Exit status: 0 figures printed, 1 a run failed (bring-up, an engine that\n"
		"forwarded nothing, mbufs not back in their pool), 2 bad arguments.\n",
		MAX_ROUNDS);
}

static int
parse_uint(const char *opt, const char *s, unsigned int lo, unsigned int hi, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || v < lo || v > hi) {
		fprintf(stderr, PROG ": %s needs an integer in %u-%u, not '%s'\n", opt, lo, hi, s);
		return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

static int
parse_engines(const char *s, bool *engine)
{
	char buf[128], *save = NULL;
	unsigned int n = 0;

	if (strlen(s) >= sizeof(buf))
		goto bad;
	snprintf(buf, sizeof(buf), "%s", s);
	memset(engine, 0, ENGINE_N * sizeof(*engine));
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		unsigned int e;

		for (e = 0; e < ENGINE_N && strcmp(t, engine_names[e]) != 0; e++)
			;
		if (e == ENGINE_N)
			goto bad;
		engine[e] = true;
		n++;
	}
	if (n > 0)
		return 0;
bad:
	fprintf(stderr, PROG ": --engines takes some of np,graph,graph-nostats,np-latency,bare, not '%s'\n", s);
	return -1;
}

/* 0 to go on, 1 for --help, -1 on a usage error. */
static int
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lopts[] = {
		{ "rounds", required_argument, NULL, 'r' },
		{ "seconds", required_argument, NULL, 's' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "quick", no_argument, NULL, 'q' },
		{ "engines", required_argument, NULL, 'e' },
		{ "lcore", required_argument, NULL, 'l' },
		{ "slice", required_argument, NULL, 'S' },
		{ "no-huge", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct opts){ .rounds = 5, .seconds = 5, .warmup = 1, .lcore = 1, .slice_ms = 100,
			    .engine = { true, true, true, true } };
	while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		int ret = 0;

		switch (c) {
		case 'r': ret = parse_uint("--rounds", optarg, 1, MAX_ROUNDS, &o->rounds); break;
		case 's': ret = parse_uint("--seconds", optarg, 1, 3600, &o->seconds); break;
		case 'w': ret = parse_uint("--warmup", optarg, 0, 3600, &o->warmup); break;
		case 'q': o->rounds = 1; o->seconds = 1; o->warmup = 0; break;
		case 'e': ret = parse_engines(optarg, o->engine); break;
		case 'l': ret = parse_uint("--lcore", optarg, 0, RTE_MAX_LCORE - 1, &o->lcore); break;
		case 'S': ret = parse_uint("--slice", optarg, 0, 3600000, &o->slice_ms); break;
		case 'H': o->no_huge = true; break;
		case 'h': usage(stdout); return 1;
		default: usage(stderr); return -1;
		}
		if (ret < 0)
			return -1;
	}
	if (optind < argc) {
		fprintf(stderr, PROG ": unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return -1;
	}
	return 0;
}

/* Everything the rounds share. */
struct bench {
	struct opts o;
	np_runtime *rt;
	np_pipeline *pl;
	unsigned int n_ports;
	struct bench_port ports[BENCH_MAX_PORTS];
	struct bench_tx_count *counts;   /* the graph's, on the lcore's socket */
};

static uint64_t
np_tx(const struct bench *b)
{
	uint64_t sum = 0;

	for (unsigned int p = 0; p < b->n_ports; p++)
		sum += np_pipeline_port_stat(b->pl, p, NP_PORT_TX);
	return sum;
}

static uint64_t
graph_tx(const struct bench *b)
{
	uint64_t sum = 0;

	for (unsigned int p = 0; p < b->n_ports; p++)
		sum += b->counts[p].sent;
	return sum;
}

/* One run of @p e for @p seconds, added to @p out (none: a warm-up). */
static int
run(struct bench *b, enum engine e, double seconds, struct bench_run *out)
{
	uint64_t cpu0 = bench_thread_ns(), pk0, t0, t1;
	double secs;

	if (e == ENGINE_NP || e == ENGINE_NP_LATENCY) {
		if (np_pipeline_latency_record(b->pl, e == ENGINE_NP_LATENCY) < 0) {
			fprintf(stderr, PROG ": %s\n", np_last_error());
			return -1;
		}
		pk0 = np_tx(b);
		if (np_runtime_run(b->rt, seconds) < 0) {
			fprintf(stderr, PROG ": the pipeline did not run: %s\n", np_last_error());
			return -1;
		}
		secs = np_pipeline_seconds(b->pl);
		pk0 = np_tx(b) - pk0;
	} else {
		uint64_t hz = rte_get_tsc_hz();

		pk0 = graph_tx(b);
		t0 = rte_rdtsc();
		uint64_t end = t0 + (uint64_t)(seconds * (double)hz);

		if (e == ENGINE_GRAPH)
			bench_graph_walk_stats(bench_graph_get(), end, b->pl);
		else if (e == ENGINE_GRAPH_NOSTATS)
			bench_graph_walk_nostats(bench_graph_get(), end, b->pl);
		else
			bench_bare_loop(b->ports, b->n_ports, 32, b->counts, end, b->pl);
		t1 = rte_rdtsc();
		secs = (double)(t1 - t0) / (double)hz;
		pk0 = graph_tx(b) - pk0;
	}
	if (out != NULL) {
		out->packets += pk0;
		out->seconds += secs;
		out->cpu_seconds += (double)(bench_thread_ns() - cpu0) / 1e9;
	}
	return 0;
}

/*
 * The swap both engines run, on a real mbuf of the pool: a figure from code
 * that does not swap would be no figure.
 */
static int
check_swap(const struct bench *b)
{
	static const struct rte_ether_addr d = { { 0x02, 0, 0, 0, 0, 0x01 } };
	static const struct rte_ether_addr s = { { 0x02, 0, 0, 0, 0, 0x02 } };
	struct rte_mempool *mp = np_runtime_rxq_pool(b->rt, 0, 0);
	struct rte_mbuf *m = mp ? rte_pktmbuf_alloc(mp) : NULL;
	struct rte_ether_hdr *eth;
	bool ok;

	if (m == NULL || rte_pktmbuf_append(m, RTE_ETHER_MIN_LEN) == NULL) {
		fprintf(stderr, PROG ": no mbuf to check the swap with\n");
		rte_pktmbuf_free(m);
		return -1;
	}
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	eth->dst_addr = d;
	eth->src_addr = s;
	eth->ether_type = rte_cpu_to_be_16(0x88b5);
	bench_swap_burst(&m, 1);
	ok = rte_is_same_ether_addr(&eth->dst_addr, &s) &&
	     rte_is_same_ether_addr(&eth->src_addr, &d) &&
	     eth->ether_type == rte_cpu_to_be_16(0x88b5);
	rte_pktmbuf_free(m);
	if (!ok)
		fprintf(stderr, PROG ": the MAC swap is wrong: refusing to measure it\n");
	return ok ? 0 : -1;
}

static int
bring_up(struct bench *b)
{
	static const char *const stages[] = { BENCH_STAGE };
	static const char *const eal_args[] = { "--log-level=lib.eal:warning" };
	struct np_runtime_port ports[BENCH_MAX_PORTS];
	const np_plan *plan;
	struct np_plan_lcore lc;
	unsigned int cpus[1] = { b->o.lcore };
	struct np_runtime_params p;
	int socket;

	b->n_ports = BENCH_MAX_PORTS;
	for (unsigned int i = 0; i < b->n_ports; i++)
		ports[i] = (struct np_runtime_port){
			.vdev = i == 0 ? "net_null0,size=64,copy=0" : "net_null1,size=64,copy=0",
			.node = NP_NODE_UNKNOWN, .rx_queues = 1, .rx_desc = 1024,
			.tx_desc = 1024, .peer = (int)(i ^ 1), .promiscuous = false,
		};
	p = (struct np_runtime_params){
		.name = PROG, .ports = ports, .n_ports = b->n_ports, .cpus = cpus, .n_cpus = 1,
		.burst = 32, .tx_drain_us = 0, .cache_size = 256, .data_room = 2176,
		.stages = stages, .n_stages = 1, .no_huge = b->o.no_huge,
		.eal_args = eal_args, .n_eal_args = 1,
		/* Paused for np, resumed for np-latency (np_pipeline_latency_record()). */
		.latency = true,
	};
	b->rt = np_runtime_create(&p);
	if (b->rt == NULL || np_runtime_start(b->rt) < 0) {
		int err = errno;
		const char *param = np_last_error_param();

		/* The runtime names its parameter: say which option set it. */
		fprintf(stderr, PROG ": %s%s%s\n",
			strncmp(param, "workers", 7) == 0 ? "--lcore: " : "", np_last_error(),
			err == ENOMEM && !b->o.no_huge ? " (or run without hugepages: --no-huge)"
						       : "");
		return -1;
	}
	b->pl = np_runtime_pipeline(b->rt, stages, 1);
	if (b->pl == NULL || np_runtime_handle_signals(b->rt) < 0) {
		fprintf(stderr, PROG ": %s\n", np_last_error());
		return -1;
	}
	/* The graph polls and sends on the queues the plan gave the lcore. */
	plan = np_runtime_plan(b->rt);
	for (unsigned int i = 0; i < np_plan_rxq_count(plan); i++) {
		struct np_plan_rxq q;
		struct np_plan_port_info pi;

		np_plan_rxq(plan, i, &q);
		np_plan_port(plan, q.port, &pi);
		b->ports[q.port] = (struct bench_port){
			.port_id = (uint16_t)np_runtime_port_id(b->rt, q.port), .rxq = q.queue,
			.txq = (uint16_t)np_plan_lcore_txq(plan, b->o.lcore, q.port),
			.peer = (uint16_t)pi.peer,
		};
	}
	/* The graph's memory where the pipeline puts the lcore's context. */
	np_plan_lcore(plan, 0, &lc);
	socket = np_runtime_socket(b->rt, lc.mem_node);
	b->counts = rte_zmalloc_socket("bench-graph tx counts",
				       b->n_ports * sizeof(*b->counts), RTE_CACHE_LINE_SIZE,
				       socket);
	if (b->counts == NULL) {
		fprintf(stderr, PROG ": no memory for the graph's counters on socket %d\n",
			socket);
		return -1;
	}
	if (check_swap(b) < 0)
		return -1;
	return bench_graph_setup(b->ports, b->n_ports, 32, socket, b->counts) < 0 ? -1 : 0;
}

static void
print_ratio(const char *name, const double *a, const double *b, const double *an,
	    const double *bn, unsigned int n)
{
	double r[MAX_ROUNDS], rn[MAX_ROUNDS], m[3], mn[3];

	for (unsigned int i = 0; i < n; i++) {
		r[i] = b[i] > 0 ? a[i] / b[i] : 0;
		rn[i] = bn[i] > 0 ? an[i] / bn[i] : 0;
	}
	bench_stats3(r, n, m);
	bench_stats3(rn, n, mn);
	printf("  %-20s median %.3f (%.3f-%.3f), per cpu %.3f (%.3f-%.3f)\n", name, m[0], m[1],
	       m[2], mn[0], mn[1], mn[2]);
}

static int
measure(struct bench *b)
{
	static double mpps[ENGINE_N][MAX_ROUNDS], percpu[ENGINE_N][MAX_ROUNDS];
	const struct opts *o = &b->o;
	unsigned int done = 0;

	printf(PROG ": %u round(s) of", o->rounds);
	for (unsigned int e = 0; e < ENGINE_N; e++)
		if (o->engine[e])
			printf(" %s", engine_names[e]);
	printf(", %u s measured per engine and round", o->seconds);
	if (o->slice_ms)
		printf(" in turns of %u ms", o->slice_ms);
	printf(" after %u s of warm-up, forwarding on lcore %u, net_null pair (size=64, "
	       "copy=0), burst 32, MAC swap, %s\n", o->warmup, o->lcore,
	       o->no_huge ? "--no-huge" : "hugepages");
	printf("counted: packets the ports' TX queues accepted (np: the pipeline's TX counter; "
	       "graph: the TX node's), over the run's TSC time; cpu = the forwarding thread's "
	       "CPU time / that time; Mpps/cpu = Mpps / cpu\n");
	fflush(stdout);
	for (unsigned int r = 0; r < o->rounds && !np_pipeline_stopping(b->pl); r++) {
		struct bench_run br[ENGINE_N];
		double slice = o->slice_ms ? o->slice_ms / 1e3 : o->seconds;
		unsigned int n_slices = (unsigned int)(o->seconds / slice + 0.5);

		memset(br, 0, sizeof(br));
		for (unsigned int e = 0; e < ENGINE_N; e++)
			if (o->engine[e] && o->warmup > 0 && run(b, e, o->warmup, NULL) < 0)
				return -1;
		/* The engines take turns slice by slice: each sees the same load. */
		for (unsigned int t = 0; t < (n_slices ? n_slices : 1); t++)
			for (unsigned int e = 0; e < ENGINE_N; e++)
				if (o->engine[e] && !np_pipeline_stopping(b->pl) &&
				    run(b, e, slice, &br[e]) < 0)
					return -1;
		if (np_pipeline_stopping(b->pl))
			break;
		for (unsigned int e = 0; e < ENGINE_N; e++) {
			double cpu;

			if (!o->engine[e])
				continue;
			if (br[e].packets == 0) {
				fprintf(stderr, PROG ": engine %s forwarded nothing in round %u\n",
					engine_names[e], r + 1);
				return -1;
			}
			cpu = br[e].cpu_seconds / br[e].seconds;
			mpps[e][r] = (double)br[e].packets / br[e].seconds / 1e6;
			percpu[e][r] = cpu > 0 ? mpps[e][r] / cpu : 0;
			printf("round %u %-13s %8.3f Mpps  cpu %5.1f%%  %8.3f Mpps/cpu  (%.2f s)\n",
			       r + 1, engine_names[e], mpps[e][r], 100 * cpu, percpu[e][r],
			       br[e].seconds);
		}
		fflush(stdout);
		done++;
	}
	if (done == 0) {
		fprintf(stderr, PROG ": stopped before a round completed\n");
		return -1;
	}
	printf("medians over %u round(s) (min-max):\n", done);
	for (unsigned int e = 0; e < ENGINE_N; e++) {
		double m[3], mn[3];

		if (!o->engine[e])
			continue;
		bench_stats3(mpps[e], done, m);
		bench_stats3(percpu[e], done, mn);
		printf("  %-13s %8.3f Mpps (%.3f-%.3f)   %8.3f Mpps/cpu (%.3f-%.3f)\n",
		       engine_names[e], m[0], m[1], m[2], mn[0], mn[1], mn[2]);
	}
	if (o->engine[ENGINE_NP]) {
		printf("ratios to np (median of the per-round ratios, min-max):\n");
		for (unsigned int e = ENGINE_GRAPH; e < ENGINE_N; e++) {
			char name[32];

			if (!o->engine[e] || e == ENGINE_BARE)
				continue;
			snprintf(name, sizeof(name), "%s/np", engine_names[e]);
			print_ratio(name, mpps[e], mpps[ENGINE_NP], percpu[e], percpu[ENGINE_NP],
				    done);
		}
		/* The pipeline against the floor: the runtime's own cost. */
		if (o->engine[ENGINE_BARE])
			print_ratio("np/bare", mpps[ENGINE_NP], mpps[ENGINE_BARE],
				    percpu[ENGINE_NP], percpu[ENGINE_BARE], done);
	}
	return 0;
}

/* Drops, refusals and the mbuf check: 0, or -1 if anything went missing. */
static int
finish(struct bench *b)
{
	struct np_runtime_stop_report rep;
	uint64_t refused = 0;
	int ret = 0;

	bench_graph_teardown();
	for (unsigned int p = 0; b->counts != NULL && p < b->n_ports; p++)
		refused += b->counts[p].refused;
	printf("graph: %" PRIu64 " packets refused by TX queues (freed); np: %" PRIu64
	       " dropped\n", refused, np_pipeline_drops_total(b->pl));
	if (np_runtime_stop(b->rt, &rep) < 0) {
		fprintf(stderr, PROG ": %s\n", np_last_error());
		ret = -1;
	}
	for (unsigned int i = 0; i < rep.n_pools; i++)
		printf("pool %s: %u of %u mbufs not back%s\n", rep.pools[i].name,
		       rep.pools[i].in_use, rep.pools[i].size,
		       rep.pools[i].in_use ? " (ERROR)" : "");
	return ret;
}

int
main(int argc, char **argv)
{
	struct bench b = { 0 };
	int ret = parse_args(argc, argv, &b.o);

	if (ret != 0)
		return ret > 0 ? 0 : 2;
	ret = bring_up(&b) < 0 || measure(&b) < 0;
	if (b.pl != NULL && finish(&b) < 0)
		ret = 1;
	if (np_pipeline_stopping(b.pl)) {
		fprintf(stderr, PROG ": interrupted\n");
		ret = 1;
	}
	bench_graph_teardown();
	rte_free(b.counts);
	np_runtime_destroy(b.rt);
	if (fflush(stdout) != 0 || ferror(stdout))
		ret = 1;
	return ret;
}
