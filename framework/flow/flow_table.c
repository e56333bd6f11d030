/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Creating and destroying a flow table, and registering its readers. Every
 * allocation names the table's socket: the lookups of the node's workers
 * must touch nothing on another node. Getters are in flow_query.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "flow_private.h"

NP_LOG_REGISTER(np_flow_logtype, "numaperf.flow");

/* rte_hash names are global in the process: a sequence number keeps them unique and short. */
static uint32_t table_seq;

static void
table_free(np_flow_table *t)
{
	if (t == NULL)
		return;
	rte_hash_free(t->h);   /* its RCU defer queue too; NULL is ignored */
	if (t->own_qsbr)
		rte_free(t->qsbr);
	rte_free(t->state);
	rte_free(t->ctr);
	rte_free(t);
}

/* Fail creation: free what exists, keep the message and errno. */
static np_flow_table *
fail(np_flow_table *t)
{
	int err = errno;

	table_free(t);
	errno = err;
	rte_errno = err;
	return NULL;
}

static const char *
socket_str(int socket, char *buf, size_t len)
{
	if (socket == SOCKET_ID_ANY)
		snprintf(buf, len, "any socket");
	else
		snprintf(buf, len, "socket %d", socket);
	return buf;
}

static void *
zalloc(np_flow_table *t, const char *what, size_t size)
{
	char s[32];
	void *p = rte_zmalloc_socket(what, size, RTE_CACHE_LINE_SIZE, t->socket);

	if (p == NULL)
		np_fail(ENOMEM, "np_flow_table_create: table \"%s\": no %zu bytes of DPDK memory on %s "
			"for its %s (node %d): reserve more hugepages on that node, or give EAL more "
			"memory (-m / --socket-mem)", t->name, size, socket_str(t->socket, s, sizeof(s)),
			what, t->node);
	return p;
}

static int
check_params(const struct np_flow_table_params *p)
{
	if (p == NULL)
		return np_fail(EINVAL, "np_flow_table_create: params is NULL");
	if (p->capacity < NP_FLOW_MIN_CAPACITY || p->capacity > RTE_HASH_ENTRIES_MAX)
		return np_fail(EINVAL, "np_flow_table_create: capacity %" PRIu32 " is not in %u..%u "
			       "(rte_hash's bucket size and limit)", p->capacity, NP_FLOW_MIN_CAPACITY,
			       (unsigned int)RTE_HASH_ENTRIES_MAX);
	if (p->state_size > NP_FLOW_MAX_STATE_SIZE)
		return np_fail(EINVAL, "np_flow_table_create: state_size %" PRIu32 " is above %u bytes: "
			       "keep large per-flow data elsewhere and a pointer in the state",
			       p->state_size, NP_FLOW_MAX_STATE_SIZE);
	if (p->node != NP_NODE_ANY && (p->node < 0 || p->node > NP_MAX_NODE_ID))
		return np_fail(EINVAL, "np_flow_table_create: node %d is not a node id (0..%d) nor "
			       "NP_NODE_ANY", p->node, NP_MAX_NODE_ID);
	if (p->socket != SOCKET_ID_ANY && (p->socket < 0 || p->socket >= RTE_MAX_NUMA_NODES))
		return np_fail(EINVAL, "np_flow_table_create: socket %d is not a DPDK socket id "
			       "(0..%d) nor SOCKET_ID_ANY", p->socket, RTE_MAX_NUMA_NODES - 1);
	return 0;
}

/* rte_cuckoo_hash.c's layout (DPDK 22.11), for np_flow_table_memory(). */
#define HASH_BUCKET_ENTRIES 8u    /* RTE_HASH_BUCKET_ENTRIES */
#define HASH_BUCKET_BYTES 64u     /* struct rte_hash_bucket, cache aligned */
#define HASH_KEY_ALIGN 16u        /* KEY_ALIGNMENT */
#define HASH_HANDLE_BYTES 4096u   /* struct rte_hash and its small tables */
#define MALLOC_OVERHEAD 128u      /* rte_malloc's element header and trailer, per allocation */

static uint64_t
ring_bytes(uint32_t count, uint32_t esize)
{
	/* rte_ring_create_elem() without RING_F_EXACT_SZ: a power of 2 above count. */
	ssize_t b = rte_ring_get_memsize_elem(esize, rte_align32pow2(count + 1));

	return b > 0 ? (uint64_t)b : 0;
}

uint64_t
np_flow_table_memory(const struct np_flow_table_params *p)
{
	uint64_t slots, buckets, key_entry, slot, b = 0;
	unsigned int allocs = 0;

	if (p == NULL || p->capacity < NP_FLOW_MIN_CAPACITY || p->capacity > RTE_HASH_ENTRIES_MAX ||
	    p->state_size > NP_FLOW_MAX_STATE_SIZE)
		return 0;
	/* The hash: no per-lcore slot caches (no MULTI_WRITER_ADD), slot 0 unused. */
	slots = (uint64_t)p->capacity + 1;
	buckets = rte_align32pow2(p->capacity) / HASH_BUCKET_ENTRIES;
	key_entry = RTE_ALIGN_CEIL(sizeof(void *) + sizeof(struct np_flow_key), HASH_KEY_ALIGN);
	b += HASH_HANDLE_BYTES;                                  allocs++;
	b += ring_bytes((uint32_t)slots, sizeof(uint32_t));       allocs++; /* free key slots */
	b += ring_bytes((uint32_t)buckets, sizeof(uint32_t));     allocs++; /* free ext buckets */
	b += buckets * HASH_BUCKET_BYTES;                        allocs++; /* buckets */
	b += buckets * HASH_BUCKET_BYTES;                        allocs++; /* extendable buckets */
	b += slots * sizeof(uint32_t);                           allocs++; /* ext_bkt_to_free */
	b += slots * key_entry;                                  allocs++; /* key slots */
	/* The RCU defer queue: (key index, bucket index) + an 8-byte token per entry. */
	b += ring_bytes((uint32_t)slots, 2 * sizeof(uint32_t) + 8); allocs += 2;
	/* numaperf's side. */
	slot = RTE_ALIGN_CEIL((uint64_t)NP__FLOW_STATE_OFFSET + p->state_size, RTE_CACHE_LINE_SIZE);
	b += RTE_ALIGN_CEIL(sizeof(struct np_flow_table), RTE_CACHE_LINE_SIZE); allocs++;
	b += (uint64_t)p->capacity * slot;                                     allocs++;
	b += (uint64_t)RTE_MAX_LCORE * sizeof(struct np_flow_lcore_ctr);       allocs++;
	if (p->qsbr == NULL) {
		b += rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE);
		allocs++;
	}
	return b + (uint64_t)allocs * MALLOC_OVERHEAD;
}

np_flow_table *
np_flow_table_create(const struct np_flow_table_params *p)
{
	struct rte_hash_parameters hp = { 0 };
	struct rte_hash_rcu_config rcu = { 0 };
	np_flow_table *t;
	size_t slot;
	char s[32];

	if (check_params(p) < 0)
		return NULL;
	/* The handle is read by every lookup: on the node too. */
	t = rte_zmalloc_socket("np_flow_table", sizeof(*t), RTE_CACHE_LINE_SIZE, p->socket);
	if (t == NULL)
		return np_fail_null(ENOMEM, "np_flow_table_create: no DPDK memory on %s for the table "
				    "handle (node %d): is EAL initialised, with memory on that socket?",
				    socket_str(p->socket, s, sizeof(s)), p->node);
	rte_spinlock_init(&t->lock);
	t->node = p->node;
	t->socket = p->socket;
	t->capacity = p->capacity;
	t->state_size = p->state_size;
	t->idle_timeout = p->idle_timeout;
	t->expire = p->expire;
	t->expire_arg = p->expire_arg;
	snprintf(t->name, sizeof(t->name), "%s", p->name != NULL ? p->name : "flow");
	snprintf(t->hash_name, sizeof(t->hash_name), "npf%" PRIu32,
		 __atomic_fetch_add(&table_seq, 1, __ATOMIC_RELAXED));

	slot = RTE_ALIGN_CEIL((size_t)NP__FLOW_STATE_OFFSET + p->state_size, RTE_CACHE_LINE_SIZE);
	t->slot_size = (uint32_t)slot;

	hp.name = t->hash_name;
	hp.entries = p->capacity;
	hp.key_len = sizeof(struct np_flow_key);
	hp.hash_func = rte_hash_crc;
	hp.socket_id = p->socket;
	/* Lock-free readers; capacity exact (np_flow.h says why not MULTI_WRITER_ADD). */
	hp.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF | RTE_HASH_EXTRA_FLAGS_EXT_TABLE;
	t->h = rte_hash_create(&hp);
	if (t->h == NULL) {
		np_fail(rte_errno ? rte_errno : ENOMEM, "np_flow_table_create: table \"%s\": "
			"rte_hash_create(%" PRIu32 " entries on %s) failed: %s", t->name, p->capacity,
			socket_str(p->socket, s, sizeof(s)), rte_strerror(rte_errno));
		return fail(t);
	}

	if (p->qsbr != NULL) {
		t->qsbr = p->qsbr;
	} else {
		size_t sz = rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE);

		t->own_qsbr = true;
		t->qsbr = zalloc(t, "RCU variable", sz);
		if (t->qsbr == NULL)
			return fail(t);
		if (rte_rcu_qsbr_init(t->qsbr, RTE_MAX_LCORE) != 0) {
			np_fail(rte_errno, "np_flow_table_create: rte_rcu_qsbr_init: %s",
				rte_strerror(rte_errno));
			return fail(t);
		}
	}
	/* Defer-queue mode: deletes queue their slot, nothing ever waits for a reader. */
	rcu.v = t->qsbr;
	rcu.mode = RTE_HASH_QSBR_MODE_DQ;
	if (rte_hash_rcu_qsbr_add(t->h, &rcu) != 0) {
		np_fail(rte_errno, "np_flow_table_create: table \"%s\": rte_hash_rcu_qsbr_add: %s",
			t->name, rte_strerror(rte_errno));
		return fail(t);
	}

	t->state = zalloc(t, "per-flow states", (size_t)p->capacity * slot);
	if (t->state == NULL)
		return fail(t);
	t->ctr = zalloc(t, "per-lcore counters", RTE_MAX_LCORE * sizeof(t->ctr[0]));
	if (t->ctr == NULL)
		return fail(t);
	NP_LOG(DEBUG, "flow table \"%s\" (%s): %" PRIu32 " entries of %zu-byte slots on %s for "
	       "node %d", t->name, t->hash_name, p->capacity, slot,
	       socket_str(p->socket, s, sizeof(s)), p->node);
	return t;
}

void
np_flow_table_destroy(np_flow_table *t)
{
	table_free(t);
}

int
np_flow_reader_register(np_flow_table *t, unsigned int lcore)
{
	if (t == NULL || lcore >= RTE_MAX_LCORE)
		return np_fail(EINVAL, "np_flow_reader_register: %s", t == NULL ? "table is NULL" :
			       "lcore is not below RTE_MAX_LCORE");
	if (rte_rcu_qsbr_thread_register(t->qsbr, lcore) != 0)
		return np_fail(EINVAL, "np_flow_reader_register: lcore %u: %s", lcore,
			       rte_strerror(rte_errno));
	rte_rcu_qsbr_thread_online(t->qsbr, lcore);
	return 0;
}

int
np_flow_reader_unregister(np_flow_table *t, unsigned int lcore)
{
	if (t == NULL || lcore >= RTE_MAX_LCORE)
		return np_fail(EINVAL, "np_flow_reader_unregister: %s", t == NULL ? "table is NULL" :
			       "lcore is not below RTE_MAX_LCORE");
	rte_rcu_qsbr_thread_offline(t->qsbr, lcore);
	if (rte_rcu_qsbr_thread_unregister(t->qsbr, lcore) != 0)
		return np_fail(EINVAL, "np_flow_reader_unregister: lcore %u: %s", lcore,
			       rte_strerror(rte_errno));
	return 0;
}
