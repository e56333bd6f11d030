/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pipeline mode: numaperf's pipeline on a net_null pair, under the
 * configurations the runtime can place.
 *
 * net_null's RX hands out packets as fast as it is polled (the generator)
 * and its TX frees them (the sink); port0 and port1 are each other's peer.
 * One worker lcore polls both; one stage ("pinbench-touch") swaps each
 * packet's Ethernet addresses, so the worker reads and writes every header
 * in the mbuf pool's memory. The placement is set through
 * np_runtime_params only:
 *
 *   local          worker on X; ports (their node given explicitly, as for
 *                  a vdev whose node is unknown) and their pool on X
 *   remote-memory  worker on X; ports and pool on Y
 *   remote-cpu     worker on Y; ports and pool on X
 *
 * (pool_placement NP_POOL_AT_PORT: the pool is on the ports' node; the
 * worker's own context, counters and buffers are on its node, as the
 * runtime always puts them). unpinned and interleave cannot be expressed:
 * EAL pins each lcore, and a pool is one socket's memory.
 *
 * Verification before timing: the plan (worker node, port nodes, pool
 * nodes) and the audit (np_runtime_audit: DPDK's and the kernel's word on
 * where every pool chunk and every worker object is) must match the name;
 * after the run, the stage's own sched_getcpu samples, the locality counters
 * (local for local, remote for the remote ones) and the audit again. A
 * mismatch refuses the configuration.
 *
 * EAL starts once per process, so each configuration runs in a child
 * (fork before any EAL call in the parent) that sends its struct pb_result
 * back on a pipe. The child's stdout goes to stderr, so DPDK's messages
 * never mix into the report.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "np_pin.h"
#include "np_pipeline_worker.h"
#include "np_runtime.h"
#include "pinbench.h"

#define PB_STAGE "pinbench-touch"
#define N_PORTS 2
#define CPU_SAMPLE_EVERY 64          /* bursts between sched_getcpu() samples */
#define CHILD_GRACE_S 120            /* EAL bring-up and teardown, beyond --duration */

/* The stage's per-lcore context, on the lcore's node. */
struct touch_ctx {
	uint64_t bursts;
	uint64_t pkts;
	cpu_set_t seen;                  /* CPUs the worker was seen on */
};

static void
touch_process(void *ctx, struct np_burst *b)
{
	struct touch_ctx *c = ctx;

	for (uint16_t i = 0; i < b->n; i++) {
		struct rte_ether_hdr *eth = rte_pktmbuf_mtod(b->pkts[i], struct rte_ether_hdr *);
		struct rte_ether_addr tmp;

		rte_ether_addr_copy(&eth->src_addr, &tmp);
		rte_ether_addr_copy(&eth->dst_addr, &eth->src_addr);
		rte_ether_addr_copy(&tmp, &eth->dst_addr);
	}
	c->pkts += b->n;
	if (c->bursts++ % CPU_SAMPLE_EVERY == 0) {
		int cpu = sched_getcpu();

		if (cpu >= 0 && cpu < CPU_SETSIZE)
			CPU_SET(cpu, &c->seen);
	}
}

static struct np_stage touch_stage = {
	.name = PB_STAGE,
	.process = touch_process,
	.ctx_size = sizeof(struct touch_ctx),
};
NP_STAGE_REGISTER(touch_stage);

static void
set(struct pb_result *r, enum pb_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
set(struct pb_result *r, enum pb_status st, const char *fmt, ...)
{
	va_list ap;

	if (r->status == PB_ST_REFUSED || r->status == PB_ST_FAILED)
		return;
	r->status = st;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

/* Memory node of the configuration (ports, pools) and the worker's node. */
static int
mem_node(const struct pb_place *pl)
{
	return pl->mem_node;
}

static void
runtime_params(const struct pb_run *run, const struct pb_place *pl, np_topo *topo,
	       struct np_runtime_port *ports, unsigned int *cpu,
	       struct np_runtime_params *p)
{
	static const char *const stages[] = { PB_STAGE };
	static const char *const eal[] = { "--log-level=lib.eal:warning" };

	for (unsigned int i = 0; i < N_PORTS; i++)
		ports[i] = (struct np_runtime_port){
			.vdev = i == 0 ? "net_null0" : "net_null1",
			.node = mem_node(pl), .rx_queues = 1, .rx_desc = 1024, .tx_desc = 1024,
			.peer = (int)(1 - i), .promiscuous = false,
		};
	*cpu = (unsigned int)pl->cpu;
	*p = (struct np_runtime_params){
		.name = PB_PROG, .topo = topo, .ports = ports, .n_ports = N_PORTS,
		.cpus = cpu, .n_cpus = 1,
		.unknown_policy = NP_UNKNOWN_NEAREST_WORKER,
		.pool_placement = NP_POOL_AT_PORT, .tx_mode = NP_TX_BY_POLLER,
		.ring_size = 1024, .burst = run->args.burst, .cache_size = 256,
		.data_room = RTE_MBUF_DEFAULT_BUF_SIZE,
		.stages = stages, .n_stages = 1, .latency = true,
		.no_huge = run->args.no_huge, .eal_args = eal, .n_eal_args = 1,
	};
}

/* The plan says what the name says? 0, or -1 with @r refused. */
static int
check_plan(const np_plan *plan, const struct pb_place *pl, struct pb_result *r)
{
	int want_mem = mem_node(pl);
	size_t off = 0;

	r->workers[0] = r->pools[0] = '\0';
	for (unsigned int i = 0; i < np_plan_lcore_count(plan); i++) {
		struct np_plan_lcore l;

		np_plan_lcore(plan, i, &l);
		off += (size_t)snprintf(r->workers + off, off < sizeof(r->workers) ?
					sizeof(r->workers) - off : 0, "%slcore %u (node %d)",
					i ? ", " : "", l.lcore, l.node);
		if (l.node != pl->thread_node) {
			set(r, PB_ST_REFUSED, "the plan puts worker lcore %u on node %d, not on "
			    "node %d", l.lcore, l.node, pl->thread_node);
			return -1;
		}
	}
	for (unsigned int i = 0; i < np_plan_port_count(plan); i++) {
		struct np_plan_port_info pi;

		np_plan_port(plan, i, &pi);
		if (pi.node != want_mem || pi.mem_node != want_mem ||
		    pi.poll_node != pl->thread_node) {
			set(r, PB_ST_REFUSED, "the plan puts port%u (%s) on node %d (memory node "
			    "%d) polled from node %d, not on node %d polled from node %d", i,
			    pi.name, pi.node, pi.mem_node, pi.poll_node, want_mem,
			    pl->thread_node);
			return -1;
		}
	}
	off = 0;
	for (unsigned int i = 0; i < np_plan_pool_count(plan); i++) {
		struct np_plan_pool pp;

		np_plan_pool(plan, i, &pp);
		off += (size_t)snprintf(r->pools + off, off < sizeof(r->pools) ?
					sizeof(r->pools) - off : 0, "%s%d", i ? "," : "",
					pp.node);
		if (pp.node != want_mem) {
			set(r, PB_ST_REFUSED, "the plan puts pool %s on node %d, not on node %d",
			    pp.name, pp.node, want_mem);
			return -1;
		}
	}
	return 0;
}

/*
 * The audit: every pool chunk on the memory node, every worker object on
 * the worker's node, as DPDK and the kernel say; nothing MISPLACED or
 * UNKNOWN. @when: "before the run", "after the run".
 */
static int
check_audit(np_runtime *rt, const struct pb_place *pl, const char *when, struct pb_result *r)
{
	const np_audit *a = np_runtime_audit(rt);

	if (a == NULL) {
		set(r, PB_ST_REFUSED, "%s, the audit could not run: %s", when, np_last_error());
		return -1;
	}
	r->audit_objects = np_audit_count(a);
	r->audit_ok = np_audit_count_verdict(a, NP_AUDIT_OK);
	r->audit_misplaced = np_audit_count_verdict(a, NP_AUDIT_MISPLACED);
	r->audit_remote = np_audit_count_verdict(a, NP_AUDIT_REMOTE);
	r->audit_unknown = np_audit_count_verdict(a, NP_AUDIT_UNKNOWN);
	for (unsigned int i = 0; i < np_audit_count(a); i++) {
		struct np_audit_entry e;
		int want;

		np_audit_entry(a, i, &e);
		want = strcmp(e.kind, "pool") == 0 || strcmp(e.kind, "pool-use") == 0 ?
		       mem_node(pl) : pl->thread_node;
		if (e.verdict == NP_AUDIT_MISPLACED || e.verdict == NP_AUDIT_UNKNOWN) {
			set(r, PB_ST_REFUSED, "%s, the audit finds %s %s %s (meant for node %d; "
			    "DPDK says node %d, the kernel node %d, %u of %u sampled pages "
			    "elsewhere)", when, e.kind, e.what, np_audit_verdict_name(e.verdict),
			    e.intended, e.dpdk_node, e.kernel_node, e.pages_off, e.pages);
			return -1;
		}
		if (e.intended != want ||
		    (e.kernel_node != NP_NODE_UNKNOWN && e.kernel_node != want)) {
			set(r, PB_ST_REFUSED, "%s, the audit finds %s %s on node %d (meant for "
			    "node %d), where %s needs node %d", when, e.kind, e.what,
			    e.kernel_node != NP_NODE_UNKNOWN ? e.kernel_node : e.dpdk_node,
			    e.intended, pb_config_name(pl->cfg), want);
			return -1;
		}
	}
	return 0;
}

/* After the run: the worker's CPUs, the stage ran, locality as the name says. */
static int
check_run(const struct pb_run *run, np_pipeline *pl_, const struct pb_place *pl,
	  struct pb_result *r)
{
	np_nodemask nodes = { 0 };
	cpu_set_t seen;
	uint64_t pkts = 0;
	bool local = pl->thread_node == mem_node(pl);

	CPU_ZERO(&seen);
	for (unsigned int i = 0; i < np_pipeline_lcore_count(pl_); i++) {
		const struct touch_ctx *c = np_pipeline_stage_ctx(pl_, i, 0);

		if (c == NULL)
			continue;
		CPU_OR(&seen, &seen, &c->seen);
		pkts += c->pkts;
	}
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &seen) && np_topo_cpu_node(run->m.topo, (unsigned int)c) >= 0)
			np_nodemask_set(&nodes, np_topo_cpu_node(run->m.topo, (unsigned int)c));
	np_cpuset_format(&seen, r->ran_cpus, sizeof(r->ran_cpus));
	np_nodemask_format(&nodes, r->ran_nodes, sizeof(r->ran_nodes));
	if (pkts == 0) {
		set(r, PB_ST_FAILED, "the stage saw no packet in %.3g s: net_null produced "
		    "nothing", r->seconds);
		return -1;
	}
	if (np_nodemask_weight(&nodes) != 1 || !np_nodemask_isset(&nodes, pl->thread_node)) {
		set(r, PB_ST_REFUSED, "the worker was seen on CPUs %s (nodes %s), not only on "
		    "node %d", r->ran_cpus, r->ran_nodes, pl->thread_node);
		return -1;
	}
	/* Local: port, worker and pool on one node for every packet; remote: for none. */
	if (local ? strcmp(r->health, "local") != 0 : r->locality != 0) {
		set(r, PB_ST_REFUSED, "the locality counters say %s (%.1f%% of %" PRIu64
		    " packets local), not what %s means", r->health, r->locality * 100,
		    r->locality_pkts, pb_config_name(pl->cfg));
		return -1;
	}
	return 0;
}

static void
collect(np_runtime *rt, np_pipeline *p, struct pb_result *r)
{
	struct np_latency lat;

	r->seconds = np_pipeline_seconds(p);
	for (unsigned int i = 0; i < N_PORTS; i++) {
		r->rx += np_pipeline_port_stat(p, i, NP_PORT_RX);
		r->tx += np_pipeline_port_stat(p, i, NP_PORT_TX);
	}
	r->drops = np_pipeline_drops_total(p);
	r->rate = r->seconds > 0 ? (double)r->tx / r->seconds : 0;
	r->locality = np_pipeline_locality_ratio(p, -1, -1, &r->locality_pkts);
	snprintf(r->health, sizeof(r->health), "%s",
		 np_locality_health(r->locality, r->locality_pkts));
	if (np_pipeline_latency(p, -1, -1, NP_LATENCY_TOTAL, &lat) == 0) {
		r->have_latency = true;
		r->count = lat.count;
		r->min = lat.min;
		r->mean = lat.mean;
		r->p50 = lat.p50;
		r->p90 = lat.p90;
		r->p99 = lat.p99;
		r->p999 = lat.p999;
		r->max = lat.max;
		r->saturated = lat.saturated;
	}
	pb_result_numastat(r, np_runtime_numastat(rt));
}

/* In the child: bring up, verify, run, verify, report into @r. */
static void
child(const struct pb_run *run, const struct pb_place *pl, struct pb_result *r)
{
	struct np_runtime_port ports[N_PORTS];
	struct np_runtime_params p;
	struct np_runtime_stop_report stop;
	static const char *const stages[] = { PB_STAGE };
	unsigned int cpu;
	np_pipeline *pipe_;
	np_runtime *rt;

	runtime_params(run, pl, run->m.topo, ports, &cpu, &p);
	rt = np_runtime_create(&p);
	if (rt == NULL) {
		set(r, PB_ST_FAILED, "the runtime refused the configuration: %s", np_last_error());
		return;
	}
	if (check_plan(np_runtime_plan(rt), pl, r) < 0)
		goto out;
	if (np_runtime_start(rt) < 0) {
		set(r, PB_ST_FAILED, "the bring-up failed: %s", np_last_error());
		goto out;
	}
	/* np_runtime_start() plans again with what DPDK reports: check that plan too. */
	if (check_plan(np_runtime_plan(rt), pl, r) < 0)
		goto out;
	pipe_ = np_runtime_pipeline(rt, stages, 1);
	if (pipe_ == NULL) {
		set(r, PB_ST_FAILED, "the pipeline could not be created: %s", np_last_error());
		goto out;
	}
	if (check_audit(rt, pl, "before the run", r) < 0)
		goto out;
	if (np_runtime_run(rt, run->args.duration) < 0) {
		set(r, PB_ST_FAILED, "the run failed: %s", np_last_error());
		goto out;
	}
	collect(rt, pipe_, r);
	if (check_audit(rt, pl, "after the run", r) < 0 || check_run(run, pipe_, pl, r) < 0)
		goto out;
	if (np_runtime_stop(rt, &stop) < 0) {
		set(r, PB_ST_FAILED, "the stop failed: %s", np_last_error());
		goto out;
	}
	r->status = PB_ST_RAN;
out:
	np_runtime_destroy(rt);
	if (r->status != PB_ST_RAN)
		r->have_latency = false;
}

static void
describe(const struct pb_run *run, const struct pb_place *pl, struct pb_result *r)
{
	r->cfg = pl->cfg;
	r->thread_node = pl->thread_node;
	r->cpu = pl->cpu;
	r->policy = pl->policy;
	np_nodemask_format(&pl->mem_mask, r->mem_nodes, sizeof(r->mem_nodes));
	r->distance = np_topo_distance(run->m.topo, pl->thread_node, pl->mem_node);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Read @size bytes from @fd within @deadline (now_s()). Bytes read. */
static size_t
read_until(int fd, void *buf, size_t size, double deadline)
{
	size_t got = 0;

	while (got < size) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		double left = deadline - now_s();
		int n;
		ssize_t k;

		if (left <= 0)
			break;
		n = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		k = read(fd, (char *)buf + got, size - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	return got;
}

void
pb_pipeline_run(const struct pb_run *run, const struct pb_place *pl, struct pb_result *r)
{
	struct pb_result got;
	int fds[2], status = 0;
	size_t n;
	pid_t pid;

	describe(run, pl, r);
	if (pl->cpu < 0) {
		char cpus[128];

		set(r, PB_ST_REFUSED, "none of node %d's CPUs (%s) is allowed to this process "
		    "(taskset or a cgroup cpuset): no worker can run on node %d",
		    pl->thread_node, pb_node_cpus_text(run->m.topo, pl->thread_node, cpus,
							sizeof(cpus)), pl->thread_node);
		return;
	}
	if (pl->thread_node == pl->mem_node && pl->cfg != PB_LOCAL) {
		set(r, PB_ST_REFUSED, "the worker and the ports' memory are both on node %d: the "
		    "placement is local, not %s (--home and --away name the same node)",
		    pl->mem_node, pb_config_name(pl->cfg));
		return;
	}
	if (pipe(fds) < 0) {
		set(r, PB_ST_FAILED, "pipe: %s", strerror(errno));
		return;
	}
	fflush(NULL);   /* the child must not write the parent's buffered output again */
	pid = fork();
	if (pid < 0) {
		set(r, PB_ST_FAILED, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		ssize_t w;

		close(fds[0]);
		/* DPDK logs to stdout: keep the report clean. */
		dup2(STDERR_FILENO, STDOUT_FILENO);
		child(run, pl, r);
		w = write(fds[1], r, sizeof(*r));
		/*
		 * exit(), not _exit(): the child's own stdio and atexit work (coverage
		 * counters) are flushed; the parent had nothing pending (fflush above),
		 * and EAL already ended in np_runtime_destroy().
		 */
		exit(w == (ssize_t)sizeof(*r) ? 0 : 1);
	}
	close(fds[1]);
	n = read_until(fds[0], &got, sizeof(got), now_s() + run->args.duration + CHILD_GRACE_S);
	close(fds[0]);
	if (n < sizeof(got))
		kill(pid, SIGKILL);   /* ours, and silent or stuck: do not wait forever */
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (n == sizeof(got)) {
		*r = got;
		return;
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
		set(r, PB_ST_FAILED, "the child process running %s died of signal %d (%s)",
		    pb_config_name(pl->cfg), WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (WIFEXITED(status))
		set(r, PB_ST_FAILED, "the child process running %s exited with status %d without "
		    "a result", pb_config_name(pl->cfg), WEXITSTATUS(status));
	else
		set(r, PB_ST_FAILED, "the child process running %s gave no result within %.0f s "
		    "and was killed", pb_config_name(pl->cfg),
		    run->args.duration + CHILD_GRACE_S);
}

int
pb_pipeline_dry(const struct pb_run *run, const struct pb_place *pl, FILE *f)
{
	struct np_runtime_port ports[N_PORTS];
	struct np_runtime_params p;
	struct pb_result r;
	unsigned int cpu;
	np_runtime *rt;
	int ret = 0;

	if (pl->cpu < 0)
		return 0;   /* said on the line above */
	memset(&r, 0, sizeof(r));
	runtime_params(run, pl, run->m.topo, ports, &cpu, &p);
	rt = np_runtime_create(&p);
	if (rt == NULL) {
		fprintf(f, "  plan: the runtime refuses it: %s\n", np_last_error());
		return -1;
	}
	if (check_plan(np_runtime_plan(rt), pl, &r) < 0) {
		fprintf(f, "  plan: %s\n", r.reason);
		ret = -1;
	} else {
		fprintf(f, "  plan: worker %s; net_null0 and net_null1 on node %d, polled from "
			"node %d; mbuf pool on node %s\n", r.workers, mem_node(pl),
			pl->thread_node, r.pools);
	}
	np_runtime_destroy(rt);
	return ret;
}
