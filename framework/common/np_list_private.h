/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel-style id lists ("0-3,5"), the notation of
 * /sys/devices/system/node/online and .../cpulist: written and read in one
 * place for node masks, CPU sets, the sysfs files and the lists quoted in
 * error messages, so they all look and parse the same. Not installed.
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

/* Called with each range [lo, hi] of a list, in the order written. */
typedef void (*np_idlist_add_fn)(void *ctx, long lo, long hi);

/*
 * Parse @list: "0", "0-3", "0,2,5-7"; spaces and newlines around items and
 * commas are accepted, "" is the empty list. An empty item (",0", "0,,1",
 * "0,") is refused, never read as nothing. @what names the ids in the
 * message ("node", "CPU"); an id above @max_id is refused. Messages give the
 * 1-based position in @list of what is wrong, and quote @list escaped (see
 * np_buf_append_escaped()).
 *
 * Each range goes to @add as soon as it is read, so on failure the ranges
 * before the faulty one have been added: a caller that must stay unchanged
 * collects into a copy.
 *
 * @return 0, or -EINVAL with the reason in @why (may be NULL with @whylen
 *   0). Nothing is recorded for np_last_error(): the caller decides whether
 *   the list was the user's (np_fail) or the kernel's.
 */
int np_idlist_parse(const char *list, const char *what, long max_id,
		    np_idlist_add_fn add, void *ctx, char *why, size_t whylen);

/*
 * Read a list file (/sys/devices/system/...) and parse it as
 * np_idlist_parse() does.
 *
 * @return 0; -errno if the file cannot be opened; -EINVAL if malformed.
 */
int np_idlist_read(const char *path, const char *what, long max_id,
		   np_idlist_add_fn add, void *ctx);

/*
 * Append printf-style text to a list quoted in a message ("allowed: a, b"),
 * at *off in @buf of @len bytes. Once the buffer is full nothing more is
 * written (it stays terminated); *off never passes @len, so the next call
 * cannot compute a wrapped-round size.
 */
void np_buf_appendf(char *buf, size_t len, size_t *off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Append @n bytes of @s, text that came from input (a file, a command-line
 * value, a file name), to a message the way np_buf_appendf() does, so that
 * nothing in it can act on the terminal: control bytes (below 0x20, 0x7f),
 * bytes that are not valid UTF-8 and UTF-8-encoded C1 controls are written
 * as \xHH; printable ASCII and valid UTF-8 characters are kept. An escape
 * or character that does not fit whole is not written at all.
 */
void np_buf_append_escaped(char *buf, size_t len, size_t *off, const char *s, size_t n);

#endif /* NP_LIST_PRIVATE_H */
