/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * framework/stats: the latency histogram (np_hist.h, np_hist_worker.h), the
 * kernel's numastat witness (np_numastat.h) and the Prometheus text writer
 * (np_prom.h).
 *
 * The histogram's percentiles are checked against the exact percentiles of
 * known distributions (fixed-seed PRNG, a sorted copy for the truth) with
 * the documented bound asserted: exact <= reported < exact * (1 + 2^-S).
 * No timing is asserted: the recording cost comes from apps/bench-primitives.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <numa.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "np_audit.h"
#include "np_hist_worker.h"
#include "np_numastat.h"
#include "np_prom.h"
#include "np_test.h"
#include "np_test_numa.h"

/* ---- helpers ------------------------------------------------------------- */

/* splitmix64: a fixed seed gives the same values on every run. */
static uint64_t rng;

static uint64_t
rnd(void)
{
	uint64_t z = (rng += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in (0, 1]: never 0, so log() and pow() stay finite. */
static double
rnd01(void)
{
	return (double)((rnd() >> 11) + 1) * 0x1p-53;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Rank of the p-th percentile of n values, by np_hist.h's definition
 * (nearest rank, a 2^-40 relative margin for decimal p), written here
 * independently of hist_query.c.
 */
static uint64_t
exact_rank(double p, uint64_t n)
{
	double x = p * (double)n / 100.0;

	x -= x * 0x1p-40;
	if (x < 1)
		return 1;
	if (x >= (double)n)
		return n;
	return (uint64_t)ceil(x);
}

/* A histogram in the test's own aligned memory (the np_hist_init() path). */
static np_hist *
make(uint64_t max_value, unsigned int bits)
{
	struct np_hist_params p = { .max_value = max_value, .sub_bucket_bits = bits };
	size_t len = np_hist_footprint(&p);
	void *mem;

	NP_REQUIRE(len > 0, "footprint: %s", np_last_error());
	mem = aligned_alloc(RTE_CACHE_LINE_SIZE, len);
	NP_REQUIRE(mem != NULL, "out of memory");
	NP_REQUIRE(np_hist_init(mem, len, &p) == 0, "init: %s", np_last_error());
	return mem;
}

/* The exact 128-bit sum kept in @h (internal fields, read as the library does). */
static unsigned __int128
sum128(const np_hist *h)
{
	return ((unsigned __int128)(h->sum_hi_seq >> 1) << 64) | h->sum_lo;
}

/* Two histograms hold exactly the same thing. */
static void
check_same(const np_hist *a, const np_hist *b, const char *what)
{
	uint32_t first_diff = UINT32_MAX;

	NP_REQUIRE(a->n_buckets == b->n_buckets, "%s: %u vs %u buckets", what, a->n_buckets,
		   b->n_buckets);
	for (uint32_t i = 0; i < a->n_buckets && first_diff == UINT32_MAX; i++)
		if (a->bucket[i] != b->bucket[i])
			first_diff = i;
	NP_CHECK(first_diff == UINT32_MAX, "%s: bucket %u holds %llu vs %llu", what, first_diff,
		 first_diff == UINT32_MAX ? 0ull : (unsigned long long)a->bucket[first_diff],
		 first_diff == UINT32_MAX ? 0ull : (unsigned long long)b->bucket[first_diff]);
	NP_CHECK(a->count == b->count, "%s: count %llu vs %llu", what,
		 (unsigned long long)a->count, (unsigned long long)b->count);
	NP_CHECK(sum128(a) == sum128(b), "%s: sums differ", what);
	NP_CHECK(a->saturated == b->saturated, "%s: saturated %llu vs %llu", what,
		 (unsigned long long)a->saturated, (unsigned long long)b->saturated);
}

/* ---- parameters and layout ------------------------------------------------ */

static void
test_hist_params(void)
{
	struct np_hist_params p, q;
	_Alignas(64) static uint8_t mem[1 << 16];
	size_t len;

	np_hist_params_init(&p);
	NP_CHECK_INT(p.sub_bucket_bits, 7);
	NP_CHECK(p.max_value == (UINT64_C(1) << 36) - 1, "default max_value");
	np_hist_params_init(NULL);
	/* S = 7 up to 2^36 - 1: shifts 0..28, 3840 buckets behind a 128-byte header. */
	len = np_hist_footprint(&p);
	NP_CHECK_INT(len, 128 + 3840 * 8);
	NP_CHECK_INT(len % RTE_CACHE_LINE_SIZE, 0);

	errno = 0;
	NP_CHECK_INT(np_hist_footprint(NULL), 0);
	NP_CHECK_INT(errno, EINVAL);
	q = p;
	q.sub_bucket_bits = 0;
	errno = 0;
	NP_CHECK_INT(np_hist_footprint(&q), 0);
	NP_CHECK_INT(errno, EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "sub_bucket_bits 0 is not in 1..16");
	q.sub_bucket_bits = 17;
	NP_CHECK_INT(np_hist_init(mem, sizeof(mem), &q), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "sub_bucket_bits 17 is not in 1..16");
	q = p;
	q.max_value = 0;
	NP_CHECK_INT(np_hist_init(mem, sizeof(mem), &q), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "max_value is 0");
	NP_CHECK_INT(np_hist_init(mem, sizeof(mem), NULL), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "params is NULL");
	NP_CHECK_INT(np_hist_init(NULL, sizeof(mem), &p), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "mem is NULL");
	NP_CHECK_INT(np_hist_init(mem + 8, sizeof(mem) - 8, &p), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "is not aligned to the 64-byte cache line");
	errno = 0;
	NP_CHECK_INT(np_hist_init(mem, len - 1, &p), -ENOSPC);
	NP_CHECK_INT(errno, ENOSPC);
	NP_CHECK_CONTAINS(np_last_error(), "len 30847 is below the 30848 bytes");
	NP_CHECK_INT(np_hist_init(mem, len, &p), 0);

	/* Largest and smallest layouts. */
	q.max_value = UINT64_MAX;
	q.sub_bucket_bits = 16;
	NP_CHECK_INT(np_hist_footprint(&q), 128 + ((64 - 16 + 1) << 16) * 8);
	q.max_value = 1;
	q.sub_bucket_bits = 1;
	NP_CHECK_INT(np_hist_footprint(&q), 128 + 64);

	/* Queries on what is not a histogram. */
	memset(mem, 0, sizeof(mem));
	{
		uint64_t v = 0;
		struct np_hist_summary s;

		NP_CHECK_INT(np_hist_percentile((np_hist *)mem, 50, &v), -EINVAL);
		NP_CHECK_CONTAINS(np_last_error(), "h is not a histogram");
		NP_CHECK_INT(np_hist_percentile(NULL, 50, &v), -EINVAL);
		NP_CHECK_INT(np_hist_summarize(NULL, &s), -EINVAL);
		NP_CHECK_INT(np_hist_reset(NULL), -EINVAL);
		NP_CHECK_INT(np_hist_get_params(NULL, &q), -EINVAL);
		NP_CHECK_INT(np_hist_merge(NULL, (np_hist *)mem), -EINVAL);
		NP_CHECK_INT(np_hist_snapshot((np_hist *)mem, NULL), -EINVAL);
		NP_CHECK_INT(np_hist_diff(NULL, NULL, NULL), -EINVAL);
	}
	NP_CHECK_INT(np_hist_count(NULL), 0);
	NP_CHECK_INT(np_hist_min(NULL), 0);
	NP_CHECK_INT(np_hist_max(NULL), 0);
	NP_CHECK_INT(np_hist_saturated(NULL), 0);
	NP_CHECK_INT(np_hist_highest_trackable(NULL), 0);
	NP_CHECK(np_hist_mean(NULL) == 0 && np_hist_sum(NULL) == 0, "NULL mean and sum are 0");
	NP_CHECK(isnan(np_hist_units_to_ns(5, 0)), "0 Hz gives NaN");
	NP_CHECK(np_hist_units_to_ns(3000, 3000000000u) == 1000.0, "3000 cycles at 3 GHz: %g ns",
		 np_hist_units_to_ns(3000, 3000000000u));
	np_hist_destroy(NULL);
}

static void
test_hist_queries_empty_and_bad(void)
{
	np_hist *h = make(1000000, 7);
	struct np_hist_params p;
	struct np_hist_summary s;
	uint64_t v = 42;

	NP_CHECK_INT(np_hist_percentile(h, 50, &v), -ENODATA);
	NP_CHECK_CONTAINS(np_last_error(), "the histogram is empty");
	NP_CHECK_INT(v, 42);
	NP_CHECK_INT(np_hist_percentile(h, 50, NULL), -EINVAL);
	NP_CHECK_INT(np_hist_percentile(h, -0.1, &v), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "percentile -0.1 is not in 0..100");
	NP_CHECK_INT(np_hist_percentile(h, 100.5, &v), -EINVAL);
	NP_CHECK_INT(np_hist_percentile(h, NAN, &v), -EINVAL);
	NP_CHECK_INT(np_hist_summarize(h, &s), 0);
	NP_CHECK(s.count == 0 && s.p99 == 0 && s.max == 0 && s.mean == 0, "empty summary is zeros");
	NP_CHECK_INT(np_hist_summarize(h, NULL), -EINVAL);
	NP_CHECK_INT(np_hist_min(h), 0);
	NP_CHECK_INT(np_hist_max(h), 0);
	NP_CHECK_INT(np_hist_get_params(h, &p), 0);
	NP_CHECK_INT(p.max_value, 1000000);
	NP_CHECK_INT(p.sub_bucket_bits, 7);
	NP_CHECK_INT(np_hist_get_params(h, NULL), -EINVAL);
	/* The top bucket of 1000000 (shift 12) ends at 1003519. */
	NP_CHECK_INT(np_hist_highest_trackable(h), 1003519);
	/* destroy() leaves memory np_hist_init() formatted to its owner. */
	np_hist_destroy(h);
	np_hist_record(h, 5);
	NP_CHECK_INT(np_hist_count(h), 1);
	free(h);
}

/* ---- bucket mapping -------------------------------------------------------- */

/* Every value's bucket holds it, is as narrow as promised, and buckets tile. */
static void
check_value(const np_hist *h, unsigned int s, uint64_t v, int *failures)
{
	uint64_t lo = np_hist_lowest_equivalent(h, v), hi = np_hist_highest_equivalent(h, v);
	uint64_t width_max = v >> s > 1 ? v >> s : 1;

	if ((lo > v || hi < v || hi - lo + 1 > width_max ||
	     (hi < UINT64_MAX && np_hist_lowest_equivalent(h, hi + 1) != hi + 1) ||
	     (lo > 0 && np_hist_highest_equivalent(h, lo - 1) != lo - 1)) && (*failures)++ < 5)
		NP_CHECK(0, "S=%u v=%llu: bucket [%llu, %llu] (width at most %llu, buckets must tile)",
			 s, (unsigned long long)v, (unsigned long long)lo, (unsigned long long)hi,
			 (unsigned long long)width_max);
}

static void
test_hist_buckets(void)
{
	static const unsigned int bits[] = { 1, 2, 3, 7, 10, 16 };

	for (unsigned int k = 0; k < RTE_DIM(bits); k++) {
		unsigned int s = bits[k];
		np_hist *h = make(UINT64_MAX, s);
		int failures = 0;

		NP_CHECK(np_hist_highest_trackable(h) == UINT64_MAX, "S=%u tracks everything", s);
		for (uint64_t v = 0; v < 5000; v++)
			check_value(h, s, v, &failures);
		/* Both sides of every power of two, and random values of every size. */
		for (unsigned int e = 1; e < 64; e++) {
			uint64_t p2 = UINT64_C(1) << e;

			for (uint64_t d = 0; d < 3; d++) {
				check_value(h, s, p2 - 1 - d, &failures);
				check_value(h, s, p2 + d, &failures);
			}
			for (int r = 0; r < 50; r++)
				check_value(h, s, p2 | (rnd() & (p2 - 1)), &failures);
		}
		check_value(h, s, UINT64_MAX, &failures);
		/* Exact below 2^(S+1). */
		NP_CHECK(np_hist_highest_equivalent(h, (UINT64_C(2) << s) - 1) == (UINT64_C(2) << s) - 1,
			 "S=%u: values below 2^(S+1) have their own bucket", s);
		free(h);
	}
}

/* ---- accuracy against exact percentiles ------------------------------------- */

enum dist { UNIFORM, EXPONENTIAL, BIMODAL, PARETO };
static const char *const dist_name[] = { "uniform", "exponential", "bimodal", "pareto" };

static uint64_t
draw(enum dist d)
{
	switch (d) {
	case UNIFORM:        /* 0..1e6 cycles */
		return rnd() % 1000001;
	case EXPONENTIAL:    /* mean 5000 cycles */
		return (uint64_t)(-5000.0 * log(rnd01()));
	case BIMODAL:        /* 90 % near 2000, 10 % near 200000 (a slow path) */
		return rnd() % 10 ? 1800 + rnd() % 401 : 190000 + rnd() % 20001;
	case PARETO: {       /* x_m = 1000, alpha = 1.1: a heavy tail up to ~2^58 */
		double x = 1000.0 * pow(rnd01(), -1.0 / 1.1);

		return x >= 0x1p63 ? UINT64_C(1) << 63 : (uint64_t)x;
	}
	}
	return 0;
}

#define N_VALUES 100000

static void
check_accuracy(enum dist d, unsigned int s)
{
	static const double fixed[] = { 0, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 99.999, 100 };
	uint64_t *x = malloc(N_VALUES * sizeof(*x));
	unsigned __int128 sum = 0;
	np_hist *h = make(d == PARETO ? UINT64_MAX : (UINT64_C(1) << 36) - 1, s);
	int failures = 0;

	NP_REQUIRE(x != NULL, "out of memory");
	rng = 0x5eed0000u + (uint64_t)d * 16 + s;
	for (int i = 0; i < N_VALUES; i++) {
		x[i] = draw(d);
		sum += x[i];
		np_hist_record(h, x[i]);
	}
	qsort(x, N_VALUES, sizeof(*x), cmp_u64);
	NP_CHECK_INT(np_hist_count(h), N_VALUES);
	NP_CHECK_INT(np_hist_saturated(h), 0);
	NP_CHECK(np_hist_min(h) == x[0], "%s S=%u: min %llu, exact %llu", dist_name[d], s,
		 (unsigned long long)np_hist_min(h), (unsigned long long)x[0]);
	NP_CHECK(np_hist_max(h) == x[N_VALUES - 1], "%s S=%u: max %llu, exact %llu", dist_name[d],
		 s, (unsigned long long)np_hist_max(h), (unsigned long long)x[N_VALUES - 1]);
	NP_CHECK(sum128(h) == sum, "%s S=%u: the 128-bit sum is exact", dist_name[d], s);
	NP_CHECK(fabs(np_hist_mean(h) - (double)sum / N_VALUES) <= 1e-9 * ((double)sum / N_VALUES),
		 "%s S=%u: mean %.3f, exact %.3f", dist_name[d], s, np_hist_mean(h),
		 (double)sum / N_VALUES);
	for (unsigned int k = 0; k < RTE_DIM(fixed) + 200; k++) {
		double p = k < RTE_DIM(fixed) ? fixed[k] : 100.0 * (double)(rnd() >> 11) * 0x1p-53;
		uint64_t exact = x[exact_rank(p, N_VALUES) - 1], got = 0;
		int ret = np_hist_percentile(h, p, &got);
		/* exact <= got < exact * (1 + 2^-S), and equal below 2^(S+1). */
		bool ok = ret == 0 && got >= exact &&
			  ((unsigned __int128)(got - exact) << s < exact || got == exact);

		if (!ok && failures++ < 5)
			NP_CHECK(0, "%s S=%u p%.6g: reported %llu, exact %llu (ret %d): outside "
				 "[exact, exact * (1 + 2^-%u))", dist_name[d], s, p,
				 (unsigned long long)got, (unsigned long long)exact, ret, s);
	}
	{
		struct np_hist_summary sm;
		uint64_t p999 = 0;

		NP_CHECK_INT(np_hist_summarize(h, &sm), 0);
		np_hist_percentile(h, 99.9, &p999);
		NP_CHECK(sm.count == N_VALUES && sm.min == x[0] && sm.max == x[N_VALUES - 1] &&
			 sm.p999 == p999 && sm.p50 <= sm.p90 && sm.p90 <= sm.p99 &&
			 sm.p99 <= sm.p999 && sm.p999 <= sm.p9999 && sm.p9999 <= sm.max,
			 "%s S=%u: summary agrees with the single queries", dist_name[d], s);
	}
	free(h);
	free(x);
}

static void
test_hist_accuracy(void)
{
	for (enum dist d = UNIFORM; d <= PARETO; d++) {
		check_accuracy(d, 7);
		check_accuracy(d, 3);   /* coarse buckets: the bound is tested where it binds */
	}
}

/* The definition, on a set small enough to check by hand. */
static void
test_hist_definition(void)
{
	np_hist *h = make(1000, 7);
	uint64_t v;

	for (uint64_t i = 1; i <= 10; i++)
		np_hist_record(h, i * 10);          /* 10, 20, ..., 100 */
	np_hist_percentile(h, 0, &v);
	NP_CHECK_INT(v, 10);                        /* rank 1 */
	np_hist_percentile(h, 10, &v);
	NP_CHECK_INT(v, 10);                        /* ceil(1.0) = 1 */
	np_hist_percentile(h, 10.01, &v);
	NP_CHECK_INT(v, 20);                        /* ceil(1.001) = 2 */
	np_hist_percentile(h, 50, &v);
	NP_CHECK_INT(v, 50);
	np_hist_percentile(h, 99.99, &v);
	NP_CHECK_INT(v, 100);
	np_hist_percentile(h, 100, &v);
	NP_CHECK_INT(v, 100);
	NP_CHECK(np_hist_mean(h) == 55.0, "mean %g", np_hist_mean(h));
	free(h);
	/*
	 * 99.99 % of 1..10000 is rank 9999, although 99.99 has no exact
	 * double. S = 13: every value below 2^14 has its own bucket.
	 */
	h = make(10000, 13);
	for (uint64_t i = 1; i <= 10000; i++)
		np_hist_record(h, i);
	np_hist_percentile(h, 99.99, &v);
	NP_CHECK_INT(v, 9999);
	np_hist_percentile(h, 0.01, &v);
	NP_CHECK_INT(v, 1);
	np_hist_percentile(h, 0.02, &v);
	NP_CHECK_INT(v, 2);
	np_hist_percentile(h, 0.0201, &v);
	NP_CHECK_INT(v, 3);
	np_hist_percentile(h, 50, &v);
	NP_CHECK_INT(v, 5000);
	NP_CHECK_INT(exact_rank(99.99, 10000), 9999);
	free(h);
}

/* ---- edge values and saturation ---------------------------------------------- */

static void
test_hist_edges(void)
{
	np_hist *h = make(UINT64_MAX, 7);
	uint64_t v;

	np_hist_record(h, 0);
	np_hist_record(h, 1);
	np_hist_record(h, UINT64_MAX);
	NP_CHECK_INT(np_hist_count(h), 3);
	NP_CHECK_INT(np_hist_min(h), 0);
	NP_CHECK(np_hist_max(h) == UINT64_MAX, "max is UINT64_MAX");
	NP_CHECK_INT(np_hist_saturated(h), 0);
	/* 0 + 1 + (2^64 - 1) = 2^64: the sum carries into the high word. */
	NP_CHECK(sum128(h) == (unsigned __int128)1 << 64, "sum is 2^64");
	NP_CHECK(np_hist_sum(h) == 0x1p64, "sum as a double: %g", np_hist_sum(h));
	NP_CHECK_INT(np_hist_percentile(h, 0, &v), 0);
	NP_CHECK_INT(v, 0);
	np_hist_percentile(h, 50, &v);
	NP_CHECK_INT(v, 1);
	np_hist_percentile(h, 100, &v);
	NP_CHECK(v == UINT64_MAX, "p100 is UINT64_MAX: %llu", (unsigned long long)v);
	np_hist_percentile(h, 66.7, &v);
	NP_CHECK(v == UINT64_MAX, "p66.7 is rank 3");
	/* A value just below UINT64_MAX lands in the top bucket: reported as the max. */
	NP_CHECK_INT(np_hist_reset(h), 0);
	NP_CHECK_INT(np_hist_count(h), 0);
	np_hist_record(h, UINT64_MAX - 12345);
	np_hist_percentile(h, 50, &v);
	NP_CHECK(v == UINT64_MAX - 12345, "one value: every percentile is that value");
	free(h);

	/* Only zeros. */
	h = make(10, 1);
	for (int i = 0; i < 5; i++)
		np_hist_record(h, 0);
	np_hist_percentile(h, 99.99, &v);
	NP_CHECK_INT(v, 0);
	NP_CHECK_INT(np_hist_max(h), 0);
	NP_CHECK(np_hist_mean(h) == 0, "mean of zeros");
	free(h);
}

static void
test_hist_saturation(void)
{
	np_hist *h = make(1000, 7);   /* the bucket of 1000 (width 4) ends at 1003 */
	struct np_hist_summary s;
	uint64_t v, top = np_hist_highest_trackable(h);

	NP_CHECK_INT(top, 1003);
	np_hist_record(h, 5);
	np_hist_record(h, 1003);                /* trackable: not saturated */
	NP_CHECK_INT(np_hist_saturated(h), 0);
	np_hist_record(h, 1004);
	np_hist_record(h, UINT64_MAX);
	NP_CHECK_INT(np_hist_count(h), 4);
	NP_CHECK_INT(np_hist_saturated(h), 2);
	NP_CHECK(np_hist_max(h) == UINT64_MAX, "max stays exact above the range");
	NP_CHECK(sum128(h) == (unsigned __int128)5 + 1003 + 1004 + UINT64_MAX, "sum stays exact");
	/* Ranks on saturated values report the highest trackable value (a lower bound). */
	np_hist_percentile(h, 100, &v);
	NP_CHECK_INT(v, top);
	np_hist_percentile(h, 25, &v);
	NP_CHECK_INT(v, 5);
	np_hist_summarize(h, &s);
	NP_CHECK_INT(s.saturated, 2);
	NP_CHECK_INT(s.p9999, top);
	free(h);
}

/* ---- merge, snapshots and intervals ------------------------------------------ */

static void
test_hist_merge(void)
{
	np_hist *a = make(1 << 20, 7), *b = make(1 << 20, 7), *all = make(1 << 20, 7);
	np_hist *other = make(1 << 20, 8), *empty = make(1 << 20, 7);

	rng = 42;
	for (int i = 0; i < 20000; i++) {
		uint64_t v = draw(i % 2 ? EXPONENTIAL : BIMODAL);

		np_hist_record(i % 3 ? a : b, v);
		np_hist_record(all, v);
	}
	np_hist_record(b, UINT64_MAX);          /* saturated, in b only */
	np_hist_record(all, UINT64_MAX);
	NP_CHECK_INT(np_hist_merge(a, b), 0);
	check_same(a, all, "merge(a, b) vs recording all into one");
	NP_CHECK(a->min == all->min && a->max == all->max, "merged min %llu max %llu, expected "
		 "%llu %llu", (unsigned long long)a->min, (unsigned long long)a->max,
		 (unsigned long long)all->min, (unsigned long long)all->max);
	/* Merging an empty histogram changes nothing, min included. */
	NP_CHECK_INT(np_hist_merge(a, empty), 0);
	check_same(a, all, "after merging an empty one");
	NP_CHECK(a->min == all->min, "an empty src keeps the min");
	/* Into an empty one: a copy. */
	NP_CHECK_INT(np_hist_merge(empty, all), 0);
	check_same(empty, all, "merge into empty");
	NP_CHECK(empty->min == all->min && empty->max == all->max, "min and max copied");
	/* Different parameters are refused, naming both. */
	NP_CHECK_INT(np_hist_merge(a, other), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "src (max_value 1048576, 8 sub-bucket bits)");
	free(a);
	free(b);
	free(all);
	free(other);
	free(empty);
}

static void
test_hist_interval(void)
{
	np_hist *live = make(1 << 24, 7), *s1 = make(1 << 24, 7), *s2 = make(1 << 24, 7);
	np_hist *only = make(1 << 24, 7), *d = make(1 << 24, 7), *s3 = make(1 << 24, 7);
	uint64_t v, w;

	rng = 7;
	for (int i = 0; i < 10000; i++)
		np_hist_record(live, draw(EXPONENTIAL));
	NP_CHECK_INT(np_hist_snapshot(s1, live), 0);
	check_same(s1, live, "snapshot");
	/*
	 * The interval: different values and a new maximum, 1000001, which is
	 * not its bucket's top (so only an exact max reports it).
	 */
	for (int i = 0; i < 5000; i++) {
		uint64_t x = draw(BIMODAL);

		np_hist_record(live, x);
		np_hist_record(only, x);
	}
	np_hist_record(live, 1000001);
	np_hist_record(only, 1000001);
	NP_CHECK(np_hist_highest_equivalent(only, 1000001) != 1000001, "1000001 is mid-bucket");
	NP_CHECK_INT(np_hist_snapshot(s2, live), 0);
	NP_CHECK_INT(np_hist_diff(d, s2, s1), 0);
	check_same(d, only, "diff of snapshots vs recording only the interval");
	NP_CHECK(d->max == only->max, "the interval raised the max: exact (%llu vs %llu)",
		 (unsigned long long)d->max, (unsigned long long)only->max);
	NP_CHECK(d->min >= np_hist_lowest_equivalent(only, only->min) && d->min <= only->min,
		 "interval min %llu: a lower bound within the bucket of %llu",
		 (unsigned long long)d->min, (unsigned long long)only->min);
	np_hist_percentile(d, 99, &v);
	np_hist_percentile(only, 99, &w);
	NP_CHECK(v == w, "interval p99 %llu vs %llu", (unsigned long long)v, (unsigned long long)w);
	/* The whole run is still there. */
	NP_CHECK_INT(np_hist_count(live), 15001);

	/* An interval that did not raise the max: max is its bucket's top, clamped. */
	np_hist_reset(only);
	for (int i = 0; i < 100; i++) {
		np_hist_record(live, 3000 + (uint64_t)i);
		np_hist_record(only, 3000 + (uint64_t)i);
	}
	NP_CHECK_INT(np_hist_snapshot(s3, live), 0);
	NP_CHECK_INT(np_hist_diff(d, s3, s2), 0);
	check_same(d, only, "second interval");
	NP_CHECK(d->max >= only->max && d->max == np_hist_highest_equivalent(only, only->max),
		 "max %llu: the top of the bucket of %llu", (unsigned long long)d->max,
		 (unsigned long long)only->max);
	np_hist_percentile(d, 100, &v);
	NP_CHECK(v >= 3099 && ((v - 3099) << 7) < 3099, "p100 of the interval %llu within the "
		 "bound of 3099", (unsigned long long)v);

	/*
	 * An interval with one saturated value: counted, max exact; min is the
	 * low end of the top bucket (the running min did not move).
	 */
	{
		np_hist *s4 = make(1 << 24, 7), *sat = make(1 << 24, 7);

		np_hist_record(live, 1 << 26);
		NP_CHECK_INT(np_hist_snapshot(s4, live), 0);
		NP_CHECK_INT(np_hist_diff(sat, s4, s3), 0);
		NP_CHECK_INT(np_hist_count(sat), 1);
		NP_CHECK_INT(np_hist_saturated(sat), 1);
		NP_CHECK_INT(np_hist_max(sat), 1 << 26);
		NP_CHECK_INT(np_hist_min(sat), np_hist_lowest_equivalent(sat, 1 << 26));
		free(s4);
		free(sat);
	}

	/* Swapped arguments are refused and dst is left alone. */
	memcpy(only, d, d->footprint);
	NP_CHECK_INT(np_hist_diff(d, s1, s2), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "is not an earlier snapshot");
	check_same(d, only, "dst unchanged after a refused diff");
	/* dst may alias now or then. */
	NP_CHECK_INT(np_hist_diff(s3, s3, s2), 0);
	check_same(s3, only, "diff into now");
	/* An empty interval. */
	NP_CHECK_INT(np_hist_diff(d, s2, s2), 0);
	NP_CHECK_INT(np_hist_count(d), 0);
	NP_CHECK_INT(np_hist_percentile(d, 50, &v), -ENODATA);
	NP_CHECK_INT(np_hist_snapshot(d, live), 0);
	NP_CHECK_INT(np_hist_snapshot(d, d), 0);
	{
		np_hist *smaller = make(1 << 20, 7);

		NP_CHECK_INT(np_hist_snapshot(d, smaller), -EINVAL);
		NP_CHECK_CONTAINS(np_last_error(), "make both with the same np_hist_params");
		NP_CHECK_INT(np_hist_diff(d, s2, smaller), -EINVAL);
		free(smaller);
	}
	free(live);
	free(s1);
	free(s2);
	free(s3);
	free(only);
	free(d);
}

/* ---- a reader while the owner records ------------------------------------------ */

#define CONC_VALUES 400000u

struct conc {
	np_hist *h;
	uint64_t value;          /* 0: 1, 2, 3, ...; else this value every time */
	atomic_bool started;
};

static void *
conc_writer(void *arg)
{
	struct conc *c = arg;

	atomic_store(&c->started, true);
	for (uint64_t v = 1; v <= CONC_VALUES; v++)
		np_hist_record(c->h, c->value ? c->value : v);
	return NULL;
}

/* Snapshots while values 1, 2, 3, ... arrive: each one self-consistent. */
static void
test_hist_concurrent(void)
{
	struct conc c = { .h = make(1 << 20, 7) };
	np_hist *s = make(1 << 20, 7);
	uint64_t last = 0, snaps = 0;
	int bad = 0;
	pthread_t t;

	NP_REQUIRE(pthread_create(&t, NULL, conc_writer, &c) == 0, "pthread_create");
	while (!atomic_load(&c.started))
		;
	while (last < CONC_VALUES && snaps < 100000) {
		uint64_t total = 0, p100 = 0;

		np_hist_snapshot(s, c.h);
		snaps++;
		for (uint32_t i = 0; i < s->n_buckets; i++)
			total += s->bucket[i];
		if (total == 0)
			continue;
		np_hist_percentile(s, 100, &p100);
		/* min is stored after the bucket: UINT64_MAX only if caught in the first record. */
		if ((total != s->count || total < last || p100 > s->max || s->max > CONC_VALUES ||
		     (s->min != 1 && s->min != UINT64_MAX)) && bad++ < 3)
			NP_CHECK(0, "snapshot %llu: count %llu, buckets %llu, previous %llu, max %llu, "
				 "p100 %llu, min %llu", (unsigned long long)snaps,
				 (unsigned long long)s->count, (unsigned long long)total,
				 (unsigned long long)last, (unsigned long long)s->max,
				 (unsigned long long)p100, (unsigned long long)s->min);
		last = total;
	}
	pthread_join(t, NULL);
	NP_CHECK_INT(np_hist_snapshot(s, c.h), 0);
	check_same(s, c.h, "final snapshot");
	NP_CHECK(sum128(s) == (unsigned __int128)CONC_VALUES * (CONC_VALUES + 1) / 2, "sum 1..N");
	NP_CHECK_INT(np_hist_max(s), CONC_VALUES);
	free(c.h);
	free(s);
}

/*
 * The 128-bit sum read while it carries on every other record (2^63 each
 * time): a torn read (new high word, old low word, or the reverse) is off
 * by 2^64, which breaks "a multiple of 2^63 that never goes down".
 */
static void
test_hist_concurrent_carry(void)
{
	struct conc c = { .h = make(UINT64_MAX, 7), .value = UINT64_C(1) << 63 };
	double last = 0, sum;
	uint64_t reads = 0;
	int bad = 0;
	pthread_t t;

	NP_REQUIRE(pthread_create(&t, NULL, conc_writer, &c) == 0, "pthread_create");
	while (!atomic_load(&c.started))
		;
	do {
		sum = np_hist_sum(c.h);
		reads++;
		if ((sum < last || fmod(sum, 0x1p63) != 0 || sum > CONC_VALUES * 0x1p63) &&
		    bad++ < 3)
			NP_CHECK(0, "read %llu: sum %.0f after %.0f: torn", (unsigned long long)reads,
				 sum, last);
		last = sum;
	} while (sum < CONC_VALUES * 0x1p63 && reads < 50000000);
	pthread_join(t, NULL);
	NP_CHECK(np_hist_sum(c.h) == CONC_VALUES * 0x1p63, "final sum %g", np_hist_sum(c.h));
	NP_CHECK(sum128(c.h) == (unsigned __int128)CONC_VALUES << 63, "exact final sum");
	free(c.h);
}

/* ---- create on a node ------------------------------------------------------------ */

static void
test_hist_create(void)
{
	struct np_hist_params p;
	np_hist *h;
	uint64_t v;
	int node = numa_available() < 0 ? 0 : numa_node_of_cpu(sched_getcpu());

	np_hist_params_init(&p);
	h = np_hist_create(&p, 0);
	NP_REQUIRE(h != NULL, "create on node 0: %s", np_last_error());
	/* Every page of it on node 0, the header's and the last bucket's. */
	NP_CHECK_INT(np_test_page_node(h), 0);
	NP_CHECK_INT(np_test_page_node(&h->bucket[h->n_buckets - 1]), 0);
	np_hist_record(h, 777);
	NP_CHECK_INT(np_hist_percentile(h, 50, &v), 0);
	NP_CHECK_INT(v, 777);
	np_hist_destroy(h);

	h = np_hist_create(&p, NP_NODE_ANY);
	NP_REQUIRE(h != NULL, "create anywhere: %s", np_last_error());
	NP_CHECK_INT(np_test_page_node(h), node);
	np_hist_destroy(h);

	errno = 0;
	NP_CHECK(np_hist_create(&p, NP_MAX_NODE_ID) == NULL, "absent node");
	NP_CHECK_INT(errno, ENODEV);
	NP_CHECK_CONTAINS(np_last_error(), "node 1023 does not exist, has no memory or is not "
			  "allowed to this process (usable nodes: ");
	errno = 0;
	NP_CHECK(np_hist_create(&p, -5) == NULL, "node -5");
	NP_CHECK_INT(errno, EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "node -5 is not a node id");
	p.sub_bucket_bits = 99;
	errno = 0;
	NP_CHECK(np_hist_create(&p, 0) == NULL, "bad params");
	NP_CHECK_INT(errno, EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "np_hist_create: sub_bucket_bits 99");
}

/* ---- numastat ------------------------------------------------------------------ */

/* A made-up /sys/devices/system/node, removed by fake_root_remove(). */
static char fake_root[64];

static void
fake_file(const char *rel, const char *text)
{
	char path[256], dir[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fake_root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	mkdir(dir, 0755);
	f = fopen(path, "w");
	NP_REQUIRE(f != NULL, "create %s: %s", path, strerror(errno));
	fputs(text, f);
	NP_REQUIRE(fclose(f) == 0, "write %s", path);
}

static void
fake_numastat(int node, uint64_t base)
{
	char rel[64], text[512];

	snprintf(rel, sizeof(rel), "node%d/numastat", node);
	snprintf(text, sizeof(text),
		 "numa_hit %llu\nnuma_miss %llu\nnuma_foreign %llu\ninterleave_hit %llu\n"
		 "local_node %llu\nother_node %llu\n", (unsigned long long)base,
		 (unsigned long long)base + 1, (unsigned long long)base + 2,
		 (unsigned long long)base + 3, (unsigned long long)base + 4,
		 (unsigned long long)base + 5);
	fake_file(rel, text);
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
fake_root_make(void)
{
	snprintf(fake_root, sizeof(fake_root), "/tmp/np-numastat-XXXXXX");
	return mkdtemp(fake_root) == NULL ? -1 : 0;
}

static int
fake_root_remove(void)
{
	return nftw(fake_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void
check_node(const struct np_numastat_node *n, int id, uint64_t base)
{
	NP_REQUIRE(n != NULL, "node %d missing", id);
	NP_CHECK_INT(n->node, id);
	for (unsigned int k = 0; k < NP_NUMASTAT_N_FIELDS; k++)
		NP_CHECK(n->v[k] == base + k, "node %d %s: %llu, expected %llu", id,
			 np_numastat_field_name(k), (unsigned long long)n->v[k],
			 (unsigned long long)(base + k));
}

/* Nodes 0 and 2 (a gap), read, subtracted, looked up. */
static void
test_numastat_fake(void)
{
	np_numastat *a, *b, *d;

	NP_CHECK_STR(np_numastat_field_name(NP_NUMASTAT_NUMA_HIT), "numa_hit");
	NP_CHECK_STR(np_numastat_field_name(NP_NUMASTAT_OTHER_NODE), "other_node");
	NP_CHECK(np_numastat_field_name(NP_NUMASTAT_N_FIELDS) == NULL, "out of range");

	fake_file("online", "0,2\n");
	fake_numastat(0, 1000);
	fake_numastat(2, 50);
	a = np_numastat_read(fake_root);
	NP_REQUIRE(a != NULL, "read: %s", np_last_error());
	NP_CHECK_INT(np_numastat_count(a), 2);
	check_node(np_numastat_at(a, 0), 0, 1000);
	check_node(np_numastat_at(a, 1), 2, 50);
	check_node(np_numastat_node(a, 2), 2, 50);
	NP_CHECK(np_numastat_node(a, 1) == NULL, "no node 1");
	NP_CHECK(np_numastat_at(a, 2) == NULL, "index 2 out of range");

	/* Later: more on both; node 3 came online (left out of the delta). */
	fake_file("online", "0,2-3\n");
	fake_numastat(0, 1500);
	fake_numastat(2, 50);
	fake_numastat(3, 7);
	/* A counter a later kernel might add is skipped. */
	fake_file("node2/numastat", "numa_hit 60\nnuma_miss 61\nnuma_foreign 62\n"
		  "interleave_hit 63\nlocal_node 64\nother_node 65\nnuma_new_thing 99\n");
	b = np_numastat_read(fake_root);
	NP_REQUIRE(b != NULL, "read: %s", np_last_error());
	NP_CHECK_INT(np_numastat_count(b), 3);
	d = np_numastat_delta(b, a);
	NP_REQUIRE(d != NULL, "delta: %s", np_last_error());
	NP_CHECK_INT(np_numastat_count(d), 2);
	for (unsigned int k = 0; k < NP_NUMASTAT_N_FIELDS; k++) {
		NP_CHECK_INT(np_numastat_node(d, 0)->v[k], 500);
		NP_CHECK_INT(np_numastat_node(d, 2)->v[k], 10);
	}
	NP_CHECK(np_numastat_node(d, 3) == NULL, "a node missing before is left out");
	np_numastat_destroy(d);

	/* Swapped: refused, saying which counter went down. */
	errno = 0;
	NP_CHECK(np_numastat_delta(a, b) == NULL, "swapped snapshots");
	NP_CHECK_INT(errno, EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "node 0 numa_hit went down from 1500 to 1000");
	NP_CHECK(np_numastat_delta(NULL, b) == NULL, "NULL after");
	NP_CHECK_CONTAINS(np_last_error(), "after is NULL");
	/* A snapshot minus itself: all zero. */
	d = np_numastat_delta(b, b);
	NP_REQUIRE(d != NULL, "delta: %s", np_last_error());
	for (unsigned int i = 0; i < np_numastat_count(d); i++)
		for (unsigned int k = 0; k < NP_NUMASTAT_N_FIELDS; k++)
			NP_CHECK_INT(np_numastat_at(d, i)->v[k], 0);
	np_numastat_destroy(d);
	np_numastat_destroy(a);
	np_numastat_destroy(b);
	NP_CHECK_INT(np_numastat_count(NULL), 0);
	NP_CHECK(np_numastat_at(NULL, 0) == NULL && np_numastat_node(NULL, 0) == NULL, "NULL");
	np_numastat_destroy(NULL);
}

/* Bad roots and files: each refused with what, where and errno. */
static void
test_numastat_bad(void)
{
	char path[128];

	errno = 0;
	NP_CHECK(np_numastat_read("/no/such/dir") == NULL, "no root");
	NP_CHECK_INT(errno, ENOENT);
	NP_CHECK_CONTAINS(np_last_error(), "cannot read /no/such/dir/online");

	fake_file("online", "0-\n");
	errno = 0;
	NP_CHECK(np_numastat_read(fake_root) == NULL, "malformed list");
	NP_CHECK_INT(errno, EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "/online is not a node list");

	fake_file("online", "\n");
	NP_CHECK(np_numastat_read(fake_root) == NULL, "empty list");
	NP_CHECK_CONTAINS(np_last_error(), "lists no node");

	fake_file("online", "0,1\n");
	fake_numastat(0, 1);
	errno = 0;
	NP_CHECK(np_numastat_read(fake_root) == NULL, "node 1 has no file");
	NP_CHECK_INT(errno, ENOENT);
	NP_CHECK_CONTAINS(np_last_error(), "node 1 is listed in");
	snprintf(path, sizeof(path), "%s/node1/numastat cannot be read", fake_root);
	NP_CHECK_CONTAINS(np_last_error(), path);

	fake_file("online", "0\n");
	fake_file("node0/numastat", "numa_hit 1\nnuma_miss 2\nnuma_foreign 3\ninterleave_hit 4\n"
		  "local_node 5\n");
	errno = 0;
	NP_CHECK(np_numastat_read(fake_root) == NULL, "a counter missing");
	NP_CHECK_INT(errno, EIO);
	NP_CHECK_CONTAINS(np_last_error(), "node0/numastat has no other_node line");

	fake_file("node0/numastat", "numa_hit 1\nnuma_miss -2\n");
	errno = 0;
	NP_CHECK(np_numastat_read(fake_root) == NULL, "a negative count");
	NP_CHECK_INT(errno, EIO);
	NP_CHECK_CONTAINS(np_last_error(), "node0/numastat:2: \"numa_miss -2\" is not");

	fake_file("node0/numastat", "numa_hit 1 2\n");
	NP_CHECK(np_numastat_read(fake_root) == NULL, "two numbers");
	NP_CHECK_CONTAINS(np_last_error(), ":1: \"numa_hit 1 2\"");
	fake_file("node0/numastat", "numa_hit\n");
	NP_CHECK(np_numastat_read(fake_root) == NULL, "no number");
	NP_CHECK_CONTAINS(np_last_error(), ":1: \"numa_hit\"");
}

/*
 * This host's kernel: fault in 1024 fresh 4 KB pages and see the
 * allocations counted. Each counts as a hit or a miss on the node it
 * landed on, and as local or other: the sums over the nodes grow by at
 * least 1024 (other processes only add).
 */
static void
test_numastat_live(void)
{
	const size_t pages = 1024, psize = (size_t)sysconf(_SC_PAGESIZE);
	np_numastat *before, *after, *d;
	uint64_t hit_miss = 0, local_other = 0;
	char *mem;

	before = np_numastat_read(NULL);
	if (before == NULL && errno == ENOENT) {
		fprintf(stderr, "SKIP live numastat: %s\n", np_last_error());
		return;
	}
	NP_REQUIRE(before != NULL, "read: %s", np_last_error());
	NP_CHECK(np_numastat_count(before) >= 1, "at least one node");
	NP_CHECK(np_numastat_node(before, numa_available() < 0 ? 0 :
				  numa_node_of_cpu(sched_getcpu())) != NULL,
		 "the node this thread runs on is in the snapshot");
	mem = mmap(NULL, pages * psize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	NP_REQUIRE(mem != MAP_FAILED, "mmap: %s", strerror(errno));
	madvise(mem, pages * psize, MADV_NOHUGEPAGE);   /* 1024 allocations, not 2 THPs */
	for (size_t i = 0; i < pages; i++)
		mem[i * psize] = 1;
	after = np_numastat_read(NULL);
	NP_REQUIRE(after != NULL, "read: %s", np_last_error());
	d = np_numastat_delta(after, before);
	NP_REQUIRE(d != NULL, "delta: %s", np_last_error());
	for (unsigned int i = 0; i < np_numastat_count(d); i++) {
		const struct np_numastat_node *n = np_numastat_at(d, i);

		hit_miss += n->v[NP_NUMASTAT_NUMA_HIT] + n->v[NP_NUMASTAT_NUMA_MISS];
		local_other += n->v[NP_NUMASTAT_LOCAL_NODE] + n->v[NP_NUMASTAT_OTHER_NODE];
	}
	NP_CHECK(hit_miss >= pages, "numa_hit + numa_miss grew by %llu over %zu page faults",
		 (unsigned long long)hit_miss, pages);
	NP_CHECK(local_other >= pages, "local_node + other_node grew by %llu over %zu page faults",
		 (unsigned long long)local_other, pages);
	munmap(mem, pages * psize);
	np_numastat_destroy(d);
	np_numastat_destroy(before);
	np_numastat_destroy(after);
}

/* ---- Prometheus text ------------------------------------------------------------ */

static const struct np_prom_label awkward[] = {
	{ "port", "0000:03:00.0" },
	{ "name", "back\\slash \"quoted\"\nnew line" },
	{ "unit", "\xc2\xb5s" },          /* UTF-8 micro sign */
	{ "empty", "" },
};

/* A file with every kind of family; what promtool is given. */
static void
write_sample_file(np_prom *w)
{
	static const struct np_prom_label port0[] = { { "port", "0" } }, port1[] = { { "port", "1" } };
	static const double q[] = { 0.5, 0.99 }, qv[] = { 0.25, 1.5 };
	np_hist *h = make(1 << 20, 7), *empty = make(1 << 20, 7);

	for (uint64_t v = 1000; v < 2000; v++)
		np_hist_record(h, v);
	NP_CHECK_INT(np_prom_family(w, "numaperf_rx_packets_total", NP_PROM_COUNTER,
				    "Packets received.\nPer port; a \\ stays a backslash."), 0);
	NP_CHECK_INT(np_prom_sample_u64(w, NULL, awkward, RTE_DIM(awkward), UINT64_MAX), 0);
	NP_CHECK_INT(np_prom_sample_u64(w, "", port1, 1, 42), 0);
	NP_CHECK_INT(np_prom_family(w, "numaperf_locality_ratio", NP_PROM_GAUGE,
				    "Share of packets handled on the port's node (0..1)."), 0);
	NP_CHECK_INT(np_prom_sample(w, NULL, port0, 1, 0.5), 0);
	NP_CHECK_INT(np_prom_sample(w, NULL, port1, 1, 1.0 / 3), 0);
	NP_CHECK_INT(np_prom_family(w, "numaperf_odd_values", NP_PROM_GAUGE,
				    "NaN, infinities and small numbers."), 0);
	NP_CHECK_INT(np_prom_sample(w, NULL, (struct np_prom_label[]){ { "v", "nan" } }, 1, NAN), 0);
	NP_CHECK_INT(np_prom_sample(w, NULL, (struct np_prom_label[]){ { "v", "inf" } }, 1,
				    INFINITY), 0);
	NP_CHECK_INT(np_prom_sample(w, NULL, (struct np_prom_label[]){ { "v", "-inf" } }, 1,
				    -INFINITY), 0);
	NP_CHECK_INT(np_prom_sample(w, NULL, (struct np_prom_label[]){ { "v", "tiny" } }, 1, 1e-7),
		     0);
	NP_CHECK_INT(np_prom_family(w, "numaperf_latency_seconds", NP_PROM_SUMMARY,
				    "Packet latency from RX to TX, whole run."), 0);
	NP_CHECK_INT(np_prom_hist_summary(w, port0, 1, h, 1000000000u), 0);
	NP_CHECK_INT(np_prom_hist_summary(w, port1, 1, empty, 1000000000u), 0);
	NP_CHECK_INT(np_prom_summary(w, (struct np_prom_label[]){ { "port", "all" } }, 1, q, qv, 2,
				     7.5, 10), 0);
	NP_CHECK_INT(np_prom_family(w, "numaperf_burst_size", NP_PROM_HISTOGRAM,
				    "Packets per RX burst."), 0);
	NP_CHECK_INT(np_prom_sample_u64(w, "_bucket", (struct np_prom_label[]){ { "le", "1" } }, 1,
					3), 0);
	NP_CHECK_INT(np_prom_sample_u64(w, "_bucket", (struct np_prom_label[]){ { "le", "32" } }, 1,
					9), 0);
	NP_CHECK_INT(np_prom_sample_u64(w, "_bucket", (struct np_prom_label[]){ { "le", "+Inf" } },
					1, 10), 0);
	NP_CHECK_INT(np_prom_sample_u64(w, "_sum", NULL, 0, 150), 0);
	NP_CHECK_INT(np_prom_sample_u64(w, "_count", NULL, 0, 10), 0);
	free(h);
	free(empty);
}

/* The exact text: escaping, value formats, summary lines. */
static void
test_prom_text(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	np_prom *w;

	NP_REQUIRE(f != NULL, "open_memstream");
	w = np_prom_create(f);
	NP_REQUIRE(w != NULL, "create: %s", np_last_error());
	write_sample_file(w);
	NP_CHECK_INT(np_prom_close(w), 0);
	fclose(f);
	NP_CHECK_CONTAINS(buf, "# HELP numaperf_rx_packets_total Packets received.\\nPer port; a \\\\ "
			  "stays a backslash.\n# TYPE numaperf_rx_packets_total counter\n");
	NP_CHECK_CONTAINS(buf, "numaperf_rx_packets_total{port=\"0000:03:00.0\",name=\"back\\\\slash "
			  "\\\"quoted\\\"\\nnew line\",unit=\"\xc2\xb5s\",empty=\"\"} "
			  "18446744073709551615\n");
	NP_CHECK_CONTAINS(buf, "numaperf_rx_packets_total{port=\"1\"} 42\n");
	NP_CHECK_CONTAINS(buf, "numaperf_locality_ratio{port=\"0\"} 0.5\n");
	NP_CHECK_CONTAINS(buf, "numaperf_locality_ratio{port=\"1\"} 0.33333333333333331\n");
	NP_CHECK_CONTAINS(buf, "numaperf_odd_values{v=\"nan\"} NaN\n");
	NP_CHECK_CONTAINS(buf, "numaperf_odd_values{v=\"inf\"} +Inf\n");
	NP_CHECK_CONTAINS(buf, "numaperf_odd_values{v=\"-inf\"} -Inf\n");
	NP_CHECK_CONTAINS(buf, "numaperf_odd_values{v=\"tiny\"} 1e-07\n");
	/* 1000..1999 ns: p50 is 1499 in the bucket [1496, 1503], p99.99 the max 1999. */
	NP_CHECK_CONTAINS(buf, "# TYPE numaperf_latency_seconds summary\n"
			  "numaperf_latency_seconds{port=\"0\",quantile=\"0.5\"} 1.503e-06\n");
	NP_CHECK_CONTAINS(buf, "numaperf_latency_seconds{port=\"0\",quantile=\"0.9999\"} 1.999e-06\n");
	NP_CHECK_CONTAINS(buf, "numaperf_latency_seconds_sum{port=\"0\"} 0.0014995\n"
			  "numaperf_latency_seconds_count{port=\"0\"} 1000\n");
	NP_CHECK_CONTAINS(buf, "numaperf_latency_seconds{port=\"1\",quantile=\"0.99\"} NaN\n");
	NP_CHECK_CONTAINS(buf, "numaperf_latency_seconds_count{port=\"1\"} 0\n");
	NP_CHECK_CONTAINS(buf, "numaperf_latency_seconds{port=\"all\",quantile=\"0.99\"} 1.5\n"
			  "numaperf_latency_seconds_sum{port=\"all\"} 7.5\n"
			  "numaperf_latency_seconds_count{port=\"all\"} 10\n");
	NP_CHECK_CONTAINS(buf, "numaperf_burst_size_bucket{le=\"+Inf\"} 10\n"
			  "numaperf_burst_size_sum 150\nnumaperf_burst_size_count 10\n");
	free(buf);
}

/* Exit status and output of `promtool check metrics < path`; -1 if promtool is missing. */
static int
promtool_check(const char *path, char *out, size_t len)
{
	char cmd[512];
	size_t n = 0;
	FILE *p;
	int st;

	if (system("command -v promtool >/dev/null 2>&1") != 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "promtool check metrics < '%s' 2>&1", path);
	p = popen(cmd, "r");
	NP_REQUIRE(p != NULL, "popen: %s", strerror(errno));
	while (n + 1 < len && fgets(out + n, (int)(len - n), p) != NULL)
		n += strlen(out + n);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/*
 * The file a textfile collector would read, checked by promtool (parser and
 * lint). A broken file is checked too, so a promtool that accepts anything
 * cannot pass this test.
 */
static void
test_prom_promtool(void)
{
	char path[128], tmp[160], out[400];
	struct stat st;
	np_prom *w;
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/numaperf.prom", fake_root);
	w = np_prom_create_file(path);
	NP_REQUIRE(w != NULL, "create_file: %s", np_last_error());
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	NP_CHECK(stat(tmp, &st) == 0, "written to %s first", tmp);
	NP_CHECK(stat(path, &st) != 0, "%s appears only when complete", path);
	write_sample_file(w);
	NP_CHECK_INT(np_prom_close(w), 0);
	NP_CHECK(stat(path, &st) == 0 && st.st_size > 0, "%s renamed into place", path);
	NP_CHECK(stat(tmp, &st) != 0, "no temporary file left");

	rc = promtool_check(path, out, sizeof(out));
	if (rc == -1) {
		fprintf(stderr, "SKIP promtool check: promtool not found (apt-get install prometheus; "
			"only promtool is used, the service need not run)\n");
		return;
	}
	NP_CHECK(rc == 0 && out[0] == '\0', "promtool check metrics: exit %d, said: %s", rc, out);

	/* The control: an escape the format does not have. */
	f = fopen(path, "w");
	NP_REQUIRE(f != NULL, "rewrite %s", path);
	fputs("# HELP x_total y\n# TYPE x_total counter\nx_total{a=\"\\q\"} 1\n", f);
	fclose(f);
	rc = promtool_check(path, out, sizeof(out));
	NP_CHECK(rc != 0 && strstr(out, "invalid escape") != NULL,
		 "promtool must refuse a bad file: exit %d, said: %s", rc, out);
	unlink(path);
}

static void
test_prom_errors(void)
{
	static const struct np_prom_label one[] = { { "port", "0" } };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	np_prom *w = np_prom_create(f);

	NP_REQUIRE(w != NULL, "create: %s", np_last_error());
	errno = 0;
	NP_CHECK(np_prom_create(NULL) == NULL && errno == EINVAL, "NULL stream");
	NP_CHECK_INT(np_prom_sample(w, NULL, NULL, 0, 1), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "no family: call np_prom_family() first");
	NP_CHECK_INT(np_prom_family(w, "9lives", NP_PROM_GAUGE, "x"), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "\"9lives\" is not a metric name");
	NP_CHECK_INT(np_prom_family(w, "a-b", NP_PROM_GAUGE, "x"), -EINVAL);
	NP_CHECK_INT(np_prom_family(w, "", NP_PROM_GAUGE, "x"), -EINVAL);
	NP_CHECK_INT(np_prom_family(w, NULL, NP_PROM_GAUGE, "x"), -EINVAL);
	NP_CHECK_INT(np_prom_family(w, "ok", (enum np_prom_type)9, "x"), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "type 9 is not an np_prom_type");
	NP_CHECK_INT(np_prom_family(w, "ok", NP_PROM_GAUGE, NULL), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "help text is NULL");
	NP_CHECK_INT(np_prom_family(w, "ok", NP_PROM_GAUGE, "bad \xff utf-8"), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "is not UTF-8");
	NP_CHECK_INT(np_prom_family(w, "ns:ok_total", NP_PROM_COUNTER, "x"), 0);
	NP_CHECK_INT(np_prom_sample(w, "_sum", NULL, 0, 1), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "ns:ok_total is a counter: suffix \"_sum\" is not one");
	NP_CHECK_INT(np_prom_sample(w, NULL, (struct np_prom_label[]){ { "__name__", "x" } }, 1, 1),
		     -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "\"__name__\" is not a label name");
	NP_CHECK_INT(np_prom_sample(w, NULL, (struct np_prom_label[]){ { "a:b", "x" } }, 1, 1),
		     -EINVAL);
	NP_CHECK_INT(np_prom_sample(w, NULL, (struct np_prom_label[]){ { "a", NULL } }, 1, 1),
		     -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "label a: the value is NULL");
	NP_CHECK_INT(np_prom_sample(w, NULL, (struct np_prom_label[]){ { "a", "\xc0\xaf" } }, 1, 1),
		     -EINVAL);   /* an overlong '/' */
	NP_CHECK_CONTAINS(np_last_error(), "the value is not UTF-8");
	NP_CHECK_INT(np_prom_sample(w, NULL, (struct np_prom_label[]){ { "a", "1" }, { "a", "2" } },
				    2, 1), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "label a given twice");
	NP_CHECK_INT(np_prom_sample(w, NULL, NULL, 1, 1), -EINVAL);
	NP_CHECK_INT(np_prom_sample(w, NULL, one, NP_PROM_MAX_LABELS + 1, 1), -EINVAL);
	NP_CHECK_INT(np_prom_family(w, "ns:ok_total", NP_PROM_GAUGE, "again"), -EEXIST);
	NP_CHECK_CONTAINS(np_last_error(), "ns:ok_total was already written");
	NP_CHECK_INT(np_prom_summary(w, one, 1, NULL, NULL, 0, 0, 0), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "(ns:ok_total) is not a summary");

	NP_CHECK_INT(np_prom_family(w, "lat_seconds", NP_PROM_SUMMARY, "x"), 0);
	NP_CHECK_INT(np_prom_sample(w, NULL, one, 1, 1), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "a summary sample needs a \"quantile\" label");
	NP_CHECK_INT(np_prom_sample(w, NULL, (struct np_prom_label[]){ { "quantile", "high" } }, 1,
				    1), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "quantile=\"high\" is not a number");
	NP_CHECK_INT(np_prom_sample(w, "_count", (struct np_prom_label[]){ { "quantile", "0.5" } },
				    1, 1), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "the label quantile belongs to the quantile samples only");
	NP_CHECK_INT(np_prom_summary(w, one, 1, (double[]){ 1.5 }, (double[]){ 1 }, 1, 0, 0),
		     -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "quantile 1.5 is not in 0..1");
	NP_CHECK_INT(np_prom_hist_summary(w, one, 1, NULL, 1), -EINVAL);
	{
		np_hist *h = make(100, 3);

		NP_CHECK_INT(np_prom_hist_summary(w, one, 1, h, 0), -EINVAL);
		NP_CHECK_CONTAINS(np_last_error(), "units_per_second is 0");
		free(h);
	}
	/* A summary owns name_sum and name_count; a histogram name_bucket too. */
	NP_CHECK_INT(np_prom_family(w, "lat_seconds_count", NP_PROM_COUNTER, "x"), -EEXIST);
	NP_CHECK_INT(np_prom_family(w, "q_sum", NP_PROM_GAUGE, "x"), 0);
	NP_CHECK_INT(np_prom_family(w, "q", NP_PROM_HISTOGRAM, "x"), -EEXIST);
	NP_CHECK_CONTAINS(np_last_error(), "the histogram q would write samples named q_sum");
	NP_CHECK_INT(np_prom_family(w, "h", NP_PROM_HISTOGRAM, "x"), 0);
	NP_CHECK_INT(np_prom_sample(w, "_bucket", NULL, 0, 1), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "a histogram sample needs a \"le\" label");
	NP_CHECK_INT(np_prom_sample(w, "", NULL, 0, 1), -EINVAL);
	NP_CHECK_INT(np_prom_close(w), 0);
	fclose(f);
	/* Nothing refused was written: no half lines. */
	NP_CHECK(strstr(buf, "9lives") == NULL && strstr(buf, "__name__") == NULL &&
		 strstr(buf, "high") == NULL, "refused calls wrote nothing: %s", buf);
	free(buf);
	NP_CHECK_INT(np_prom_close(NULL), 0);
	np_prom_destroy(NULL);
}

/* A full disk: /dev/full fails every write with ENOSPC. */
static void
test_prom_dev_full(void)
{
	FILE *f = fopen("/dev/full", "w");
	np_prom *w;

	if (f == NULL) {
		fprintf(stderr, "SKIP /dev/full: %s\n", strerror(errno));
		return;
	}
	/* Buffered: the calls succeed into the buffer, close reports the loss. */
	w = np_prom_create(f);
	NP_REQUIRE(w != NULL, "create");
	NP_CHECK_INT(np_prom_family(w, "x_total", NP_PROM_COUNTER, "x"), 0);
	NP_CHECK_INT(np_prom_sample_u64(w, NULL, NULL, 0, 1), 0);
	NP_CHECK_INT(np_prom_close(w), -EIO);
	NP_CHECK_CONTAINS(np_last_error(), "the metrics were not all written");
	fclose(f);

	/* Unbuffered: the first write fails, and every call after it. */
	f = fopen("/dev/full", "w");
	NP_REQUIRE(f != NULL, "reopen /dev/full");
	setvbuf(f, NULL, _IONBF, 0);
	w = np_prom_create(f);
	NP_REQUIRE(w != NULL, "create");
	NP_CHECK_INT(np_prom_family(w, "x_total", NP_PROM_COUNTER, "x"), -EIO);
	NP_CHECK_CONTAINS(np_last_error(), "writing the metrics failed: No space left on device");
	NP_CHECK_INT(np_prom_sample_u64(w, NULL, NULL, 0, 1), -EIO);
	NP_CHECK_CONTAINS(np_last_error(), "an earlier write failed");
	NP_CHECK_INT(np_prom_family(w, "y", NP_PROM_GAUGE, "y"), -EIO);
	NP_CHECK_INT(np_prom_close(w), -EIO);
	fclose(f);
}

static void
test_prom_file_errors(void)
{
	char path[128], tmp[160];
	struct stat st;
	np_prom *w;

	errno = 0;
	NP_CHECK(np_prom_create_file("/no/such/dir/x.prom") == NULL, "no directory");
	NP_CHECK_INT(errno, ENOENT);
	NP_CHECK_CONTAINS(np_last_error(), "cannot create /no/such/dir/x.prom.tmp.");
	NP_CHECK(np_prom_create_file("") == NULL && errno == EINVAL, "empty path");
	/* Abandoned: neither the file nor its temporary stays. */
	snprintf(path, sizeof(path), "%s/abandoned.prom", fake_root);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	w = np_prom_create_file(path);
	NP_REQUIRE(w != NULL, "create_file: %s", np_last_error());
	NP_CHECK_INT(np_prom_family(w, "x", NP_PROM_GAUGE, "x"), 0);
	np_prom_destroy(w);
	NP_CHECK(stat(path, &st) != 0 && stat(tmp, &st) != 0, "nothing left behind");
	/* A rename that cannot happen (the target is a non-empty directory): refused, cleaned. */
	NP_REQUIRE(mkdir(path, 0755) == 0, "mkdir %s", path);
	fake_file("abandoned.prom/keep", "x");
	w = np_prom_create_file(path);
	NP_REQUIRE(w != NULL, "create_file: %s", np_last_error());
	NP_CHECK(np_prom_close(w) < 0, "rename onto a directory fails");
	NP_CHECK_CONTAINS(np_last_error(), "cannot rename");
	NP_CHECK(stat(tmp, &st) != 0, "temporary removed");
}

/* ---- np_hist_record_n: a run of equal values --------------------------- */

static void
test_hist_record_n(void)
{
	struct np_hist_params p;
	np_hist *a, *b;
	struct np_hist_summary sa, sb;

	np_hist_params_init(&p);
	a = np_hist_create(&p, NP_NODE_ANY);
	b = np_hist_create(&p, NP_NODE_ANY);
	NP_REQUIRE(a != NULL && b != NULL, "histograms");
	/* The same values, once by run and once one by one: the same histogram. */
	for (uint64_t v = 1; v < 5000000; v = v * 3 + 7) {
		np_hist_record_n(a, v, v % 32 + 1);
		for (uint64_t k = 0; k < v % 32 + 1; k++)
			np_hist_record(b, v);
	}
	np_hist_record_n(a, np_hist_highest_trackable(a) + 5, 3);
	for (int k = 0; k < 3; k++)
		np_hist_record(b, np_hist_highest_trackable(b) + 5);
	NP_REQUIRE_INT(np_hist_summarize(a, &sa), 0);
	NP_REQUIRE_INT(np_hist_summarize(b, &sb), 0);
	NP_CHECK_INT(sa.count, sb.count);
	NP_CHECK_INT(sa.min, sb.min);
	NP_CHECK_INT(sa.max, sb.max);
	NP_CHECK_INT(sa.p50, sb.p50);
	NP_CHECK_INT(sa.p99, sb.p99);
	NP_CHECK_INT(sa.p9999, sb.p9999);
	NP_CHECK_INT(sa.saturated, 3);
	NP_CHECK(np_hist_sum(a) == np_hist_sum(b), "sums %g and %g", np_hist_sum(a),
		 np_hist_sum(b));
	np_hist_destroy(a);
	np_hist_destroy(b);
}

/* ---- np_audit: intended, user and actual nodes ------------------------------ */

static void
test_audit_os_memory(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	size_t len = 8 * (size_t)pg;
	char *mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int here;
	np_audit *a = np_audit_create();
	struct np_audit_entry e;
	char *buf = NULL;
	size_t blen = 0;
	FILE *f;

	NP_REQUIRE(mem != MAP_FAILED && a != NULL, "memory and an audit");
	memset(mem, 1, len);            /* first touch: on this thread's node */
	here = numa_node_of_cpu(sched_getcpu());
	NP_REQUIRE(here >= 0, "this CPU's node");
	/* Meant for here, used here: OK. Meant for here, used on node 77: REMOTE. */
	NP_CHECK_INT(np_audit_add(a, "buf", "local", here, here, mem, len, NP_AUDIT_OS), 0);
	NP_CHECK_INT(np_audit_add(a, "buf", "remote user", here, 77, mem, len, NP_AUDIT_OS), 0);
	/* Meant for node 77: wherever it is, it is not there: MISPLACED. */
	NP_CHECK_INT(np_audit_add(a, "buf", "meant elsewhere", 77, 77, mem, len, NP_AUDIT_OS), 0);
	/* Not DPDK memory, as if it were: DPDK cannot say, the kernel can. */
	NP_CHECK_INT(np_audit_add(a, "buf", "not dpdk", here, here, mem, 1, NP_AUDIT_DPDK), 0);
	NP_CHECK_INT(np_audit_add(a, NULL, "x", 0, 0, mem, 1, NP_AUDIT_OS), -EINVAL);
	NP_CHECK_INT(np_audit_add(a, "x", "x", 0, 0, mem, 0, NP_AUDIT_OS), -EINVAL);
	NP_CHECK_INT(np_audit_resolve(a), 2);
	NP_REQUIRE_INT(np_audit_count(a), 4);
	NP_REQUIRE_INT(np_audit_entry(a, 0, &e), 0);
	NP_CHECK_INT(e.kernel_node, here);
	NP_CHECK_INT(e.pages, 8);
	NP_CHECK_INT(e.pages_off, 0);
	NP_CHECK_INT(e.dpdk_node, NP_NODE_UNKNOWN);
	NP_CHECK_STR(np_audit_verdict_name(e.verdict), "OK");
	np_audit_entry(a, 1, &e);
	NP_CHECK_STR(np_audit_verdict_name(e.verdict), "REMOTE");
	np_audit_entry(a, 2, &e);
	NP_CHECK_STR(np_audit_verdict_name(e.verdict), "MISPLACED");
	NP_CHECK_INT(e.pages_off, 8);
	np_audit_entry(a, 3, &e);
	NP_CHECK_STR(np_audit_verdict_name(e.verdict), "OK");
	NP_CHECK_INT(e.pages, 1);
	NP_CHECK_INT(np_audit_count_verdict(a, NP_AUDIT_OK), 2);
	NP_CHECK_INT(np_audit_entry(a, 4, &e), -EINVAL);
	f = open_memstream(&buf, &blen);
	NP_REQUIRE(f != NULL, "memstream");
	NP_CHECK_INT(np_audit_print(a, f), 0);
	fclose(f);
	NP_CHECK_CONTAINS(buf, "meant elsewhere");
	NP_CHECK_CONTAINS(buf, "MISPLACED");
	free(buf);
	/* Unmapped: nobody can say. */
	munmap(mem, len);
	np_audit_clear(a);
	NP_CHECK_INT(np_audit_add(a, "gone", "unmapped", 0, 0, mem, len, NP_AUDIT_OS), 0);
	NP_CHECK_INT(np_audit_resolve(a), 0);
	np_audit_entry(a, 0, &e);
	NP_CHECK_STR(np_audit_verdict_name(e.verdict), "UNKNOWN");
	np_audit_destroy(a);
}

#define CASES(name, ...) static const struct np_test_case name[] = { __VA_ARGS__, { NULL, NULL } }

CASES(hist_params_cases,
      { "params, footprint and bad arguments", test_hist_params },
      { "empty histogram and bad queries", test_hist_queries_empty_and_bad });
CASES(hist_bucket_cases, { "buckets hold their values and tile", test_hist_buckets });
CASES(hist_accuracy_cases,
      { "percentile definition by hand", test_hist_definition },
      { "exact percentiles of four distributions", test_hist_accuracy });
CASES(hist_edge_cases,
      { "0, 1 and UINT64_MAX", test_hist_edges },
      { "saturation", test_hist_saturation });
CASES(hist_merge_cases, { "merge equals recording all into one", test_hist_merge });
CASES(hist_interval_cases,
      { "diff of snapshots equals the interval", test_hist_interval },
      { "snapshots while the owner records", test_hist_concurrent },
      { "the 128-bit sum read while it carries", test_hist_concurrent_carry });
CASES(hist_memory_cases, { "create on a node, destroy", test_hist_create },
      { "a run of equal values at once", test_hist_record_n });
CASES(audit_cases, { "intended, user and actual nodes of OS memory", test_audit_os_memory });
CASES(numastat_cases,
      { "made-up nodes 0 and 2: read, delta, look up", test_numastat_fake },
      { "bad roots and files", test_numastat_bad },
      { "this host: page faults are counted", test_numastat_live });
CASES(prom_cases,
      { "exact text: escaping, values, summaries", test_prom_text },
      { "promtool check metrics accepts the file", test_prom_promtool },
      { "bad names, labels, suffixes, duplicates", test_prom_errors },
      { "a full disk is -EIO", test_prom_dev_full },
      { "file: temporary, rename, abandon", test_prom_file_errors });

NP_TEST_MAIN(
	{ "hist params", NULL, NULL, hist_params_cases },
	{ "hist buckets", NULL, NULL, hist_bucket_cases },
	{ "hist accuracy", NULL, NULL, hist_accuracy_cases },
	{ "hist edges", NULL, NULL, hist_edge_cases },
	{ "hist merge", NULL, NULL, hist_merge_cases },
	{ "hist intervals", NULL, NULL, hist_interval_cases },
	{ "hist memory", NULL, NULL, hist_memory_cases },
	{ "numastat", fake_root_make, fake_root_remove, numastat_cases },
	{ "prometheus", fake_root_make, fake_root_remove, prom_cases },
	{ "audit", NULL, NULL, audit_cases },
)
