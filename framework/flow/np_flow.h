/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Per-node flow tables: a table of flows (key -> per-flow state of a size
 * the application gives) whose every byte lives on one node.
 *
 * An application creates one table per node that has workers, on that node:
 * the rte_hash (its key store, buckets and free-slot rings) gets the node's
 * DPDK socket id, and the per-flow states are one array on the same socket
 * (rte_zmalloc_socket), indexed by the position rte_hash gives each key, so
 * a lookup touches only that node's memory. The caller maps node -> socket
 * (with hugepages they are equal; with EAL --no-huge everything is socket
 * 0) and the table keeps both, so an audit can compare where memory was
 * meant to go with where it went (np_flow_table_mem()).
 *
 * Keys come from np_flow_key.h; the fast path (bulk lookup, touch,
 * quiescent state) is inline in np_flow_worker.h.
 *
 * Concurrency: any number of lcores look up, several lcores add, delete
 * and age, all at once.
 *  - rte_hash is created with RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF:
 *    lookups take no lock and never wait for a writer.
 *  - Writers (add, delete, age) are serialised by the table's own
 *    spinlock, not by RTE_HASH_EXTRA_FLAGS_MULTI_WRITER_ADD. An add must
 *    be "find, else create and zero the state, exactly once": rte_hash's
 *    add is an upsert that cannot say whether the key was new, so two
 *    lcores adding the same new key could both zero its state (a lost
 *    update). The check and the insert must be one critical section, and
 *    rte_hash's multi-writer mode takes one table-wide write lock per add
 *    anyway, so nothing is lost by taking ours instead. Its per-lcore
 *    free-slot caches (MULTI_WRITER_ADD) would also let a table hold up to
 *    RTE_MAX_LCORE * 63 keys more than its capacity and make the count
 *    expensive; without them capacity is exact.
 *  - RTE_HASH_EXTRA_FLAGS_EXT_TABLE: keys that do not fit their two cuckoo
 *    buckets go to linked buckets, so a table holds exactly its capacity;
 *    never fewer because of an unlucky hash.
 *  - Deleting while others look up: a reader may still hold the state of
 *    an entry being deleted, so its slot must not be reused (and zeroed for
 *    a new flow) until every reader is past it. The table uses DPDK's
 *    integrated RCU (rte_hash_rcu_qsbr_add(), defer-queue mode): a deleted
 *    slot waits in a queue and is reused only after every registered
 *    reader reported a quiescent state since the delete. Reclaiming never
 *    blocks: a delete queues, an add that finds no free slot reclaims what
 *    is ready and is refused (counted as adds_refused_reclaim) if nothing
 *    is. So every lcore that looks up while others may delete or age must
 *    register (np_flow_reader_register()) and call np_flow_quiescent()
 *    between bursts, holding no state pointer across it. A registered
 *    reader that stops reporting without unregistering only delays slot
 *    reuse; it never stalls a writer.
 *  - A state is zeroed by the add that creates its entry, under the lock,
 *    before the entry's state pointer is published (a release store read
 *    with acquire by the lookup): a reader sees a new entry either as a
 *    miss or with its zeroed state, never half made. Concurrent updates of
 *    a state's contents by several lcores are the application's to
 *    synchronise (atomics, or one writer per flow).
 *
 * Aging: each entry carries its last-seen time, in whatever clock the
 * caller uses (TSC in production, an injected counter in tests), set by
 * np_flow_add() and np_flow_touch(). np_flow_age() expires entries idle for
 * at least the table's idle timeout, visiting a bounded number of slots per
 * call and resuming where it stopped, so a worker can call it every loop
 * without a stall. An entry touched by a reader at the very moment it
 * expires is still removed (the reader's update lands in the expired
 * state; the next packet creates a new entry).
 *
 * A full table refuses adds, counts them and logs once; it never overwrites
 * an entry.
 *
 * This module does not move flows between tables, and does not choose a
 * flow's node: that is np_flow_home() (np_flow_key.h).
 */
#ifndef NP_FLOW_H
#define NP_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "np_common.h"
#include "np_flow_key.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rte_rcu_qsbr;

/** Opaque flow table (its layout is in np_flow_worker.h, for the fast path). */
typedef struct np_flow_table np_flow_table;

/**
 * Every per-table counter, in one list: X(ENUM, name, explanation).
 * Counters are kept per lcore (the lcore argument of each call) and summed
 * by np_flow_stats().
 */
#define NP_FLOW_COUNTERS(X)                                                              \
	X(LOOKUP_HIT, "lookups_hit", "keys found by np_flow_lookup_burst()")             \
	X(LOOKUP_MISS, "lookups_miss", "keys not found (or still being added)")          \
	X(ADD, "adds", "entries created")                                                \
	X(ADD_EXISTING, "adds_existing", "adds that found their key already there")      \
	X(ADD_REFUSED_FULL, "adds_refused_full", "adds refused: the table held capacity entries") \
	X(ADD_REFUSED_RECLAIM, "adds_refused_reclaim",                                   \
	  "adds refused: every free slot is a deleted entry a registered reader may still use") \
	X(DELETE, "deletes", "entries removed by np_flow_delete()")                      \
	X(EXPIRED, "expired", "entries removed by np_flow_age()")

/** Per-table counters. */
enum np_flow_counter {
#define NP__FLOW_CTR_ENUM(e, name, doc) NP_FLOW_CTR_##e,
	NP_FLOW_COUNTERS(NP__FLOW_CTR_ENUM)
#undef NP__FLOW_CTR_ENUM
	NP_FLOW_CTR_COUNT   /**< Number of counters. */
};

/**
 * Name of counter @p c.
 *
 * @param c
 *   The counter.
 * @return
 *   Its name ("adds_refused_full"); "unknown" if out of range.
 */
const char *np_flow_counter_name(enum np_flow_counter c);

/**
 * Explanation of counter @p c.
 *
 * @param c
 *   The counter.
 * @return
 *   One sentence; "unknown counter" if out of range.
 */
const char *np_flow_counter_doc(enum np_flow_counter c);

/**
 * Called by np_flow_age() for each entry it expires, once, before the
 * entry is removed, with the table's write lock held: it must not add to,
 * delete from or age the same table. @p state stays readable until the
 * caller's next quiescent state.
 *
 * @param arg
 *   np_flow_table_params.expire_arg.
 * @param key
 *   The entry's key.
 * @param state
 *   The entry's state.
 */
typedef void (*np_flow_expire_fn)(void *arg, const struct np_flow_key *key, void *state);

/** Largest per-flow state, in bytes. */
#define NP_FLOW_MAX_STATE_SIZE (64u * 1024)

/**
 * Most keys per np_flow_add_burst() / np_flow_lookup_burst(): one bit each
 * in a uint64_t mask, and rte_hash's bulk limit (static_assert in
 * np_flow_worker.h).
 */
#define NP_FLOW_BURST_MAX 64u

/** Smallest capacity (one rte_hash bucket). */
#define NP_FLOW_MIN_CAPACITY 8u

/** Creation parameters of a table. Zero what you do not use. */
struct np_flow_table_params {
	/** For messages and logs (copied, up to 31 characters). NULL: "flow". */
	const char *name;
	/** The NUMA node the table is meant for (kept for audits), or NP_NODE_ANY. */
	int node;
	/** DPDK socket id every allocation is made on (SOCKET_ID_ANY allowed). */
	int socket;
	/** Most entries live at once, NP_FLOW_MIN_CAPACITY..2^30 (rte_hash's limit). */
	uint32_t capacity;
	/** Bytes of application state per flow, 0..NP_FLOW_MAX_STATE_SIZE. */
	uint32_t state_size;
	/** Idle time after which np_flow_age() expires an entry, in the caller's clock; 0: never. */
	uint64_t idle_timeout;
	/** Called for each expired entry, or NULL. */
	np_flow_expire_fn expire;
	/** Passed to @p expire. */
	void *expire_arg;
	/**
	 * The readers' RCU variable, to share one among several tables (each
	 * reader then reports once for all of them); it must be initialised
	 * for thread ids up to RTE_MAX_LCORE - 1 and outlive the table. NULL:
	 * the table makes its own on @p socket.
	 */
	struct rte_rcu_qsbr *qsbr;
};

/**
 * Create a table.
 *
 * @param p
 *   The parameters.
 * @return
 *   The table, or NULL with errno set and np_last_error() saying what:
 *   EINVAL (NULL, capacity or state size out of range, node or socket
 *   invalid), ENOMEM (the socket has not enough DPDK memory: the message
 *   says how much was asked), or the rte_errno of rte_hash_create(),
 *   rte_rcu_qsbr_init() or rte_hash_rcu_qsbr_add(). EAL must be initialised.
 */
np_flow_table *np_flow_table_create(const struct np_flow_table_params *p);

/**
 * The DPDK memory np_flow_table_create() takes for @p p, in bytes: the
 * hash (buckets, extendable buckets, key slots, its free-slot rings, the
 * RCU defer queue), the per-flow states, the RCU variable (unless shared)
 * and the per-lcore counters, each rounded as DPDK allocates it, plus a
 * cache line of allocator header per allocation. What a bring-up adds to
 * a node's hugepage need, or to EAL's -m with --no-huge, before EAL is up:
 * it needs no EAL. Checked against rte_malloc's own accounting in
 * tests/unit/test_flow.c (within 15% above).
 *
 * @param p
 *   The parameters as they will be given to np_flow_table_create().
 * @return
 *   Bytes, or 0 if @p p is NULL or would be refused.
 */
uint64_t np_flow_table_memory(const struct np_flow_table_params *p);

/**
 * Free a table. Every reader must have unregistered (or, with a shared
 * RCU variable, be offline or past a quiescent state) and no other call on
 * the table may run.
 *
 * @param t
 *   The table; NULL is ignored.
 */
void np_flow_table_destroy(np_flow_table *t);

/**
 * The node the table was created for.
 *
 * @param t
 *   The table.
 * @return
 *   np_flow_table_params.node as created; NP_NODE_ANY for NULL.
 */
int np_flow_table_node(const np_flow_table *t);

/**
 * Slot size: the state size plus the entry header, rounded up to a cache line.
 *
 * @param t
 *   The table.
 * @return
 *   Bytes per slot; 0 for NULL.
 */
size_t np_flow_table_slot_size(const np_flow_table *t);

/**
 * Register lcore @p lcore as a reader of @p t (rte_rcu_qsbr thread
 * register + online on the table's RCU variable). Required before it looks
 * up while another lcore may delete or age.
 *
 * @param t
 *   The table.
 * @param lcore
 *   The reader's lcore id, < RTE_MAX_LCORE.
 * @return
 *   0, or -EINVAL (NULL table, lcore >= RTE_MAX_LCORE, or an id the
 *   table's RCU variable was not initialised for).
 */
int np_flow_reader_register(np_flow_table *t, unsigned int lcore);

/**
 * Unregister reader @p lcore: it holds no state pointer of @p t any more.
 *
 * @param t
 *   The table.
 * @param lcore
 *   The reader's lcore id.
 * @return
 *   0, or -EINVAL (NULL table, lcore >= RTE_MAX_LCORE, or rte_rcu_qsbr
 *   refused).
 */
int np_flow_reader_unregister(np_flow_table *t, unsigned int lcore);

/**
 * Find or create the entries of @p n keys, under the table's write lock
 * taken once for the burst.
 *
 * A key already present gets its state; a new key gets a new entry whose
 * state is all zero. Either way the entry's last-seen time becomes @p now.
 * When the table is full the key gets no state (states[i] NULL), which is
 * counted; nothing is ever overwritten.
 *
 * @param t
 *   The table.
 * @param lcore
 *   The caller's counter slot, < RTE_MAX_LCORE (its lcore id; a non-EAL
 *   thread registers with rte_thread_register() first).
 * @param keys
 *   @p n keys.
 * @param n
 *   1..NP_FLOW_BURST_MAX.
 * @param now
 *   The current time in the table's clock.
 * @param states
 *   Out: the state of each key, or NULL where refused.
 * @param created
 *   Out, may be NULL: bit i set when keys[i] was created by this call.
 * @return
 *   How many keys have a state (found or created); -EINVAL for bad
 *   arguments (with np_last_error()). Refusals set no message (the hot
 *   path must not format strings): read the counters.
 */
int np_flow_add_burst(np_flow_table *t, unsigned int lcore, const struct np_flow_key *const *keys,
		      unsigned int n, uint64_t now, void **states, uint64_t *created);

/**
 * Find or create one entry: np_flow_add_burst() of one key.
 *
 * @param t
 *   The table.
 * @param lcore
 *   The caller's counter slot, < RTE_MAX_LCORE.
 * @param key
 *   The key.
 * @param now
 *   The current time in the table's clock.
 * @param created
 *   Out, may be NULL: true when this call created the entry.
 * @return
 *   The state (zeroed if just created), or NULL with errno ENOSPC (full
 *   table, or no free slot reclaimable yet; counted) or EINVAL (bad
 *   arguments).
 */
void *np_flow_add(np_flow_table *t, unsigned int lcore, const struct np_flow_key *key,
		  uint64_t now, bool *created);

/**
 * Delete the entry of @p key. Its state stays readable by readers that
 * found it until they report a quiescent state; its slot is reused after.
 *
 * @param t
 *   The table.
 * @param lcore
 *   The caller's counter slot, < RTE_MAX_LCORE.
 * @param key
 *   The key.
 * @return
 *   0, -ENOENT (no such key), -EINVAL (bad arguments).
 */
int np_flow_delete(np_flow_table *t, unsigned int lcore, const struct np_flow_key *key);

/**
 * Expire idle entries, incrementally: visit at most @p max_visit slots
 * from where the previous call stopped (wrapping at the end), and remove
 * each entry whose last-seen time is at least the idle timeout before
 * @p now, calling the expiry callback first. A last-seen time after
 * @p now (a clock that went back) is not idle.
 *
 * Never waits: if another lcore holds the write lock the call returns 0
 * at once, and the slice is for the next call.
 *
 * @param t
 *   The table.
 * @param lcore
 *   The caller's counter slot, < RTE_MAX_LCORE.
 * @param now
 *   The current time in the table's clock.
 * @param max_visit
 *   Most slots to visit (at most the capacity is used); 0 visits none.
 * @return
 *   Entries expired by this call (0 when the idle timeout is 0), or
 *   -EINVAL (@p t NULL, lcore >= RTE_MAX_LCORE).
 */
int np_flow_age(np_flow_table *t, unsigned int lcore, uint64_t now, unsigned int max_visit);

/**
 * Iterate over the entries (rte_hash_iterate), without locking.
 *
 * Start with *cursor = 0. Exact when no writer runs; with concurrent
 * writers an entry added, deleted or moved by cuckoo displacement during
 * the walk may be missed or seen twice. A registered reader may use the
 * state until its next quiescent state.
 *
 * @param t
 *   The table.
 * @param cursor
 *   The walk's position: 0 to start, then as this call left it.
 * @param key
 *   Out: the entry's key.
 * @param state
 *   Out: the entry's state.
 * @return
 *   0 with @p key and @p state set, -ENOENT at the end, -EINVAL (NULL).
 */
int np_flow_iterate(const np_flow_table *t, uint32_t *cursor, const struct np_flow_key **key,
		    void **state);

/** Statistics of a table (or of one lcore's use of it). */
struct np_flow_stats {
	uint64_t entries;                     /**< Entries live now. */
	uint64_t capacity;                    /**< Most entries at once. */
	uint64_t count[NP_FLOW_CTR_COUNT];    /**< Counters, indexed by enum np_flow_counter. */
};

/**
 * Sum every lcore's counters. May run while the table is used.
 *
 * @param t
 *   The table.
 * @param out
 *   Receives the statistics.
 * @return
 *   0, or -EINVAL (NULL).
 */
int np_flow_stats(const np_flow_table *t, struct np_flow_stats *out);

/**
 * One lcore's counters (entries and capacity are the table's): what a
 * caller needs to split lookups by (reader's node, table's node).
 *
 * @param t
 *   The table.
 * @param lcore
 *   The lcore, < RTE_MAX_LCORE.
 * @param out
 *   Receives the statistics.
 * @return
 *   0, or -EINVAL (NULL, lcore >= RTE_MAX_LCORE).
 */
int np_flow_stats_lcore(const np_flow_table *t, unsigned int lcore, struct np_flow_stats *out);

/**
 * Where a table's memory is, for an audit (rte_mem_virt2memseg() on each
 * address gives the socket DPDK placed it on; move_pages() the node).
 * Pointers DPDK does not expose are NULL.
 */
struct np_flow_mem {
	int node;                 /**< Node the table was created for. */
	int socket;               /**< Socket id every allocation asked for. */
	const void *table;        /**< The handle (rte_zmalloc_socket). */
	const void *hash;         /**< The struct rte_hash. */
	const void *key_store;    /**< rte_hash's key store (rte_hash_get_key_with_position()). */
	const void *free_slots;   /**< rte_hash's ring of free key slots. */
	const void *ext_buckets;  /**< rte_hash's ring of free extendable buckets. */
	const void *state;        /**< The per-flow state array. */
	size_t state_bytes;       /**< Its size. */
	const void *qsbr;         /**< The RCU variable if the table made it, else NULL. */
	const void *counters;     /**< The per-lcore counters. */
};

/**
 * Fill @p out. rte_hash's buckets are allocated on the same socket by
 * rte_hash_create() but no DPDK API gives their address; DPDK also puts a
 * few small blocks of its own (the tailq entry, the RCU defer queue, the
 * ext-bucket free list) on the creating thread's socket.
 *
 * @param t
 *   The table.
 * @param out
 *   Receives the addresses.
 * @return
 *   0, or -EINVAL (NULL).
 */
int np_flow_table_mem(const np_flow_table *t, struct np_flow_mem *out);

#ifdef __cplusplus
}
#endif

#endif /* NP_FLOW_H */
