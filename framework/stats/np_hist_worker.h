/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The fast path of np_hist.h: recording a value, inline.
 *
 * A record is a count-leading-zeros, a shift and an add to find the bucket,
 * then plain load/add/store increments of the bucket and of count, sum,
 * min and max, all on memory only the recording thread writes (its own
 * histogram, on its own node). As in np_counter_worker.h, the loads and
 * stores are C11 relaxed atomics only so that a concurrent reader is not a
 * data race in the C memory model; on x86-64 and arm64 they compile to
 * plain moves. No lock prefix, no allocation, no division.
 */
#ifndef NP_HIST_WORKER_H
#define NP_HIST_WORKER_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>

#include "np_counter_worker.h"
#include "np_hist.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @cond INTERNAL */
/**
 * @internal The histogram, in the memory np_hist_init() formatted. The
 * first cache line holds everything np_hist_record() reads or writes
 * besides the bucket; the second belongs to the control plane.
 */
struct np_hist {
	/* Written by the recording thread. */
	uint64_t count;        /**< Values recorded. */
	uint64_t sum_lo;       /**< Sum of the values, low 64 bits ... */
	uint64_t sum_hi_seq;   /**< ... and twice the high 64 bits (odd while changing). */
	uint64_t min;          /**< Smallest value; UINT64_MAX while empty. */
	uint64_t max;          /**< Largest value; 0 while empty. */
	uint64_t saturated;    /**< Values above trackable (in the top bucket). */
	/* Read by the recording thread, fixed at init. */
	uint64_t trackable;    /**< Highest value of the top bucket. */
	uint32_t sub_bits;     /**< S. */
	uint32_t n_buckets;    /**< Bucket of trackable + 1. */

	/* Control plane only. */
	uint64_t magic __rte_cache_aligned;  /**< NP_HIST_MAGIC once formatted. */
	uint64_t max_value;    /**< As asked in the parameters. */
	size_t footprint;      /**< Bytes formatted. */
	uint32_t alloc;        /**< Who frees it: 0 the caller, else np_hist_destroy(). */

	/** bucket[i]: values whose index (np__hist_index()) is i. */
	uint64_t bucket[] __rte_cache_aligned;
};

static_assert(offsetof(struct np_hist, n_buckets) + sizeof(uint32_t) <= RTE_CACHE_LINE_SIZE,
	      "what np_hist_record() touches besides the bucket must fit one cache line");

/**
 * @internal Bucket index of @p v for S = @p s: v itself below 2^(s+1);
 * above, 2^s buckets per power of two. shift is how many low bits the
 * bucket ignores: 0 below 2^(s+1), else floor(log2 v) - s. Or-ing 2^s in
 * makes floor(log2) at least s, so small values need no branch.
 */
static inline uint64_t
np__hist_index(unsigned int s, uint64_t v)
{
	unsigned int shift = (unsigned int)(63 - __builtin_clzll(v | (UINT64_C(1) << s))) - s;

	return ((uint64_t)shift << s) + (v >> shift);
}

/** @internal Relaxed load/add/store on a counter only the caller writes. */
/* @internal The framework's one per-lcore counter increment. */
static inline void
np__hist_add(uint64_t *p, uint64_t n)
{
	np_counter_u64_add(p, n);
}
/** @endcond */

/**
 * Record @p n values equal to @p v (a burst whose packets share one
 * timestamp): one bucket update instead of n. Only the owning thread may
 * record into a histogram.
 *
 * The bucket's address depends on @p v: recording a value just computed
 * from rte_rdtsc() right before a long call (a TX burst) likely makes that
 * call wait behind the store. Recording it later, once the value is long
 * known, measured cheaper: the pipeline records each run when it times the
 * next one (3.4% of a forwarding loop at once, about 1% so).
 *
 * @param h
 *   The histogram.
 * @param v
 *   The value, in the caller's units (e.g. TSC cycles).
 * @param n
 *   How many times, >= 1.
 */
static __rte_always_inline void
np_hist_record_n(np_hist *h, uint64_t v, uint64_t n)
{
	uint64_t idx, lo, add = v * n;

	if (likely(v <= h->trackable)) {
		idx = np__hist_index(h->sub_bits, v);
	} else {
		idx = h->n_buckets - 1;
		np__hist_add(&h->saturated, n);
	}
	np__hist_add(&h->bucket[idx], n);
	np__hist_add(&h->count, n);
	/*
	 * 128-bit sum. The high word changes only on a carry out of the low
	 * word (after 2^64 of accumulated value: days of TSC cycles at line
	 * rate), so only then a tiny seqlock runs: sum_hi_seq odd while the pair
	 * changes, release stores so a reader sees it odd first (hist_sum()).
	 * v * n cannot overflow for the values a pipeline records (v below
	 * trackable, n at most a burst); the saturated case is documented in
	 * np_hist.h.
	 */
	lo = __atomic_load_n(&h->sum_lo, __ATOMIC_RELAXED) + add;
	if (unlikely(lo < add)) {
		uint64_t seq = __atomic_load_n(&h->sum_hi_seq, __ATOMIC_RELAXED);

		__atomic_store_n(&h->sum_hi_seq, seq + 1, __ATOMIC_RELAXED);
		__atomic_store_n(&h->sum_lo, lo, __ATOMIC_RELEASE);
		__atomic_store_n(&h->sum_hi_seq, seq + 2, __ATOMIC_RELEASE);
	} else {
		__atomic_store_n(&h->sum_lo, lo, __ATOMIC_RELAXED);
	}
	if (v < __atomic_load_n(&h->min, __ATOMIC_RELAXED))
		__atomic_store_n(&h->min, v, __ATOMIC_RELAXED);
	if (v > __atomic_load_n(&h->max, __ATOMIC_RELAXED))
		__atomic_store_n(&h->max, v, __ATOMIC_RELAXED);
}

/**
 * Record one value. Only the histogram's owner calls it (one writer per
 * histogram); readers may run meanwhile.
 *
 * @param h
 *   The histogram (np_hist_init() or np_hist_create()); not checked.
 * @param v
 *   The value, e.g. rte_rdtsc() - the packet's RX timestamp. Values above
 *   np_hist_highest_trackable() go to the top bucket and are counted as
 *   saturated; min, max and the sum stay exact.
 */
static inline void
np_hist_record(np_hist *h, uint64_t v)
{
	np_hist_record_n(h, v, 1);
}

#ifdef __cplusplus
}
#endif

#endif /* NP_HIST_WORKER_H */
