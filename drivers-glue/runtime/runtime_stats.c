/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a running pipeline shows: one progress line a second, the kernel's
 * numastat over the run, the audit of where every object's memory is, DPDK
 * telemetry commands under /numaperf/, and the end-of-run report as JSON
 * and as Prometheus text. One reader at a time (rt->stats_lock): the
 * latency histograms are merged into one scratch histogram.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>
#include <rte_telemetry.h>

#include "np_error_private.h"
#include "np_exec.h"
#include "np_json.h"
#include "np_prom.h"
#include "runtime_private.h"

/*
 * EAL's main lcore: its CPU, its node, and whether it also forwards (it is
 * a worker unless the configuration kept it apart, as testpmd does).
 */
struct main_lcore {
	unsigned int lcore;
	int node;
	bool works;
};

static struct main_lcore
main_lcore(const np_runtime *rt)
{
	bool apart = false;
	int l = np_plan_main_lcore(rt->plan, &apart);
	struct main_lcore m = { .lcore = l < 0 ? 0 : (unsigned int)l, .works = !apart };

	m.node = l < 0 ? -1 : np_topo_cpu_node(rt->topo, (unsigned int)l);
	return m;
}

/* ---- the monitor: a line a second, and the latency intervals ------------- */

static void
progress_line(np_runtime *rt, double t, const uint64_t *last_rx, const uint64_t *last_tx,
	      double dt)
{
	FILE *f = rt->p.progress;
	np_pipeline *pl = rt->pipeline;

	fprintf(f, "[%6.1f s]", t);
	for (unsigned int p = 0; p < rt->p.n_ports; p++) {
		uint64_t rx = np_pipeline_port_stat(pl, p, NP_PORT_RX);
		uint64_t tx = np_pipeline_port_stat(pl, p, NP_PORT_TX);
		uint64_t drops = np_pipeline_port_stat(pl, p, NP_PORT_DROPPED) +
				 np_pipeline_port_stat(pl, p, NP_PORT_TX_REFUSED);
		uint64_t pkts;
		double ratio = np_pipeline_locality_ratio(pl, (int)p, -1, &pkts);
		struct np_latency lat;
		char p99[24] = "-";

		if (np_pipeline_latency(pl, (int)p, -1, NP_LATENCY_INTERVAL, &lat) == 0)
			snprintf(p99, sizeof(p99), "%.2f us", lat.p99 / 1000.0);
		fprintf(f, "%s port%u rx %.2f tx %.2f Mpps drops %" PRIu64 " local %.1f%% p99 %s",
			p ? " |" : "", p, (double)(rx - last_rx[p]) / dt / 1e6,
			(double)(tx - last_tx[p]) / dt / 1e6, drops, 100.0 * ratio, p99);
	}
	fputc('\n', f);
	fflush(f);
}

static void *
monitor_main(void *arg)
{
	np_runtime *rt = arg;
	uint64_t last_rx[NP_RUNTIME_MAX_PORTS] = { 0 }, last_tx[NP_RUNTIME_MAX_PORTS] = { 0 };
	struct timespec start, next;
	double last_t = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	next = start;
	while (!rt->monitor_stop) {
		struct timespec now;
		double t;

		/* Wake every 100 ms to notice the stop; work once a second. */
		next.tv_nsec += 100 * 1000 * 1000;
		if (next.tv_nsec >= 1000000000) {
			next.tv_nsec -= 1000000000;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
		t = (double)(now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
		if (t - last_t < 1.0 || rt->monitor_stop)
			continue;
		pthread_mutex_lock(&rt->stats_lock);
		np_pipeline_stats_tick(rt->pipeline);
		if (rt->p.progress != NULL)
			progress_line(rt, t, last_rx, last_tx, t - last_t);
		for (unsigned int p = 0; p < rt->p.n_ports; p++) {
			last_rx[p] = np_pipeline_port_stat(rt->pipeline, p, NP_PORT_RX);
			last_tx[p] = np_pipeline_port_stat(rt->pipeline, p, NP_PORT_TX);
		}
		pthread_mutex_unlock(&rt->stats_lock);
		last_t = t;
	}
	return NULL;
}

int
rt_monitor_start(np_runtime *rt)
{
	int ret;

	np_numastat_destroy(rt->numastat_before);
	rt->numastat_before = np_numastat_read(NULL);
	rt->monitor_stop = false;
	/* A control thread: on the CPUs EAL keeps for them, not on a worker's. */
	ret = rte_ctrl_thread_create(&rt->monitor, "np-monitor", NULL, monitor_main, rt);
	if (ret != 0)
		return np_fail(ret, "cannot start the statistics thread: %s", strerror(ret));
	rt->monitor_running = true;
	return 0;
}

void
rt_monitor_stop(np_runtime *rt)
{
	np_numastat *after;

	if (rt->monitor_running) {
		rt->monitor_stop = true;
		pthread_join(rt->monitor, NULL);
		rt->monitor_running = false;
	}
	/* The kernel's witness over the run; nothing if sysfs has no numastat. */
	after = np_numastat_read(NULL);
	np_numastat_destroy(rt->numastat_delta);
	rt->numastat_delta = after && rt->numastat_before ?
			     np_numastat_delta(after, rt->numastat_before) : NULL;
	np_numastat_destroy(after);
}

const np_numastat *
np_runtime_numastat(const np_runtime *rt)
{
	return rt ? rt->numastat_delta : NULL;
}

/* ---- where are my pages ---------------------------------------------------- */

struct pool_walk {
	np_audit *a;
	const char *name;
	int node;
	unsigned int chunk;
};

static void
audit_chunk(struct rte_mempool *mp, void *arg, struct rte_mempool_memhdr *hdr, unsigned int i)
{
	struct pool_walk *w = arg;
	char what[80];

	(void)mp;
	(void)i;
	snprintf(what, sizeof(what), "%s chunk %u", w->name, w->chunk++);
	np_audit_add(w->a, "pool", what, w->node, w->node, hdr->addr, hdr->len, NP_AUDIT_DPDK);
}

/* A port's node is its pool's user: the pool was meant for the queues' node. */
static void
audit_pools_rings(np_runtime *rt)
{
	for (unsigned int i = 0; i < np_plan_pool_count(rt->plan); i++) {
		struct np_plan_pool pp;
		struct rte_mempool *mp;
		struct pool_walk w = { .a = rt->audit };

		np_plan_pool(rt->plan, i, &pp);
		mp = np_mempools_pool(rt->pools, pp.node);
		if (mp == NULL)
			continue;
		w.name = mp->name;
		w.node = pp.node;
		rte_mempool_mem_iter(mp, audit_chunk, &w);
	}
	for (unsigned int i = 0; i < np_plan_ring_count(rt->plan); i++) {
		struct np_plan_ring pr;
		struct rte_ring *r;
		ssize_t len;

		np_plan_ring(rt->plan, i, &pr);
		r = np_mempools_ring(rt->pools, pr.node);
		len = r ? rte_ring_get_memsize(r->size) : -1;
		if (r != NULL && len > 0)
			np_audit_add(rt->audit, "ring", r->name, pr.mem_node, pr.node, r,
				     (size_t)len, NP_AUDIT_DPDK);
	}
	/* The users of the pools: each RX queue's port, where it differs from the pool. */
	for (unsigned int i = 0; i < np_plan_rxq_count(rt->plan); i++) {
		struct np_plan_rxq q;
		struct np_plan_port_info pi;
		struct rte_mempool *mp;
		char what[80];

		np_plan_rxq(rt->plan, i, &q);
		np_plan_port(rt->plan, q.port, &pi);
		mp = np_mempools_pool(rt->pools, q.pool_node);
		if (mp == NULL || pi.node == q.pool_node)
			continue;
		/* The pool serves a port of another node: flagged as REMOTE. */
		snprintf(what, sizeof(what), "%s for port%u/q%u", mp->name, q.port, q.queue);
		np_audit_add(rt->audit, "pool-use", what, q.pool_node, pi.node,
			     STAILQ_FIRST(&mp->mem_list)->addr, 1, NP_AUDIT_DPDK);
	}
}

static void
audit_lcores(np_runtime *rt)
{
	np_pipeline *pl = rt->pipeline;

	for (unsigned int i = 0; pl && i < np_pipeline_lcore_count(pl); i++) {
		struct np_pipeline_lcore_info li;
		char what[80];

		np_pipeline_lcore(pl, i, &li);
		snprintf(what, sizeof(what), "lcore %u", li.lcore);
		np_audit_add(rt->audit, "context", what, li.mem_node, li.node, li.ctx,
			     li.ctx_size, NP_AUDIT_DPDK);
		np_audit_add(rt->audit, "counters", what, li.mem_node, li.node, li.counters,
			     li.counters_size, NP_AUDIT_DPDK);
		for (unsigned int p = 0; p < rt->p.n_ports; p++) {
			size_t len;
			const void *tb = np_pipeline_txbuf(pl, i, p, &len);
			const void *h = np_pipeline_hist(pl, i, p, &len);

			snprintf(what, sizeof(what), "lcore %u port%u", li.lcore, p);
			tb = np_pipeline_txbuf(pl, i, p, &len);
			if (tb != NULL)
				np_audit_add(rt->audit, "txbuf", what, li.mem_node, li.node, tb,
					     len, NP_AUDIT_DPDK);
			h = np_pipeline_hist(pl, i, p, &len);
			if (h != NULL)
				np_audit_add(rt->audit, "histogram", what, li.mem_node, li.node, h,
					     len, NP_AUDIT_DPDK);
		}
		for (unsigned int s = 0; s < np_pipeline_stage_count(pl); s++) {
			const void *ctx = np_pipeline_stage_ctx(pl, i, s);

			snprintf(what, sizeof(what), "lcore %u %s", li.lcore,
				 np_pipeline_stage_name(pl, s));
			if (ctx != NULL)
				np_audit_add(rt->audit, "stage", what, li.mem_node, li.node, ctx, 1,
					     NP_AUDIT_DPDK);
		}
	}
}

/* The executors' rings and the flow tables: each on its node, for its node. */
static void
audit_exec_flow(np_runtime *rt)
{
	const np_executor *e = rt->pipeline ? np_pipeline_executor(rt->pipeline) : NULL;

	for (int node = 0; node < NP_PIPELINE_MAX_NODES; node++) {
		struct np_exec_mem em;
		struct np_flow_mem fm;
		char what[80];

		if (e != NULL && np_exec_mem(e, node, &em) == 0) {
			const struct rte_ring *mr = em.mbuf_ring, *fr = em.fn_ring;

			snprintf(what, sizeof(what), "node %d mbufs", node);
			np_audit_add(rt->audit, "executor", what, node, node, mr,
				     (size_t)rte_ring_get_memsize(mr->size), NP_AUDIT_DPDK);
			snprintf(what, sizeof(what), "node %d functions", node);
			np_audit_add(rt->audit, "executor", what, node, node, fr,
				     (size_t)rte_ring_get_memsize_elem(16, fr->size), NP_AUDIT_DPDK);
		}
		if (rt->flow[node] != NULL && np_flow_table_mem(rt->flow[node], &fm) == 0) {
			snprintf(what, sizeof(what), "flow_n%d hash", node);
			np_audit_add(rt->audit, "flow", what, node, node, fm.hash, 1, NP_AUDIT_DPDK);
			snprintf(what, sizeof(what), "flow_n%d keys", node);
			np_audit_add(rt->audit, "flow", what, node, node, fm.key_store, 1,
				     NP_AUDIT_DPDK);
			snprintf(what, sizeof(what), "flow_n%d state", node);
			np_audit_add(rt->audit, "flow", what, node, node, fm.state, fm.state_bytes,
				     NP_AUDIT_DPDK);
			snprintf(what, sizeof(what), "flow_n%d counters", node);
			np_audit_add(rt->audit, "flow", what, node, node, fm.counters, 1,
				     NP_AUDIT_DPDK);
		}
	}
}

const np_audit *
np_runtime_audit(np_runtime *rt)
{
	if (rt == NULL || rt->pools == NULL)
		return np_fail_null(EINVAL, "np_runtime_audit: start the runtime first");
	if (rt->audit == NULL) {
		rt->audit = np_audit_create();
		if (rt->audit == NULL)
			return NULL;
	}
	np_audit_clear(rt->audit);
	audit_pools_rings(rt);
	audit_lcores(rt);
	audit_exec_flow(rt);
	np_audit_resolve(rt->audit);
	return rt->audit;
}

/* ---- DPDK telemetry: /numaperf/... ---------------------------------------- */

/* Telemetry callbacks take no argument: the runtime of this process. */
static np_runtime *tel_rt;

static const char *
fmt_ratio(double r, char *buf, size_t len)
{
	snprintf(buf, len, "%.4f", r);
	return buf;
}

static int
tel_guard(struct rte_tel_data *d)
{
	if (tel_rt == NULL || tel_rt->pipeline == NULL) {
		rte_tel_data_string(d, "numaperf: no pipeline yet");
		return 1;
	}
	return 0;
}

static int
tel_plan(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const np_plan *plan;

	(void)cmd;
	(void)params;
	if (tel_guard(d))
		return 0;
	plan = tel_rt->plan;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "topology", np_topo_source_name(tel_rt->topo));
	rte_tel_data_add_dict_int(d, "ports", (int)np_plan_port_count(plan));
	rte_tel_data_add_dict_int(d, "rx_queues", (int)np_plan_rxq_count(plan));
	rte_tel_data_add_dict_int(d, "workers", (int)np_plan_lcore_count(plan));
	{
		struct main_lcore m = main_lcore(tel_rt);

		rte_tel_data_add_dict_int(d, "main_lcore", (int)m.lcore);
		rte_tel_data_add_dict_int(d, "main_lcore_node", m.node);
		rte_tel_data_add_dict_int(d, "main_lcore_works", m.works);
	}
	rte_tel_data_add_dict_int(d, "pools", (int)np_plan_pool_count(plan));
	rte_tel_data_add_dict_int(d, "rings", (int)np_plan_ring_count(plan));
	rte_tel_data_add_dict_int(d, "warnings", (int)np_plan_warning_count(plan));
	for (unsigned int i = 0; i < np_plan_rxq_count(plan); i++) {
		struct np_plan_rxq q;
		char key[32], val[96];

		np_plan_rxq(plan, i, &q);
		snprintf(key, sizeof(key), "port%u_q%u", q.port, q.queue);
		snprintf(val, sizeof(val), "lcore %u (node %d), pool node %d, %s/%s", q.lcore,
			 q.lcore_node, q.pool_node, q.poller_local ? "LOCAL" : "REMOTE",
			 q.pool_local ? "LOCAL" : "REMOTE");
		rte_tel_data_add_dict_string(d, key, val);
	}
	return 0;
}

static void
add_latency(struct rte_tel_data *c, np_pipeline *pl, int port, int lcore)
{
	struct np_latency l;

	if (np_pipeline_latency(pl, port, lcore, NP_LATENCY_TOTAL, &l) == 0) {
		rte_tel_data_add_dict_u64(c, "latency_count", l.count);
		rte_tel_data_add_dict_u64(c, "p50_ns", (uint64_t)l.p50);
		rte_tel_data_add_dict_u64(c, "p90_ns", (uint64_t)l.p90);
		rte_tel_data_add_dict_u64(c, "p99_ns", (uint64_t)l.p99);
		rte_tel_data_add_dict_u64(c, "p99_9_ns", (uint64_t)l.p999);
		rte_tel_data_add_dict_u64(c, "p99_99_ns", (uint64_t)l.p9999);
		rte_tel_data_add_dict_u64(c, "max_ns", (uint64_t)l.max);
	}
	if (np_pipeline_latency(pl, port, lcore, NP_LATENCY_INTERVAL, &l) == 0) {
		rte_tel_data_add_dict_u64(c, "interval_p50_ns", (uint64_t)l.p50);
		rte_tel_data_add_dict_u64(c, "interval_p99_ns", (uint64_t)l.p99);
		rte_tel_data_add_dict_u64(c, "interval_p99_9_ns", (uint64_t)l.p999);
	}
}

static int
tel_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)params;
	if (tel_guard(d))
		return 0;
	rte_tel_data_start_dict(d);
	pthread_mutex_lock(&tel_rt->stats_lock);
	for (unsigned int p = 0; p < tel_rt->p.n_ports; p++) {
		struct rte_tel_data *c = rte_tel_data_alloc();
		np_pipeline *pl = tel_rt->pipeline;
		struct np_port_info in;
		uint64_t pkts;
		double ratio = np_pipeline_locality_ratio(pl, (int)p, -1, &pkts);
		char key[16], buf[16];

		if (c == NULL)
			break;
		rte_tel_data_start_dict(c);
		if (np_runtime_port_info(tel_rt, p, &in) == 0) {
			rte_tel_data_add_dict_string(c, "device", in.device);
			rte_tel_data_add_dict_int(c, "node", in.node);
			rte_tel_data_add_dict_string(c, "node_source",
						     np_node_source_name(in.node_source));
		}
		if (strcmp(cmd, "/numaperf/latency") != 0) {
			for (unsigned int k = 0; k < NP_PORT_N; k++)
				rte_tel_data_add_dict_u64(c, np_port_counter_name(k),
							  np_pipeline_port_stat(pl, p, k));
			rte_tel_data_add_dict_u64(c, "locality_pkts", pkts);
			rte_tel_data_add_dict_string(c, "locality_ratio",
						     fmt_ratio(ratio, buf, sizeof(buf)));
			rte_tel_data_add_dict_string(c, "locality_health",
						     np_locality_health(ratio, pkts));
		}
		if (strcmp(cmd, "/numaperf/locality") != 0)
			add_latency(c, pl, (int)p, -1);
		snprintf(key, sizeof(key), "port%u", p);
		rte_tel_data_add_dict_container(d, key, c, 0);
	}
	pthread_mutex_unlock(&tel_rt->stats_lock);
	return 0;
}

static int
tel_lcores(const char *cmd, const char *params, struct rte_tel_data *d)
{
	np_pipeline *pl;
	unsigned int main_id;

	(void)cmd;
	(void)params;
	if (tel_guard(d))
		return 0;
	pl = tel_rt->pipeline;
	main_id = main_lcore(tel_rt).lcore;
	rte_tel_data_start_dict(d);
	pthread_mutex_lock(&tel_rt->stats_lock);
	for (unsigned int i = 0; i < np_pipeline_lcore_count(pl); i++) {
		struct rte_tel_data *c = rte_tel_data_alloc();
		struct np_pipeline_lcore_info li;
		uint64_t rx = 0, tx = 0, pkts;
		double ratio;
		char key[16], buf[16];

		if (c == NULL)
			break;
		np_pipeline_lcore(pl, i, &li);
		for (unsigned int p = 0; p < tel_rt->p.n_ports; p++) {
			rx += np_pipeline_lcore_port_stat(pl, li.lcore, p, NP_PORT_RX);
			tx += np_pipeline_lcore_port_stat(pl, li.lcore, p, NP_PORT_TX);
		}
		ratio = np_pipeline_locality_ratio(pl, -1, (int)li.lcore, &pkts);
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_int(c, "node", li.node);
		rte_tel_data_add_dict_int(c, "main", li.lcore == main_id);
		rte_tel_data_add_dict_u64(c, "rx", rx);
		rte_tel_data_add_dict_u64(c, "tx", tx);
		for (unsigned int k = 0; k < NP_LCORE_N; k++)
			rte_tel_data_add_dict_u64(c, np_lcore_counter_name(k),
						  np_pipeline_lcore_stat(pl, li.lcore, k));
		rte_tel_data_add_dict_string(c, "locality_ratio", fmt_ratio(ratio, buf, sizeof(buf)));
		add_latency(c, pl, -1, (int)li.lcore);
		snprintf(key, sizeof(key), "lcore%u", li.lcore);
		rte_tel_data_add_dict_container(d, key, c, 0);
	}
	pthread_mutex_unlock(&tel_rt->stats_lock);
	return 0;
}

static int
tel_pools(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	(void)params;
	if (tel_guard(d))
		return 0;
	rte_tel_data_start_dict(d);
	for (unsigned int i = 0; i < np_plan_pool_count(tel_rt->plan); i++) {
		struct rte_tel_data *c = rte_tel_data_alloc();
		struct np_plan_pool pp;
		struct rte_mempool *mp;

		if (c == NULL)
			break;
		np_plan_pool(tel_rt->plan, i, &pp);
		mp = np_mempools_pool(tel_rt->pools, pp.node);
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_int(c, "node", pp.node);
		rte_tel_data_add_dict_int(c, "memory_node", np_mempool_node(mp));
		rte_tel_data_add_dict_u64(c, "size", mp ? mp->size : 0);
		rte_tel_data_add_dict_u64(c, "in_use", mp ? rte_mempool_in_use_count(mp) : 0);
		rte_tel_data_add_dict_u64(c, "available", mp ? rte_mempool_avail_count(mp) : 0);
		rte_tel_data_add_dict_container(d, pp.name, c, 0);
	}
	return 0;
}

static int
tel_audit(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const np_audit *a;

	(void)cmd;
	(void)params;
	if (tel_guard(d))
		return 0;
	pthread_mutex_lock(&tel_rt->stats_lock);
	a = np_runtime_audit(tel_rt);
	rte_tel_data_start_dict(d);
	if (a != NULL) {
		rte_tel_data_add_dict_int(d, "objects", (int)np_audit_count(a));
		for (int v = NP_AUDIT_OK; v <= NP_AUDIT_UNKNOWN; v++)
			rte_tel_data_add_dict_int(d, np_audit_verdict_name(v),
						  (int)np_audit_count_verdict(a, v));
	}
	/* Telemetry names are [A-Za-z0-9_/]: one container per object, "obj<i>". */
	for (unsigned int i = 0; a && i < np_audit_count(a) && i < 240; i++) {
		struct rte_tel_data *c = rte_tel_data_alloc();
		struct np_audit_entry e;
		char key[16];

		if (c == NULL)
			break;
		np_audit_entry(a, i, &e);
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_string(c, "object", e.kind);
		rte_tel_data_add_dict_string(c, "which", e.what);
		rte_tel_data_add_dict_int(c, "intended_node", e.intended);
		rte_tel_data_add_dict_int(c, "user_node", e.user);
		rte_tel_data_add_dict_int(c, "dpdk_node", e.dpdk_node);
		rte_tel_data_add_dict_int(c, "kernel_node", e.kernel_node);
		rte_tel_data_add_dict_string(c, "verdict", np_audit_verdict_name(e.verdict));
		snprintf(key, sizeof(key), "obj%u", i);
		rte_tel_data_add_dict_container(d, key, c, 0);
	}
	pthread_mutex_unlock(&tel_rt->stats_lock);
	return 0;
}

void
rt_telemetry_register(np_runtime *rt)
{
	static bool registered;
	static const struct {
		const char *cmd;
		telemetry_cb fn;
		const char *help;
	} cmds[] = {
		{ "/numaperf/plan", tel_plan, "The placement plan: ports, workers, pools, "
		  "rings, and each RX queue's poller and pool, LOCAL or REMOTE." },
		{ "/numaperf/ports", tel_ports, "Per port: node, counters, locality and "
		  "latency percentiles (ns)." },
		{ "/numaperf/lcores", tel_lcores, "Per worker lcore: node, counters, locality "
		  "and latency percentiles (ns)." },
		{ "/numaperf/locality", tel_ports, "Per port: packets whose port, polling lcore "
		  "and mbuf pool are on one node, and the health word." },
		{ "/numaperf/latency", tel_ports, "Per port: RX-to-leave latency, p50 to "
		  "p99.99 and max, whole run and last interval (ns)." },
		{ "/numaperf/pools", tel_pools, "Per mbuf pool: planned node, memory node, "
		  "size, in use." },
		{ "/numaperf/audit", tel_audit, "Where are my pages: each object's intended "
		  "node, user node, actual node and verdict." },
	};

	tel_rt = rt;
	if (registered)
		return;
	registered = true;
	for (unsigned int i = 0; i < RTE_DIM(cmds); i++)
		if (rte_telemetry_register_cmd(cmds[i].cmd, cmds[i].fn, cmds[i].help) != 0)
			NP_LOG(WARNING, "telemetry command %s not registered", cmds[i].cmd);
}

void
rt_stats_free(np_runtime *rt)
{
	if (tel_rt == rt)
		tel_rt = NULL;
	np_numastat_destroy(rt->numastat_before);
	np_numastat_destroy(rt->numastat_delta);
	np_audit_destroy(rt->audit);
}

/* ---- the report as JSON ----------------------------------------------------- */

static void
json_latency(struct np_json *j, const char *key, np_pipeline *pl, int port, int lcore)
{
	struct np_latency l;

	if (np_pipeline_latency(pl, port, lcore, NP_LATENCY_TOTAL, &l) < 0) {
		np_json_null(j, key);
		return;
	}
	np_json_obj_begin(j, key);
	np_json_uint(j, "count", l.count);
	np_json_double(j, "min_ns", l.min);
	np_json_double(j, "mean_ns", l.mean);
	np_json_double(j, "p50_ns", l.p50);
	np_json_double(j, "p90_ns", l.p90);
	np_json_double(j, "p99_ns", l.p99);
	np_json_double(j, "p99_9_ns", l.p999);
	np_json_double(j, "p99_99_ns", l.p9999);
	np_json_double(j, "max_ns", l.max);
	np_json_uint(j, "saturated", l.saturated);
	np_json_obj_end(j);
}

static void
json_ports(struct np_json *j, np_runtime *rt)
{
	np_pipeline *pl = rt->pipeline;

	np_json_arr_begin(j, "ports");
	for (unsigned int p = 0; p < rt->p.n_ports; p++) {
		struct np_port_info in;
		struct rte_eth_stats es;
		uint64_t pkts;
		double ratio = np_pipeline_locality_ratio(pl, (int)p, -1, &pkts);

		np_json_obj_begin(j, NULL);
		np_json_uint(j, "index", p);
		if (np_runtime_port_info(rt, p, &in) == 0) {
			np_json_str(j, "device", in.device);
			np_json_str(j, "driver", in.driver);
			np_json_int(j, "node", in.node);
			np_json_str(j, "node_source", np_node_source_name(in.node_source));
			np_json_str(j, "node_reason", in.node_reason);
		}
		for (unsigned int k = 0; k < NP_PORT_N; k++)
			np_json_uint(j, np_port_counter_name(k), np_pipeline_port_stat(pl, p, k));
		np_json_obj_begin(j, "locality");
		np_json_uint(j, "pkts", pkts);
		np_json_double(j, "ratio", ratio);
		np_json_str(j, "health", np_locality_health(ratio, pkts));
		np_json_arr_begin(j, "by_lcore");
		for (unsigned int i = 0; i < np_pipeline_lcore_count(pl); i++) {
			struct np_pipeline_locality l;

			if (np_pipeline_locality(pl, i, p, &l) < 0 || l.pkts == 0)
				continue;
			np_json_obj_begin(j, NULL);
			np_json_uint(j, "lcore", l.lcore);
			np_json_int(j, "lcore_node", l.lcore_node);
			np_json_int(j, "port_node", l.port_node);
			np_json_uint(j, "pkts", l.pkts);
			np_json_uint(j, "local", l.local);
			np_json_arr_begin(j, "mbuf_pools");
			for (unsigned int k = 0; k < l.n_pools; k++) {
				if (l.pool[k].pkts == 0)
					continue;
				np_json_obj_begin(j, NULL);
				if (l.pool[k].node == NP_NODE_UNKNOWN)
					np_json_null(j, "node");
				else
					np_json_int(j, "node", l.pool[k].node);
				np_json_uint(j, "pkts", l.pool[k].pkts);
				np_json_obj_end(j);
			}
			np_json_arr_end(j);
			np_json_obj_end(j);
		}
		np_json_arr_end(j);
		np_json_obj_end(j);
		json_latency(j, "latency", pl, (int)p, -1);
		if (np_runtime_eth_stats(rt, p, &es) == 0) {
			np_json_obj_begin(j, "ethdev");
			np_json_uint(j, "ipackets", es.ipackets);
			np_json_uint(j, "opackets", es.opackets);
			np_json_uint(j, "imissed", es.imissed);
			np_json_uint(j, "ierrors", es.ierrors);
			np_json_uint(j, "oerrors", es.oerrors);
			np_json_uint(j, "rx_nombuf", es.rx_nombuf);
			np_json_obj_end(j);
		}
		np_json_obj_end(j);
	}
	np_json_arr_end(j);
}

static void
json_lcores_drops(struct np_json *j, np_runtime *rt)
{
	np_pipeline *pl = rt->pipeline;
	unsigned int n_stages = np_pipeline_stage_count(pl);
	struct main_lcore m = main_lcore(rt);

	np_json_obj_begin(j, "main_lcore");
	np_json_uint(j, "lcore", m.lcore);
	np_json_int(j, "node", m.node);
	np_json_bool(j, "works", m.works);
	np_json_obj_end(j);
	np_json_arr_begin(j, "lcores");
	for (unsigned int i = 0; i < np_pipeline_lcore_count(pl); i++) {
		struct np_pipeline_lcore_info li;
		uint64_t rx = 0, tx = 0, pkts;
		double ratio;

		np_pipeline_lcore(pl, i, &li);
		for (unsigned int p = 0; p < rt->p.n_ports; p++) {
			rx += np_pipeline_lcore_port_stat(pl, li.lcore, p, NP_PORT_RX);
			tx += np_pipeline_lcore_port_stat(pl, li.lcore, p, NP_PORT_TX);
		}
		ratio = np_pipeline_locality_ratio(pl, -1, (int)li.lcore, &pkts);
		np_json_obj_begin(j, NULL);
		np_json_uint(j, "lcore", li.lcore);
		np_json_int(j, "node", li.node);
		np_json_bool(j, "main", li.lcore == m.lcore);
		np_json_uint(j, "rx", rx);
		np_json_uint(j, "tx", tx);
		for (unsigned int k = 0; k < NP_LCORE_N; k++)
			np_json_uint(j, np_lcore_counter_name(k),
				     np_pipeline_lcore_stat(pl, li.lcore, k));
		np_json_double(j, "locality_ratio", ratio);
		json_latency(j, "latency", pl, -1, (int)li.lcore);
		np_json_obj_end(j);
	}
	np_json_arr_end(j);
	np_json_arr_begin(j, "drops");
	for (unsigned int st = 0; st <= n_stages; st++)
		for (unsigned int c = 0; c < NP_DROP_N; c++) {
			uint64_t n = np_pipeline_drops(pl, st, (enum np_drop_cause)c);

			if (n == 0)
				continue;
			np_json_obj_begin(j, NULL);
			np_json_str(j, "stage", st < n_stages ? np_pipeline_stage_name(pl, st) :
				    "(dispatch)");
			np_json_str(j, "cause", np_drop_cause_name((enum np_drop_cause)c));
			np_json_uint(j, "count", n);
			np_json_obj_end(j);
		}
	np_json_arr_end(j);
}

static void
json_memory(struct np_json *j, np_runtime *rt, const struct np_runtime_stop_report *stop)
{
	const np_audit *a = np_runtime_audit(rt);
	const np_numastat *ns = rt->numastat_delta;

	if (stop != NULL) {
		np_json_obj_begin(j, "in_flight_at_stop");
		np_json_uint(j, "tx_buffers", stop->drain.tx_buffers);
		np_json_uint(j, "handoff", stop->drain.handoff);
		np_json_uint(j, "rx_rings", stop->drain.rx_rings);
		np_json_uint(j, "total", stop->drain.total);
		np_json_obj_end(j);
		np_json_arr_begin(j, "pools");
		for (unsigned int i = 0; i < stop->n_pools; i++) {
			np_json_obj_begin(j, NULL);
			np_json_str(j, "name", stop->pools[i].name);
			np_json_int(j, "node", stop->pools[i].node);
			np_json_int(j, "memory_node", stop->pools[i].actual_node);
			np_json_uint(j, "size", stop->pools[i].size);
			np_json_uint(j, "not_back", stop->pools[i].in_use);
			np_json_obj_end(j);
		}
		np_json_arr_end(j);
	}
	np_json_arr_begin(j, "audit");
	for (unsigned int i = 0; a && i < np_audit_count(a); i++) {
		struct np_audit_entry e;

		np_audit_entry(a, i, &e);
		np_json_obj_begin(j, NULL);
		np_json_str(j, "object", e.kind);
		np_json_str(j, "which", e.what);
		np_json_int(j, "intended_node", e.intended);
		np_json_int(j, "user_node", e.user);
		np_json_int(j, "dpdk_node", e.dpdk_node);
		np_json_int(j, "kernel_node", e.kernel_node);
		np_json_uint(j, "pages_checked", e.pages);
		np_json_uint(j, "pages_off", e.pages_off);
		np_json_str(j, "verdict", np_audit_verdict_name(e.verdict));
		np_json_obj_end(j);
	}
	np_json_arr_end(j);
	np_json_arr_begin(j, "numastat_delta");
	for (unsigned int i = 0; ns && i < np_numastat_count(ns); i++) {
		const struct np_numastat_node *n = np_numastat_at(ns, i);

		np_json_obj_begin(j, NULL);
		np_json_int(j, "node", n->node);
		for (unsigned int k = 0; k < NP_NUMASTAT_N_FIELDS; k++)
			np_json_uint(j, np_numastat_field_name(k), n->v[k]);
		np_json_obj_end(j);
	}
	np_json_arr_end(j);
}

int
np_runtime_write_json(np_runtime *rt, FILE *f, const struct np_runtime_stop_report *stop)
{
	struct np_json j;
	int ret;

	if (rt == NULL || f == NULL || rt->pipeline == NULL)
		return np_fail(EINVAL, "np_runtime_write_json: a runtime with a pipeline and a "
			       "file are required");
	pthread_mutex_lock(&rt->stats_lock);
	np_json_init(&j, f, true);
	np_json_obj_begin(&j, NULL);
	np_json_uint(&j, "schema_version", 1);
	np_json_str(&j, "program", rt->p.name);
	np_json_str(&j, "topology", np_topo_source_name(rt->topo));
	np_json_double(&j, "seconds", np_pipeline_seconds(rt->pipeline));
	np_json_bool(&j, "no_huge", rt->p.no_huge);
	np_json_bool(&j, "latency_recorded", np_pipeline_latency_enabled(rt->pipeline));
	np_json_str(&j, "tx_mode", rt->p.tx_mode == NP_TX_BY_HANDOFF ? "handoff" : "poller");
	json_ports(&j, rt);
	json_lcores_drops(&j, rt);
	json_memory(&j, rt, stop);
	np_json_obj_end(&j);
	ret = np_json_finish(&j);
	pthread_mutex_unlock(&rt->stats_lock);
	if (ret < 0)
		return np_fail(-ret, "cannot write the JSON report: %s", strerror(-ret));
	return 0;
}

/* ---- the same as Prometheus text ------------------------------------------- */

static int
prom_ports(np_prom *w, np_runtime *rt)
{
	np_pipeline *pl = rt->pipeline;
	static const struct {
		enum np_port_counter c;
		const char *name, *help;
	} counters[] = {
		{ NP_PORT_RX, "numaperf_port_rx_packets_total", "Packets received on the port." },
		{ NP_PORT_TX, "numaperf_port_tx_packets_total", "Packets the port's TX queues "
		  "accepted." },
		{ NP_PORT_DROPPED, "numaperf_port_dropped_packets_total", "Packets received on "
		  "the port and dropped, whatever the cause." },
		{ NP_PORT_TX_REFUSED, "numaperf_port_tx_refused_packets_total", "Packets for the "
		  "port its TX queues refused." },
	};
	char idx[NP_RUNTIME_MAX_PORTS][8], dev[NP_RUNTIME_MAX_PORTS][64];
	struct np_prom_label l[NP_RUNTIME_MAX_PORTS][2];
	int ret = 0;

	for (unsigned int p = 0; p < rt->p.n_ports; p++) {
		struct np_port_info in;

		snprintf(idx[p], sizeof(idx[p]), "%u", p);
		snprintf(dev[p], sizeof(dev[p]), "%s",
			 np_runtime_port_info(rt, p, &in) == 0 ? in.device : "");
		l[p][0] = (struct np_prom_label){ "port", idx[p] };
		l[p][1] = (struct np_prom_label){ "device", dev[p] };
	}
	for (unsigned int k = 0; k < RTE_DIM(counters); k++) {
		ret |= np_prom_family(w, counters[k].name, NP_PROM_COUNTER, counters[k].help);
		for (unsigned int p = 0; p < rt->p.n_ports; p++)
			ret |= np_prom_sample_u64(w, "", l[p], 2,
						  np_pipeline_port_stat(pl, p, counters[k].c));
	}
	ret |= np_prom_family(w, "numaperf_port_locality_ratio", NP_PROM_GAUGE,
			      "Share of received packets whose port, polling lcore and mbuf "
			      "pool are on one node.");
	for (unsigned int p = 0; p < rt->p.n_ports; p++)
		ret |= np_prom_sample(w, "", l[p], 2,
				      np_pipeline_locality_ratio(pl, (int)p, -1, NULL));
	if (np_pipeline_latency_enabled(pl)) {
		static const double q[] = { 0.5, 0.9, 0.99, 0.999, 0.9999 };

		ret |= np_prom_family(w, "numaperf_port_latency_seconds", NP_PROM_SUMMARY,
				      "Time from RX to leaving (TX or drop) of the packets that "
				      "came in on the port.");
		for (unsigned int p = 0; p < rt->p.n_ports; p++) {
			struct np_latency lat;
			double v[5];

			if (np_pipeline_latency(pl, (int)p, -1, NP_LATENCY_TOTAL, &lat) < 0)
				continue;
			v[0] = lat.p50 / 1e9;
			v[1] = lat.p90 / 1e9;
			v[2] = lat.p99 / 1e9;
			v[3] = lat.p999 / 1e9;
			v[4] = lat.p9999 / 1e9;
			ret |= np_prom_summary(w, l[p], 2, q, v, 5, lat.mean * lat.count / 1e9,
					       lat.count);
		}
	}
	return ret;
}

static int
prom_rest(np_prom *w, np_runtime *rt, const struct np_runtime_stop_report *stop)
{
	np_pipeline *pl = rt->pipeline;
	unsigned int n_stages = np_pipeline_stage_count(pl);
	const np_audit *a = np_runtime_audit(rt);
	const np_numastat *ns = rt->numastat_delta;
	int ret = 0;

	{
		struct main_lcore m = main_lcore(rt);
		char lc[12], node[12];
		struct np_prom_label l[3] = {
			{ "lcore", lc }, { "node", node }, { "works", m.works ? "yes" : "no" } };

		snprintf(lc, sizeof(lc), "%u", m.lcore);
		snprintf(node, sizeof(node), "%d", m.node);
		ret |= np_prom_family(w, "numaperf_main_lcore_info", NP_PROM_GAUGE,
				      "EAL's main lcore: its CPU, its node, and whether it also "
				      "forwards (works=no: kept apart from the workers).");
		ret |= np_prom_sample_u64(w, "", l, 3, 1);
	}
	ret |= np_prom_family(w, "numaperf_drops_total", NP_PROM_COUNTER,
			      "Packets dropped, by stage and cause.");
	for (unsigned int st = 0; st <= n_stages; st++)
		for (unsigned int c = 0; c < NP_DROP_N; c++) {
			struct np_prom_label l[2] = {
				{ "stage", st < n_stages ? np_pipeline_stage_name(pl, st) :
					   "(dispatch)" },
				{ "cause", np_drop_cause_name((enum np_drop_cause)c) },
			};

			ret |= np_prom_sample_u64(w, "", l, 2,
						  np_pipeline_drops(pl, st, (enum np_drop_cause)c));
		}
	if (stop != NULL) {
		ret |= np_prom_family(w, "numaperf_in_flight_at_stop_packets", NP_PROM_GAUGE,
				      "Packets still held at stop, freed and counted.");
		ret |= np_prom_sample_u64(w, "", NULL, 0, stop->drain.total);
		ret |= np_prom_family(w, "numaperf_pool_not_back_mbufs", NP_PROM_GAUGE,
				      "mbufs not back in their pool after the ports closed "
				      "(0 unless something leaked).");
		for (unsigned int i = 0; i < stop->n_pools; i++) {
			struct np_prom_label l = { "pool", stop->pools[i].name };

			ret |= np_prom_sample_u64(w, "", &l, 1, stop->pools[i].in_use);
		}
	}
	ret |= np_prom_family(w, "numaperf_audit_objects", NP_PROM_GAUGE,
			      "Objects the runtime allocated, by the audit's verdict.");
	for (int v = NP_AUDIT_OK; v <= NP_AUDIT_UNKNOWN; v++) {
		struct np_prom_label l = { "verdict", np_audit_verdict_name(v) };

		ret |= np_prom_sample_u64(w, "", &l, 1, np_audit_count_verdict(a, v));
	}
	if (ns != NULL && np_numastat_count(ns) > 0) {
		ret |= np_prom_family(w, "numaperf_numastat_delta_pages", NP_PROM_GAUGE,
				      "The kernel's numastat counters over the run, per node.");
		for (unsigned int i = 0; i < np_numastat_count(ns); i++) {
			const struct np_numastat_node *n = np_numastat_at(ns, i);
			char node[12];

			snprintf(node, sizeof(node), "%d", n->node);
			for (unsigned int k = 0; k < NP_NUMASTAT_N_FIELDS; k++) {
				struct np_prom_label l[2] = {
					{ "node", node }, { "counter", np_numastat_field_name(k) } };

				ret |= np_prom_sample_u64(w, "", l, 2, n->v[k]);
			}
		}
	}
	return ret;
}

int
np_runtime_write_prom(np_runtime *rt, const char *path, const struct np_runtime_stop_report *stop)
{
	np_prom *w;
	int ret;

	if (rt == NULL || path == NULL || rt->pipeline == NULL)
		return np_fail(EINVAL, "np_runtime_write_prom: a runtime with a pipeline and a "
			       "path are required");
	w = np_prom_create_file(path);
	if (w == NULL)
		return -errno;
	pthread_mutex_lock(&rt->stats_lock);
	ret = prom_ports(w, rt) | prom_rest(w, rt, stop);
	pthread_mutex_unlock(&rt->stats_lock);
	if (ret != 0) {
		np_prom_destroy(w);
		return np_fail(EIO, "cannot write the Prometheus text to %s: %s", path,
			       np_last_error());
	}
	ret = np_prom_close(w);
	if (ret < 0)
		return np_fail(-ret, "cannot write the Prometheus text to %s: %s", path,
			       strerror(-ret));
	return 0;
}
