/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Per-node sharded state: one copy of a user type on each NUMA node, each in
 * memory of its own node, and a cheap way for a thread to find the copy of
 * the node it runs on.
 *
 * Each shard is its own region (np_region.h) bound to its node with
 * MPOL_BIND and prefaulted, and after creation its placement is *verified*
 * with move_pages(2): a shard that is not entirely on its node is reported
 * (best effort) or is an error (NP_SHARDED_STRICT). "It was allocated with
 * the right flag" is not taken as proof.
 *
 * np_sharded_local() costs one sched_getcpu() (a read of the rseq area in
 * glibc >= 2.35, a vDSO call before) and one table lookup: a few
 * nanoseconds, no system call. The answer is a snapshot: a thread that
 * migrates to another node right after keeps using the shard of the node it
 * left, which is correct but remote. Shards are therefore shared by all the
 * threads of a node, and possibly by a migrated thread of another node:
 * their contents must be safe for that (atomics, or per-thread parts as
 * np_counter.h does). Pin the thread (np_pin.h) to make "local" stable.
 *
 * This module does not synchronise shard contents and never moves a shard.
 */
#ifndef NP_SHARDED_H
#define NP_SHARDED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "np_common.h"
#include "np_nodemask.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque sharded object. */
typedef struct np_sharded np_sharded;

/**
 * Initialise one shard, called once per shard by np_sharded_create() from
 * the creating thread, after the shard's memory is placed and verified (its
 * pages are already on @p node: writing them does not move them).
 *
 * @param shard
 *   The shard's memory, zeroed, @p size bytes at the requested alignment.
 * @param node
 *   The node it lives on.
 * @param arg
 *   The pointer given to np_sharded_create().
 * @return
 *   0, or a negative errno: creation then fails with that errno.
 */
typedef int (*np_shard_init_fn)(void *shard, int node, void *arg);

/** Flag: a shard not verified on its node (or any best-effort outcome) is an error. */
#define NP_SHARDED_STRICT (1u << 0)

/**
 * Create one shard per node.
 *
 * @param size
 *   Bytes per shard, > 0.
 * @param align
 *   Alignment of each shard: a power of two, or 0 for the page size.
 * @param nodes
 *   The nodes to have a shard on; NULL means every node this process can
 *   place memory on (np_nodemask_usable()).
 * @param init
 *   Called for each shard, or NULL (shards stay zeroed).
 * @param arg
 *   Passed to @p init.
 * @param flags
 *   NP_SHARDED_STRICT or 0.
 * @return
 *   The sharded object, or NULL with errno set and np_last_error() saying
 *   which argument or node was wrong: EINVAL (size 0, align not a power of
 *   two, unknown flags, empty mask), ENODEV (a node that does not exist, or
 *   has no memory), EPERM (a node the cpuset forbids), ENOMEM (out of
 *   memory, or larger than a node's memory), EIO (strict: a shard's pages
 *   are not all on its node, or placement could not be checked), the
 *   other errors of np_region_create() for a shard's memory, or the
 *   error @p init returned (EINVAL if that was positive). Nothing is left
 *   allocated on failure.
 */
np_sharded *np_sharded_create(size_t size, size_t align, const np_nodemask *nodes,
			      np_shard_init_fn init, void *arg, unsigned int flags);

/**
 * Free every shard and the handle.
 *
 * @param s
 *   The sharded object; NULL is ignored.
 */
void np_sharded_destroy(np_sharded *s);

/**
 * Number of shards.
 *
 * @param s
 *   The sharded object.
 * @return
 *   The number of shards (at least 1); 0 for NULL.
 */
unsigned int np_sharded_count(const np_sharded *s);

/**
 * The shard of the node the caller runs on now: its node's shard, or, for
 * a node without one (no memory, or not in the mask), the shard of the
 * nearest node by the kernel's distance table.
 *
 * @param s
 *   The sharded object.
 * @return
 *   A shard; NULL only if @p s is NULL.
 */
void *np_sharded_local(const np_sharded *s);

/**
 * The shard np_sharded_local() returns for a thread running on CPU @p cpu
 * (the CPU number, as sched_getcpu() says). For a DPDK lcore, take a CPU of
 * rte_lcore_cpuset(lcore), not rte_lcore_to_cpu_id(): that is the core id
 * inside its package, not the CPU number.
 *
 * @param s
 *   The sharded object.
 * @param cpu
 *   A CPU number.
 * @return
 *   A shard (the first one for an unknown CPU); NULL only if @p s is NULL.
 */
void *np_sharded_for_cpu(const np_sharded *s, unsigned int cpu);

/**
 * The shard on node @p node.
 *
 * @param s
 *   The sharded object.
 * @param node
 *   A node id.
 * @return
 *   The shard, or NULL with errno ENOENT (no shard on that node) or EINVAL
 *   (@p s NULL).
 */
void *np_sharded_on(const np_sharded *s, int node);

/**
 * The index in [0, np_sharded_count()) of the shard that
 * np_sharded_for_cpu() gives for @p cpu.
 *
 * @param s
 *   The sharded object.
 * @param cpu
 *   A CPU number.
 * @return
 *   An index (0 for an unknown CPU); -EINVAL if @p s is NULL.
 */
int np_sharded_index_for_cpu(const np_sharded *s, unsigned int cpu);

/** One shard, for iteration. */
struct np_shard_info {
	int node;               /**< Node the shard was placed on. */
	void *ptr;              /**< The shard. */
	bool verified;          /**< All its pages were on @p node when last checked. */
	uint64_t pages;         /**< Pages the shard spans. */
	uint64_t pages_on_node; /**< Of which on @p node when last checked. */
};

/**
 * Shard number @p idx, in ascending node order.
 *
 * @param s
 *   The sharded object.
 * @param idx
 *   An index in [0, np_sharded_count()).
 * @param out
 *   Receives the shard's description on success.
 * @return
 *   0, or -EINVAL (@p s or @p out NULL, @p idx >= np_sharded_count()).
 */
int np_sharded_shard(const np_sharded *s, unsigned int idx, struct np_shard_info *out);

/**
 * The node of shard @p idx.
 *
 * @param s
 *   The sharded object.
 * @param idx
 *   An index in [0, np_sharded_count()).
 * @return
 *   The node id, or -EINVAL (@p s NULL, @p idx out of range).
 */
int np_sharded_node(const np_sharded *s, unsigned int idx);

/**
 * Shard @p idx.
 *
 * @param s
 *   The sharded object.
 * @param idx
 *   An index in [0, np_sharded_count()).
 * @return
 *   The shard, or NULL with errno EINVAL (@p s NULL, @p idx out of range).
 */
void *np_sharded_get(const np_sharded *s, unsigned int idx);

/** Loop over the shard indices: `NP_SHARDED_FOREACH(s, i) use(np_sharded_get(s, i));` */
#define NP_SHARDED_FOREACH(s, idx) \
	for (unsigned int idx = 0; idx < np_sharded_count(s); idx++)

/**
 * Check again, with move_pages(2), that every shard is on its node, and
 * update what np_sharded_shard() reports.
 *
 * @param s
 *   The sharded object.
 * @return
 *   The number of shards not entirely on their node (0: all verified), or
 *   -EINVAL (NULL), -EPERM / -ENOSYS (move_pages refused or absent) or
 *   another errno of move_pages(2) (the shard it failed on is then reported
 *   not verified).
 */
int np_sharded_verify(np_sharded *s);

#ifdef __cplusplus
}
#endif

#endif /* NP_SHARDED_H */
