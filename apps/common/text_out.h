/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Text helpers for the apps' reports. The library has its own internal
 * twin (np_buf_appendf): apps use only libnumaperf's public API.
 */
#ifndef NP_TEXT_OUT_H
#define NP_TEXT_OUT_H

#include <stddef.h>

/*
 * Append printf-style text at *off in @buf of @len bytes, for cells and
 * argument lists built piece by piece. Once full, nothing more is written
 * (the text stays terminated) and *off never passes @len, so the size of
 * the next write cannot wrap round.
 */
void text_appendf(char *buf, size_t len, size_t *off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif /* NP_TEXT_OUT_H */
