/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * A minimal streaming JSON writer, for reports (numa-doctor --json, the
 * runtime's --stats-json). It tracks
 * nesting so commas are always right, escapes strings per RFC 8259, and
 * always writes valid UTF-8 whatever bytes a string holds:
 *  - '"', '\\' and the control characters U+0000-U+001F, U+007F and
 *    U+0080-U+009F (C1) are escaped (`\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`, else
 *    `\u00XX`), so a name cannot drive the reader's terminal;
 *  - each byte that is not part of a valid UTF-8 sequence (RFC 3629: no
 *    overlong forms, no surrogates, nothing above U+10FFFF; e.g. a file name
 *    in Latin-1) becomes `\ufffd`, U+FFFD REPLACEMENT CHARACTER, one per byte.
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

/**
 * Deepest nesting of objects and arrays. Deeper nesting is not tracked: its
 * commas and indentation come out wrong.
 */
#define NP_JSON_MAX_DEPTH 16

/**
 * A writer: on the caller's stack, set up by np_json_init(), then given to
 * every other call. No allocation, nothing to release.
 */
struct np_json {
	/** @cond INTERNAL */
	FILE *f;
	int depth;
	bool first[NP_JSON_MAX_DEPTH]; /* no member written yet at this depth */
	bool pretty;
	int err;                    /* errno of the first failed write, 0 if none */
	/** @endcond */
};

/**
 * Start a document on a stream. Nothing is written yet.
 *
 * @param j
 *   The writer to set up.
 * @param f
 *   Where to write; stays the caller's (np_json_finish() flushes it but
 *   does not close it).
 * @param pretty
 *   Indent members by nesting level, one per line; false writes one line.
 */
void np_json_init(struct np_json *j, FILE *f, bool pretty);
/**
 * Open an object, as a member named @p key of the enclosing object.
 *
 * @param j
 *   The writer.
 * @param key
 *   The member's name; NULL inside arrays and at top level.
 */
void np_json_obj_begin(struct np_json *j, const char *key);
/**
 * Close the object opened last.
 *
 * @param j
 *   The writer.
 */
void np_json_obj_end(struct np_json *j);
/**
 * Open an array, as a member named @p key of the enclosing object.
 *
 * @param j
 *   The writer.
 * @param key
 *   The member's name; NULL inside arrays and at top level.
 */
void np_json_arr_begin(struct np_json *j, const char *key);
/**
 * Close the array opened last.
 *
 * @param j
 *   The writer.
 */
void np_json_arr_end(struct np_json *j);
/**
 * Write a string, escaped as the @ref np_json.h "file description" says.
 *
 * @param j
 *   The writer.
 * @param key
 *   The member's name; NULL inside arrays and at top level.
 * @param v
 *   The string; NULL writes null.
 */
void np_json_str(struct np_json *j, const char *key, const char *v); /* NULL -> null */
/**
 * Write a signed integer.
 *
 * @param j
 *   The writer.
 * @param key
 *   The member's name; NULL inside arrays and at top level.
 * @param v
 *   The value.
 */
void np_json_int(struct np_json *j, const char *key, long long v);
/**
 * Write an unsigned integer, all 64 bits (a reader that parses numbers as
 * doubles loses precision above 2^53).
 *
 * @param j
 *   The writer.
 * @param key
 *   The member's name; NULL inside arrays and at top level.
 * @param v
 *   The value.
 */
void np_json_uint(struct np_json *j, const char *key, uint64_t v);
/**
 * Write a number with 6 significant digits ("%.6g").
 *
 * @param j
 *   The writer.
 * @param key
 *   The member's name; NULL inside arrays and at top level.
 * @param v
 *   The value; NaN and infinities are written as null (JSON has neither).
 */
void np_json_double(struct np_json *j, const char *key, double v);
/**
 * Write true or false.
 *
 * @param j
 *   The writer.
 * @param key
 *   The member's name; NULL inside arrays and at top level.
 * @param v
 *   The value.
 */
void np_json_bool(struct np_json *j, const char *key, bool v);
/**
 * Write null.
 *
 * @param j
 *   The writer.
 * @param key
 *   The member's name; NULL inside arrays and at top level.
 */
void np_json_null(struct np_json *j, const char *key);
/**
 * End the document with a newline and flush the stream.
 *
 * @param j
 *   The writer.
 * @return
 *   0, or -errno of the first write or flush that failed (-EIO when the C
 *   library gave no errno, or when the stream's error indicator is set).
 */
int np_json_finish(struct np_json *j);
/**
 * Whether a write has failed so far.
 *
 * @param j
 *   The writer.
 * @return
 *   0, or -errno of the first write that failed (-EIO when the C library
 *   gave no errno).
 */
int np_json_error(const struct np_json *j);

/**
 * The length of the valid UTF-8 sequence that starts at @p p (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF). Never reads past
 * a NUL byte. Shared by the apps' text escaping.
 *
 * @param p
 *   The first byte of the sequence.
 * @param cp
 *   Receives the code point when the sequence is valid.
 * @return
 *   1 to 4, or 0 if the byte at @p p does not start a valid sequence
 *   (@p cp is then not written).
 */
int np_json_utf8_seq(const unsigned char *p, uint32_t *cp);

#ifdef __cplusplus
}
#endif

#endif /* NP_JSON_H */
