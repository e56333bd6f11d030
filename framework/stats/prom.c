/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Prometheus text exposition writer (format 0.0.4): validation,
 * escaping, checked writes. See np_prom.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "np_prom.h"
#include "stats_private.h"

struct np_prom {
	FILE *f;
	char *path;           /* np_prom_create_file(): the final name ... */
	char *tmp;            /* ... and the one written */
	int err;              /* 0, or -EIO once a write failed */
	char *family;         /* the current family, NULL before the first */
	enum np_prom_type type;
	char **names;         /* every metric name written or reserved, for EEXIST */
	unsigned int n_names, cap_names;
};

static const char *const type_names[] = {
	[NP_PROM_COUNTER] = "counter",
	[NP_PROM_GAUGE] = "gauge",
	[NP_PROM_SUMMARY] = "summary",
	[NP_PROM_HISTOGRAM] = "histogram",
	[NP_PROM_UNTYPED] = "untyped",
};

/* ---- checked output ------------------------------------------------------ */

/* The stream failed: remember it for every later call and for close. */
static int
write_failed(np_prom *w)
{
	int err = errno;

	w->err = -EIO;
	return np_fail(EIO, "np_prom: writing the metrics failed: %s%s", strerror(err),
		       err == ENOSPC ? " (the disk is full)" : "");
}

static int
put(np_prom *w, const char *s, size_t n)
{
	if (n > 0 && fwrite(s, 1, n, w->f) != n)
		return write_failed(w);
	return 0;
}

static int
puts_(np_prom *w, const char *s)
{
	return put(w, s, strlen(s));
}

/*
 * @s with each character of @special replaced by a backslash and its
 * letter in @repl ("\\\"\n" -> "\\\"n"): runs of plain text in one write.
 */
static int
put_escaped(np_prom *w, const char *s, const char *special, const char *repl)
{
	while (*s != '\0') {
		size_t run = strcspn(s, special);
		char esc[2];

		if (put(w, s, run) < 0)
			return -EIO;
		s += run;
		if (*s == '\0')
			break;
		esc[0] = '\\';
		esc[1] = repl[strchr(special, *s) - special];
		if (put(w, esc, 2) < 0)
			return -EIO;
		s++;
	}
	return 0;
}

/* A double as Go's ParseFloat reads it: shortest of %.15g/%.17g that round-trips. */
static void
format_double(char *buf, size_t len, double v)
{
	if (isnan(v)) {
		snprintf(buf, len, "NaN");
	} else if (isinf(v)) {
		snprintf(buf, len, "%s", v > 0 ? "+Inf" : "-Inf");
	} else {
		snprintf(buf, len, "%.15g", v);
		if (strtod(buf, NULL) != v)
			snprintf(buf, len, "%.17g", v);
	}
}

/* ---- validation ------------------------------------------------------------ */

/* ASCII letters, whatever the locale (the format's names are ASCII). */
static bool
isalpha_c(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
valid_metric_name(const char *s)
{
	if (s == NULL || !(isalpha_c(*s) || *s == '_' || *s == ':'))
		return false;
	for (s++; *s != '\0'; s++)
		if (!(isalpha_c(*s) || (*s >= '0' && *s <= '9') || *s == '_' || *s == ':'))
			return false;
	return true;
}

static bool
valid_label_name(const char *s)
{
	if (s == NULL || !(isalpha_c(*s) || *s == '_') || strncmp(s, "__", 2) == 0)
		return false;
	for (s++; *s != '\0'; s++)
		if (!(isalpha_c(*s) || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* Well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF). */
static bool
valid_utf8(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s != '\0') {
		unsigned int n, cp;

		if (*s < 0x80) {
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0) {
			n = 1;
			cp = *s & 0x1f;
		} else if ((*s & 0xf0) == 0xe0) {
			n = 2;
			cp = *s & 0x0f;
		} else if ((*s & 0xf8) == 0xf0) {
			n = 3;
			cp = *s & 0x07;
		} else {
			return false;
		}
		for (unsigned int i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		s += n + 1;
	}
	return true;
}

/* A label value Prometheus parses as a float: le="0.5", le="+Inf", quantile="0.99". */
static bool
valid_float_text(const char *s)
{
	char *end;

	if (strcmp(s, "+Inf") == 0 || strcmp(s, "-Inf") == 0 || strcmp(s, "NaN") == 0)
		return true;
	if (*s == '\0')
		return false;
	strtod(s, &end);
	return *end == '\0';
}

/* ---- names already used ---------------------------------------------------- */

static bool
name_used(const np_prom *w, const char *name)
{
	for (unsigned int i = 0; i < w->n_names; i++)
		if (strcmp(w->names[i], name) == 0)
			return true;
	return false;
}

static int
name_add(np_prom *w, const char *base, const char *suffix)
{
	size_t len = strlen(base) + strlen(suffix) + 1;
	char *s;

	if (w->n_names == w->cap_names) {
		unsigned int cap = w->cap_names ? 2 * w->cap_names : 16;
		char **n = realloc(w->names, cap * sizeof(*n));

		if (n == NULL)
			return np_fail(ENOMEM, "np_prom: out of memory");
		w->names = n;
		w->cap_names = cap;
	}
	s = malloc(len);
	if (s == NULL)
		return np_fail(ENOMEM, "np_prom: out of memory");
	snprintf(s, len, "%s%s", base, suffix);
	w->names[w->n_names++] = s;
	return 0;
}

/* The sample names a family of @type owns besides its own. */
static const char *const *
owned_suffixes(enum np_prom_type type)
{
	static const char *const none[] = { NULL };
	static const char *const summary[] = { "_sum", "_count", NULL };
	static const char *const histogram[] = { "_bucket", "_sum", "_count", NULL };

	return type == NP_PROM_SUMMARY ? summary : type == NP_PROM_HISTOGRAM ? histogram : none;
}

/* ---- life ----------------------------------------------------------------------- */

np_prom *
np_prom_create(FILE *out)
{
	np_prom *w;

	if (out == NULL)
		return np_fail_null(EINVAL, "np_prom_create: out is NULL");
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return np_fail_null(ENOMEM, "np_prom_create: out of memory");
	w->f = out;
	return w;
}

static void
prom_free(np_prom *w)
{
	for (unsigned int i = 0; i < w->n_names; i++)
		free(w->names[i]);
	free(w->names);
	free(w->family);
	free(w->path);
	free(w->tmp);
	free(w);
}

np_prom *
np_prom_create_file(const char *path)
{
	np_prom *w;
	size_t len;

	if (path == NULL || path[0] == '\0')
		return np_fail_null(EINVAL, "np_prom_create_file: no path");
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return np_fail_null(ENOMEM, "np_prom_create_file: out of memory");
	len = strlen(path) + 32;
	w->path = strdup(path);
	w->tmp = malloc(len);
	if (w->path == NULL || w->tmp == NULL) {
		prom_free(w);
		return np_fail_null(ENOMEM, "np_prom_create_file: out of memory");
	}
	/* Not *.prom: the textfile collector never reads the unfinished file. */
	snprintf(w->tmp, len, "%s.tmp.%ld", path, (long)getpid());
	w->f = fopen(w->tmp, "w");
	if (w->f == NULL) {
		int err = errno;

		np_fail(err, "np_prom_create_file: cannot create %s: %s (does its directory exist, "
			"and may this process write there?)", w->tmp, strerror(err));
		prom_free(w);
		errno = err;
		return NULL;
	}
	return w;
}

int
np_prom_close(np_prom *w)
{
	int ret;

	if (w == NULL)
		return 0;
	ret = w->err;
	if (fflush(w->f) != 0 || ferror(w->f))
		ret = -EIO;
	if (w->tmp != NULL) {
		if (fclose(w->f) != 0)
			ret = -EIO;
		if (ret == 0 && rename(w->tmp, w->path) != 0) {
			int err = errno;

			ret = np_fail(err, "np_prom_close: cannot rename %s to %s: %s", w->tmp, w->path,
				      strerror(err));
		}
		if (ret != 0)
			unlink(w->tmp);
	}
	if (ret == -EIO)
		np_fail(EIO, "np_prom_close: the metrics were not all written (disk full, or the "
			"stream failed)%s", w->tmp != NULL ? ": the file was removed" : "");
	prom_free(w);
	return ret;
}

void
np_prom_destroy(np_prom *w)
{
	if (w == NULL)
		return;
	if (w->tmp != NULL) {
		fclose(w->f);
		unlink(w->tmp);
	}
	prom_free(w);
}

/* ---- families and samples ------------------------------------------------------ */

int
np_prom_family(np_prom *w, const char *name, enum np_prom_type type, const char *help)
{
	const char *const *sfx;
	char *copy;
	int ret;

	if (w == NULL)
		return np_fail(EINVAL, "np_prom_family: w is NULL");
	if (w->err != 0)
		return np_fail(EIO, "np_prom_family: an earlier write failed");
	if (!valid_metric_name(name))
		return np_fail(EINVAL, "np_prom_family: \"%s\" is not a metric name "
			       "([a-zA-Z_:][a-zA-Z0-9_:]*)", name ? name : "(null)");
	if ((unsigned int)type >= RTE_DIM(type_names))
		return np_fail(EINVAL, "np_prom_family: %s: type %d is not an np_prom_type", name,
			       (int)type);
	if (help == NULL || !valid_utf8(help))
		return np_fail(EINVAL, "np_prom_family: %s: help text %s", name,
			       help == NULL ? "is NULL (say what it measures, and in which unit)" :
			       "is not UTF-8");
	if (name_used(w, name))
		return np_fail(EEXIST, "np_prom_family: %s was already written in this file (one "
			       "family per name: write all its samples after one np_prom_family())",
			       name);
	for (sfx = owned_suffixes(type); *sfx != NULL; sfx++) {
		char owned[512];

		snprintf(owned, sizeof(owned), "%s%s", name, *sfx);
		if (name_used(w, owned))
			return np_fail(EEXIST, "np_prom_family: the %s %s would write samples named %s, "
				       "which is already a family in this file", type_names[type],
				       name, owned);
	}
	copy = strdup(name);
	if (copy == NULL)
		return np_fail(ENOMEM, "np_prom_family: out of memory");
	ret = name_add(w, name, "");
	for (sfx = owned_suffixes(type); ret == 0 && *sfx != NULL; sfx++)
		ret = name_add(w, name, *sfx);
	if (ret < 0) {
		free(copy);
		return ret;
	}
	free(w->family);
	w->family = copy;
	w->type = type;
	if (puts_(w, "# HELP ") < 0 || puts_(w, name) < 0 || puts_(w, " ") < 0 ||
	    put_escaped(w, help, "\\\n", "\\n") < 0 || puts_(w, "\n# TYPE ") < 0 ||
	    puts_(w, name) < 0 || puts_(w, " ") < 0 || puts_(w, type_names[type]) < 0 ||
	    puts_(w, "\n") < 0)
		return -EIO;
	return 0;
}

/* Is @suffix one the current family's type allows, and which label must/must not appear. */
static int
check_suffix(const np_prom *w, const char *suffix, const char **needs, const char **forbids)
{
	bool plain = suffix[0] == '\0';
	bool sum_count = strcmp(suffix, "_sum") == 0 || strcmp(suffix, "_count") == 0;

	*needs = *forbids = NULL;
	switch (w->type) {
	case NP_PROM_SUMMARY:
		if (plain)
			*needs = "quantile";
		else if (sum_count)
			*forbids = "quantile";
		else
			break;
		return 0;
	case NP_PROM_HISTOGRAM:
		if (strcmp(suffix, "_bucket") == 0)
			*needs = "le";
		else if (sum_count)
			*forbids = "le";
		else
			break;
		return 0;
	default:
		if (plain)
			return 0;
		break;
	}
	return np_fail(EINVAL, "np_prom_sample: %s is a %s: suffix \"%s\" is not one of its samples "
		       "(%s)", w->family, type_names[w->type], suffix,
		       w->type == NP_PROM_SUMMARY ? "\"\" with a quantile label, \"_sum\", \"_count\"" :
		       w->type == NP_PROM_HISTOGRAM ? "\"_bucket\" with an le label, \"_sum\", \"_count\"" :
		       "no suffix");
}

static int
check_labels(const np_prom *w, const char *suffix, const struct np_prom_label *labels,
	     unsigned int n)
{
	const char *needs, *forbids;
	bool found = false;
	int ret = check_suffix(w, suffix, &needs, &forbids);

	if (ret < 0)
		return ret;
	if (n > NP_PROM_MAX_LABELS)
		return np_fail(EINVAL, "np_prom_sample: %s%s: %u labels, at most %d", w->family, suffix,
			       n, NP_PROM_MAX_LABELS);
	if (n > 0 && labels == NULL)
		return np_fail(EINVAL, "np_prom_sample: %s%s: labels is NULL", w->family, suffix);
	for (unsigned int i = 0; i < n; i++) {
		const struct np_prom_label *l = &labels[i];

		if (!valid_label_name(l->name))
			return np_fail(EINVAL, "np_prom_sample: %s%s: \"%s\" is not a label name "
				       "([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)", w->family,
				       suffix, l->name ? l->name : "(null)");
		if (l->value == NULL || !valid_utf8(l->value))
			return np_fail(EINVAL, "np_prom_sample: %s%s: label %s: the value %s", w->family,
				       suffix, l->name, l->value == NULL ? "is NULL" : "is not UTF-8");
		for (unsigned int j = 0; j < i; j++)
			if (strcmp(labels[j].name, l->name) == 0)
				return np_fail(EINVAL, "np_prom_sample: %s%s: label %s given twice",
					       w->family, suffix, l->name);
		if (forbids != NULL && strcmp(l->name, forbids) == 0)
			return np_fail(EINVAL, "np_prom_sample: %s%s: the label %s belongs to the %s "
				       "samples only", w->family, suffix, forbids,
				       w->type == NP_PROM_SUMMARY ? "quantile" : "_bucket");
		if (needs != NULL && strcmp(l->name, needs) == 0) {
			if (!valid_float_text(l->value))
				return np_fail(EINVAL, "np_prom_sample: %s%s: %s=\"%s\" is not a number",
					       w->family, suffix, needs, l->value);
			found = true;
		}
	}
	if (needs != NULL && !found)
		return np_fail(EINVAL, "np_prom_sample: %s%s: a %s sample needs a \"%s\" label",
			       w->family, suffix, type_names[w->type], needs);
	return 0;
}

/* Write a checked sample line whose value is already text. */
static int
sample_text(np_prom *w, const char *suffix, const struct np_prom_label *labels, unsigned int n,
	    const char *value)
{
	int ret;

	if (w == NULL)
		return np_fail(EINVAL, "np_prom_sample: w is NULL");
	if (w->err != 0)
		return np_fail(EIO, "np_prom_sample: an earlier write failed");
	if (w->family == NULL)
		return np_fail(EINVAL, "np_prom_sample: no family: call np_prom_family() first");
	if (suffix == NULL)
		suffix = "";
	ret = check_labels(w, suffix, labels, n);
	if (ret < 0)
		return ret;
	if (puts_(w, w->family) < 0 || puts_(w, suffix) < 0)
		return -EIO;
	for (unsigned int i = 0; i < n; i++)
		if (puts_(w, i == 0 ? "{" : ",") < 0 || puts_(w, labels[i].name) < 0 ||
		    puts_(w, "=\"") < 0 || put_escaped(w, labels[i].value, "\\\"\n", "\\\"n") < 0 ||
		    puts_(w, "\"") < 0)
			return -EIO;
	if ((n > 0 && puts_(w, "}") < 0) || puts_(w, " ") < 0 || puts_(w, value) < 0 ||
	    puts_(w, "\n") < 0)
		return -EIO;
	return 0;
}

int
np_prom_sample(np_prom *w, const char *suffix, const struct np_prom_label *labels,
	       unsigned int n_labels, double value)
{
	char v[32];

	format_double(v, sizeof(v), value);
	return sample_text(w, suffix, labels, n_labels, v);
}

int
np_prom_sample_u64(np_prom *w, const char *suffix, const struct np_prom_label *labels,
		   unsigned int n_labels, uint64_t value)
{
	char v[24];

	snprintf(v, sizeof(v), "%" PRIu64, value);
	return sample_text(w, suffix, labels, n_labels, v);
}

int
np_prom_summary(np_prom *w, const struct np_prom_label *labels, unsigned int n_labels,
		const double *quantiles, const double *values, unsigned int n, double sum,
		uint64_t count)
{
	struct np_prom_label l[NP_PROM_MAX_LABELS];
	char q[32];
	int ret;

	if (w == NULL || w->family == NULL || w->type != NP_PROM_SUMMARY)
		return np_fail(EINVAL, "np_prom_summary: the current family %s%s%s is not a summary "
			       "(start one with np_prom_family(.., NP_PROM_SUMMARY, ..))",
			       w && w->family ? "(" : "", w && w->family ? w->family : "(none)",
			       w && w->family ? ")" : "");
	if (n_labels >= NP_PROM_MAX_LABELS)
		return np_fail(EINVAL, "np_prom_summary: %s: %u labels, at most %d besides quantile",
			       w->family, n_labels, NP_PROM_MAX_LABELS - 1);
	if (n > 0 && (quantiles == NULL || values == NULL))
		return np_fail(EINVAL, "np_prom_summary: %s: quantiles or values is NULL", w->family);
	if (n_labels > 0 && labels == NULL)
		return np_fail(EINVAL, "np_prom_summary: %s: labels is NULL", w->family);
	for (unsigned int i = 0; i < n; i++)
		if (!(quantiles[i] >= 0 && quantiles[i] <= 1))
			return np_fail(EINVAL, "np_prom_summary: %s: quantile %g is not in 0..1 "
				       "(0.99 for p99)", w->family, quantiles[i]);
	if (n_labels > 0)
		memcpy(l, labels, n_labels * sizeof(l[0]));
	for (unsigned int i = 0; i < n; i++) {
		format_double(q, sizeof(q), quantiles[i]);
		l[n_labels] = (struct np_prom_label){ "quantile", q };
		ret = np_prom_sample(w, "", l, n_labels + 1, values[i]);
		if (ret < 0)
			return ret;
	}
	ret = np_prom_sample(w, "_sum", labels, n_labels, sum);
	return ret < 0 ? ret : np_prom_sample_u64(w, "_count", labels, n_labels, count);
}

int
np_prom_hist_summary(np_prom *w, const struct np_prom_label *labels, unsigned int n_labels,
		     const np_hist *h, uint64_t units_per_second)
{
	static const double q[] = { 0.5, 0.9, 0.99, 0.999, 0.9999 };
	struct np_hist_summary s;
	double v[RTE_DIM(q)], hz = (double)units_per_second;

	if (!hist_valid(h, "np_prom_hist_summary", "h"))
		return -EINVAL;
	if (units_per_second == 0)
		return np_fail(EINVAL, "np_prom_hist_summary: units_per_second is 0 (rte_get_tsc_hz() "
			       "for TSC cycles)");
	np_hist_summarize(h, &s);
	if (s.count == 0) {
		for (unsigned int i = 0; i < RTE_DIM(q); i++)
			v[i] = NAN;
	} else {
		v[0] = (double)s.p50 / hz;
		v[1] = (double)s.p90 / hz;
		v[2] = (double)s.p99 / hz;
		v[3] = (double)s.p999 / hz;
		v[4] = (double)s.p9999 / hz;
	}
	return np_prom_summary(w, labels, n_labels, q, v, RTE_DIM(q), np_hist_sum(h) / hz, s.count);
}
