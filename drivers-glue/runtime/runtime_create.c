/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The first half of the bring-up, without EAL: parameters checked and
 * copied, the topology, each port's expected node, the plan.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_dev.h>
#include <rte_hash.h>

#include "np_error_private.h"
#include "runtime_private.h"

NP_LOG_REGISTER(np_runtime_logtype, "numaperf.runtime");

static char *
dup_or_fail(const char *s, bool *failed)
{
	char *d = strdup(s ? s : "");

	*failed |= d == NULL;
	return d;
}

/* Copy every array and string the parameters point to. */
static int
copy_params(np_runtime *rt, const struct np_runtime_params *in)
{
	struct np_runtime_params *p = &rt->p;
	bool failed = false;

	*p = *in;
	rt->name = dup_or_fail(in->name ? in->name : "numaperf", &failed);
	p->name = rt->name;
	if (in->n_cpus > 0) {
		rt->cpus = calloc(in->n_cpus, sizeof(*rt->cpus));
		failed |= rt->cpus == NULL;
		if (rt->cpus)
			memcpy(rt->cpus, in->cpus, in->n_cpus * sizeof(*rt->cpus));
	}
	p->cpus = rt->cpus;
	if (in->n_nodes > 0) {
		rt->nodes = calloc(in->n_nodes, sizeof(*rt->nodes));
		failed |= rt->nodes == NULL;
		if (rt->nodes)
			memcpy(rt->nodes, in->nodes, in->n_nodes * sizeof(*rt->nodes));
	}
	p->nodes = rt->nodes;
	rt->eal_args = calloc(in->n_eal_args + 1, sizeof(char *));
	rt->stages = calloc(in->n_stages + 1, sizeof(char *));
	failed |= rt->eal_args == NULL || rt->stages == NULL;
	for (unsigned int i = 0; !failed && i < in->n_eal_args; i++)
		rt->eal_args[i] = dup_or_fail(in->eal_args[i], &failed);
	for (unsigned int i = 0; !failed && i < in->n_stages; i++)
		rt->stages[i] = dup_or_fail(in->stages[i], &failed);
	p->eal_args = (const char *const *)rt->eal_args;
	p->stages = (const char *const *)rt->stages;
	p->ports = NULL;
	if (in->flow_tables != NULL) {
		rt->flow_tmpl = *in->flow_tables;
		p->flow_tables = &rt->flow_tmpl;
	}
	if (failed)
		return np_fail(ENOMEM, "no memory for the runtime's parameters");
	for (unsigned int i = 0; i < in->n_ports; i++) {
		struct rt_port *rp = &rt->ports[i];

		rp->p = in->ports[i];
		snprintf(rp->pci, sizeof(rp->pci), "%s", in->ports[i].pci ? in->ports[i].pci : "");
		snprintf(rp->vdev, sizeof(rp->vdev), "%s",
			 in->ports[i].vdev ? in->ports[i].vdev : "");
		rp->p.pci = rp->pci[0] ? rp->pci : NULL;
		rp->p.vdev = rp->vdev[0] ? rp->vdev : NULL;
		rp->rx_desc = rp->p.rx_desc;
		rp->tx_desc = rp->p.tx_desc;
	}
	return 0;
}

static int
check_port(const struct np_runtime_port *pp, unsigned int i, unsigned int n_ports)
{
	char param[32];
	bool pci = pp->pci && pp->pci[0], vdev = pp->vdev && pp->vdev[0];

	snprintf(param, sizeof(param), "ports[%u]", i);
	if (pci == vdev)
		return np_fail_param(EINVAL, param, "port %u: give exactly one of a PCI address "
				     "and a vdev", i);
	if (pci && strlen(pp->pci) >= sizeof(((struct rt_port *)0)->pci)) {
		snprintf(param, sizeof(param), "ports[%u].pci", i);
		return np_fail_param(EINVAL, param, "port %u: PCI address \"%.40s\" is too long",
				     i, pp->pci);
	}
	if (vdev) {
		size_t name_len = strcspn(pp->vdev, ",");

		snprintf(param, sizeof(param), "ports[%u].vdev", i);
		if (strlen(pp->vdev) >= sizeof(((struct rt_port *)0)->vdev))
			return np_fail_param(EINVAL, param, "port %u: vdev argument is longer "
					     "than %zu characters", i,
					     sizeof(((struct rt_port *)0)->vdev) - 1);
		/* DPDK cuts longer names: two such names would be "the same device". */
		if (name_len >= RTE_DEV_NAME_MAX_LEN)
			return np_fail_param(EINVAL, param, "port %u: vdev name \"%.*s...\" is "
					     "%zu characters; DPDK's limit is %d", i, 24,
					     pp->vdev, name_len, RTE_DEV_NAME_MAX_LEN - 1);
		if (name_len == 0)
			return np_fail_param(EINVAL, param, "port %u: vdev \"%s\" has no driver "
					     "name before its arguments", i, pp->vdev);
	}
	if (pp->peer != NP_PLAN_PEER_ANY && (pp->peer < 0 || (unsigned int)pp->peer >= n_ports)) {
		snprintf(param, sizeof(param), "ports[%u].peer", i);
		return np_fail_param(EINVAL, param, "port %u: peer %d is not a port (0..%u)", i,
				     pp->peer, n_ports - 1);
	}
	return 0;
}

static int
check_params(const struct np_runtime_params *p)
{
	if (p == NULL || p->ports == NULL || p->n_ports == 0)
		return np_fail(EINVAL, "np_runtime_create: parameters with at least one port "
			       "are required");
	if (p->n_ports > NP_RUNTIME_MAX_PORTS)
		return np_fail_param(EINVAL, "ports", "%u ports: at most %d", p->n_ports,
				     NP_RUNTIME_MAX_PORTS);
	if (p->burst == 0 || p->burst > NP_PIPELINE_MAX_BURST)
		return np_fail_param(EINVAL, "burst", "burst %u is out of range 1..%d",
				     p->burst, NP_PIPELINE_MAX_BURST);
	/*
	 * Pool parameters are checked here, before EAL: a data room without
	 * space for a frame after the headroom otherwise fails only at RX
	 * queue setup ("Invalid argument", naming no parameter), and a cache
	 * above DPDK's maximum only once EAL is up.
	 */
	if (p->data_room < RTE_PKTMBUF_HEADROOM + RTE_ETHER_MIN_LEN)
		return np_fail_param(EINVAL, "data_room", "data_room %u leaves no room for a "
				     "%d-byte frame after the %d-byte headroom: give at least %d "
				     "(RTE_MBUF_DEFAULT_BUF_SIZE, %d, holds a 1518-byte frame)",
				     p->data_room, RTE_ETHER_MIN_LEN, RTE_PKTMBUF_HEADROOM,
				     RTE_PKTMBUF_HEADROOM + RTE_ETHER_MIN_LEN,
				     RTE_MBUF_DEFAULT_BUF_SIZE);
	if (p->cache_size > RTE_MEMPOOL_CACHE_MAX_SIZE)
		return np_fail_param(EINVAL, "cache_size", "cache_size %u exceeds DPDK's "
				     "per-lcore mempool cache maximum %d", p->cache_size,
				     RTE_MEMPOOL_CACHE_MAX_SIZE);
	if (p->n_eal_args > NP_RUNTIME_MAX_EAL_ARGS)
		return np_fail_param(EINVAL, "eal_args", "%u EAL arguments: at most %d",
				     p->n_eal_args, NP_RUNTIME_MAX_EAL_ARGS);
	/* Before EAL: a table np_flow_table_create() would refuse is refused here. */
	if (p->flow_tables != NULL && np_flow_table_memory(p->flow_tables) == 0)
		return np_fail_param(EINVAL, "flow_tables", "flow tables of capacity %u and "
				     "state_size %u: the capacity must be %u..%u and the state at "
				     "most %u bytes", p->flow_tables->capacity,
				     p->flow_tables->state_size, NP_FLOW_MIN_CAPACITY,
				     (unsigned int)RTE_HASH_ENTRIES_MAX, NP_FLOW_MAX_STATE_SIZE);
	if (p->n_stages > NP_PIPELINE_MAX_STAGES)
		return np_fail_param(EINVAL, "stages", "%u stages: at most %d", p->n_stages,
				     NP_PIPELINE_MAX_STAGES);
	if (p->n_eal_args > 0 && (p->eal_args == NULL ||
				  rt_check_eal_args(p->eal_args, p->n_eal_args) < 0))
		return p->eal_args ? -errno : np_fail_param(EINVAL, "eal_args", "%u EAL "
							    "arguments but no array",
							    p->n_eal_args);
	for (unsigned int i = 0; i < p->n_ports; i++)
		if (check_port(&p->ports[i], i, p->n_ports) < 0)
			return -errno;
	return 0;
}

/*
 * The main lcore's node: vdevs and EAL's start-up memory get it, and it is
 * needed before the plan exists. The main lcore is the CPU kept apart for
 * it, or else the lowest worker CPU (np_plan_main_lcore()).
 */
static int
main_node(const np_runtime *rt)
{
	const struct np_runtime_params *p = &rt->p;
	int apart_node = p->main_lcore_apart ? np_topo_cpu_node(rt->topo, p->main_lcore) : -1;
	unsigned int best = UINT32_MAX;

	/* A CPU the machine does not have: the plan refuses it, naming workers.main_lcore. */
	if (apart_node >= 0)
		return apart_node;
	for (unsigned int i = 0; i < p->n_cpus; i++)
		if (p->cpus[i] < best)
			best = p->cpus[i];
	for (unsigned int i = 0; p->n_cpus == 0 && i < np_topo_node_count(rt->topo); i++) {
		int node = np_topo_node_id(rt->topo, i);
		bool sel = p->n_nodes == 0;
		unsigned int cpu;

		for (unsigned int j = 0; j < p->n_nodes; j++)
			sel |= p->nodes[j] == node;
		if (sel && np_topo_node_cpus(rt->topo, node, &cpu, 1) > 0 && cpu < best)
			best = cpu;
	}
	if (best == UINT32_MAX)
		return np_topo_node_id(rt->topo, 0);
	return np_topo_cpu_node(rt->topo, best);
}

int
rt_build_plan(np_runtime *rt)
{
	const struct np_runtime_params *p = &rt->p;
	struct np_plan_port ports[NP_RUNTIME_MAX_PORTS];
	struct np_plan_params pp = {
		.ports = ports, .n_ports = p->n_ports,
		.cpus = p->cpus, .n_cpus = p->n_cpus, .per_node = p->per_node,
		.nodes = p->nodes, .n_nodes = p->n_nodes,
		.main_apart = p->main_lcore_apart, .main_lcore = p->main_lcore,
		.unknown_policy = p->unknown_policy, .unknown_node = p->unknown_node,
		.strict = p->strict, .pool_placement = p->pool_placement,
		.tx_mode = p->tx_mode, .ring_size = p->ring_size, .burst = p->burst,
		.cache_size = p->cache_size, .held_per_port = p->held_per_port,
		/* Executors may hand a packet to any node's worker: it must be able to send. */
		.tx_everywhere = p->exec_ring_size > 0,
	};
	np_plan *plan;

	for (unsigned int i = 0; i < p->n_ports; i++) {
		const struct rt_port *rp = &rt->ports[i];

		ports[i] = (struct np_plan_port){
			.name = rp->pci[0] ? rp->pci : rp->name,
			.node = rp->node.node, .node_source = rp->node.source,
			.node_reason = rp->node.reason, .n_rxq = rp->p.rx_queues,
			.nb_rxd = rp->rx_desc, .nb_txd = rp->tx_desc, .peer = rp->p.peer,
		};
	}
	plan = np_plan_build(rt->topo, &pp);
	if (plan == NULL)
		return -errno;
	np_plan_destroy(rt->plan);
	rt->plan = plan;
	/* What each worker's context will take on its node, for the hugepage check. */
	free(rt->lcore_bytes);
	rt->lcore_bytes = calloc(np_plan_lcore_count(plan), sizeof(uint64_t));
	if (rt->lcore_bytes == NULL)
		return np_fail(ENOMEM, "no memory for the plan's lcore sizes");
	for (unsigned int i = 0; i < np_plan_lcore_count(plan); i++) {
		int64_t b = np_pipeline_lcore_bytes(plan, i, p->stages, p->n_stages);

		rt->lcore_bytes[i] = b > 0 ? (uint64_t)b : 0;
	}
	return 0;
}

int
rt_mempools_opts(const np_runtime *rt, struct np_mempools_opts *mo)
{
	*mo = (struct np_mempools_opts){
		.data_room = rt->p.data_room, .cache_size = rt->p.cache_size,
		.no_numa = rt->p.no_huge, .lcore_bytes = rt->lcore_bytes,
		.worker_node_bytes = rt->p.flow_tables ? np_flow_table_memory(rt->p.flow_tables) : 0,
	};
	return 0;
}

np_runtime *
np_runtime_create(const struct np_runtime_params *params)
{
	np_runtime *rt;
	int err;

	if (check_params(params) < 0)
		return NULL;
	rt = calloc(1, sizeof(*rt));
	if (rt == NULL)
		return np_fail_null(ENOMEM, "no memory for a runtime");
	pthread_mutex_init(&rt->stats_lock, NULL);
	if (copy_params(rt, params) < 0)
		goto fail;
	rt->topo = params->topo;
	if (rt->topo == NULL) {
		rt->topo = np_topo_load();
		rt->own_topo = true;
		if (rt->topo == NULL)
			goto fail;
	}
	rt->main_node = main_node(rt);
	for (unsigned int i = 0; i < rt->p.n_ports; i++) {
		struct rt_port *rp = &rt->ports[i];
		char param[32];

		snprintf(rp->name, sizeof(rp->name), "%.*s",
			 (int)strcspn(rp->pci[0] ? rp->pci : rp->vdev, ","),
			 rp->pci[0] ? rp->pci : rp->vdev);
		if (np_port_node_expect(rt->topo, rp->p.pci, rp->p.vdev, rp->p.node,
					rt->main_node, &rp->node) < 0) {
			snprintf(param, sizeof(param), "ports[%u].%s", i,
				 rp->p.node != NP_NODE_UNKNOWN && errno == ENOENT &&
				 !np_topo_node_exists(rt->topo, rp->p.node) ? "node" :
				 rp->pci[0] ? "pci" : "vdev");
			np_fail_param(errno, param, "port %u: %s", i, np_last_error());
			goto fail;
		}
	}
	if (rt_build_plan(rt) < 0)
		goto fail;
	return rt;
fail:
	err = errno;
	np_runtime_destroy(rt);
	errno = err;
	return NULL;
}

const np_plan *
np_runtime_plan(const np_runtime *rt)
{
	return rt ? rt->plan : NULL;
}

const np_topo *
np_runtime_topo(const np_runtime *rt)
{
	return rt ? rt->topo : NULL;
}

int
np_runtime_print_hugepages(const np_runtime *rt, FILE *f)
{
	struct np_mempools_opts mo;

	if (rt == NULL || f == NULL)
		return np_fail(EINVAL, "np_runtime_print_hugepages: runtime and file are required");
	rt_mempools_opts(rt, &mo);
	if (rt->p.no_huge) {
		fprintf(f, "hugepages: none used (no_huge): EAL takes %.1f MB of anonymous "
			"memory\n", np_mempool_total_bytes(rt->topo, rt->plan, &mo,
							   rt->main_node) / 1048576.0);
		return 0;
	}
	return np_mempool_check_hugepages(rt->topo, rt->plan, &mo, rt->main_node, f);
}

unsigned int
np_runtime_port_count(const np_runtime *rt)
{
	return rt ? rt->p.n_ports : 0;
}

np_port *
np_runtime_port(const np_runtime *rt, unsigned int idx)
{
	if (rt == NULL || idx >= rt->p.n_ports)
		return NULL;
	return rt->ports[idx].started;
}

int
np_runtime_port_info(const np_runtime *rt, unsigned int idx, struct np_port_info *out)
{
	if (rt == NULL || out == NULL || idx >= rt->p.n_ports)
		return -EINVAL;
	if (!rt->ports[idx].have_info)
		return -ENODEV;
	*out = rt->ports[idx].info;
	return 0;
}

int
np_runtime_port_id(const np_runtime *rt, unsigned int idx)
{
	if (rt == NULL || idx >= rt->p.n_ports)
		return -EINVAL;
	return rt->ports[idx].found ? rt->ports[idx].port_id : -ENODEV;
}

const np_mempools *
np_runtime_pools(const np_runtime *rt)
{
	return rt ? rt->pools : NULL;
}

struct rte_mempool *
np_runtime_rxq_pool(const np_runtime *rt, unsigned int port, uint16_t queue)
{
	if (rt == NULL || rt->pools == NULL || port >= rt->p.n_ports) {
		errno = EINVAL;
		return NULL;
	}
	for (unsigned int i = 0; i < np_plan_rxq_count(rt->plan); i++) {
		struct np_plan_rxq q;

		np_plan_rxq(rt->plan, i, &q);
		if (q.port == port && q.queue == queue)
			return np_mempools_pool(rt->pools, q.pool_node);
	}
	errno = ENOENT;
	return NULL;
}

int
np_runtime_socket(const np_runtime *rt, int node)
{
	if (rt == NULL || rt->pools == NULL)
		return -EINVAL;
	return np_mempools_socket(rt->pools, node);
}

bool
np_runtime_no_huge(const np_runtime *rt)
{
	return rt != NULL && rt->p.no_huge;
}

np_pipeline *
np_runtime_get_pipeline(const np_runtime *rt)
{
	return rt ? rt->pipeline : NULL;
}
