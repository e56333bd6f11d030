/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the benchmark commands (bench-primitives, bench-flow, bench-graph)
 * share: their clocks and how a figure is printed, "median (min-max)" of
 * the rounds. Header only; not part of the library.
 */
#ifndef BENCH_FIGURES_H
#define BENCH_FIGURES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/** Most rounds a figure is the median of. */
#define BENCH_MAX_ROUNDS 99

/** Clock @id now, in ns. */
static inline uint64_t
bench_clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/** Wall time, ns. */
static inline uint64_t
bench_wall_ns(void)
{
	return bench_clock_ns(CLOCK_MONOTONIC);
}

/**
 * CPU time of the calling thread, ns: on a shared machine a thread
 * preempted mid-loop would otherwise count the other process's time as
 * its own work's cost.
 */
static inline uint64_t
bench_thread_ns(void)
{
	return bench_clock_ns(CLOCK_THREAD_CPUTIME_ID);
}

static inline int
bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/** The median of @n (1..BENCH_MAX_ROUNDS) values; @v is left as it was. */
static inline double
bench_median(const double *v, unsigned int n)
{
	double s[BENCH_MAX_ROUNDS];

	if (n == 0)
		return 0;
	if (n > BENCH_MAX_ROUNDS)
		n = BENCH_MAX_ROUNDS;
	memcpy(s, v, n * sizeof(v[0]));
	qsort(s, n, sizeof(s[0]), bench_cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** The median, minimum and maximum of @n (0..BENCH_MAX_ROUNDS) values into out[0..2]; 0s if n is 0. */
static inline void
bench_stats3(const double *v, unsigned int n, double out[3])
{
	if (n == 0) {
		out[0] = out[1] = out[2] = 0;
		return;
	}
	out[0] = bench_median(v, n);
	out[1] = out[2] = v[0];
	for (unsigned int i = 1; i < n; i++) {
		out[1] = v[i] < out[1] ? v[i] : out[1];
		out[2] = v[i] > out[2] ? v[i] : out[2];
	}
}

/** "median (min-max)" of @n values into @buf, or the one value if n is 1. */
static inline const char *
bench_spread(const double *v, unsigned int n, char *buf, size_t len)
{
	double s[3];

	bench_stats3(v, n, s);
	if (n == 1)
		snprintf(buf, len, "%.2f", v[0]);
	else
		snprintf(buf, len, "%.2f (%.2f-%.2f)", s[0], s[1], s[2]);
	return buf;
}

#endif /* BENCH_FIGURES_H */
