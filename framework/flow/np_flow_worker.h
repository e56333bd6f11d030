/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The fast path of np_flow.h, inline: bulk lookup, touch, quiescent state.
 *
 * A worker's loop, for a table it looks up in while others may delete:
 *
 *     np_flow_reader_register(t, lcore);              // once
 *     for (;;) {
 *         ... rx, np_flow_key_extract_burst() ...
 *         hits = np_flow_lookup_burst(t, lcore, keyp, n, &hit_mask, states);
 *         ... misses: np_flow_add_burst(); use states; np_flow_touch(state, now) ...
 *         np_flow_age(t, lcore, now, 64);             // a bounded slice
 *         np_flow_quiescent(t, lcore);                // no state pointer kept past here
 *     }
 */
#ifndef NP_FLOW_WORKER_H
#define NP_FLOW_WORKER_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_hash.h>
#include <rte_lcore.h>
#include <rte_rcu_qsbr.h>
#include <rte_spinlock.h>

#include "np_counter_worker.h"
#include "np_flow.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @cond INTERNAL */
/**
 * @internal The header in front of each state in its slot. last_seen is
 * stored by whoever touches the entry and read by the ager (relaxed
 * atomics); in_use and pos belong to writers under the table's lock.
 */
struct np_flow_slot_hdr {
	uint64_t last_seen;
	uint32_t in_use;
	uint32_t pos;
};

/** @internal Offset of the application's state in a slot (its alignment: 16). */
#define NP__FLOW_STATE_OFFSET 16
static_assert(sizeof(struct np_flow_slot_hdr) == NP__FLOW_STATE_OFFSET,
	      "the state follows the header directly");

static_assert(NP_FLOW_BURST_MAX <= RTE_HASH_LOOKUP_BULK_MAX && NP_FLOW_BURST_MAX <= 64,
	      "a burst fits rte_hash's bulk lookup and the bits of a uint64_t hit mask");

/** @internal One lcore's counters: one cache line only it writes. */
struct np_flow_lcore_ctr {
	uint64_t v[NP_FLOW_CTR_COUNT];
} __rte_cache_aligned;

static_assert(sizeof(struct np_flow_lcore_ctr) == RTE_CACHE_LINE_SIZE,
	      "one line per lcore: more counters need a second line (and this assert updated)");

/**
 * @internal The table. The first line is what lookups read; the writers'
 * fields start on their own line so that a lock handover does not evict
 * the readers' copy.
 */
struct np_flow_table {
	struct rte_hash *h;
	struct rte_rcu_qsbr *qsbr;
	struct np_flow_lcore_ctr *ctr;     /**< RTE_MAX_LCORE lines, on the table's socket. */
	uint8_t *state;                    /**< capacity slots of slot_size bytes. */
	uint32_t slot_size;
	uint32_t capacity;

	/* Writers, under lock. */
	rte_spinlock_t lock __rte_cache_aligned;
	uint32_t entries;                  /**< Written under lock, read relaxed by stats. */
	uint32_t age_cursor;
	uint64_t idle_timeout;
	np_flow_expire_fn expire;
	void *expire_arg;
	uint8_t refusals_logged;           /**< Bits: full, reclaim (logged once each). */

	/* Control plane. */
	int node;
	int socket;
	bool own_qsbr;
	uint32_t state_size;
	char name[32];
	char hash_name[16];                /**< "npf<seq>": rte_hash and its rings are named after it. */
};

static_assert(offsetof(struct np_flow_table, lock) % RTE_CACHE_LINE_SIZE == 0,
	      "the writers' lock must not share the readers' line");
/** @endcond */

/**
 * Look up a burst of keys.
 *
 * @param t
 *   The table.
 * @param lcore
 *   The caller's lcore id (its counter slot), < RTE_MAX_LCORE; a reader
 *   registered with np_flow_reader_register() if others may delete.
 * @param keys
 *   @p n key pointers.
 * @param n
 *   1..NP_FLOW_BURST_MAX (64).
 * @param hit_mask
 *   Out: bit i set when keys[i] was found.
 * @param states
 *   Out: states[i] is keys[i]'s state where its bit is set (other entries
 *   are left as they were). Valid until the caller's next
 *   np_flow_quiescent().
 * @return
 *   Number of hits. An entry whose add is in progress on another lcore is
 *   a miss (the add finishes it; adding it again finds it).
 */
static inline unsigned int
np_flow_lookup_burst(np_flow_table *t, unsigned int lcore, const struct np_flow_key *const *keys,
		     unsigned int n, uint64_t *hit_mask, void **states)
{
	uint64_t mask = 0;
	int hits;

	assert(lcore < RTE_MAX_LCORE && n >= 1 && n <= NP_FLOW_BURST_MAX);
	hits = rte_hash_lookup_bulk_data(t->h, (const void **)(uintptr_t)keys, n, &mask, states);
	if (unlikely(hits < 0)) {
		*hit_mask = 0;
		return 0;
	}
	/* A key published by rte_hash before its state pointer: not there yet. */
	for (uint64_t m = mask; m != 0; m &= m - 1) {
		unsigned int i = (unsigned int)__builtin_ctzll(m);

		if (unlikely(states[i] == NULL)) {
			mask &= ~(1ull << i);
			hits--;
		}
	}
	*hit_mask = mask;
	np_counter_u64_add(&t->ctr[lcore].v[NP_FLOW_CTR_LOOKUP_HIT], (uint64_t)hits);
	np_counter_u64_add(&t->ctr[lcore].v[NP_FLOW_CTR_LOOKUP_MISS], n - (uint64_t)hits);
	return (unsigned int)hits;
}

/**
 * Record that the flow of @p state was seen at @p now (np_flow_age()
 * measures idleness from the last touch or add). One store to the line
 * the application's state starts on.
 *
 * @param state
 *   A state np_flow_add_burst(), np_flow_add() or np_flow_lookup_burst()
 *   gave.
 * @param now
 *   The current time in the table's clock.
 */
static inline void
np_flow_touch(void *state, uint64_t now)
{
	struct np_flow_slot_hdr *h = RTE_PTR_SUB(state, NP__FLOW_STATE_OFFSET);

	__atomic_store_n(&h->last_seen, now, __ATOMIC_RELAXED);
}

/**
 * The last-seen time of the flow of @p state.
 *
 * @param state
 *   A state of a table.
 * @return
 *   The time of its last add or touch, in the table's clock.
 */
static inline uint64_t
np_flow_last_seen(const void *state)
{
	const struct np_flow_slot_hdr *h = RTE_PTR_SUB(state, NP__FLOW_STATE_OFFSET);

	return __atomic_load_n(&h->last_seen, __ATOMIC_RELAXED);
}

/**
 * Report a quiescent state of reader @p lcore: it holds no state pointer
 * of @p t from before this call. Deleted slots become reusable once every
 * registered reader has reported since their delete.
 *
 * @param t
 *   The table.
 * @param lcore
 *   A reader registered with np_flow_reader_register().
 */
static inline void
np_flow_quiescent(np_flow_table *t, unsigned int lcore)
{
	rte_rcu_qsbr_quiescent(t->qsbr, lcore);
}

#ifdef __cplusplus
}
#endif

#endif /* NP_FLOW_WORKER_H */
