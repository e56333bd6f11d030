/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel-style id lists ("0-3,5"): see np_list_private.h.
 */
#include <stdio.h>
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
