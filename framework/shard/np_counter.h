/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * A sharded counter: many threads add, plainly and without atomics, each to
 * its own cache line on its own node; a reader sums the lines.
 *
 * Layout: one shard per node (np_sharded.h), each holding one 64-byte slot
 * per counting thread (n_slots of them). Slot i is written by one thread
 * only, so an increment is a load, an add and a store on a line no other
 * thread writes (VPP's counter.h, DPDK's per-lcore stats): no lock prefix,
 * no cache line bouncing between cores or nodes.
 *
 * How a thread gets its slot (pick one per thread, never share a slot):
 *  - an explicit index, like a DPDK lcore id: np_counter_add(c, rte_lcore_id(), n).
 *    Slot i starts bound to the node of CPU i (DPDK's default lcore-to-CPU
 *    mapping); np_counter_slot_bind() moves it to the node its thread runs
 *    on (call it before the thread starts counting);
 *  - np_counter_register() from the counting thread itself: claims a free
 *    slot, binds it to the node the thread runs on now and returns its
 *    index, which the thread keeps (e.g. in a thread-local variable) and
 *    gives back with np_counter_unregister().
 *
 * Reading (np_counter_sum(), np_counter_sum_node(), np_counter_slot_value())
 * may run concurrently with the writers and sees each slot's last store;
 * np_counter_reset() is exact even then: it records a baseline per slot
 * instead of writing the writers' lines, so no increment is lost or counted
 * twice. Counts only go up (a uint64_t per slot).
 *
 * The increment itself is np_counter_add() in np_counter_worker.h.
 *
 * @par One counter design for the whole framework
 * Every per-lcore counter in numaperf is a plain uint64_t written by one
 * thread only with np_counter_u64_add() and read by summing with
 * np_counter_u64_read(), in cache-aligned blocks on the writer's node. An
 * np_counter is one such counter with a cache line per thread; the
 * pipeline keeps blocks of them per lcore, named by X-macro lists
 * (NP_PORT_COUNTERS, NP_LCORE_COUNTERS, NP_DROP_CAUSES in np_pipeline.h);
 * the latency histograms and the executors count the same way.
 */
#ifndef NP_COUNTER_H
#define NP_COUNTER_H

#include <stdint.h>

#include "np_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque counter handle (its layout is in np_counter_worker.h, for the fast path). */
typedef struct np_counter np_counter;

/** Largest number of slots of a counter (matches a generous RTE_MAX_LCORE). */
#define NP_COUNTER_MAX_SLOTS 1024

/**
 * Create a counter.
 *
 * @param n_slots
 *   Number of counting threads it can serve, 1..NP_COUNTER_MAX_SLOTS
 *   (e.g. RTE_MAX_LCORE).
 * @param node
 *   NP_NODE_ANY: one shard on every node this process may use; a node id:
 *   a single shard there (every slot on that node, for workers all on it).
 * @param flags
 *   NP_SHARDED_STRICT (np_sharded.h) or 0.
 * @return
 *   A counter, or NULL with errno set: EINVAL (n_slots 0 or above
 *   NP_COUNTER_MAX_SLOTS, node out of range, unknown flags), ENODEV (no
 *   such node, or a node without memory), and the errors of
 *   np_sharded_create().
 */
np_counter *np_counter_create(unsigned int n_slots, int node, unsigned int flags);

/**
 * Free a counter.
 *
 * @param c
 *   The counter; NULL is ignored.
 */
void np_counter_destroy(np_counter *c);

/**
 * Number of slots.
 *
 * @param c
 *   The counter.
 * @return
 *   n_slots as created; 0 for NULL.
 */
unsigned int np_counter_slots(const np_counter *c);

/**
 * Make slot @p slot count in the shard of node @p node: the node of the
 * thread that will use it. Not concurrent with that thread's increments.
 *
 * @param c
 *   The counter.
 * @param slot
 *   The slot, below np_counter_slots().
 * @param node
 *   A node the counter has a shard on.
 * @return
 *   0, or -EINVAL (NULL, slot out of range), -ENOENT (no shard on that node).
 */
int np_counter_slot_bind(np_counter *c, unsigned int slot, int node);

/**
 * Claim a free slot for the calling thread and bind it to the node the
 * thread runs on now (pin the thread first for this to stay true).
 *
 * @param c
 *   The counter.
 * @return
 *   The slot index, or -EINVAL (NULL), -ENOSPC (every slot claimed).
 */
int np_counter_register(np_counter *c);

/**
 * Give back a slot claimed by np_counter_register(). Its counts stay in the
 * sums.
 *
 * @param c
 *   The counter.
 * @param slot
 *   The index np_counter_register() returned.
 * @return
 *   0, or -EINVAL (NULL, slot out of range or not claimed).
 */
int np_counter_unregister(np_counter *c, unsigned int slot);

/**
 * Total of every slot.
 *
 * @param c
 *   The counter.
 * @return
 *   The sum since creation or the last np_counter_reset(); 0 for NULL.
 */
uint64_t np_counter_sum(const np_counter *c);

/**
 * Total of the slots counting on node @p node.
 *
 * @param c
 *   The counter.
 * @param node
 *   A node id.
 * @return
 *   The total; 0 if @p c is NULL or has no shard on that node.
 */
uint64_t np_counter_sum_node(const np_counter *c, int node);

/**
 * What slot @p slot counted, on whichever nodes it was bound to.
 *
 * @param c
 *   The counter.
 * @param slot
 *   The slot.
 * @return
 *   Its count since creation or the last np_counter_reset(); 0 if @p c is
 *   NULL or @p slot out of range.
 */
uint64_t np_counter_slot_value(const np_counter *c, unsigned int slot);

/**
 * Start every slot again from zero, exactly, even while threads count.
 *
 * @param c
 *   The counter.
 * @return
 *   0, or -EINVAL (NULL).
 */
int np_counter_reset(np_counter *c);

#ifdef __cplusplus
}
#endif

#endif /* NP_COUNTER_H */
