/* SPDX-License-Identifier: BSD-3-Clause */
/* Reading the per-lcore counters: summed over the workers, while they run. */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>

#include "np_counter_worker.h"
#include "np_error_private.h"
#include "pipeline_private.h"

#define rd np_counter_u64_read

uint64_t
np_pipeline_port_stat(const np_pipeline *pl, unsigned int port, enum np_port_counter c)
{
	uint64_t sum = 0;

	if (pl == NULL || port >= pl->n_ports || (unsigned int)c >= NP_PORT_N)
		return 0;
	for (unsigned int i = 0; i < pl->n_lcores; i++)
		sum += rd(&pl->lcores[i]->cnt->port[port][c]);
	return sum;
}

uint64_t
np_pipeline_lcore_port_stat(const np_pipeline *pl, unsigned int lcore, unsigned int port,
			    enum np_port_counter c)
{
	if (pl == NULL || lcore >= RTE_MAX_LCORE || pl->by_lcore[lcore] == NULL ||
	    port >= pl->n_ports || (unsigned int)c >= NP_PORT_N)
		return 0;
	return rd(&pl->by_lcore[lcore]->cnt->port[port][c]);
}

uint64_t
np_pipeline_lcore_stat(const np_pipeline *pl, unsigned int lcore, enum np_lcore_counter c)
{
	if (pl == NULL || lcore >= RTE_MAX_LCORE || pl->by_lcore[lcore] == NULL ||
	    (unsigned int)c >= NP_LCORE_N)
		return 0;
	return rd(&pl->by_lcore[lcore]->cnt->lcore[c]);
}

uint64_t
np_pipeline_drops(const np_pipeline *pl, unsigned int stage, enum np_drop_cause c)
{
	uint64_t sum = 0;

	if (pl == NULL || stage > pl->n_stages || (unsigned int)c >= NP_DROP_N)
		return 0;
	for (unsigned int i = 0; i < pl->n_lcores; i++)
		sum += rd(&pl->lcores[i]->cnt->drops[stage][c]);
	return sum;
}

uint64_t
np_pipeline_drops_total(const np_pipeline *pl)
{
	uint64_t sum = 0;

	for (unsigned int s = 0; pl && s <= pl->n_stages; s++)
		for (unsigned int c = 0; c < NP_DROP_N; c++)
			sum += np_pipeline_drops(pl, s, (enum np_drop_cause)c);
	return sum;
}

int
np_pipeline_locality(const np_pipeline *pl, unsigned int idx, unsigned int port,
		     struct np_pipeline_locality *out)
{
	const struct lcore_ctx *c;
	struct np_plan_port_info pi;

	if (pl == NULL || out == NULL || idx >= pl->n_lcores || port >= pl->n_ports)
		return -EINVAL;
	c = pl->lcores[idx];
	np_plan_port(pl->plan, port, &pi);
	memset(out, 0, sizeof(*out));
	out->lcore = c->lcore;
	out->lcore_node = c->node;
	out->port_node = pi.node;
	out->pkts = rd(&c->cnt->port[port][NP_PORT_RX]);
	out->n_pools = pl->n_pools + 1;
	for (unsigned int k = 0; k <= pl->n_pools; k++) {
		unsigned int slot = k < pl->n_pools ? k : POOL_OTHER;

		out->pool[k].node = k < pl->n_pools ? pl->pool_node[k] : NP_NODE_UNKNOWN;
		out->pool[k].pkts = rd(&c->cnt->pool_pkts[port][slot]);
		/* Local: the port, its poller and the mbuf's pool on one node. */
		if (k < pl->n_pools && pi.node == c->node && pl->pool_node[k] == c->node)
			out->local += out->pool[k].pkts;
	}
	return 0;
}

double
np_pipeline_locality_ratio(const np_pipeline *pl, int port, int lcore, uint64_t *pkts)
{
	uint64_t all = 0, local = 0;

	for (unsigned int i = 0; pl && i < pl->n_lcores; i++) {
		if (lcore >= 0 && pl->lcores[i]->lcore != (unsigned int)lcore)
			continue;
		for (unsigned int p = 0; p < pl->n_ports; p++) {
			struct np_pipeline_locality l;

			if ((port >= 0 && p != (unsigned int)port) ||
			    np_pipeline_locality(pl, i, p, &l) < 0)
				continue;
			all += l.pkts;
			local += l.local;
		}
	}
	if (pkts != NULL)
		*pkts = all;
	return all ? (double)local / (double)all : 0.0;
}

uint64_t
np_pipeline_node_pair(const np_pipeline *pl, enum np_node_pair_kind kind, int src, int dst)
{
	uint64_t sum = 0;
	int d;

	if (pl == NULL || (unsigned int)kind >= NP_PAIR_N)
		return 0;
	if (dst < 0 || dst >= NP_PIPELINE_MAX_NODES)
		return 0;
	d = dst;
	for (unsigned int i = 0; i < pl->n_lcores; i++)
		if (pl->lcores[i]->node == src)
			sum += rd(&pl->lcores[i]->cnt->pair[kind][d]);
	return sum;
}

bool
np_pipeline_latency_enabled(const np_pipeline *pl)
{
	return pl != NULL && pl->latency;
}

int
np_pipeline_latency_record(np_pipeline *pl, bool on)
{
	if (pl == NULL)
		return np_fail(EINVAL, "np_pipeline_latency_record: a pipeline is required");
	if (!pl->latency)
		return np_fail(ENOTSUP, "np_pipeline_latency_record: the pipeline was created "
			       "without latency (np_pipeline_params.latency)");
	if (pl->running)
		return np_fail(EBUSY, "np_pipeline_latency_record: the loops are running");
	for (unsigned int i = 0; i < pl->n_lcores; i++) {
		struct lcore_ctx *c = pl->lcores[i];

		c->latency = on;
		/* Packets held across the switch are not recorded: no run describes them. */
		for (unsigned int t = 0; t < c->n_txbuf; t++)
			c->txbufs[t].n_runs = 0;
		pl_lcore_clock(pl, c);
	}
	return 0;
}

int
np_pipeline_stats_tick(np_pipeline *pl)
{
	if (pl == NULL)
		return -EINVAL;
	if (!pl->latency)
		return -ENOTSUP;
	for (unsigned int i = 0; i < pl->n_lcores; i++)
		for (unsigned int p = 0; p < pl->n_ports; p++) {
			size_t k = (size_t)i * pl->n_ports + p;
			const np_hist *live = pl->lcores[i]->hist[p];

			/* The interval is what came since the last snapshot; then move it. */
			np_hist_diff(pl->interval[k], live, pl->snap[k]);
			np_hist_snapshot(pl->snap[k], live);
		}
	pl->ticks++;
	return 0;
}

int
np_pipeline_latency(np_pipeline *pl, int port, int lcore, enum np_latency_window w,
		    struct np_latency *out)
{
	struct np_hist_summary s;
	double hz;

	if (pl == NULL || out == NULL || (port >= 0 && (unsigned int)port >= pl->n_ports))
		return -EINVAL;
	if (!pl->latency)
		return -ENOTSUP;
	np_hist_reset(pl->scratch);
	for (unsigned int i = 0; i < pl->n_lcores; i++) {
		if (lcore >= 0 && pl->lcores[i]->lcore != (unsigned int)lcore)
			continue;
		for (unsigned int p = 0; p < pl->n_ports; p++) {
			size_t k = (size_t)i * pl->n_ports + p;

			if (port >= 0 && p != (unsigned int)port)
				continue;
			np_hist_merge(pl->scratch, w == NP_LATENCY_INTERVAL ? pl->interval[k] :
				      pl->lcores[i]->hist[p]);
		}
	}
	if (np_hist_summarize(pl->scratch, &s) < 0 || s.count == 0)
		return -ENODATA;
	hz = (double)rte_get_tsc_hz();
	*out = (struct np_latency){
		.count = s.count, .saturated = s.saturated,
		.min = s.min * 1e9 / hz, .mean = s.mean * 1e9 / hz, .p50 = s.p50 * 1e9 / hz,
		.p90 = s.p90 * 1e9 / hz, .p99 = s.p99 * 1e9 / hz, .p999 = s.p999 * 1e9 / hz,
		.p9999 = s.p9999 * 1e9 / hz, .max = s.max * 1e9 / hz,
	};
	return 0;
}

const void *
np_pipeline_hist(const np_pipeline *pl, unsigned int idx, unsigned int port, size_t *size)
{
	if (pl == NULL || !pl->latency || idx >= pl->n_lcores || port >= pl->n_ports)
		return NULL;
	if (size != NULL)
		*size = pl->hist_size;
	return pl->lcores[idx]->hist[port];
}

const char *
np_locality_health(double ratio, uint64_t pkts)
{
	if (pkts == 0)
		return "idle";
	if (ratio >= 0.99)
		return "local";
	if (ratio >= 0.90)
		return "mostly-local";
	return "remote";
}
