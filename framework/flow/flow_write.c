/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The writers: add, delete, age. All run under the table's spinlock (see
 * np_flow.h for why ours and not rte_hash's multi-writer mode); readers
 * never take it.
 */
#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_prefetch.h>

#include "flow_private.h"

static int
check(const np_flow_table *t, unsigned int lcore, const void *key, const char *fn)
{
	if (t == NULL || key == NULL)
		return np_fail(EINVAL, "%s: %s is NULL", fn, t == NULL ? "table" : "key");
	if (lcore >= RTE_MAX_LCORE)
		return np_fail(EINVAL, "%s: lcore %u is not below RTE_MAX_LCORE (%d): pass the "
			       "caller's lcore id (rte_thread_register() gives a non-EAL thread one)",
			       fn, lcore, RTE_MAX_LCORE);
	return 0;
}

/* Log the first refusal of each kind per table; the counters keep the rest. */
static void
log_refusal(np_flow_table *t, bool full)
{
	uint8_t bit = full ? 1 : 2;

	if (t->refusals_logged & bit)
		return;
	t->refusals_logged |= bit;
	if (full)
		NP_LOG(WARNING, "flow table \"%s\" (node %d) is full: %u entries; further adds are "
		       "refused and counted (adds_refused_full): raise its capacity or age flows "
		       "sooner", t->name, t->node, t->capacity);
	else
		NP_LOG(WARNING, "flow table \"%s\" (node %d): adds refused with %u of %u entries "
		       "live: the free slots are deleted entries waiting for a registered reader's "
		       "quiescent state (adds_refused_reclaim): does every reader call "
		       "np_flow_quiescent()?", t->name, t->node, t->entries, t->capacity);
}

/* Find or create one entry; the lock is held. */
static void *
add_locked(np_flow_table *t, struct np_flow_lcore_ctr *c, const struct np_flow_key *key,
	   uint64_t now, bool *created)
{
	hash_sig_t sig = rte_hash_hash(t->h, key);
	struct np_flow_slot_hdr *hdr;
	void *state = NULL;
	int32_t pos;

	*created = false;
	/* Under the lock nobody else adds: a key found here is complete. */
	if (rte_hash_lookup_with_hash_data(t->h, key, sig, &state) >= 0) {
		np_flow_touch(state, now);
		np_counter_u64_add(&c->v[NP_FLOW_CTR_ADD_EXISTING], 1);
		return state;
	}
	if (t->entries >= t->capacity) {
		np_counter_u64_add(&c->v[NP_FLOW_CTR_ADD_REFUSED_FULL], 1);
		log_refusal(t, true);
		return NULL;
	}
	/* The key goes in with no state pointer: lookups take it as a miss until below. */
	pos = rte_hash_add_key_with_hash(t->h, key, sig);
	if (pos < 0) {
		np_counter_u64_add(&c->v[NP_FLOW_CTR_ADD_REFUSED_RECLAIM], 1);
		log_refusal(t, false);
		return NULL;
	}
	/* Slot pos was either never used or reclaimed after every reader moved on. */
	hdr = flow_slot(t, (uint32_t)pos);
	memset(hdr, 0, t->slot_size);
	hdr->pos = (uint32_t)pos;
	hdr->in_use = 1;
	np_flow_touch(flow_state(t, (uint32_t)pos), now);
	state = flow_state(t, (uint32_t)pos);
	/* Publish: rte_hash stores the pointer with release, lookups load it with acquire. */
	if (rte_hash_add_key_with_hash_data(t->h, key, sig, state) != 0) {
		/* Cannot happen (the key is there and we hold the lock); never leave it half made. */
		rte_hash_del_key_with_hash(t->h, key, sig);
		hdr->in_use = 0;
		np_counter_u64_add(&c->v[NP_FLOW_CTR_ADD_REFUSED_RECLAIM], 1);
		return NULL;
	}
	__atomic_store_n(&t->entries, t->entries + 1, __ATOMIC_RELAXED);
	np_counter_u64_add(&c->v[NP_FLOW_CTR_ADD], 1);
	*created = true;
	return state;
}

int
np_flow_add_burst(np_flow_table *t, unsigned int lcore, const struct np_flow_key *const *keys,
		  unsigned int n, uint64_t now, void **states, uint64_t *created)
{
	uint64_t made = 0;
	int got = 0;
	int ret = check(t, lcore, keys, "np_flow_add_burst");

	if (ret < 0)
		return ret;
	if (states == NULL || n == 0 || n > NP_FLOW_BURST_MAX)
		return np_fail(EINVAL, "np_flow_add_burst: %s (got %u)", states == NULL ?
			       "states is NULL" : "n must be 1..NP_FLOW_BURST_MAX (64)", n);
	rte_spinlock_lock(&t->lock);
	for (unsigned int i = 0; i < n; i++) {
		bool c;

		states[i] = add_locked(t, &t->ctr[lcore], keys[i], now, &c);
		got += states[i] != NULL;
		made |= (uint64_t)c << i;
	}
	rte_spinlock_unlock(&t->lock);
	if (created != NULL)
		*created = made;
	return got;
}

void *
np_flow_add(np_flow_table *t, unsigned int lcore, const struct np_flow_key *key, uint64_t now,
	    bool *created)
{
	uint64_t made = 0;
	void *state = NULL;
	int ret = np_flow_add_burst(t, lcore, &key, 1, now, &state, &made);

	if (ret < 0)
		return NULL;
	if (created != NULL)
		*created = made != 0;
	if (state == NULL) {
		errno = ENOSPC;
		rte_errno = ENOSPC;
	}
	return state;
}

/* Remove the entry at @pos whose key is @key; the lock is held. */
static void
remove_locked(np_flow_table *t, const struct np_flow_key *key, uint32_t pos)
{
	/* Its slot goes to the RCU defer queue: reused once readers moved on. */
	rte_hash_del_key(t->h, key);
	flow_slot(t, pos)->in_use = 0;
	__atomic_store_n(&t->entries, t->entries - 1, __ATOMIC_RELAXED);
}

int
np_flow_delete(np_flow_table *t, unsigned int lcore, const struct np_flow_key *key)
{
	int32_t pos;
	int ret = check(t, lcore, key, "np_flow_delete");

	if (ret < 0)
		return ret;
	rte_spinlock_lock(&t->lock);
	pos = rte_hash_lookup(t->h, key);
	if (pos >= 0) {
		remove_locked(t, key, (uint32_t)pos);
		np_counter_u64_add(&t->ctr[lcore].v[NP_FLOW_CTR_DELETE], 1);
	}
	rte_spinlock_unlock(&t->lock);
	return pos >= 0 ? 0 : -ENOENT;
}

int
np_flow_age(np_flow_table *t, unsigned int lcore, uint64_t now, unsigned int max_visit)
{
	uint32_t pos, cap;
	int expired = 0;

	if (t == NULL || lcore >= RTE_MAX_LCORE)
		return np_fail(EINVAL, "np_flow_age: %s", t == NULL ? "table is NULL" :
			       "lcore is not below RTE_MAX_LCORE");
	if (t->idle_timeout == 0 || max_visit == 0)
		return 0;
	/* A worker never waits here: a busy lock means "next time". */
	if (!rte_spinlock_trylock(&t->lock))
		return 0;
	cap = t->capacity;
	pos = t->age_cursor;
	if (max_visit > cap)
		max_visit = cap;
	for (unsigned int v = 0; v < max_visit; v++, pos = pos + 1 == cap ? 0 : pos + 1) {
		struct np_flow_slot_hdr *hdr = flow_slot(t, pos);
		struct np_flow_key key;
		uint64_t seen;
		void *kp;

		rte_prefetch0(flow_slot(t, pos + 4 < cap ? pos + 4 : pos + 4 - cap));
		if (!hdr->in_use)
			continue;
		seen = __atomic_load_n(&hdr->last_seen, __ATOMIC_RELAXED);
		if (seen > now || now - seen < t->idle_timeout)
			continue;
		if (rte_hash_get_key_with_position(t->h, (int32_t)pos, &kp) != 0)
			continue;   /* in_use says it is there; rte_hash is the authority */
		memcpy(&key, kp, sizeof(key));
		if (t->expire != NULL)
			t->expire(t->expire_arg, &key, flow_state(t, pos));
		remove_locked(t, &key, pos);
		np_counter_u64_add(&t->ctr[lcore].v[NP_FLOW_CTR_EXPIRED], 1);
		expired++;
	}
	t->age_cursor = pos;
	rte_spinlock_unlock(&t->lock);
	return expired;
}
