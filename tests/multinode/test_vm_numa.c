/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory and threads land on the node they are bound to, and the kernel's
 * distance matrix is the one the machine was described with.
 *
 * This is what every placement decision in numaperf rests on, checked on a
 * real multi-node kernel: the 'vm' suite runs it inside a QEMU guest
 * (tests/vm/np-vm). On a machine with fewer than 2 NUMA nodes it skips (77).
 *
 * Options:
 *   --nodes N        the machine must have exactly N nodes
 *   --distances M    expected numa_distance() matrix, rows separated by ';',
 *                    entries by ',' (row i is "from node i"). Without it,
 *                    NP_VM_DISTANCES (exported by np-vm from the topology
 *                    file) is used when set.
 */
#include <errno.h>
#include <numa.h>
#include <numaif.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "np_test.h"

#define MAX_NODES 16
#define AREA_PAGES 512          /* 2 MiB of 4 KiB pages per check */
#define PIN_CHECKS 50           /* sched_getcpu() samples per pinned thread */

static int expected_nodes = -1;
static int n_expected_dist;     /* rows parsed into expected_dist */
static int expected_dist[MAX_NODES][MAX_NODES];
static int n_nodes;
static long page_size;

/*
 * Ask the kernel where each page of [addr, addr + n pages) is (move_pages
 * with nodes == NULL only queries) and check every one is on want_node.
 * Reports the first few wrong pages with their index.
 */
static void
check_pages_on_node(const char *what, char *addr, size_t n_pages, int want_node)
{
	void **pages = calloc(n_pages, sizeof(*pages));
	int *status = calloc(n_pages, sizeof(*status));
	unsigned int wrong = 0;

	NP_REQUIRE(pages != NULL && status != NULL, "out of memory");
	for (size_t i = 0; i < n_pages; i++) {
		pages[i] = addr + i * page_size;
		status[i] = -12345;
	}
	long rc = move_pages(0, n_pages, pages, NULL, status, 0);
	NP_CHECK(rc == 0, "%s: move_pages(query) returned %ld: %s", what, rc,
		 strerror(errno));
	for (size_t i = 0; rc == 0 && i < n_pages; i++) {
		if (status[i] == want_node)
			continue;
		if (wrong++ < 4)
			NP_CHECK(0, "%s: page %zu of %zu (%p) is on node %d%s, expected node %d",
				 what, i, n_pages, pages[i], status[i],
				 status[i] < 0 ? " (negative errno)" : "", want_node);
	}
	NP_CHECK(wrong == 0, "%s: %u of %zu pages not on node %d", what, wrong,
		 n_pages, want_node);
	free(pages);
	free(status);
}

/* Anonymous memory with MPOL_BIND to one node, touched, then queried. */
static void
check_bind_to(int node)
{
	size_t len = AREA_PAGES * page_size;
	char what[64];
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	NP_REQUIRE(p != MAP_FAILED, "mmap of %zu bytes: %s", len, strerror(errno));

	struct bitmask *mask = numa_allocate_nodemask();
	numa_bitmask_setbit(mask, node);
	long rc = mbind(p, len, MPOL_BIND, mask->maskp, mask->size + 1, MPOL_MF_STRICT);
	numa_bitmask_free(mask);
	NP_REQUIRE(rc == 0, "mbind(MPOL_BIND, node %d): %s", node, strerror(errno));

	/* Policy applies at first touch: fault every page in now. */
	memset(p, 0xa5, len);
	snprintf(what, sizeof(what), "mbind(MPOL_BIND) to node %d", node);
	check_pages_on_node(what, p, AREA_PAGES, node);
	munmap(p, len);
}

/* The same through libnuma's allocator, which projects use most. */
static void
check_alloc_onnode(int node)
{
	size_t len = AREA_PAGES * page_size;
	char what[64];
	char *p = numa_alloc_onnode(len, node);
	NP_REQUIRE(p != NULL, "numa_alloc_onnode(%zu, %d) failed", len, node);
	memset(p, 0x5a, len);
	snprintf(what, sizeof(what), "numa_alloc_onnode(node %d)", node);
	check_pages_on_node(what, p, AREA_PAGES, node);
	numa_free(p, len);
}

static void
test_node_count(void)
{
	NP_CHECK(numa_num_configured_nodes() == n_nodes,
		 "numa_num_configured_nodes() %d, numa_max_node()+1 %d: node ids have gaps",
		 numa_num_configured_nodes(), n_nodes);
	if (expected_nodes >= 0)
		NP_CHECK_INT(n_nodes, expected_nodes);
	for (int node = 0; node < n_nodes; node++) {
		long long free_b;
		long long size = numa_node_size64(node, &free_b);
		NP_CHECK(size > 0, "node %d has no memory (numa_node_size64 = %lld)",
			 node, size);
	}
}

static void
test_bind_node1(void)
{
	check_bind_to(1);
}

static void
test_bind_node0(void)
{
	check_bind_to(0);
}

static void
test_alloc_onnode_all(void)
{
	for (int node = 0; node < n_nodes; node++)
		check_alloc_onnode(node);
}

/* move_pages with a target node really migrates, and the query sees it. */
static void
test_migrate_0_to_1(void)
{
	size_t n = 64, len = n * page_size;
	char *p = numa_alloc_onnode(len, 0);
	NP_REQUIRE(p != NULL, "numa_alloc_onnode(%zu, 0) failed", len);
	memset(p, 1, len);
	check_pages_on_node("before migration, node 0", p, n, 0);

	void *pages[64];
	int nodes[64], status[64];
	for (size_t i = 0; i < n; i++) {
		pages[i] = p + i * page_size;
		nodes[i] = 1;
	}
	long rc = move_pages(0, n, pages, nodes, status, MPOL_MF_MOVE);
	NP_CHECK(rc == 0, "move_pages(to node 1) returned %ld: %s", rc, strerror(errno));
	check_pages_on_node("after move_pages to node 1", p, n, 1);
	numa_free(p, len);
}

struct pin_result {
	int node;
	int run_rc;             /* numa_run_on_node() */
	int bad_samples;        /* sched_getcpu() on another node */
	int first_bad_cpu;
	int first_bad_node;
	int samples;
	int touch_wrong;        /* first-touch pages not on the thread's node */
	int touch_first_node;
	int touch_rc;
};

/*
 * Runs on the node under test: samples the CPU it is on, with a yield and
 * some work in between so the scheduler has chances to move it, and checks
 * that memory it touches first (default local policy) lands on its node.
 */
static void *
pinned_thread(void *arg)
{
	struct pin_result *r = arg;
	volatile unsigned long sink = 0;

	r->run_rc = numa_run_on_node(r->node);
	if (r->run_rc != 0)
		return NULL;
	r->first_bad_cpu = -1;
	for (int i = 0; i < PIN_CHECKS; i++) {
		for (unsigned long k = 0; k < 200000; k++)
			sink += k;
		sched_yield();
		int cpu = sched_getcpu();
		int node = cpu < 0 ? -1 : numa_node_of_cpu(cpu);
		r->samples++;
		if (node != r->node && r->bad_samples++ == 0) {
			r->first_bad_cpu = cpu;
			r->first_bad_node = node;
		}
	}

	size_t n = 64, len = n * page_size;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		r->touch_rc = -errno;
		return NULL;
	}
	memset(p, 3, len);
	void *pages[64];
	int status[64];
	for (size_t i = 0; i < n; i++)
		pages[i] = p + i * page_size;
	r->touch_rc = move_pages(0, n, pages, NULL, status, 0) == 0 ? 0 : -errno;
	r->touch_first_node = status[0];
	for (size_t i = 0; r->touch_rc == 0 && i < n; i++)
		r->touch_wrong += status[i] != r->node;
	munmap(p, len);
	return NULL;
}

static void
check_thread_on(int node)
{
	struct pin_result r = { .node = node };
	pthread_t t;

	NP_REQUIRE_INT(pthread_create(&t, NULL, pinned_thread, &r), 0);
	NP_REQUIRE_INT(pthread_join(t, NULL), 0);
	NP_REQUIRE(r.run_rc == 0, "numa_run_on_node(%d) failed: %s", node, strerror(errno));
	NP_CHECK_INT(r.samples, PIN_CHECKS);
	NP_CHECK(r.bad_samples == 0,
		 "thread bound to node %d ran %d of %d times on another node "
		 "(first: cpu %d, node %d)", node, r.bad_samples, r.samples,
		 r.first_bad_cpu, r.first_bad_node);
	NP_CHECK(r.touch_rc == 0, "move_pages(query) in the thread: %s",
		 strerror(-r.touch_rc));
	NP_CHECK(r.touch_wrong == 0,
		 "thread on node %d: %d of 64 first-touched pages elsewhere (page 0 on %d)",
		 node, r.touch_wrong, r.touch_first_node);
}

static void
test_thread_node1(void)
{
	check_thread_on(1);
}

static void
test_thread_node0(void)
{
	check_thread_on(0);
}

static void
test_thread_every_node(void)
{
	for (int node = 0; node < n_nodes; node++)
		check_thread_on(node);
}

static void
test_distances(void)
{
	if (n_expected_dist == 0) {
		/* Not a pass: the run was not told what to expect. */
		NP_CHECK(0, "no expected matrix: give --distances or run under np-vm "
			 "(which sets NP_VM_DISTANCES)");
		return;
	}
	NP_REQUIRE(n_expected_dist == n_nodes,
		   "expected matrix has %d rows, the machine has %d nodes",
		   n_expected_dist, n_nodes);
	int wrong = 0;
	for (int i = 0; i < n_nodes; i++)
		for (int j = 0; j < n_nodes; j++) {
			int got = numa_distance(i, j);
			if (got != expected_dist[i][j] && wrong++ < 8)
				NP_CHECK(0, "numa_distance(%d, %d): got %d, expected %d",
					 i, j, got, expected_dist[i][j]);
		}
	NP_CHECK(wrong == 0, "%d of %d distances differ", wrong, n_nodes * n_nodes);
}

/* "10,21;21,10" -> expected_dist; returns rows, or -1 with a message. */
static int
parse_matrix(const char *s)
{
	int row = 0, col = 0, ncol = -1;
	const char *p = s;

	while (*p) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p || v <= 0 || v > 255 || row >= MAX_NODES || col >= MAX_NODES) {
			fprintf(stderr, "bad distance matrix \"%s\" at \"%s\": expected "
				"rows of comma-separated integers 1..255 joined by ';'\n", s, p);
			return -1;
		}
		expected_dist[row][col++] = (int)v;
		p = end;
		if (*p == ',') {
			p++;
		} else if (*p == ';' || *p == '\0') {
			if (ncol >= 0 && col != ncol) {
				fprintf(stderr, "bad distance matrix \"%s\": row %d has %d "
					"entries, row 0 has %d\n", s, row, col, ncol);
				return -1;
			}
			ncol = col;
			col = 0;
			row++;
			if (*p == ';')
				p++;
		} else {
			fprintf(stderr, "bad distance matrix \"%s\": unexpected '%c'\n", s, *p);
			return -1;
		}
	}
	if (row != ncol) {
		fprintf(stderr, "bad distance matrix \"%s\": %d rows of %d entries, "
			"must be square\n", s, row, ncol);
		return -1;
	}
	return row;
}

static const struct np_test_case numa_cases[] = {
	{ "node count and sizes", test_node_count },
	{ "mbind to node 1: every page on node 1", test_bind_node1 },
	{ "mbind to node 0: every page on node 0", test_bind_node0 },
	{ "numa_alloc_onnode on every node", test_alloc_onnode_all },
	{ "move_pages migrates node 0 -> 1", test_migrate_0_to_1 },
	{ "thread on node 1 stays there, touches locally", test_thread_node1 },
	{ "thread on node 0 stays there, touches locally", test_thread_node0 },
	{ "a thread on each node stays there", test_thread_every_node },
	{ "numa_distance matrix", test_distances },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	const char *dist = NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--nodes") == 0 && i + 1 < argc) {
			expected_nodes = atoi(argv[++i]);
		} else if (strcmp(argv[i], "--distances") == 0 && i + 1 < argc) {
			dist = argv[++i];
		} else {
			fprintf(stderr, "usage: %s [--nodes N] [--distances 'r0;r1;...']\n"
				"unknown or incomplete argument: %s\n", argv[0], argv[i]);
			return 2;
		}
	}

	if (numa_available() < 0)
		NP_TEST_SKIP_ALL("libnuma: NUMA is not available on this kernel "
				 "(numa_available() < 0)");
	n_nodes = numa_max_node() + 1;
	if (numa_num_configured_nodes() < 2)
		NP_TEST_SKIP_ALL("needs >= 2 NUMA nodes, this machine has %d: run it in the "
				 "multi-node guest: tests/vm/np-vm -- %s",
				 numa_num_configured_nodes(), argv[0]);
	if (n_nodes > MAX_NODES)
		NP_TEST_SKIP_ALL("%d NUMA nodes: this test handles at most %d", n_nodes,
				 MAX_NODES);

	if (dist == NULL)
		dist = getenv("NP_VM_DISTANCES");
	if (dist != NULL && (n_expected_dist = parse_matrix(dist)) < 0)
		return 2;
	page_size = sysconf(_SC_PAGESIZE);

	const struct np_test_suite suites[] = {
		{ "numa placement", NULL, NULL, numa_cases },
	};
	return np_test_run(suites, 1);
}
