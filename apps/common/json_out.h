/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A minimal streaming JSON writer for the apps' --json output. It tracks
 * nesting so commas are always right, and escapes strings per RFC 8259.
 */
#ifndef NP_JSON_OUT_H
#define NP_JSON_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json_out {
	FILE *f;
	int depth;
	bool first[JSON_MAX_DEPTH]; /* no member written yet at this depth */
	bool pretty;
};

void json_init(struct json_out *j, FILE *f, bool pretty);
/* key may be NULL inside arrays and at top level. */
void json_obj_begin(struct json_out *j, const char *key);
void json_obj_end(struct json_out *j);
void json_arr_begin(struct json_out *j, const char *key);
void json_arr_end(struct json_out *j);
void json_str(struct json_out *j, const char *key, const char *v); /* NULL -> null */
void json_int(struct json_out *j, const char *key, long long v);
void json_uint(struct json_out *j, const char *key, uint64_t v);
void json_double(struct json_out *j, const char *key, double v);
void json_bool(struct json_out *j, const char *key, bool v);
void json_null(struct json_out *j, const char *key);
/* Ends the document with a newline. */
void json_finish(struct json_out *j);

#endif /* NP_JSON_OUT_H */
