/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DPDK sees the machine's nodes, puts a socket-1 mempool in node-1 memory,
 * reports each NIC's node (and -1 for a NIC whose node is unknown), and a
 * frame received on the node-1 NIC lands in node-1 memory.
 *
 * numaperf's placement decisions are made from exactly these DPDK answers,
 * so they are checked on a real multi-node kernel: the 'vm' suite runs this
 * inside a QEMU guest (tests/vm/np-vm, topology 2node) where two emulated
 * e1000 NICs are bound to uio_pci_generic. Skips (77) on a machine with fewer
 * than 2 NUMA nodes, without root, or without free hugepages on each node.
 *
 * Options:
 *   --sockets N       rte_socket_count() must be N (default: the node count)
 *   --nic ADDR=NODE   the NIC at PCI address ADDR must report NODE (-1 for
 *                     unknown); ADDR may also be a topology NIC name, looked
 *                     up in NP_VM_NIC_<name> (set by np-vm). Repeatable.
 *                     Without --nic, NP_VM_NICS ("ADDR=NODE ...") is used.
 * The first NIC with a known node receives, the first with an unknown node
 * (or the second NIC) sends.
 */
#include <errno.h>
#include <numa.h>
#include <numaif.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memory.h>
#include <rte_mempool.h>

#include "np_test.h"

#define MAX_NICS 8
#define POOL_MBUFS 511
#define RING_SIZE 128
#define RX_WAIT_S 20            /* TCG is slow; a frame takes well under 1 s */

struct nic {
	char arg[64];           /* as given: address or topology name */
	char addr[64];          /* PCI address */
	int want_node;
	uint16_t port;
	int found;
};

static struct nic nics[MAX_NICS];
static int n_nics;
static int want_sockets = -1;
static int eal_ready;
static struct rte_mempool *pool[2];     /* pools on sockets 0 and 1 */

/* ---- where memory is ---------------------------------------------------- */

struct addr_list {
	void **v;
	size_t n, cap;
};

static void
addr_push(struct addr_list *l, void *a)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 1024;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (l->v == NULL)
			abort();
	}
	l->v[l->n++] = a;
}

/*
 * Every address must be in a memseg of want_socket (DPDK's own view) and on
 * a page the kernel says is on node want_socket (move_pages query mode: the
 * truth, whatever DPDK believes).
 */
static void
check_addrs(const char *what, struct addr_list *l, int want_socket)
{
	int *status = calloc(l->n, sizeof(*status));
	void **pages = calloc(l->n, sizeof(*pages));
	unsigned int bad_seg = 0, bad_page = 0;

	NP_REQUIRE(status && pages && l->n > 0, "%s: nothing to check (%zu addresses)",
		   what, l->n);
	for (size_t i = 0; i < l->n; i++) {
		const struct rte_memseg *ms = rte_mem_virt2memseg(l->v[i], NULL);
		if (ms == NULL || ms->socket_id != want_socket) {
			if (bad_seg++ < 3)
				NP_CHECK(0, "%s: %p: rte_mem_virt2memseg()->socket_id is %d, expected %d",
					 what, l->v[i], ms ? ms->socket_id : -999, want_socket);
		}
		status[i] = -12345;
		pages[i] = (void *)((uintptr_t)l->v[i] & ~(uintptr_t)(sysconf(_SC_PAGESIZE) - 1));
	}
	long rc = move_pages(0, l->n, pages, NULL, status, 0);
	NP_REQUIRE(rc == 0, "%s: move_pages(query) returned %ld: %s", what, rc, strerror(errno));
	for (size_t i = 0; i < l->n; i++)
		if (status[i] != want_socket && bad_page++ < 3)
			NP_CHECK(0, "%s: %p is on node %d%s, expected node %d", what, l->v[i],
				 status[i], status[i] < 0 ? " (negative errno)" : "", want_socket);
	NP_CHECK(bad_seg == 0 && bad_page == 0,
		 "%s: of %zu addresses, %u in a memseg of another socket, %u on a page of another node",
		 what, l->n, bad_seg, bad_page);
	free(status);
	free(pages);
}

static void
collect_obj(struct rte_mempool *mp, void *opaque, void *obj, unsigned int idx)
{
	struct rte_mbuf *m = obj;
	struct addr_list *l = opaque;

	(void)mp;
	(void)idx;
	addr_push(l, m);                                 /* the header */
	addr_push(l, (char *)m->buf_addr + m->buf_len - 1); /* end of the data room */
}

static void
collect_chunk(struct rte_mempool *mp, void *opaque, struct rte_mempool_memhdr *hdr,
	      unsigned int idx)
{
	struct addr_list *l = opaque;

	(void)mp;
	(void)idx;
	/* Every 4 KiB step, so a chunk spanning hugepages is covered whatever
	 * the page size. */
	for (size_t off = 0; off < hdr->len; off += 4096)
		addr_push(l, (char *)hdr->addr + off);
	addr_push(l, (char *)hdr->addr + hdr->len - 1);
}

static void
check_pool(int socket)
{
	struct rte_mempool *mp = pool[socket];
	struct addr_list objs = { 0 }, chunks = { 0 };
	char what[64];

	NP_REQUIRE(mp != NULL, "no pool on socket %d (suite init failed?)", socket);
	NP_CHECK_INT(mp->socket_id, socket);
	NP_CHECK_INT(rte_mempool_obj_iter(mp, collect_obj, &objs), POOL_MBUFS);
	NP_CHECK(rte_mempool_mem_iter(mp, collect_chunk, &chunks) > 0,
		 "mempool on socket %d has no memory chunks", socket);
	snprintf(what, sizeof(what), "mbufs of the socket-%d pool", socket);
	check_addrs(what, &objs, socket);
	snprintf(what, sizeof(what), "memory chunks of the socket-%d pool", socket);
	check_addrs(what, &chunks, socket);
	free(objs.v);
	free(chunks.v);
	struct addr_list hdr = { 0 };
	addr_push(&hdr, mp);
	snprintf(what, sizeof(what), "struct rte_mempool of the socket-%d pool", socket);
	check_addrs(what, &hdr, socket);
	free(hdr.v);
}

/* ---- cases -------------------------------------------------------------- */

static void
test_sockets(void)
{
	NP_CHECK_INT(rte_socket_count(), want_sockets);
	for (unsigned int i = 0; i < rte_socket_count(); i++)
		NP_CHECK(rte_socket_id_by_idx(i) == (int)i,
			 "rte_socket_id_by_idx(%u) = %d: socket ids have gaps", i,
			 rte_socket_id_by_idx(i));
}

/*
 * Each lcore's socket is the node of the CPUs it runs on. (Not
 * rte_lcore_to_cpu_id(): that is the core id inside its package, which
 * restarts at 0 on every socket.)
 */
static void
test_lcores(void)
{
	unsigned int lcore, per_socket[RTE_MAX_NUMA_NODES] = { 0 };

	RTE_LCORE_FOREACH(lcore) {
		rte_cpuset_t set = rte_lcore_cpuset(lcore);
		unsigned int socket = rte_lcore_to_socket_id(lcore);
		int n_cpus = 0;
		for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
			if (!CPU_ISSET(cpu, &set))
				continue;
			n_cpus++;
			NP_CHECK((int)socket == numa_node_of_cpu(cpu),
				 "lcore %u: rte socket %u, but its cpu %d is on node %d", lcore,
				 socket, cpu, numa_node_of_cpu(cpu));
		}
		NP_CHECK(n_cpus > 0, "lcore %u has an empty cpuset", lcore);
		if (socket < RTE_MAX_NUMA_NODES)
			per_socket[socket]++;
	}
	for (int s = 0; s < want_sockets && s < RTE_MAX_NUMA_NODES; s++)
		NP_CHECK(per_socket[s] > 0, "no lcore on socket %d", s);
}

static void
test_pool_socket1(void)
{
	check_pool(1);
}

static void
test_pool_socket0(void)
{
	check_pool(0);
}

static void
test_nic_nodes(void)
{
	NP_REQUIRE(n_nics > 0, "no NICs to check: give --nic ADDR=NODE or run under np-vm");
	for (int i = 0; i < n_nics; i++) {
		struct nic *n = &nics[i];
		NP_CHECK(n->found, "NIC %.40s (%.40s): no ethdev port: was it probed? "
			 "(bound to uio_pci_generic? allowed with -a?)", n->arg, n->addr);
		if (!n->found)
			continue;
		rte_errno = 0;
		int got = rte_eth_dev_socket_id(n->port);
		NP_CHECK(got == n->want_node,
			 "NIC %.40s (%.40s, port %u): rte_eth_dev_socket_id() = %d, expected %d",
			 n->arg, n->addr, n->port, got, n->want_node);
		/* -1 means "unknown" only with rte_errno 0; EINVAL is a bad port. */
		if (got == SOCKET_ID_ANY)
			NP_CHECK(rte_errno == 0, "NIC %s: rte_eth_dev_socket_id() = -1 with rte_errno %d (%s)",
				 n->addr, rte_errno, rte_strerror(rte_errno));
	}
}

static int
setup_port(struct nic *n, struct rte_mempool *mp, int socket)
{
	struct rte_eth_conf conf;
	int rc;

	memset(&conf, 0, sizeof(conf));
	if ((rc = rte_eth_dev_configure(n->port, 1, 1, &conf)) != 0 ||
	    (rc = rte_eth_rx_queue_setup(n->port, 0, RING_SIZE, socket, NULL, mp)) != 0 ||
	    (rc = rte_eth_tx_queue_setup(n->port, 0, RING_SIZE, socket, NULL)) != 0 ||
	    (rc = rte_eth_promiscuous_enable(n->port)) != 0 ||
	    (rc = rte_eth_dev_start(n->port)) != 0)
		NP_CHECK(0, "port %u (%s): setup failed: %s", n->port, n->addr, rte_strerror(-rc));
	return rc;
}

/*
 * What an application does: give the rx queue a pool on the socket the NIC
 * reports. Send on the other NIC (QEMU's hub joins them): the frame must be
 * written into memory of the node the NIC is expected on.
 */
static void
test_rx_lands_on_node(void)
{
	struct nic *rx = NULL, *tx = NULL;

	for (int i = 0; i < n_nics; i++) {
		if (!nics[i].found)
			continue;
		if (rx == NULL && nics[i].want_node >= 0 && nics[i].want_node < 2)
			rx = &nics[i];
		else if (tx == NULL)
			tx = &nics[i];
	}
	NP_REQUIRE(rx != NULL && tx != NULL,
		   "needs two probed NICs, one on node 0 or 1 (have %d NICs)", n_nics);
	int rx_socket = rte_eth_dev_socket_id(rx->port);
	NP_REQUIRE(rx_socket == 0 || rx_socket == 1,
		   "rx NIC %s reports socket %d: no pool for it", rx->addr, rx_socket);
	NP_REQUIRE(setup_port(rx, pool[rx_socket], rx_socket) == 0, "rx port setup");
	NP_REQUIRE(setup_port(tx, pool[0], 0) == 0, "tx port setup");

	static const char payload[] = "numaperf np-vm frame";
	struct rte_mbuf *got = NULL;
	for (int tries = 0; tries < RX_WAIT_S * 10 && got == NULL; tries++) {
		if (tries % 10 == 0) {  /* one frame a second until one arrives */
			struct rte_mbuf *m = rte_pktmbuf_alloc(pool[0]);
			NP_REQUIRE(m != NULL, "rte_pktmbuf_alloc failed");
			NP_REQUIRE(rte_pktmbuf_append(m, 64) != NULL, "rte_pktmbuf_append(64) failed");
			struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
			memset(eh, 0, 64);
			memset(&eh->dst_addr, 0xff, sizeof(eh->dst_addr));
			rte_eth_macaddr_get(tx->port, &eh->src_addr);
			eh->ether_type = rte_cpu_to_be_16(0x88b5);  /* local experimental */
			memcpy(eh + 1, payload, sizeof(payload));
			if (rte_eth_tx_burst(tx->port, 0, &m, 1) != 1)
				rte_pktmbuf_free(m);
		}
		usleep(100 * 1000);
		struct rte_mbuf *burst[16];
		uint16_t n = rte_eth_rx_burst(rx->port, 0, burst, 16);
		for (uint16_t i = 0; i < n; i++) {
			const struct rte_ether_hdr *eh =
				rte_pktmbuf_mtod(burst[i], const struct rte_ether_hdr *);
			if (got == NULL && burst[i]->data_len >= 64 &&
			    eh->ether_type == rte_cpu_to_be_16(0x88b5) &&
			    memcmp(eh + 1, payload, sizeof(payload)) == 0)
				got = burst[i];
			else
				rte_pktmbuf_free(burst[i]);
		}
	}
	NP_REQUIRE(got != NULL, "no frame from %s arrived on %s within %d s",
		   tx->addr, rx->addr, RX_WAIT_S);
	NP_CHECK(got->pool == pool[rx_socket], "received mbuf from pool %s, expected %s",
		 got->pool->name, pool[rx_socket]->name);
	struct addr_list l = { 0 };
	addr_push(&l, got);
	addr_push(&l, rte_pktmbuf_mtod(got, char *));
	check_addrs("received frame", &l, rx->want_node);
	free(l.v);
	rte_pktmbuf_free(got);

	rte_eth_dev_stop(rx->port);
	rte_eth_dev_stop(tx->port);
}

/* ---- EAL ---------------------------------------------------------------- */

static int
suite_init(void)
{
	char lcores[32], *argv[32];
	int argc = 0;
	static char prog[] = "test_vm_dpdk";

	snprintf(lcores, sizeof(lcores), "0-%ld", sysconf(_SC_NPROCESSORS_ONLN) - 1);
	argv[argc++] = prog;
	argv[argc++] = (char *)"-l";
	argv[argc++] = lcores;
	argv[argc++] = (char *)"--file-prefix";
	argv[argc++] = (char *)"npvm";
	argv[argc++] = (char *)"--log-level=lib.eal:notice";
	for (int i = 0; i < n_nics; i++) {
		argv[argc++] = (char *)"-a";
		argv[argc++] = nics[i].addr;
	}
	argv[argc] = NULL;

	fprintf(stderr, "rte_eal_init:");
	for (int i = 0; i < argc; i++)
		fprintf(stderr, " %s", argv[i]);
	fputc('\n', stderr);
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "rte_eal_init failed: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	eal_ready = 1;

	for (int i = 0; i < n_nics; i++)
		nics[i].found = rte_eth_dev_get_port_by_name(nics[i].addr, &nics[i].port) == 0;

	for (int s = 0; s < 2; s++) {
		char name[32];
		snprintf(name, sizeof(name), "npvm_pool_s%d", s);
		pool[s] = rte_pktmbuf_pool_create(name, POOL_MBUFS, 0, 0,
						  RTE_MBUF_DEFAULT_BUF_SIZE, s);
		if (pool[s] == NULL) {
			fprintf(stderr, "rte_pktmbuf_pool_create(%s, socket %d): %s\n", name, s,
				rte_strerror(rte_errno));
			return -1;
		}
	}
	return 0;
}

static int
suite_cleanup(void)
{
	if (!eal_ready)
		return 0;
	for (int i = 0; i < n_nics; i++)
		if (nics[i].found)
			rte_eth_dev_close(nics[i].port);
	for (int s = 0; s < 2; s++)
		rte_mempool_free(pool[s]);
	int rc = rte_eal_cleanup();
	if (rc != 0)
		fprintf(stderr, "rte_eal_cleanup: %s\n", rte_strerror(-rc));
	return rc == 0 ? 0 : -1;
}

/* ---- arguments and preconditions ---------------------------------------- */

static int
add_nic(const char *spec)
{
	const char *eq = strrchr(spec, '=');
	char *end;

	if (n_nics == MAX_NICS || eq == NULL || eq == spec ||
	    (size_t)(eq - spec) >= sizeof(nics[0].arg)) {
		fprintf(stderr, "bad NIC \"%s\": expected ADDR=NODE, e.g. 0000:0a:02.0=1 "
			"(at most %d)\n", spec, MAX_NICS);
		return -1;
	}
	struct nic *n = &nics[n_nics];
	memcpy(n->arg, spec, eq - spec);
	n->arg[eq - spec] = '\0';
	n->want_node = (int)strtol(eq + 1, &end, 10);
	if (end == eq + 1 || *end != '\0' || n->want_node < -1) {
		fprintf(stderr, "bad NIC \"%s\": node must be an integer >= -1\n", spec);
		return -1;
	}
	n_nics++;
	return 0;
}

/* A topology NIC name ("A") becomes its guest PCI address. */
static int
resolve_nic(struct nic *n)
{
	if (strchr(n->arg, ':') != NULL) {
		snprintf(n->addr, sizeof(n->addr), "%s", n->arg);
		return 0;
	}
	char var[96];
	snprintf(var, sizeof(var), "NP_VM_NIC_%s", n->arg);
	const char *addr = getenv(var);
	if (addr == NULL || *addr == '\0') {
		fprintf(stderr, "NIC \"%s\" is not a PCI address and %s is not set "
			"(np-vm sets it for each NIC of the topology)\n", n->arg, var);
		return -1;
	}
	snprintf(n->addr, sizeof(n->addr), "%s", addr);
	return 0;
}

static const struct np_test_case dpdk_cases[] = {
	{ "rte_socket_count", test_sockets },
	{ "lcore sockets match their CPUs' nodes", test_lcores },
	{ "socket-1 mbuf pool is in node-1 memory", test_pool_socket1 },
	{ "socket-0 mbuf pool is in node-0 memory", test_pool_socket0 },
	{ "NIC nodes (-1 when unknown)", test_nic_nodes },
	{ "received frame lands in the rx NIC's node", test_rx_lands_on_node },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--sockets") == 0 && i + 1 < argc) {
			want_sockets = atoi(argv[++i]);
		} else if (strcmp(argv[i], "--nic") == 0 && i + 1 < argc) {
			if (add_nic(argv[++i]) != 0)
				return 2;
		} else {
			fprintf(stderr, "usage: %s [--sockets N] [--nic ADDR=NODE]...\n"
				"unknown or incomplete argument: %s\n", argv[0], argv[i]);
			return 2;
		}
	}

	if (numa_available() < 0)
		NP_TEST_SKIP_ALL("libnuma: NUMA is not available on this kernel");
	int nodes = numa_num_configured_nodes();
	if (nodes < 2)
		NP_TEST_SKIP_ALL("needs >= 2 NUMA nodes, this machine has %d: run it in the "
				 "multi-node guest: tests/vm/np-vm -- %s", nodes, argv[0]);
	if (geteuid() != 0)
		NP_TEST_SKIP_ALL("needs root for hugepages and uio NIC access (euid %d)",
				 (int)geteuid());
	for (int node = 0; node < 2; node++) {
		char path[128];
		long free_pages = 0;
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/hugepages/"
			 "hugepages-2048kB/free_hugepages", node);
		FILE *f = fopen(path, "r");
		if (f != NULL) {
			if (fscanf(f, "%ld", &free_pages) != 1)
				free_pages = 0;
			fclose(f);
		}
		if (free_pages < 16)
			NP_TEST_SKIP_ALL("node %d has %ld free 2 MB hugepages; need 16: "
					 "echo 96 > /sys/devices/system/node/node%d/hugepages/"
					 "hugepages-2048kB/nr_hugepages", node, free_pages, node);
	}

	if (n_nics == 0 && getenv("NP_VM_NICS") != NULL) {
		char *list = strdup(getenv("NP_VM_NICS")), *save = NULL;
		for (char *t = strtok_r(list, " ", &save); t; t = strtok_r(NULL, " ", &save))
			if (add_nic(t) != 0)
				return 2;
		free(list);
	}
	for (int i = 0; i < n_nics; i++) {
		if (resolve_nic(&nics[i]) != 0)
			return 1;
		char path[128];
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", nics[i].addr);
		if (access(path, F_OK) != 0)
			NP_TEST_SKIP_ALL("NIC %s: no PCI device %s on this machine: run it in "
					 "the 2node guest: tests/vm/np-vm -- %s", nics[i].arg,
					 nics[i].addr, argv[0]);
	}
	if (want_sockets < 0)
		want_sockets = nodes;

	const struct np_test_suite suites[] = {
		{ "dpdk on two nodes", suite_init, suite_cleanup, dpdk_cases },
	};
	return np_test_run(suites, 1);
}
