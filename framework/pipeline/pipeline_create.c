/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Creating a pipeline: every worker's context on the worker's own node, so
 * the loop never reads memory of the main lcore's node.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf_dyn.h>

#include "np_error_private.h"
#include "pipeline_private.h"

NP_LOG_REGISTER(np_pipeline_logtype, "numaperf.pipeline");

/* The dynamic field of struct np_pkt_meta: registered once per process. */
static int
meta_offset(void)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = "numaperf_pkt_meta",
		.size = sizeof(struct np_pkt_meta),
		.align = __alignof__(struct np_pkt_meta),
	};
	int off = rte_mbuf_dynfield_register(&desc);

	if (off < 0)
		return np_fail(rte_errno, "cannot register the mbuf dynamic field %s (%zu "
			       "bytes): %s", desc.name, desc.size, rte_strerror(rte_errno));
	return off;
}

static int
check_params(const struct np_pipeline_params *p)
{
	if (p == NULL || p->plan == NULL || p->port_ids == NULL || p->stages == NULL)
		return np_fail(EINVAL, "np_pipeline_create: plan, port ids and stages are required");
	if (p->n_stages == 0 || p->n_stages > NP_PIPELINE_MAX_STAGES)
		return np_fail(EINVAL, "a pipeline has 1 to %d stages, not %u",
			       NP_PIPELINE_MAX_STAGES, p->n_stages);
	if (p->burst == 0 || p->burst > NP_PIPELINE_MAX_BURST)
		return np_fail(EINVAL, "burst %u is out of range: 1 to %d", p->burst,
			       NP_PIPELINE_MAX_BURST);
	if (np_plan_ring_count(p->plan) > 0 && p->rings == NULL)
		return np_fail(EINVAL, "the plan has %u handoff rings and none were given",
			       np_plan_ring_count(p->plan));
	return 0;
}

static void *
zalloc(const char *what, size_t size, int socket, unsigned int lcore, int node)
{
	void *m = rte_zmalloc_socket(what, size, RTE_CACHE_LINE_SIZE, socket);

	if (m == NULL)
		np_fail(ENOMEM, "no memory for lcore %u's %s (%zu bytes) on node %d (socket "
			"%d): reserve hugepages on that node", lcore, what, size, node, socket);
	return m;
}

static int
ring_index(const np_plan *plan, int node)
{
	for (unsigned int i = 0; i < np_plan_ring_count(plan); i++) {
		struct np_plan_ring r;

		np_plan_ring(plan, i, &r);
		if (r.node == node)
			return (int)i;
	}
	return -1;
}

/*
 * The memory of @p mp when it is one piece of address space: every object
 * of the pool lies in it and no other pool's does, so an address compare
 * tells an mbuf of the pool. A pool is in several chunks where its IOVAs
 * are not contiguous (a hugepage pool: often one per page), yet those are
 * usually the pages of one memzone, back to back: they are one range when
 * they add up to the span from the lowest to the highest. Anything else
 * gets none (*len = 0): its mbufs are told by their pool pointer.
 */
static void
pool_range(const struct rte_mempool *mp, uintptr_t *base, uintptr_t *len)
{
	const struct rte_mempool_memhdr *h;
	uintptr_t lo = UINTPTR_MAX, hi = 0, sum = 0;

	*base = 0;
	*len = 0;
	STAILQ_FOREACH(h, &mp->mem_list, next) {
		if (h->addr == NULL || h->len == 0)
			return;
		lo = RTE_MIN(lo, (uintptr_t)h->addr);
		hi = RTE_MAX(hi, (uintptr_t)h->addr + h->len);
		sum += h->len;
	}
	/* Chunks of a pool do not overlap: no gap between them if they fill the span. */
	if (sum > 0 && hi - lo == sum) {
		*base = lo;
		*len = sum;
	}
}

static int
build_rx(np_pipeline *pl, struct lcore_ctx *c)
{
	for (unsigned int i = 0; i < np_plan_rxq_count(pl->plan); i++) {
		struct np_plan_rxq q;
		struct np_plan_port_info pi;
		struct rxq *r;

		np_plan_rxq(pl->plan, i, &q);
		if (q.lcore != c->lcore)
			continue;
		if (c->n_rxq >= NP_PIPELINE_MAX_RXQ)
			return np_fail(E2BIG, "lcore %u would poll more than %d RX queues: add "
				       "workers or give the ports fewer RX queues", c->lcore,
				       NP_PIPELINE_MAX_RXQ);
		np_plan_port(pl->plan, q.port, &pi);
		r = &c->rxq[c->n_rxq++];
		r->port_id = pl->port_ids[q.port];
		r->queue = q.queue;
		r->port = (uint16_t)q.port;
		r->peer = (int16_t)(pi.peer >= 0 ? pi.peer : -1);
		r->pool = POOL_OTHER;
		for (unsigned int k = 0; k < pl->n_pools; k++)
			if (pl->pool_node[k] == q.pool_node)
				r->pool = (uint8_t)k;
		if (r->pool < pl->n_pools)
			pool_range(pl->pools[r->pool], &r->pool_base, &r->pool_len);
	}
	return 0;
}

static int
build_tx(np_pipeline *pl, struct lcore_ctx *c)
{
	unsigned int n = 0;

	for (unsigned int p = 0; p < pl->n_ports; p++)
		n += np_plan_lcore_txq(pl->plan, c->lcore, p) >= 0;
	c->n_txbuf = n;
	if (n > 0) {
		c->txbufs = zalloc("tx buffers", n * sizeof(struct txbuf), c->socket, c->lcore,
				   c->mem_node);
		if (c->txbufs == NULL)
			return -ENOMEM;
	}
	n = 0;
	for (unsigned int p = 0; p < pl->n_ports; p++) {
		int q = np_plan_lcore_txq(pl->plan, c->lcore, p);
		struct txbuf *t;

		if (q < 0)
			continue;
		t = &c->txbufs[n++];
		t->port_id = pl->port_ids[p];
		t->queue = (uint16_t)q;
		t->port = (uint16_t)p;
		c->tx[p] = t;
	}
	return 0;
}

/* Handoff: a buffer per ring, and each port's buffer is its polling node's. */
static int
build_handoff(np_pipeline *pl, struct lcore_ctx *c)
{
	unsigned int n = np_plan_ring_count(pl->plan);
	int mine;

	c->n_hobuf = n;
	c->hobufs = zalloc("handoff buffers", n * sizeof(struct hobuf), c->socket, c->lcore,
			   c->mem_node);
	if (c->hobufs == NULL)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		struct np_plan_ring r;

		np_plan_ring(pl->plan, i, &r);
		c->hobufs[i].ring = pl->rings[i];
		c->hobufs[i].node = r.node;
		if (c->hobufs[i].ring == NULL)
			return np_fail(EINVAL, "the plan's handoff ring %s on node %d was not "
				       "created", r.name, r.node);
	}
	for (unsigned int p = 0; p < pl->n_ports; p++) {
		struct np_plan_port_info pi;
		int r;

		np_plan_port(pl->plan, p, &pi);
		r = ring_index(pl->plan, pi.poll_node);
		c->ho_of_port[p] = r >= 0 ? &c->hobufs[r] : NULL;
	}
	mine = ring_index(pl->plan, c->node);
	c->drain_ring = mine >= 0 ? pl->rings[mine] : NULL;
	return 0;
}

/* A buffer per executor node, so one submit per destination per loop. */
static int
build_exec(np_pipeline *pl, struct lcore_ctx *c)
{
	struct np_exec_stats st;
	unsigned int n = 0;

	memset(c->exidx, -1, sizeof(c->exidx));
	for (unsigned int p = 0; p < pl->n_ports; p++) {
		struct np_plan_port_info pi;

		np_plan_port(pl->plan, p, &pi);
		c->peer_of[p] = (int16_t)(pi.peer >= 0 ? pi.peer : -1);
	}
	if (pl->exec == NULL)
		return 0;
	c->exec = pl->exec;
	for (int node = 0; node < NP_PIPELINE_MAX_NODES; node++)
		n += np_exec_stats(pl->exec, node, &st) == 0;
	c->exbufs = zalloc("executor buffers", n * sizeof(struct exbuf), c->socket, c->lcore,
			   c->mem_node);
	if (c->exbufs == NULL)
		return -ENOMEM;
	for (int node = 0; node < NP_PIPELINE_MAX_NODES; node++)
		if (np_exec_stats(pl->exec, node, &st) == 0) {
			c->exbufs[c->n_exbuf].node = node;
			c->exidx[node] = (int8_t)c->n_exbuf++;
		}
	/* The lcore counts as a source on its own node, whatever DPDK's socket says. */
	return np_exec_lcore_node(pl->exec, c->lcore, c->node);
}

/* The executors: one per worker node, its rings on that node. */
static int
build_executors(np_pipeline *pl)
{
	int nodes[NP_PIPELINE_MAX_NODES], sockets[NP_PIPELINE_MAX_NODES];
	struct np_exec_params ep = { .name = "pipeline", .nodes = nodes, .sockets = sockets,
				     .handler = pl_exec_handler, .ctx = pl };

	if (pl->params.exec_ring_size == 0)
		return 0;
	for (unsigned int i = 0; i < pl->n_lcores; i++) {
		struct np_plan_lcore l;
		unsigned int k;

		np_plan_lcore(pl->plan, i, &l);
		if (l.node < 0 || l.node >= NP_PIPELINE_MAX_NODES)
			return np_fail(ERANGE, "worker lcore %u is on node %d: executors serve "
				       "nodes 0 to %d", l.lcore, l.node, NP_PIPELINE_MAX_NODES - 1);
		for (k = 0; k < ep.n_nodes && nodes[k] != l.node; k++)
			;
		if (k == ep.n_nodes) {
			nodes[k] = l.node;
			/* The ring lives where its consumers are: the node's memory. */
			sockets[k] = pl->params.socket_override >= 0 ? pl->params.socket_override :
				     l.mem_node;
			ep.n_nodes++;
		}
	}
	ep.mbuf_ring_size = pl->params.exec_ring_size;
	ep.fn_ring_size = pl->params.exec_ring_size;
	pl->exec = np_exec_create(&ep);
	return pl->exec ? 0 : -errno;
}

/* One latency histogram per input port, in one allocation on the lcore's node. */
static int
build_hists(np_pipeline *pl, struct lcore_ctx *c)
{
	if (!pl->latency)
		return 0;
	c->latency = true;
	c->hist_mem = zalloc("latency histograms", pl->n_ports * pl->hist_size, c->socket,
			     c->lcore, c->mem_node);
	if (c->hist_mem == NULL)
		return -ENOMEM;
	for (unsigned int p = 0; p < pl->n_ports; p++) {
		void *mem = (char *)c->hist_mem + p * pl->hist_size;

		if (np_hist_init(mem, pl->hist_size, &pl->hist_params) < 0)
			return np_fail(EINVAL, "cannot format lcore %u's latency histogram: %s",
				       c->lcore, np_last_error());
		c->hist[p] = mem;
	}
	return 0;
}

/* Per (lcore, port): the last tick's snapshot and interval, on the control plane. */
static int
build_intervals(np_pipeline *pl)
{
	size_t n = (size_t)pl->n_lcores * pl->n_ports;

	if (!pl->latency)
		return 0;
	pl->snap = calloc(n, sizeof(*pl->snap));
	pl->interval = calloc(n, sizeof(*pl->interval));
	if (pl->snap == NULL || pl->interval == NULL)
		return np_fail(ENOMEM, "no memory for the latency intervals");
	for (size_t i = 0; i < n; i++) {
		pl->snap[i] = np_hist_create(&pl->hist_params, NP_NODE_ANY);
		pl->interval[i] = np_hist_create(&pl->hist_params, NP_NODE_ANY);
		if (pl->snap[i] == NULL || pl->interval[i] == NULL)
			return np_fail(ENOMEM, "no memory for the latency intervals");
	}
	pl->scratch = np_hist_create(&pl->hist_params, NP_NODE_ANY);
	if (pl->scratch == NULL)
		return np_fail(ENOMEM, "no memory for the latency intervals");
	return 0;
}

static int
build_stages(np_pipeline *pl, struct lcore_ctx *c, unsigned int idx)
{
	for (unsigned int s = 0; s < pl->n_stages; s++) {
		const struct np_stage *st = pl->stages[s];
		struct np_stage_lcore where = { .lcore = c->lcore, .node = c->node,
						.socket = c->socket, .stage = s };
		void *ctx = NULL;
		int ret;

		if (st->ctx_size > 0) {
			ctx = zalloc(st->name, st->ctx_size, c->socket, c->lcore, c->mem_node);
			if (ctx == NULL)
				return -ENOMEM;
		}
		pl->stage_ctx[idx * pl->n_stages + s] = ctx;
		c->stage[s].process = st->process;
		c->stage[s].ctx = ctx;
		if (st->tick != NULL)
			c->ticks[c->n_ticks++] = (struct tick_slot){ st->tick, ctx };
		if (st->init != NULL) {
			np_clear_error();
			ret = st->init(ctx, &where, st->arg);
			if (ret < 0) {
				/* fini is called only for contexts whose init succeeded. */
				char why[384];

				c->stage[s].process = NULL;
				snprintf(why, sizeof(why), "%s", np_last_error()[0] ?
					 np_last_error() : rte_strerror(-ret));
				return np_fail(-ret, "stage %s on lcore %u (node %d): %s",
					       st->name, c->lcore, c->node, why);
			}
		}
	}
	return 0;
}

static struct lcore_ctx *
build_lcore(np_pipeline *pl, unsigned int idx)
{
	const struct np_pipeline_params *p = &pl->params;
	struct np_plan_lcore pl_lc;
	struct lcore_ctx *c;
	int socket;

	np_plan_lcore(pl->plan, idx, &pl_lc);
	if (pl_lc.lcore >= RTE_MAX_LCORE || !rte_lcore_is_enabled(pl_lc.lcore))
		return np_fail_null(EINVAL, "worker lcore %u of the plan is not an EAL lcore: "
				    "start EAL with the plan's lcores (-l)", pl_lc.lcore);
	/* The node why the context goes where it goes: the worker's own memory node. */
	socket = p->socket_override >= 0 ? p->socket_override : pl_lc.mem_node;
	c = zalloc("context", sizeof(*c), socket, pl_lc.lcore, pl_lc.mem_node);
	if (c == NULL)
		return NULL;
	pl->lcores[idx] = c;
	pl->by_lcore[pl_lc.lcore] = c;
	c->lcore = pl_lc.lcore;
	c->node = pl_lc.node;
	c->mem_node = pl_lc.mem_node;
	c->socket = socket;
	c->burst = p->burst;
	c->n_ports = pl->n_ports;
	c->n_stages = pl->n_stages;
	c->meta_offset = pl->meta_offset;
	c->handoff = np_plan_ring_count(pl->plan) > 0;
	c->drain_tsc = (uint64_t)p->tx_drain_us * (rte_get_tsc_hz() / 1000000);
	c->deadline = UINT64_MAX;
	c->n_pools = pl->n_pools;
	memcpy(c->pools, pl->pools, pl->n_pools * sizeof(c->pools[0]));
	c->cnt = zalloc("counters", sizeof(*c->cnt), socket, c->lcore, c->mem_node);
	if (c->cnt == NULL || build_rx(pl, c) < 0 || build_tx(pl, c) < 0 ||
	    (c->handoff && build_handoff(pl, c) < 0) || build_exec(pl, c) < 0 ||
	    build_hists(pl, c) < 0 || build_stages(pl, c, idx) < 0)
		return NULL;
	pl_lcore_clock(pl, c);
	return c;
}

void
pl_lcore_clock(const np_pipeline *pl, struct lcore_ctx *c)
{
	c->tsc_every_loop = c->latency || c->n_ticks > 0;
	for (unsigned int s = 0; s < pl->n_stages; s++)
		c->tsc_every_loop |= pl->stages[s]->uses_now;
}

np_pipeline *
np_pipeline_create(const struct np_pipeline_params *p)
{
	np_pipeline *pl;
	int err;

	if (check_params(p) < 0)
		return NULL;
	pl = calloc(1, sizeof(*pl));
	if (pl == NULL)
		return np_fail_null(ENOMEM, "no memory for a pipeline");
	pl->params = *p;
	/* Nothing the caller's arrays point to is kept: copies or lookups below. */
	pl->params.stages = NULL;
	pl->params.port_ids = NULL;
	pl->params.rings = NULL;
	pl->n_rings = np_plan_ring_count(p->plan);
	if (pl->n_rings > 0) {
		pl->rings = calloc(pl->n_rings, sizeof(*pl->rings));
		if (pl->rings == NULL) {
			np_fail(ENOMEM, "no memory for a pipeline");
			goto fail;
		}
		memcpy(pl->rings, p->rings, pl->n_rings * sizeof(*pl->rings));
	}
	pl->plan = p->plan;
	pl->n_ports = np_plan_port_count(p->plan);
	pl->n_stages = p->n_stages;
	pl->n_lcores = np_plan_lcore_count(p->plan);
	memcpy(pl->port_ids, p->port_ids, pl->n_ports * sizeof(pl->port_ids[0]));
	for (unsigned int s = 0; s < p->n_stages; s++) {
		pl->stages[s] = p->stages[s] ? stage_find(p->stages[s]) : NULL;
		if (pl->stages[s] == NULL) {
			np_fail(ENOENT, "no stage named \"%s\" is registered (stage %u of the "
				"pipeline): register it with np_stage_register() or "
				"NP_STAGE_REGISTER", p->stages[s] ? p->stages[s] : "(null)", s);
			goto fail;
		}
	}
	if (p->n_pools > NP_PIPELINE_MAX_POOLS || (p->n_pools > 0 && p->pools == NULL)) {
		np_fail(EINVAL, "%u pools: at most %d, and the array is required", p->n_pools,
			NP_PIPELINE_MAX_POOLS);
		goto fail;
	}
	pl->n_pools = p->n_pools;
	for (unsigned int k = 0; k < p->n_pools; k++) {
		struct np_plan_pool pp;

		pl->pool_node[k] = np_plan_pool(p->plan, k, &pp) == 0 ? pp.node : NP_NODE_UNKNOWN;
		pl->pools[k] = p->pools[k];
	}
	pl->params.pools = NULL;
	pl->latency = p->latency;
	np_hist_params_init(&pl->hist_params);
	pl->hist_params.sub_bucket_bits = HIST_SUB_BITS;
	pl->hist_params.max_value = HIST_MAX_CYCLES;
	pl->hist_size = np_hist_footprint(&pl->hist_params);
	pl->meta_offset = meta_offset();
	if (pl->meta_offset < 0)
		goto fail;
	pl->lcores = calloc(pl->n_lcores, sizeof(*pl->lcores));
	pl->stage_ctx = calloc((size_t)pl->n_lcores * pl->n_stages, sizeof(void *));
	if (pl->lcores == NULL || pl->stage_ctx == NULL) {
		np_fail(ENOMEM, "no memory for a pipeline of %u lcores", pl->n_lcores);
		goto fail;
	}
	if (build_executors(pl) < 0)
		goto fail;
	for (unsigned int i = 0; i < pl->n_lcores; i++)
		if (build_lcore(pl, i) == NULL)
			goto fail;
	if (build_intervals(pl) < 0)
		goto fail;
	return pl;
fail:
	err = errno;
	np_pipeline_destroy(pl);
	errno = err;
	return NULL;
}

/* rte_malloc's header and alignment, per allocation (generous). */
#define ALLOC_OVERHEAD (2 * RTE_CACHE_LINE_SIZE)

int64_t
np_pipeline_lcore_bytes(const np_plan *plan, unsigned int idx, const char *const *stages,
			unsigned int n_stages)
{
	struct np_plan_lcore l;
	int64_t bytes;
	unsigned int n_tx = 0;

	if (plan == NULL || np_plan_lcore(plan, idx, &l) < 0 || (stages == NULL && n_stages))
		return -EINVAL;
	for (unsigned int p = 0; p < np_plan_port_count(plan); p++)
		n_tx += np_plan_lcore_txq(plan, l.lcore, p) >= 0;
	bytes = sizeof(struct lcore_ctx) + sizeof(struct counters) + 2 * ALLOC_OVERHEAD;
	if (n_tx > 0)
		bytes += n_tx * sizeof(struct txbuf) + ALLOC_OVERHEAD;
	if (np_plan_ring_count(plan) > 0)
		bytes += np_plan_ring_count(plan) * sizeof(struct hobuf) + ALLOC_OVERHEAD;
	{
		/* Executor buffers, one per worker node (counted as if executors are made). */
		uint32_t seen = 0;

		for (unsigned int i = 0; i < np_plan_lcore_count(plan); i++) {
			struct np_plan_lcore w;

			np_plan_lcore(plan, i, &w);
			if (w.node >= 0 && w.node < 32)
				seen |= UINT32_C(1) << w.node;
		}
		bytes += __builtin_popcount(seen) * sizeof(struct exbuf) + ALLOC_OVERHEAD;
	}
	{
		/* Latency histograms, if recorded: one per port. */
		struct np_hist_params hp;

		np_hist_params_init(&hp);
		hp.sub_bucket_bits = HIST_SUB_BITS;
		hp.max_value = HIST_MAX_CYCLES;
		bytes += np_plan_port_count(plan) * np_hist_footprint(&hp) + ALLOC_OVERHEAD;
	}
	for (unsigned int s = 0; s < n_stages; s++) {
		const struct np_stage *st = stages[s] ? stage_find(stages[s]) : NULL;

		if (st != NULL && st->ctx_size > 0)
			bytes += RTE_ALIGN_CEIL(st->ctx_size, RTE_CACHE_LINE_SIZE) + ALLOC_OVERHEAD;
	}
	return bytes;
}

void
np_pipeline_destroy(np_pipeline *pl)
{
	if (pl == NULL)
		return;
	for (unsigned int i = 0; pl->lcores && i < pl->n_lcores; i++) {
		struct lcore_ctx *c = pl->lcores[i];

		if (c == NULL)
			continue;
		for (unsigned int s = 0; s < pl->n_stages; s++)
			if (c->stage[s].process != NULL && pl->stages[s]->fini != NULL)
				pl->stages[s]->fini(c->stage[s].ctx, pl->stages[s]->arg);
		for (unsigned int s = 0; s < pl->n_stages; s++)
			rte_free(pl->stage_ctx[i * pl->n_stages + s]);
		rte_free(c->txbufs);
		rte_free(c->hobufs);
		rte_free(c->exbufs);
		rte_free(c->hist_mem);
		rte_free(c->cnt);
		rte_free(c);
	}
	for (size_t i = 0; i < (size_t)pl->n_lcores * pl->n_ports; i++) {
		if (pl->snap)
			np_hist_destroy(pl->snap[i]);
		if (pl->interval)
			np_hist_destroy(pl->interval[i]);
	}
	np_exec_destroy(pl->exec);
	np_hist_destroy(pl->scratch);
	free(pl->snap);
	free(pl->interval);
	free(pl->stage_ctx);
	free(pl->lcores);
	free(pl->rings);
	free(pl);
}

unsigned int
np_pipeline_lcore_count(const np_pipeline *pl)
{
	return pl ? pl->n_lcores : 0;
}

int
np_pipeline_lcore(const np_pipeline *pl, unsigned int idx, struct np_pipeline_lcore_info *out)
{
	const struct lcore_ctx *c;

	if (pl == NULL || out == NULL || idx >= pl->n_lcores)
		return -EINVAL;
	c = pl->lcores[idx];
	*out = (struct np_pipeline_lcore_info){
		.lcore = c->lcore, .node = c->node, .mem_node = c->mem_node,
		.socket = c->socket, .n_rxq = c->n_rxq, .ctx = c, .ctx_size = sizeof(*c),
		.counters = c->cnt, .counters_size = sizeof(*c->cnt), .n_txbuf = c->n_txbuf,
	};
	return 0;
}

const void *
np_pipeline_txbuf(const np_pipeline *pl, unsigned int idx, unsigned int port, size_t *size)
{
	if (pl == NULL || idx >= pl->n_lcores || port >= pl->n_ports ||
	    pl->lcores[idx]->tx[port] == NULL)
		return NULL;
	if (size != NULL)
		*size = sizeof(struct txbuf);
	return pl->lcores[idx]->tx[port];
}

void *
np_pipeline_stage_ctx(const np_pipeline *pl, unsigned int idx, unsigned int stage)
{
	if (pl == NULL || idx >= pl->n_lcores || stage >= pl->n_stages)
		return NULL;
	return pl->stage_ctx[idx * pl->n_stages + stage];
}

unsigned int
np_pipeline_stage_count(const np_pipeline *pl)
{
	return pl ? pl->n_stages : 0;
}

const char *
np_pipeline_stage_name(const np_pipeline *pl, unsigned int stage)
{
	if (pl == NULL || stage >= pl->n_stages)
		return NULL;
	return pl->stages[stage]->name;
}

const struct np_executor *
np_pipeline_executor(const np_pipeline *pl)
{
	return pl ? pl->exec : NULL;
}
