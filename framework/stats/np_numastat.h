/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The kernel's own witness of NUMA placement: per node, the counters of
 * /sys/devices/system/node/nodeN/numastat, read into a snapshot, and the
 * difference between two snapshots (what happened during a run), beside
 * the framework's own locality counts.
 *
 * This module reads and subtracts; it does not judge. Nodes are the
 * kernel's ids, which may have gaps (nodes 0 and 2 only): a snapshot holds
 * the nodes listed in the online file, ascending. A root override (a
 * directory standing in for /sys/devices/system/node, with an `online` file
 * and nodeN/numastat files) lets tests feed made-up files.
 *
 * @par How to read the numbers without fooling yourself
 *
 * - They count page ALLOCATIONS, not accesses. A thread reading remote
 *   memory a billion times adds nothing here; only the moment a page is
 *   handed out is counted. Locality of accesses is what the framework's
 *   own per-packet counters and the latency percentiles show.
 * - One allocation counts once, whatever its size: the kernel documentation
 *   says the unit is pages, but the page allocator counts one event per
 *   call, so a 2 MB transparent huge page counts like a 4 KB page.
 * - Hugepages reserved before the run are invisible. A hugetlbfs pool (what
 *   DPDK's memory comes from) is taken from the page allocator when
 *   nr_hugepages is written, usually at boot or by a setup script; mapping
 *   those pages during the run counts nothing. So the mbuf pools of a DPDK
 *   run do not show up here: the framework's own audit of where its
 *   objects landed does that. What shows up is ordinary memory: heap,
 *   stacks, page cache, the kernel's own buffers.
 * - Everything on the machine counts, not only this process: other
 *   processes, the kernel (network buffers, slab, page cache) and the
 *   numaperf control thread too. Compare deltas over an interval in which
 *   the machine does little else, and compare nodes with each other rather
 *   than reading absolute numbers.
 * - numa_miss and numa_foreign are the interesting pair. Each allocation
 *   that wanted node A (its memory policy, or the local node by default)
 *   but got node B adds 1 to numa_foreign on A and 1 to numa_miss on B. A
 *   node whose numa_foreign grows during a run ran out of free memory (or
 *   hit its cpuset limit) and its allocations spilled: memory numaperf
 *   meant to be local may be remote. With a strict bind policy there is no
 *   spill and no count: the allocation fails instead.
 * - numa_hit counts allocations that got the node they wanted, which is
 *   not the same as local: memory deliberately bound to a remote node is a
 *   hit. local_node and other_node say where the allocating CPU was:
 *   other_node on node B counts allocations on B made by a CPU of another
 *   node. numaperf's control thread prefaulting each node's memory itself
 *   adds to other_node on purpose; a worker's steady state should add
 *   (almost) nothing anywhere.
 * - interleave_hit counts interleaved allocations that got the node the
 *   interleave policy picked.
 * - A one-node machine has numa_miss = numa_foreign = other_node = 0 by
 *   construction: there is nowhere else to go.
 */
#ifndef NP_NUMASTAT_H
#define NP_NUMASTAT_H

#include <stdint.h>

#include "np_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The counters of a numastat file, in the kernel's order: X(ENUM, name)
 * gives np_numastat_field and np_numastat_field_name() from one list.
 */
#define NP_NUMASTAT_FIELDS(X) \
	X(NUMA_HIT, numa_hit) \
	X(NUMA_MISS, numa_miss) \
	X(NUMA_FOREIGN, numa_foreign) \
	X(INTERLEAVE_HIT, interleave_hit) \
	X(LOCAL_NODE, local_node) \
	X(OTHER_NODE, other_node)

/** Index of a counter in np_numastat_node::v. */
enum np_numastat_field {
#define NP__NUMASTAT_ENUM(e, name) NP_NUMASTAT_##e,
	NP_NUMASTAT_FIELDS(NP__NUMASTAT_ENUM)
#undef NP__NUMASTAT_ENUM
	NP_NUMASTAT_N_FIELDS  /**< Number of counters. */
};

/** One node's counters. */
struct np_numastat_node {
	int node;                            /**< The kernel's node id. */
	uint64_t v[NP_NUMASTAT_N_FIELDS];    /**< Indexed by enum np_numastat_field. */
};

/** A snapshot (or a delta) of every node's counters: opaque. */
typedef struct np_numastat np_numastat;

/**
 * The file's name of counter @p f ("numa_hit", ...).
 *
 * @param f
 *   The counter.
 * @return
 *   The name, or NULL if @p f is out of range.
 */
const char *np_numastat_field_name(enum np_numastat_field f);

/**
 * Read every online node's numastat file.
 *
 * @param root
 *   NULL for /sys/devices/system/node, or a directory standing in for it
 *   (tests): it must hold `online` (a node list, "0-1,3") and
 *   nodeN/numastat for each node listed.
 * @return
 *   The snapshot, to free with np_numastat_destroy(), or NULL with errno:
 *   ENOENT (no online file: a kernel without NUMA support, or a wrong
 *   root; or a listed node without a numastat file), EINVAL (a malformed
 *   or empty node list), EIO (a numastat file that cannot be read, lacks one of the
 *   six counters or holds a malformed line), ENOMEM.
 */
np_numastat *np_numastat_read(const char *root);

/**
 * What happened between two snapshots: @p after - @p before, per node.
 *
 * @param after
 *   The later snapshot.
 * @param before
 *   The earlier snapshot.
 * @return
 *   A new snapshot holding the nodes present in both (a node that came or
 *   went between them is left out), to free with np_numastat_destroy(); or
 *   NULL with errno: EINVAL (NULL argument, or a counter that went down:
 *   the snapshots are swapped), ENOMEM.
 */
np_numastat *np_numastat_delta(const np_numastat *after, const np_numastat *before);

/**
 * Free a snapshot.
 *
 * @param s
 *   The snapshot; NULL is ignored.
 */
void np_numastat_destroy(np_numastat *s);

/**
 * Number of nodes in @p s.
 *
 * @param s
 *   The snapshot.
 * @return
 *   The number of nodes; 0 for NULL.
 */
unsigned int np_numastat_count(const np_numastat *s);

/**
 * The @p i-th node of @p s, by ascending node id.
 *
 * @param s
 *   The snapshot.
 * @param i
 *   An index in [0, np_numastat_count()).
 * @return
 *   The node's counters (valid until @p s is destroyed), or NULL if @p s is
 *   NULL or @p i is not below np_numastat_count().
 */
const struct np_numastat_node *np_numastat_at(const np_numastat *s, unsigned int i);

/**
 * The counters of node @p node.
 *
 * @param s
 *   The snapshot.
 * @param node
 *   A node id.
 * @return
 *   The node's counters, or NULL if @p s is NULL or has no such node.
 */
const struct np_numastat_node *np_numastat_node(const np_numastat *s, int node);

#ifdef __cplusplus
}
#endif

#endif /* NP_NUMASTAT_H */
