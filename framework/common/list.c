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

/* "CPU list \"0,,1\": " with the list escaped: it is the user's input. */
static void
why_prefix(char *why, size_t whylen, size_t *off, const char *what, const char *list)
{
	np_buf_appendf(why, whylen, off, "%s list \"", what);
	np_buf_append_escaped(why, whylen, off, list, strlen(list));
	np_buf_appendf(why, whylen, off, "\": ");
}

static int
parse_id(const char *list, const char *what, long max_id, const char *s, const char **end,
	 long *out, char *why, size_t whylen)
{
	size_t off = 0;
	char *e;

	if (!isdigit((unsigned char)*s)) {
		why_prefix(why, whylen, &off, what, list);
		if (*s == ',') {
			/* ",0", "0,,1", "0,": an empty item is a typo, never "nothing". */
			np_buf_appendf(why, whylen, &off, "stray ',' at position %zu (an empty "
				       "item; write e.g. \"0,2-3\")", (size_t)(s - list) + 1);
		} else if (*s == '\0') {
			np_buf_appendf(why, whylen, &off, "expected a %s id at position %zu, "
				       "found the end of the list", what, (size_t)(s - list) + 1);
		} else {
			np_buf_appendf(why, whylen, &off, "expected a %s id at position %zu, "
				       "found \"", what, (size_t)(s - list) + 1);
			np_buf_append_escaped(why, whylen, &off, s, strlen(s));
			np_buf_appendf(why, whylen, &off, "\"");
		}
		return -EINVAL;
	}
	errno = 0;
	*out = strtol(s, &e, 10);
	if (errno != 0 || *out > max_id) {
		why_prefix(why, whylen, &off, what, list);
		np_buf_appendf(why, whylen, &off, "%s %.*s is above the largest %s id %ld "
			       "(position %zu)", what, (int)(e - s), s, what, max_id,
			       (size_t)(s - list) + 1);
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
	size_t off = 0;

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
				why_prefix(why, whylen, &off, what, list);
				np_buf_appendf(why, whylen, &off, "range %ld-%ld is written "
					       "backwards (write %ld-%ld)", lo, hi, hi, lo);
				return -EINVAL;
			}
		}
		add(ctx, lo, hi);
		s = skip_space(s);
		if (*s == ',') {
			const char *comma = s;

			/* "0,": a comma must be followed by an id (",," is caught above). */
			s = skip_space(s + 1);
			if (*s == '\0')
				return parse_id(list, what, max_id, comma, &s, &lo, why, whylen);
		} else if (*s != '\0') {
			why_prefix(why, whylen, &off, what, list);
			np_buf_appendf(why, whylen, &off, "unexpected \"");
			np_buf_append_escaped(why, whylen, &off, s, strlen(s));
			np_buf_appendf(why, whylen, &off, "\" at position %zu (write e.g. \"0,2-3\")",
				       (size_t)(s - list) + 1);
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

/*
 * The length of the UTF-8 sequence at @s (at most @n bytes) if it is valid
 * and not a C1 control (U+0080-U+009F, which some terminals obey), else 0.
 */
static size_t
utf8_printable_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned long cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates, above U+10FFFF, C1 controls. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || cp <= 0x9f)
		return 0;
	return len;
}

void
np_buf_append_escaped(char *buf, size_t len, size_t *off, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < n && len > 0 && *off < len - 1) {
		char esc[5];
		const char *piece = (const char *)u + i;
		size_t k = 1;

		if (u[i] >= 0x80)
			k = utf8_printable_len(u + i, n - i);
		if (u[i] < 0x20 || u[i] == 0x7f || k == 0) {
			snprintf(esc, sizeof(esc), "\\x%02x", u[i]);
			piece = esc;
			k = 4;
		}
		/* A whole escape or character, or nothing: never half of one. */
		if (*off + k > len - 1)
			break;
		memcpy(buf + *off, piece, k);
		*off += k;
		buf[*off] = '\0';
		i += piece == esc ? 1 : k;
	}
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
