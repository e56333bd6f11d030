/* SPDX-License-Identifier: BSD-3-Clause */
/* Building a plan: workers, port nodes, RX queue spreading, TX queues. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np_error_private.h"
#include "plan_private.h"

int
plan_warn(np_plan *plan, const char *fmt, ...)
{
	char **w;
	char *s;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		plan->warn_failed = true;
		return np_fail(ENOMEM, "plan: no memory for a warning");
	}
	w = realloc(plan->warnings, (plan->n_warnings + 1) * sizeof(*w));
	if (w == NULL) {
		free(s);
		plan->warn_failed = true;
		return np_fail(ENOMEM, "plan: no memory for a warning");
	}
	w[plan->n_warnings++] = s;
	plan->warnings = w;
	return 0;
}

void
np_plan_destroy(np_plan *plan)
{
	if (plan == NULL)
		return;
	for (unsigned int i = 0; i < plan->n_ports; i++)
		free(plan->ports[i].name);
	for (unsigned int i = 0; i < plan->n_warnings; i++)
		free(plan->warnings[i]);
	free(plan->warnings);
	free(plan->ports);
	free(plan->workers);
	free(plan->rxqs);
	free(plan->txqs);
	free(plan->txq_of);
	free(plan->pools);
	free(plan->rings);
	free(plan->topo_name);
	free(plan);
}

static int
cmp_worker(const void *a, const void *b)
{
	const struct plan_worker *x = a, *y = b;

	return (x->cpu > y->cpu) - (x->cpu < y->cpu);
}

static int
add_worker(np_plan *plan, const np_topo *topo, unsigned int cpu)
{
	int node = np_topo_cpu_node(topo, cpu);

	if (node < 0)
		return np_fail_param(ENOENT, "workers.cpus", "worker CPU %u does not exist "
				     "in topology %s (%u CPUs): list existing CPUs", cpu,
				     plan->topo_name, np_topo_cpu_count(topo));
	for (unsigned int i = 0; i < plan->n_workers; i++)
		if (plan->workers[i].cpu == cpu)
			return np_fail_param(EEXIST, "workers.cpus", "worker CPU %u is listed "
					     "twice: list each CPU once", cpu);
	if (plan->n_workers >= NP_PLAN_MAX_WORKERS)
		return np_fail_param(EINVAL, "workers", "more than %d workers",
				     NP_PLAN_MAX_WORKERS);
	plan->workers[plan->n_workers].cpu = cpu;
	plan->workers[plan->n_workers].node = node;
	plan->workers[plan->n_workers].mem_node = plan_memory_node(topo, node);
	plan->n_workers++;
	return 0;
}

static int
add_node_workers(np_plan *plan, const np_topo *topo, int node, unsigned int per_node)
{
	unsigned int cpus[NP_PLAN_MAX_WORKERS + 1];
	int n = np_topo_node_cpus(topo, node, cpus, NP_PLAN_MAX_WORKERS + 1);
	bool main_here = false;
	int ret;

	if (n < 0)
		return np_fail_param(ENOENT, "workers.nodes", "worker node %d does not exist "
				     "in topology %s", node, plan->topo_name);
	if (n == 0)
		return np_fail_param(ENODEV, "workers.nodes", "worker node %d has no CPU "
				     "(memory only): remove it from the worker nodes", node);
	/* The main lcore kept apart is no worker: its node has one CPU fewer for them. */
	for (int i = 0; plan->main_apart && i < n && i <= NP_PLAN_MAX_WORKERS; i++)
		main_here |= cpus[i] == plan->main_lcore;
	if ((unsigned int)n - main_here < per_node)
		return np_fail_param(ERANGE, "workers.per_node", "%u workers per node, but "
				     "node %d has only %d CPU%s%s: ask for fewer per node or "
				     "list the CPUs", per_node, node, n - main_here,
				     n - main_here == 1 ? "" : "s",
				     main_here ? " besides the main lcore" : "");
	for (unsigned int i = 0, added = 0; added < per_node; i++) {
		if (main_here && cpus[i] == plan->main_lcore)
			continue;
		ret = add_worker(plan, topo, cpus[i]);
		if (ret < 0)
			return ret;
		added++;
	}
	return 0;
}

/* The main lcore kept apart: a CPU of the machine that no worker takes. */
static int
check_main_lcore(const np_plan *plan, const np_topo *topo, const struct np_plan_params *p)
{
	if (!p->main_apart)
		return 0;
	if (np_topo_cpu_node(topo, p->main_lcore) < 0)
		return np_fail_param(ENOENT, "workers.main_lcore", "main lcore CPU %u does "
				     "not exist in topology %s (%u CPUs): choose an existing "
				     "CPU", p->main_lcore, plan->topo_name,
				     np_topo_cpu_count(topo));
	for (unsigned int i = 0; p->per_node == 0 && i < p->n_cpus; i++)
		if (p->cpus[i] == p->main_lcore)
			return np_fail_param(EEXIST, "workers.main_lcore", "CPU %u is both the "
					     "main lcore and a worker: a main lcore kept apart "
					     "does not forward; choose a CPU that is not a worker, "
					     "or drop it from the workers", p->main_lcore);
	return 0;
}

static int
plan_workers(np_plan *plan, const np_topo *topo, const struct np_plan_params *p)
{
	int ret;

	if ((p->cpus != NULL && p->n_cpus > 0) == (p->per_node > 0))
		return np_fail_param(EINVAL, "workers", "give either a list of worker CPUs "
				     "or a number per node, not %s",
				     p->per_node ? "both" : "neither");
	plan->workers = calloc(NP_PLAN_MAX_WORKERS, sizeof(*plan->workers));
	if (plan->workers == NULL)
		return np_fail(ENOMEM, "plan: no memory for workers");
	plan->main_apart = p->main_apart;
	plan->main_lcore = p->main_lcore;
	ret = check_main_lcore(plan, topo, p);
	if (ret < 0)
		return ret;
	if (p->per_node == 0) {
		if (p->n_cpus > NP_PLAN_MAX_WORKERS)
			return np_fail_param(EINVAL, "workers.cpus", "%u workers: at most %d",
					     p->n_cpus, NP_PLAN_MAX_WORKERS);
		for (unsigned int i = 0; i < p->n_cpus; i++) {
			ret = add_worker(plan, topo, p->cpus[i]);
			if (ret < 0)
				return ret;
		}
	} else if (p->nodes != NULL) {
		for (unsigned int i = 0; i < p->n_nodes; i++) {
			for (unsigned int j = 0; j < i; j++)
				if (p->nodes[j] == p->nodes[i])
					return np_fail_param(EEXIST, "workers.nodes", "worker "
							     "node %d is listed twice",
							     p->nodes[i]);
			ret = add_node_workers(plan, topo, p->nodes[i], p->per_node);
			if (ret < 0)
				return ret;
		}
	} else {
		for (unsigned int i = 0; i < np_topo_node_count(topo); i++) {
			int node = np_topo_node_id(topo, i);

			if (np_topo_node_cpus(topo, node, NULL, 0) == 0)
				continue; /* memory-only nodes host no worker */
			ret = add_node_workers(plan, topo, node, p->per_node);
			if (ret < 0)
				return ret;
		}
	}
	if (plan->n_workers == 0)
		return np_fail_param(ENODEV, "workers", "no worker: the worker parameters "
				     "select no CPU");
	qsort(plan->workers, plan->n_workers, sizeof(*plan->workers), cmp_worker);
	return 0;
}

/* "ports[2].rx_queues": the parameter a port's failure is about. */
static const char *
port_param(char *buf, size_t len, unsigned int port, const char *field)
{
	snprintf(buf, len, "ports[%u]%s%s", port, field[0] ? "." : "", field);
	return buf;
}

static int
check_params(const np_topo *topo, const struct np_plan_params *p)
{
	if (p->n_ports == 0 || p->n_ports > NP_PLAN_MAX_PORTS || p->ports == NULL)
		return np_fail_param(EINVAL, "ports", "plan: %u ports; give 1 to %d",
				     p->n_ports, NP_PLAN_MAX_PORTS);
	if (p->burst == 0)
		return np_fail_param(EINVAL, "burst", "plan: burst must be at least 1");
	if (p->tx_mode != NP_TX_BY_POLLER && p->tx_mode != NP_TX_BY_HANDOFF)
		return np_fail_param(EINVAL, "tx_mode", "plan: tx mode %d is not poller or "
				     "handoff", (int)p->tx_mode);
	if (p->pool_placement != NP_POOL_AT_PORT && p->pool_placement != NP_POOL_AT_POLLER)
		return np_fail_param(EINVAL, "pool_placement", "plan: pool placement %d is "
				     "not port or poller", (int)p->pool_placement);
	if (p->tx_mode == NP_TX_BY_HANDOFF &&
	    (p->ring_size < 2 || (p->ring_size & (p->ring_size - 1)) != 0))
		return np_fail_param(EINVAL, "ring_size", "plan: handoff ring size %u is not "
				     "a power of 2 >= 2", p->ring_size);
	if (p->unknown_policy == NP_UNKNOWN_FIXED_NODE &&
	    !np_topo_node_exists(topo, p->unknown_node))
		return np_fail_param(ENOENT, "unknown_node", "unknown-node policy 'node %d': "
				     "no such node in topology %s; use an existing node or "
				     "nearest-worker", p->unknown_node,
				     np_topo_source_name(topo));
	for (unsigned int i = 0; i < p->n_ports; i++) {
		const struct np_plan_port *pt = &p->ports[i];
		const char *name = pt->name ? pt->name : "(unnamed)";
		char param[32];

		if (pt->name == NULL || pt->name[0] == '\0')
			return np_fail_param(EINVAL, port_param(param, sizeof(param), i, ""),
					     "plan: port %u has no name", i);
		if (pt->n_rxq == 0 || pt->n_rxq > NP_PLAN_MAX_QUEUES)
			return np_fail_param(EINVAL, port_param(param, sizeof(param), i,
								"rx_queues"),
					     "port %s: %u RX queues; give 1 to %d", name,
					     pt->n_rxq, NP_PLAN_MAX_QUEUES);
		if (pt->nb_rxd == 0 || pt->nb_txd == 0)
			return np_fail_param(EINVAL, port_param(param, sizeof(param), i,
								pt->nb_rxd ? "tx_desc" :
								"rx_desc"),
					     "port %s: descriptor counts must be at least 1 "
					     "(rx %u, tx %u)", name, pt->nb_rxd, pt->nb_txd);
		if (pt->peer != NP_PLAN_PEER_ANY &&
		    (pt->peer < 0 || (unsigned int)pt->peer >= p->n_ports))
			return np_fail_param(EINVAL, port_param(param, sizeof(param), i, "peer"),
					     "port %s: peer %d is not a port index (0..%u) or "
					     "NP_PLAN_PEER_ANY", name, pt->peer, p->n_ports - 1);
		if (pt->node == NP_NODE_ANY)
			return np_fail_param(EINVAL, port_param(param, sizeof(param), i, "node"),
					     "port %s: node -1 (any) is not a node: give "
					     "NP_NODE_UNKNOWN when the node is not known", name);
		if (pt->node != NP_NODE_UNKNOWN && !np_topo_node_exists(topo, pt->node))
			return np_fail_param(ENOENT, port_param(param, sizeof(param), i, "node"),
					     "port %s: node %d does not exist in topology %s",
					     name, pt->node, np_topo_source_name(topo));
		if (pt->node == NP_NODE_UNKNOWN && pt->node_source == NP_NODE_FROM_CONFIG)
			return np_fail_param(EINVAL, port_param(param, sizeof(param), i, "node"),
					     "port %s: a node given for the port cannot be "
					     "unknown", name);
	}
	return 0;
}

/* The worker of @p node with the fewest RX queues, ties to the lowest CPU. */
static struct plan_worker *
least_loaded(np_plan *plan, int node)
{
	struct plan_worker *best = NULL;

	for (unsigned int i = 0; i < plan->n_workers; i++) {
		struct plan_worker *w = &plan->workers[i];

		if (w->node == node && (best == NULL || w->n_rxq < best->n_rxq))
			best = w;
	}
	return best;
}

static unsigned int
worker_index(const np_plan *plan, unsigned int cpu)
{
	for (unsigned int i = 0; i < plan->n_workers; i++)
		if (plan->workers[i].cpu == cpu)
			return i;
	return plan->n_workers;
}

static int
place_port(np_plan *plan, const np_topo *topo, const struct np_plan_params *p,
	   unsigned int idx, unsigned int *rxq_of_port)
{
	struct plan_port *pp = &plan->ports[idx];
	struct np_plan_port_info *in = &pp->info;
	int node, poll, mem;

	if (pp->node_known) {
		node = in->device_node;
	} else {
		node = plan_decide_unknown_node(plan, topo, p, idx);
		if (node < 0)
			return node;
		in->node_source = NP_NODE_FROM_POLICY;
	}
	in->node = node;
	poll = plan_poll_node(plan, topo, p->strict, idx);
	if (poll < 0)
		return poll;
	in->poll_node = poll;
	mem = plan_memory_node(topo, node);
	if (mem != node)
		plan_warn(plan, "port %s: node %d has no memory; its descriptor rings "
			  "and pool go to node %d (distance %d)", pp->name, node, mem,
			  np_topo_distance(topo, node, mem));
	in->mem_node = mem;
	in->node_reason = pp->reason;

	for (uint16_t q = 0; q < in->n_rxq; q++) {
		struct np_plan_rxq *r = &plan->rxqs[rxq_of_port[idx] + q];
		struct plan_worker *w = least_loaded(plan, poll);

		w->n_rxq++;
		r->port = idx;
		r->queue = q;
		r->lcore = w->cpu;
		r->lcore_node = w->node;
		r->desc_node = mem;
		r->pool_node = p->pool_placement == NP_POOL_AT_PORT ? mem : w->mem_node;
		r->poller_local = w->node == node;
		r->pool_local = r->pool_node == node;
	}
	return 0;
}

/* Does worker @p w send on port @p port? (Rule 6 of np_plan.h.) */
static bool
sends_on(const np_plan *plan, unsigned int w, unsigned int port)
{
	const struct plan_worker *wk = &plan->workers[w];

	if (plan->tx_mode == NP_TX_BY_HANDOFF)
		return wk->node == plan->ports[port].info.poll_node;
	if (plan->tx_everywhere)
		return true;
	for (unsigned int i = 0; i < plan->n_rxqs; i++) {
		const struct np_plan_rxq *r = &plan->rxqs[i];
		int peer = plan->ports[r->port].info.peer;

		if (r->lcore == wk->cpu &&
		    (peer == NP_PLAN_PEER_ANY || (unsigned int)peer == port))
			return true;
	}
	return false;
}

static int
plan_txqs(np_plan *plan)
{
	unsigned int n = 0;

	plan->txq_of = malloc(sizeof(int) * plan->n_workers * plan->n_ports);
	plan->txqs = calloc((size_t)plan->n_workers * plan->n_ports, sizeof(*plan->txqs));
	if (plan->txq_of == NULL || plan->txqs == NULL)
		return np_fail(ENOMEM, "plan: no memory for TX queues");
	for (unsigned int port = 0; port < plan->n_ports; port++) {
		struct np_plan_port_info *pi = &plan->ports[port].info;
		uint16_t q = 0;

		for (unsigned int w = 0; w < plan->n_workers; w++) {
			struct plan_worker *wk = &plan->workers[w];

			plan->txq_of[w * plan->n_ports + port] = -1;
			if (!sends_on(plan, w, port))
				continue;
			plan->txq_of[w * plan->n_ports + port] = q;
			plan->txqs[n].port = port;
			plan->txqs[n].queue = q++;
			plan->txqs[n].lcore = wk->cpu;
			plan->txqs[n].lcore_node = wk->node;
			plan->txqs[n].desc_node = pi->mem_node;
			wk->n_txq++;
			n++;
		}
		pi->n_txq = q;
	}
	plan->n_txqs = n;
	return 0;
}

static void
warn_idle_workers(np_plan *plan)
{
	for (unsigned int w = 0; w < plan->n_workers; w++) {
		const struct plan_worker *wk = &plan->workers[w];

		if (wk->n_rxq > 0)
			continue;
		if (plan->tx_mode == NP_TX_BY_HANDOFF && wk->n_txq > 0)
			plan_warn(plan, "lcore %u (node %d) polls no RX queue: it only "
				  "drains the handoff ring of node %d", wk->cpu, wk->node,
				  wk->node);
		else
			plan_warn(plan, "lcore %u (node %d) has no RX queue to poll and "
				  "will idle: remove it from the workers or give the ports "
				  "more RX queues", wk->cpu, wk->node);
	}
}

np_plan *
np_plan_build(const np_topo *topo, const struct np_plan_params *p)
{
	np_plan *plan;
	unsigned int rxq_of_port[NP_PLAN_MAX_PORTS];
	unsigned int total = 0;
	int ret;

	if (topo == NULL || p == NULL)
		return np_fail_null(EINVAL, "np_plan_build: topology and parameters "
				    "are required");
	if (check_params(topo, p) < 0)
		return NULL;
	plan = calloc(1, sizeof(*plan));
	if (plan == NULL)
		return np_fail_null(ENOMEM, "plan: no memory");
	plan->topo_name = strdup(np_topo_source_name(topo));
	plan->n_topo_nodes = np_topo_node_count(topo);
	plan->tx_mode = p->tx_mode;
	plan->tx_everywhere = p->tx_everywhere;
	plan->pool_placement = p->pool_placement;
	plan->burst = p->burst;
	plan->cache_size = p->cache_size;
	plan->ports = calloc(p->n_ports, sizeof(*plan->ports));
	if (plan->topo_name == NULL || plan->ports == NULL) {
		np_fail(ENOMEM, "plan: no memory");
		goto fail;
	}
	plan->n_ports = p->n_ports;
	if (plan_workers(plan, topo, p) < 0)
		goto fail;

	for (unsigned int i = 0; i < p->n_ports; i++) {
		const struct np_plan_port *pt = &p->ports[i];
		struct plan_port *pp = &plan->ports[i];

		pp->name = strdup(pt->name);
		if (pp->name == NULL) {
			np_fail(ENOMEM, "plan: no memory");
			goto fail;
		}
		pp->node_known = pt->node != NP_NODE_UNKNOWN;
		pp->info.name = pp->name;
		pp->info.device_node = pt->node;
		pp->info.node_source = pt->node_source;
		pp->info.n_rxq = pt->n_rxq;
		pp->info.nb_rxd = pt->nb_rxd;
		pp->info.nb_txd = pt->nb_txd;
		pp->info.peer = pt->peer;
		pp->info.node_reason = pp->reason;
		if (pp->node_known)
			snprintf(pp->reason, sizeof(pp->reason), "%s",
				 pt->node_reason ? pt->node_reason :
				 pt->node_source == NP_NODE_FROM_CONFIG ?
				 "set by the configuration" : "reported by the device");
		rxq_of_port[i] = total;
		total += pt->n_rxq;
	}
	plan->rxqs = calloc(total, sizeof(*plan->rxqs));
	if (plan->rxqs == NULL) {
		np_fail(ENOMEM, "plan: no memory for %u RX queues", total);
		goto fail;
	}
	plan->n_rxqs = total;

	/* Known nodes first, so nearest-worker sees their load (np_plan.h). */
	for (int pass = 0; pass < 2; pass++)
		for (unsigned int i = 0; i < p->n_ports; i++)
			if (plan->ports[i].node_known == (pass == 0) &&
			    place_port(plan, topo, p, i, rxq_of_port) < 0)
				goto fail;

	if (plan_txqs(plan) < 0)
		goto fail;
	warn_idle_workers(plan);
	ret = plan_size_pools(plan, topo, p);
	if (ret < 0)
		goto fail;
	if (plan->warn_failed) {
		/* A plan whose warnings were lost would hide remote placement. */
		np_fail(ENOMEM, "plan: no memory for its warnings");
		goto fail;
	}
	return plan;
fail:
	ret = errno;
	np_plan_destroy(plan);
	errno = ret;
	return NULL;
}

/* ---- queries ------------------------------------------------------------- */

unsigned int
np_plan_port_count(const np_plan *plan)
{
	return plan ? plan->n_ports : 0;
}

int
np_plan_port(const np_plan *plan, unsigned int idx, struct np_plan_port_info *out)
{
	if (plan == NULL || out == NULL || idx >= plan->n_ports)
		return -EINVAL;
	*out = plan->ports[idx].info;
	return 0;
}

unsigned int
np_plan_rxq_count(const np_plan *plan)
{
	return plan ? plan->n_rxqs : 0;
}

int
np_plan_rxq(const np_plan *plan, unsigned int idx, struct np_plan_rxq *out)
{
	if (plan == NULL || out == NULL || idx >= plan->n_rxqs)
		return -EINVAL;
	*out = plan->rxqs[idx];
	return 0;
}

unsigned int
np_plan_txq_count(const np_plan *plan)
{
	return plan ? plan->n_txqs : 0;
}

int
np_plan_txq(const np_plan *plan, unsigned int idx, struct np_plan_txq *out)
{
	if (plan == NULL || out == NULL || idx >= plan->n_txqs)
		return -EINVAL;
	*out = plan->txqs[idx];
	return 0;
}

int
np_plan_lcore_txq(const np_plan *plan, unsigned int lcore, unsigned int port)
{
	unsigned int w;

	if (plan == NULL || port >= plan->n_ports)
		return -EINVAL;
	w = worker_index(plan, lcore);
	if (w == plan->n_workers || plan->txq_of[w * plan->n_ports + port] < 0)
		return -ENOENT;
	return plan->txq_of[w * plan->n_ports + port];
}

unsigned int
np_plan_lcore_count(const np_plan *plan)
{
	return plan ? plan->n_workers : 0;
}

int
np_plan_lcore(const np_plan *plan, unsigned int idx, struct np_plan_lcore *out)
{
	if (plan == NULL || out == NULL || idx >= plan->n_workers)
		return -EINVAL;
	out->lcore = plan->workers[idx].cpu;
	out->node = plan->workers[idx].node;
	out->mem_node = plan->workers[idx].mem_node;
	out->n_rxq = plan->workers[idx].n_rxq;
	out->n_txq = plan->workers[idx].n_txq;
	return 0;
}

int
np_plan_main_lcore(const np_plan *plan, bool *apart)
{
	if (plan == NULL)
		return -EINVAL;
	if (apart != NULL)
		*apart = plan->main_apart;
	if (plan->main_apart)
		return (int)plan->main_lcore;
	/* Workers are sorted by CPU: the first is the lowest. */
	return plan->n_workers > 0 ? (int)plan->workers[0].cpu : -EINVAL;
}

unsigned int
np_plan_pool_count(const np_plan *plan)
{
	return plan ? plan->n_pools : 0;
}

int
np_plan_pool(const np_plan *plan, unsigned int idx, struct np_plan_pool *out)
{
	if (plan == NULL || out == NULL || idx >= plan->n_pools)
		return -EINVAL;
	*out = plan->pools[idx];
	return 0;
}

int
np_plan_pool_index(const np_plan *plan, int node)
{
	if (plan == NULL)
		return -EINVAL;
	for (unsigned int i = 0; i < plan->n_pools; i++)
		if (plan->pools[i].node == node)
			return (int)i;
	return -ENOENT;
}

unsigned int
np_plan_ring_count(const np_plan *plan)
{
	return plan ? plan->n_rings : 0;
}

int
np_plan_ring(const np_plan *plan, unsigned int idx, struct np_plan_ring *out)
{
	if (plan == NULL || out == NULL || idx >= plan->n_rings)
		return -EINVAL;
	*out = plan->rings[idx];
	return 0;
}

unsigned int
np_plan_warning_count(const np_plan *plan)
{
	return plan ? plan->n_warnings : 0;
}

const char *
np_plan_warning(const np_plan *plan, unsigned int idx)
{
	if (plan == NULL || idx >= plan->n_warnings)
		return NULL;
	return plan->warnings[idx];
}

const char *
np_node_source_name(enum np_node_source src)
{
	switch (src) {
	case NP_NODE_FROM_DEVICE: return "device";
	case NP_NODE_FROM_CONFIG: return "config";
	case NP_NODE_FROM_POLICY: return "policy";
	}
	return "?";
}

const char *
np_unknown_node_policy_name(enum np_unknown_node_policy p)
{
	switch (p) {
	case NP_UNKNOWN_NEAREST_WORKER: return "nearest-worker";
	case NP_UNKNOWN_FIXED_NODE: return "node";
	case NP_UNKNOWN_FAIL: return "fail";
	}
	return "?";
}
