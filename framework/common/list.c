/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel-style id lists ("0-3,5"): see np_list_private.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np_list_private.h"

void
np_idlist_begin(struct np_idlist_writer *w, char *buf, size_t len)
{
	w->buf = buf;
	w->len = len;
	w->out = 0;
	w->open = false;
	w->lo = w->hi = 0;
	if (len > 0)
		buf[0] = '\0';
}

/* Write the open range "lo" or "lo-hi", after a comma unless it is the first. */
static void
put_range(struct np_idlist_writer *w)
{
	char item[48];
	int n;

	if (w->lo == w->hi)
		n = snprintf(item, sizeof(item), "%s%ld", w->out ? "," : "", w->lo);
	else
		n = snprintf(item, sizeof(item), "%s%ld-%ld", w->out ? "," : "", w->lo, w->hi);
	/* Truncate like snprintf: as much as fits, always terminated. */
	if (w->out + 1 < w->len) {
		size_t room = w->len - 1 - w->out, k = (size_t)n < room ? (size_t)n : room;

		memcpy(w->buf + w->out, item, k);
		w->buf[w->out + k] = '\0';
	}
	w->out += (size_t)n;
	w->open = false;
}

void
np_idlist_add(struct np_idlist_writer *w, long id)
{
	if (w->open && id == w->hi + 1) {
		w->hi = id;
		return;
	}
	if (w->open)
		put_range(w);
	w->lo = w->hi = id;
	w->open = true;
}

int
np_idlist_end(struct np_idlist_writer *w)
{
	if (w->open)
		put_range(w);
	return (int)w->out;
}

static const char *
skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	return s;
}

static int
parse_id(const char *list, const char *what, long max_id, const char *s, const char **end,
	 long *out, char *why, size_t whylen)
{
	char *e;

	if (!isdigit((unsigned char)*s)) {
		snprintf(why, whylen, "%s list \"%s\": expected a %s id at \"%s\"", what, list, what, s);
		return -EINVAL;
	}
	errno = 0;
	*out = strtol(s, &e, 10);
	if (errno != 0 || *out > max_id) {
		snprintf(why, whylen, "%s list \"%s\": %s %.*s is above the largest %s id %ld",
			 what, list, what, (int)(e - s), s, what, max_id);
		return -EINVAL;
	}
	*end = e;
	return 0;
}

int
np_idlist_parse(const char *list, const char *what, long max_id,
		np_idlist_add_fn add, void *ctx, char *why, size_t whylen)
{
	const char *s = skip_space(list);

	while (*s != '\0') {
		long lo, hi;
		int ret = parse_id(list, what, max_id, s, &s, &lo, why, whylen);

		if (ret < 0)
			return ret;
		hi = lo;
		if (*s == '-') {
			ret = parse_id(list, what, max_id, s + 1, &s, &hi, why, whylen);
			if (ret < 0)
				return ret;
			if (hi < lo) {
				snprintf(why, whylen,
					 "%s list \"%s\": range %ld-%ld is written backwards (write %ld-%ld)",
					 what, list, lo, hi, hi, lo);
				return -EINVAL;
			}
		}
		add(ctx, lo, hi);
		s = skip_space(s);
		if (*s == ',') {
			s = skip_space(s + 1);
		} else if (*s != '\0') {
			snprintf(why, whylen, "%s list \"%s\": unexpected \"%s\" (write e.g. \"0,2-3\")",
				 what, list, s);
			return -EINVAL;
		}
	}
	return 0;
}

int
np_idlist_read(const char *path, const char *what, long max_id, np_idlist_add_fn add, void *ctx)
{
	/* A sysfs file is at most a page: room for a whole one, and more. */
	char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return np_idlist_parse(buf, what, max_id, add, ctx, NULL, 0);
}

void
np_buf_appendf(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (len == 0 || *off >= len - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off = *off + (size_t)n < len ? *off + (size_t)n : len - 1;
}
