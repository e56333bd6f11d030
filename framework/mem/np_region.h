/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Memory regions: anonymous memory placed on chosen NUMA nodes, and a way
 * to check where its pages really are.
 *
 * A region is one mapping with one NUMA policy (bind, preferred, interleave,
 * local), one page mode (normal pages, transparent huge pages, explicit 2 MB
 * or 1 GB hugepages) and an optional prefault (touch every page now, from the
 * calling thread or from one thread per node pinned to that node). The policy
 * is installed with mbind(2) before any page is touched, so every page is
 * placed by the kernel at its first fault: no page is ever allocated on a
 * wrong node and migrated afterwards.
 *
 * What was asked and what the kernel did can differ: a container may refuse
 * mbind (seccomp), a node may have no memory, hugepages may be missing. By
 * default such an outcome is *best effort*: the region is created, and
 * np_region_info() says which guarantee was lost and why. With
 * NP_REGION_STRICT every best-effort outcome is an error instead, and no
 * mapping is left behind.
 *
 * np_region_where() asks the kernel (move_pages(2)) where the pages are now:
 * the proof, not the intent.
 *
 * This module does not manage pools or hugetlbfs files and does not migrate
 * existing memory; DPDK's rte_malloc remains the allocator for DMA memory.
 */
#ifndef NP_REGION_H
#define NP_REGION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "np_common.h"
#include "np_nodemask.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque region handle. */
typedef struct np_region np_region;

/** Where the pages of a region may go (the mbind(2) modes). */
enum np_mem_policy {
	/** Pages go to the node of the thread that first touches them (MPOL_LOCAL). */
	NP_MEM_LOCAL = 0,
	/** Pages only on the nodes of the mask; fail (OOM) rather than go elsewhere. */
	NP_MEM_BIND,
	/** Pages on one node while it has free memory, then elsewhere. */
	NP_MEM_PREFERRED,
	/** Pages spread round-robin, page by page, over the nodes of the mask. */
	NP_MEM_INTERLEAVE,
};

/** Page size of a region. */
enum np_page_mode {
	/** Base pages (4 KB on x86); madvise(MADV_NOHUGEPAGE), so THP "always"
	 *  does not turn aligned 2 MB runs into one huge page on one node. */
	NP_PAGE_NORMAL = 0,
	NP_PAGE_THP,        /**< Transparent huge pages (madvise(MADV_HUGEPAGE)), 2 MB aligned. */
	NP_PAGE_HUGE_2M,    /**< Hugetlb 2 MB pages (MAP_HUGETLB | MAP_HUGE_2MB). */
	NP_PAGE_HUGE_1G,    /**< Hugetlb 1 GB pages (MAP_HUGETLB | MAP_HUGE_1GB). */
};

/** When the pages of a region are faulted in. */
enum np_prefault {
	NP_PREFAULT_NONE = 0, /**< At first use: placement happens then, by the policy. */
	NP_PREFAULT_TOUCH,    /**< Now, by the calling thread. */
	/**
	 * Now, by one thread per node of the policy (np_region_params::threads_per_node
	 * threads each), each pinned to its node's CPUs, each touching its node's
	 * share: for interleave the pages the policy puts on that node, for
	 * bind a contiguous slice per node, for preferred and local the whole
	 * range split between the threads of that one node (local: the
	 * caller's node). The zeroing of each page then runs on a CPU local to
	 * it, which is why this is faster on a multi-node machine.
	 */
	NP_PREFAULT_PARALLEL,
};

/** np_region_params::flags: every best-effort outcome is an error instead. */
#define NP_REGION_STRICT (1u << 0)

/** Largest np_region_params::threads_per_node. */
#define NP_REGION_MAX_THREADS_PER_NODE 16

/** Largest number of prefault threads (nodes x threads_per_node). */
#define NP_REGION_MAX_THREADS 64

/** What to create. Fill with np_region_params_init(), then change fields. */
struct np_region_params {
	size_t size;                 /**< Bytes, > 0; rounded up to the page size. */
	enum np_mem_policy policy;   /**< Default NP_MEM_LOCAL. */
	np_nodemask nodes;           /**< NP_MEM_BIND, NP_MEM_INTERLEAVE: the nodes (not empty). */
	int node;                    /**< NP_MEM_PREFERRED: the node (not NP_NODE_ANY). */
	enum np_page_mode pages;     /**< Default NP_PAGE_NORMAL. */
	enum np_prefault prefault;   /**< Default NP_PREFAULT_NONE. */
	unsigned int threads_per_node; /**< NP_PREFAULT_PARALLEL: threads per node; 0 means 1. */
	unsigned int flags;          /**< NP_REGION_STRICT or 0. */
};

/**
 * Why a region is best effort. Several may be set.
 */
enum np_region_fallback {
	/** mbind(2) was refused (EPERM: a seccomp profile, typically a container
	 *  without CAP_SYS_NICE): pages go wherever the default policy puts them. */
	NP_REGION_FB_NO_PERMISSION = 1u << 0,
	/** The kernel has no NUMA support (ENOSYS): no policy was installed. */
	NP_REGION_FB_NO_NUMA = 1u << 1,
	/** A node asked has no memory: it was left out of the policy (preferred:
	 *  the policy became local). */
	NP_REGION_FB_NODE_NO_MEMORY = 1u << 2,
	/** The process's cpuset does not allow a node asked: it was left out. */
	NP_REGION_FB_NODE_NOT_ALLOWED = 1u << 3,
	/** Not enough free hugepages on the nodes, or no pool of that size:
	 *  normal pages were used. */
	NP_REGION_FB_NO_HUGEPAGES = 1u << 4,
	/** Transparent huge pages are disabled or madvise refused: normal pages. */
	NP_REGION_FB_NO_THP = 1u << 5,
	/** A parallel-touch thread could not be pinned to its node (no CPUs
	 *  there, or refused): its share was touched from elsewhere. */
	NP_REGION_FB_PREFAULT_UNPINNED = 1u << 6,
	/** NP_MEM_PREFERRED: the region is larger than the node's memory, so part
	 *  of it will be on other nodes. */
	NP_REGION_FB_SPILL = 1u << 7,
};

/** One prefault thread, as it ran. */
struct np_region_toucher {
	int node;          /**< The node whose share it touched. */
	int cpu_start;     /**< sched_getcpu() before touching. */
	int cpu_end;       /**< sched_getcpu() after touching. */
	bool pinned;       /**< Pinned to the node's CPUs as asked. */
	uint64_t pages;    /**< Pages (of the region's page size) it touched. */
};

/** How a region was made. */
struct np_region_info {
	void *addr;                  /**< Start (page aligned). */
	size_t size;                 /**< Mapped bytes: the request rounded up to the page size. */
	/**
	 * Bytes per page actually used. For NP_PAGE_THP this is the base page:
	 * whether each 2 MB is backed by a huge page is the kernel's choice
	 * (AnonHugePages in /proc/self/smaps), not a guarantee.
	 */
	size_t page_size;
	enum np_page_mode pages;     /**< Page mode actually used. */
	enum np_mem_policy policy;   /**< Policy actually installed. */
	np_nodemask nodes;           /**< Nodes of the installed policy (empty for local). */
	bool strict;                 /**< Everything as asked (fallbacks == 0). */
	unsigned int fallbacks;      /**< enum np_region_fallback bits. */
	char detail[320];            /**< The reasons in words ("" when strict). */
	uint64_t prefault_ns;        /**< Wall time of the prefault (0 if none). */
	unsigned int n_touchers;     /**< Entries in touchers[] (NP_PREFAULT_PARALLEL). */
	/** The prefault threads, as they ran (NP_PREFAULT_PARALLEL). */
	struct np_region_toucher touchers[NP_REGION_MAX_THREADS];
};

/**
 * Default parameters: @p size bytes, local policy, normal pages, no
 * prefault, best effort, node = NP_NODE_ANY, empty mask.
 *
 * @param p
 *   Parameters to fill; NULL is ignored.
 * @param size
 *   Bytes.
 */
void np_region_params_init(struct np_region_params *p, size_t size);

/**
 * Create a region.
 *
 * @param p
 *   What to create.
 * @return
 *   A region, or NULL with errno set and np_last_error() saying which
 *   parameter or node was wrong and what to do:
 *   - EINVAL: @p p NULL, size 0, an unknown policy, page mode, prefault or
 *     flag, an empty mask for bind/interleave, NP_NODE_ANY (or an id out of
 *     range) as the preferred node, threads_per_node above
 *     NP_REGION_MAX_THREADS_PER_NODE or too many prefault threads in all;
 *   - ENODEV: a node that does not exist; or (strict, or for every node
 *     asked) a node without memory;
 *   - EPERM: strict and mbind refused, strict and a node not allowed by
 *     the cpuset (always, if no node asked is allowed), or strict and a
 *     parallel-touch thread that could not be pinned to its node;
 *   - ENOMEM: the size is larger than the memory of the policy's nodes, the
 *     mapping failed, memory ran out while prefaulting, or strict and not
 *     enough free hugepages (the message gives the echo command to
 *     reserve them), or strict and a preferred node smaller than the size;
 *   - EOPNOTSUPP: strict and the kernel has no hugepage pool of that size,
 *     or strict and transparent huge pages are disabled;
 *   - ENOSYS: strict and the kernel has no NUMA support;
 *   - otherwise the errno of the mmap(2), mbind(2) or prefault step that
 *     failed (the message names the call).
 *   A failure never leaves a mapping behind.
 */
np_region *np_region_create(const struct np_region_params *p);

/**
 * Shorthand: @p size bytes of normal pages on @p node (bind), prefaulted by
 * the calling thread; NP_NODE_ANY means the local policy.
 *
 * @param size
 *   Bytes, > 0.
 * @param node
 *   A node id, or NP_NODE_ANY.
 * @param flags
 *   NP_REGION_STRICT or 0.
 * @return
 *   As np_region_create().
 */
np_region *np_region_alloc(size_t size, int node, unsigned int flags);

/**
 * Unmap a region (exactly once) and free its handle.
 *
 * @param r
 *   The region; NULL is ignored.
 */
void np_region_destroy(np_region *r);

/**
 * Start of the region.
 *
 * @param r
 *   The region.
 * @return
 *   Its first byte (page aligned), or NULL if @p r is NULL.
 */
void *np_region_addr(const np_region *r);

/**
 * Mapped size.
 *
 * @param r
 *   The region.
 * @return
 *   Bytes (the request rounded up to the page size); 0 for NULL.
 */
size_t np_region_size(const np_region *r);

/**
 * How the region was made.
 *
 * @param r
 *   The region.
 * @param out
 *   Filled.
 * @return
 *   0, or -EINVAL if an argument is NULL.
 */
int np_region_info(const np_region *r, struct np_region_info *out);

/** Pages on one node. */
struct np_node_pages {
	int node;        /**< Node id. */
	uint64_t pages;  /**< Pages of the region on it. */
};

/** Largest number of distinct nodes np_region_where() lists. */
#define NP_REGION_WHERE_MAX_NODES 64

/** Where the pages of a region are, by np_region_where(). */
struct np_region_where {
	uint64_t pages;          /**< Pages in the region (of its page size). */
	size_t page_size;        /**< Bytes per page counted. */
	uint64_t not_faulted;    /**< Pages never touched (status -ENOENT). */
	uint64_t failed;         /**< Pages the kernel gave another error for (e.g. -EFAULT: the zero page). */
	uint64_t other_nodes;    /**< Pages on nodes beyond the first NP_REGION_WHERE_MAX_NODES listed. */
	unsigned int n_nodes;    /**< Entries in nodes[]: each node holding pages, ascending id. */
	/** Pages per node, for the first n_nodes nodes holding pages. */
	struct np_node_pages nodes[NP_REGION_WHERE_MAX_NODES];
};

/**
 * Where the pages of @p r are right now: move_pages(2) with no target
 * nodes, page by page. Pages never touched are counted in not_faulted, not
 * on any node. Costs one system call per 1024 pages; not for the fast path.
 *
 * @param r
 *   The region.
 * @param out
 *   Filled.
 * @return
 *   0, or -EINVAL (an argument NULL), -EPERM or -ENOSYS (move_pages refused
 *   or absent), or another errno of move_pages(2) (-ENOMEM...).
 */
int np_region_where(const np_region *r, struct np_region_where *out);

/**
 * Pages on @p node in a np_region_where() result.
 *
 * @param w
 *   The result.
 * @param node
 *   A node id.
 * @return
 *   The count; 0 if @p w is NULL or has no pages on that node.
 */
uint64_t np_region_where_on(const struct np_region_where *w, int node);

/**
 * A short name of a policy.
 *
 * @param policy
 *   The policy.
 * @return
 *   "local", "bind", "preferred" or "interleave"; "?" outside the enum.
 */
const char *np_mem_policy_name(enum np_mem_policy policy);
/**
 * A short name of a page mode.
 *
 * @param pages
 *   The page mode.
 * @return
 *   "normal", "thp", "2M" or "1G"; "?" outside the enum.
 */
const char *np_page_mode_name(enum np_page_mode pages);
/**
 * A short name of one fallback bit.
 *
 * @param fb
 *   One bit of enum np_region_fallback (not several).
 * @return
 *   "no-permission", "no-numa", "node-without-memory", "node-not-allowed",
 *   "no-hugepages", "no-thp", "prefault-unpinned" or "spill"; "?" for
 *   anything else.
 */
const char *np_region_fallback_name(enum np_region_fallback fb);

#ifdef __cplusplus
}
#endif

#endif /* NP_REGION_H */
