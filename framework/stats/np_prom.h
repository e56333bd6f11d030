/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * A writer of the Prometheus text exposition format, version 0.0.4: what
 * node_exporter's textfile collector reads from a `*.prom` file, and what
 * `promtool check metrics` checks.
 *
 * It writes metric families, each a `# HELP` and a `# TYPE` line followed
 * by its samples, with label sets. It validates what the format requires
 * (metric names [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]*
 * not starting with "__", UTF-8 label values and help text, each family
 * once, the suffixes and reserved labels of summaries and histograms) and
 * escapes what it must (label values: backslash, double quote, newline;
 * help: backslash, newline). It writes no timestamps (the textfile
 * collector refuses them). It does not enforce naming conventions that are
 * only advice (a counter's `_total`, base units): follow them anyway, since
 * promtool's lint reports them.
 *
 * Every write is checked: a call returns -EIO as soon as the stream reports
 * an error, and every later call does too; the last buffered bytes can only
 * fail at np_prom_close(), which must be called and checked (a full disk
 * shows up there: try /dev/full).
 *
 * For a textfile collector, np_prom_create_file() writes PATH.tmp.PID and
 * renames it to PATH in np_prom_close(), so the collector never reads half
 * a file (it only reads names ending in .prom).
 *
 * @par Latency percentiles are a summary
 * The Prometheus documentation (practices/histograms) offers two types for
 * distributions. A `histogram` exposes cumulative bucket counts (`_bucket`
 * with an `le` label) and leaves quantiles to histogram_quantile() on the
 * server, with an error set by the bucket layout. A `summary` exposes
 * quantiles computed by the client (`{quantile="0.99"}`, 0 <= phi <= 1)
 * with `_sum` and `_count` counters. numaperf computes its percentiles
 * itself from np_hist, with a guaranteed relative error below 2^-S, so a
 * summary passes them on exactly; a Prometheus histogram would need
 * np_hist's thousands of buckets as series, or coarse `le` buckets that
 * throw the precision away. Gauges with a quantile label would lose the
 * type and the `_sum`/`_count` pair that gives the mean and the rate. The
 * documented limit of summaries applies: quantiles cannot be aggregated
 * across series (averaging two ports' p99 means nothing), so numaperf
 * exports an aggregate by merging the histograms first (np_hist_merge() is
 * exact) and writing the merged quantiles as their own series.
 * A summary's `_sum` and `_count` are counters (only grow), so a summary
 * describes the whole run. The last interval's percentiles
 * (np_hist_diff()) are a snapshot, not cumulative: write them as a gauge
 * family with a `quantile` label, e.g. numaperf_latency_interval_seconds.
 */
#ifndef NP_PROM_H
#define NP_PROM_H

#include <stdint.h>
#include <stdio.h>

#include "np_common.h"
#include "np_hist.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A metric family's type, as written on its `# TYPE` line. */
enum np_prom_type {
	NP_PROM_COUNTER,    /**< Only grows: samples without suffix. */
	NP_PROM_GAUGE,      /**< Any value: samples without suffix. */
	NP_PROM_SUMMARY,    /**< Samples "" (with a quantile label), "_sum", "_count". */
	NP_PROM_HISTOGRAM,  /**< Samples "_bucket" (with an le label), "_sum", "_count". */
	NP_PROM_UNTYPED,    /**< No type given: samples without suffix. */
};

/** One label of a sample: name="value". */
struct np_prom_label {
	const char *name;   /**< [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__". */
	const char *value;  /**< Any UTF-8 text (escaped by the writer), "" included. */
};

/** Most labels on one sample (quantile/le included). */
#define NP_PROM_MAX_LABELS 16

/** A writer: opaque. */
typedef struct np_prom np_prom;

/**
 * A writer to @p out, which stays the caller's (np_prom_close() flushes it,
 * the caller closes it).
 *
 * @param out
 *   The stream to write to.
 * @return
 *   The writer, or NULL with errno EINVAL (@p out NULL) or ENOMEM.
 */
np_prom *np_prom_create(FILE *out);

/**
 * A writer to a new file PATH.tmp.PID, renamed to @p path by a successful
 * np_prom_close() and removed otherwise.
 *
 * @param path
 *   The final file name (for a textfile collector, ending in .prom).
 * @return
 *   The writer, or NULL with errno: EINVAL (@p path NULL or empty), the
 *   errno of fopen() (ENOENT: no such directory, EACCES, ...), ENOMEM.
 */
np_prom *np_prom_create_file(const char *path);

/**
 * Start a metric family: writes its `# HELP` and `# TYPE` lines. Its
 * samples follow (np_prom_sample() and friends), until the next family.
 *
 * @param w
 *   The writer.
 * @param name
 *   The metric name, e.g. "numaperf_rx_packets_total"; once per file, and
 *   not the name of another family's samples (a summary "x" owns x_sum and
 *   x_count).
 * @param type
 *   Its type.
 * @param help
 *   What it measures, in its unit; escaped as needed. Not NULL.
 * @return
 *   0, or -EINVAL (NULL, bad name, bad type, help not UTF-8), -EEXIST (the
 *   name, or one its samples use, was already written), -ENOMEM, -EIO.
 */
int np_prom_family(np_prom *w, const char *name, enum np_prom_type type, const char *help);

/**
 * Write one sample of the current family:
 * `<family><suffix>{<labels>} <value>`.
 *
 * @param w
 *   The writer.
 * @param suffix
 *   NULL or "" for the family's own samples (counters, gauges, untyped,
 *   summary quantiles), "_sum" or "_count" (summary, histogram), "_bucket"
 *   (histogram).
 * @param labels
 *   The sample's labels (may be NULL when @p n_labels is 0). A summary's
 *   quantile sample needs a "quantile" label, a histogram's bucket an "le"
 *   label (a number or "+Inf"); neither may appear elsewhere in those types.
 * @param n_labels
 *   Up to NP_PROM_MAX_LABELS.
 * @param value
 *   The value; NaN and infinities are written as NaN, +Inf, -Inf.
 * @return
 *   0, or -EINVAL (no family started, bad suffix for the type, bad or
 *   repeated label name, a required label missing, a value not UTF-8),
 *   -EIO (the stream failed, now or before).
 */
int np_prom_sample(np_prom *w, const char *suffix, const struct np_prom_label *labels,
		   unsigned int n_labels, double value);

/**
 * np_prom_sample() with an integer value, written exactly (a double holds
 * integers exactly only up to 2^53).
 *
 * @param w
 *   The writer.
 * @param suffix
 *   As for np_prom_sample().
 * @param labels
 *   As for np_prom_sample().
 * @param n_labels
 *   As for np_prom_sample().
 * @param value
 *   The value.
 * @return
 *   As np_prom_sample().
 */
int np_prom_sample_u64(np_prom *w, const char *suffix, const struct np_prom_label *labels,
		       unsigned int n_labels, uint64_t value);

/**
 * Write one label set of the current family, a summary: a sample per
 * quantile, then `_sum` and `_count`.
 *
 * @param w
 *   The writer.
 * @param labels
 *   The label set, without "quantile" (up to NP_PROM_MAX_LABELS - 1).
 * @param n_labels
 *   Its size.
 * @param quantiles
 *   @p n quantiles in 0..1 (0.5, 0.99, ...), written as the quantile label.
 * @param values
 *   @p n values, in the family's unit.
 * @param n
 *   Number of quantiles.
 * @param sum
 *   Sum of the observations, in the family's unit.
 * @param count
 *   Number of observations.
 * @return
 *   0, or -EINVAL (the current family is not a summary, a quantile outside
 *   0..1, too many labels, and the errors of np_prom_sample()), -EIO.
 */
int np_prom_summary(np_prom *w, const struct np_prom_label *labels, unsigned int n_labels,
		    const double *quantiles, const double *values, unsigned int n, double sum,
		    uint64_t count);

/**
 * Write a histogram's percentiles as one label set of the current family,
 * a summary in seconds: quantiles 0.5, 0.9, 0.99, 0.999 and 0.9999, the sum
 * and the count (np_hist_summarize(), each value divided by
 * @p units_per_second). An empty histogram writes NaN quantiles, as
 * Prometheus client libraries do. The maximum is not part of a summary:
 * write np_hist_max() as a gauge family of its own.
 *
 * @param w
 *   The writer.
 * @param labels
 *   The label set, without "quantile".
 * @param n_labels
 *   Its size.
 * @param h
 *   The histogram (a snapshot or merge of the live ones).
 * @param units_per_second
 *   The histogram's unit per second: rte_get_tsc_hz() for TSC cycles,
 *   1000000000 for ns.
 * @return
 *   0, or -EINVAL (@p h not a histogram, @p units_per_second 0, and the
 *   errors of np_prom_summary()), -EIO.
 */
int np_prom_hist_summary(np_prom *w, const struct np_prom_label *labels, unsigned int n_labels,
			 const np_hist *h, uint64_t units_per_second);

/**
 * Finish: flush, and for np_prom_create_file() close the file and rename
 * it into place. Frees the writer in every case.
 *
 * @param w
 *   The writer.
 * @return
 *   0 if every byte was written; -EIO if any write failed (then a file of
 *   np_prom_create_file() is removed, not renamed), or the errno of
 *   rename(). 0 for NULL.
 */
int np_prom_close(np_prom *w);

/**
 * Abandon a writer: free it without finishing (a file of
 * np_prom_create_file() is removed; a caller's stream is left as it is).
 *
 * @param w
 *   The writer; NULL is ignored.
 */
void np_prom_destroy(np_prom *w);

#ifdef __cplusplus
}
#endif

#endif /* NP_PROM_H */
