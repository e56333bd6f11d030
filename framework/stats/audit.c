/* SPDX-License-Identifier: BSD-3-Clause */
/* Where are my pages: intended node, user node, and the node memory is on. */
#include <errno.h>
#include <numaif.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_memory.h>

#include "np_audit.h"
#include "np_error_private.h"

#define SAMPLES 16

struct np_audit {
	struct np_audit_entry *e;
	unsigned int n, cap;
};

np_audit *
np_audit_create(void)
{
	np_audit *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return np_fail_null(ENOMEM, "no memory for an audit");
	return a;
}

void
np_audit_destroy(np_audit *a)
{
	if (a == NULL)
		return;
	free(a->e);
	free(a);
}

void
np_audit_clear(np_audit *a)
{
	if (a != NULL)
		a->n = 0;
}

int
np_audit_add(np_audit *a, const char *kind, const char *what, int intended, int user,
	     const void *addr, size_t len, enum np_audit_mem mem)
{
	struct np_audit_entry *e;

	if (a == NULL || kind == NULL || what == NULL || addr == NULL || len == 0)
		return np_fail(EINVAL, "np_audit_add: kind, what, an address and a length are "
			       "required");
	if (a->n == a->cap) {
		unsigned int cap = a->cap ? 2 * a->cap : 64;
		struct np_audit_entry *m = realloc(a->e, cap * sizeof(*m));

		if (m == NULL)
			return np_fail(ENOMEM, "no memory for %u audit entries", cap);
		a->e = m;
		a->cap = cap;
	}
	e = &a->e[a->n++];
	memset(e, 0, sizeof(*e));
	snprintf(e->kind, sizeof(e->kind), "%s", kind);
	snprintf(e->what, sizeof(e->what), "%s", what);
	e->intended = intended;
	e->user = user;
	e->addr = addr;
	e->len = len;
	e->mem = mem;
	e->dpdk_node = e->kernel_node = NP_NODE_UNKNOWN;
	e->verdict = NP_AUDIT_UNKNOWN;
	return 0;
}

/* The kernel's node of up to SAMPLES pages spread over the object. */
static void
kernel_nodes(struct np_audit_entry *e)
{
	long pg = sysconf(_SC_PAGESIZE);
	uintptr_t first = (uintptr_t)e->addr & ~(uintptr_t)(pg - 1);
	uintptr_t last = ((uintptr_t)e->addr + e->len - 1) & ~(uintptr_t)(pg - 1);
	size_t n_pages = (last - first) / (size_t)pg + 1;
	void *pages[SAMPLES];
	int status[SAMPLES], votes[SAMPLES], nodes[SAMPLES];
	unsigned int n = n_pages < SAMPLES ? (unsigned int)n_pages : SAMPLES, n_nodes = 0;

	for (unsigned int i = 0; i < n; i++) {
		size_t k = n > 1 ? (size_t)i * (n_pages - 1) / (n - 1) : 0;

		pages[i] = (void *)(first + k * (size_t)pg);
	}
	if (move_pages(0, n, pages, NULL, status, 0) != 0)
		return;
	for (unsigned int i = 0; i < n; i++) {
		unsigned int j;

		if (status[i] < 0)
			continue;
		e->pages++;
		e->pages_off += status[i] != e->intended;
		for (j = 0; j < n_nodes && nodes[j] != status[i]; j++)
			;
		if (j == n_nodes) {
			nodes[n_nodes] = status[i];
			votes[n_nodes++] = 0;
		}
		votes[j]++;
	}
	for (unsigned int j = 0, best = 0; j < n_nodes; j++)
		if (j == 0 || votes[j] > votes[best]) {
			best = j;
			e->kernel_node = nodes[j];
		}
}

int
np_audit_resolve(np_audit *a)
{
	int flagged = 0;

	if (a == NULL)
		return np_fail(EINVAL, "np_audit_resolve: an audit is required");
	for (unsigned int i = 0; i < a->n; i++) {
		struct np_audit_entry *e = &a->e[i];
		int actual;

		e->dpdk_node = e->kernel_node = NP_NODE_UNKNOWN;
		e->pages = e->pages_off = 0;
		if (e->mem == NP_AUDIT_DPDK) {
			const struct rte_memseg *ms = rte_mem_virt2memseg(e->addr, NULL);

			if (ms != NULL && ms->socket_id >= 0)
				e->dpdk_node = ms->socket_id;
		}
		kernel_nodes(e);
		/* The kernel has the last word; DPDK's memseg when the kernel cannot say. */
		actual = e->kernel_node != NP_NODE_UNKNOWN ? e->kernel_node : e->dpdk_node;
		if (actual == NP_NODE_UNKNOWN)
			e->verdict = NP_AUDIT_UNKNOWN;
		else if (actual != e->intended || e->pages_off > 0 ||
			 (e->dpdk_node != NP_NODE_UNKNOWN && e->dpdk_node != e->intended))
			e->verdict = NP_AUDIT_MISPLACED;
		else if (e->user != NP_NODE_UNKNOWN && e->user != e->intended)
			e->verdict = NP_AUDIT_REMOTE;
		else
			e->verdict = NP_AUDIT_OK;
		flagged += e->verdict == NP_AUDIT_MISPLACED || e->verdict == NP_AUDIT_REMOTE;
	}
	return flagged;
}

unsigned int
np_audit_count(const np_audit *a)
{
	return a ? a->n : 0;
}

int
np_audit_entry(const np_audit *a, unsigned int idx, struct np_audit_entry *out)
{
	if (a == NULL || out == NULL || idx >= a->n)
		return -EINVAL;
	*out = a->e[idx];
	return 0;
}

unsigned int
np_audit_count_verdict(const np_audit *a, enum np_audit_verdict v)
{
	unsigned int n = 0;

	for (unsigned int i = 0; a && i < a->n; i++)
		n += a->e[i].verdict == v;
	return n;
}

const char *
np_audit_verdict_name(enum np_audit_verdict v)
{
	switch (v) {
	case NP_AUDIT_OK: return "OK";
	case NP_AUDIT_MISPLACED: return "MISPLACED";
	case NP_AUDIT_REMOTE: return "REMOTE";
	case NP_AUDIT_UNKNOWN: return "UNKNOWN";
	}
	return "?";
}

static const char *
node_str(int node, char *buf, size_t len)
{
	if (node == NP_NODE_UNKNOWN)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%d", node);
	return buf;
}

int
np_audit_print(const np_audit *a, FILE *f)
{
	if (a == NULL || f == NULL)
		return -EINVAL;
	fprintf(f, "%-10s  %-28s  %8s  %4s  %4s  %6s  %9s  %s\n", "object", "which", "intended",
		"user", "dpdk", "kernel", "pages-off", "verdict");
	for (unsigned int i = 0; i < a->n; i++) {
		const struct np_audit_entry *e = &a->e[i];
		char in[12], us[12], dp[12], kn[12];

		fprintf(f, "%-10s  %-28s  %8s  %4s  %4s  %6s  %4u/%-4u  %s\n", e->kind, e->what,
			node_str(e->intended, in, sizeof(in)), node_str(e->user, us, sizeof(us)),
			node_str(e->dpdk_node, dp, sizeof(dp)),
			node_str(e->kernel_node, kn, sizeof(kn)), e->pages_off, e->pages,
			np_audit_verdict_name(e->verdict));
	}
	return ferror(f) ? -EIO : 0;
}
