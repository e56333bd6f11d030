/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * A log-linear latency histogram (HdrHistogram's idea, written for numaperf):
 * bounded relative error, fixed memory, a few ns per recorded value, and
 * histograms that merge and subtract exactly.
 *
 * What it is for: each lcore records the latency of every packet it sends
 * (TSC cycles from RX to TX) into its own histogram, on its own node; a
 * control thread reads them while they run, merges them per port, and
 * reports p50..p99.99 and max for the whole run and for the last interval.
 *
 * Values are uint64_t in the caller's unit (TSC cycles in the pipeline).
 * Every query answers in that unit; np_hist_units_to_ns() converts with a
 * units-per-second rate (rte_get_tsc_hz() for cycles) at query time, so
 * recording never divides.
 *
 * Buckets. With S = np_hist_params::sub_bucket_bits, values below 2^(S+1)
 * each have their own bucket (exact); above, every power-of-two range
 * [2^k, 2^(k+1)) is cut into 2^S buckets of equal width 2^(k-S). A bucket
 * is therefore never wider than 1/2^S of its lowest value. Bucket counts
 * are uint64_t; memory is fixed by S and the largest value to track
 * (np_hist_footprint()): S = 7 and max_value = 2^36 - 1 (about 20 s of a
 * 3.4 GHz TSC) take 3840 buckets, 30.8 KB.
 *
 * Percentile, precisely. Of the N values recorded (sorted x_1 <= ... <= x_N),
 * the p-th percentile (0 <= p <= 100) is the value of rank
 * r = max(1, ceil(p * N / 100)), the nearest-rank definition: the smallest
 * recorded value v such that at least p % of the values are <= v. (In
 * double, x = p * N / 100 and r = max(1, ceil(x - x * 2^-40)): the tiny
 * relative margin keeps rounding noise from pushing a whole rank to the
 * next, since 99.99 and most decimal percentiles have no exact double.)
 * The histogram finds the bucket holding x_r and
 * reports min(highest value of that bucket, max recorded), like
 * HdrHistogram's "highest equivalent value". Guarantee, for every p:
 *
 *     x_r <= reported   and   reported - x_r < x_r / 2^S
 *
 * (reported == x_r when x_r < 2^(S+1)), i.e. a relative error below 2^-S,
 * never an underestimate: S = 7 gives < 1/128 (0.78 %), S = 10 < 0.1 %.
 * It holds as long as x_r is not saturated (below).
 *
 * Saturation. Values above np_hist_highest_trackable() (max_value rounded up
 * to the end of its bucket) are counted in the top bucket and in
 * np_hist_saturated(); min, max, count and the sum (mean) stay exact. A
 * percentile whose rank falls on a saturated value is reported as
 * np_hist_highest_trackable(): a lower bound, not within 2^-S. A report
 * should print the saturated count beside the percentiles.
 *
 * Threads. One thread records into a histogram (the owning lcore:
 * np_hist_record() in np_hist_worker.h is a plain load/add/store). Any
 * thread may read it meanwhile: queries, np_hist_snapshot() and
 * np_hist_merge() from a live histogram see each counter's last store, so a
 * snapshot may miss the values being recorded at that instant, never more;
 * its count is the sum of its buckets, so its percentiles are
 * self-consistent. Writing calls (np_hist_init(), np_hist_reset(), and the
 * destination of merge/snapshot/diff) must not run while the owner records
 * into that same histogram.
 *
 * Intervals without resetting the writer: snapshot the live histogram at
 * each tick into a histogram of the same parameters; np_hist_diff(now,
 * previous) is exactly what was recorded in between (buckets, count, sum),
 * and the live one still holds the whole run.
 *
 * Memory is the caller's: np_hist_footprint() says how much,
 * np_hist_init() formats it. The pipeline puts each lcore's histograms on
 * that lcore's node (rte_zmalloc_socket(.., RTE_CACHE_LINE_SIZE, node));
 * np_hist_create() does the same with libnuma for tests and non-DPDK users.
 * Recording never allocates.
 */
#ifndef NP_HIST_H
#define NP_HIST_H

#include <stddef.h>
#include <stdint.h>

#include "np_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A histogram: the memory np_hist_init() formatted (layout in np_hist_worker.h). */
typedef struct np_hist np_hist;

/** Fewest sub-bucket bits: relative error below 1/2. */
#define NP_HIST_MIN_SUB_BUCKET_BITS 1
/** Most sub-bucket bits: relative error below 1/65536 (25 MB for the whole uint64 range). */
#define NP_HIST_MAX_SUB_BUCKET_BITS 16
/** Default sub-bucket bits: relative error below 1/128. */
#define NP_HIST_DEFAULT_SUB_BUCKET_BITS 7
/** Default largest trackable value: 2^36 - 1, about 20 s of a 3.4 GHz TSC. */
#define NP_HIST_DEFAULT_MAX_VALUE ((UINT64_C(1) << 36) - 1)

/** What fixes a histogram's precision and memory. */
struct np_hist_params {
	/**
	 * Largest value recorded with full precision, >= 1. Values above it
	 * are counted as saturated. Memory grows with log2(max_value).
	 */
	uint64_t max_value;
	/**
	 * S: 2^S buckets per power of two, so a relative error below 2^-S.
	 * NP_HIST_MIN_SUB_BUCKET_BITS..NP_HIST_MAX_SUB_BUCKET_BITS. Memory
	 * grows with 2^S.
	 */
	unsigned int sub_bucket_bits;
};

/**
 * Fill @p p with the defaults: NP_HIST_DEFAULT_MAX_VALUE and
 * NP_HIST_DEFAULT_SUB_BUCKET_BITS.
 *
 * @param p
 *   The parameters to fill; NULL is ignored.
 */
void np_hist_params_init(struct np_hist_params *p);

/**
 * Bytes of memory a histogram of these parameters needs (a multiple of the
 * cache line size), for np_hist_init().
 *
 * @param p
 *   The parameters.
 * @return
 *   The size, or 0 with errno EINVAL: @p p NULL, max_value 0,
 *   sub_bucket_bits outside
 *   NP_HIST_MIN_SUB_BUCKET_BITS..NP_HIST_MAX_SUB_BUCKET_BITS.
 */
size_t np_hist_footprint(const struct np_hist_params *p);

/**
 * Format @p mem as an empty histogram. On success @p mem is the histogram:
 * `np_hist *h = mem;`. Nothing is allocated; the caller frees @p mem.
 *
 * @param mem
 *   At least np_hist_footprint(p) bytes, aligned to the cache line
 *   (rte_zmalloc_socket(name, size, RTE_CACHE_LINE_SIZE, node) is).
 * @param len
 *   Size of @p mem.
 * @param p
 *   The parameters.
 * @return
 *   0, or -EINVAL (@p mem NULL or not cache-line aligned, bad parameters as
 *   for np_hist_footprint()), -ENOSPC (@p len below np_hist_footprint(p)).
 */
int np_hist_init(void *mem, size_t len, const struct np_hist_params *p);

/**
 * Allocate and format a histogram on node @p node with libnuma: for tests
 * and users without DPDK memory.
 *
 * @param p
 *   The parameters.
 * @param node
 *   A node this process may place memory on (numa_alloc_onnode()), or
 *   NP_NODE_ANY: the node of the calling thread (numa_alloc_local()), or
 *   plain aligned memory on a kernel without NUMA.
 * @return
 *   The histogram, to free with np_hist_destroy(), or NULL with errno:
 *   EINVAL (bad parameters; @p node neither NP_NODE_ANY nor a node id),
 *   ENODEV (@p node does not exist, has no memory or is not allowed to
 *   this process), ENOMEM.
 */
np_hist *np_hist_create(const struct np_hist_params *p, int node);

/**
 * Free a histogram from np_hist_create().
 *
 * @param h
 *   The histogram. NULL is ignored, and so is a histogram np_hist_init()
 *   made in the caller's memory (the caller frees it).
 */
void np_hist_destroy(np_hist *h);

/**
 * Forget every recorded value. Not while the owner records into @p h (a
 * value recorded meanwhile may be half counted): for intervals, use
 * np_hist_snapshot() and np_hist_diff() instead.
 *
 * @param h
 *   The histogram.
 * @return
 *   0, or -EINVAL (@p h NULL or not a histogram).
 */
int np_hist_reset(np_hist *h);

/**
 * The parameters @p h was made with.
 *
 * @param h
 *   The histogram.
 * @param p
 *   Receives the parameters on success.
 * @return
 *   0, or -EINVAL (@p h or @p p NULL, @p h not a histogram).
 */
int np_hist_get_params(const np_hist *h, struct np_hist_params *p);

/**
 * The largest value recorded with full precision: max_value rounded up to
 * the end of its bucket. Larger values are saturated.
 *
 * @param h
 *   The histogram.
 * @return
 *   That value; 0 for NULL.
 */
uint64_t np_hist_highest_trackable(const np_hist *h);

/**
 * Lowest value counted in the same bucket as @p v (values above the
 * highest trackable value share the top bucket).
 *
 * @param h
 *   The histogram.
 * @param v
 *   A value, in the recorded unit.
 * @return
 *   The bucket's lowest value; 0 for NULL.
 */
uint64_t np_hist_lowest_equivalent(const np_hist *h, uint64_t v);

/**
 * Highest value counted in the same bucket as @p v: what a percentile
 * landing in that bucket reports, before clamping to the maximum.
 *
 * @param h
 *   The histogram.
 * @param v
 *   A value, in the recorded unit.
 * @return
 *   The bucket's highest value; 0 for NULL.
 */
uint64_t np_hist_highest_equivalent(const np_hist *h, uint64_t v);

/**
 * Number of values recorded.
 *
 * @param h
 *   The histogram.
 * @return
 *   The count; 0 for NULL.
 */
uint64_t np_hist_count(const np_hist *h);

/**
 * Smallest value recorded.
 *
 * @param h
 *   The histogram.
 * @return
 *   The minimum, exact; 0 if nothing was recorded or @p h is NULL.
 */
uint64_t np_hist_min(const np_hist *h);

/**
 * Largest value recorded.
 *
 * @param h
 *   The histogram.
 * @return
 *   The maximum, exact, saturated values included; 0 if nothing was
 *   recorded or @p h is NULL.
 */
uint64_t np_hist_max(const np_hist *h);

/**
 * Sum of the values recorded (kept exactly in 128 bits, below 2^127).
 *
 * @param h
 *   The histogram.
 * @return
 *   The sum as a double; 0 if nothing was recorded or @p h is NULL.
 */
double np_hist_sum(const np_hist *h);

/**
 * Mean of the values recorded.
 *
 * @param h
 *   The histogram.
 * @return
 *   np_hist_sum() / np_hist_count(); 0 if nothing was recorded or @p h is
 *   NULL.
 */
double np_hist_mean(const np_hist *h);

/**
 * Values recorded above np_hist_highest_trackable().
 *
 * @param h
 *   The histogram.
 * @return
 *   Their number; 0 for NULL.
 */
uint64_t np_hist_saturated(const np_hist *h);

/**
 * The @p p-th percentile, as defined in the file comment (nearest rank,
 * reported as the bucket's highest value clamped to the maximum: never
 * below the exact value, less than 2^-S above it).
 *
 * @param h
 *   The histogram.
 * @param p
 *   0..100 (50, 99.9, ...). 0 is the minimum's bucket, 100 the maximum.
 * @param[out] value
 *   The percentile, in the recorded unit.
 * @return
 *   0, or -EINVAL (@p h or @p value NULL, @p h not a histogram, @p p NaN or
 *   outside 0..100), -ENODATA (nothing recorded).
 */
int np_hist_percentile(const np_hist *h, double p, uint64_t *value);

/** What a latency report prints, in the recorded unit. */
struct np_hist_summary {
	uint64_t count;      /**< Values recorded. */
	uint64_t min;        /**< Exact. */
	uint64_t max;        /**< Exact. */
	double mean;         /**< Exact up to double rounding. */
	uint64_t p50;        /**< np_hist_percentile(h, 50). */
	uint64_t p90;        /**< np_hist_percentile(h, 90). */
	uint64_t p99;        /**< np_hist_percentile(h, 99). */
	uint64_t p999;       /**< np_hist_percentile(h, 99.9). */
	uint64_t p9999;      /**< np_hist_percentile(h, 99.99). */
	uint64_t saturated;  /**< np_hist_saturated(): percentiles at or above these are lower bounds. */
};

/**
 * Count, min, max, mean, p50, p90, p99, p99.9, p99.99 and saturation in one
 * call (every field 0 when nothing was recorded).
 *
 * @param h
 *   The histogram.
 * @param s
 *   Receives the summary.
 * @return
 *   0, or -EINVAL (@p h or @p s NULL, @p h not a histogram).
 */
int np_hist_summarize(const np_hist *h, struct np_hist_summary *s);

/**
 * Convert a value to nanoseconds: @p v * 1e9 / @p units_per_second.
 *
 * @param v
 *   A value in the recorded unit (e.g. TSC cycles).
 * @param units_per_second
 *   The unit's rate (rte_get_tsc_hz() for TSC cycles).
 * @return
 *   Nanoseconds; NaN if @p units_per_second is 0.
 */
double np_hist_units_to_ns(uint64_t v, uint64_t units_per_second);

/**
 * Add everything recorded in @p src to @p dst: afterwards @p dst is exactly
 * what recording both histograms' values into one would have made (same
 * buckets, count, sum, min, max, saturation). @p src may be live (being
 * recorded into); @p dst must not be.
 *
 * @param dst
 *   The histogram added to.
 * @param src
 *   The histogram added (@p dst itself doubles it).
 * @return
 *   0, or -EINVAL (NULL, not a histogram, or different parameters: merge
 *   histograms made with the same np_hist_params).
 */
int np_hist_merge(np_hist *dst, const np_hist *src);

/**
 * Copy @p src, which may be live, into @p dst (made with the same
 * parameters): a point-in-time copy for np_hist_diff() and for reports.
 *
 * @param dst
 *   The copy; must not be live.
 * @param src
 *   The histogram copied.
 * @return
 *   0, or -EINVAL (NULL, not a histogram, different parameters).
 */
int np_hist_snapshot(np_hist *dst, const np_hist *src);

/**
 * What was recorded between two snapshots of one histogram:
 * @p dst = @p now - @p then. Buckets, count, sum and saturation are exact.
 * The interval's min and max cannot always be known from two running
 * extremes: max is exact when the interval raised the running maximum
 * (now's max above then's), otherwise it is the highest value of the
 * interval's top bucket clamped to now's max (an upper bound within 2^-S);
 * min likewise (exact when the interval lowered the running minimum, else
 * the lowest value of its bottom bucket, a lower bound). Percentiles of
 * @p dst keep the guarantee of the file comment for the interval's values.
 * @p dst may be @p now or @p then.
 *
 * @param dst
 *   Receives the interval.
 * @param now
 *   The later snapshot (or the live histogram).
 * @param then
 *   The earlier snapshot.
 * @return
 *   0, or -EINVAL (NULL, not a histogram, different parameters, or @p then
 *   not an earlier snapshot of the same histogram: a bucket of @p then holds
 *   more than the same bucket of @p now; @p dst is then left unchanged).
 */
int np_hist_diff(np_hist *dst, const np_hist *now, const np_hist *then);

#ifdef __cplusplus
}
#endif

#endif /* NP_HIST_H */
