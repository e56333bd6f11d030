/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * A minimal streaming JSON writer, for reports (numa-doctor --json, the
 * runtime's --stats-json). It tracks
 * nesting so commas are always right, escapes strings per RFC 8259, and
 * always writes valid UTF-8 whatever bytes a string holds:
 *  - '"', '\\' and the control characters U+0000-U+001F, U+007F and
 *    U+0080-U+009F (C1) are escaped (\", \\, \n, \r, \t, \b, \f, else
 *    \u00XX), so a name cannot drive the reader's terminal;
 *  - each byte that is not part of a valid UTF-8 sequence (RFC 3629: no
 *    overlong forms, no surrogates, nothing above U+10FFFF; e.g. a file name
 *    in Latin-1) becomes \ufffd, U+FFFD REPLACEMENT CHARACTER, one per byte.
 *    Such a name stays readable but its bytes cannot be recovered from the
 *    JSON.
 *
 * Every write is checked: after the first failure (a full disk, a closed
 * pipe) nothing more is written and np_json_finish() and np_json_error() return
 * the error, so a tool can exit non-zero instead of printing half a document
 * and claiming success.
 */
#ifndef NP_JSON_H
#define NP_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Deepest nesting of objects and arrays. */
#define NP_JSON_MAX_DEPTH 16

/** @internal A writer: on the caller's stack, set up by np_json_init(). */
struct np_json {
	FILE *f;
	int depth;
	bool first[NP_JSON_MAX_DEPTH]; /* no member written yet at this depth */
	bool pretty;
	int err;                    /* errno of the first failed write, 0 if none */
};

void np_json_init(struct np_json *j, FILE *f, bool pretty);
/* key may be NULL inside arrays and at top level. */
void np_json_obj_begin(struct np_json *j, const char *key);
void np_json_obj_end(struct np_json *j);
void np_json_arr_begin(struct np_json *j, const char *key);
void np_json_arr_end(struct np_json *j);
void np_json_str(struct np_json *j, const char *key, const char *v); /* NULL -> null */
void np_json_int(struct np_json *j, const char *key, long long v);
void np_json_uint(struct np_json *j, const char *key, uint64_t v);
void np_json_double(struct np_json *j, const char *key, double v);
void np_json_bool(struct np_json *j, const char *key, bool v);
void np_json_null(struct np_json *j, const char *key);
/*
 * Ends the document with a newline and flushes the stream.
 * @return 0, or -errno of the first write or flush that failed (-EIO when
 *   the C library gave no errno).
 */
int np_json_finish(struct np_json *j);
/* 0, or -errno of the first write that failed so far. */
int np_json_error(const struct np_json *j);

/*
 * The length (1 to 4) of the valid UTF-8 sequence that starts at @p, with
 * its code point in @cp; 0 if the byte at @p does not start one (RFC 3629).
 * Never reads past a NUL byte. Shared by the apps' text escaping.
 */
int np_json_utf8_seq(const unsigned char *p, uint32_t *cp);

#ifdef __cplusplus
}
#endif

#endif /* NP_JSON_H */
