/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where a region's pages are: move_pages(2) with nodes == NULL moves
 * nothing and reports, page by page, the node holding it, or -ENOENT for a
 * page never faulted. This is the kernel's word, independent of the policy
 * we asked for, which is why tests and np_sharded check placement with it.
 */
#include <errno.h>
#include <string.h>

#include <numaif.h>

#include "mem_private.h"
#include "np_error_private.h"

/* Pages asked per system call: 12 KB of arrays on the stack. */
#define WHERE_BATCH 1024

static void
count(struct np_region_where *w, int node)
{
	unsigned int i;

	for (i = 0; i < w->n_nodes; i++) {
		if (w->nodes[i].node == node) {
			w->nodes[i].pages++;
			return;
		}
		if (w->nodes[i].node > node)
			break;
	}
	if (w->n_nodes == NP_REGION_WHERE_MAX_NODES) {
		w->other_nodes++;
		return;
	}
	/* Keep nodes[] in ascending id order. */
	memmove(&w->nodes[i + 1], &w->nodes[i], (w->n_nodes - i) * sizeof(w->nodes[0]));
	w->nodes[i].node = node;
	w->nodes[i].pages = 1;
	w->n_nodes++;
}

int
np_region_where(const np_region *r, struct np_region_where *out)
{
	void *pages[WHERE_BATCH];
	int status[WHERE_BATCH];
	size_t page;
	uint64_t n;

	if (r == NULL || out == NULL)
		return np_fail(EINVAL, "np_region_where: %s is NULL", r == NULL ? "region" : "out");
	memset(out, 0, sizeof(*out));
	page = r->info.page_size;
	n = r->len / page;
	out->pages = n;
	out->page_size = page;
	for (uint64_t done = 0; done < n;) {
		unsigned long batch = n - done > WHERE_BATCH ? WHERE_BATCH : (unsigned long)(n - done);

		for (unsigned long i = 0; i < batch; i++)
			pages[i] = (char *)r->addr + (done + i) * page;
		if (move_pages(0, batch, pages, NULL, status, 0) < 0) {
			int err = errno;

			return np_fail(err, "np_region_where: move_pages on %lu pages at %p failed: %s%s",
				       batch, pages[0], strerror(err),
				       err == EPERM ? " (refused by a seccomp profile: a container "
						      "without CAP_SYS_NICE)" :
				       err == ENOSYS ? " (kernel without NUMA)" : "");
		}
		for (unsigned long i = 0; i < batch; i++) {
			if (status[i] >= 0)
				count(out, status[i]);
			else if (status[i] == -ENOENT)
				out->not_faulted++;
			else
				out->failed++;
		}
		done += batch;
	}
	return 0;
}

uint64_t
np_region_where_on(const struct np_region_where *w, int node)
{
	if (w == NULL)
		return 0;
	for (unsigned int i = 0; i < w->n_nodes; i++)
		if (w->nodes[i].node == node)
			return w->nodes[i].pages;
	return 0;
}
