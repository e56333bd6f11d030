/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The second half of the bring-up: memory checked before EAL, EAL, the
 * ports as DPDK sees them, the plan again, pools and rings on their nodes,
 * the ports started; then the pipeline and its run.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include "np_error_private.h"
#include "runtime_private.h"

/* Memory the machine can give an anonymous EAL heap now (MemAvailable). */
static uint64_t
mem_available(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	uint64_t kb = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "MemAvailable: %" SCNu64 " kB", &kb) == 1)
			break;
	fclose(f);
	return kb << 10;
}

/* Before EAL: every node has the hugepages it needs, or no_huge fits in RAM. */
static int
check_memory(np_runtime *rt)
{
	struct np_mempools_opts mo;

	rt_mempools_opts(rt, &mo);
	if (rt->p.no_huge) {
		uint64_t need = np_mempool_total_bytes(rt->topo, rt->plan, &mo, rt->main_node);
		uint64_t avail = mem_available();

		/* EAL --no-huge takes -m at once; a plan larger than the machine fills RAM. */
		if (avail > 0 && need + (64ULL << 20) > avail)
			return np_fail_param(ENOMEM, "no_huge", "without hugepages EAL would take "
					     "%" PRIu64 " MB of anonymous memory for the plan, and "
					     "this machine has %" PRIu64 " MB available: use fewer "
					     "or smaller pools (descriptors, data room, ports, "
					     "workers) or hugepages", (need >> 20) + 64, avail >> 20);
		return 0;
	}
	return np_mempool_check_hugepages(rt->topo, rt->plan, &mo, rt->main_node,
					  rt->p.verbose);
}

static const char *
node_word(int node, char *buf, size_t len)
{
	if (node == NP_NODE_UNKNOWN)
		snprintf(buf, len, "unknown (-1)");
	else
		snprintf(buf, len, "%d", node);
	return buf;
}

/* Create the vdevs one by one: a refusal names its port and what DPDK said. */
static int
probe_vdevs(np_runtime *rt)
{
	for (unsigned int i = 0; i < rt->p.n_ports; i++) {
		struct rt_port *rp = &rt->ports[i];
		const char *args = strchr(rp->vdev, ',');
		char param[32];
		int ret;

		if (rp->pci[0])
			continue;
		snprintf(param, sizeof(param), "ports[%u].vdev", i);
		ret = rte_vdev_init(rp->name, args ? args + 1 : "");
		/*
		 * DPDK says -1 both when no driver's name starts the device name
		 * and when the driver refused its arguments: say both, not EPERM.
		 */
		if (ret == -EEXIST)
			return np_fail_param(EEXIST, param, "port %u: DPDK refused virtual device "
					     "\"%s\": a device named %s exists already", i,
					     rp->vdev, rp->name);
		if (ret < 0)
			return np_fail_param(ret == -1 ? EINVAL : -ret, param, "port %u: DPDK "
					     "refused virtual device \"%s\": %s", i, rp->vdev,
					     ret == -1 ? "no driver's name starts its name, or the "
					     "driver refused its arguments (a ring or file it "
					     "names may be in use by another port): see DPDK's "
					     "message above" : rte_strerror(-ret));
		rp->vdev_probed = true;
	}
	return 0;
}

/* Each port as DPDK probed it; @p changed says whether to plan again. */
static int
probe_ports(np_runtime *rt, bool *changed)
{
	*changed = false;
	for (unsigned int i = 0; i < rt->p.n_ports; i++) {
		struct rt_port *rp = &rt->ports[i];
		struct np_port_node n;
		uint16_t rxd = rp->p.rx_desc, txd = rp->p.tx_desc;
		char param[32], was[24], now[24];

		snprintf(param, sizeof(param), "ports[%u].%s", i, rp->pci[0] ? "pci" : "vdev");
		if (np_port_find(rp->name, &rp->port_id) < 0)
			return np_fail_param(ENODEV, param, "port %u: %s", i, np_last_error());
		rp->found = true;
		if (np_port_node_probe(rp->port_id, rp->p.node, &n) < 0 ||
		    np_port_adjust_desc(rp->port_id, &rxd, &txd) < 0)
			return np_fail_param(errno, param, "port %u: %s", i, np_last_error());
		if (n.node != rp->node.node) {
			NP_LOG(WARNING, "port %u (%s): DPDK reports node %s, the topology said "
			       "node %s: planning again with DPDK's (%s)", i, rp->name,
			       node_word(n.node, now, sizeof(now)),
			       node_word(rp->node.node, was, sizeof(was)),
			       n.node == NP_NODE_UNKNOWN ? "the unknown-node policy decides" :
			       "the port's queues and pools go to that node");
			*changed = true;
		}
		rp->node = n;
		*changed |= rxd != rp->rx_desc || txd != rp->tx_desc;
		rp->rx_desc = rxd;
		rp->tx_desc = txd;
	}
	return 0;
}

int
np_runtime_start(np_runtime *rt)
{
	struct np_mempools_opts mo;
	bool changed;

	if (rt == NULL)
		return np_fail(EINVAL, "np_runtime_start: a runtime is required");
	if (rt->eal_up)
		return np_fail(EALREADY, "the runtime is started already");
	/* A described machine plans; only this machine can run. */
	if (np_topo_source(rt->topo) != NP_TOPO_LIVE)
		return np_fail_param(EPERM, "topo", "the topology is a described machine (%s), not this "
			       "one: it can plan (a dry run) but not run; unset NP_TOPOLOGY "
			       "to run here", np_topo_source_name(rt->topo));
	if (check_memory(rt) < 0)
		return -errno;
	np_clear_error();
	if (rt_start_eal(rt) < 0 || probe_vdevs(rt) < 0 || probe_ports(rt, &changed) < 0)
		return -errno;
	if (changed && rt_build_plan(rt) < 0)
		return -errno;
	rt_mempools_opts(rt, &mo);
	rt->pools = np_mempools_create(rt->plan, &mo);
	if (rt->pools == NULL)
		return -errno;
	for (unsigned int i = 0; i < rt->p.n_ports; i++) {
		struct rt_port *rp = &rt->ports[i];
		struct np_port_opts po = { .promiscuous = rp->p.promiscuous };
		char param[32];

		rp->started = np_port_start(rt->plan, i, rp->port_id, rt->pools, &po);
		if (rp->started == NULL) {
			snprintf(param, sizeof(param), "ports[%u]", i);
			return np_fail_param(errno, param, "port %u (%s): %s", i, rp->name,
					     np_last_error());
		}
		rp->have_info = np_port_info(rp->started, &rp->info) == 0;
	}
	if (rt->p.flow_tables != NULL && np_runtime_flow_tables(rt, rt->p.flow_tables) < 0)
		return np_fail_param(errno, "flow_tables", "%s", np_last_error());
	return 0;
}

np_pipeline *
np_runtime_pipeline(np_runtime *rt, const char *const *stages, unsigned int n_stages)
{
	struct rte_ring *rings[NP_PLAN_MAX_PORTS + 1];
	struct rte_mempool *pools[NP_PIPELINE_MAX_POOLS];
	uint16_t port_ids[NP_RUNTIME_MAX_PORTS];
	struct np_pipeline_params pp;

	if (rt == NULL || rt->pools == NULL)
		return np_fail_null(EINVAL, "np_runtime_pipeline: start the runtime first");
	if (rt->pipeline != NULL)
		return np_fail_null(EEXIST, "the runtime has a pipeline already");
	for (unsigned int i = 0; i < rt->p.n_ports; i++)
		port_ids[i] = rt->ports[i].port_id;
	for (unsigned int i = 0; i < np_plan_ring_count(rt->plan) && i < RTE_DIM(rings); i++) {
		struct np_plan_ring r;

		np_plan_ring(rt->plan, i, &r);
		rings[i] = np_mempools_ring(rt->pools, r.node);
	}
	for (unsigned int i = 0; i < np_plan_pool_count(rt->plan) && i < RTE_DIM(pools); i++) {
		struct np_plan_pool ppool;

		np_plan_pool(rt->plan, i, &ppool);
		pools[i] = np_mempools_pool(rt->pools, ppool.node);
	}
	pp = (struct np_pipeline_params){
		.plan = rt->plan, .port_ids = port_ids, .rings = rings, .stages = stages,
		.n_stages = n_stages, .burst = rt->p.burst, .tx_drain_us = rt->p.tx_drain_us,
		.socket_override = rt->p.no_huge ? np_mempools_socket(rt->pools, 0) : -1,
		.pools = pools,
		.n_pools = RTE_MIN(np_plan_pool_count(rt->plan), (unsigned int)RTE_DIM(pools)),
		.latency = rt->p.latency, .topo = rt->topo,
		.exec_ring_size = rt->p.exec_ring_size,
	};
	rt->pipeline = np_pipeline_create(&pp);
	if (rt->pipeline != NULL)
		rt_telemetry_register(rt);
	return rt->pipeline;
}

/* One runtime per process receives the signals. */
static np_runtime *signalled;

static void
on_signal(int sig)
{
	np_runtime *rt = signalled;

	if (rt == NULL)
		return;
	rt->stop_signal = sig;
	np_pipeline_stop(rt->pipeline);
	/* A second signal of the same kind is not caught again: it ends the process. */
	signal(sig, SIG_DFL);
}

int
np_runtime_handle_signals(np_runtime *rt)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	if (rt == NULL)
		return np_fail(EINVAL, "np_runtime_handle_signals: a runtime is required");
	signalled = rt;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (unsigned int i = 0; i < RTE_DIM(sigs); i++)
		if (sigaction(sigs[i], &sa, NULL) < 0)
			return np_fail(errno, "cannot catch signal %d: %s", sigs[i],
				       strerror(errno));
	return 0;
}

void
np_runtime_stop_async(np_runtime *rt)
{
	if (rt != NULL)
		np_pipeline_stop(rt->pipeline);
}

int
np_runtime_stop_signal(const np_runtime *rt)
{
	return rt ? rt->stop_signal : 0;
}

int
np_runtime_run(np_runtime *rt, double seconds)
{
	int ret;

	if (rt == NULL || rt->pipeline == NULL)
		return np_fail(EINVAL, "np_runtime_run: create the pipeline first");
	/* A signal that came before the loops started still stops them. */
	if (rt->stop_signal)
		np_pipeline_stop(rt->pipeline);
	ret = rt_monitor_start(rt);
	if (ret < 0)
		return ret;
	ret = np_pipeline_run(rt->pipeline, seconds);
	rt_monitor_stop(rt);
	/* The whole run's last interval, so interval percentiles are never empty. */
	pthread_mutex_lock(&rt->stats_lock);
	np_pipeline_stats_tick(rt->pipeline);
	pthread_mutex_unlock(&rt->stats_lock);
	return ret;
}
