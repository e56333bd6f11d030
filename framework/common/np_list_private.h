/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel-style id lists ("0-3,5"), the notation of
 * /sys/devices/system/node/online and .../cpulist: written in one place for
 * node masks, CPU sets and the lists quoted in error messages, so they all
 * look the same. Not installed.
 */
#ifndef NP_LIST_PRIVATE_H
#define NP_LIST_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Writes a list into a caller's buffer, truncating like snprintf: as much
 * as fits, always terminated, and the length the whole list needs counted.
 * Ids are added one by one; an id one above the previous extends its range.
 *
 *	struct np_idlist_writer w;
 *
 *	np_idlist_begin(&w, buf, len);
 *	for each id, ascending: np_idlist_add(&w, id);
 *	return np_idlist_end(&w);
 */
struct np_idlist_writer {
	char *buf;
	size_t len;
	size_t out;        /* length of the list so far, written or not */
	bool open;         /* [lo, hi] added but not yet written */
	long lo, hi;
};

/* Start an empty list in @buf (terminated at once when @len > 0). */
void np_idlist_begin(struct np_idlist_writer *w, char *buf, size_t len);

/* Add id @id (>= 0). */
void np_idlist_add(struct np_idlist_writer *w, long id);

/* Write what is left; returns the length of the whole list, as snprintf does. */
int np_idlist_end(struct np_idlist_writer *w);

#endif /* NP_LIST_PRIVATE_H */
