/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Creating and destroying regions: check the request against the live
 * machine, map, install the policy with mbind(2) before any page exists,
 * prefault, and say what was enforced.
 *
 * Ownership rule for the mapping (the bug this file is written against: a
 * failed policy unmapping twice, or not at all): the mapping lives in the
 * np_region (addr, len) from the moment mmap returns, and is only ever
 * released through unmap_once(), which clears addr. Every failure path calls
 * it; calling it twice is harmless; nothing else calls munmap on it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <numaif.h>

#include "mem_private.h"
#include "np_error_private.h"

NP_LOG_REGISTER(np_mem_logtype, "numaperf.mem");

#define SZ_2M (2UL << 20)
#define SZ_1G (1UL << 30)

#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB (21 << MAP_HUGE_SHIFT)
#endif
#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB (30 << MAP_HUGE_SHIFT)
#endif

const char *
np_mem_policy_name(enum np_mem_policy policy)
{
	switch (policy) {
	case NP_MEM_LOCAL: return "local";
	case NP_MEM_BIND: return "bind";
	case NP_MEM_PREFERRED: return "preferred";
	case NP_MEM_INTERLEAVE: return "interleave";
	}
	return "?";
}

const char *
np_page_mode_name(enum np_page_mode pages)
{
	switch (pages) {
	case NP_PAGE_NORMAL: return "normal";
	case NP_PAGE_THP: return "thp";
	case NP_PAGE_HUGE_2M: return "2M";
	case NP_PAGE_HUGE_1G: return "1G";
	}
	return "?";
}

const char *
np_region_fallback_name(enum np_region_fallback fb)
{
	switch (fb) {
	case NP_REGION_FB_NO_PERMISSION: return "no-permission";
	case NP_REGION_FB_NO_NUMA: return "no-numa";
	case NP_REGION_FB_NODE_NO_MEMORY: return "node-without-memory";
	case NP_REGION_FB_NODE_NOT_ALLOWED: return "node-not-allowed";
	case NP_REGION_FB_NO_HUGEPAGES: return "no-hugepages";
	case NP_REGION_FB_NO_THP: return "no-thp";
	case NP_REGION_FB_PREFAULT_UNPINNED: return "prefault-unpinned";
	case NP_REGION_FB_SPILL: return "spill";
	}
	return "?";
}

void
np_region_params_init(struct np_region_params *p, size_t size)
{
	if (p == NULL)
		return;
	memset(p, 0, sizeof(*p));
	p->size = size;
	p->policy = NP_MEM_LOCAL;
	p->node = NP_NODE_ANY;
	p->pages = NP_PAGE_NORMAL;
	p->prefault = NP_PREFAULT_NONE;
}

void
mem_note(struct plan *pl, unsigned int fb, const char *fmt, ...)
{
	size_t used = strlen(pl->detail);
	va_list ap;

	pl->fallbacks |= fb;
	if (used > 0 && used + 2 < sizeof(pl->detail)) {
		memcpy(pl->detail + used, "; ", 3);
		used += 2;
	}
	if (used + 1 >= sizeof(pl->detail))
		return;
	va_start(ap, fmt);
	vsnprintf(pl->detail + used, sizeof(pl->detail) - used, fmt, ap);
	va_end(ap);
}

/*
 * One best-effort point: strict turns it into an error (err), otherwise it
 * is noted, with what was done instead (@then, may be NULL), and creation
 * goes on.
 */
static int __attribute__((format(printf, 5, 6)))
best_effort(struct plan *pl, unsigned int fb, int err, const char *then, const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (pl->strict)
		return np_fail(err, "np_region_create: %s (NP_REGION_STRICT: refusing instead of "
			       "falling back; drop the flag to accept best effort)", msg);
	if (then != NULL)
		mem_note(pl, fb, "%s: %s", msg, then);
	else
		mem_note(pl, fb, "%s", msg);
	return 0;
}

static void
mask_str(const np_nodemask *m, char *buf, size_t len)
{
	np_nodemask_format(m, buf, len);
	if (buf[0] == '\0')
		snprintf(buf, len, "none");
}

static uint64_t
mib(uint64_t bytes)
{
	return bytes >> 20;
}

/* ---- checking the request against the machine ------------------------ */

static int
check_params(const struct np_region_params *p)
{
	if (p == NULL)
		return np_fail(EINVAL, "np_region_create: params is NULL: fill a struct np_region_params "
			       "with np_region_params_init()");
	if (p->size == 0)
		return np_fail(EINVAL, "np_region_create: size is 0: a region needs at least one byte");
	if ((unsigned int)p->policy > NP_MEM_INTERLEAVE)
		return np_fail(EINVAL, "np_region_create: policy %d is not one of NP_MEM_LOCAL, "
			       "NP_MEM_BIND, NP_MEM_PREFERRED, NP_MEM_INTERLEAVE", (int)p->policy);
	if ((unsigned int)p->pages > NP_PAGE_HUGE_1G)
		return np_fail(EINVAL, "np_region_create: page mode %d is not a supported page size: use "
			       "NP_PAGE_NORMAL, NP_PAGE_THP, NP_PAGE_HUGE_2M or NP_PAGE_HUGE_1G",
			       (int)p->pages);
	if ((unsigned int)p->prefault > NP_PREFAULT_PARALLEL)
		return np_fail(EINVAL, "np_region_create: prefault %d is not one of NP_PREFAULT_NONE, "
			       "NP_PREFAULT_TOUCH, NP_PREFAULT_PARALLEL", (int)p->prefault);
	if (p->flags & ~NP_REGION_STRICT)
		return np_fail(EINVAL, "np_region_create: flags 0x%x has unknown bits 0x%x (only "
			       "NP_REGION_STRICT is defined)", p->flags, p->flags & ~NP_REGION_STRICT);
	if (p->threads_per_node > NP_REGION_MAX_THREADS_PER_NODE)
		return np_fail(EINVAL, "np_region_create: threads_per_node %u is above the limit %d",
			       p->threads_per_node, NP_REGION_MAX_THREADS_PER_NODE);
	return 0;
}

/*
 * One node named by the caller. Returns 1 if usable, 0 if dropped (best
 * effort, noted), or -errno.
 */
static int
check_node(struct plan *pl, const struct node_facts *f, int node, const char *what)
{
	char list[128];
	int ret;

	if (!np_nodemask_isset(&f->online, node)) {
		mask_str(&f->online, list, sizeof(list));
		return np_fail(ENODEV, "np_region_create: %s node %d does not exist (this machine has "
			       "nodes %s): check the node id (numactl -H lists them)", what, node, list);
	}
	if (!np_nodemask_isset(&f->memory, node)) {
		mask_str(&f->memory, list, sizeof(list));
		ret = best_effort(pl, NP_REGION_FB_NODE_NO_MEMORY, ENODEV, "left out of the policy",
				  "%s node %d has no memory (CPU-only node; nodes with memory: %s)",
				  what, node, list);
		return ret < 0 ? ret : 0;
	}
	if (!np_nodemask_isset(&f->allowed, node)) {
		mask_str(&f->allowed, list, sizeof(list));
		ret = best_effort(pl, NP_REGION_FB_NODE_NOT_ALLOWED, EPERM, "left out of the policy",
				  "%s node %d is not allowed by this process's cpuset (cpuset.mems: %s)",
				  what, node, list);
		return ret < 0 ? ret : 0;
	}
	return 1;
}

static int
resolve_nodes(struct plan *pl, const struct np_region_params *p, const struct node_facts *f)
{
	const char *pol = np_mem_policy_name(p->policy);
	unsigned int no_memory = 0, not_allowed = 0;
	char list[128];
	int ret;

	switch (p->policy) {
	case NP_MEM_LOCAL:
		np_nodemask_zero(&pl->nodes);
		return 0;
	case NP_MEM_PREFERRED:
		if (p->node < 0 || p->node > NP_MAX_NODE_ID)
			return np_fail(EINVAL, "np_region_create: policy preferred needs a node id in "
				       "0..%d in params.node, got %d%s", NP_MAX_NODE_ID, p->node,
				       p->node == NP_NODE_ANY ?
				       " (NP_NODE_ANY: use policy NP_MEM_LOCAL for \"any node\")" : "");
		ret = check_node(pl, f, p->node, "preferred");
		if (ret < 0)
			return ret;
		np_nodemask_zero(&pl->nodes);
		if (ret == 0) {
			/* The one node is unusable: nothing to prefer, so local. */
			pl->policy = NP_MEM_LOCAL;
			mem_note(pl, 0, "policy became local");
			return 0;
		}
		np_nodemask_set(&pl->nodes, p->node);
		pl->node = p->node;
		return 0;
	case NP_MEM_BIND:
	case NP_MEM_INTERLEAVE:
		if (np_nodemask_weight(&p->nodes) == 0)
			return np_fail(EINVAL, "np_region_create: policy %s with an empty node mask "
				       "(params.nodes): set at least one node with np_nodemask_set()", pol);
		np_nodemask_zero(&pl->nodes);
		NP_NODEMASK_FOREACH(node, &p->nodes) {
			ret = check_node(pl, f, node, pol);
			if (ret < 0)
				return ret;
			if (ret > 0)
				np_nodemask_set(&pl->nodes, node);
			else if (!np_nodemask_isset(&f->memory, node))
				no_memory++;
			else
				not_allowed++;
		}
		if (np_nodemask_weight(&pl->nodes) == 0) {
			mask_str(&p->nodes, list, sizeof(list));
			/* Nothing left: no best effort can place a page "on none of them". */
			return np_fail(not_allowed ? EPERM : ENODEV,
				       "np_region_create: none of the %s nodes %s can hold memory (%u without "
				       "memory, %u not allowed by the cpuset): pick nodes from "
				       "np_nodemask_usable()", pol, list, no_memory, not_allowed);
		}
		return 0;
	}
	return np_fail(EINVAL, "np_region_create: policy %d unknown", (int)p->policy);
}

/* Bytes of memory of the nodes of a mask. */
static uint64_t
mask_memory(const np_nodemask *m)
{
	uint64_t sum = 0;

	NP_NODEMASK_FOREACH(node, m)
		sum += mem_node_total(node);
	return sum;
}

static uint64_t
usable_memory(const struct node_facts *f)
{
	np_nodemask m;

	for (size_t w = 0; w < sizeof(m.bits) / sizeof(m.bits[0]); w++)
		m.bits[w] = f->online.bits[w] & f->memory.bits[w] & f->allowed.bits[w];
	return mask_memory(&m);
}

static int
check_size(struct plan *pl, const struct np_region_params *p, const struct node_facts *f)
{
	uint64_t cap;
	char list[128];
	const char *whose;

	switch (pl->policy) {
	case NP_MEM_BIND:
	case NP_MEM_INTERLEAVE:
		cap = mask_memory(&pl->nodes);
		whose = "the nodes";
		break;
	case NP_MEM_PREFERRED:
		cap = mem_node_total(pl->node);
		if (p->size > cap && p->size <= usable_memory(f)) {
			int ret = best_effort(pl, NP_REGION_FB_SPILL, ENOMEM,
					      "the rest will be on other nodes",
					      "size %" PRIu64 " MiB is larger than preferred node %d's "
					      "%" PRIu64 " MiB",
					      mib(p->size), pl->node, mib(cap));
			if (ret < 0)
				return ret;
		}
		cap = usable_memory(f);
		whose = "the usable nodes";
		break;
	default:
		/* Local: any node the kernel falls back to. */
		cap = usable_memory(f);
		if (cap == 0)
			cap = (uint64_t)sysconf(_SC_PHYS_PAGES) * mem_base_page();
		whose = "the usable nodes";
		break;
	}
	if (p->size > cap) {
		if (pl->policy == NP_MEM_BIND || pl->policy == NP_MEM_INTERLEAVE)
			mask_str(&pl->nodes, list, sizeof(list));
		else
			np_nodemask_format(&f->memory, list, sizeof(list));
		return np_fail(ENOMEM, "np_region_create: size %zu bytes (%" PRIu64 " MiB) is larger than "
			       "the %" PRIu64 " MiB of memory of %s (%s) for policy %s: ask for less, or "
			       "add nodes to the mask", p->size, mib(p->size), mib(cap), whose, list,
			       np_mem_policy_name(pl->policy));
	}
	return 0;
}

static size_t
huge_size(enum np_page_mode m)
{
	return m == NP_PAGE_HUGE_1G ? SZ_1G : SZ_2M;
}

/* Free hugepages of the plan's size on the nodes the policy may use. */
static int
check_hugepages(struct plan *pl, const struct node_facts *f)
{
	size_t hp = huge_size(pl->pages);
	uint64_t need, have = 0, worst_free = 0;
	unsigned int k = 0;
	int worst = -1;
	np_nodemask m;
	char list[128];

	if (!mem_hugepage_size_supported(hp))
		return best_effort(pl, NP_REGION_FB_NO_HUGEPAGES, EOPNOTSUPP, "used normal pages",
				   "this kernel has no %zu MB hugepage pool (no /sys/kernel/mm/hugepages/"
				   "hugepages-%zukB; for 1 GB pages boot with hugepagesz=1G)",
				   hp >> 20, hp >> 10);
	need = (pl->len + hp - 1) / hp;
	if (pl->policy == NP_MEM_BIND || pl->policy == NP_MEM_INTERLEAVE) {
		m = pl->nodes;
	} else {
		for (size_t w = 0; w < sizeof(m.bits) / sizeof(m.bits[0]); w++)
			m.bits[w] = f->online.bits[w] & f->memory.bits[w] & f->allowed.bits[w];
	}
	NP_NODEMASK_FOREACH(node, &m) {
		int64_t fr = mem_node_free_hugepages(node, hp);

		if (fr < 0)
			fr = 0;
		have += (uint64_t)fr;
		if (worst < 0 || (uint64_t)fr < worst_free) {
			worst = node;
			worst_free = (uint64_t)fr;
		}
		k++;
	}
	/*
	 * Interleave puts every k-th page on each node, so each node needs its
	 * share; bind may take them from any node of the mask.
	 */
	if (pl->policy == NP_MEM_INTERLEAVE && k > 0 && worst_free < (need + k - 1) / k) {
		uint64_t want = (need + k - 1) / k;

		return best_effort(pl, NP_REGION_FB_NO_HUGEPAGES, ENOMEM, "used normal pages",
				   "node %d has %" PRIu64 " free %zu MB hugepages; interleave needs %" PRIu64
				   " there: echo %" PRIu64 " > /sys/devices/system/node/node%d/hugepages/"
				   "hugepages-%zukB/nr_hugepages",
				   worst, worst_free, hp >> 20, want, want, worst, hp >> 10);
	}
	if (have < need) {
		mask_str(&m, list, sizeof(list));
		return best_effort(pl, NP_REGION_FB_NO_HUGEPAGES, ENOMEM, "used normal pages",
				   "%s %s %s %" PRIu64 " free %zu MB hugepages; need %" PRIu64 ": echo %"
				   PRIu64 " > /sys/devices/system/node/node%d/hugepages/hugepages-%zukB/"
				   "nr_hugepages", k == 1 ? "node" : "nodes", list, k == 1 ? "has" : "have",
				   have, hp >> 20, need, need, worst < 0 ? 0 : worst, hp >> 10);
	}
	return 1;
}

static bool
thp_disabled(void)
{
	char buf[128];
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	bool never;

	if (f == NULL)
		return true; /* kernel without THP */
	never = fgets(buf, sizeof(buf), f) == NULL || strstr(buf, "[never]") != NULL;
	fclose(f);
	return never;
}

static void
set_pages(struct plan *pl, enum np_page_mode m, size_t size)
{
	size_t base = mem_base_page();

	pl->pages = m;
	pl->hugetlb = m == NP_PAGE_HUGE_2M || m == NP_PAGE_HUGE_1G;
	pl->page_size = pl->hugetlb ? huge_size(m) : base;
	/* THP faults a whole 2 MB folio at once: threads take 2 MB units. */
	pl->unit = m == NP_PAGE_THP ? SZ_2M : pl->page_size;
	pl->len = (size + pl->page_size - 1) / pl->page_size * pl->page_size;
}

/* ---- mapping ------------------------------------------------------------ */

static void
unmap_once(struct np_region *r)
{
	if (r->addr != NULL) {
		munmap(r->addr, r->len);
		r->addr = NULL;
		r->len = 0;
	}
}

/*
 * Map pl->len bytes. Returns 0, or -errno with the mapping absent (for
 * hugetlb the caller may retry with normal pages).
 */
static int
map(struct np_region *r, struct plan *pl)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	void *a;

	if (pl->hugetlb)
		flags |= MAP_HUGETLB | (pl->pages == NP_PAGE_HUGE_1G ? MAP_HUGE_1GB : MAP_HUGE_2MB);
	if (pl->pages == NP_PAGE_THP) {
		/*
		 * THP needs 2 MB aligned 2 MB ranges: map 2 MB more and trim
		 * both ends, so the region starts on a 2 MB boundary.
		 */
		size_t want = (pl->len + SZ_2M - 1) & ~(SZ_2M - 1);
		size_t head, tail;
		char *raw;

		if (want < pl->len)
			return -ENOMEM;
		a = mmap(NULL, want + SZ_2M, PROT_READ | PROT_WRITE, flags, -1, 0);
		if (a == MAP_FAILED)
			return -errno;
		raw = a;
		head = (SZ_2M - ((uintptr_t)raw & (SZ_2M - 1))) & (SZ_2M - 1);
		tail = SZ_2M - head;
		if (head)
			munmap(raw, head);
		if (tail)
			munmap(raw + head + want, tail);
		r->addr = raw + head;
		r->len = want;
		pl->len = want;
		return 0;
	}
	a = mmap(NULL, pl->len, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (a == MAP_FAILED)
		return -errno;
	r->addr = a;
	r->len = pl->len;
	return 0;
}

static int
mbind_mode(enum np_mem_policy p)
{
	switch (p) {
	case NP_MEM_BIND: return MPOL_BIND;
	case NP_MEM_PREFERRED: return MPOL_PREFERRED;
	case NP_MEM_INTERLEAVE: return MPOL_INTERLEAVE;
	default: return MPOL_LOCAL;
	}
}

/*
 * Install the policy on the (still untouched) mapping. Returns 0 (installed
 * or best effort noted) or -errno; never unmaps.
 */
static int
install_policy(struct np_region *r, struct plan *pl)
{
	char list[128];
	long ret;
	int err;

	if (pl->policy == NP_MEM_LOCAL)
		ret = mbind(r->addr, r->len, MPOL_LOCAL, NULL, 0, 0);
	else
		/* maxnode is bits + 1: the kernel ignores the last bit (see libnuma). */
		ret = mbind(r->addr, r->len, mbind_mode(pl->policy), pl->nodes.bits,
			    NP_NODEMASK_BITS + 1, 0);
	if (ret == 0)
		return 0;
	err = errno;
	mask_str(&pl->nodes, list, sizeof(list));
	if (err == EPERM)
		return best_effort(pl, NP_REGION_FB_NO_PERMISSION, EPERM,
				   "pages go where the first touch puts them",
				   "mbind(%s, nodes %s) was refused (EPERM: a seccomp profile, e.g. a "
				   "container without CAP_SYS_NICE)",
				   np_mem_policy_name(pl->policy), list);
	if (err == ENOSYS)
		return best_effort(pl, NP_REGION_FB_NO_NUMA, ENOSYS, "no policy installed",
				   "mbind(%s) is not available (ENOSYS: kernel without CONFIG_NUMA)", np_mem_policy_name(pl->policy));
	return np_fail(err, "np_region_create: mbind(%p, %zu, %s, nodes %s) failed: %s",
		       r->addr, r->len, np_mem_policy_name(pl->policy), list, strerror(err));
}

/* ---- create / destroy -------------------------------------------------- */

static void
fill_info(struct np_region *r, const struct plan *pl, bool installed)
{
	struct np_region_info *in = &r->info;

	in->addr = r->addr;
	in->size = r->len;
	in->page_size = pl->page_size;
	in->pages = pl->pages;
	in->policy = installed ? pl->policy : NP_MEM_LOCAL;
	if (installed && (pl->policy == NP_MEM_BIND || pl->policy == NP_MEM_INTERLEAVE ||
			  pl->policy == NP_MEM_PREFERRED))
		in->nodes = pl->nodes;
	else
		np_nodemask_zero(&in->nodes);
	in->fallbacks = pl->fallbacks;
	in->strict = pl->fallbacks == 0;
	snprintf(in->detail, sizeof(in->detail), "%s", pl->detail);
}

/* The nodes prefault threads run on, in order. */
static void
plan_touch_nodes(struct plan *pl, const struct np_region_params *p)
{
	pl->n_touch_nodes = 0;
	pl->interleave_touch = pl->policy == NP_MEM_INTERLEAVE;
	if (pl->policy == NP_MEM_BIND || pl->policy == NP_MEM_INTERLEAVE ||
	    pl->policy == NP_MEM_PREFERRED) {
		NP_NODEMASK_FOREACH(node, &pl->nodes)
			if (pl->n_touch_nodes < NP_REGION_MAX_THREADS)
				pl->touch_nodes[pl->n_touch_nodes++] = node;
	} else {
		/* Local: the pages belong near the caller, so its node touches. */
		pl->touch_nodes[pl->n_touch_nodes++] = mem_current_node();
	}
	pl->threads_per_node = p->threads_per_node ? p->threads_per_node : 1;
}

np_region *
np_region_create(const struct np_region_params *p)
{
	struct node_facts f;
	struct np_region *r;
	struct plan pl;
	bool installed;
	int ret;

	ret = check_params(p);
	if (ret < 0)
		return NULL;
	memset(&pl, 0, sizeof(pl));
	pl.policy = p->policy;
	pl.node = NP_NODE_ANY;
	pl.strict = p->flags & NP_REGION_STRICT;
	pl.prefault = p->prefault;
	mem_node_facts(&f);

	if (resolve_nodes(&pl, p, &f) < 0)
		return NULL;
	plan_touch_nodes(&pl, p);
	if (pl.prefault == NP_PREFAULT_PARALLEL &&
	    pl.n_touch_nodes * pl.threads_per_node > NP_REGION_MAX_THREADS)
		return np_fail_null(EINVAL, "np_region_create: %u nodes x %u threads_per_node is more "
				    "than %d prefault threads: lower threads_per_node",
				    pl.n_touch_nodes, pl.threads_per_node, NP_REGION_MAX_THREADS);
	if (p->size > SIZE_MAX - SZ_1G)
		return np_fail_null(ENOMEM, "np_region_create: size %zu bytes cannot be mapped on this "
				    "machine", p->size);
	if (check_size(&pl, p, &f) < 0)
		return NULL;

	set_pages(&pl, p->pages, p->size);
	if (pl.hugetlb) {
		ret = check_hugepages(&pl, &f);
		if (ret < 0)
			return NULL;
		if (ret == 0)
			set_pages(&pl, NP_PAGE_NORMAL, p->size);
	} else if (pl.pages == NP_PAGE_THP && thp_disabled()) {
		if (best_effort(&pl, NP_REGION_FB_NO_THP, EOPNOTSUPP, "used normal pages",
				"transparent huge pages are disabled (/sys/kernel/mm/transparent_hugepage/"
				"enabled is [never] or absent): echo madvise > that file") < 0)
			return NULL;
		set_pages(&pl, NP_PAGE_NORMAL, p->size);
	}

	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return np_fail_null(ENOMEM, "np_region_create: out of memory for the region handle");

	/* At most two rounds: hugepages, then normal pages if they ran out. */
	for (;;) {
		ret = map(r, &pl);
		if (ret < 0) {
			if (pl.hugetlb && ret == -ENOMEM && !pl.strict) {
				mem_note(&pl, NP_REGION_FB_NO_HUGEPAGES,
					 "mmap of %zu MB hugepages failed (ENOMEM: pool reserved by others?), "
					 "used normal pages", pl.page_size >> 20);
				set_pages(&pl, NP_PAGE_NORMAL, p->size);
				continue;
			}
			np_fail(-ret, "np_region_create: mmap of %zu bytes of %s pages failed: %s%s",
				pl.len, np_page_mode_name(pl.pages), strerror(-ret),
				pl.hugetlb ? " (reserve hugepages: see /sys/kernel/mm/hugepages)" : "");
			goto fail;
		}
		/*
		 * Normal pages means base pages: with THP "always" the kernel would
		 * otherwise back aligned 2 MB runs with one huge page, on one node,
		 * which also breaks interleave's page-by-page spread. Kernels
		 * without THP refuse the advice; they have no huge pages anyway.
		 */
		if (pl.pages == NP_PAGE_NORMAL)
			(void)madvise(r->addr, r->len, MADV_NOHUGEPAGE);
		if (pl.pages == NP_PAGE_THP && madvise(r->addr, r->len, MADV_HUGEPAGE) < 0) {
			ret = best_effort(&pl, NP_REGION_FB_NO_THP, EOPNOTSUPP, "normal pages",
					  "madvise(MADV_HUGEPAGE) failed (%s)", strerror(errno));
			if (ret < 0)
				goto fail;
		}
		ret = install_policy(r, &pl);
		if (ret < 0)
			goto fail;
		installed = !(pl.fallbacks & (NP_REGION_FB_NO_PERMISSION | NP_REGION_FB_NO_NUMA));
		if (pl.prefault == NP_PREFAULT_NONE)
			break;
		ret = mem_prefault(r, &pl);
		if (ret == 0)
			break;
		/* The pages ran out under us (another process took the pool). */
		if (pl.hugetlb && ret == -ENOMEM && !pl.strict) {
			unmap_once(r);
			mem_note(&pl, NP_REGION_FB_NO_HUGEPAGES, "%s; used normal pages", np_last_error());
			set_pages(&pl, NP_PAGE_NORMAL, p->size);
			memset(&r->info, 0, sizeof(r->info));
			continue;
		}
		goto fail;
	}
	if (pl.strict && (pl.fallbacks & NP_REGION_FB_PREFAULT_UNPINNED)) {
		np_fail(EPERM, "np_region_create: %s (NP_REGION_STRICT: refusing)", pl.detail);
		goto fail;
	}
	fill_info(r, &pl, installed);
	if (pl.fallbacks)
		NP_LOG(NOTICE, "region %p (%zu bytes, %s): best effort: %s", r->addr, r->len,
		       np_mem_policy_name(p->policy), pl.detail);
	return r;
fail:
	ret = errno;
	unmap_once(r);
	free(r);
	errno = ret;
	return NULL;
}

np_region *
np_region_alloc(size_t size, int node, unsigned int flags)
{
	struct np_region_params p;

	np_region_params_init(&p, size);
	p.prefault = NP_PREFAULT_TOUCH;
	p.flags = flags;
	if (node != NP_NODE_ANY) {
		if (node < 0 || node > NP_MAX_NODE_ID)
			return np_fail_null(EINVAL, "np_region_alloc: node %d is not a node id (0..%d) "
					    "nor NP_NODE_ANY", node, NP_MAX_NODE_ID);
		p.policy = NP_MEM_BIND;
		np_nodemask_set(&p.nodes, node);
	}
	return np_region_create(&p);
}

void
np_region_destroy(np_region *r)
{
	if (r == NULL)
		return;
	unmap_once(r);
	free(r);
}

void *
np_region_addr(const np_region *r)
{
	return r == NULL ? NULL : r->addr;
}

size_t
np_region_size(const np_region *r)
{
	return r == NULL ? 0 : r->len;
}

int
np_region_info(const np_region *r, struct np_region_info *out)
{
	if (r == NULL || out == NULL)
		return np_fail(EINVAL, "np_region_info: %s is NULL", r == NULL ? "region" : "out");
	*out = r->info;
	return 0;
}
