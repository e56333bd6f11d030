/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The end-of-run report: per port and per lcore, packets received, sent and
 * dropped, and for each port where it is, who polled it and whether the
 * pollers and the mempool really were on its node. "Really" means what DPDK
 * says after the fact: the lcore's socket (rte_lcore_to_socket_id) and the
 * socket of the pool's memory (rte_mem_virt2memseg), not what was planned.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_lcore.h>

#include "l2fwd.h"
#include "np_list_private.h" /* in-tree app: the library's bounded append */

static uint64_t
port_sum(const struct l2fwd *app, unsigned int port, enum l2fwd_counter c)
{
	uint64_t sum = 0;

	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++)
		if (app->stats[l])
			sum += app->stats[l]->port[port][c];
	return sum;
}

static uint64_t
lcore_sum(const struct l2fwd *app, unsigned int lcore, enum l2fwd_counter c)
{
	uint64_t sum = 0;

	for (unsigned int p = 0; p < app->cfg->n_ports; p++)
		sum += app->stats[lcore]->port[p][c];
	return sum;
}

/* Pollers of @p port: their lcore ids and whether all are on @p node. */
static bool
pollers(const struct l2fwd *app, unsigned int port, int node, char *lc, size_t lclen,
	char *nodes, size_t nlen)
{
	size_t o1 = 0, o2 = 0;
	bool local = true;

	lc[0] = nodes[0] = '\0';
	for (unsigned int i = 0; i < np_plan_rxq_count(app->plan); i++) {
		struct np_plan_rxq q;
		int s;

		np_plan_rxq(app->plan, i, &q);
		if (q.port != port)
			continue;
		s = (int)rte_lcore_to_socket_id(q.lcore);
		local &= s == node;
		np_buf_appendf(lc, lclen, &o1, "%s%u", o1 ? "," : "", q.lcore);
		np_buf_appendf(nodes, nlen, &o2, "%s%d", o2 ? "," : "", s);
	}
	return local;
}

/* Node of the memory of the pools @p port's queues fill from. */
static bool
pool_nodes(const struct l2fwd *app, unsigned int port, int node, char *buf, size_t len)
{
	size_t o = 0;
	bool local = true;
	int last = NP_NODE_ANY - 10;

	buf[0] = '\0';
	for (unsigned int i = 0; i < np_plan_rxq_count(app->plan); i++) {
		struct np_plan_rxq q;
		int got;

		np_plan_rxq(app->plan, i, &q);
		if (q.port != port)
			continue;
		got = np_mempool_node(np_mempools_pool(app->pools, q.pool_node));
		local &= got == node;
		if (got != last)
			np_buf_appendf(buf, len, &o, "%s%d", o ? "," : "", got);
		last = got;
	}
	return local;
}

void
l2fwd_report(const struct l2fwd *app, FILE *f)
{
	const struct np_config *cfg = app->cfg;
	uint64_t rx = 0, tx = 0, drop_tx = 0, drop_ring = 0, seeded = 0;

	fprintf(f, "\nnumaperf-l2fwd report: %.2f s, mode %s, mac %s%s\n", app->seconds,
		cfg->mode == NP_TX_BY_HANDOFF ? "handoff" : "io", np_config_mac_name(cfg->mac),
		cfg->no_huge ? ", --no-huge (DPDK memory on one socket only)" : "");
	fprintf(f, "%-4s  %-14s  %-10s  %-9s  %-10s  %-6s  %-12s  %-7s  %12s  %12s  %10s\n",
		"port", "device", "node", "polled-by", "lcore-node", "poller", "mempool-node",
		"mempool", "rx", "tx", "dropped");
	for (unsigned int p = 0; p < cfg->n_ports; p++) {
		struct np_port_info in;
		char lc[128], ln[128], pn[64], node[24];
		bool plocal, mlocal;
		uint64_t dt = port_sum(app, p, L2FWD_DROP_TX), dr = port_sum(app, p, L2FWD_DROP_RING);

		np_port_info(app->ports[p], &in);
		plocal = pollers(app, p, in.node, lc, sizeof(lc), ln, sizeof(ln));
		mlocal = pool_nodes(app, p, in.node, pn, sizeof(pn));
		snprintf(node, sizeof(node), "%d (%s)", in.node, np_node_source_name(in.node_source));
		fprintf(f, "%-4u  %-14s  %-10s  %-9s  %-10s  %-6s  %-12s  %-7s  %12" PRIu64
			"  %12" PRIu64 "  %10" PRIu64 "\n", p, in.device, node, lc, ln,
			plocal ? "LOCAL" : "REMOTE", pn, mlocal ? "LOCAL" : "REMOTE",
			port_sum(app, p, L2FWD_RX), port_sum(app, p, L2FWD_TX), dt + dr);
		rx += port_sum(app, p, L2FWD_RX);
		tx += port_sum(app, p, L2FWD_TX);
		drop_tx += dt;
		drop_ring += dr;
		seeded += app->seeded[p];
	}
	for (unsigned int p = 0; p < cfg->n_ports; p++) {
		struct np_port_info in;

		np_port_info(app->ports[p], &in);
		fprintf(f, "  port%u %s (%s, %s): node %d decided by %s: %s\n", p, in.device,
			in.driver, in.is_pci ? "PCI" : "vdev", in.node,
			np_node_source_name(in.node_source), in.node_reason);
	}
	fprintf(f, "%-5s  %-4s  %-24s  %12s  %12s  %10s\n", "lcore", "node", "queues", "rx",
		"tx", "dropped");
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++) {
		const struct l2fwd_lcore *lc = app->lcores[l];
		char q[128] = "";
		size_t o = 0;

		if (lc == NULL)
			continue;
		for (unsigned int i = 0; i < lc->n_rxq; i++)
			np_buf_appendf(q, sizeof(q), &o, "%sport%u/q%u", i ? "," : "",
				    lc->rxq[i].port, lc->rxq[i].queue);
		if (lc->n_rxq == 0)
			snprintf(q, sizeof(q), lc->drain ? "(handoff ring only)" : "(idle)");
		fprintf(f, "%-5u  %-4u  %-24s  %12" PRIu64 "  %12" PRIu64 "  %10" PRIu64 "\n", l,
			rte_lcore_to_socket_id(l), q, lcore_sum(app, l, L2FWD_RX),
			lcore_sum(app, l, L2FWD_TX),
			lcore_sum(app, l, L2FWD_DROP_TX) + lcore_sum(app, l, L2FWD_DROP_RING));
	}
	fprintf(f, "total: rx %" PRIu64 ", tx %" PRIu64 ", dropped %" PRIu64 " (%s %" PRIu64
		", %s %" PRIu64 "), seeded %" PRIu64 "; %.3f Mpps sent\n", rx, tx,
		drop_tx + drop_ring, l2fwd_counter_names[L2FWD_DROP_TX], drop_tx,
		l2fwd_counter_names[L2FWD_DROP_RING], drop_ring, seeded,
		app->seconds > 0 ? tx / app->seconds / 1e6 : 0.0);
}
