/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where a port's node is decided when the device does not know it, and
 * where its pollers and memory go when its node has no worker or no memory.
 *
 * drivers-glue/port/port_node.c reads what the device says (sysfs, ethdev,
 * vdev arguments) and the configuration's override; everything it cannot
 * settle arrives here as NP_NODE_UNKNOWN and is decided by the policy.
 */
#include <errno.h>
#include <stdio.h>

#include "np_error_private.h"
#include "plan_private.h"

bool
plan_node_has_workers(const np_plan *plan, int node)
{
	for (unsigned int i = 0; i < plan->n_workers; i++)
		if (plan->workers[i].node == node)
			return true;
	return false;
}

static unsigned int
node_workers(const np_plan *plan, int node, unsigned int *rxqs)
{
	unsigned int n = 0;

	*rxqs = 0;
	for (unsigned int i = 0; i < plan->n_workers; i++) {
		if (plan->workers[i].node != node)
			continue;
		n++;
		*rxqs += plan->workers[i].n_rxq;
	}
	return n;
}

/*
 * The unknown-node policy. nearest-worker picks the node with the most
 * workers, then the one whose workers carry the fewest RX queues so far,
 * then the lowest id: the port lands where it will be polled, so its
 * queues and pool are local to their pollers (OVS and VPP would say 0).
 */
int
plan_decide_unknown_node(np_plan *plan, const np_topo *topo,
			 const struct np_plan_params *p, unsigned int port)
{
	struct plan_port *pp = &plan->ports[port];
	int best = -1;
	unsigned int best_w = 0, best_q = 0;

	switch (p->unknown_policy) {
	case NP_UNKNOWN_FAIL:
		return np_fail_param(EDOM, "unknown_node", "port %s: the device reports no "
				     "NUMA node (-1) and the unknown-node policy is 'fail'; "
				     "use the policy nearest-worker or 'node N', or give the "
				     "port a node", pp->name);
	case NP_UNKNOWN_FIXED_NODE:
		/* Checked by np_plan_build() already. */
		snprintf(pp->reason, sizeof(pp->reason),
			 "the device reports no NUMA node (-1); unknown_node = node %d",
			 p->unknown_node);
		plan_warn(plan, "port %s: the device reports no NUMA node (-1); "
			  "the unknown-node policy 'node %d' places it on node %d",
			  pp->name, p->unknown_node, p->unknown_node);
		return p->unknown_node;
	case NP_UNKNOWN_NEAREST_WORKER:
		break;
	default:
		return np_fail_param(EINVAL, "unknown_node", "unknown-node policy %d is not "
				     "one of nearest-worker, node N, fail",
				     (int)p->unknown_policy);
	}

	for (unsigned int i = 0; i < np_topo_node_count(topo); i++) {
		int node = np_topo_node_id(topo, i);
		unsigned int q, w = node_workers(plan, node, &q);

		if (w == 0)
			continue;
		if (best < 0 || w > best_w || (w == best_w && q < best_q)) {
			best = node;
			best_w = w;
			best_q = q;
		}
	}
	if (best < 0) /* np_plan_build() refuses a plan without workers */
		return np_fail(ENODEV, "port %s: no worker on any node", pp->name);

	snprintf(pp->reason, sizeof(pp->reason),
		 "the device reports no NUMA node (-1); unknown_node = nearest-worker "
		 "chose node %d (%u worker%s, %u RX queue%s already planned there)",
		 best, best_w, best_w == 1 ? "" : "s", best_q, best_q == 1 ? "" : "s");
	plan_warn(plan, "port %s: the device reports no NUMA node (-1); the "
		  "unknown-node policy nearest-worker places it on node %d, the node "
		  "with the most workers (%u); give the port its node if you know better",
		  pp->name, best, best_w);
	return best;
}

/*
 * The node whose workers poll the port: its own when it has workers. Else
 * the nearest node that has workers, by the port node's row of the distance
 * matrix; among equally near ones, the one whose workers already carry the
 * fewest RX queues (ports are placed one after the other, so several ports
 * of a worker-less node spread over the equally near nodes instead of all
 * landing on one), then the lowest id. Strict mode refuses the remote case.
 */
int
plan_poll_node(np_plan *plan, const np_topo *topo, bool strict, unsigned int port)
{
	struct plan_port *pp = &plan->ports[port];
	int node = pp->info.node;
	int order[NP_MAX_NODE_ID + 1];
	char tied[128] = "";
	size_t tlen = 0;
	unsigned int best_q = 0, n_tied = 0;
	int n, best = -1, best_d = 0, local;

	if (plan_node_has_workers(plan, node))
		return node;

	n = np_topo_nodes_by_distance(topo, node, order, NP_MAX_NODE_ID + 1);
	if (n < 0)
		return np_fail(-n, "port %s: node %d is not in the topology", pp->name, node);
	if (n > NP_MAX_NODE_ID + 1)
		n = NP_MAX_NODE_ID + 1;
	/* order[] is by (distance, id) after the node itself: stop past the nearest. */
	for (int i = 0; i < n; i++) {
		unsigned int q;
		int d;

		if (order[i] == node || node_workers(plan, order[i], &q) == 0)
			continue;
		d = np_topo_distance(topo, node, order[i]);
		if (best >= 0 && d != best_d)
			break;
		n_tied++;
		if (tlen < sizeof(tied))
			tlen += (size_t)snprintf(tied + tlen, sizeof(tied) - tlen, "%s%d",
						 tlen ? ", " : "", order[i]);
		if (best < 0 || q < best_q) {
			best = order[i];
			best_d = d;
			best_q = q;
		}
	}
	if (best < 0)
		return np_fail(ENODEV, "port %s: no worker on any node", pp->name);

	local = np_topo_distance(topo, node, node);
	if (strict)
		return np_fail_param(EXDEV, "strict", "port %s is on node %d, which has no "
				     "worker; strict mode refuses to poll it from node %d "
				     "(distance %d, local is %d): add a worker on node %d or "
				     "allow remote polling", pp->name, node, best, best_d,
				     local, node);
	if (n_tied > 1)
		plan_warn(plan, "port %s is on node %d, which has no worker: its %u RX "
			  "queue%s are polled from node %d at distance %d (local is %d): "
			  "nodes %s have workers at that distance and node %d had the "
			  "fewest RX queues already planned (%u); add a worker on node %d "
			  "to poll it locally", pp->name,
			  node, pp->info.n_rxq, pp->info.n_rxq == 1 ? "" : "s", best, best_d,
			  local, tied, best, best_q, node);
	else
		plan_warn(plan, "port %s is on node %d, which has no worker: its %u RX "
			  "queue%s are polled from node %d at distance %d (local is %d); "
			  "add a worker on node %d to poll it locally", pp->name, node, pp->info.n_rxq,
			  pp->info.n_rxq == 1 ? "" : "s", best, best_d, local, node);
	return best;
}

/*
 * The node whose memory backs things meant for @p node: itself, or the
 * nearest node with memory when it has none (a CPU-only node). A source
 * that reports no memory anywhere (synthetic descriptions) says nothing, so
 * the node is kept.
 */
int
plan_memory_node(const np_topo *topo, int node)
{
	int order[NP_MAX_NODE_ID + 1];
	bool any = false;
	int n;

	if (np_topo_node_memory(topo, node) > 0)
		return node;
	for (unsigned int i = 0; i < np_topo_node_count(topo); i++)
		if (np_topo_node_memory(topo, np_topo_node_id(topo, i)) > 0)
			any = true;
	if (!any)
		return node;
	n = np_topo_nodes_by_distance(topo, node, order, NP_MAX_NODE_ID + 1);
	for (int i = 0; i < n; i++)
		if (np_topo_node_memory(topo, order[i]) > 0)
			return order[i];
	return node;
}
