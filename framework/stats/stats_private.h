/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internals shared by the files of framework/stats. Not installed.
 */
#ifndef STATS_PRIVATE_H
#define STATS_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "np_error_private.h"
#include "np_hist_worker.h"

extern int np_stats_logtype;
#define NP_LOGTYPE np_stats_logtype

/* np_hist::magic of a formatted histogram ("np_hist" + version 1). */
#define NP_HIST_MAGIC UINT64_C(0x6e705f6869737401)

/* Who frees a histogram (np_hist::alloc). */
enum hist_alloc {
	HIST_ALLOC_CALLER = 0,   /* np_hist_init() in the caller's memory */
	HIST_ALLOC_NUMA,         /* np_hist_create(): numa_alloc_*, numa_free */
	HIST_ALLOC_LIBC,         /* np_hist_create() without NUMA: aligned_alloc, free */
};

/*
 * @h is a formatted histogram; if not, records why for np_last_error()
 * (@fn names the caller, @what the argument) and returns false.
 */
bool hist_valid(const np_hist *h, const char *fn, const char *what);

/* Lowest value of bucket @i (S = @s). */
uint64_t hist_bucket_lo(unsigned int s, uint64_t i);

/* Highest value of bucket @i (S = @s); UINT64_MAX at most, never wraps. */
uint64_t hist_bucket_hi(unsigned int s, uint64_t i);

/* Relaxed load of a counter another thread may be writing. */
static inline uint64_t
hist_load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* Relaxed store, for writes a reader on another thread may see. */
static inline void
hist_store(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

/*
 * The 128-bit sum of @h as (*hi, *lo), read while its owner may record: the
 * reader's side of the seqlock in np_hist_record() (retried while a carry
 * is being stored, which is two stores long).
 */
static inline void
hist_sum(const np_hist *h, uint64_t *hi, uint64_t *lo)
{
	uint64_t s1, s2;

	do {
		s1 = __atomic_load_n(&h->sum_hi_seq, __ATOMIC_ACQUIRE);
		*lo = __atomic_load_n(&h->sum_lo, __ATOMIC_ACQUIRE);
		s2 = __atomic_load_n(&h->sum_hi_seq, __ATOMIC_RELAXED);
	} while ((s1 & 1) != 0 || s1 != s2);
	*hi = s1 >> 1;
}

/* Store a sum into @h, which nobody records into meanwhile. */
static inline void
hist_set_sum(np_hist *h, uint64_t hi, uint64_t lo)
{
	__atomic_store_n(&h->sum_lo, lo, __ATOMIC_RELAXED);
	__atomic_store_n(&h->sum_hi_seq, hi << 1, __ATOMIC_RELAXED);
}

#endif /* STATS_PRIVATE_H */
