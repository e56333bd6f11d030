/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * A set of NUMA node ids: what a memory policy, a sharded object or a pin
 * names when it means "these nodes".
 *
 * Node ids are the kernel's and may have gaps (nodes 0 and 2 only), so a
 * mask is a bitmap over every id numaperf accepts (0..NP_MAX_NODE_ID), not an
 * array indexed by "the n-th node". It is a plain value: declare one on the
 * stack, copy it with `=`, no create/destroy. Its layout is the one mbind(2)
 * and set_mempolicy(2) take (an array of unsigned long, bit n = node n), so
 * it can be handed to the kernel unchanged.
 *
 * This header only manipulates sets. Whether a node exists, has memory or
 * may be used by this process is asked with np_nodemask_usable(); the
 * functions that place memory (np_region.h, np_sharded.h) check their masks
 * themselves and say which node was wrong.
 */
#ifndef NP_NODEMASK_H
#define NP_NODEMASK_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "np_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Number of node ids a mask can hold: 0..NP_MAX_NODE_ID. */
#define NP_NODEMASK_BITS (NP_MAX_NODE_ID + 1)

/** Bits per word of np_nodemask::bits. */
#define NP_NODEMASK_WORD_BITS (sizeof(unsigned long) * CHAR_BIT)

/**
 * A set of node ids. Zero-initialise it (`np_nodemask m = {0};` or
 * np_nodemask_zero()) for the empty set.
 */
typedef struct np_nodemask {
	/** Bit n of the array is node n (the kernel's nodemask layout). */
	unsigned long bits[NP_NODEMASK_BITS / (sizeof(unsigned long) * CHAR_BIT)];
} np_nodemask;

/**
 * Make @p mask empty.
 *
 * @param mask
 *   The mask; NULL is ignored.
 */
void np_nodemask_zero(np_nodemask *mask);

/**
 * Add node @p node to @p mask.
 *
 * @param mask
 *   The mask.
 * @param node
 *   A node id in [0, NP_MAX_NODE_ID]. NP_NODE_ANY is not a node.
 * @return
 *   0, or -EINVAL if @p mask is NULL or @p node is out of range.
 */
int np_nodemask_set(np_nodemask *mask, int node);

/**
 * Remove node @p node from @p mask.
 *
 * @param mask
 *   The mask.
 * @param node
 *   A node id in [0, NP_MAX_NODE_ID].
 * @return
 *   0, or -EINVAL if @p mask is NULL or @p node is out of range.
 */
int np_nodemask_clear(np_nodemask *mask, int node);

/**
 * Whether node @p node is in @p mask.
 *
 * @param mask
 *   The mask.
 * @param node
 *   A node id.
 * @return
 *   true if it is; false if not, if @p mask is NULL or @p node out of range.
 */
bool np_nodemask_isset(const np_nodemask *mask, int node);

/**
 * Number of nodes in @p mask.
 *
 * @param mask
 *   The mask.
 * @return
 *   The number of nodes set; 0 for NULL.
 */
unsigned int np_nodemask_weight(const np_nodemask *mask);

/**
 * Whether @p a and @p b hold the same nodes.
 *
 * @param a
 *   A mask.
 * @param b
 *   Another mask.
 * @return
 *   True if they hold the same nodes; with a NULL argument, true only if
 *   both are NULL.
 */
bool np_nodemask_equal(const np_nodemask *a, const np_nodemask *b);

/**
 * The smallest node id in @p mask greater than @p prev: pass -1 to get the
 * first one. See NP_NODEMASK_FOREACH.
 *
 * @param mask
 *   The mask.
 * @param prev
 *   The last node id seen, or -1 (any negative value) to start.
 * @return
 *   A node id, or -ENOENT when there is none (or @p mask is NULL).
 */
int np_nodemask_next(const np_nodemask *mask, int prev);

/** Loop over the nodes of a mask in ascending order: `NP_NODEMASK_FOREACH(n, &m) {...}`. */
#define NP_NODEMASK_FOREACH(node, mask)                                 \
	for (int node = np_nodemask_next((mask), -1); node >= 0;        \
	     node = np_nodemask_next((mask), node))

/**
 * Parse a node list as numactl and sysfs write it: "0", "0-3", "0,2,5-7".
 * Spaces and a trailing newline are accepted; "" is the empty set.
 *
 * @param mask
 *   Filled with the nodes on success; left unchanged on failure.
 * @param list
 *   The text.
 * @return
 *   0, or -EINVAL (NULL argument, malformed list, a range written backwards,
 *   or a node id above NP_MAX_NODE_ID), with np_last_error() quoting the
 *   offending part.
 */
int np_nodemask_parse(np_nodemask *mask, const char *list);

/**
 * Write @p mask as a node list ("0-1,4"; "" for the empty set).
 *
 * @param mask
 *   The mask.
 * @param buf
 *   Output buffer, always NUL-terminated when @p len > 0.
 * @param len
 *   Size of @p buf.
 * @return
 *   The length of the full text (as snprintf: larger than or equal to
 *   @p len means it was truncated), or -EINVAL if @p mask or @p buf is NULL.
 */
int np_nodemask_format(const np_nodemask *mask, char *buf, size_t len);

/**
 * The nodes this process can place memory on right now: nodes that exist,
 * have memory, and are allowed by the process's cpuset
 * (get_mempolicy(MPOL_F_MEMS_ALLOWED)).
 *
 * @param out
 *   Filled with the nodes.
 * @return
 *   0, or -EINVAL if @p out is NULL, -ENOSYS if the kernel has no NUMA
 *   support (then @p out holds node 0 only, which is where every page goes).
 */
int np_nodemask_usable(np_nodemask *out);

#ifdef __cplusplus
}
#endif

#endif /* NP_NODEMASK_H */
