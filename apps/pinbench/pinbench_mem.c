/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory mode: the seed's "pin one thread and measure".
 *
 * The buffer is an np_region on the configuration's node(s) (bind, or
 * interleave over every node with memory), strict (a policy the kernel did
 * not install is an error, not a silent fallback) and prefaulted. Its
 * 64-byte cells are linked in one random cycle through all of them (the
 * same order for every configuration), so each load depends on the one
 * before and neither the prefetcher nor memory-level parallelism can hide
 * the latency: one hop costs one trip to wherever the cell is.
 *
 * Before anything is timed the placement is proved: np_region_where()
 * (move_pages) must find every page on the intended node (bind: all of
 * them; interleave: every node within 10 % of an even share, one page at
 * least, and none elsewhere), and a pinned thread must be on a CPU the
 * topology puts on its node. After the run both are checked again (pages
 * could migrate, a thread could move). Anything else refuses the
 * configuration: no figure is reported for it.
 *
 * Each sample times --hops hops with the TSC (fenced so the loads are
 * inside the window) and records the sample's cycles into an np_hist; the
 * report converts with the TSC rate measured over the run against
 * CLOCK_MONOTONIC (no EAL in this mode) and divides by the hops, so the
 * percentiles are ns per hop. The chase's end is checked against the order:
 * a broken chain cannot produce a figure.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#include "np_hist_worker.h"
#include "np_pin.h"
#include "pinbench.h"

#define CELL 64u                     /* one cache line */
#define WARMUP_HOPS 65536u           /* untimed, before the samples */
#define INTERLEAVE_TOLERANCE 0.10    /* each node within 10 % of an even share */

struct cell {
	struct cell *next;
	char pad[CELL - sizeof(struct cell *)];
};

_Static_assert(sizeof(struct cell) == CELL, "a cell is one cache line");

/* splitmix64: a small, good, seedable generator for the shuffle. */
static uint64_t
next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint32_t *
pb_mem_order(uint64_t n, uint64_t seed)
{
	uint32_t *order;
	uint64_t s = seed;

	if (n < 2 || n > UINT32_MAX) {
		errno = EINVAL;
		return NULL;
	}
	order = malloc(n * sizeof(*order));
	if (order == NULL)
		return NULL;
	for (uint64_t i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	/* Fisher-Yates; the cycle is order[0] -> order[1] -> ... -> order[n-1] -> order[0]. */
	for (uint64_t i = n - 1; i > 0; i--) {
		uint64_t j = (uint64_t)(((unsigned __int128)next_rand(&s) * (i + 1)) >> 64);
		uint32_t t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	return order;
}

/* The TSC, with every earlier instruction (the hops' loads) done first. */
static inline uint64_t
tsc_fenced(void)
{
#if defined(__x86_64__) || defined(__i386__)
	uint64_t t;

	_mm_lfence();
	t = __rdtsc();
	_mm_lfence();
	return t;
#else
	return rte_rdtsc_precise();
#endif
}

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline struct cell *
chase(struct cell *p, uint64_t hops)
{
	while (hops--)
		p = p->next;
	return p;
}

static void
refuse(struct pb_result *r, enum pb_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
refuse(struct pb_result *r, enum pb_status st, const char *fmt, ...)
{
	va_list ap;

	if (r->status == PB_ST_REFUSED || r->status == PB_ST_FAILED)
		return;   /* the first reason is the one that matters */
	r->status = st;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

/*
 * np_region_create()'s error as a pinbench user reads it: without the
 * function's name and without the library's advice on its strict flag
 * ("drop the flag to accept best effort"), which is pinbench's choice, not
 * the user's: a buffer placed other than the configuration names would be
 * measured under the wrong name. What is left says what is missing and how
 * to get it (the hugepages to reserve, the node not allowed...).
 */
static const char *
region_error(char *buf, size_t len)
{
	static const char fn[] = "np_region_create: ";
	const char *e = np_last_error();
	char *cut;

	if (strncmp(e, fn, sizeof(fn) - 1) == 0)
		e += sizeof(fn) - 1;
	snprintf(buf, len, "%s", e);
	cut = strstr(buf, " (NP_REGION_STRICT:");
	if (cut != NULL)
		*cut = '\0';
	return buf;
}

/* "0:65536 1:12" */
static const char *
where_text(const struct np_region_where *w, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < w->n_nodes && off < len; i++) {
		int n = snprintf(buf + off, len - off, "%snode %d: %" PRIu64, i ? ", " : "",
				 w->nodes[i].node, w->nodes[i].pages);

		if (n < 0)
			break;
		off += (size_t)n;
	}
	if (w->n_nodes == 0)
		snprintf(buf, len, "no node");
	return buf;
}

/*
 * Are the pages where the configuration's name says? 0, or -1 with the
 * reason in @why. @when: "before the run", "after the run".
 */
static int
check_where(const struct pb_place *pl, const struct np_region_where *w, const char *when,
	    char *why, size_t len)
{
	char text[400], nodes[64];
	unsigned int n_mask = np_nodemask_weight(&pl->mem_mask);

	np_nodemask_format(&pl->mem_mask, nodes, sizeof(nodes));
	where_text(w, text, sizeof(text));
	if (w->not_faulted != 0 || w->failed != 0 || w->other_nodes != 0) {
		snprintf(why, len, "%s, %" PRIu64 " of %" PRIu64 " pages are on no node the kernel "
			 "reports (%" PRIu64 " never faulted, %" PRIu64 " unreadable): the "
			 "placement cannot be proved (pages by node: %s)", when,
			 w->not_faulted + w->failed + w->other_nodes, w->pages, w->not_faulted,
			 w->failed, text);
		return -1;
	}
	if (pl->policy == NP_MEM_BIND) {
		uint64_t on = np_region_where_on(w, pl->mem_node);

		if (on == w->pages)
			return 0;
		snprintf(why, len, "%s, %" PRIu64 " of %" PRIu64 " pages are not on node %d, "
			 "where the buffer is bound (pages by node: %s)", when, w->pages - on,
			 w->pages, pl->mem_node, text);
		return -1;
	}
	/* Interleave: every node of the mask holds about its share, nothing elsewhere. */
	{
		double share = (double)w->pages / n_mask;
		double tol = share * INTERLEAVE_TOLERANCE > 1 ? share * INTERLEAVE_TOLERANCE : 1;
		uint64_t in_mask = 0;

		NP_NODEMASK_FOREACH(node, &pl->mem_mask) {
			uint64_t on = np_region_where_on(w, node);

			in_mask += on;
			if ((double)on < share - tol || (double)on > share + tol) {
				snprintf(why, len, "%s, node %d holds %" PRIu64 " pages where an "
					 "interleave over nodes %s puts %.0f (+-%.0f) (pages by "
					 "node: %s)", when, node, on, nodes, share, tol, text);
				return -1;
			}
		}
		if (in_mask != w->pages) {
			snprintf(why, len, "%s, %" PRIu64 " pages are outside nodes %s (pages by "
				 "node: %s)", when, w->pages - in_mask, nodes, text);
			return -1;
		}
	}
	return 0;
}

static void
keep_where(struct pb_result *r, const struct np_region_where *w)
{
	r->pages = w->pages;
	r->page_size = w->page_size;
	r->n_where = 0;
	for (unsigned int i = 0; i < w->n_nodes && i < PB_MAX_NODES; i++) {
		r->where[i].node = w->nodes[i].node;
		r->where[i].pages = w->nodes[i].pages;
		r->n_where++;
	}
}

/* The nodes of the CPUs in @cpus. */
static void
cpus_nodes(const np_topo *t, const cpu_set_t *cpus, np_nodemask *out)
{
	np_nodemask_zero(out);
	for (int c = 0; c < CPU_SETSIZE; c++) {
		int node;

		if (!CPU_ISSET(c, cpus))
			continue;
		node = np_topo_cpu_node(t, (unsigned int)c);
		if (node >= 0)
			np_nodemask_set(out, node);
	}
}

/* Pin to pl->cpu and prove the thread is on pl->thread_node. 0, or -1 (r refused). */
static int
pin(const struct pb_run *run, const struct pb_place *pl, struct np_pin_scope *scope,
    bool *pinned, struct pb_result *r)
{
	const np_topo *t = run->m.topo;
	char cpus[128], allowed[128];
	int ret, cpu, node;

	*pinned = false;
	if (pl->cpu < 0) {
		np_cpuset_format(&run->m.allowed, allowed, sizeof(allowed));
		refuse(r, PB_ST_REFUSED, "none of node %d's CPUs (%s) is allowed to this process "
		       "(its affinity is CPUs %s: taskset or a cgroup cpuset): the thread cannot "
		       "run on node %d", pl->thread_node,
		       pb_node_cpus_text(t, pl->thread_node, cpus, sizeof(cpus)), allowed,
		       pl->thread_node);
		return -1;
	}
	ret = np_pin_cpu(scope, (unsigned int)pl->cpu, 0);
	if (ret < 0) {
		refuse(r, PB_ST_REFUSED, "the thread could not be pinned to CPU %d (node %d): %s",
		       pl->cpu, pl->thread_node, np_last_error());
		return -1;
	}
	*pinned = true;
	if (scope->fallbacks & NP_PIN_FB_REFUSED) {
		refuse(r, PB_ST_REFUSED, "the thread could not be pinned to CPU %d (node %d): %s; "
		       "pinning needs sched_setaffinity (a seccomp profile or container may "
		       "refuse it)", pl->cpu, pl->thread_node, scope->detail);
		return -1;
	}
	/* The kernel's word: the affinity it gave, and the CPU the thread is on now. */
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (CPU_ISSET(c, &scope->got) &&
		    np_topo_cpu_node(t, (unsigned int)c) != pl->thread_node) {
			np_cpuset_format(&scope->got, cpus, sizeof(cpus));
			refuse(r, PB_ST_REFUSED, "the thread's affinity is CPUs %s, and CPU %d is "
			       "not on node %d", cpus, c, pl->thread_node);
			return -1;
		}
	}
	cpu = sched_getcpu();
	node = cpu >= 0 ? np_topo_cpu_node(t, (unsigned int)cpu) : -1;
	if (node != pl->thread_node) {
		refuse(r, PB_ST_REFUSED, "pinned to CPU %d, the thread runs on CPU %d, node %d, "
		       "not node %d", pl->cpu, cpu, node, pl->thread_node);
		return -1;
	}
	return 0;
}

/*
 * local: the thread's node (the CPU it is on now, by the topology) is the
 * node holding the pages; remote-memory and remote-cpu: it is not.
 */
static int
check_pair(const struct pb_run *run, const struct pb_place *pl,
	   const struct np_region_where *w, struct pb_result *r)
{
	int cpu = sched_getcpu();
	int t = cpu >= 0 ? np_topo_cpu_node(run->m.topo, (unsigned int)cpu) : -1;
	int m = w->n_nodes == 1 ? w->nodes[0].node : -1;
	bool local = pl->cfg == PB_LOCAL;

	if (m >= 0 && (t == m) == local)
		return 0;
	if (local)
		refuse(r, PB_ST_REFUSED, "the thread is on node %d (CPU %d) and the pages on node "
		       "%d: the placement is not local", t, cpu, m);
	else
		refuse(r, PB_ST_REFUSED, "the thread (CPU %d) and every page are on node %d: the "
		       "placement is local, not %s (--home and --away name the same node)", cpu,
		       t, pb_config_name(pl->cfg));
	return -1;
}

/* Fill the placement fields every result has, run or not. */
static void
describe(const struct pb_run *run, const struct pb_place *pl, struct pb_result *r)
{
	r->cfg = pl->cfg;
	r->thread_node = pl->thread_node;
	r->cpu = pl->cpu;
	r->policy = pl->policy;
	np_nodemask_format(&pl->mem_mask, r->mem_nodes, sizeof(r->mem_nodes));
	r->distance = pl->thread_node >= 0 && pl->policy == NP_MEM_BIND ?
		      np_topo_distance(run->m.topo, pl->thread_node, pl->mem_node) : -1;
}

/* The timed part, once placement is proved. */
static void
measure(const struct pb_run *run, const struct pb_place *pl, struct cell *cells,
	const uint32_t *order, uint64_t n_cells, struct pb_result *r)
{
	const struct pb_args *a = &run->args;
	struct np_hist_params hp;
	struct np_hist_summary s;
	uint64_t tsc0, tsc1, ns0, ns1, total;
	struct cell *p = &cells[order[0]];
	cpu_set_t seen;
	np_nodemask seen_nodes;
	np_hist *h;

	np_hist_params_init(&hp);
	h = np_hist_create(&hp, pl->thread_node >= 0 ? pl->thread_node : NP_NODE_ANY);
	if (h == NULL) {
		refuse(r, PB_ST_FAILED, "the latency histogram: %s", np_last_error());
		return;
	}
	CPU_ZERO(&seen);
	p = chase(p, WARMUP_HOPS);
	ns0 = mono_ns();
	tsc0 = tsc_fenced();
	for (uint64_t i = 0; i < a->samples; i++) {
		uint64_t t0 = tsc_fenced();
		int cpu;

		p = chase(p, a->hops);
		np_hist_record(h, tsc_fenced() - t0);
		/* Outside the timed window: where the thread is, sample by sample. */
		cpu = sched_getcpu();
		if (cpu >= 0 && cpu < CPU_SETSIZE)
			CPU_SET(cpu, &seen);
	}
	tsc1 = tsc_fenced();
	ns1 = mono_ns();

	total = WARMUP_HOPS + a->samples * a->hops;
	if (p != &cells[order[total % n_cells]]) {
		refuse(r, PB_ST_FAILED, "the chase ended at cell %td, not at cell %u where %" PRIu64
		       " hops lead: the chain is broken", p - cells, order[total % n_cells], total);
		np_hist_destroy(h);
		return;
	}
	np_cpuset_format(&seen, r->ran_cpus, sizeof(r->ran_cpus));
	cpus_nodes(run->m.topo, &seen, &seen_nodes);
	np_nodemask_format(&seen_nodes, r->ran_nodes, sizeof(r->ran_nodes));
	if (pl->thread_node >= 0 &&
	    (np_nodemask_weight(&seen_nodes) != 1 ||
	     !np_nodemask_isset(&seen_nodes, pl->thread_node)))
		refuse(r, PB_ST_REFUSED, "during the run the thread was seen on CPUs %s (nodes %s), "
		       "not only on node %d", r->ran_cpus, r->ran_nodes, pl->thread_node);

	r->seconds = (double)(ns1 - ns0) / 1e9;
	r->tsc_hz = ns1 > ns0 ? (double)(tsc1 - tsc0) * 1e9 / (double)(ns1 - ns0) : 0;
	if (r->tsc_hz < 1e6) {
		refuse(r, PB_ST_FAILED, "the TSC did not advance over the run (%.0f Hz): no "
		       "timing is possible", r->tsc_hz);
		np_hist_destroy(h);
		return;
	}
	np_hist_summarize(h, &s);
	/* Cycles per sample over (TSC Hz x hops) = seconds per hop: ns per hop. */
	pb_result_latency(r, &s, (uint64_t)(r->tsc_hz * a->hops + 0.5));
	r->rate = np_hist_sum(h) > 0 ? (double)a->samples * a->hops * r->tsc_hz /
				       np_hist_sum(h) : 0;
	np_hist_destroy(h);
}

void
pb_mem_run(const struct pb_run *run, const struct pb_place *pl, const uint32_t *order,
	   uint64_t n_cells, struct pb_result *r)
{
	const struct pb_args *a = &run->args;
	struct np_region_params rp;
	struct np_region_where w;
	struct np_pin_scope scope;
	np_numastat *before, *after, *delta;
	bool pinned = false;
	char why[600];
	struct cell *cells;
	np_region *reg;
	int err;

	describe(run, pl, r);
	/* Allocations are what numastat counts: the window starts before the buffer exists. */
	before = np_numastat_read(NULL);

	np_region_params_init(&rp, a->size);
	rp.policy = pl->policy;
	rp.nodes = pl->mem_mask;
	rp.pages = a->pages;
	rp.prefault = NP_PREFAULT_TOUCH;
	rp.flags = NP_REGION_STRICT;
	reg = np_region_create(&rp);
	if (reg == NULL) {
		err = errno;
		/* Refused permission or NUMA: the memory cannot be where the name says. */
		refuse(r, err == EPERM || err == ENOSYS ? PB_ST_REFUSED : PB_ST_FAILED,
		       "the buffer could not be placed (%s over node%s %s): %s",
		       np_mem_policy_name(pl->policy),
		       np_nodemask_weight(&pl->mem_mask) > 1 ? "s" : "", r->mem_nodes,
		       region_error(why, sizeof(why)));
		np_numastat_destroy(before);
		return;
	}
	if ((err = np_region_where(reg, &w)) < 0) {
		refuse(r, PB_ST_REFUSED, "where the pages are cannot be verified: %s",
		       np_last_error());
		goto out;
	}
	keep_where(r, &w);
	if (check_where(pl, &w, "before the run", why, sizeof(why)) < 0) {
		refuse(r, PB_ST_REFUSED, "%s", why);
		goto out;
	}
	if (pl->thread_node >= 0 && pin(run, pl, &scope, &pinned, r) < 0)
		goto out;
	/* Both verified; now the name itself, from the kernel's word on each. */
	if (pl->thread_node >= 0 && pl->policy == NP_MEM_BIND &&
	    check_pair(run, pl, &w, r) < 0)
		goto out;

	cells = np_region_addr(reg);
	for (uint64_t k = 0; k < n_cells; k++)
		cells[order[k]].next = &cells[order[(k + 1) % n_cells]];
	measure(run, pl, cells, order, n_cells, r);
	if (pinned) {
		np_pin_restore(&scope);
		pinned = false;
	}
	if (r->status == PB_ST_REFUSED || r->status == PB_ST_FAILED)
		goto out;
	/* Still where they were proved to be? */
	if (np_region_where(reg, &w) < 0) {
		refuse(r, PB_ST_REFUSED, "where the pages are after the run cannot be verified: %s",
		       np_last_error());
		goto out;
	}
	keep_where(r, &w);
	if (check_where(pl, &w, "after the run", why, sizeof(why)) < 0) {
		refuse(r, PB_ST_REFUSED, "%s", why);
		goto out;
	}
	after = np_numastat_read(NULL);
	delta = before && after ? np_numastat_delta(after, before) : NULL;
	pb_result_numastat(r, delta);
	np_numastat_destroy(delta);
	np_numastat_destroy(after);
	r->status = PB_ST_RAN;
out:
	if (pinned)
		np_pin_restore(&scope);
	np_numastat_destroy(before);
	np_region_destroy(reg);
	if (r->status != PB_ST_RAN)
		r->have_latency = false;
}
