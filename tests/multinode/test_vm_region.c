/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory regions on a real multi-node kernel (framework/mem): bind,
 * preferred and interleave land where they say, parallel touch runs one
 * thread per node on that node and each thread's share lands on its node,
 * hugepages per node (an empty 1 GB pool too), and the fallbacks when a node
 * lacks hugepages or has no online CPU left, or when the cpuset forbids a
 * node.
 *
 * Every placement is read twice: with np_region_where() and with an
 * independent move_pages() here, and the policy the kernel holds for the
 * range with get_mempolicy(MPOL_F_ADDR).
 *
 * Needs >= 2 NUMA nodes with memory: skips (77) otherwise. The 'vm' suite
 * runs it in the 2-node and 4-node QEMU guests (tests/vm/np-vm), where it
 * also takes CPUs offline (and back) to make a node without CPUs, and
 * mounts a cgroup v1 cpuset to forbid a node to a child process.
 *
 * Options: --nodes N   the machine must have exactly N nodes with memory.
 */
#include <errno.h>
#include <numa.h>
#include <numaif.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "np_pin.h"
#include "np_region.h"
#include "np_test.h"
#include "np_test_numa.h"
#include "np_test_sys.h"

#define MAX_NODES 16

static int nodes[MAX_NODES];   /* nodes with memory, ascending */
static int k;                  /* how many */
static int expected_nodes = -1;
static size_t page;

/* ---- independent checks --------------------------------------------------- */

static size_t
count_on(const int *st, size_t from, size_t to, int node)
{
	size_t c = 0;

	for (size_t i = from; i < to; i++)
		c += st[i] == node;
	return c;
}

static int
kernel_policy(void *addr, struct bitmask **mask)
{
	int mode = -1;

	*mask = numa_allocate_nodemask();
	if (get_mempolicy(&mode, (*mask)->maskp, (*mask)->size + 1, addr, MPOL_F_ADDR) < 0)
		return -errno;
	return mode;
}

static void
run_on(int node)
{
	NP_REQUIRE(numa_run_on_node(node) == 0, "numa_run_on_node(%d): %s", node, strerror(errno));
	sched_yield();
}

static void
run_anywhere(void)
{
	numa_run_on_node(-1);
}

static np_region *
make(enum np_mem_policy pol, const int *ns, int n, int pref, size_t size,
     enum np_page_mode pages, enum np_prefault pf, unsigned int tpn, unsigned int flags)
{
	struct np_region_params p;
	np_region *r;

	np_region_params_init(&p, size);
	p.policy = pol;
	for (int i = 0; i < n; i++)
		np_nodemask_set(&p.nodes, ns[i]);
	p.node = pref;
	p.pages = pages;
	p.prefault = pf;
	p.threads_per_node = tpn;
	p.flags = flags;
	r = np_region_create(&p);
	NP_REQUIRE(r != NULL, "np_region_create(%s, %s pages): %s", np_mem_policy_name(pol),
		   np_page_mode_name(pages), np_last_error());
	return r;
}

/* Every page on @node, by np_region_where and by move_pages here. */
static void
check_all_on(np_region *r, int node, const char *what)
{
	struct np_region_where w;
	struct np_region_info in;
	int *st;
	size_t n;

	np_region_info(r, &in);
	n = in.size / in.page_size;
	NP_REQUIRE_INT(np_region_where(r, &w), 0);
	NP_CHECK(np_region_where_on(&w, node) == n && w.n_nodes == 1,
		 "%s: np_region_where: %llu of %zu pages on node %d (%u nodes hold pages)", what,
		 (unsigned long long)np_region_where_on(&w, node), n, node, w.n_nodes);
	st = np_test_page_nodes(in.addr, n, in.page_size);
	NP_CHECK(count_on(st, 0, n, node) == n, "%s: move_pages: %zu of %zu pages on node %d "
		 "(first page on %d)", what, count_on(st, 0, n, node), n, node, st[0]);
	free(st);
}

/* ---- cases ---------------------------------------------------------------- */

static void
test_nodes(void)
{
	np_nodemask usable;

	if (expected_nodes >= 0)
		NP_CHECK_INT(k, expected_nodes);
	NP_REQUIRE_INT(np_nodemask_usable(&usable), 0);
	NP_CHECK_INT(np_nodemask_weight(&usable), k);
	for (int i = 0; i < k; i++)
		NP_CHECK(np_nodemask_isset(&usable, nodes[i]), "node %d usable", nodes[i]);
}

static void
test_bind_each_node(void)
{
	for (int i = 0; i < k; i++) {
		int n = nodes[i], other = nodes[(i + 1) % k];
		struct bitmask *m;
		char what[64];
		np_region *r;

		/* The toucher runs on another node: only the policy can put it on n. */
		run_on(other);
		r = make(NP_MEM_BIND, &n, 1, NP_NODE_ANY, 512 * page, NP_PAGE_NORMAL,
			 NP_PREFAULT_TOUCH, 0, NP_REGION_STRICT);
		snprintf(what, sizeof(what), "bind to node %d from node %d", n, other);
		check_all_on(r, n, what);
		NP_CHECK_INT(kernel_policy(np_region_addr(r), &m), MPOL_BIND);
		NP_CHECK(numa_bitmask_isbitset(m, (unsigned int)n) && numa_bitmask_weight(m) == 1,
			 "%s: kernel mask is {%d}", what, n);
		numa_bitmask_free(m);
		np_region_destroy(r);
	}
	run_anywhere();
}

static void
test_preferred_each_node(void)
{
	for (int i = 0; i < k; i++) {
		int n = nodes[i], other = nodes[(i + 1) % k];
		struct bitmask *m;
		char what[64];
		np_region *r;

		run_on(other);
		r = make(NP_MEM_PREFERRED, NULL, 0, n, 512 * page, NP_PAGE_NORMAL, NP_PREFAULT_TOUCH, 0,
			 NP_REGION_STRICT);
		snprintf(what, sizeof(what), "preferred node %d from node %d", n, other);
		check_all_on(r, n, what);
		NP_CHECK_INT(kernel_policy(np_region_addr(r), &m), MPOL_PREFERRED);
		NP_CHECK(numa_bitmask_isbitset(m, (unsigned int)n), "%s: kernel mask has %d", what, n);
		numa_bitmask_free(m);
		np_region_destroy(r);
	}
	run_anywhere();
}

/*
 * Interleave over @ns: an equal share per node, and page by page the node
 * the prefault split assumes (index mod n of the mask, see
 * region_prefault.c), so that each parallel toucher's pages are its node's.
 */
static void
check_interleave(np_region *r, const int *ns, int n, bool hugetlb, const char *what)
{
	struct np_region_where w;
	struct np_region_info in;
	size_t pages, wrong = 0;
	int *st;

	np_region_info(r, &in);
	pages = in.size / in.page_size;
	NP_REQUIRE_INT(np_region_where(r, &w), 0);
	NP_CHECK_INT(w.n_nodes, n);
	st = np_test_page_nodes(in.addr, pages, in.page_size);
	for (int i = 0; i < n; i++) {
		uint64_t lo = pages / (size_t)n, hi = (pages + (size_t)n - 1) / (size_t)n;
		uint64_t got = np_region_where_on(&w, ns[i]);

		NP_CHECK(got >= lo && got <= hi, "%s: node %d holds %llu of %zu pages, expected %llu..%llu",
			 what, ns[i], (unsigned long long)got, pages, (unsigned long long)lo,
			 (unsigned long long)hi);
		NP_CHECK_INT(count_on(st, 0, pages, ns[i]), got);
	}
	for (size_t p = 0; p < pages; p++) {
		uintptr_t a = (uintptr_t)in.addr + p * in.page_size;
		size_t idx = hugetlb ? p : a / in.page_size;

		if (st[p] != ns[idx % (size_t)n] && wrong++ < 3)
			NP_CHECK(0, "%s: page %zu is on node %d, the interleave index says node %d",
				 what, p, st[p], ns[idx % (size_t)n]);
	}
	NP_CHECK(wrong == 0, "%s: %zu pages off the interleave pattern", what, wrong);
	free(st);
}

static void
test_interleave(void)
{
	int pair[2] = { nodes[0], nodes[k - 1] };
	struct bitmask *m;
	np_region *r;

	r = make(NP_MEM_INTERLEAVE, nodes, k, NP_NODE_ANY, 1024 * page, NP_PAGE_NORMAL,
		 NP_PREFAULT_TOUCH, 0, NP_REGION_STRICT);
	check_interleave(r, nodes, k, false, "interleave over all nodes");
	NP_CHECK_INT(kernel_policy(np_region_addr(r), &m), MPOL_INTERLEAVE);
	NP_CHECK_INT(numa_bitmask_weight(m), k);
	numa_bitmask_free(m);
	np_region_destroy(r);

	r = make(NP_MEM_INTERLEAVE, pair, 2, NP_NODE_ANY, 1001 * page, NP_PAGE_NORMAL,
		 NP_PREFAULT_TOUCH, 0, NP_REGION_STRICT);
	check_interleave(r, pair, 2, false, "interleave over the first and last node");
	np_region_destroy(r);
}

static void
check_touchers(const struct np_region_info *in, unsigned int want, const char *what)
{
	uint64_t sum = 0;

	NP_REQUIRE_INT(in->n_touchers, want);
	for (unsigned int t = 0; t < in->n_touchers; t++) {
		const struct np_region_toucher *x = &in->touchers[t];

		NP_CHECK(x->pinned, "%s: toucher %u pinned", what, t);
		NP_CHECK(numa_node_of_cpu(x->cpu_start) == x->node && numa_node_of_cpu(x->cpu_end) == x->node,
			 "%s: toucher %u of node %d ran on CPUs %d..%d (nodes %d..%d)", what, t, x->node,
			 x->cpu_start, x->cpu_end, numa_node_of_cpu(x->cpu_start),
			 numa_node_of_cpu(x->cpu_end));
		sum += x->pages;
	}
	NP_CHECK_INT(sum, in->size / in->page_size);
}

static void
test_parallel_bind(void)
{
	struct np_region_info in;
	size_t pages = 256 * (size_t)k + 3;
	np_region *r;
	int *st;

	/* The caller sits on node 0: without per-node touchers all would be local to it. */
	run_on(nodes[0]);
	r = make(NP_MEM_BIND, nodes, k, NP_NODE_ANY, pages * page, NP_PAGE_NORMAL,
		 NP_PREFAULT_PARALLEL, 0, NP_REGION_STRICT);
	run_anywhere();
	np_region_info(r, &in);
	check_touchers(&in, (unsigned int)k, "parallel bind");
	/* Toucher i's slice is on toucher i's node: bind took the toucher's own node. */
	st = np_test_page_nodes(in.addr, pages, page);
	for (int i = 0; i < k; i++) {
		size_t from = pages * (size_t)i / (size_t)k, to = pages * (size_t)(i + 1) / (size_t)k;

		NP_CHECK_INT(in.touchers[i].node, nodes[i]);
		NP_CHECK_INT(in.touchers[i].pages, to - from);
		NP_CHECK(count_on(st, from, to, nodes[i]) == to - from,
			 "slice %d (pages %zu..%zu) on node %d: %zu pages", i, from, to, nodes[i],
			 count_on(st, from, to, nodes[i]));
	}
	free(st);
	np_region_destroy(r);
}

static void
test_parallel_interleave(void)
{
	struct np_region_info in;
	np_region *r;

	run_on(nodes[0]);
	r = make(NP_MEM_INTERLEAVE, nodes, k, NP_NODE_ANY, 512 * (size_t)k * page, NP_PAGE_NORMAL,
		 NP_PREFAULT_PARALLEL, 2, NP_REGION_STRICT);
	run_anywhere();
	np_region_info(r, &in);
	check_touchers(&in, 2 * (unsigned int)k, "parallel interleave");
	for (unsigned int t = 0; t < in.n_touchers; t++) {
		NP_CHECK_INT(in.touchers[t].node, nodes[t / 2]);
		NP_CHECK_INT(in.touchers[t].pages, 256);   /* half of the node's 512 */
	}
	check_interleave(r, nodes, k, false, "parallel interleave");
	np_region_destroy(r);
}

static void
test_parallel_local(void)
{
	struct np_region_info in;
	int last = nodes[k - 1];
	np_region *r;

	/* Local means the caller's node: its touchers run there. */
	run_on(last);
	r = make(NP_MEM_LOCAL, NULL, 0, NP_NODE_ANY, 300 * page, NP_PAGE_NORMAL,
		 NP_PREFAULT_PARALLEL, 2, NP_REGION_STRICT);
	run_anywhere();
	np_region_info(r, &in);
	check_touchers(&in, 2, "parallel local");
	NP_CHECK(in.touchers[0].node == last && in.touchers[1].node == last, "touchers on node %d", last);
	check_all_on(r, last, "parallel local from the last node");
	np_region_destroy(r);
}

/* np_region_create(@p) is refused with @err; np_last_error() then says why. */
static void
check_refused(const struct np_region_params *p, int err, const char *what)
{
	np_region *r;

	errno = 0;
	r = np_region_create(p);
	NP_CHECK(r == NULL, "%s: refused", what);
	NP_CHECK_INT(errno, err);
	if (r != NULL)
		np_region_destroy(r);
}

/* Free 2 MB hugepages on @node; -1 if unknown. */
static long long
free_2m(int node)
{
	return np_test_free_hugepages(node, 2u << 20);
}

static void
test_hugepages(void)
{
	struct np_region_info in;
	int last = nodes[k - 1];
	np_region *r;

	for (int i = 0; i < k; i++)
		NP_REQUIRE(free_2m(nodes[i]) >= 4, "node %d has %lld free 2 MB hugepages: the guest "
			   "topology reserves them (tests/vm/topologies)", nodes[i], free_2m(nodes[i]));
	run_on(nodes[0]);
	r = make(NP_MEM_BIND, &last, 1, NP_NODE_ANY, 4 * (2u << 20), NP_PAGE_HUGE_2M,
		 NP_PREFAULT_TOUCH, 0, NP_REGION_STRICT);
	run_anywhere();
	np_region_info(r, &in);
	NP_CHECK_INT(in.pages, NP_PAGE_HUGE_2M);
	NP_CHECK_INT(in.page_size, 2u << 20);
	check_all_on(r, last, "2 MB pages bound to the last node");
	np_region_destroy(r);

	r = make(NP_MEM_INTERLEAVE, nodes, k, NP_NODE_ANY, 2 * (size_t)k * (2u << 20), NP_PAGE_HUGE_2M,
		 NP_PREFAULT_PARALLEL, 0, NP_REGION_STRICT);
	np_region_info(r, &in);
	check_touchers(&in, (unsigned int)k, "2 MB interleave, parallel");
	check_interleave(r, nodes, k, true, "2 MB pages interleaved");
	np_region_destroy(r);
}

static void
test_hugepages_missing_on_node(void)
{
	struct np_region_params p;
	struct np_region_info in;
	int last = nodes[k - 1];
	long long fr = free_2m(last);
	char needle[128];
	np_region *r;

	NP_REQUIRE(fr >= 0, "node %d has a 2 MB pool", last);
	np_region_params_init(&p, (size_t)(fr + 1) * (2u << 20));
	p.policy = NP_MEM_BIND;
	np_nodemask_set(&p.nodes, last);
	p.pages = NP_PAGE_HUGE_2M;
	r = np_region_create(&p);
	NP_REQUIRE(r != NULL, "best effort: %s", np_last_error());
	np_region_info(r, &in);
	NP_CHECK_INT(in.pages, NP_PAGE_NORMAL);
	NP_CHECK_INT(in.fallbacks, NP_REGION_FB_NO_HUGEPAGES);
	snprintf(needle, sizeof(needle), "echo %lld > /sys/devices/system/node/node%d/hugepages/"
		 "hugepages-2048kB/nr_hugepages", fr + 1, last);
	NP_CHECK_CONTAINS(in.detail, needle);
	np_region_destroy(r);

	p.flags = NP_REGION_STRICT;
	check_refused(&p, ENOMEM, "strict");
	NP_CHECK_CONTAINS(np_last_error(), needle);
}

/*
 * 1 GB pages where the kernel has a 1 GB pool but no page in it: the case
 * this host cannot show (its kernel has no 1 GB pool at all; test_region
 * checks that one). The guest's CPU (QEMU -cpu max) has pdpe1gb, so its
 * kernel makes an empty hugepages-1048576kB pool on every node. A region of
 * one 1 GB page over all the nodes: best effort takes normal pages and says
 * which file to write; strict refuses with the same fix. Nothing is
 * touched, so the normal-page fallback costs no memory.
 */
static void
test_hugepages_1g_pool_empty(void)
{
	struct np_region_params p;
	struct np_region_info in;
	const char *short_of = "have 0 free 1024 MB hugepages; need 1: ";
	char needle[128];
	np_region *r;

	NP_REQUIRE(access("/sys/kernel/mm/hugepages/hugepages-1048576kB", F_OK) == 0,
		   "this kernel has a 1 GB hugepage pool (in the guest, QEMU's -cpu max gives "
		   "the CPU pdpe1gb: tests/vm/np-vm)");
	for (int i = 0; i < k; i++)
		NP_REQUIRE(np_test_free_hugepages(nodes[i], 1u << 30) == 0,
			   "node %d has %lld free 1 GB pages: the guest reserves none", nodes[i],
			   np_test_free_hugepages(nodes[i], 1u << 30));

	np_region_params_init(&p, (size_t)1 << 30);
	p.policy = NP_MEM_BIND;
	for (int i = 0; i < k; i++)
		np_nodemask_set(&p.nodes, nodes[i]);
	p.pages = NP_PAGE_HUGE_1G;
	snprintf(needle, sizeof(needle), "echo 1 > /sys/devices/system/node/node%d/hugepages/"
		 "hugepages-1048576kB/nr_hugepages", nodes[0]);
	r = np_region_create(&p);
	NP_REQUIRE(r != NULL, "best effort: %s", np_last_error());
	np_region_info(r, &in);
	NP_CHECK_INT(in.pages, NP_PAGE_NORMAL);
	NP_CHECK_INT(in.page_size, page);
	NP_CHECK_INT(in.fallbacks, NP_REGION_FB_NO_HUGEPAGES);
	NP_CHECK_CONTAINS(in.detail, short_of);
	NP_CHECK_CONTAINS(in.detail, needle);
	NP_CHECK_CONTAINS(in.detail, "used normal pages");
	np_region_destroy(r);

	p.flags = NP_REGION_STRICT;
	check_refused(&p, ENOMEM, "strict");
	NP_CHECK_CONTAINS(np_last_error(), short_of);
	NP_CHECK_CONTAINS(np_last_error(), needle);
	NP_CHECK_CONTAINS(np_last_error(), "NP_REGION_STRICT");

	/* Interleave needs its share on each node: the first node is named. */
	p.policy = NP_MEM_INTERLEAVE;
	check_refused(&p, ENOMEM, "strict interleave");
	snprintf(needle, sizeof(needle), "node %d has 0 free 1024 MB hugepages; interleave needs 1 "
		 "there", nodes[0]);
	NP_CHECK_CONTAINS(np_last_error(), needle);
	snprintf(needle, sizeof(needle), "echo 1 > /sys/devices/system/node/node%d/hugepages/"
		 "hugepages-1048576kB/nr_hugepages", nodes[0]);
	NP_CHECK_CONTAINS(np_last_error(), needle);
}

static void
test_size_against_node_memory(void)
{
	long long total = numa_node_size64(nodes[0], NULL);
	struct np_region_params p;
	np_region *r;
	char needle[96];

	NP_REQUIRE(total > 0, "node %d memory", nodes[0]);
	np_region_params_init(&p, (size_t)total + page);
	p.policy = NP_MEM_BIND;
	np_nodemask_set(&p.nodes, nodes[0]);
	check_refused(&p, ENOMEM, "larger than the node");
	snprintf(needle, sizeof(needle), "of the nodes (%d) for policy bind", nodes[0]);
	NP_CHECK_CONTAINS(np_last_error(), needle);
	/* The same size fits the two nodes together (nothing touched). */
	np_nodemask_set(&p.nodes, nodes[1]);
	r = np_region_create(&p);
	NP_CHECK(r != NULL, "fits nodes %d and %d: %s", nodes[0], nodes[1], np_last_error());
	np_region_destroy(r);
}

/* ---- a node with no online CPU -------------------------------------------- */

static int offlined[64];
static int n_offlined;

static void
online_again(void)
{
	while (n_offlined > 0)
		np_test_set_cpu_online(offlined[--n_offlined], true);
}

static void
test_node_without_online_cpu(void)
{
	int last = nodes[k - 1];
	struct bitmask *cpus = numa_allocate_cpumask();
	struct np_region_params p;
	struct np_region_info in;
	np_region *r;

	NP_REQUIRE(numa_node_to_cpus(last, cpus) == 0, "CPUs of node %d", last);
	for (unsigned int c = 0; c < cpus->size; c++) {
		if (!numa_bitmask_isbitset(cpus, c))
			continue;
		NP_REQUIRE(c != 0, "node %d holds CPU 0, which cannot go offline", last);
		NP_REQUIRE(np_test_set_cpu_online((int)c, false) == 0, "offline CPU %u: %s", c,
			   strerror(errno));
		offlined[n_offlined++] = (int)c;
	}
	numa_free_cpumask(cpus);

	/* Best effort: the share is touched unpinned, the bind still places it. */
	np_region_params_init(&p, 128 * page);
	p.policy = NP_MEM_BIND;
	np_nodemask_set(&p.nodes, last);
	p.prefault = NP_PREFAULT_PARALLEL;
	r = np_region_create(&p);
	NP_REQUIRE(r != NULL, "best effort: %s", np_last_error());
	np_region_info(r, &in);
	NP_CHECK_INT(in.fallbacks, NP_REGION_FB_PREFAULT_UNPINNED);
	NP_REQUIRE_INT(in.n_touchers, 1);
	NP_CHECK(!in.touchers[0].pinned, "toucher not pinned");
	NP_CHECK_CONTAINS(in.detail, "has no CPUs");
	check_all_on(r, last, "bind to a node without online CPUs");
	np_region_destroy(r);

	p.flags = NP_REGION_STRICT;
	check_refused(&p, EPERM, "strict");
	NP_CHECK_CONTAINS(np_last_error(), "not pinned");
	online_again();
}

/* ---- a node the cpuset forbids ---------------------------------------------- */

struct cpuset_out {
	int setup_err;
	unsigned int usable_weight;
	bool usable_first;
	/* bind {first, last}, best effort */
	bool be_created;
	unsigned int be_fallbacks;
	char be_detail[320];
	bool be_nodes_first_only;
	uint64_t be_on_first;
	/* the same, strict */
	int strict_err;
	char strict_msg[360];
	/* bind {last} only */
	int only_err;
	char only_msg[360];
	/* preferred last */
	bool pref_created;
	int pref_policy;
	unsigned int pref_fallbacks;
};

/* In the child: moved into the cpuset @arg (a directory), then the cases. */
static void
in_cpuset_child(void *report, void *arg)
{
	const char *dir = arg;
	struct cpuset_out *o = report;
	int pair[2] = { nodes[0], nodes[k - 1] };
	struct np_region_params p;
	struct np_region_info in;
	struct np_region_where w;
	np_nodemask usable;
	char path[300], me[32];
	np_region *r;

	snprintf(path, sizeof(path), "%s/tasks", dir);
	snprintf(me, sizeof(me), "%d", (int)getpid());
	o->setup_err = np_test_write_file(path, me);
	if (o->setup_err != 0)
		return;
	if (np_nodemask_usable(&usable) == 0) {
		o->usable_weight = np_nodemask_weight(&usable);
		o->usable_first = np_nodemask_isset(&usable, nodes[0]);
	}

	np_region_params_init(&p, 64 * page);
	p.policy = NP_MEM_BIND;
	for (int i = 0; i < 2; i++)
		np_nodemask_set(&p.nodes, pair[i]);
	p.prefault = NP_PREFAULT_TOUCH;
	r = np_region_create(&p);
	o->be_created = r != NULL;
	if (r != NULL) {
		np_region_info(r, &in);
		o->be_fallbacks = in.fallbacks;
		snprintf(o->be_detail, sizeof(o->be_detail), "%s", in.detail);
		o->be_nodes_first_only = np_nodemask_weight(&in.nodes) == 1 &&
					 np_nodemask_isset(&in.nodes, nodes[0]);
		if (np_region_where(r, &w) == 0)
			o->be_on_first = np_region_where_on(&w, nodes[0]);
		np_region_destroy(r);
	}
	p.flags = NP_REGION_STRICT;
	errno = 0;
	r = np_region_create(&p);
	o->strict_err = r == NULL ? errno : 0;
	snprintf(o->strict_msg, sizeof(o->strict_msg), "%s", np_last_error());
	np_region_destroy(r);

	np_region_params_init(&p, 64 * page);
	p.policy = NP_MEM_BIND;
	np_nodemask_set(&p.nodes, nodes[k - 1]);
	errno = 0;
	r = np_region_create(&p);
	o->only_err = r == NULL ? errno : 0;
	snprintf(o->only_msg, sizeof(o->only_msg), "%s", np_last_error());
	np_region_destroy(r);

	np_region_params_init(&p, 64 * page);
	p.policy = NP_MEM_PREFERRED;
	p.node = nodes[k - 1];
	r = np_region_create(&p);
	o->pref_created = r != NULL;
	if (r != NULL) {
		np_region_info(r, &in);
		o->pref_policy = (int)in.policy;
		o->pref_fallbacks = in.fallbacks;
		np_region_destroy(r);
	}
}

static void
test_node_not_allowed_by_cpuset(void)
{
	const char *mnt = "/tmp/np-test-cpuset", *dir = "/tmp/np-test-cpuset/np-mems";
	char cpus[256] = "", text[32], path[300];
	struct cpuset_out o;
	struct np_test_child child;
	bool mounted = false;
	FILE *f;

	/* A cgroup v1 cpuset hierarchy: the guest has none mounted. */
	if (access("/sys/fs/cgroup/cpuset/cpuset.mems", W_OK) == 0) {
		mnt = "/sys/fs/cgroup/cpuset";
		dir = "/sys/fs/cgroup/cpuset/np-test-mems";
	} else {
		NP_REQUIRE(mkdir(mnt, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", mnt, strerror(errno));
		NP_REQUIRE(mount("none", mnt, "cgroup", 0, "cpuset") == 0,
			   "mount the cpuset cgroup on %s: %s", mnt, strerror(errno));
		mounted = true;
	}
	snprintf(path, sizeof(path), "%s/cpuset.cpus", mnt);
	f = fopen(path, "r");
	NP_REQUIRE(f != NULL && fgets(cpus, sizeof(cpus), f) != NULL, "read %s", path);
	fclose(f);
	NP_REQUIRE(mkdir(dir, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/cpuset.cpus", dir);
	NP_REQUIRE(np_test_write_file(path, cpus) == 0, "write %s", path);
	snprintf(path, sizeof(path), "%s/cpuset.mems", dir);
	snprintf(text, sizeof(text), "%d", nodes[0]);
	NP_REQUIRE(np_test_write_file(path, text) == 0, "write %s", path);

	child = np_test_fork(in_cpuset_child, (void *)dir, &o, sizeof(o));
	rmdir(dir);
	if (mounted)
		umount(mnt);
	NP_REQUIRE_CHILD_OK(child);
	NP_REQUIRE_INT(o.setup_err, 0);

	snprintf(text, sizeof(text), "node %d is not allowed", nodes[k - 1]);
	NP_CHECK_INT(o.usable_weight, 1);
	NP_CHECK(o.usable_first, "node %d usable", nodes[0]);
	NP_CHECK(o.be_created, "best effort created");
	NP_CHECK_INT(o.be_fallbacks, NP_REGION_FB_NODE_NOT_ALLOWED);
	NP_CHECK_CONTAINS(o.be_detail, text);
	NP_CHECK_CONTAINS(o.be_detail, "left out of the policy");
	NP_CHECK(o.be_nodes_first_only, "installed policy holds node %d only", nodes[0]);
	NP_CHECK_INT(o.be_on_first, 64);
	NP_CHECK_INT(o.strict_err, EPERM);
	NP_CHECK_CONTAINS(o.strict_msg, text);
	NP_CHECK_CONTAINS(o.strict_msg, "NP_REGION_STRICT");
	NP_CHECK_INT(o.only_err, EPERM);
	NP_CHECK_CONTAINS(o.only_msg, "none of the bind nodes");
	NP_CHECK(o.pref_created, "preferred best effort created");
	NP_CHECK_INT(o.pref_policy, NP_MEM_LOCAL);
	NP_CHECK_INT(o.pref_fallbacks, NP_REGION_FB_NODE_NOT_ALLOWED);
}

static const struct np_test_case cases[] = {
	{ "the nodes with memory", test_nodes },
	{ "bind to each node, touched from another", test_bind_each_node },
	{ "preferred each node, touched from another", test_preferred_each_node },
	{ "interleave: equal shares, the expected pattern", test_interleave },
	{ "parallel touch, bind: each slice on its toucher's node", test_parallel_bind },
	{ "parallel touch, interleave, 2 threads per node", test_parallel_interleave },
	{ "parallel touch, local: the caller's node", test_parallel_local },
	{ "2 MB hugepages per node", test_hugepages },
	{ "hugepages missing on one node", test_hugepages_missing_on_node },
	{ "1 GB pages: a pool with none free", test_hugepages_1g_pool_empty },
	{ "size against one node and two", test_size_against_node_memory },
	{ "a node without online CPUs", test_node_without_online_cpu },
	{ "a node the cpuset forbids", test_node_not_allowed_by_cpuset },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	expected_nodes = np_test_nodes_option(argc, argv);
	k = np_test_multinode(NP_TEST_NODES_WITH_MEMORY, nodes, MAX_NODES, argv[0]);
	page = (size_t)sysconf(_SC_PAGESIZE);
	atexit(online_again);

	const struct np_test_suite suites[] = {
		{ "region placement", NULL, NULL, cases },
	};
	return np_test_run(suites, 1);
}
