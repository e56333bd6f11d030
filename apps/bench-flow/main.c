/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench-flow: the figures behind framework/exec and framework/flow, each
 * side by side with what it is built on, in one run:
 *
 *  - executor handoff at burst 32: np_exec_submit_burst() + np_exec_poll()
 *    (mbufs to the handler) against a bare rte_ring_enqueue_burst() +
 *    rte_ring_dequeue_burst() of the same pointers on a ring of the same
 *    kind, both on one lcore: the executor's own cost per item (counters,
 *    the handler call, the empty function ring it also checks). Functions
 *    (np_exec_submit_fns + poll running them) are shown against the same
 *    bare ring. Target: mbuf handoff <= 1.2x the bare ring.
 *  - flow lookup in bursts of 32 over a table of 1M entries (all hits, in
 *    random order): np_flow_lookup_burst() against rte_hash_lookup_bulk_data()
 *    on a bare rte_hash of the same size, flags and keys. Target: >= 0.95x
 *    its throughput.
 *  - 2 lcores adding distinct flows (np_flow_add_burst, 32 at a time) into
 *    one shared table against each into its own table (one per node: on a
 *    one-node machine both are on node 0, so what differs is only the
 *    write lock and the lines the writers share).
 *
 * Each figure is ns per item: the median of --rounds rounds with the
 * contenders alternating within each round, with min-max, and the ratio of
 * the medians. A benchmark, not a test: nothing about time is asserted
 * (the work is checked, so a broken path cannot print a figure). Run it on
 * an idle machine.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_random.h>
#include <rte_ring.h>

#include "bench_figures.h"
#include "np_exec_worker.h"
#include "np_flow_worker.h"
#include "np_runtime.h"

#define MAX_ROUNDS BENCH_MAX_ROUNDS
#define BURST 32

struct opts {
	unsigned int rounds;
	bool quick;
	bool no_huge;
	/* sizes, from --quick */
	uint64_t handoff_bursts;
	uint32_t flows;            /* entries in the lookup tables */
	uint32_t capacity;         /* their capacity */
	uint32_t writer_keys;      /* flows each writer adds per round */
};

/* ---- figures ---------------------------------------------------------------- */

static void
row(const char *name, const double *v, unsigned int n)
{
	char b[64];

	printf("  %-52s %s\n", name, bench_spread(v, n, b, sizeof(b)));
}

/*
 * The median of the per-round ratios a[i] / b[i], with min-max, into @p m
 * and as "R (min-max)" into @p buf: each round's contenders ran back to
 * back, so a round's ratio is measured under one machine load (the figure
 * the targets are read on; the ratio of the medians mixes rounds).
 */
static void
paired(const double *a, const double *b, unsigned int n, char *buf, size_t len, double m[3])
{
	double r[MAX_ROUNDS];

	for (unsigned int i = 0; i < n; i++)
		r[i] = b[i] > 0 ? a[i] / b[i] : 0;
	bench_stats3(r, n, m);
	snprintf(buf, len, "%.3fx (%.3f-%.3f)", m[0], m[1], m[2]);
}

static void
die(const char *what)
{
	fprintf(stderr, "bench-flow: %s: %s\n", what, np_last_error()[0] ? np_last_error() :
		rte_strerror(rte_errno));
	exit(1);
}

/* ---- executor handoff -------------------------------------------------------- */

static uint64_t handled;

static void
count_handler(void *ctx, unsigned int lcore, struct rte_mbuf **m, uint16_t n)
{
	(void)ctx;
	(void)lcore;
	(void)m;
	handled += n;   /* the mbufs stay the benchmark's: the same 32 go round */
}

static uint64_t fns_run;

static void
count_fn(void *arg, unsigned int lcore)
{
	(void)lcore;
	fns_run += (uintptr_t)arg;
}

/* ns per item of np_exec_submit_burst + np_exec_poll. */
static double
handoff_exec(np_executor *e, int node, struct rte_mbuf **m, uint64_t bursts)
{
	unsigned int lcore = rte_lcore_id();
	uint64_t t0, before = handled;

	t0 = bench_thread_ns();
	for (uint64_t i = 0; i < bursts; i++) {
		np_exec_submit_burst(e, lcore, node, m, BURST);
		np_exec_poll(e, node, lcore, BURST);
	}
	t0 = bench_thread_ns() - t0;
	if (handled - before != bursts * BURST) {
		fprintf(stderr, "bench-flow: the executor delivered %" PRIu64 " of %" PRIu64 " mbufs\n",
			handled - before, bursts * BURST);
		exit(1);
	}
	return (double)t0 / (double)(bursts * BURST);
}

static double
handoff_exec_fns(np_executor *e, int node, uint64_t bursts)
{
	unsigned int lcore = rte_lcore_id();
	struct np_exec_item it[BURST];
	uint64_t t0, before = fns_run;

	for (unsigned int i = 0; i < BURST; i++)
		it[i] = (struct np_exec_item){ count_fn, (void *)(uintptr_t)1 };
	t0 = bench_thread_ns();
	for (uint64_t i = 0; i < bursts; i++) {
		np_exec_submit_fns(e, lcore, node, it, BURST);
		np_exec_poll(e, node, lcore, BURST);
	}
	t0 = bench_thread_ns() - t0;
	if (fns_run - before != bursts * BURST) {
		fprintf(stderr, "bench-flow: the executor ran %" PRIu64 " of %" PRIu64 " functions\n",
			fns_run - before, bursts * BURST);
		exit(1);
	}
	return (double)t0 / (double)(bursts * BURST);
}

/* ns per item of a bare rte_ring enqueue_burst + dequeue_burst of the same pointers. */
static double
handoff_ring(struct rte_ring *r, struct rte_mbuf **m, uint64_t bursts)
{
	void *out[BURST];
	uint64_t t0, moved = 0;

	t0 = bench_thread_ns();
	for (uint64_t i = 0; i < bursts; i++) {
		rte_ring_enqueue_burst(r, (void **)m, BURST, NULL);
		moved += rte_ring_dequeue_burst(r, out, BURST, NULL);
	}
	t0 = bench_thread_ns() - t0;
	if (moved != bursts * BURST || out[BURST - 1] != m[BURST - 1]) {
		fprintf(stderr, "bench-flow: the bare ring moved %" PRIu64 " of %" PRIu64 "\n", moved,
			bursts * BURST);
		exit(1);
	}
	return (double)t0 / (double)(bursts * BURST);
}

static void
bench_handoff(const struct opts *o)
{
	int node = (int)rte_socket_id();
	const int nodes[1] = { node };
	struct np_exec_params p = {
		.name = "bench", .nodes = nodes, .n_nodes = 1, .mbuf_ring_size = 1024,
		.fn_ring_size = 1024, .handler = count_handler,
	};
	struct rte_mempool *pool;
	struct rte_mbuf *m[BURST];
	struct rte_ring *r;
	np_executor *e;
	double ex[MAX_ROUNDS], exf[MAX_ROUNDS], bare[MAX_ROUNDS];

	e = np_exec_create(&p);
	if (e == NULL)
		die("np_exec_create");
	/* The executor's rings are MP/MC with an exact size: the bare ring is the same kind. */
	r = rte_ring_create("bench_bare", 1024, node, RING_F_EXACT_SZ);
	pool = rte_pktmbuf_pool_create("bench_pool", 255, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, node);
	if (r == NULL || pool == NULL || rte_pktmbuf_alloc_bulk(pool, m, BURST) != 0)
		die("ring or mbufs");
	/* Warm up both paths. */
	handoff_exec(e, node, m, o->handoff_bursts / 10 + 1);
	handoff_ring(r, m, o->handoff_bursts / 10 + 1);
	for (unsigned int i = 0; i < o->rounds; i++) {
		if (i % 2 == 0) {
			ex[i] = handoff_exec(e, node, m, o->handoff_bursts);
			bare[i] = handoff_ring(r, m, o->handoff_bursts);
		} else {
			bare[i] = handoff_ring(r, m, o->handoff_bursts);
			ex[i] = handoff_exec(e, node, m, o->handoff_bursts);
		}
		exf[i] = handoff_exec_fns(e, node, o->handoff_bursts);
	}
	printf("executor handoff, burst %d, one lcore: ns per item (thread CPU time), "
	       "%" PRIu64 " bursts per round,\nmedian (min-max) of %u rounds\n", BURST,
	       o->handoff_bursts, o->rounds);
	row("bare rte_ring enqueue_burst + dequeue_burst (pointers)", bare, o->rounds);
	row("np_exec_submit_burst + np_exec_poll (mbufs)", ex, o->rounds);
	row("np_exec_submit_fns + np_exec_poll (functions, run)", exf, o->rounds);
	{
		char b1[64];
		double r[3];

		paired(ex, bare, o->rounds, b1, sizeof(b1), r);
		printf("  ratio mbuf handoff / bare ring: %s per round (target <= 1.20x: %s); "
		       "of the medians %.2fx; functions / bare: %.2fx\n\n", b1,
		       r[0] <= 1.20 ? "met" : "NOT met",
		       bench_median(ex, o->rounds) / bench_median(bare, o->rounds),
		       bench_median(exf, o->rounds) / bench_median(bare, o->rounds));
	}
	rte_pktmbuf_free_bulk(m, BURST);
	rte_mempool_free(pool);
	rte_ring_free(r);
	np_exec_destroy(e);
}

/* ---- flow lookup --------------------------------------------------------------- */

static void
key_of(struct np_flow_key *k, uint32_t i)
{
	memset(k, 0, sizeof(*k));
	k->family = 4;
	k->proto = 17;
	memcpy(k->src, &i, sizeof(i));
	k->dst[0] = 10;
	k->dst[3] = (uint8_t)(i >> 24);
	k->sport = (uint16_t)(i * 2654435761u >> 16);
	k->dport = 4789;
}

static double
lookup_np(np_flow_table *t, const struct np_flow_key **kp, uint32_t n)
{
	unsigned int lcore = rte_lcore_id();
	void *states[BURST];
	uint64_t t0, hits = 0, mask;

	t0 = bench_thread_ns();
	for (uint32_t i = 0; i + BURST <= n; i += BURST)
		hits += np_flow_lookup_burst(t, lcore, kp + i, BURST, &mask, states);
	t0 = bench_thread_ns() - t0;
	if (hits != n / BURST * BURST) {
		fprintf(stderr, "bench-flow: np_flow_lookup_burst found %" PRIu64 " of %u\n", hits,
			n / BURST * BURST);
		exit(1);
	}
	return (double)t0 / (double)(n / BURST * BURST);
}

static double
lookup_bare(struct rte_hash *h, const struct np_flow_key **kp, uint32_t n)
{
	void *data[BURST];
	uint64_t t0, hits = 0, mask;

	t0 = bench_thread_ns();
	for (uint32_t i = 0; i + BURST <= n; i += BURST)
		hits += (uint64_t)rte_hash_lookup_bulk_data(h, (const void **)(uintptr_t)(kp + i), BURST,
							    &mask, data);
	t0 = bench_thread_ns() - t0;
	if (hits != n / BURST * BURST) {
		fprintf(stderr, "bench-flow: rte_hash_lookup_bulk_data found %" PRIu64 " of %u\n",
			hits, n / BURST * BURST);
		exit(1);
	}
	return (double)t0 / (double)(n / BURST * BURST);
}

static void
bench_lookup(const struct opts *o)
{
	int socket = (int)rte_socket_id();
	struct np_flow_table_params p = {
		.name = "bench", .node = socket, .socket = socket, .capacity = o->capacity,
		.state_size = 48,
	};
	struct rte_hash_parameters hp = {
		.name = "bench_bare", .entries = o->capacity, .key_len = sizeof(struct np_flow_key),
		.hash_func = rte_hash_crc, .socket_id = socket,
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF | RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};
	struct np_flow_key *keys = malloc((size_t)o->flows * sizeof(*keys));
	const struct np_flow_key **kp = malloc((size_t)o->flows * sizeof(*kp));
	double np[MAX_ROUNDS], bare[MAX_ROUNDS];
	np_flow_table *t;
	struct rte_hash *h;

	if (keys == NULL || kp == NULL) {
		fprintf(stderr, "bench-flow: out of memory for %u keys\n", o->flows);
		exit(1);
	}
	t = np_flow_table_create(&p);
	if (t == NULL)
		die("np_flow_table_create");
	h = rte_hash_create(&hp);
	if (h == NULL)
		die("rte_hash_create");
	for (uint32_t i = 0; i < o->flows; i += BURST) {
		const struct np_flow_key *b[BURST];
		void *st[BURST];
		unsigned int n = o->flows - i < BURST ? o->flows - i : BURST;

		for (unsigned int j = 0; j < n; j++) {
			key_of(&keys[i + j], i + j);
			b[j] = &keys[i + j];
			/* The bare table's data: a pointer, as np's states are. */
			if (rte_hash_add_key_data(h, &keys[i + j], &keys[i + j]) != 0)
				die("rte_hash_add_key_data");
		}
		if (np_flow_add_burst(t, rte_lcore_id(), b, n, 0, st, NULL) != (int)n)
			die("np_flow_add_burst");
	}
	/* Look up in random order: every burst misses the caches like real traffic. */
	for (uint32_t i = 0; i < o->flows; i++)
		kp[i] = &keys[i];
	for (uint32_t i = o->flows - 1; i > 0; i--) {
		uint32_t j = (uint32_t)rte_rand_max(i + 1);
		const struct np_flow_key *x = kp[i];

		kp[i] = kp[j];
		kp[j] = x;
	}
	lookup_np(t, kp, o->flows);
	lookup_bare(h, kp, o->flows);
	for (unsigned int i = 0; i < o->rounds; i++) {
		if (i % 2 == 0) {
			np[i] = lookup_np(t, kp, o->flows);
			bare[i] = lookup_bare(h, kp, o->flows);
		} else {
			bare[i] = lookup_bare(h, kp, o->flows);
			np[i] = lookup_np(t, kp, o->flows);
		}
	}
	printf("flow lookup, bursts of %d over %u entries (capacity %u, all hits, random order):\n"
	       "ns per key (thread CPU time), median (min-max) of %u rounds\n", BURST, o->flows,
	       o->capacity, o->rounds);
	row("bare rte_hash_lookup_bulk_data", bare, o->rounds);
	row("np_flow_lookup_burst", np, o->rounds);
	{
		char b1[64];
		double r[3];

		paired(bare, np, o->rounds, b1, sizeof(b1), r);
		printf("  throughput np / bare: %s per round (target >= 0.95x: %s); of the "
		       "medians %.3fx\n\n", b1, r[0] >= 0.95 ? "met" : "NOT met",
		       bench_median(bare, o->rounds) / bench_median(np, o->rounds));
	}
	rte_hash_free(h);
	np_flow_table_destroy(t);
	free(kp);
	free(keys);
}

/* ---- writers: one shared table vs one table each -------------------------------- */

struct writer {
	np_flow_table *t;
	uint32_t first;
	uint32_t n;
	atomic_uint *ready;
	atomic_uint *go;
	uint64_t wall;
	int added;
};

static int
write_flows(void *arg)
{
	struct writer *w = arg;
	unsigned int lcore = rte_lcore_id();
	struct np_flow_key keys[BURST];
	const struct np_flow_key *kp[BURST];
	void *st[BURST];
	uint64_t t0;

	for (unsigned int j = 0; j < BURST; j++)
		kp[j] = &keys[j];
	atomic_fetch_add(w->ready, 1);
	while (atomic_load(w->go) == 0)
		;
	t0 = bench_wall_ns();
	w->added = 0;
	for (uint32_t i = 0; i < w->n; i += BURST) {
		unsigned int n = w->n - i < BURST ? w->n - i : BURST;
		int got;

		for (unsigned int j = 0; j < n; j++)
			key_of(&keys[j], w->first + i + j);
		got = np_flow_add_burst(w->t, lcore, kp, n, i, st, NULL);
		w->added += got > 0 ? got : 0;
	}
	w->wall = bench_wall_ns() - t0;
	return 0;
}

/* ns per add per writer (mean of the two), both writing at once; < 0 if not 2 lcores. */
static double
writers(const struct opts *o, bool shared, unsigned int worker)
{
	int socket = (int)rte_socket_id();
	struct np_flow_table_params p = {
		.name = "bench-w", .node = socket, .socket = socket, .state_size = 48,
	};
	np_flow_table *t[2];
	atomic_uint ready = 0, go = 0;
	struct writer w[2];
	double ns;

	p.capacity = shared ? 2 * o->writer_keys : o->writer_keys;
	t[0] = np_flow_table_create(&p);
	t[1] = shared ? t[0] : np_flow_table_create(&p);
	if (t[0] == NULL || t[1] == NULL)
		die("np_flow_table_create");
	for (int i = 0; i < 2; i++)
		w[i] = (struct writer){ .t = t[i], .first = (uint32_t)i * o->writer_keys,
					.n = o->writer_keys, .ready = &ready, .go = &go };
	if (rte_eal_remote_launch(write_flows, &w[1], worker) != 0)
		die("rte_eal_remote_launch");
	/* The worker spins on go; this thread runs writer 0 as soon as it sets it. */
	while (atomic_load(&ready) < 1)
		;
	atomic_store(&go, 1);
	write_flows(&w[0]);
	rte_eal_wait_lcore(worker);
	if (w[0].added != (int)o->writer_keys || w[1].added != (int)o->writer_keys) {
		fprintf(stderr, "bench-flow: writers added %d and %d of %u flows\n", w[0].added,
			w[1].added, o->writer_keys);
		exit(1);
	}
	ns = ((double)w[0].wall + (double)w[1].wall) / 2 / o->writer_keys;
	np_flow_table_destroy(t[0]);
	if (!shared)
		np_flow_table_destroy(t[1]);
	return ns;
}

static void
bench_writers(const struct opts *o)
{
	unsigned int worker = rte_get_next_lcore(rte_lcore_id(), 1, 0);
	double sh[MAX_ROUNDS], own[MAX_ROUNDS];

	if (worker >= RTE_MAX_LCORE) {
		printf("2 lcores adding flows: skipped (one usable CPU)\n");
		return;
	}
	for (unsigned int i = 0; i < o->rounds; i++) {
		if (i % 2 == 0) {
			sh[i] = writers(o, true, worker);
			own[i] = writers(o, false, worker);
		} else {
			own[i] = writers(o, false, worker);
			sh[i] = writers(o, true, worker);
		}
	}
	printf("2 lcores adding %u distinct flows each (np_flow_add_burst, 32 at a time), at once:\n"
	       "ns per add per lcore (wall time), median (min-max) of %u rounds\n", o->writer_keys,
	       o->rounds);
	row("one shared table (both writers take its lock)", sh, o->rounds);
	row("one table per writer's node", own, o->rounds);
	printf("  ratio shared / per-node: %.2fx\n", bench_median(sh, o->rounds) / bench_median(own, o->rounds));
	if (rte_socket_count() == 1)
		printf("  (one node here: both per-node tables are on node 0, so this shows only the\n"
		       "   write lock and shared lines, not remote memory)\n");
}

/* ---- main ------------------------------------------------------------------------ */

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: bench-flow [options]\n"
		"  --rounds N   rounds per figure, contenders alternating (default 7, max %d)\n"
		"  --quick      small sizes (64K flows instead of 1M; fewer bursts): a sanity run\n"
		"  --no-huge    run EAL without hugepages (default: hugepages when there are free\n"
		"               ones, else --no-huge)\n"
		"  -h, --help   this help\n", MAX_ROUNDS);
}

static int
parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "rounds", required_argument, NULL, 'r' },
		{ "quick", no_argument, NULL, 'q' },
		{ "no-huge", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		char *end = NULL;
		unsigned long v;

		switch (c) {
		case 'r':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || v == 0 || v > MAX_ROUNDS) {
				fprintf(stderr, "bench-flow: --rounds needs a number 1..%d, got '%s'\n",
					MAX_ROUNDS, optarg);
				return 2;
			}
			o->rounds = (unsigned int)v;
			break;
		case 'q': o->quick = true; break;
		case 'n': o->no_huge = true; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "bench-flow: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	return 0;
}

/* Free 2 MB hugepages on the whole machine, or 0. */
static long
free_hugepages(void)
{
	FILE *f = fopen("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "r");
	long v = 0;

	if (f != NULL) {
		if (fscanf(f, "%ld", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

int
main(int argc, char **argv)
{
	struct opts o = { .rounds = 7 };
	char lcores[32], prefix[64], mem[16];
	const char *eal[16];
	unsigned int cpus[2], n_cpus = 0;
	int n = 0, ret;
	double load[1] = { -1 };
	bool huge;
	cpu_set_t set;

	ret = parse(argc, argv, &o);
	if (ret != 0)
		return ret;
	o.handoff_bursts = o.quick ? 200000 : 2000000;
	o.flows = o.quick ? 60000 : 1000000;
	o.capacity = o.quick ? 1u << 16 : 1u << 20;
	o.writer_keys = o.quick ? 50000 : 400000;
	/* About 3 lookup tables of capacity-sized memory at once, plus the writers' tables. */
	huge = !o.no_huge && free_hugepages() * 2 >= (o.quick ? 128 : 768);

	if (sched_getaffinity(0, sizeof(set), &set) != 0) {
		perror("bench-flow: sched_getaffinity");
		return 1;
	}
	for (unsigned int c = 0; c < CPU_SETSIZE && n_cpus < 2; c++)
		if (CPU_ISSET(c, &set))
			cpus[n_cpus++] = c;
	if (n_cpus == 2)
		snprintf(lcores, sizeof(lcores), "%u,%u", cpus[0], cpus[1]);
	else
		snprintf(lcores, sizeof(lcores), "%u", cpus[0]);
	snprintf(prefix, sizeof(prefix), "bench_flow_%d", (int)getpid());
	snprintf(mem, sizeof(mem), "%u", o.quick ? 512u : 1536u);
	eal[n++] = "bench-flow";
	eal[n++] = "-l";
	eal[n++] = lcores;
	eal[n++] = "--file-prefix";
	eal[n++] = prefix;
	eal[n++] = "--no-pci";
	eal[n++] = "--log-level=lib.eal:error";
	if (huge) {
		eal[n++] = "--in-memory";
	} else {
		eal[n++] = "--no-huge";
		eal[n++] = "-m";
		eal[n++] = mem;
		eal[n++] = "--no-shconf";
	}
	if (np_eal_init(n, (char **)eal) < 0) {
		fprintf(stderr, "bench-flow: EAL does not start with %s: %s\n",
			huge ? "hugepages (--in-memory)" : "--no-huge", rte_strerror(rte_errno));
		return 1;
	}
	getloadavg(load, 1);
	printf("numaperf bench-flow%s: lcores on CPU%s %s, %u NUMA socket%s, %s memory; load "
	       "average %.2f at start\n\n", o.quick ? " --quick" : "", n_cpus == 1 ? "" : "s",
	       lcores, rte_socket_count(), rte_socket_count() == 1 ? "" : "s",
	       huge ? "2 MB hugepage" : "4 KB page (--no-huge)", load[0]);
	fflush(stdout);
	bench_handoff(&o);
	fflush(stdout);
	bench_lookup(&o);
	fflush(stdout);
	bench_writers(&o);
	np_eal_cleanup();
	return 0;
}
