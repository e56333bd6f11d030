/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-node shards: one region per node, bound there, prefaulted by a thread
 * pinned to that node, then checked with move_pages. The CPU -> shard table
 * is built once so that np_sharded_local() is a lookup, not a walk of the
 * node masks (libnuma's numa_node_of_cpu() scans every node's CPU mask).
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <numa.h>

#include "np_error_private.h"
#include "np_list_private.h"
#include "np_pin.h"
#include "np_region.h"
#include "shard_private.h"

NP_LOG_REGISTER(np_shard_logtype, "numaperf.shard");

static void
highest_id(void *max, long lo, long hi)
{
	(void)lo;
	if (hi > *(long *)max)
		*(long *)max = hi;
}

/* Highest possible CPU id + 1, from /sys/devices/system/cpu/possible. */
static unsigned int
possible_cpus(void)
{
	long max = -1;

	/* Missing or malformed: the CPUs listed before the fault still count. */
	np_idlist_read("/sys/devices/system/cpu/possible", "CPU", INT_MAX, highest_id, &max);
	return max < 0 ? CPU_SETSIZE : (unsigned int)max + 1;
}

/*
 * The shard for a thread on node @node: its own, else the nearest by the
 * kernel's distance table (ties: lowest node id), else the first.
 */
static unsigned int
shard_for_node(const np_sharded *s, int node)
{
	unsigned int best = 0;
	int best_d = -1;

	for (unsigned int i = 0; i < s->n_shards; i++)
		if (s->shards[i].node == node)
			return i;
	if (node < 0 || numa_available() < 0)
		return 0;
	for (unsigned int i = 0; i < s->n_shards; i++) {
		int d = numa_distance(node, s->shards[i].node);

		if (d > 0 && (best_d < 0 || d < best_d)) {
			best = i;
			best_d = d;
		}
	}
	return best;
}

static int
build_cpu_map(np_sharded *s)
{
	np_nodemask online;
	char buf[4096];
	FILE *f;

	s->n_cpus = possible_cpus();
	s->cpu_shard = calloc(s->n_cpus, sizeof(s->cpu_shard[0]));
	if (s->cpu_shard == NULL)
		return -ENOMEM;
	/* CPUs of no known node keep shard 0. */
	np_nodemask_zero(&online);
	f = fopen("/sys/devices/system/node/online", "r");
	if (f != NULL) {
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);

		buf[n] = '\0';
		fclose(f);
		if (np_nodemask_parse(&online, buf) < 0)
			np_nodemask_zero(&online);
	}
	NP_NODEMASK_FOREACH(node, &online) {
		unsigned int idx = shard_for_node(s, node);
		cpu_set_t cpus;

		if (np_node_cpus(node, &cpus) <= 0)
			continue;
		for (unsigned int c = 0; c < s->n_cpus && c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &cpus))
				s->cpu_shard[c] = (uint16_t)idx;
	}
	return 0;
}

/* Check one shard with move_pages; returns 0 or -errno (check impossible). */
static int
verify_one(struct shard *sh)
{
	struct np_region_where w;
	int ret = np_region_where(sh->region, &w);

	if (ret < 0) {
		sh->verified = false;
		return ret;
	}
	sh->pages = w.pages;
	sh->pages_on_node = np_region_where_on(&w, sh->node);
	sh->verified = sh->pages_on_node == w.pages;
	return 0;
}

static void
sharded_free(np_sharded *s)
{
	if (s == NULL)
		return;
	for (unsigned int i = 0; i < s->n_shards; i++)
		np_region_destroy(s->shards[i].region);
	free(s->shards);
	free(s->cpu_shard);
	free(s);
}

/* Fail creation: free what exists, keep the message and errno. */
static np_sharded *
fail(np_sharded *s)
{
	int err = errno;

	sharded_free(s);
	errno = err;
	return NULL;
}

np_sharded *
np_sharded_create(size_t size, size_t align, const np_nodemask *nodes,
		  np_shard_init_fn init, void *arg, unsigned int flags)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	np_nodemask want;
	np_sharded *s;
	unsigned int k;
	int ret;

	if (size == 0)
		return np_fail_null(EINVAL, "np_sharded_create: size is 0: a shard needs at least one byte");
	if (align != 0 && (align & (align - 1)) != 0)
		return np_fail_null(EINVAL, "np_sharded_create: align %zu is not a power of two", align);
	if (flags & ~NP_SHARDED_STRICT)
		return np_fail_null(EINVAL, "np_sharded_create: flags 0x%x has unknown bits (only "
				    "NP_SHARDED_STRICT is defined)", flags);
	if (align == 0)
		align = page;
	if (size > SIZE_MAX / 2 || align > SIZE_MAX / 4)
		return np_fail_null(ENOMEM, "np_sharded_create: size %zu / align %zu too large", size, align);
	if (nodes == NULL) {
		/* No NUMA in the kernel still leaves node 0: one shard. */
		if (np_nodemask_usable(&want) < 0 && np_nodemask_weight(&want) == 0)
			return NULL;
	} else {
		want = *nodes;
		if (np_nodemask_weight(&want) == 0)
			return np_fail_null(EINVAL, "np_sharded_create: the node mask is empty: set at least "
					    "one node, or pass NULL for every usable node");
	}
	k = np_nodemask_weight(&want);

	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return np_fail_null(ENOMEM, "np_sharded_create: out of memory");
	s->shards = calloc(k, sizeof(s->shards[0]));
	if (s->shards == NULL) {
		free(s);
		return np_fail_null(ENOMEM, "np_sharded_create: out of memory");
	}
	s->size = size;
	s->align = align;

	NP_NODEMASK_FOREACH(node, &want) {
		struct shard *sh = &s->shards[s->n_shards];
		struct np_region_params p;
		size_t extra = align > page ? align : 0;
		uintptr_t a;

		np_region_params_init(&p, size + extra);
		p.policy = NP_MEM_BIND;
		np_nodemask_set(&p.nodes, node);
		/*
		 * Touched by a thread pinned to the node: if a container refuses
		 * mbind, first touch from there still puts the pages on it.
		 */
		p.prefault = NP_PREFAULT_PARALLEL;
		sh->node = node;
		sh->region = np_region_create(&p);
		if (sh->region == NULL) {
			char why[400];

			snprintf(why, sizeof(why), "%s", np_last_error());
			np_fail(errno, "np_sharded_create: shard for node %d: %s", node, why);
			return fail(s);
		}
		s->n_shards++;
		a = (uintptr_t)np_region_addr(sh->region);
		sh->ptr = (void *)((a + align - 1) & ~(uintptr_t)(align - 1));

		ret = verify_one(sh);
		if (!sh->verified) {
			char why[400];

			if (ret < 0)
				snprintf(why, sizeof(why), "its placement could not be checked: %s",
					 np_last_error());
			else
				snprintf(why, sizeof(why), "only %" PRIu64 " of its %" PRIu64 " pages are on "
					 "node %d", sh->pages_on_node, sh->pages, node);
			if (flags & NP_SHARDED_STRICT) {
				np_fail(EIO, "np_sharded_create: shard for node %d: %s (NP_SHARDED_STRICT)",
					node, why);
				return fail(s);
			}
			NP_LOG(WARNING, "shard for node %d not verified: %s", node, why);
		}
	}
	if (build_cpu_map(s) < 0) {
		np_fail(ENOMEM, "np_sharded_create: out of memory for the CPU table");
		return fail(s);
	}
	if (init != NULL) {
		for (unsigned int i = 0; i < s->n_shards; i++) {
			ret = init(s->shards[i].ptr, s->shards[i].node, arg);
			if (ret != 0) {
				int err = ret < 0 ? -ret : EINVAL;

				np_fail(err, "np_sharded_create: the init callback failed for the shard of "
					"node %d: %s", s->shards[i].node, strerror(err));
				return fail(s);
			}
		}
	}
	return s;
}

void
np_sharded_destroy(np_sharded *s)
{
	sharded_free(s);
}

unsigned int
np_sharded_count(const np_sharded *s)
{
	return s == NULL ? 0 : s->n_shards;
}

int
np_sharded_index_for_cpu(const np_sharded *s, unsigned int cpu)
{
	if (s == NULL)
		return np_fail(EINVAL, "np_sharded_index_for_cpu: sharded object is NULL");
	return cpu < s->n_cpus ? s->cpu_shard[cpu] : 0;
}

void *
np_sharded_for_cpu(const np_sharded *s, unsigned int cpu)
{
	if (s == NULL)
		return NULL;
	return s->shards[cpu < s->n_cpus ? s->cpu_shard[cpu] : 0].ptr;
}

void *
np_sharded_local(const np_sharded *s)
{
	int cpu = sched_getcpu();

	if (s == NULL)
		return NULL;
	return s->shards[cpu >= 0 && (unsigned int)cpu < s->n_cpus ? s->cpu_shard[cpu] : 0].ptr;
}

void *
np_sharded_on(const np_sharded *s, int node)
{
	if (s == NULL)
		return np_fail_null(EINVAL, "np_sharded_on: sharded object is NULL");
	for (unsigned int i = 0; i < s->n_shards; i++)
		if (s->shards[i].node == node)
			return s->shards[i].ptr;
	{
		np_nodemask m;
		char list[128];

		np_nodemask_zero(&m);
		for (unsigned int i = 0; i < s->n_shards; i++)
			np_nodemask_set(&m, s->shards[i].node);
		np_nodemask_format(&m, list, sizeof(list));
		return np_fail_null(ENOENT, "np_sharded_on: no shard on node %d (shards are on nodes %s)",
				    node, list);
	}
}

int
np_sharded_shard(const np_sharded *s, unsigned int idx, struct np_shard_info *out)
{
	const struct shard *sh;

	if (s == NULL || out == NULL)
		return np_fail(EINVAL, "np_sharded_shard: %s is NULL", s == NULL ? "sharded object" : "out");
	if (idx >= s->n_shards)
		return np_fail(EINVAL, "np_sharded_shard: index %u is not below the shard count %u",
			       idx, s->n_shards);
	sh = &s->shards[idx];
	out->node = sh->node;
	out->ptr = sh->ptr;
	out->verified = sh->verified;
	out->pages = sh->pages;
	out->pages_on_node = sh->pages_on_node;
	return 0;
}

int
np_sharded_node(const np_sharded *s, unsigned int idx)
{
	if (s == NULL || idx >= s->n_shards)
		return np_fail(EINVAL, "np_sharded_node: %s", s == NULL ? "sharded object is NULL" :
			       "index out of range");
	return s->shards[idx].node;
}

void *
np_sharded_get(const np_sharded *s, unsigned int idx)
{
	if (s == NULL || idx >= s->n_shards)
		return np_fail_null(EINVAL, "np_sharded_get: %s", s == NULL ? "sharded object is NULL" :
				    "index out of range");
	return s->shards[idx].ptr;
}

int
np_sharded_verify(np_sharded *s)
{
	int bad = 0;

	if (s == NULL)
		return np_fail(EINVAL, "np_sharded_verify: sharded object is NULL");
	for (unsigned int i = 0; i < s->n_shards; i++) {
		int ret = verify_one(&s->shards[i]);

		if (ret < 0)
			return ret;
		if (!s->shards[i].verified)
			bad++;
	}
	return bad;
}
