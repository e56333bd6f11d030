/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench-primitives: the figures behind framework/shard and framework/mem,
 * side by side in one run.
 *
 *  - counter increment, ns per increment per thread, with 1 and 2 threads
 *    (each pinned to its own CPU): numaperf's sharded counter (a plain
 *    load/add/store on the thread's own cache line) against one shared
 *    atomic counter (a locked add on one line all threads fight for);
 *  - np_sharded_local(): ns per lookup;
 *  - prefault throughput in GB/s: the calling thread touching every page
 *    against one thread per node (x --threads-per-node) touching its node's
 *    share;
 *  - np_hist_record(): ns per recorded value (the latency histogram's cost
 *    per packet, before the pipeline around it).
 *
 * A benchmark, not a test: it asserts nothing about time (the sums are
 * checked, so a broken counter cannot produce a figure). Run it on an idle
 * machine; figures are the median of --repeat runs.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_figures.h"
#include "np_counter_worker.h"
#include "np_hist_worker.h"
#include "np_nodemask.h"
#include "np_pin.h"
#include "np_region.h"
#include "np_sharded.h"

#define MAX_THREADS 2
#define MAX_REPEAT 15

struct opts {
	uint64_t iterations;
	size_t size_mb;
	unsigned int threads_per_node;
	unsigned int repeat;
	enum np_mem_policy policy;
	enum np_page_mode pages;
};

/* ---- counters ----------------------------------------------------------- */

/* One shared counter on its own line: what the sharded counter replaces. */
static struct {
	_Alignas(64) uint64_t value;
} shared;

enum kind { SHARDED, ATOMIC };

struct worker {
	enum kind kind;
	np_counter *c;
	unsigned int cpu;
	uint64_t n;
	atomic_uint *ready;
	atomic_bool *go;
	uint64_t ns;             /* thread CPU time of the loop */
	uint64_t wall_start, wall_end;
	int err;
};

static void *
run_counter(void *arg)
{
	struct worker *w = arg;
	struct np_pin_scope scope;
	int slot = 0;
	uint64_t t0;

	w->err = np_pin_cpu(&scope, w->cpu, NP_PIN_STRICT);
	if (w->err == 0 && w->kind == SHARDED) {
		slot = np_counter_register(w->c);
		if (slot < 0)
			w->err = slot;
	}
	atomic_fetch_add(w->ready, 1);
	while (!atomic_load(w->go))
		;
	if (w->err != 0)
		return NULL;
	w->wall_start = bench_wall_ns();
	t0 = bench_thread_ns();
	if (w->kind == SHARDED) {
		for (uint64_t i = 0; i < w->n; i++)
			np_counter_inc(w->c, (unsigned int)slot);
	} else {
		for (uint64_t i = 0; i < w->n; i++)
			__atomic_fetch_add(&shared.value, 1, __ATOMIC_RELAXED);
	}
	w->ns = bench_thread_ns() - t0;
	w->wall_end = bench_wall_ns();
	np_pin_restore(&scope);
	return NULL;
}

/*
 * ns per increment per thread (mean over the threads), or a negative
 * errno. The total is checked against what was counted. *together gets the
 * share of the run during which all threads were on a CPU at once (overlap
 * of their loops times the smallest CPU/wall ratio): contention is only
 * measured when it is near 1.
 */
static double
bench_counter(enum kind kind, unsigned int n_threads, const unsigned int *cpus, uint64_t n,
	      bool *sum_ok, double *together)
{
	struct worker w[MAX_THREADS];
	pthread_t t[MAX_THREADS];
	atomic_uint ready = 0;
	atomic_bool go = false;
	np_counter *c = NULL;
	double ns = 0;
	uint64_t sum;

	if (kind == SHARDED) {
		c = np_counter_create(n_threads, NP_NODE_ANY, 0);
		if (c == NULL) {
			fprintf(stderr, "bench-primitives: np_counter_create: %s\n", np_last_error());
			return -errno;
		}
	}
	__atomic_store_n(&shared.value, 0, __ATOMIC_RELAXED);
	for (unsigned int i = 0; i < n_threads; i++) {
		w[i] = (struct worker){ .kind = kind, .c = c, .cpu = cpus[i], .n = n,
					.ready = &ready, .go = &go };
		if (pthread_create(&t[i], NULL, run_counter, &w[i]) != 0) {
			fprintf(stderr, "bench-primitives: pthread_create failed\n");
			exit(1);
		}
	}
	while (atomic_load(&ready) < n_threads)
		;
	atomic_store(&go, true);
	for (unsigned int i = 0; i < n_threads; i++)
		pthread_join(t[i], NULL);
	for (unsigned int i = 0; i < n_threads; i++) {
		if (w[i].err != 0) {
			fprintf(stderr, "bench-primitives: thread on CPU %u: %s\n", w[i].cpu,
				strerror(-w[i].err));
			np_counter_destroy(c);
			return w[i].err;
		}
		ns += (double)w[i].ns / (double)n;
	}
	{
		uint64_t start = 0, end = UINT64_MAX, longest = 1;
		double on_cpu = 1;

		for (unsigned int i = 0; i < n_threads; i++) {
			uint64_t wall = w[i].wall_end - w[i].wall_start;

			start = w[i].wall_start > start ? w[i].wall_start : start;
			end = w[i].wall_end < end ? w[i].wall_end : end;
			longest = wall > longest ? wall : longest;
			if (wall > 0 && (double)w[i].ns / (double)wall < on_cpu)
				on_cpu = (double)w[i].ns / (double)wall;
		}
		*together = end > start ? on_cpu * (double)(end - start) / (double)longest : 0;
	}
	sum = kind == SHARDED ? np_counter_sum(c) : __atomic_load_n(&shared.value, __ATOMIC_RELAXED);
	*sum_ok = *sum_ok && sum == n * n_threads;
	np_counter_destroy(c);
	return ns / n_threads;
}

static double
bench_local(uint64_t n)
{
	np_sharded *s = np_sharded_create(64, 64, NULL, NULL, NULL, 0);
	volatile uintptr_t sink = 0;
	uint64_t t0;

	if (s == NULL) {
		fprintf(stderr, "bench-primitives: np_sharded_create: %s\n", np_last_error());
		return -1;
	}
	t0 = bench_thread_ns();
	for (uint64_t i = 0; i < n; i++)
		sink += (uintptr_t)np_sharded_local(s);
	t0 = bench_thread_ns() - t0;
	np_sharded_destroy(s);
	return (double)t0 / (double)n;
}

/* ---- histogram ---------------------------------------------------------- */

/* 128 KiB of values, read in a loop: stays in L2, so the figure is the record. */
#define HIST_VALUES 16384
#define HIST_LO_BITS 8          /* values from 2^8 ... */
#define HIST_HI_BITS 20         /* ... to 2^20 cycles, log-uniform */

/*
 * Latency-like values: log-uniform over [2^8, 2^20), a spread of 12 powers
 * of two (1536 buckets at S = 7), from a fixed-seed xorshift so every run
 * records the same sequence.
 */
static void
hist_values(uint64_t *v)
{
	uint64_t x = 0x9e3779b97f4a7c15u;

	for (unsigned int i = 0; i < HIST_VALUES; i++) {
		unsigned int e;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		e = HIST_LO_BITS + (unsigned int)(x % (HIST_HI_BITS - HIST_LO_BITS));
		v[i] = (UINT64_C(1) << e) | ((x >> 8) & ((UINT64_C(1) << e) - 1));
	}
}

/*
 * ns of thread CPU time per np_hist_record() (the loop reading the value
 * included), or a negative errno. The count is checked, so a histogram that
 * lost values cannot produce a figure.
 */
static double
bench_hist(uint64_t n, const uint64_t *vals)
{
	struct np_hist_params p;
	np_hist *h;
	uint64_t t0;

	np_hist_params_init(&p);
	h = np_hist_create(&p, NP_NODE_ANY);
	if (h == NULL) {
		fprintf(stderr, "bench-primitives: np_hist_create: %s\n", np_last_error());
		return -errno;
	}
	t0 = bench_thread_ns();
	for (uint64_t i = 0; i < n; i++)
		np_hist_record(h, vals[i & (HIST_VALUES - 1)]);
	t0 = bench_thread_ns() - t0;
	if (np_hist_count(h) != n) {
		fprintf(stderr, "bench-primitives: the histogram counted %llu of %llu values\n",
			(unsigned long long)np_hist_count(h), (unsigned long long)n);
		np_hist_destroy(h);
		return -EIO;
	}
	np_hist_destroy(h);
	return (double)t0 / (double)n;
}

/* ---- prefault ----------------------------------------------------------- */

/* GB/s of the prefault alone (np_region_info's prefault_ns), or < 0. */
static double
bench_prefault(const struct opts *o, const np_nodemask *nodes, enum np_prefault pf,
	       unsigned int tpn, char *why, size_t whylen)
{
	struct np_region_params p;
	struct np_region_info in;
	np_region *r;
	double gbs;

	np_region_params_init(&p, o->size_mb << 20);
	p.policy = o->policy;
	p.nodes = *nodes;
	p.node = np_nodemask_next(nodes, -1);
	p.pages = o->pages;
	p.prefault = pf;
	p.threads_per_node = tpn;
	r = np_region_create(&p);
	if (r == NULL) {
		snprintf(why, whylen, "%s", np_last_error());
		return -1;
	}
	np_region_info(r, &in);
	gbs = (double)in.size / (double)in.prefault_ns;   /* bytes per ns = GB/s */
	why[0] = '\0';
	if (in.fallbacks)
		snprintf(why, whylen, "best effort: %s", in.detail);
	np_region_destroy(r);
	return gbs;
}

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: bench-primitives [options]\n"
		"  --iterations N        increments per thread, histogram values (default 20000000)\n"
		"  --size-mb M           prefault region size in MiB (default 512)\n"
		"  --threads-per-node T  parallel touch threads per node (default: CPUs per node)\n"
		"  --policy P            interleave (default), bind or local: the region's policy\n"
		"  --pages P             normal (default), thp or 2M\n"
		"  --repeat R            runs per figure, the median is printed (default 3, max %d)\n"
		"  -h, --help            this help\n", MAX_REPEAT);
}

static int
parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "iterations", required_argument, NULL, 'i' },
		{ "size-mb", required_argument, NULL, 's' },
		{ "threads-per-node", required_argument, NULL, 't' },
		{ "policy", required_argument, NULL, 'p' },
		{ "pages", required_argument, NULL, 'g' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		char *end = NULL;
		unsigned long long v = 0;

		if (optarg != NULL && c != 'p' && c != 'g') {
			errno = 0;
			v = strtoull(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || v == 0) {
				fprintf(stderr, "bench-primitives: --%s needs a positive number, got '%s'\n",
					lo[c == 'i' ? 0 : c == 's' ? 1 : c == 't' ? 2 : 5].name, optarg);
				return 2;
			}
		}
		switch (c) {
		case 'i': o->iterations = v; break;
		case 's': o->size_mb = (size_t)v; break;
		case 't':
			if (v > NP_REGION_MAX_THREADS_PER_NODE) {
				fprintf(stderr, "bench-primitives: --threads-per-node is at most %d\n",
					NP_REGION_MAX_THREADS_PER_NODE);
				return 2;
			}
			o->threads_per_node = (unsigned int)v;
			break;
		case 'r':
			if (v > MAX_REPEAT) {
				fprintf(stderr, "bench-primitives: --repeat is at most %d\n", MAX_REPEAT);
				return 2;
			}
			o->repeat = (unsigned int)v;
			break;
		case 'p':
			if (strcmp(optarg, "interleave") == 0)
				o->policy = NP_MEM_INTERLEAVE;
			else if (strcmp(optarg, "bind") == 0)
				o->policy = NP_MEM_BIND;
			else if (strcmp(optarg, "local") == 0)
				o->policy = NP_MEM_LOCAL;
			else {
				fprintf(stderr, "bench-primitives: --policy is interleave, bind or local\n");
				return 2;
			}
			break;
		case 'g':
			if (strcmp(optarg, "normal") == 0)
				o->pages = NP_PAGE_NORMAL;
			else if (strcmp(optarg, "thp") == 0)
				o->pages = NP_PAGE_THP;
			else if (strcmp(optarg, "2M") == 0)
				o->pages = NP_PAGE_HUGE_2M;
			else {
				fprintf(stderr, "bench-primitives: --pages is normal, thp or 2M\n");
				return 2;
			}
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "bench-primitives: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o = { .iterations = 20000000, .size_mb = 512, .repeat = 3,
			  .policy = NP_MEM_INTERLEAVE, .pages = NP_PAGE_NORMAL };
	unsigned int cpus[MAX_THREADS], n_cpus = 0, n_nodes;
	double v[2][2][MAX_REPEAT], tog[2][MAX_REPEAT], local[MAX_REPEAT];
	char list[128], why[400] = "", b1[64], b2[64];
	bool sum_ok = true;
	np_nodemask nodes;
	cpu_set_t online, mine;
	int ret;

	ret = parse(argc, argv, &o);
	if (ret != 0)
		return ret;
	if (np_nodemask_usable(&nodes) < 0 && np_nodemask_weight(&nodes) == 0) {
		fprintf(stderr, "bench-primitives: %s\n", np_last_error());
		return 1;
	}
	n_nodes = np_nodemask_weight(&nodes);
	np_nodemask_format(&nodes, list, sizeof(list));
	if (np_cpus_online(&online) < 0 || sched_getaffinity(0, sizeof(mine), &mine) < 0) {
		fprintf(stderr, "bench-primitives: cannot read the CPUs: %s\n", np_last_error());
		return 1;
	}
	CPU_AND(&mine, &mine, &online);
	for (int c = 0; c < CPU_SETSIZE && n_cpus < MAX_THREADS; c++)
		if (CPU_ISSET(c, &mine))
			cpus[n_cpus++] = (unsigned int)c;
	if (o.threads_per_node == 0) {
		unsigned int per = (unsigned int)CPU_COUNT(&mine) / (n_nodes ? n_nodes : 1);

		o.threads_per_node = per == 0 ? 1 : per > NP_REGION_MAX_THREADS_PER_NODE ?
				     NP_REGION_MAX_THREADS_PER_NODE : per;
	}

	double load[1] = { -1 };

	getloadavg(load, 1);
	printf("numaperf bench-primitives: %d CPUs, %u NUMA node%s with memory (%s); "
	       "load average %.2f at start\n\n", CPU_COUNT(&mine), n_nodes,
	       n_nodes == 1 ? "" : "s", list, load[0]);

	/* Counters: 1 thread, then 2 on different CPUs. */
	for (unsigned int r = 0; r < o.repeat; r++)
		for (unsigned int th = 1; th <= n_cpus; th++) {
			double t;

			v[SHARDED][th - 1][r] = bench_counter(SHARDED, th, cpus, o.iterations, &sum_ok,
							      &t);
			if (th == 2)
				tog[SHARDED][r] = t;
			v[ATOMIC][th - 1][r] = bench_counter(ATOMIC, th, cpus, o.iterations, &sum_ok, &t);
			if (th == 2)
				tog[ATOMIC][r] = t;
			if (v[SHARDED][th - 1][r] < 0 || v[ATOMIC][th - 1][r] < 0)
				return 1;
		}
	printf("counter increment: ns of thread CPU time per increment, %llu increments per "
	       "thread,\nmedian (min-max) of %u runs; threads pinned to CPUs %u%s%s\n",
	       (unsigned long long)o.iterations, o.repeat, cpus[0], n_cpus > 1 ? " and " : "",
	       n_cpus > 1 ? (snprintf(b1, sizeof(b1), "%u", cpus[1]), b1) : "");
	printf("  %-44s %-22s %s\n", "", "1 thread", n_cpus > 1 ? "2 threads" : "");
	for (int kd = SHARDED; kd <= ATOMIC; kd++) {
		printf("  %-44s %-22s", kd == SHARDED ? "sharded counter (np_counter_inc, own line)" :
		       "one shared atomic (__atomic_fetch_add)", bench_spread(v[kd][0], o.repeat, b1, sizeof(b1)));
		if (n_cpus > 1)
			printf(" %s", bench_spread(v[kd][1], o.repeat, b2, sizeof(b2)));
		printf("\n");
	}
	printf("  sums: %s\n", sum_ok ? "exact (every increment counted)" : "WRONG: a counter lost increments");
	if (n_cpus > 1)
		printf("  2-thread runs: both threads on a CPU at once for %.0f%% (sharded) and %.0f%% "
		       "(atomic)\n  of the loop (median); below ~90%% the machine was busy and the "
		       "2-thread figures\n  understate contention\n", 100 * bench_median(tog[SHARDED], o.repeat),
		       100 * bench_median(tog[ATOMIC], o.repeat));
	else
		printf("  (one usable CPU: no 2-thread figures)\n");
	if (!sum_ok)
		return 1;

	for (unsigned int r = 0; r < o.repeat; r++)
		local[r] = bench_local(o.iterations);
	printf("\nnp_sharded_local(): %s ns of CPU time per lookup (sched_getcpu + table)\n",
	       bench_spread(local, o.repeat, b1, sizeof(b1)));

	{
		static uint64_t vals[HIST_VALUES];
		double rec[MAX_REPEAT];

		hist_values(vals);
		for (unsigned int r = 0; r < o.repeat; r++) {
			rec[r] = bench_hist(o.iterations, vals);
			if (rec[r] < 0)
				return 1;
		}
		printf("\nhist record: ns per value (np_hist_record, %u sub-bucket bits): %s ns of CPU "
		       "time,\nmedian (min-max) of %u runs of %llu values log-uniform in [2^%d, 2^%d); "
		       "count checked\n", NP_HIST_DEFAULT_SUB_BUCKET_BITS,
		       bench_spread(rec, o.repeat, b1, sizeof(b1)), o.repeat,
		       (unsigned long long)o.iterations, HIST_LO_BITS, HIST_HI_BITS);
	}

	/* Prefault: the same region, touched by the caller, then by node threads. */
	struct {
		const char *name;
		enum np_prefault pf;
		unsigned int tpn;
	} rows[3] = {
		{ "touch (calling thread)", NP_PREFAULT_TOUCH, 1 },
		{ "parallel touch", NP_PREFAULT_PARALLEL, 1 },
		{ "parallel touch", NP_PREFAULT_PARALLEL, o.threads_per_node },
	};
	unsigned int n_rows = o.threads_per_node > 1 ? 3 : 2;

	printf("\nprefault %zu MiB, %s over node%s %s, %s pages: GB/s of the prefault alone\n"
	       "(wall time), median (min-max) of %u runs\n",
	       o.size_mb, np_mem_policy_name(o.policy), n_nodes == 1 ? "" : "s", list,
	       np_page_mode_name(o.pages), o.repeat);
	for (unsigned int i = 0; i < n_rows; i++) {
		double g[MAX_REPEAT];
		char name[96];

		for (unsigned int r = 0; r < o.repeat; r++) {
			g[r] = bench_prefault(&o, &nodes, rows[i].pf, rows[i].tpn, why, sizeof(why));
			if (g[r] < 0) {
				fprintf(stderr, "bench-primitives: %s\n", why);
				return 1;
			}
		}
		if (rows[i].pf == NP_PREFAULT_PARALLEL)
			snprintf(name, sizeof(name), "%s (%u node%s x %u thread%s)", rows[i].name,
				 o.policy == NP_MEM_LOCAL ? 1 : n_nodes,
				 (o.policy == NP_MEM_LOCAL || n_nodes == 1) ? "" : "s",
				 rows[i].tpn, rows[i].tpn == 1 ? "" : "s");
		else
			snprintf(name, sizeof(name), "%s", rows[i].name);
		printf("  %-44s %s\n", name, bench_spread(g, o.repeat, b1, sizeof(b1)));
		if (why[0] != '\0')
			printf("    (%s)\n", why);
	}
	if (n_nodes == 1)
		printf("note: this machine has one NUMA node, so parallel touch runs on that one node:\n"
		       "      with 1 thread per node it is the calling thread's work moved to one\n"
		       "      pinned thread, and any gain with more threads comes from the threads,\n"
		       "      not from locality. On a multi-node machine each node's pages are\n"
		       "      zeroed by that node's CPUs.\n");
	return 0;
}
