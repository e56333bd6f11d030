/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The teardown, in reverse: what is in flight is drained and counted, the
 * ports' own statistics read, the ports stopped and closed (which returns
 * the mbufs in their descriptor rings), and every pool checked: an mbuf
 * that is not back is an error, never silence.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mempool.h>

#include "np_error_private.h"
#include "runtime_private.h"

static void
check_pools(np_runtime *rt, struct np_runtime_stop_report *r)
{
	for (unsigned int i = 0; i < np_plan_pool_count(rt->plan) && r->n_pools < RTE_DIM(r->pools);
	     i++) {
		struct np_runtime_pool_check *c = &r->pools[r->n_pools];
		struct rte_mempool *mp;
		struct np_plan_pool pp;

		np_plan_pool(rt->plan, i, &pp);
		mp = np_mempools_pool(rt->pools, pp.node);
		if (mp == NULL)
			continue;
		snprintf(c->name, sizeof(c->name), "%s", mp->name);
		c->node = pp.node;
		c->actual_node = np_mempool_node(mp);
		c->size = mp->size;
		/* Counts the mbufs in every lcore's cache as available, as it should. */
		c->in_use = rte_mempool_in_use_count(mp);
		r->not_back += c->in_use;
		r->n_pools++;
	}
}

int
np_runtime_stop(np_runtime *rt, struct np_runtime_stop_report *out)
{
	struct np_runtime_stop_report r;
	char close_msg[256] = "";
	int ret, close_err = 0;

	memset(&r, 0, sizeof(r));
	if (rt == NULL)
		return np_fail(EINVAL, "np_runtime_stop: a runtime is required");
	if (rt->stopped)
		return np_fail(EALREADY, "the runtime is stopped already");
	if (rt->pipeline != NULL) {
		ret = np_pipeline_drain(rt->pipeline, &r.drain);
		if (ret < 0)
			return ret;
	}
	for (unsigned int i = 0; i < rt->p.n_ports; i++) {
		struct rt_port *rp = &rt->ports[i];

		if (rp->started == NULL)
			continue;
		rp->have_stats = rte_eth_stats_get(rp->port_id, &rp->stats) == 0;
		/* Stop and close: the driver frees what its descriptor rings hold. */
		if (np_port_close(rp->started) < 0 && close_err == 0) {
			close_err = errno;
			snprintf(close_msg, sizeof(close_msg), "%s", np_last_error());
		}
		rp->started = NULL;
	}
	rt->stopped = true;
	if (rt->pools != NULL)
		check_pools(rt, &r);
	if (out != NULL)
		*out = r;
	if (r.not_back > 0) {
		for (unsigned int i = 0; i < r.n_pools; i++)
			if (r.pools[i].in_use > 0)
				return np_fail(EIO, "pool %s: %u of %u mbufs are not back after "
					       "the ports closed (leaked by a stage, or held by "
					       "a device): a bug to report", r.pools[i].name,
					       r.pools[i].in_use, r.pools[i].size);
	}
	if (close_err != 0)
		return np_fail(close_err, "%s", close_msg);
	return 0;
}

int
np_runtime_eth_stats(const np_runtime *rt, unsigned int idx, struct rte_eth_stats *out)
{
	const struct rt_port *rp;

	if (rt == NULL || out == NULL || idx >= rt->p.n_ports)
		return -EINVAL;
	rp = &rt->ports[idx];
	if (rp->have_stats) {
		*out = rp->stats;
		return 0;
	}
	if (rp->started == NULL)
		return -ENODEV;
	return rte_eth_stats_get(rp->port_id, out);
}

void
np_runtime_destroy(np_runtime *rt)
{
	if (rt == NULL)
		return;
	rt_stats_free(rt);
	np_pipeline_destroy(rt->pipeline);
	rt_flow_free(rt);
	for (unsigned int i = 0; i < rt->p.n_ports; i++) {
		struct rt_port *rp = &rt->ports[i];

		if (np_port_close(rp->started) < 0)
			NP_LOG(WARNING, "%s", np_last_error());
		/* A vdev probed but never started is closed by rte_eal_cleanup(). */
	}
	np_mempools_destroy(rt->pools);
	if (rt->eal_up && np_eal_cleanup() != 0)
		NP_LOG(WARNING, "rte_eal_cleanup() failed: %s", rte_strerror(rte_errno));
	for (int i = 0; i < rt->eal_argc; i++)
		free(rt->eal_argv[i]);
	free(rt->eal_argv);
	free(rt->lcore_bytes);
	np_plan_destroy(rt->plan);
	if (rt->own_topo)
		np_topo_destroy(rt->topo);
	for (unsigned int i = 0; rt->eal_args && rt->eal_args[i]; i++)
		free(rt->eal_args[i]);
	for (unsigned int i = 0; rt->stages && rt->stages[i]; i++)
		free(rt->stages[i]);
	free(rt->eal_args);
	free(rt->stages);
	free(rt->cpus);
	free(rt->nodes);
	free(rt->name);
	pthread_mutex_destroy(&rt->stats_lock);
	free(rt);
}
