/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Topology discovery on the live host (cross-checked with libnuma and sysfs,
 * independent sources) and on described machines (tests/topologies/ XML files).
 * $NP_TOPO_DIR and $NP_TEST_DATA are set by tests/unit/meson.build.
 */
#include <dirent.h>
#include <errno.h>
#include <numa.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <linux/mman.h>

#include "np_test.h"
#include "np_test_topo.h"
#include "np_topo.h"

static char path_buf[1024];

static const char *
topo_file(const char *name)
{
	snprintf(path_buf, sizeof(path_buf), "%s/%s", NP_TOPO_DIR, name);
	return path_buf;
}

static void
check_cpus(const np_topo *t, int node, const unsigned int *want, int n)
{
	unsigned int got[64];
	int k = np_topo_node_cpus(t, node, got, 64);

	NP_CHECK_INT(k, n);
	for (int i = 0; i < n && i < k; i++)
		NP_CHECK(got[i] == want[i], "node %d cpu[%d]: got %u, expected %u",
			 node, i, got[i], want[i]);
}

/* ---- live host ---------------------------------------------------------- */

static void
test_live_matches_libnuma(void)
{
	np_topo *t = np_topo_load_live();
	struct bitmask *cpus;

	NP_REQUIRE(t != NULL, "live topology: %s", np_last_error());
	NP_CHECK_INT(np_topo_source(t), NP_TOPO_LIVE);
	NP_REQUIRE(numa_available() >= 0, "libnuma unavailable");
	NP_CHECK_INT(np_topo_node_count(t), numa_num_configured_nodes());
	cpus = numa_allocate_cpumask();
	for (unsigned int i = 0; i < np_topo_node_count(t); i++) {
		int node = np_topo_node_id(t, i);
		unsigned int got[1024];
		int n = np_topo_node_cpus(t, node, got, 1024), k = 0;

		numa_node_to_cpus(node, cpus);
		NP_CHECK_INT(n, numa_bitmask_weight(cpus));
		for (int c = 0; c < n; c++)
			NP_CHECK(numa_bitmask_isbitset(cpus, got[c]),
				 "CPU %u reported on node %d but libnuma disagrees", got[c], node);
		for (unsigned int j = 0; j < np_topo_node_count(t); j++) {
			int other = np_topo_node_id(t, j);

			NP_CHECK_INT(np_topo_distance(t, node, other), numa_distance(node, other));
		}
		k = np_topo_node_index(t, node);
		NP_CHECK_INT(k, (int)i);
	}
	numa_free_cpumask(cpus);
	NP_CHECK(np_topo_distances_known(t), "a live machine has a distance matrix");
	np_topo_destroy(t);
}

static void
test_live_nic_node_from_sysfs(void)
{
	np_topo *t = np_topo_load_live();

	NP_REQUIRE(t != NULL, "live topology: %s", np_last_error());
	for (unsigned int i = 0; i < np_topo_nic_count(t); i++) {
		struct np_nic_info nic;
		char path[128];
		FILE *f;
		int sys = -99;

		NP_REQUIRE_INT(np_topo_nic(t, i, &nic), 0);
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/numa_node", nic.pci_addr);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		NP_REQUIRE(fscanf(f, "%d", &sys) == 1, "reading %s", path);
		fclose(f);
		/* -1 in sysfs is "unknown", never node 0. */
		NP_CHECK_INT(nic.node, sys < 0 ? NP_NODE_UNKNOWN : sys);
		NP_CHECK_INT(np_topo_nic_find(t, nic.pci_addr), (int)i);
	}
	np_topo_destroy(t);
}

static void
test_live_enforcement(void)
{
	np_topo *t = np_topo_load_live();
	struct np_enforcement e;
	FILE *f;
	int v;

	NP_REQUIRE(t != NULL, "live topology: %s", np_last_error());
	np_topo_enforcement(t, &e);
	NP_CHECK_INT(e.root, geteuid() == 0);
	f = fopen("/proc/sys/kernel/numa_balancing", "r");
	if (f == NULL) {
		NP_CHECK_INT(e.numa_balancing, NP_BALANCING_ABSENT);
	} else {
		NP_REQUIRE(fscanf(f, "%d", &v) == 1, "reading numa_balancing");
		fclose(f);
		NP_CHECK_INT(e.numa_balancing, v ? NP_BALANCING_ON : NP_BALANCING_OFF);
	}
	for (unsigned int m = 0; m < e.n_mounts; m++)
		NP_CHECK(e.mounts[m].page_size >= (2u << 20),
			 "hugetlbfs %s page size %llu", e.mounts[m].path,
			 (unsigned long long)e.mounts[m].page_size);
	np_topo_destroy(t);
}

/*
 * ---- live hugepages, some of them in use ---------------------------------
 *
 * np_topo reads nr_hugepages and free_hugepages per node and size. With
 * every page free the two are equal and a swap of total and free passes
 * unseen, so this test first maps and touches hugepages of its own, then
 * compares np_topo's figures with sysfs read here (directory listing and
 * file reads of its own, not numaperf's helpers). Other processes share the
 * pool, so sysfs is read before and after the topology is loaded and each
 * figure must lie between the two readings.
 */
#define HP_MAX_SIZES 8
#define HP_MAX_NODES 64

struct hp_snap {
	unsigned int n_sizes;
	uint64_t size[HP_MAX_SIZES];                   /* bytes, as listed in sysfs */
	long long total[HP_MAX_NODES][HP_MAX_SIZES];   /* -1: node absent */
	long long free_[HP_MAX_NODES][HP_MAX_SIZES];
};

static long long
read_ll(const char *path)
{
	FILE *f = fopen(path, "r");
	long long v = -1;

	if (f == NULL)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* Every node directory and every hugepages-<N>kB in it, read once. */
static void
hp_snapshot(struct hp_snap *s)
{
	char path[256];
	DIR *d;
	struct dirent *e;

	memset(s, 0, sizeof(*s));
	d = opendir("/sys/devices/system/node/node0/hugepages");
	if (d != NULL) {
		while ((e = readdir(d)) != NULL && s->n_sizes < HP_MAX_SIZES) {
			unsigned long long kb;

			if (sscanf(e->d_name, "hugepages-%llukB", &kb) == 1)
				s->size[s->n_sizes++] = (uint64_t)kb << 10;
		}
		closedir(d);
	}
	for (int n = 0; n < HP_MAX_NODES; n++)
		for (unsigned int k = 0; k < s->n_sizes; k++) {
			snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/hugepages/"
				 "hugepages-%llukB/nr_hugepages", n,
				 (unsigned long long)(s->size[k] >> 10));
			s->total[n][k] = read_ll(path);
			snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/hugepages/"
				 "hugepages-%llukB/free_hugepages", n,
				 (unsigned long long)(s->size[k] >> 10));
			s->free_[n][k] = read_ll(path);
		}
}

static int
hp_size_index(const struct hp_snap *s, uint64_t size)
{
	for (unsigned int k = 0; k < s->n_sizes; k++)
		if (s->size[k] == size)
			return (int)k;
	return -1;
}

/* Pages of @size in use (total - free) summed over the nodes. */
static long long
hp_in_use(const struct hp_snap *s, int k)
{
	long long used = 0;

	for (int n = 0; n < HP_MAX_NODES; n++)
		if (s->total[n][k] >= 0 && s->free_[n][k] >= 0)
			used += s->total[n][k] - s->free_[n][k];
	return used;
}

static bool
between(long long v, long long a, long long b)
{
	return (v >= a && v <= b) || (v >= b && v <= a);
}

/* Does every count of @t lie between the two readings? (Checked in detail below.) */
static bool
hp_agrees(const np_topo *t, const struct hp_snap *a, const struct hp_snap *b)
{
	for (unsigned int i = 0; i < np_topo_node_count(t); i++) {
		int node = np_topo_node_id(t, i);

		if (node < 0 || node >= HP_MAX_NODES)
			return false;
		for (unsigned int k = 0; k < a->n_sizes; k++) {
			struct np_hugepages hp;

			if (np_topo_node_hugepages(t, node, a->size[k], &hp) != 0 ||
			    !between((long long)hp.total, a->total[node][k], b->total[node][k]) ||
			    !between((long long)hp.free, a->free_[node][k], b->free_[node][k]))
				return false;
		}
	}
	return true;
}

static void
test_live_hugepages_in_use(void)
{
	enum { N_2M = 4 };
	const size_t len = (size_t)N_2M << 21;
	struct hp_snap *before = calloc(1, sizeof(*before));
	struct hp_snap *after = calloc(1, sizeof(*after));
	long long free2m;
	void *mem = MAP_FAILED;
	np_topo *t = NULL;
	int k2m;

	NP_REQUIRE(before != NULL && after != NULL, "no memory for two sysfs snapshots");
	hp_snapshot(before);
	k2m = hp_size_index(before, 2ULL << 20);
	if (k2m < 0) {
		fprintf(stderr, "SKIP: live hugepages in use: this kernel lists no 2 MB "
			"hugepage size in /sys/devices/system/node/node0/hugepages (no "
			"hugetlb support): case not run\n");
		goto out;
	}
	free2m = before->free_[0][k2m];
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | (21 << MAP_HUGE_SHIFT), -1, 0);
	if (mem == MAP_FAILED) {
		fprintf(stderr, "SKIP: live hugepages in use: could not map %d x 2 MB "
			"hugepages (mmap MAP_HUGETLB: %s; node 0 had %lld free): reserve "
			"some with echo 64 > /proc/sys/vm/nr_hugepages: case not run\n",
			N_2M, strerror(errno), free2m);
		goto out;
	}
	/* Touch every page so each is taken from the free pool, not only reserved. */
	for (size_t off = 0; off < len; off += 2u << 20)
		((volatile char *)mem)[off] = 1;

	/*
	 * Another process may take and give back pages while the topology
	 * loads, between the two readings: such an attempt is retried. A real
	 * mismatch (a swap of total and free) shows on every attempt.
	 */
	for (int attempt = 0; attempt < 5; attempt++) {
		np_topo_destroy(t);
		hp_snapshot(before);
		t = np_topo_load_live();
		hp_snapshot(after);
		NP_REQUIRE(t != NULL, "live topology: %s", np_last_error());
		if (hp_agrees(t, before, after))
			break;
	}
	NP_REQUIRE(hp_in_use(before, k2m) >= N_2M && hp_in_use(after, k2m) >= N_2M,
		   "sysfs shows %lld then %lld 2 MB pages in use, this test holds %d",
		   hp_in_use(before, k2m), hp_in_use(after, k2m), N_2M);

	/* Every size sysfs lists is known to np_topo, on every node, with sysfs's figures. */
	NP_CHECK_INT(np_topo_hugepage_sizes(t, NULL, 0), (int)before->n_sizes);
	for (unsigned int i = 0; i < np_topo_node_count(t); i++) {
		int node = np_topo_node_id(t, i);

		NP_REQUIRE(node >= 0 && node < HP_MAX_NODES, "node %d", node);
		for (unsigned int k = 0; k < before->n_sizes; k++) {
			struct np_hugepages hp;
			unsigned long long kb = (unsigned long long)(before->size[k] >> 10);

			NP_REQUIRE(np_topo_node_hugepages(t, node, before->size[k], &hp) == 0,
				   "np_topo knows no %llu kB pages on node %d", kb, node);
			NP_CHECK(hp.page_size == before->size[k], "node %d: page_size %llu, "
				 "expected %llu", node, (unsigned long long)hp.page_size,
				 (unsigned long long)before->size[k]);
			NP_CHECK(between((long long)hp.total, before->total[node][k],
					 after->total[node][k]),
				 "node %d, %llu kB pages: np_topo total %llu, sysfs nr_hugepages "
				 "%lld then %lld", node, kb, (unsigned long long)hp.total,
				 before->total[node][k], after->total[node][k]);
			NP_CHECK(between((long long)hp.free, before->free_[node][k],
					 after->free_[node][k]),
				 "node %d, %llu kB pages: np_topo free %llu, sysfs free_hugepages "
				 "%lld then %lld", node, kb, (unsigned long long)hp.free,
				 before->free_[node][k], after->free_[node][k]);
		}
	}
out:
	if (mem != MAP_FAILED)
		munmap(mem, len);
	np_topo_destroy(t);
	free(before);
	free(after);
}

/* ---- described machines ------------------------------------------------- */

static void
test_one_node(void)
{
	np_topo *t = np_test_topo("1node.xml");
	static const unsigned int cpus[] = { 0, 1, 2, 3 };
	struct np_hugepages hp;
	struct np_nic_info nic;
	uint64_t sizes[4];

	NP_CHECK_INT(np_topo_source(t), NP_TOPO_XML);
	NP_CHECK_INT(np_topo_node_count(t), 1);
	NP_CHECK_INT(np_topo_node_id(t, 0), 0);
	NP_CHECK_INT(np_topo_node_id(t, 1), -EINVAL);
	check_cpus(t, 0, cpus, 4);
	NP_CHECK_INT(np_topo_node_memory(t, 0), 1024ULL << 20);
	NP_CHECK_INT(np_topo_distance(t, 0, 0), 10);
	NP_CHECK(np_topo_distances_known(t), "1x1 matrix given");
	NP_CHECK_INT(np_topo_package_count(t), 1);
	NP_CHECK_INT(np_topo_hugepage_sizes(t, sizes, 4), 1);
	NP_CHECK_INT(sizes[0], 2ULL << 20);
	NP_REQUIRE_INT(np_topo_node_hugepages(t, 0, 2ULL << 20, &hp), 0);
	NP_CHECK_INT(hp.total, 512);
	NP_CHECK_INT(hp.free, 512);
	NP_CHECK_INT(np_topo_node_hugepages(t, 0, 1ULL << 30, &hp), -EINVAL);
	NP_CHECK_INT(np_topo_node_hugepages(t, 5, 2ULL << 20, &hp), -ENOENT);
	NP_CHECK_INT(np_topo_nic_count(t), 1);
	NP_REQUIRE_INT(np_topo_nic(t, 0, &nic), 0);
	NP_CHECK_INT(nic.node, 0);
	NP_CHECK_INT(np_topo_nic(t, 1, &nic), -EINVAL);
	np_topo_destroy(t);
}

static void
test_two_nodes(void)
{
	np_topo *t = np_test_topo("2node.xml");
	static const unsigned int c0[] = { 0, 1 }, c1[] = { 2, 3 };
	struct np_nic_info nic;
	int order[2];
	int i;

	NP_CHECK_INT(np_topo_node_count(t), 2);
	check_cpus(t, 0, c0, 2);
	check_cpus(t, 1, c1, 2);
	NP_CHECK_INT(np_topo_distance(t, 0, 1), 21);
	NP_CHECK_INT(np_topo_distance(t, 1, 0), 21);
	NP_CHECK_INT(np_topo_distance(t, 1, 1), 10);
	NP_CHECK_INT(np_topo_nodes_by_distance(t, 1, order, 2), 2);
	NP_CHECK_INT(order[0], 1);
	NP_CHECK_INT(order[1], 0);
	NP_CHECK_INT(np_topo_cpu_node(t, 3), 1);
	NP_CHECK_INT(np_topo_cpu_node(t, 4), -ENOENT);
	NP_CHECK(np_topo_cpu_is_local(t, 2, 1), "CPU 2 is local to node 1");
	NP_CHECK(!np_topo_cpu_is_local(t, 2, 0), "CPU 2 is not local to node 0");
	NP_CHECK_INT(np_topo_package_count(t), 2);
	NP_CHECK_INT(np_topo_cpu_count(t), 4);

	NP_CHECK_INT(np_topo_nic_count(t), 2);
	i = np_topo_nic_find(t, "0000:0a:02.0");
	NP_REQUIRE(i >= 0, "NIC 0000:0a:02.0 found");
	np_topo_nic(t, (unsigned int)i, &nic);
	NP_CHECK_INT(nic.node, 1);
	NP_CHECK_INT(np_topo_nic_find(t, "0a:02.0"), i); /* domain omitted */
	i = np_topo_nic_find(t, "0000:00:05.0");
	NP_REQUIRE(i >= 0, "NIC 0000:00:05.0 found");
	np_topo_nic(t, (unsigned int)i, &nic);
	/* Placed below the machine, spanning both nodes: unknown, not 0. */
	NP_CHECK_INT(nic.node, NP_NODE_UNKNOWN);
	NP_CHECK_INT(np_topo_nic_find(t, "0000:ff:00.0"), -ENOENT);
	np_topo_destroy(t);
}

static void
test_four_nodes_asymmetric(void)
{
	np_topo *t = np_test_topo("4node-asym.xml");
	int order[4];
	static const int from0[] = { 0, 1, 2, 3 }, from3[] = { 3, 2, 1, 0 },
			 from1[] = { 1, 0, 3, 2 };

	NP_CHECK_INT(np_topo_node_count(t), 4);
	NP_CHECK_INT(np_topo_distance(t, 0, 3), 28);
	NP_CHECK_INT(np_topo_distance(t, 3, 0), 30); /* not symmetric */
	NP_CHECK_INT(np_topo_distance(t, 2, 3), 16);
	NP_CHECK_INT(np_topo_nodes_by_distance(t, 0, order, 4), 4);
	for (int i = 0; i < 4; i++)
		NP_CHECK_INT(order[i], from0[i]);
	np_topo_nodes_by_distance(t, 3, order, 4);
	for (int i = 0; i < 4; i++)
		NP_CHECK_INT(order[i], from3[i]);
	np_topo_nodes_by_distance(t, 1, order, 4);
	for (int i = 0; i < 4; i++)
		NP_CHECK_INT(order[i], from1[i]);
	/* Asking for fewer than all still returns the total and the nearest. */
	NP_CHECK_INT(np_topo_nodes_by_distance(t, 3, order, 2), 4);
	NP_CHECK_INT(order[1], 2);
	NP_CHECK_INT(np_topo_nodes_by_distance(t, 9, order, 4), -ENOENT);
	NP_CHECK_INT(np_topo_package_count(t), 2);
	np_topo_destroy(t);
}

static void
test_node_id_gap(void)
{
	np_topo *t = np_test_topo("gap-0-2.xml");
	static const unsigned int c2[] = { 2, 3 };
	struct np_nic_info nic;
	int order[2];
	uint64_t sizes[2];

	NP_CHECK_INT(np_topo_node_count(t), 2);
	NP_CHECK_INT(np_topo_node_id(t, 0), 0);
	NP_CHECK_INT(np_topo_node_id(t, 1), 2);
	NP_CHECK_INT(np_topo_node_index(t, 2), 1);
	NP_CHECK_INT(np_topo_node_index(t, 1), -ENOENT);
	NP_CHECK(!np_topo_node_exists(t, 1), "node 1 does not exist");
	NP_CHECK(np_topo_node_exists(t, 2), "node 2 exists");
	check_cpus(t, 2, c2, 2);
	NP_CHECK_INT(np_topo_node_cpus(t, 1, NULL, 0), -ENOENT);
	NP_CHECK_INT(np_topo_node_memory(t, 1), 0);
	NP_CHECK_INT(np_topo_distance(t, 0, 2), 21);
	NP_CHECK_INT(np_topo_distance(t, 0, 1), -ENOENT);
	np_topo_nodes_by_distance(t, 2, order, 2);
	NP_CHECK_INT(order[0], 2);
	NP_CHECK_INT(order[1], 0);
	NP_CHECK_INT(np_topo_cpu_node(t, 3), 2);
	NP_CHECK_INT(np_topo_hugepage_sizes(t, sizes, 2), 0);
	np_topo_nic(t, 0, &nic);
	NP_CHECK_INT(nic.node, 2);
	np_topo_destroy(t);
}

static void
test_memory_only_node(void)
{
	np_topo *t = np_test_topo("memory-only.xml");
	unsigned int cpus[4];

	NP_CHECK_INT(np_topo_node_count(t), 3);
	NP_CHECK(np_topo_node_is_memory_only(t, 2), "node 2 is memory-only");
	NP_CHECK(!np_topo_node_is_memory_only(t, 0), "node 0 has CPUs");
	NP_CHECK_INT(np_topo_node_cpus(t, 2, cpus, 4), 0);
	NP_CHECK_INT(np_topo_node_memory(t, 2), 1024ULL << 20);
	/* Node 2 covers every CPU in hwloc's tree; each CPU still has one node. */
	NP_CHECK_INT(np_topo_cpu_node(t, 0), 0);
	NP_CHECK_INT(np_topo_cpu_node(t, 3), 1);
	NP_CHECK_INT(np_topo_distance(t, 2, 0), 30);
	NP_CHECK_INT(np_topo_cpus_without_memory(t, cpus, 4), 0);
	np_topo_destroy(t);
}

/*
 * A NIC beside a CPU-less node (nic-on-memory-only.xml: node 2 has memory,
 * no CPU, and NIC 0000:50:00.0 under a Group holding only node 2). No CPU is
 * near it, so the Group's one node is its node, not "unknown"; the NIC on
 * node 0 still gets its node from its CPUs.
 */
static void
test_nic_beside_cpuless_node(void)
{
	np_topo *t = np_test_topo("nic-on-memory-only.xml");
	struct np_nic_info nic;
	int i;

	NP_CHECK(np_topo_node_is_memory_only(t, 2), "node 2 is memory-only");
	NP_REQUIRE_INT(np_topo_nic_count(t), 2);
	i = np_topo_nic_find(t, "0000:50:00.0");
	NP_REQUIRE(i >= 0, "NIC 0000:50:00.0 found");
	NP_REQUIRE_INT(np_topo_nic(t, (unsigned int)i, &nic), 0);
	NP_CHECK_INT(nic.node, 2);
	i = np_topo_nic_find(t, "0000:0a:00.0");
	NP_REQUIRE(i >= 0, "NIC 0000:0a:00.0 found");
	NP_REQUIRE_INT(np_topo_nic(t, (unsigned int)i, &nic), 0);
	NP_CHECK_INT(nic.node, 0);
	np_topo_destroy(t);
}

static void
test_cpus_without_memory(void)
{
	np_topo *t = np_test_topo("cpu-no-memory.xml");
	unsigned int cpus[4];

	NP_CHECK_INT(np_topo_node_memory(t, 1), 0);
	NP_CHECK_INT(np_topo_cpus_without_memory(t, cpus, 4), 2);
	NP_CHECK_INT(cpus[0], 2);
	NP_CHECK_INT(cpus[1], 3);
	NP_CHECK(!np_topo_node_is_memory_only(t, 1), "a node without memory is not memory-only");
	np_topo_destroy(t);
}

static void
test_two_packages_one_node(void)
{
	np_topo *t = np_test_topo("2pkg-1node.xml");

	NP_CHECK_INT(np_topo_node_count(t), 1);
	NP_CHECK_INT(np_topo_package_count(t), 2);
	NP_CHECK_INT(np_topo_cpu_count(t), 4);
	NP_CHECK_INT(np_topo_node_cpus(t, 0, NULL, 0), 4);
	np_topo_destroy(t);
}

static void
test_synthetic(void)
{
	np_topo *t = np_topo_load_synthetic("pack:2 numa:1 core:2 pu:1");

	NP_REQUIRE(t != NULL, "synthetic: %s", np_last_error());
	NP_CHECK_INT(np_topo_source(t), NP_TOPO_SYNTHETIC);
	NP_CHECK_STR(np_topo_source_name(t), "synthetic:pack:2 numa:1 core:2 pu:1");
	NP_CHECK_INT(np_topo_node_count(t), 2);
	NP_CHECK_INT(np_topo_cpu_count(t), 4);
	NP_CHECK(!np_topo_distances_known(t), "synthetic descriptions carry no distances");
	NP_CHECK_INT(np_topo_distance(t, 0, 1), 20);
	NP_CHECK_INT(np_topo_nic_count(t), 0);
	np_topo_destroy(t);
}

static void
test_env_variable(void)
{
	np_topo *t;

	setenv(NP_TOPOLOGY_ENV, topo_file("4node-asym.xml"), 1);
	t = np_topo_load();
	NP_REQUIRE(t != NULL, "$NP_TOPOLOGY: %s", np_last_error());
	NP_CHECK_INT(np_topo_source(t), NP_TOPO_XML);
	NP_CHECK_INT(np_topo_node_count(t), 4);
	np_topo_destroy(t);

	setenv(NP_TOPOLOGY_ENV, "synthetic:pack:4 numa:1 pu:1", 1);
	t = np_topo_load();
	NP_REQUIRE(t != NULL, "$NP_TOPOLOGY synthetic: %s", np_last_error());
	NP_CHECK_INT(np_topo_node_count(t), 4);
	np_topo_destroy(t);

	setenv(NP_TOPOLOGY_ENV, "/no/such/topology.xml", 1);
	t = np_topo_load();
	NP_CHECK(t == NULL, "a missing file fails");
	NP_CHECK_INT(errno, ENOENT);
	NP_CHECK_CONTAINS(np_last_error(), "/no/such/topology.xml");
	NP_CHECK_CONTAINS(np_last_error(), "$NP_TOPOLOGY");

	setenv(NP_TOPOLOGY_ENV, "", 1);
	t = np_topo_load();
	NP_REQUIRE(t != NULL, "empty $NP_TOPOLOGY means the live machine");
	NP_CHECK_INT(np_topo_source(t), NP_TOPO_LIVE);
	np_topo_destroy(t);
	unsetenv(NP_TOPOLOGY_ENV);
}

/* ---- bad input ---------------------------------------------------------- */

static void
expect_bad_file(const char *file, int err, const char *what)
{
	char path[1024];
	np_topo *t;

	snprintf(path, sizeof(path), "%s/topo/%s", NP_TEST_DATA, file);
	t = np_topo_load_xml(path);
	NP_CHECK(t == NULL, "%s must be rejected", file);
	NP_CHECK_INT(errno, err);
	NP_CHECK_CONTAINS(np_last_error(), file);
	NP_CHECK_CONTAINS(np_last_error(), what);
	np_topo_destroy(t);
}

static void
test_bad_input(void)
{
	np_topo *t;

	expect_bad_file("no-such-file.xml", ENOENT, "no such topology file");
	expect_bad_file("empty.xml", EBADMSG, "is empty");
	expect_bad_file("malformed.xml", EBADMSG, "not an XML file");
	expect_bad_file("not-a-topology.xml", EBADMSG, "not a valid hwloc XML topology");
	expect_bad_file("distance-unknown-node.xml", EBADMSG, "not a valid hwloc XML topology");
	expect_bad_file("zero-distance.xml", EBADMSG, "distance from node 0 to node 1 is 0");

	t = np_topo_load_xml("");
	NP_CHECK(t == NULL && errno == EINVAL, "empty path: errno %d", errno);
	NP_CHECK_CONTAINS(np_last_error(), "no path");
	t = np_topo_load_xml(NULL);
	NP_CHECK(t == NULL && errno == EINVAL, "NULL path: errno %d", errno);
	t = np_topo_load_synthetic("pack:two");
	NP_CHECK(t == NULL && errno == EBADMSG, "bad synthetic: errno %d", errno);
	NP_CHECK_CONTAINS(np_last_error(), "\"pack:two\"");
	t = np_topo_load_synthetic("");
	NP_CHECK(t == NULL && errno == EINVAL, "empty synthetic: errno %d", errno);
	np_topo_destroy(NULL); /* accepted */
}

static const struct np_test_case live_cases[] = {
	{ "matches libnuma", test_live_matches_libnuma },
	{ "NIC node from sysfs, -1 unknown", test_live_nic_node_from_sysfs },
	{ "enforcement", test_live_enforcement },
	{ "hugepages per node with some in use", test_live_hugepages_in_use },
	{ NULL, NULL },
};

static const struct np_test_case described_cases[] = {
	{ "1 node", test_one_node },
	{ "2 nodes 10/21, NIC on node 1 and unknown", test_two_nodes },
	{ "4 nodes asymmetric distances", test_four_nodes_asymmetric },
	{ "nodes 0 and 2 only", test_node_id_gap },
	{ "memory-only node", test_memory_only_node },
	{ "NIC beside a CPU-less node", test_nic_beside_cpuless_node },
	{ "CPUs without memory", test_cpus_without_memory },
	{ "2 packages 1 node", test_two_packages_one_node },
	{ "synthetic", test_synthetic },
	{ "$NP_TOPOLOGY", test_env_variable },
	{ NULL, NULL },
};

static const struct np_test_case bad_cases[] = {
	{ "bad files and descriptions", test_bad_input },
	{ NULL, NULL },
};

/* ---- paths that are not files, fuzz findings (issue 12) ------------------ */

#include <hwloc.h> /* HWLOC_VERSION, quoted by one message */

/*
 * A directory, a device or a socket given as the description is named, and
 * refused before hwloc opens it: /dev/zero used to be reported "empty". The
 * same words through $NP_TOPOLOGY, which says where the path came from.
 */
static void
test_not_a_file(void)
{
	static const struct {
		const char *path, *kind;
	} cases[] = {
		{ "/dev/null", "a character device" },
		{ "/dev/zero", "a character device" },
	};
	char dir[200], want[400]; /* want fits np_test.h's 512-byte message */
	np_topo *t;

	snprintf(dir, sizeof(dir), "%.150s/topo", NP_TEST_DATA);
	t = np_topo_load_xml(dir);
	NP_CHECK(t == NULL && errno == EBADMSG, "a directory: errno %d", errno);
	snprintf(want, sizeof(want), "%s is a directory, not a topology file: give an "
		 "hwloc XML file (lstopo box.xml writes one) or synthetic:DESCRIPTION", dir);
	NP_CHECK_STR(np_last_error(), want);
	np_topo_destroy(t);
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t = np_topo_load_xml(cases[i].path);
		NP_CHECK(t == NULL && errno == EBADMSG, "%s: errno %d", cases[i].path, errno);
		snprintf(want, sizeof(want), "%s is %s, not a topology file: give an hwloc XML "
			 "file (lstopo box.xml writes one) or synthetic:DESCRIPTION",
			 cases[i].path, cases[i].kind);
		NP_CHECK_STR(np_last_error(), want);
		np_topo_destroy(t);
	}
	setenv(NP_TOPOLOGY_ENV, "/dev/zero", 1);
	t = np_topo_load();
	NP_CHECK(t == NULL && errno == EBADMSG, "$NP_TOPOLOGY=/dev/zero: errno %d", errno);
	NP_CHECK_STR(np_last_error(), "/dev/zero is a character device, not a topology file: "
		     "give an hwloc XML file (lstopo box.xml writes one) or "
		     "synthetic:DESCRIPTION (from $NP_TOPOLOGY)");
	np_topo_destroy(t);
	unsetenv(NP_TOPOLOGY_ENV);
}

/* A path with a control byte is quoted escaped. */
static void
test_path_escaped(void)
{
	np_topo *t = np_topo_load_xml("/no/such\x1b[2J.xml");

	NP_CHECK(t == NULL && errno == ENOENT, "missing: errno %d", errno);
	NP_CHECK_STR(np_last_error(), "/no/such\\x1b[2J.xml: no such topology file");
	np_topo_destroy(t);
}

/*
 * What tests/fuzz/fuzz_topo.c found, each refused with a message: two nodes
 * or two PUs with one id (accepted before: "2 nodes (0,0)"), an object
 * without complete_cpuset (hwloc 2.9 dereferences NULL), a bitmap that
 * starts with ',' (hwloc 2.9 asserts) and a root whose cpuset and
 * complete_cpuset do not meet (the topology ends up empty and hwloc 2.9
 * crashes cleaning up: caught by the trial load in a child process).
 */
static void
test_fuzz_findings(void)
{
	static const struct {
		const char *file, *msg;
	} cases[] = {
		{ "dup-node-id.xml", ": NUMA node id 0 is given to two nodes; each node needs "
		  "its own os_index" },
		{ "dup-cpu-id.xml", ": CPU id 0 is given to two PUs; each PU needs its own "
		  "os_index" },
		{ "no-complete-cpuset.xml", ":5: <object> has a cpuset but no complete_cpuset "
		  "(hwloc's export always writes both; hwloc " HWLOC_VERSION " would crash on "
		  "it): export the machine again with lstopo FILE.xml" },
		{ "bitmap-leading-comma.xml", ":23: cpuset=\",0x00000004\" starts with ',': not "
		  "a bitmap such as 0x0000000f (hwloc " HWLOC_VERSION " would abort on it): "
		  "export the machine again with lstopo FILE.xml" },
		{ "becomes-empty.xml", ": hwloc " HWLOC_VERSION " crashed reading it "
		  "(Segmentation fault), so it was not loaded: its objects or sets contradict "
		  "each other in a way lstopo never exports; export the machine again with "
		  "lstopo FILE.xml" },
	};
	char good[200];
	np_topo *g;

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[200], want[400];
		np_topo *t;

		snprintf(path, sizeof(path), "%.150s/topo/%s", NP_TEST_DATA, cases[i].file);
		snprintf(want, sizeof(want), "%s%s", path, cases[i].msg);
		errno = 0;
		t = np_topo_load_xml(path);
		NP_CHECK(t == NULL && errno == EBADMSG, "%s: errno %d", cases[i].file, errno);
		NP_CHECK_STR(np_last_error(), want);
		np_topo_destroy(t);
	}
	/* Not over-strict: hwloc writes a zero word of a bitmap as ",,". */
	snprintf(good, sizeof(good), "%.150s/topo/good-empty-bitmap-word.xml", NP_TEST_DATA);
	g = np_topo_load_xml(good);
	NP_CHECK(g != NULL, "\"0x0,,0x0000000f\" is a bitmap: %s", np_last_error());
	if (g)
		NP_CHECK_INT(np_topo_node_count(g), 2);
	np_topo_destroy(g);
}

static const struct np_test_case path_cases[] = {
	{ "directory and devices named", test_not_a_file },
	{ "path escaped", test_path_escaped },
	{ "fuzz findings", test_fuzz_findings },
	{ NULL, NULL },
};

NP_TEST_MAIN(
	{ "topo live", NULL, NULL, live_cases },
	{ "topo described", NULL, NULL, described_cases },
	{ "topo bad input", NULL, NULL, bad_cases },
	{ "topo paths that are not files", NULL, NULL, path_cases },
)
