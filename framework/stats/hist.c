/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The histogram's layout and life: parameters, footprint, formatting the
 * caller's memory, the libnuma create/destroy pair, and the operations that
 * combine histograms (merge, snapshot, diff). Queries are in hist_query.c,
 * the record in np_hist_worker.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <numa.h>

#include "np_nodemask.h"
#include "stats_private.h"

NP_LOG_REGISTER(np_stats_logtype, "numaperf.stats");

static unsigned int
bucket_shift(unsigned int s, uint64_t i)
{
	return i < (UINT64_C(2) << s) ? 0 : (unsigned int)((i >> s) - 1);
}

uint64_t
hist_bucket_lo(unsigned int s, uint64_t i)
{
	unsigned int shift = bucket_shift(s, i);

	return (i - ((uint64_t)shift << s)) << shift;
}

uint64_t
hist_bucket_hi(unsigned int s, uint64_t i)
{
	/* lo + (width - 1): the top bucket ends at UINT64_MAX, never past it. */
	return hist_bucket_lo(s, i) + ((UINT64_C(1) << bucket_shift(s, i)) - 1);
}

bool
hist_valid(const np_hist *h, const char *fn, const char *what)
{
	if (h == NULL) {
		np_fail(EINVAL, "%s: %s is NULL", fn, what);
		return false;
	}
	if (h->magic != NP_HIST_MAGIC) {
		np_fail(EINVAL, "%s: %s is not a histogram (format its memory with np_hist_init() "
			"or get one from np_hist_create())", fn, what);
		return false;
	}
	return true;
}

static int
check_params(const struct np_hist_params *p, const char *fn)
{
	if (p == NULL)
		return np_fail(EINVAL, "%s: params is NULL (np_hist_params_init() gives the defaults)",
			       fn);
	if (p->sub_bucket_bits < NP_HIST_MIN_SUB_BUCKET_BITS ||
	    p->sub_bucket_bits > NP_HIST_MAX_SUB_BUCKET_BITS)
		return np_fail(EINVAL, "%s: sub_bucket_bits %u is not in %d..%d (%d: relative error "
			       "below 1/%u)", fn, p->sub_bucket_bits, NP_HIST_MIN_SUB_BUCKET_BITS,
			       NP_HIST_MAX_SUB_BUCKET_BITS, NP_HIST_DEFAULT_SUB_BUCKET_BITS,
			       1u << NP_HIST_DEFAULT_SUB_BUCKET_BITS);
	if (p->max_value == 0)
		return np_fail(EINVAL, "%s: max_value is 0: give the largest value to track with "
			       "full precision (e.g. cycles of the worst latency worth telling apart)",
			       fn);
	return 0;
}

/* Bucket count and bytes of histograms of @p (valid). */
static size_t
layout(const struct np_hist_params *p, uint32_t *n_buckets)
{
	uint64_t n = np__hist_index(p->sub_bucket_bits, p->max_value) + 1;
	size_t size = offsetof(struct np_hist, bucket) + (size_t)n * sizeof(uint64_t);

	*n_buckets = (uint32_t)n;
	return RTE_ALIGN_CEIL(size, RTE_CACHE_LINE_SIZE);
}

void
np_hist_params_init(struct np_hist_params *p)
{
	if (p == NULL)
		return;
	p->max_value = NP_HIST_DEFAULT_MAX_VALUE;
	p->sub_bucket_bits = NP_HIST_DEFAULT_SUB_BUCKET_BITS;
}

size_t
np_hist_footprint(const struct np_hist_params *p)
{
	uint32_t n;

	if (check_params(p, "np_hist_footprint") < 0)
		return 0;
	return layout(p, &n);
}

int
np_hist_init(void *mem, size_t len, const struct np_hist_params *p)
{
	np_hist *h = mem;
	uint32_t n;
	size_t need;
	int ret = check_params(p, "np_hist_init");

	if (ret < 0)
		return ret;
	if (mem == NULL)
		return np_fail(EINVAL, "np_hist_init: mem is NULL");
	if (((uintptr_t)mem & (RTE_CACHE_LINE_SIZE - 1)) != 0)
		return np_fail(EINVAL, "np_hist_init: mem %p is not aligned to the %d-byte cache line "
			       "(rte_zmalloc_socket(.., RTE_CACHE_LINE_SIZE, node) or aligned_alloc)",
			       mem, RTE_CACHE_LINE_SIZE);
	need = layout(p, &n);
	if (len < need)
		return np_fail(ENOSPC, "np_hist_init: len %zu is below the %zu bytes a histogram of "
			       "max_value %" PRIu64 " and %u sub-bucket bits takes (np_hist_footprint())",
			       len, need, p->max_value, p->sub_bucket_bits);
	memset(mem, 0, need);
	h->min = UINT64_MAX;
	h->sub_bits = p->sub_bucket_bits;
	h->n_buckets = n;
	h->trackable = hist_bucket_hi(h->sub_bits, n - 1);
	h->max_value = p->max_value;
	h->footprint = need;
	h->alloc = HIST_ALLOC_CALLER;
	h->magic = NP_HIST_MAGIC;
	return 0;
}

np_hist *
np_hist_create(const struct np_hist_params *p, int node)
{
	np_nodemask usable;
	enum hist_alloc how;
	size_t size;
	void *mem;
	np_hist *h;
	int ret;

	if (check_params(p, "np_hist_create") < 0)
		return NULL;
	if (node != NP_NODE_ANY && (node < 0 || node > NP_MAX_NODE_ID))
		return np_fail_null(EINVAL, "np_hist_create: node %d is not a node id (0..%d) nor "
				    "NP_NODE_ANY", node, NP_MAX_NODE_ID);
	size = np_hist_footprint(p);
	ret = np_nodemask_usable(&usable);
	if (ret == -ENOSYS) {
		/* No NUMA in this kernel: every page is on node 0. */
		if (node != NP_NODE_ANY && node != 0)
			return np_fail_null(ENODEV, "np_hist_create: node %d does not exist: this kernel "
					    "has no NUMA, only node 0", node);
		mem = aligned_alloc(RTE_CACHE_LINE_SIZE, size);
		how = HIST_ALLOC_LIBC;
	} else {
		if (node != NP_NODE_ANY && !np_nodemask_isset(&usable, node)) {
			char list[128];

			np_nodemask_format(&usable, list, sizeof(list));
			return np_fail_null(ENODEV, "np_hist_create: node %d does not exist, has no "
					    "memory or is not allowed to this process (usable nodes: %s)",
					    node, list);
		}
		/*
		 * numa_alloc_onnode() binds the pages to the node, so the first
		 * touch (np_hist_init()'s memset) places them there whichever CPU
		 * runs it; numa_alloc_local() puts them on the caller's node.
		 */
		mem = node == NP_NODE_ANY ? numa_alloc_local(size) : numa_alloc_onnode(size, node);
		how = HIST_ALLOC_NUMA;
	}
	if (mem == NULL)
		return np_fail_null(ENOMEM, "np_hist_create: cannot allocate %zu bytes on node %d",
				    size, node);
	np_hist_init(mem, size, p);
	h = mem;
	h->alloc = how;
	NP_LOG(DEBUG, "histogram %p: %u buckets, %zu bytes, node %d", mem, h->n_buckets, size, node);
	return h;
}

void
np_hist_destroy(np_hist *h)
{
	enum hist_alloc how;

	if (h == NULL || h->magic != NP_HIST_MAGIC)
		return;
	how = (enum hist_alloc)h->alloc;
	if (how == HIST_ALLOC_CALLER)
		return;
	h->magic = 0;
	if (how == HIST_ALLOC_NUMA)
		numa_free(h, h->footprint);
	else
		free(h);
}

int
np_hist_reset(np_hist *h)
{
	if (!hist_valid(h, "np_hist_reset", "h"))
		return -EINVAL;
	for (uint32_t i = 0; i < h->n_buckets; i++)
		hist_store(&h->bucket[i], 0);
	hist_store(&h->count, 0);
	hist_set_sum(h, 0, 0);
	hist_store(&h->min, UINT64_MAX);
	hist_store(&h->max, 0);
	hist_store(&h->saturated, 0);
	return 0;
}

int
np_hist_get_params(const np_hist *h, struct np_hist_params *p)
{
	if (!hist_valid(h, "np_hist_get_params", "h"))
		return -EINVAL;
	if (p == NULL)
		return np_fail(EINVAL, "np_hist_get_params: p is NULL");
	p->max_value = h->max_value;
	p->sub_bucket_bits = h->sub_bits;
	return 0;
}

/* Both valid and alike (merge, snapshot and diff work bucket by bucket). */
static int
check_pair(const np_hist *a, const char *a_name, const np_hist *b, const char *b_name,
	   const char *fn)
{
	if (!hist_valid(a, fn, a_name) || !hist_valid(b, fn, b_name))
		return -EINVAL;
	if (a->sub_bits != b->sub_bits || a->max_value != b->max_value)
		return np_fail(EINVAL, "%s: %s (max_value %" PRIu64 ", %u sub-bucket bits) and %s "
			       "(max_value %" PRIu64 ", %u sub-bucket bits) differ: make both with "
			       "the same np_hist_params", fn, a_name, a->max_value, a->sub_bits, b_name,
			       b->max_value, b->sub_bits);
	return 0;
}

static void
add128(uint64_t *hi, uint64_t *lo, uint64_t b_hi, uint64_t b_lo)
{
	uint64_t l = *lo + b_lo;

	*hi += b_hi + (l < b_lo);
	*lo = l;
}

int
np_hist_merge(np_hist *dst, const np_hist *src)
{
	uint64_t added = 0, s_hi, s_lo, d_hi, d_lo, v;
	int ret = check_pair(dst, "dst", src, "src", "np_hist_merge");

	if (ret < 0)
		return ret;
	/* Bucket by bucket: dst == src doubles it, a live src adds what it holds now. */
	for (uint32_t i = 0; i < dst->n_buckets; i++) {
		uint64_t b = hist_load(&src->bucket[i]);

		hist_store(&dst->bucket[i], hist_load(&dst->bucket[i]) + b);
		added += b;
	}
	hist_store(&dst->count, hist_load(&dst->count) + added);
	hist_sum(src, &s_hi, &s_lo);
	hist_sum(dst, &d_hi, &d_lo);
	add128(&d_hi, &d_lo, s_hi, s_lo);
	hist_set_sum(dst, d_hi, d_lo);
	hist_store(&dst->saturated, hist_load(&dst->saturated) + hist_load(&src->saturated));
	v = hist_load(&src->min);
	if (v < hist_load(&dst->min))
		hist_store(&dst->min, v);
	v = hist_load(&src->max);
	if (v > hist_load(&dst->max))
		hist_store(&dst->max, v);
	return 0;
}

int
np_hist_snapshot(np_hist *dst, const np_hist *src)
{
	uint64_t total = 0, hi, lo, top;
	int ret = check_pair(dst, "dst", src, "src", "np_hist_snapshot");

	if (ret < 0)
		return ret;
	if (dst == src)
		return 0;
	for (uint32_t i = 0; i < dst->n_buckets; i++) {
		uint64_t b = hist_load(&src->bucket[i]);

		hist_store(&dst->bucket[i], b);
		total += b;
	}
	/*
	 * The count is the buckets' total, so the copy's percentiles and count
	 * agree even if the owner recorded while the buckets were read.
	 */
	hist_store(&dst->count, total);
	hist_sum(src, &hi, &lo);
	hist_set_sum(dst, hi, lo);
	top = hist_load(&dst->bucket[dst->n_buckets - 1]);
	hist_store(&dst->saturated, RTE_MIN(hist_load(&src->saturated), top));
	hist_store(&dst->min, hist_load(&src->min));
	hist_store(&dst->max, hist_load(&src->max));
	return 0;
}

int
np_hist_diff(np_hist *dst, const np_hist *now, const np_hist *then)
{
	uint64_t n_hi, n_lo, t_hi, t_lo, n_min, n_max, sat, count = 0;
	uint32_t first = UINT32_MAX, last = 0, top;
	int ret = check_pair(now, "now", then, "then", "np_hist_diff");

	if (ret < 0)
		return ret;
	ret = check_pair(dst, "dst", now, "now", "np_hist_diff");
	if (ret < 0)
		return ret;
	/* Check everything before writing: on error dst stays as it was. */
	for (uint32_t i = 0; i < now->n_buckets; i++) {
		uint64_t a = hist_load(&now->bucket[i]), b = hist_load(&then->bucket[i]);

		if (a < b)
			return np_fail(EINVAL, "np_hist_diff: bucket %u [%" PRIu64 ", %" PRIu64 "] holds "
				       "%" PRIu64 " values in 'then' but %" PRIu64 " in 'now': 'then' is "
				       "not an earlier snapshot of the histogram 'now' was taken from "
				       "(arguments swapped?)", i, hist_bucket_lo(now->sub_bits, i),
				       hist_bucket_hi(now->sub_bits, i), b, a);
	}
	/* Header first into locals: dst may be now or then. */
	hist_sum(now, &n_hi, &n_lo);
	hist_sum(then, &t_hi, &t_lo);
	n_min = hist_load(&now->min);
	n_max = hist_load(&now->max);
	sat = hist_load(&now->saturated) - RTE_MIN(hist_load(&then->saturated),
						   hist_load(&now->saturated));
	for (uint32_t i = 0; i < now->n_buckets; i++) {
		uint64_t d = hist_load(&now->bucket[i]) - hist_load(&then->bucket[i]);

		hist_store(&dst->bucket[i], d);
		if (d != 0) {
			first = RTE_MIN(first, i);
			last = i;
		}
		count += d;
	}
	hist_store(&dst->count, count);
	/* 128-bit now - then. */
	hist_set_sum(dst, n_hi - t_hi - (n_lo < t_lo), n_lo - t_lo);
	top = now->n_buckets - 1;
	hist_store(&dst->saturated, RTE_MIN(sat, hist_load(&dst->bucket[top])));
	if (count == 0) {
		hist_store(&dst->min, UINT64_MAX);
		hist_store(&dst->max, 0);
		return 0;
	}
	/*
	 * The interval's extremes are only known to their buckets: report the
	 * far end of the interval's top (bottom) bucket, clamped to the running
	 * max (min), so percentiles of dst never fall below the truth. When the
	 * interval moved the running extreme, that extreme lies in this very
	 * bucket and the clamp makes the answer exact. Saturated values have no
	 * bucket end: the running max bounds them.
	 */
	if (last == top && hist_load(&dst->saturated) > 0)
		hist_store(&dst->max, n_max);
	else
		hist_store(&dst->max, RTE_MIN(hist_bucket_hi(now->sub_bits, last), n_max));
	hist_store(&dst->min, RTE_MAX(hist_bucket_lo(now->sub_bits, first), n_min));
	return 0;
}
