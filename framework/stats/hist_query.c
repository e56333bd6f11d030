/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reading a histogram: count, extremes, mean, percentiles (the definition
 * and its error bound are in np_hist.h), summaries and unit conversion.
 * Every read is a relaxed load, so these run while the owner records.
 */
#include <errno.h>
#include <math.h>

#include "stats_private.h"

uint64_t
np_hist_highest_trackable(const np_hist *h)
{
	return h == NULL ? 0 : h->trackable;
}

static uint64_t
index_of(const np_hist *h, uint64_t v)
{
	return v > h->trackable ? h->n_buckets - 1 : np__hist_index(h->sub_bits, v);
}

uint64_t
np_hist_lowest_equivalent(const np_hist *h, uint64_t v)
{
	return h == NULL ? 0 : hist_bucket_lo(h->sub_bits, index_of(h, v));
}

uint64_t
np_hist_highest_equivalent(const np_hist *h, uint64_t v)
{
	return h == NULL ? 0 : hist_bucket_hi(h->sub_bits, index_of(h, v));
}

uint64_t
np_hist_count(const np_hist *h)
{
	return h == NULL ? 0 : hist_load(&h->count);
}

uint64_t
np_hist_min(const np_hist *h)
{
	return h == NULL || hist_load(&h->count) == 0 ? 0 : hist_load(&h->min);
}

uint64_t
np_hist_max(const np_hist *h)
{
	return h == NULL ? 0 : hist_load(&h->max);
}

uint64_t
np_hist_saturated(const np_hist *h)
{
	return h == NULL ? 0 : hist_load(&h->saturated);
}

double
np_hist_sum(const np_hist *h)
{
	uint64_t hi, lo;

	if (h == NULL)
		return 0;
	hist_sum(h, &hi, &lo);
	return (double)hi * 0x1p64 + (double)lo;
}

double
np_hist_mean(const np_hist *h)
{
	uint64_t n = np_hist_count(h);

	return n == 0 ? 0 : np_hist_sum(h) / (double)n;
}

double
np_hist_units_to_ns(uint64_t v, uint64_t units_per_second)
{
	if (units_per_second == 0)
		return NAN;
	return (double)v * 1e9 / (double)units_per_second;
}

/* Rank of the @p-th percentile of @n values (np_hist.h: nearest rank, 1..n). */
static uint64_t
rank_of(double p, uint64_t n)
{
	double x = p * (double)n / 100.0;
	uint64_t r;

	x -= x * 0x1p-40;
	if (x < 1)
		return 1;
	if (x >= (double)n)
		return n;
	r = (uint64_t)x;                  /* ceil, without libm */
	return (double)r < x ? r + 1 : r;
}

/*
 * Percentiles @p[0..n) (ascending, checked) into @out in one walk over the
 * buckets. The total is the buckets' own sum, not the count field, so a
 * walk over a live histogram always reaches every rank.
 */
static int
percentiles(const np_hist *h, const double *p, unsigned int n, uint64_t *out)
{
	uint64_t total = 0, cum = 0, max;
	uint32_t i = 0;

	for (uint32_t b = 0; b < h->n_buckets; b++)
		total += hist_load(&h->bucket[b]);
	if (total == 0)
		return -ENODATA;
	for (unsigned int k = 0; k < n; k++) {
		uint64_t rank = rank_of(p[k], total);

		while (i < h->n_buckets - 1) {
			uint64_t c = hist_load(&h->bucket[i]);

			if (cum + c >= rank)
				break;
			cum += c;
			i++;
		}
		out[k] = hist_bucket_hi(h->sub_bits, i);
	}
	/*
	 * Clamp to the maximum, read last: a value counted in a bucket during
	 * the walk has had its maximum stored by the time the walk ends, barring
	 * the few ns of np_hist_record() between the two stores.
	 */
	max = hist_load(&h->max);
	for (unsigned int k = 0; k < n; k++)
		out[k] = RTE_MIN(out[k], max);
	return 0;
}

int
np_hist_percentile(const np_hist *h, double p, uint64_t *value)
{
	int ret;

	if (!hist_valid(h, "np_hist_percentile", "h"))
		return -EINVAL;
	if (value == NULL)
		return np_fail(EINVAL, "np_hist_percentile: value is NULL");
	if (!(p >= 0 && p <= 100))
		return np_fail(EINVAL, "np_hist_percentile: percentile %g is not in 0..100 "
			       "(write 99.9 for p99.9)", p);
	ret = percentiles(h, &p, 1, value);
	if (ret < 0)
		return np_fail(-ret, "np_hist_percentile: the histogram is empty: no percentile");
	return 0;
}

int
np_hist_summarize(const np_hist *h, struct np_hist_summary *s)
{
	static const double p[] = { 50, 90, 99, 99.9, 99.99 };
	uint64_t v[RTE_DIM(p)];

	if (!hist_valid(h, "np_hist_summarize", "h"))
		return -EINVAL;
	if (s == NULL)
		return np_fail(EINVAL, "np_hist_summarize: s is NULL");
	*s = (struct np_hist_summary){ 0 };
	if (percentiles(h, p, RTE_DIM(p), v) < 0)
		return 0;
	s->count = np_hist_count(h);
	s->min = np_hist_min(h);
	s->max = np_hist_max(h);
	s->mean = np_hist_mean(h);
	s->p50 = v[0];
	s->p90 = v[1];
	s->p99 = v[2];
	s->p999 = v[3];
	s->p9999 = v[4];
	s->saturated = np_hist_saturated(h);
	return 0;
}
