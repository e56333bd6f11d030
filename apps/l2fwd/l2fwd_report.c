/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The end-of-run report: per port and per lcore, packets received, sent and
 * dropped; for each port where it is, who polled it and whether the pollers
 * and the mempool really were on its node. "Really" means what DPDK says
 * after the fact: the lcore's socket (rte_lcore_to_socket_id) and the
 * socket of the pool's memory (rte_mem_virt2memseg), not what was planned.
 * Then what was in flight at stop, every drop by stage and cause, DPDK's
 * own port statistics, and whether every mbuf came back to its pool.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <rte_lcore.h>

#include "l2fwd.h"
#include "np_exec.h"

static void
appendf(char *buf, size_t len, size_t *off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
appendf(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= len - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off = *off + (size_t)n < len ? *off + (size_t)n : len - 1;
}

/* Pollers of @p port: their lcore ids and nodes, and whether all are on @p node. */
static bool
pollers(const np_plan *plan, unsigned int port, int node, char *lc, size_t lclen,
	char *nodes, size_t nlen)
{
	size_t o1 = 0, o2 = 0;
	bool local = true;

	lc[0] = nodes[0] = '\0';
	for (unsigned int i = 0; i < np_plan_rxq_count(plan); i++) {
		struct np_plan_rxq q;
		int s;

		np_plan_rxq(plan, i, &q);
		if (q.port != port)
			continue;
		s = (int)rte_lcore_to_socket_id(q.lcore);
		local &= s == node;
		appendf(lc, lclen, &o1, "%s%u", o1 ? "," : "", q.lcore);
		appendf(nodes, nlen, &o2, "%s%d", o2 ? "," : "", s);
	}
	return local;
}

/* Node of the memory of the pools @p port's queues fill from. */
static bool
pool_nodes(const struct l2fwd *app, unsigned int port, int node, char *buf, size_t len)
{
	const np_plan *plan = np_runtime_plan(app->rt);
	size_t o = 0;
	bool local = true;
	int last = NP_NODE_ANY - 10;

	buf[0] = '\0';
	for (unsigned int i = 0; i < np_plan_rxq_count(plan); i++) {
		struct np_plan_rxq q;
		int got;

		np_plan_rxq(plan, i, &q);
		if (q.port != port)
			continue;
		got = np_mempool_node(np_runtime_rxq_pool(app->rt, port, q.queue));
		local &= got == node;
		if (got != last)
			appendf(buf, len, &o, "%s%d", o ? "," : "", got);
		last = got;
	}
	return local;
}

static uint64_t
lcore_sum(const np_pipeline *pl, unsigned int lcore, unsigned int n_ports,
	  enum np_port_counter c)
{
	uint64_t sum = 0;

	for (unsigned int p = 0; p < n_ports; p++)
		sum += np_pipeline_lcore_port_stat(pl, lcore, p, c);
	return sum;
}

static void
ports_table(const struct l2fwd *app, FILE *f)
{
	const struct np_config *cfg = app->cfg;
	const np_plan *plan = np_runtime_plan(app->rt);

	fprintf(f, "%-4s  %-14s  %-10s  %-9s  %-10s  %-6s  %-12s  %-7s  %12s  %12s  %10s\n",
		"port", "device", "node", "polled-by", "lcore-node", "poller", "mempool-node",
		"mempool", "rx", "tx", "dropped");
	for (unsigned int p = 0; p < cfg->n_ports; p++) {
		struct np_port_info in;
		char lc[128], ln[128], pn[64], node[24];
		bool plocal, mlocal;

		np_runtime_port_info(app->rt, p, &in);
		plocal = pollers(plan, p, in.node, lc, sizeof(lc), ln, sizeof(ln));
		mlocal = pool_nodes(app, p, in.node, pn, sizeof(pn));
		snprintf(node, sizeof(node), "%d (%s)", in.node, np_node_source_name(in.node_source));
		fprintf(f, "%-4u  %-14s  %-10s  %-9s  %-10s  %-6s  %-12s  %-7s  %12" PRIu64
			"  %12" PRIu64 "  %10" PRIu64 "\n", p, in.device, node, lc, ln,
			plocal ? "LOCAL" : "REMOTE", pn, mlocal ? "LOCAL" : "REMOTE",
			np_pipeline_port_stat(app->pl, p, NP_PORT_RX),
			np_pipeline_port_stat(app->pl, p, NP_PORT_TX),
			np_pipeline_port_stat(app->pl, p, NP_PORT_DROPPED));
	}
	for (unsigned int p = 0; p < cfg->n_ports; p++) {
		struct np_port_info in;

		np_runtime_port_info(app->rt, p, &in);
		fprintf(f, "  port%u %s (%s, %s): node %d decided by %s: %s\n", p, in.device,
			in.driver, in.is_pci ? "PCI" : "vdev", in.node,
			np_node_source_name(in.node_source), in.node_reason);
	}
}

static void
lcores_table(const struct l2fwd *app, FILE *f)
{
	const unsigned int n_ports = app->cfg->n_ports;

	fprintf(f, "%-5s  %-4s  %-24s  %12s  %12s  %12s  %12s  %8s\n", "lcore", "node", "queues",
		"rx", "tx", "handoff-in", "loops", "idle%");
	for (unsigned int i = 0; i < np_pipeline_lcore_count(app->pl); i++) {
		struct np_pipeline_lcore_info li;
		const np_plan *plan = np_runtime_plan(app->rt);
		uint64_t loops, idle;
		char q[128] = "";
		size_t o = 0;

		np_pipeline_lcore(app->pl, i, &li);
		for (unsigned int r = 0; r < np_plan_rxq_count(plan); r++) {
			struct np_plan_rxq x;

			np_plan_rxq(plan, r, &x);
			if (x.lcore == li.lcore)
				appendf(q, sizeof(q), &o, "%sport%u/q%u", o ? "," : "", x.port,
					x.queue);
		}
		if (o == 0)
			snprintf(q, sizeof(q), "(handoff ring only)");
		loops = np_pipeline_lcore_stat(app->pl, li.lcore, NP_LCORE_LOOPS);
		idle = np_pipeline_lcore_stat(app->pl, li.lcore, NP_LCORE_IDLE_LOOPS);
		fprintf(f, "%-5u  %-4u  %-24s  %12" PRIu64 "  %12" PRIu64 "  %12" PRIu64 "  %12"
			PRIu64 "  %7.1f%%\n", li.lcore, rte_lcore_to_socket_id(li.lcore), q,
			lcore_sum(app->pl, li.lcore, n_ports, NP_PORT_RX),
			lcore_sum(app->pl, li.lcore, n_ports, NP_PORT_TX),
			lcore_sum(app->pl, li.lcore, n_ports, NP_PORT_HANDOFF_IN), loops,
			loops ? 100.0 * (double)idle / (double)loops : 0.0);
	}
}

static void
drops_and_stop(const struct l2fwd *app, FILE *f)
{
	const struct np_runtime_stop_report *s = &app->stop;
	unsigned int n_stages = np_pipeline_stage_count(app->pl);
	bool any = false;

	for (unsigned int st = 0; st <= n_stages; st++)
		for (unsigned int c = 0; c < NP_DROP_N; c++) {
			uint64_t n = np_pipeline_drops(app->pl, st, (enum np_drop_cause)c);

			if (n == 0)
				continue;
			fprintf(f, "drops: %s %s %" PRIu64 " (%s)\n",
				st < n_stages ? np_pipeline_stage_name(app->pl, st) : "(dispatch)",
				np_drop_cause_name((enum np_drop_cause)c), n,
				np_drop_cause_doc((enum np_drop_cause)c));
			any = true;
		}
	if (!any)
		fprintf(f, "drops: none\n");
	fprintf(f, "in flight at stop: %" PRIu64 " (TX buffers %" PRIu64 ", handoff %" PRIu64
		", device RX queues %" PRIu64 "), freed and counted\n", s->drain.total,
		s->drain.tx_buffers, s->drain.handoff, s->drain.rx_rings);
	for (unsigned int p = 0; p < app->cfg->n_ports; p++) {
		struct rte_eth_stats es;

		if (np_runtime_eth_stats(app->rt, p, &es) == 0)
			fprintf(f, "ethdev port%u: ipackets %" PRIu64 ", opackets %" PRIu64
				", imissed %" PRIu64 ", ierrors %" PRIu64 ", oerrors %" PRIu64
				", rx_nombuf %" PRIu64 "\n", p, es.ipackets, es.opackets,
				es.imissed, es.ierrors, es.oerrors, es.rx_nombuf);
	}
	for (unsigned int i = 0; i < s->n_pools; i++) {
		const struct np_runtime_pool_check *c = &s->pools[i];

		if (c->in_use == 0)
			fprintf(f, "pool %s (node %d, memory on node %d): all %u mbufs back\n",
				c->name, c->node, c->actual_node, c->size);
		else
			fprintf(f, "pool %s (node %d, memory on node %d): ERROR: %u of %u mbufs "
				"not back\n", c->name, c->node, c->actual_node, c->in_use, c->size);
	}
}

static void
locality_table(const struct l2fwd *app, FILE *f)
{
	fprintf(f, "locality (port, polling lcore and mbuf pool on one node):\n");
	fprintf(f, "%-4s  %-5s  %-9s  %-10s  %12s  %12s  %-24s  %7s  %s\n", "port", "lcore",
		"port-node", "lcore-node", "pkts", "local", "mbufs from pool on node",
		"ratio", "health");
	for (unsigned int p = 0; p < app->cfg->n_ports; p++)
		for (unsigned int i = 0; i < np_pipeline_lcore_count(app->pl); i++) {
			struct np_pipeline_locality l;
			char pools[128] = "";
			size_t o = 0;
			double r;

			if (np_pipeline_locality(app->pl, i, p, &l) < 0 || l.pkts == 0)
				continue;
			for (unsigned int k = 0; k < l.n_pools; k++)
				if (l.pool[k].pkts > 0) {
					if (l.pool[k].node == NP_NODE_UNKNOWN)
						appendf(pools, sizeof(pools), &o, "%sother:%" PRIu64,
							o ? " " : "", l.pool[k].pkts);
					else
						appendf(pools, sizeof(pools), &o, "%s%d:%" PRIu64,
							o ? " " : "", l.pool[k].node, l.pool[k].pkts);
				}
			r = (double)l.local / (double)l.pkts;
			fprintf(f, "%-4u  %-5u  %-9d  %-10d  %12" PRIu64 "  %12" PRIu64 "  %-24s  "
				"%6.2f%%  %s\n", p, l.lcore, l.port_node, l.lcore_node, l.pkts,
				l.local, pools, 100.0 * r, np_locality_health(r, l.pkts));
		}
}

static void
latency_row(FILE *f, const char *what, np_pipeline *pl, int port, int lcore)
{
	struct np_latency l;

	if (np_pipeline_latency(pl, port, lcore, NP_LATENCY_TOTAL, &l) < 0) {
		fprintf(f, "%-8s  %12s\n", what, "(none)");
		return;
	}
	fprintf(f, "%-8s  %12" PRIu64 "  %8.2f  %8.2f  %8.2f  %8.2f  %8.2f  %9.2f%s\n", what,
		l.count, l.p50 / 1e3, l.p90 / 1e3, l.p99 / 1e3, l.p999 / 1e3, l.p9999 / 1e3,
		l.max / 1e3, l.saturated ? "  (saturated: lower bounds)" : "");
}

static void
latency_table(const struct l2fwd *app, FILE *f)
{
	if (!np_pipeline_latency_enabled(app->pl)) {
		fprintf(f, "latency: not recorded ([pipeline] latency = no, or --no-latency)\n");
		return;
	}
	fprintf(f, "latency from RX to leaving (us), whole run, 1/128 relative error:\n");
	fprintf(f, "%-8s  %12s  %8s  %8s  %8s  %8s  %8s  %9s\n", "", "packets", "p50", "p90",
		"p99", "p99.9", "p99.99", "max");
	for (unsigned int p = 0; p < app->cfg->n_ports; p++) {
		char what[16];

		snprintf(what, sizeof(what), "port%u", p);
		latency_row(f, what, app->pl, (int)p, -1);
	}
	for (unsigned int i = 0; i < np_pipeline_lcore_count(app->pl); i++) {
		struct np_pipeline_lcore_info li;
		char what[16];

		np_pipeline_lcore(app->pl, i, &li);
		snprintf(what, sizeof(what), "lcore%u", li.lcore);
		latency_row(f, what, app->pl, -1, (int)li.lcore);
	}
}

/* The kernel's witness: page allocations per node over the run. */
static void
numastat_table(const struct l2fwd *app, FILE *f)
{
	const np_numastat *ns = np_runtime_numastat(app->rt);

	if (ns == NULL || np_numastat_count(ns) == 0) {
		fprintf(f, "numastat: not available (no /sys/devices/system/node/node*/numastat)\n");
		return;
	}
	fprintf(f, "numastat over the run (pages allocated, per node; docs/observing.md):\n");
	fprintf(f, "%-4s", "node");
	for (unsigned int k = 0; k < NP_NUMASTAT_N_FIELDS; k++)
		fprintf(f, "  %14s", np_numastat_field_name(k));
	fputc('\n', f);
	for (unsigned int i = 0; i < np_numastat_count(ns); i++) {
		const struct np_numastat_node *n = np_numastat_at(ns, i);

		fprintf(f, "%-4d", n->node);
		for (unsigned int k = 0; k < NP_NUMASTAT_N_FIELDS; k++)
			fprintf(f, "  %14" PRIu64, n->v[k]);
		fputc('\n', f);
	}
}

static void
audit_summary(const struct l2fwd *app, FILE *f)
{
	const np_audit *a = np_runtime_audit(app->rt);

	if (a == NULL) {
		fprintf(f, "audit: %s\n", np_last_error());
		return;
	}
	fprintf(f, "where are my pages: %u objects: %u OK, %u REMOTE (placed away from their "
		"user by the plan), %u MISPLACED, %u UNKNOWN%s\n", np_audit_count(a),
		np_audit_count_verdict(a, NP_AUDIT_OK), np_audit_count_verdict(a, NP_AUDIT_REMOTE),
		np_audit_count_verdict(a, NP_AUDIT_MISPLACED),
		np_audit_count_verdict(a, NP_AUDIT_UNKNOWN),
		app->args.audit ? ":" : " (--audit prints each)");
	if (app->args.audit)
		np_audit_print(a, f);
}

/* --flows: per node its table; per node pair the lookups, handoffs and congestion. */
static void
flows_section(const struct l2fwd *app, FILE *f)
{
	const struct l2fwd_flow_params *fp = &app->flow;
	const struct np_executor *e = np_pipeline_executor(app->pl);
	struct l2fwd_flow_checks ck;

	if (app->cfg->flows == 0)
		return;
	fprintf(f, "flows: %u, %s", fp->n_flows, fp->zipf > 0 ? "Zipf-skewed" : "uniform");
	if (fp->zipf > 0)
		fprintf(f, " (exponent %.2f)", fp->zipf);
	fprintf(f, ", home: %s\n", fp->home_fn == np_flow_home_ingress ? "the ingress port's "
		"node" : "a symmetric hash of the 5-tuple over the nodes with workers");
	fprintf(f, "%-4s  %10s  %10s  %12s  %12s  %10s  %12s  %12s\n", "node", "entries",
		"capacity", "created", "refused", "expired", "lookups-hit", "lookups-miss");
	for (unsigned int k = 0; k < fp->n_nodes; k++) {
		struct np_flow_stats st;
		int n = fp->nodes[k];

		if (np_flow_stats(fp->tables[n], &st) < 0)
			continue;
		fprintf(f, "%-4d  %10" PRIu64 "  %10" PRIu64 "  %12" PRIu64 "  %12" PRIu64 "  %10"
			PRIu64 "  %12" PRIu64 "  %12" PRIu64 "\n", n, st.entries, st.capacity,
			st.count[NP_FLOW_CTR_ADD],
			st.count[NP_FLOW_CTR_ADD_REFUSED_FULL] +
			st.count[NP_FLOW_CTR_ADD_REFUSED_RECLAIM],
			st.count[NP_FLOW_CTR_EXPIRED], st.count[NP_FLOW_CTR_LOOKUP_HIT] +
			st.count[NP_FLOW_CTR_ADD_EXISTING], st.count[NP_FLOW_CTR_LOOKUP_MISS] +
			st.count[NP_FLOW_CTR_ADD]);
	}
	fprintf(f, "%-4s  %-4s  %14s  %14s  %16s\n", "from", "to", "flow-lookups",
		"handoffs", "congestion-drops");
	for (unsigned int a = 0; a < fp->n_nodes; a++)
		for (unsigned int b = 0; b < fp->n_nodes; b++) {
			int src = fp->nodes[a], dst = fp->nodes[b];

			fprintf(f, "%-4d  %-4d  %14" PRIu64 "  %14" PRIu64 "  %16" PRIu64 "%s\n", src,
				dst, np_pipeline_node_pair(app->pl, NP_PAIR_FLOW_LOOKUP, src, dst),
				np_pipeline_node_pair(app->pl, NP_PAIR_HANDOFF, src, dst),
				np_exec_pair_count(e, src, dst, NP_EXEC_CTR_MBUF_DROPPED),
				src == dst ? "  (local)" : "");
		}
	l2fwd_flow_checks(app->pl, L2FWD_FLOW_COUNT_STAGE, &ck);
	fprintf(f, "migrated: %" PRIu64 " packets handled on their flow's node after crossing; "
		"%" PRIu64 " crossed more than once, %" PRIu64 " handled away from their flow's "
		"node%s; %" PRIu64 " found the table full\n", ck.migrated, ck.crossed_twice,
		ck.wrong_home, ck.crossed_twice || ck.wrong_home ? " (ERROR)" : "", ck.no_state);
}

int
l2fwd_report(const struct l2fwd *app, FILE *f)
{
	const struct np_config *cfg = app->cfg;
	double secs = np_pipeline_seconds(app->pl);
	uint64_t rx = 0, tx = 0, seeded = 0;

	fprintf(f, "\nnumaperf-l2fwd report: %.2f s, mode %s, mac %s%s\n", secs,
		cfg->mode == NP_TX_BY_HANDOFF ? "handoff" : "io", np_config_mac_name(cfg->mac),
		cfg->no_huge ? ", --no-huge (DPDK memory on one socket only)" : "");
	ports_table(app, f);
	lcores_table(app, f);
	locality_table(app, f);
	latency_table(app, f);
	flows_section(app, f);
	drops_and_stop(app, f);
	numastat_table(app, f);
	audit_summary(app, f);
	for (unsigned int p = 0; p < cfg->n_ports; p++) {
		rx += np_pipeline_port_stat(app->pl, p, NP_PORT_RX);
		tx += np_pipeline_port_stat(app->pl, p, NP_PORT_TX);
		seeded += app->seeded[p];
	}
	fprintf(f, "total: rx %" PRIu64 ", tx %" PRIu64 ", dropped %" PRIu64 ", in flight at "
		"stop %" PRIu64 ", seeded %" PRIu64 "; %.3f Mpps sent\n", rx, tx,
		np_pipeline_drops_total(app->pl), app->stop.drain.total, seeded,
		secs > 0 ? (double)tx / secs / 1e6 : 0.0);
	if (fflush(f) != 0 || ferror(f))
		return -EIO;
	return 0;
}
