/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>

#include "np_json.h"

void
np_json_init(struct np_json *j, FILE *f, bool pretty)
{
	j->f = f;
	j->depth = 0;
	j->first[0] = true;
	j->pretty = pretty;
	j->err = 0;
}

/* Record the first failure; errno is the C library's, or EIO if it gave none. */
static void
failed(struct np_json *j)
{
	if (j->err == 0)
		j->err = errno != 0 ? errno : EIO;
}

static void
put(struct np_json *j, const char *s)
{
	if (j->err == 0 && fputs(s, j->f) == EOF)
		failed(j);
}

static void __attribute__((format(printf, 2, 3)))
putf(struct np_json *j, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (j->err != 0)
		return;
	va_start(ap, fmt);
	n = vfprintf(j->f, fmt, ap);
	va_end(ap);
	if (n < 0)
		failed(j);
}

int
np_json_utf8_seq(const unsigned char *p, uint32_t *cp)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {         /* 0xc0, 0xc1: overlong */
		if ((p[1] & 0xc0) != 0x80)
			return 0;
		*cp = (uint32_t)(c & 0x1f) << 6 | (p[1] & 0x3f);
		return 2;
	}
	if (c >= 0xe0 && c <= 0xef) {
		if (c == 0xe0)
			lo = 0xa0;                    /* overlong below U+0800 */
		if (c == 0xed)
			hi = 0x9f;                    /* U+D800-U+DFFF: surrogates */
		if (p[1] < lo || p[1] > hi || (p[2] & 0xc0) != 0x80)
			return 0;
		*cp = (uint32_t)(c & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (c == 0xf0)
			lo = 0x90;                    /* overlong below U+10000 */
		if (c == 0xf4)
			hi = 0x8f;                    /* above U+10FFFF */
		if (p[1] < lo || p[1] > hi || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
			return 0;
		*cp = (uint32_t)(c & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
		      (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
		return 4;
	}
	return 0;                             /* a continuation byte, 0xf5-0xff */
}

/* A JSON string of @s: valid UTF-8 whatever @s holds (json_out.h). */
static void
put_escaped(struct np_json *j, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	put(j, "\"");
	while (*p != '\0' && j->err == 0) {
		uint32_t cp;
		int n = np_json_utf8_seq(p, &cp);

		if (n == 0) {
			put(j, "\\ufffd");     /* not UTF-8: one replacement per byte */
			p++;
			continue;
		}
		switch (cp) {
		case '"': put(j, "\\\""); break;
		case '\\': put(j, "\\\\"); break;
		case '\n': put(j, "\\n"); break;
		case '\r': put(j, "\\r"); break;
		case '\t': put(j, "\\t"); break;
		case '\b': put(j, "\\b"); break;
		case '\f': put(j, "\\f"); break;
		default:
			if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
				putf(j, "\\u%04x", (unsigned int)cp);
			else if (j->err == 0 && fwrite(p, 1, (size_t)n, j->f) != (size_t)n)
				failed(j);
		}
		p += n;
	}
	put(j, "\"");
}

/* Comma, newline and indent before a member, then its key if any. */
static void
member(struct np_json *j, const char *key)
{
	if (!j->first[j->depth])
		put(j, ",");
	j->first[j->depth] = false;
	if (j->pretty && j->depth > 0) {
		put(j, "\n");
		for (int i = 0; i < j->depth; i++)
			put(j, "  ");
	}
	if (key != NULL) {
		put_escaped(j, key);
		put(j, j->pretty ? ": " : ":");
	}
}

static void
open_(struct np_json *j, const char *key, const char *c)
{
	member(j, key);
	put(j, c);
	if (j->depth + 1 < NP_JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void
close_(struct np_json *j, const char *c)
{
	bool empty = j->first[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (j->pretty && !empty) {
		put(j, "\n");
		for (int i = 0; i < j->depth; i++)
			put(j, "  ");
	}
	put(j, c);
}

void np_json_obj_begin(struct np_json *j, const char *key) { open_(j, key, "{"); }
void np_json_obj_end(struct np_json *j) { close_(j, "}"); }
void np_json_arr_begin(struct np_json *j, const char *key) { open_(j, key, "["); }
void np_json_arr_end(struct np_json *j) { close_(j, "]"); }

void
np_json_str(struct np_json *j, const char *key, const char *v)
{
	member(j, key);
	if (v == NULL)
		put(j, "null");
	else
		put_escaped(j, v);
}

void
np_json_int(struct np_json *j, const char *key, long long v)
{
	member(j, key);
	putf(j, "%lld", v);
}

void
np_json_uint(struct np_json *j, const char *key, uint64_t v)
{
	member(j, key);
	putf(j, "%" PRIu64, v);
}

void
np_json_double(struct np_json *j, const char *key, double v)
{
	member(j, key);
	if (isfinite(v))
		putf(j, "%.6g", v);
	else
		put(j, "null"); /* JSON has no NaN/Inf */
}

void
np_json_bool(struct np_json *j, const char *key, bool v)
{
	member(j, key);
	put(j, v ? "true" : "false");
}

void
np_json_null(struct np_json *j, const char *key)
{
	member(j, key);
	put(j, "null");
}

int
np_json_finish(struct np_json *j)
{
	put(j, "\n");
	/*
	 * A stream to a file is fully buffered: a full disk shows here, at the
	 * flush, and glibc then drops the buffer, so a later fflush() by the
	 * caller would succeed. The error is kept in j->err.
	 */
	if (j->err == 0 && fflush(j->f) != 0)
		failed(j);
	if (j->err == 0 && ferror(j->f))
		j->err = EIO;
	return np_json_error(j);
}

int
np_json_error(const struct np_json *j)
{
	return -j->err;
}
