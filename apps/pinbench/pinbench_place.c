/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The machine, the two nodes every configuration is built from, and where
 * each configuration's thread and memory go:
 *
 *   X (home) = the lowest node with CPUs and memory, or --home;
 *   Y (away) = the NEAREST other node with CPUs and memory by X's row of
 *              the distance matrix (ties: the lower id), or --away.
 *
 * Distances are read from the thread's node to the memory's node (the row
 * is the CPU that reads, the column the memory it reads), as numactl
 * --hardware prints them; with an asymmetric matrix remote-memory and
 * remote-cpu between the same two nodes may differ.
 *
 * Input checks live here (exit 2 before anything runs): nodes that do not
 * exist, a node without CPUs for a thread or without memory for the
 * buffer, a buffer larger than the node's memory.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <numa.h>

#include "np_pin.h"
#include "np_runtime.h"
#include "pinbench.h"

static bool
has_cpus(const np_topo *t, int node)
{
	return np_topo_node_cpus(t, node, NULL, 0) > 0;
}

/* Synthetic descriptions report no memory anywhere: every node then counts as having some. */
static bool
has_memory(const struct pb_machine *m, int node)
{
	return np_nodemask_isset(&m->mem_nodes, node);
}

const char *
pb_node_cpus_text(const np_topo *t, int node, char *buf, size_t len)
{
	unsigned int cpus[CPU_SETSIZE];
	cpu_set_t set;
	int n = np_topo_node_cpus(t, node, cpus, CPU_SETSIZE);

	CPU_ZERO(&set);
	for (int i = 0; i < n && i < CPU_SETSIZE; i++)
		CPU_SET(cpus[i], &set);
	if (n <= 0)
		snprintf(buf, len, "none");
	else
		np_cpuset_format(&set, buf, len);
	return buf;
}

static const char *
nodes_text(const np_topo *t, bool (*want)(const struct pb_machine *, int),
	   const struct pb_machine *m, char *buf, size_t len)
{
	np_nodemask mask = { 0 };

	for (unsigned int i = 0; i < np_topo_node_count(t); i++) {
		int node = np_topo_node_id(t, i);

		if (want == NULL || want(m, node))
			np_nodemask_set(&mask, node);
	}
	if (np_nodemask_weight(&mask) == 0)
		snprintf(buf, len, "none");
	else
		np_nodemask_format(&mask, buf, len);
	return buf;
}

static bool
want_cpus(const struct pb_machine *m, int node)
{
	return has_cpus(m->topo, node);
}

static void
read_cpu_model(struct pb_machine *m)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];

	snprintf(m->cpu_model, sizeof(m->cpu_model), "unknown CPU");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) != 0 || colon == NULL)
			continue;
		colon += 1 + strspn(colon + 1, " \t");
		colon[strcspn(colon, "\n")] = '\0';
		snprintf(m->cpu_model, sizeof(m->cpu_model), "%s", colon);
		break;
	}
	fclose(f);
}

/* A node given on the command line must exist. */
static int
check_exists(const struct pb_machine *m, const char *opt, int node)
{
	char list[128];

	if (np_topo_node_exists(m->topo, node))
		return 0;
	fprintf(stderr, PB_PROG ": %s %d: no such node; %s has node%s %s\n", opt, node,
		m->live ? "this machine" : m->source, m->n_nodes == 1 ? "" : "s",
		nodes_text(m->topo, NULL, m, list, sizeof(list)));
	return -1;
}

/* Which option or default names node X / Y, for messages. */
static const char *
who(const struct pb_run *run, bool home)
{
	if (home)
		return run->args.home != NP_NODE_ANY ? "--home" : "home node X";
	return run->args.away != NP_NODE_ANY ? "--away" : "away node Y";
}

static int
need_cpus(const struct pb_run *run, bool home, int node, const char *cfg)
{
	char list[128];

	if (has_cpus(run->m.topo, node))
		return 0;
	fprintf(stderr, PB_PROG ": %s %d: node %d has no CPUs, so the thread of %s cannot run "
		"there; choose a node with CPUs (nodes with CPUs: %s)\n", who(run, home), node, node, cfg,
		nodes_text(run->m.topo, want_cpus, &run->m, list, sizeof(list)));
	return -1;
}

/* The node's memory must hold @need bytes (its total; on this machine, its free memory). */
static int
need_memory(const struct pb_run *run, bool home, int node, const char *cfg, uint64_t need)
{
	const struct pb_machine *m = &run->m;
	char list[128], a[32], b[32], c[32];
	long long free_b = -1, total;

	if (!has_memory(m, node)) {
		fprintf(stderr, PB_PROG ": %s %d: node %d has no memory, so the buffer of %s "
			"cannot be there; choose a node with memory (nodes with memory: %s)\n", who(run, home), node,
			node, cfg, nodes_text(m->topo, has_memory, m, list, sizeof(list)));
		return -1;
	}
	if (run->args.mode != PB_MODE_MEMORY)
		return 0;
	total = (long long)np_topo_node_memory(m->topo, node);
	if (m->live && numa_available() >= 0)
		(void)numa_node_size64(node, &free_b);
	if ((total > 0 && need > (uint64_t)total) || (free_b >= 0 && need > (uint64_t)free_b)) {
		fprintf(stderr, PB_PROG ": --size %s does not fit node %d (%s of memory%s%s%s), "
			"needed by %s: give a smaller --size\n",
			pb_size_text(run->args.size, a, sizeof(a)), node,
			pb_size_text((uint64_t)total, b, sizeof(b)),
			free_b >= 0 ? ", " : "",
			free_b >= 0 ? pb_size_text((uint64_t)free_b, c, sizeof(c)) : "",
			free_b >= 0 ? " free" : "", cfg);
		return -1;
	}
	return 0;
}

static void
choose_home(struct pb_run *run)
{
	struct pb_machine *m = &run->m;

	if (run->args.home != NP_NODE_ANY) {
		m->home = run->args.home;
		snprintf(m->home_why, sizeof(m->home_why), "--home");
		return;
	}
	m->home = NP_NODE_ANY;
	for (unsigned int i = 0; i < m->n_nodes; i++) {
		int node = np_topo_node_id(m->topo, i);

		if (has_cpus(m->topo, node) && has_memory(m, node)) {
			m->home = node;
			snprintf(m->home_why, sizeof(m->home_why),
				 "the lowest node with CPUs and memory");
			return;
		}
	}
}

static void
choose_away(struct pb_run *run)
{
	struct pb_machine *m = &run->m;
	int order[NP_MAX_NODE_ID + 1];
	int n;

	if (run->args.away != NP_NODE_ANY) {
		m->away = run->args.away;
		snprintf(m->away_why, sizeof(m->away_why), "--away");
		return;
	}
	m->away = NP_NODE_ANY;
	if (m->n_nodes == 1) {
		snprintf(m->away_why, sizeof(m->away_why), "none (1 NUMA node)");
		return;
	}
	/* Nearest first by X's row, ties to the lower id: the framework's order. */
	n = np_topo_nodes_by_distance(m->topo, m->home, order, NP_MAX_NODE_ID + 1);
	for (int i = 0; i < n && i <= NP_MAX_NODE_ID; i++) {
		if (order[i] == m->home || !has_cpus(m->topo, order[i]) ||
		    !has_memory(m, order[i]))
			continue;
		m->away = order[i];
		snprintf(m->away_why, sizeof(m->away_why), "the nearest other node with CPUs "
			 "and memory (distance %d in node %d's row%s)",
			 np_topo_distance(m->topo, m->home, order[i]), m->home,
			 np_topo_distances_known(m->topo) ? "" :
			 "; the description has no distances: 10 local, 20 remote");
		return;
	}
	snprintf(m->away_why, sizeof(m->away_why), "none (no other node has both CPUs and "
		 "memory)");
}

/* The nodes each selected, applicable configuration needs, checked. */
static int
check_roles(struct pb_run *run)
{
	const struct pb_args *a = &run->args;
	const struct pb_machine *m = &run->m;
	bool multi = m->n_nodes > 1, y = m->away != NP_NODE_ANY;
	unsigned int n_mem = np_nodemask_weight(&m->mem_nodes);

	if (a->configs[PB_LOCAL] &&
	    (need_cpus(run, true, m->home, "local") < 0 ||
	     need_memory(run, true, m->home, "local", a->size) < 0))
		return -1;
	if (a->configs[PB_REMOTE_MEMORY] && multi && y &&
	    (need_cpus(run, true, m->home, "remote-memory") < 0 ||
	     need_memory(run, false, m->away, "remote-memory", a->size) < 0))
		return -1;
	if (a->configs[PB_REMOTE_CPU] && multi && y &&
	    (need_memory(run, true, m->home, "remote-cpu", a->size) < 0 ||
	     need_cpus(run, false, m->away, "remote-cpu") < 0))
		return -1;
	if (a->configs[PB_UNPINNED] && need_memory(run, true, m->home, "unpinned", a->size) < 0)
		return -1;
	if (a->configs[PB_INTERLEAVE] && multi && n_mem > 1 && a->mode == PB_MODE_MEMORY) {
		/* Round-robin: each node holds its share, one page more at most. */
		uint64_t share = a->size / n_mem + (64u << 10);

		if (need_cpus(run, true, m->home, "interleave") < 0)
			return -1;
		NP_NODEMASK_FOREACH(node, &m->mem_nodes)
			if (need_memory(run, node == m->home, node, "interleave", share) < 0)
				return -1;
	}
	return 0;
}

int
pb_machine_load(struct pb_run *run)
{
	struct pb_args *a = &run->args;
	struct pb_machine *m = &run->m;
	unsigned int n_cpus_total;
	bool any_memory = false;
	struct utsname u;

	memset(m, 0, sizeof(*m));
	if (a->topology == NULL)
		m->topo = np_topo_load();
	else if (strncmp(a->topology, "synthetic:", 10) == 0)
		m->topo = np_topo_load_synthetic(a->topology + 10);
	else
		m->topo = np_topo_load_xml(a->topology);
	if (m->topo == NULL) {
		/* np_last_error() names the file or description. */
		fprintf(stderr, PB_PROG ": %s%s\n", a->topology ? "--topology: " : "",
			np_last_error());
		return -1;
	}
	m->live = np_topo_source(m->topo) == NP_TOPO_LIVE;
	snprintf(m->source, sizeof(m->source), "%s", np_topo_source_name(m->topo));
	if (!m->live)
		a->dry_run = true;   /* a described machine can only be planned */
	m->n_nodes = np_topo_node_count(m->topo);
	m->n_cpus = np_topo_cpu_count(m->topo);
	if (m->live) {
		if (uname(&u) == 0)
			snprintf(m->host, sizeof(m->host), "%s", u.nodename);
		read_cpu_model(m);
	} else {
		snprintf(m->host, sizeof(m->host), "described machine");
		snprintf(m->cpu_model, sizeof(m->cpu_model), "%s", m->source);
	}
	for (unsigned int i = 0; i < m->n_nodes; i++)
		if (np_topo_node_memory(m->topo, np_topo_node_id(m->topo, i)) > 0)
			any_memory = true;
	for (unsigned int i = 0; i < m->n_nodes; i++) {
		int node = np_topo_node_id(m->topo, i);

		if (!any_memory || np_topo_node_memory(m->topo, node) > 0)
			np_nodemask_set(&m->mem_nodes, node);
	}
	/* The CPUs this process may run on now: a thread is pinned among them. */
	CPU_ZERO(&m->allowed);
	n_cpus_total = m->n_cpus;
	if (!m->live || sched_getaffinity(0, sizeof(m->allowed), &m->allowed) != 0)
		for (unsigned int c = 0; c < CPU_SETSIZE && n_cpus_total > 0; c++)
			if (np_topo_cpu_node(m->topo, c) >= 0) {
				CPU_SET(c, &m->allowed);
				n_cpus_total--;
			}

	if ((a->home != NP_NODE_ANY && check_exists(m, "--home", a->home) < 0) ||
	    (a->away != NP_NODE_ANY && check_exists(m, "--away", a->away) < 0))
		return -1;
	choose_home(run);
	if (m->home == NP_NODE_ANY) {
		fprintf(stderr, PB_PROG ": no node of %s has both CPUs and memory: there is no home "
			"node X to measure from; give --home\n", m->live ? "this machine" :
			m->source);
		return -1;
	}
	choose_away(run);
	return check_roles(run);
}

void
pb_machine_free(struct pb_machine *m)
{
	np_topo_destroy(m->topo);
	m->topo = NULL;
}

/* The first CPU of @node this process may run on, or -1. */
static int
first_allowed_cpu(const struct pb_machine *m, int node)
{
	unsigned int cpus[CPU_SETSIZE];
	int n = np_topo_node_cpus(m->topo, node, cpus, CPU_SETSIZE);

	for (int i = 0; i < n && i < CPU_SETSIZE; i++)
		if (CPU_ISSET(cpus[i], &m->allowed))
			return (int)cpus[i];
	return -1;
}

static void
not_applicable(struct pb_place *pl, enum pb_status st, const char *fmt, const char *arg)
{
	pl->status = st;
	snprintf(pl->why, sizeof(pl->why), fmt, arg);
}

void
pb_plan_configs(struct pb_run *run)
{
	const struct pb_machine *m = &run->m;
	bool pipeline = run->args.mode == PB_MODE_PIPELINE;
	char list[64];

	run->n_selected = 0;
	for (int c = 0; c < PB_N_CONFIGS; c++) {
		struct pb_place *pl = &run->place[c];

		memset(pl, 0, sizeof(*pl));
		pl->cfg = (enum pb_config)c;
		pl->status = PB_ST_NOT_RUN;
		pl->thread_node = m->home;
		pl->policy = NP_MEM_BIND;
		pl->mem_node = m->home;
		if (!run->args.configs[c])
			continue;
		run->n_selected++;
		switch (pl->cfg) {
		case PB_LOCAL:
			break;
		case PB_REMOTE_MEMORY:
		case PB_REMOTE_CPU:
			if (m->n_nodes == 1)
				not_applicable(pl, PB_ST_NOT_APPLICABLE, "%s",
					       "not applicable: 1 NUMA node");
			else if (m->away == NP_NODE_ANY)
				not_applicable(pl, PB_ST_NOT_APPLICABLE, "%s",
					       "not applicable: no node other than X has both CPUs "
					       "and memory (give --away)");
			if (pl->cfg == PB_REMOTE_MEMORY)
				pl->mem_node = m->away;
			else
				pl->thread_node = m->away;
			break;
		case PB_UNPINNED:
			pl->thread_node = NP_NODE_ANY;
			if (pipeline)
				not_applicable(pl, PB_ST_NOT_SUPPORTED, "%s",
					       "not supported in pipeline mode: EAL pins every "
					       "worker lcore to one CPU, and the runtime has no "
					       "unpinned workers");
			break;
		case PB_INTERLEAVE:
			pl->policy = NP_MEM_INTERLEAVE;
			pl->mem_node = NP_NODE_ANY;
			if (m->n_nodes == 1) {
				not_applicable(pl, PB_ST_NOT_APPLICABLE, "%s",
					       "not applicable: 1 NUMA node");
			} else if (np_nodemask_weight(&m->mem_nodes) < 2) {
				np_nodemask_format(&m->mem_nodes, list, sizeof(list));
				not_applicable(pl, PB_ST_NOT_APPLICABLE,
					       "not applicable: only node %s has memory", list);
			} else if (pipeline) {
				not_applicable(pl, PB_ST_NOT_SUPPORTED, "%s",
					       "not supported in pipeline mode: an mbuf pool is "
					       "DPDK memory of one socket, and np_runtime_params has "
					       "no interleaved pool placement");
			}
			break;
		default:
			break;
		}
		if (pl->policy == NP_MEM_INTERLEAVE)
			pl->mem_mask = m->mem_nodes;
		else if (pl->mem_node >= 0)
			np_nodemask_set(&pl->mem_mask, pl->mem_node);
		pl->cpu = pl->thread_node >= 0 ? first_allowed_cpu(m, pl->thread_node) : -1;
	}
}

void
pb_print_header(const struct pb_run *run, FILE *f)
{
	const struct pb_args *a = &run->args;
	const struct pb_machine *m = &run->m;
	char sz[32];

	if (a->mode == PB_MODE_MEMORY)
		fprintf(f, PB_PROG ": memory mode, %s buffer (%s pages), %" PRIu64 " samples of "
			"%u hops", pb_size_text(a->size, sz, sizeof(sz)),
			np_page_mode_name(a->pages), a->samples, a->hops);
	else
		fprintf(f, PB_PROG ": pipeline mode, net_null pair, %.3g s per configuration, "
			"burst %u%s", a->duration, a->burst, a->no_huge ? ", --no-huge" : "");
	fprintf(f, "; %s: %u NUMA node%s, %u CPUs, %s\n", m->host, m->n_nodes,
		m->n_nodes == 1 ? "" : "s", m->n_cpus, m->cpu_model);
	fprintf(f, "home node X = %d: %s; away node Y", m->home, m->home_why);
	if (m->away == NP_NODE_ANY)
		fprintf(f, ": %s\n", m->away_why);
	else
		fprintf(f, " = %d: %s\n", m->away, m->away_why);
}

/* "0:10 1:16 2:22" : distances from @from to every node (row), or to @to from every node. */
static void
distances_text(const np_topo *t, int from, int to, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < np_topo_node_count(t) && off < len; i++) {
		int node = np_topo_node_id(t, i);
		int d = from >= 0 ? np_topo_distance(t, from, node) : np_topo_distance(t, node, to);
		int n = snprintf(buf + off, len - off, "%s%d:%d", i ? " " : "", node, d);

		if (n < 0)
			break;
		off += (size_t)n;
	}
}

static void
dry_line(const struct pb_run *run, const struct pb_place *pl, FILE *f)
{
	const struct pb_machine *m = &run->m;
	char cpus[128], nodes[64], sz[32], dist[256];

	fprintf(f, "%s: ", pb_config_name(pl->cfg));
	if (pl->status == PB_ST_NOT_APPLICABLE || pl->status == PB_ST_NOT_SUPPORTED) {
		fprintf(f, "%s\n", pl->why);
		return;
	}
	if (pl->thread_node == NP_NODE_ANY) {
		np_cpuset_format(&m->allowed, cpus, sizeof(cpus));
		fprintf(f, "thread not pinned (the scheduler chooses among CPUs %s); ", cpus);
	} else if (pl->cpu < 0) {
		fprintf(f, "thread on node %d: none of its CPUs (%s) is allowed to this process, "
			"so this configuration would be refused; ", pl->thread_node,
			pb_node_cpus_text(m->topo, pl->thread_node, cpus, sizeof(cpus)));
	} else {
		fprintf(f, "%s pinned to CPU %d on node %d (CPUs %s); ",
			run->args.mode == PB_MODE_PIPELINE ? "worker lcore" : "thread", pl->cpu,
			pl->thread_node, pb_node_cpus_text(m->topo, pl->thread_node, cpus,
							    sizeof(cpus)));
	}
	np_nodemask_format(&pl->mem_mask, nodes, sizeof(nodes));
	if (run->args.mode == PB_MODE_PIPELINE) {
		fprintf(f, "ports and mbuf pool on node %s; distance %d", nodes,
			np_topo_distance(m->topo, pl->thread_node, pl->mem_node));
		if (pl->cfg != PB_LOCAL && pl->thread_node == pl->mem_node)
			fprintf(f, " (worker and memory on one node: not %s, so this "
				"configuration would be refused)", pb_config_name(pl->cfg));
		fprintf(f, "\n");
		return;
	}
	if (pl->policy == NP_MEM_INTERLEAVE) {
		fprintf(f, "memory interleaved over nodes %s", nodes);
		if (run->args.mode == PB_MODE_MEMORY)
			fprintf(f, " (%s each)", pb_size_text(run->args.size /
							      np_nodemask_weight(&pl->mem_mask),
							      sz, sizeof(sz)));
		distances_text(m->topo, pl->thread_node, -1, dist, sizeof(dist));
		fprintf(f, "; distances from node %d: %s\n", pl->thread_node, dist);
		return;
	}
	fprintf(f, "memory bound to node %s", nodes);
	if (run->args.mode == PB_MODE_MEMORY)
		fprintf(f, " (%s)", pb_size_text(run->args.size, sz, sizeof(sz)));
	if (pl->thread_node == NP_NODE_ANY) {
		distances_text(m->topo, -1, pl->mem_node, dist, sizeof(dist));
		fprintf(f, "; distances to node %d from each node: %s\n", pl->mem_node, dist);
		return;
	}
	fprintf(f, "; distance %d", np_topo_distance(m->topo, pl->thread_node, pl->mem_node));
	if (pl->cfg != PB_LOCAL && pl->thread_node == pl->mem_node)
		fprintf(f, " (thread and memory on one node: not %s, so this configuration "
			"would be refused)", pb_config_name(pl->cfg));
	fprintf(f, "\n");
}

int
pb_dry_run(struct pb_run *run, FILE *f)
{
	const struct pb_machine *m = &run->m;
	int ret = 0;

	fprintf(f, PB_PROG " dry run (%s mode) on %s: %u NUMA node%s, %u CPUs; nothing is "
		"measured\n", pb_mode_name(run->args.mode), m->live ? "this machine" : m->source,
		m->n_nodes, m->n_nodes == 1 ? "" : "s", m->n_cpus);
	fprintf(f, "home node X = %d: %s\n", m->home, m->home_why);
	if (m->away == NP_NODE_ANY)
		fprintf(f, "away node Y: %s\n", m->away_why);
	else
		fprintf(f, "away node Y = %d: %s\n", m->away, m->away_why);
	for (int c = 0; c < PB_N_CONFIGS; c++) {
		const struct pb_place *pl = &run->place[c];

		if (!run->args.configs[c])
			continue;
		dry_line(run, pl, f);
		if (run->args.mode == PB_MODE_PIPELINE && pl->status == PB_ST_NOT_RUN &&
		    pb_pipeline_dry(run, pl, f) < 0)
			ret = -1;
	}
	return ret;
}
