/* SPDX-License-Identifier: BSD-3-Clause */
/* The plan as a table (np_plan_print) and the pool arithmetic (--verbose). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "plan_private.h"

static int
name_width(const np_plan *plan)
{
	int w = 4; /* "name" */

	for (unsigned int i = 0; i < plan->n_ports; i++) {
		int l = (int)strlen(plan->ports[i].name);

		if (l > w)
			w = l;
	}
	return w;
}

static void
print_lcores(const np_plan *plan, FILE *f)
{
	for (unsigned int i = 0; i < plan->n_workers; i++)
		fprintf(f, "%s%u", i ? "," : "", plan->workers[i].cpu);
}

int
np_plan_print(const np_plan *plan, FILE *f)
{
	int nw;

	if (plan == NULL || f == NULL)
		return -EINVAL;
	nw = name_width(plan);
	fprintf(f, "plan: %u port%s, %u RX queue%s, %u worker%s (lcores ", plan->n_ports,
		plan->n_ports == 1 ? "" : "s", plan->n_rxqs, plan->n_rxqs == 1 ? "" : "s",
		plan->n_workers, plan->n_workers == 1 ? "" : "s");
	print_lcores(plan, f);
	fprintf(f, "), tx by %s, pools at %s node, topology %s (%u node%s)\n",
		plan->tx_mode == NP_TX_BY_HANDOFF ? "handoff" : "poller",
		plan->pool_placement == NP_POOL_AT_PORT ? "port" : "poller",
		plan->topo_name, plan->n_topo_nodes, plan->n_topo_nodes == 1 ? "" : "s");
	if (plan->main_apart)
		fprintf(f, "main lcore: CPU %u, apart from the workers (it forwards nothing)\n",
			plan->main_lcore);

	fprintf(f, "RX queues:\n  %-4s  %-*s  %4s  %-6s  %5s  %5s  %10s  %12s  %-6s  %s\n",
		"port", nw, "name", "node", "from", "queue", "lcore", "lcore-node",
		"mempool-node", "poller", "mempool");
	for (unsigned int i = 0; i < plan->n_rxqs; i++) {
		const struct np_plan_rxq *r = &plan->rxqs[i];
		const struct np_plan_port_info *pi = &plan->ports[r->port].info;

		fprintf(f, "  %-4u  %-*s  %4d  %-6s  %5u  %5u  %10d  %12d  %-6s  %s\n",
			r->port, nw, pi->name, pi->node, np_node_source_name(pi->node_source),
			r->queue, r->lcore, r->lcore_node, r->pool_node,
			r->poller_local ? "LOCAL" : "REMOTE",
			r->pool_local ? "LOCAL" : "REMOTE");
	}

	fprintf(f, "TX queues:\n");
	if (plan->n_txqs == 0)
		fprintf(f, "  (none)\n");
	else
		fprintf(f, "  %-4s  %-*s  %5s  %5s  %10s  %9s\n", "port", nw, "name",
			"queue", "lcore", "lcore-node", "desc-node");
	for (unsigned int i = 0; i < plan->n_txqs; i++) {
		const struct np_plan_txq *t = &plan->txqs[i];

		fprintf(f, "  %-4u  %-*s  %5u  %5u  %10d  %9d\n", t->port, nw,
			plan->ports[t->port].name, t->queue, t->lcore, t->lcore_node,
			t->desc_node);
	}

	fprintf(f, "Ports:\n");
	for (unsigned int i = 0; i < plan->n_ports; i++) {
		const struct np_plan_port_info *pi = &plan->ports[i].info;

		fprintf(f, "  %u %s: node %d (%s: %s); polled from node %d; descriptors on "
			"node %d\n", i, pi->name, pi->node, np_node_source_name(pi->node_source),
			pi->node_reason, pi->poll_node, pi->mem_node);
	}

	fprintf(f, "Pools:\n");
	for (unsigned int i = 0; i < plan->n_pools; i++) {
		const struct np_plan_pool *p = &plan->pools[i];

		fprintf(f, "  %s on node %d: %u mbufs (%u RX queue%s, %u lcore%s)\n",
			p->name, p->node, p->n_mbufs, p->n_rxq, p->n_rxq == 1 ? "" : "s",
			p->n_lcores, p->n_lcores == 1 ? "" : "s");
	}

	fprintf(f, "Rings:\n");
	if (plan->n_rings == 0)
		fprintf(f, "  (none)\n");
	for (unsigned int i = 0; i < plan->n_rings; i++)
		fprintf(f, "  %s for node %d, memory on node %d: %u slots%s\n",
			plan->rings[i].name, plan->rings[i].node, plan->rings[i].mem_node,
			plan->rings[i].size, plan->rings[i].holds_mbufs ? ", holds mbufs" : "");

	fprintf(f, "Warnings:\n");
	if (plan->n_warnings == 0)
		fprintf(f, "  (none)\n");
	for (unsigned int i = 0; i < plan->n_warnings; i++)
		fprintf(f, "  - %s\n", plan->warnings[i]);
	return ferror(f) ? -EIO : 0;
}

int
np_plan_print_pools(const np_plan *plan, FILE *f)
{
	if (plan == NULL || f == NULL)
		return -EINVAL;
	for (unsigned int i = 0; i < plan->n_pools; i++) {
		const struct np_plan_pool *p = &plan->pools[i];

		fprintf(f, "pool %s (node %d):\n", p->name, p->node);
		fprintf(f, "  RX descriptors     %8llu  (sum of rx_desc over its %u RX queue%s)\n",
			(unsigned long long)p->rx_desc, p->n_rxq, p->n_rxq == 1 ? "" : "s");
		fprintf(f, "  TX descriptors     %8llu  (sum of tx_desc over the TX queues of "
			"the %u lcore%s that touch it)\n", (unsigned long long)p->tx_desc,
			p->n_lcores, p->n_lcores == 1 ? "" : "s");
		fprintf(f, "  lcore caches       %8llu  (%u lcore%s x 1.5 x cache_size %u)\n",
			(unsigned long long)p->caches, p->n_lcores,
			p->n_lcores == 1 ? "" : "s", plan->cache_size);
		fprintf(f, "  rings              %8llu  (capacity of every ring that holds mbufs)\n",
			(unsigned long long)p->rings);
		fprintf(f, "  bursts in flight   %8llu  (%u lcore%s x burst %u x %u)\n",
			(unsigned long long)p->bursts, p->n_lcores, p->n_lcores == 1 ? "" : "s",
			plan->burst, plan->tx_mode == NP_TX_BY_HANDOFF ? 2 : 1);
		fprintf(f, "  held by the app    %8llu\n", (unsigned long long)p->held);
		fprintf(f, "  total              %8llu  -> %u mbufs (next 2^k - 1)\n",
			(unsigned long long)p->sum, p->n_mbufs);
	}
	return ferror(f) ? -EIO : 0;
}
