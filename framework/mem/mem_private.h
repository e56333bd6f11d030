/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of the memory module: live node facts and the region object. */
#ifndef MEM_PRIVATE_H
#define MEM_PRIVATE_H

#include <stdint.h>

#include "np_nodemask.h"
#include "np_region.h"

#define NP_LOGTYPE np_mem_logtype
extern int np_mem_logtype;

/*
 * What the kernel says about the nodes right now, read from sysfs and
 * get_mempolicy(MPOL_F_MEMS_ALLOWED) on every call: these calls are control
 * plane, and a cached answer would be wrong after memory hotplug or a cpuset
 * change.
 */
struct node_facts {
	np_nodemask online;     /* /sys/devices/system/node/online */
	np_nodemask memory;     /* .../has_memory: nodes the kernel can allocate on */
	np_nodemask allowed;    /* the cpuset's mems (all online if unknown) */
	bool numa;              /* false: kernel without NUMA, node 0 only */
	bool allowed_known;     /* get_mempolicy answered */
};

void mem_node_facts(struct node_facts *f);

/* MemTotal of a node in bytes (0 if unknown). */
uint64_t mem_node_total(int node);

/* Free hugepages of @page_size on @node; -errno if the pool does not exist. */
int64_t mem_node_free_hugepages(int node, uint64_t page_size);

/* Whether the kernel has a hugepage pool of that size at all. */
bool mem_hugepage_size_supported(uint64_t page_size);

/* Base page size (sysconf, cached). */
size_t mem_base_page(void);

/*
 * A region being built: what region.c decided, handed to the prefault.
 * nodes/n_nodes are the nodes the prefault threads run on (the policy's
 * nodes as asked, even when mbind was refused: first touch by a pinned
 * thread then still places the pages).
 */
struct plan {
	enum np_mem_policy policy;   /* installed (or to install) */
	np_nodemask nodes;           /* bind/interleave mask, or {preferred} */
	int node;                    /* preferred node */
	enum np_page_mode pages;
	size_t page_size;            /* bytes per page counted */
	size_t unit;                 /* bytes a prefault thread takes at a time */
	bool hugetlb;
	size_t len;                  /* size rounded up to page_size */
	bool strict;
	unsigned int fallbacks;
	char detail[320];
	enum np_prefault prefault;
	unsigned int threads_per_node;
	int touch_nodes[NP_REGION_MAX_THREADS];
	unsigned int n_touch_nodes;
	bool interleave_touch;       /* split by interleave index, not in slices */
};

struct np_region {
	void *addr;
	size_t len;                  /* what munmap gets, exactly once */
	struct np_region_info info;
};

/*
 * region_prefault.c: fault in every page of the region by the method of the
 * plan. Fills r->info's prefault fields and may add
 * NP_REGION_FB_PREFAULT_UNPINNED to pl->fallbacks. Returns 0, or -errno with
 * the failure recorded; never unmaps (the caller owns the mapping).
 */
int mem_prefault(struct np_region *r, struct plan *pl);

/* Append a reason to the plan's detail ("; " separated). */
void mem_note(struct plan *pl, unsigned int fb, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The node of the CPU the caller runs on now (0 if unknown). */
int mem_current_node(void);

#endif /* MEM_PRIVATE_H */
