/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The hugepage check, before EAL init: what each node of a plan needs,
 * against what the node has free. EAL itself would only say "cannot
 * allocate memory" later, on one socket, without a number.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "mempool_private.h"
#include "np_error_private.h"

#define MB (1024.0 * 1024.0)
/* Per descriptor (hardware descriptor + software ring entry) and per queue. */
#define DESC_BYTES 64
#define QUEUE_BYTES 4096
/* EAL's start-up allocations (measured ~0.6 MB: tailqs, ethdev data, telemetry). */
#define EAL_BYTES (4ULL << 20)

static uint64_t
pool_bytes(uint32_t n_mbufs, const struct np_mempools_opts *o)
{
	struct rte_mempool_objsz sz;
	uint32_t obj = rte_mempool_calc_obj_size(sizeof(struct rte_mbuf) + o->data_room,
						 0, &sz);
	uint64_t hdr = sizeof(struct rte_mempool) + sizeof(struct rte_pktmbuf_pool_private) +
		       (o->cache_size ? RTE_MAX_LCORE * sizeof(struct rte_mempool_cache) : 0);
	ssize_t ring = rte_ring_get_memsize(rte_align32pow2(n_mbufs + 1));

	return (uint64_t)obj * n_mbufs + hdr + (ring > 0 ? (uint64_t)ring : 0);
}

static struct np_hugepage_need *
need_of(struct np_hugepage_need *all, unsigned int *n, unsigned int cap, int node)
{
	for (unsigned int i = 0; i < *n; i++)
		if (all[i].node == node)
			return &all[i];
	if (*n >= cap)
		return NULL;
	memset(&all[*n], 0, sizeof(all[*n]));
	all[*n].node = node;
	return &all[(*n)++];
}

int
np_mempool_hugepage_needs(const np_topo *topo, const np_plan *plan,
			  const struct np_mempools_opts *opts, int main_node,
			  uint64_t page_size, struct np_hugepage_need *out, unsigned int max)
{
	struct np_hugepage_need *all, *e;
	unsigned int n = 0, cap;

	if (topo == NULL || plan == NULL || opts == NULL || page_size == 0 ||
	    (out == NULL && max > 0))
		return -EINVAL;
	/* Every node the plan names is a node of the topology. */
	cap = np_topo_node_count(topo);
	all = calloc(cap, sizeof(*all));
	if (all == NULL)
		return -ENOMEM;
	for (unsigned int i = 0; i < np_plan_pool_count(plan); i++) {
		struct np_plan_pool p;

		np_plan_pool(plan, i, &p);
		e = need_of(all, &n, cap, p.node);
		if (e)
			e->pool_bytes += pool_bytes(p.n_mbufs, opts);
	}
	for (unsigned int i = 0; i < np_plan_ring_count(plan); i++) {
		struct np_plan_ring r;
		ssize_t b;

		np_plan_ring(plan, i, &r);
		b = rte_ring_get_memsize(r.size);
		e = need_of(all, &n, cap, r.mem_node);
		if (e && b > 0)
			e->ring_bytes += (uint64_t)b;
	}
	for (unsigned int i = 0; i < np_plan_rxq_count(plan); i++) {
		struct np_plan_rxq q;
		struct np_plan_port_info pi;

		np_plan_rxq(plan, i, &q);
		np_plan_port(plan, q.port, &pi);
		e = need_of(all, &n, cap, q.desc_node);
		if (e)
			e->desc_bytes += (uint64_t)pi.nb_rxd * DESC_BYTES + QUEUE_BYTES;
	}
	for (unsigned int i = 0; i < np_plan_txq_count(plan); i++) {
		struct np_plan_txq q;
		struct np_plan_port_info pi;

		np_plan_txq(plan, i, &q);
		np_plan_port(plan, q.port, &pi);
		e = need_of(all, &n, cap, q.desc_node);
		if (e)
			e->desc_bytes += (uint64_t)pi.nb_txd * DESC_BYTES + QUEUE_BYTES;
	}
	/*
	 * Every worker's node holds its context: checked even when no pool,
	 * ring or queue is there, or the run would fail after EAL is up.
	 */
	for (unsigned int i = 0; i < np_plan_lcore_count(plan); i++) {
		struct np_plan_lcore l;

		np_plan_lcore(plan, i, &l);
		e = need_of(all, &n, cap, l.mem_node);
		if (e && opts->lcore_bytes)
			e->lcore_bytes += opts->lcore_bytes[i];
		/* Once per node with workers, however many workers it has. */
		if (e)
			e->table_bytes = opts->worker_node_bytes;
	}
	e = need_of(all, &n, cap, main_node);
	if (e)
		e->eal_bytes += EAL_BYTES;
	/* Sort by node, add a page of heap slack per node, round up to pages. */
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j > 0 && all[j - 1].node > all[j].node; j--) {
			struct np_hugepage_need t = all[j];

			all[j] = all[j - 1];
			all[j - 1] = t;
		}
	for (unsigned int i = 0; i < n; i++) {
		struct np_hugepage_need *x = &all[i];
		struct np_hugepages hp;

		x->eal_bytes += page_size;
		x->total_bytes = x->pool_bytes + x->ring_bytes + x->desc_bytes + x->lcore_bytes +
				 x->table_bytes + x->eal_bytes;
		x->page_size = page_size;
		x->pages = (x->total_bytes + page_size - 1) / page_size;
		if (np_topo_node_hugepages(topo, x->node, page_size, &hp) == 0) {
			x->free_pages = hp.free;
			x->total_pages = hp.total;
		}
		if (i < max)
			out[i] = *x;
	}
	free(all);
	return (int)n;
}

static uint64_t
page_size_of(const np_topo *topo)
{
	struct np_enforcement enf;

	if (np_topo_source(topo) != NP_TOPO_LIVE)
		return 2ULL << 20;
	np_topo_enforcement(topo, &enf);
	return enf.n_mounts > 0 ? enf.mounts[0].page_size : 0;
}

uint64_t
np_mempool_total_bytes(const np_topo *topo, const np_plan *plan,
		       const struct np_mempools_opts *opts, int main_node)
{
	struct np_hugepage_need *needs;
	uint64_t sum = 0;
	int n;

	if (topo == NULL)
		return 0;
	needs = calloc(np_topo_node_count(topo), sizeof(*needs));
	if (needs == NULL)
		return 0;
	/* --no-huge memory comes in 4 KB pages: no rounding to hugepages. */
	n = np_mempool_hugepage_needs(topo, plan, opts, main_node, 4096, needs,
				      np_topo_node_count(topo));
	for (int i = 0; i < n; i++)
		sum += needs[i].total_bytes;
	free(needs);
	return sum;
}

static const char *
size_name(uint64_t page_size, char *buf, size_t len)
{
	if (page_size >= (1ULL << 30))
		snprintf(buf, len, "%" PRIu64 " GB", page_size >> 30);
	else
		snprintf(buf, len, "%" PRIu64 " MB", page_size >> 20);
	return buf;
}

int
np_mempool_check_hugepages(const np_topo *topo, const np_plan *plan,
			   const struct np_mempools_opts *opts, int main_node, FILE *verbose)
{
	struct np_hugepage_need *needs;
	uint64_t page_size;
	char sz[16];
	int n, ret = 0;

	if (topo == NULL || plan == NULL || opts == NULL)
		return np_fail(EINVAL, "hugepage check: topology, plan and options are required");
	page_size = page_size_of(topo);
	if (page_size == 0)
		return np_fail(ENOENT, "hugetlbfs is not mounted, so DPDK cannot use "
			       "hugepages: mkdir -p /dev/hugepages && mount -t hugetlbfs "
			       "nodev /dev/hugepages, or run EAL without hugepages (no_huge)");
	needs = calloc(np_topo_node_count(topo), sizeof(*needs));
	if (needs == NULL)
		return np_fail(ENOMEM, "hugepage check: no memory");
	n = np_mempool_hugepage_needs(topo, plan, opts, main_node, page_size, needs,
				      np_topo_node_count(topo));
	if (n < 0) {
		free(needs);
		return np_fail(-n, "hugepage check: bad arguments");
	}
	size_name(page_size, sz, sizeof(sz));
	for (int i = 0; i < n && verbose; i++) {
		const struct np_hugepage_need *x = &needs[i];

		fprintf(verbose, "hugepages on node %d: pools %.1f MB + rings %.1f MB + "
			"descriptors %.1f MB + lcore contexts %.2f MB + tables %.1f MB + EAL and "
			"heap slack %.1f MB = %.1f MB = %" PRIu64 " pages of %s; %" PRIu64
			" free of %" PRIu64 "\n", x->node, x->pool_bytes / MB, x->ring_bytes / MB,
			x->desc_bytes / MB, x->lcore_bytes / MB, x->table_bytes / MB,
			x->eal_bytes / MB,
			x->total_bytes / MB, x->pages, sz, x->free_pages, x->total_pages);
	}
	for (int i = 0; i < n; i++) {
		const struct np_hugepage_need *x = &needs[i];
		uint64_t short_by;

		if (x->free_pages >= x->pages)
			continue;
		short_by = x->pages - x->free_pages;
		/* nr_hugepages is the node's total, not its free count. */
		ret = np_fail(ENOMEM, "node %d has %" PRIu64 " free %s hugepages, the plan "
			       "needs %" PRIu64 " (%.1f MB: pools %.1f, rings %.1f, "
			       "descriptors %.1f, lcore contexts %.2f, tables %.1f, EAL %.1f), "
			       "short by %"
			       PRIu64 ": echo %" PRIu64 " > /sys/devices/system/node/node%d/"
			       "hugepages/hugepages-%" PRIu64 "kB/nr_hugepages, or run EAL "
			       "without hugepages (no_huge)", x->node, x->free_pages, sz,
			       x->pages, x->total_bytes / MB, x->pool_bytes / MB,
			       x->ring_bytes / MB, x->desc_bytes / MB, x->lcore_bytes / MB,
			       x->table_bytes / MB, x->eal_bytes / MB, short_by, x->total_pages + short_by, x->node,
			       page_size >> 10);
		break;
	}
	free(needs);
	return ret;
}
