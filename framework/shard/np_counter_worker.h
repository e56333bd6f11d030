/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The fast path of np_counter.h: the increment, inline.
 *
 * An increment touches one cache line that only its own thread writes, on
 * that thread's node: a load, an add and a store, no atomic read-modify-write.
 * The load and store are C11 relaxed atomics only so that a concurrent
 * np_counter_sum() is not a data race in the C memory model; on x86-64 and
 * arm64 they compile to plain mov/ldr/str, exactly like `slot->value += n`.
 */
#ifndef NP_COUNTER_WORKER_H
#define NP_COUNTER_WORKER_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>

#include "np_counter.h"
#include "np_sharded.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @cond INTERNAL */
/**
 * @internal One counting thread's line: value is written by its owner only,
 * base by np_counter_reset() only (the reader subtracts it).
 */
struct np_counter_slot {
	uint64_t value;
	uint64_t base;
	uint8_t pad[RTE_CACHE_LINE_SIZE - 2 * sizeof(uint64_t)];
} __rte_cache_aligned;

static_assert(RTE_CACHE_LINE_SIZE >= 64, "a slot must fill at least a 64-byte line");
static_assert(sizeof(struct np_counter_slot) == RTE_CACHE_LINE_SIZE,
	      "one slot per cache line, or neighbours' increments bounce the line");
static_assert(_Alignof(struct np_counter_slot) == RTE_CACHE_LINE_SIZE,
	      "slots must start on a cache line");

/**
 * @internal The counter. Only slot[] and n_slots are read by the fast path;
 * the rest belongs to counter.c.
 */
struct np_counter {
	/** slot[i]: where slot i counts, in the shard of its node. Read-only for workers. */
	struct np_counter_slot **slot;
	unsigned int n_slots;
	/** Per-node arrays of n_slots slots. */
	np_sharded *shards;
	/** 1 if claimed by np_counter_register(). */
	uint8_t *claimed;
	/** Node each slot is bound to. */
	int *slot_node;
};
/** @endcond */

/**
 * The one increment of every per-lcore counter in numaperf: a counter
 * written by one thread only (its owner), read by others by summing. A
 * load, an add and a store: relaxed atomics only so that a concurrent
 * reader is not a data race in C11; x86-64 and arm64 compile them to plain
 * moves, always inlined (a call would cost more than the increment).
 * np_counter_add() below, the pipeline's X-macro counter blocks, the
 * latency histograms and the executors' counters all use it.
 *
 * @param slot
 *   The counter; only its owner thread may call this on it.
 * @param n
 *   Amount.
 */
static __rte_always_inline void
np_counter_u64_add(uint64_t *slot, uint64_t n)
{
	__atomic_store_n(slot, __atomic_load_n(slot, __ATOMIC_RELAXED) + n, __ATOMIC_RELAXED);
}

/**
 * Read a counter another thread writes with np_counter_u64_add().
 *
 * @param slot
 *   The counter.
 * @return
 *   Its last stored value.
 */
static inline uint64_t
np_counter_u64_read(const uint64_t *slot)
{
	return __atomic_load_n(slot, __ATOMIC_RELAXED);
}

/**
 * Add @p n to the counter, on slot @p slot, which the calling thread must
 * own (see np_counter.h for how a thread gets one).
 *
 * @param c
 *   The counter.
 * @param slot
 *   The caller's slot, below np_counter_slots(c) (checked by assert only).
 * @param n
 *   Amount.
 */
static inline void
np_counter_add(np_counter *c, unsigned int slot, uint64_t n)
{
	struct np_counter_slot *s;

	assert(slot < c->n_slots);
	s = c->slot[slot];
	np_counter_u64_add(&s->value, n);
}

/**
 * np_counter_add(c, slot, 1).
 *
 * @param c
 *   The counter.
 * @param slot
 *   The caller's slot.
 */
static inline void
np_counter_inc(np_counter *c, unsigned int slot)
{
	np_counter_add(c, slot, 1);
}

#ifdef __cplusplus
}
#endif

#endif /* NP_COUNTER_WORKER_H */
