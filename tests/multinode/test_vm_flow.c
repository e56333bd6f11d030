/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * framework/flow and framework/exec on a real multi-node kernel: one flow
 * table and one executor per node, and proof of where things are:
 *  - every block of each node's table (the rte_hash, its key store and
 *    rings, the state array, the RCU variable, the counters) and each
 *    node's executor rings are in a memseg of that node's socket
 *    (rte_mem_virt2memseg), and on pages of that node (move_pages: the
 *    kernel's word, not DPDK's);
 *  - a function submitted from a CPU of node 0 to node k runs on a CPU of
 *    node k (sched_getcpu + numa_node_of_cpu inside it) when an lcore of
 *    node k polls;
 *  - mbufs handed from node 0 to node k reach the handler on a CPU of node
 *    k, which creates their flows in node k's table: each flow once, its
 *    state in node k's memory, and the handoff counted for the pair (0, k).
 *
 * Needs >= 2 NUMA nodes with CPUs (N from numa_num_configured_nodes()),
 * root and free 2 MB hugepages on every node; skips (77) otherwise. The
 * 'vm' suite runs it in the 2-node and 4-node guests (tests/vm/np-vm).
 *
 * Options: --nodes N   the machine must have exactly N nodes.
 */
#include <errno.h>
#include <inttypes.h>
#include <numa.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_memory.h>

#include "np_exec_worker.h"
#include "np_flow_worker.h"
#include "np_runtime.h"
#include "np_test.h"
#include "np_test_numa.h"

#define MAX_NODES 16
#define FLOWS_PER_NODE 64
#define NEED_HUGEPAGES 16

static int nodes[MAX_NODES];
static int n_nodes;
static int expected_nodes = -1;
static unsigned int lcore_of[MAX_NODES];    /* an lcore on each node */
static np_flow_table *tables[MAX_NODES];
static np_executor *ex;
static struct rte_mempool *pool;            /* on node 0: where "RX" happened */

/* ---- where memory is -------------------------------------------------------- */

static void
check_on_node(const char *what, int node_idx, const void *addr)
{
	int want = nodes[node_idx];
	const struct rte_memseg *ms;

	NP_REQUIRE(addr != NULL, "%s of node %d: address known", what, want);
	ms = rte_mem_virt2memseg(addr, NULL);
	NP_CHECK(ms != NULL && ms->socket_id == want, "%s of node %d: in a memseg of socket %d",
		 what, want, ms ? ms->socket_id : -1);
	NP_CHECK(np_test_page_node(addr) == want, "%s of node %d: on a page of node %d", what,
		 want, np_test_page_node(addr));
}

static void
test_tables_on_their_nodes(void)
{
	if (expected_nodes >= 0)
		NP_CHECK_INT(n_nodes, expected_nodes);
	NP_CHECK_INT(n_nodes, numa_num_configured_nodes());
	for (int i = 0; i < n_nodes; i++) {
		struct np_flow_mem m;

		NP_REQUIRE_INT(np_flow_table_mem(tables[i], &m), 0);
		NP_CHECK_INT(m.node, nodes[i]);
		NP_CHECK_INT(m.socket, nodes[i]);
		check_on_node("table handle", i, m.table);
		check_on_node("rte_hash", i, m.hash);
		check_on_node("rte_hash key store", i, m.key_store);
		check_on_node("rte_hash free-slot ring", i, m.free_slots);
		check_on_node("rte_hash ext-bucket ring", i, m.ext_buckets);
		check_on_node("state array (first byte)", i, m.state);
		check_on_node("state array (last byte)", i, (const char *)m.state + m.state_bytes - 1);
		check_on_node("RCU variable", i, m.qsbr);
		check_on_node("per-lcore counters", i, m.counters);
	}
}

static void
test_executors_on_their_nodes(void)
{
	for (int i = 0; i < n_nodes; i++) {
		struct np_exec_mem m;

		NP_REQUIRE_INT(np_exec_mem(ex, nodes[i], &m), 0);
		NP_CHECK_INT(m.socket, nodes[i]);
		check_on_node("executor mbuf ring", i, m.mbuf_ring);
		check_on_node("executor function ring", i, m.fn_ring);
	}
}

/* ---- work crosses nodes ----------------------------------------------------- */

static int
cpu_node(void)
{
	return numa_node_of_cpu(sched_getcpu());
}

/* Run @fn on @lcore: launched on a worker, called on the main lcore. */
static int
run_on(unsigned int lcore, lcore_function_t *fn, void *arg)
{
	int ret;

	if (lcore == rte_lcore_id())
		return fn(arg);
	ret = rte_eal_remote_launch(fn, arg, lcore);
	if (ret < 0)
		return ret;
	return rte_eal_wait_lcore(lcore);
}

struct ran {
	atomic_int node;      /* node of the CPU the function ran on; -2 before */
	atomic_uint times;
};

static void
record_node(void *arg, unsigned int lcore)
{
	struct ran *r = arg;

	(void)lcore;
	atomic_store(&r->node, cpu_node());
	atomic_fetch_add(&r->times, 1);
}

struct submit_job {
	int dst;
	struct ran *ran;
	struct rte_mbuf **mbufs;
	unsigned int n_mbufs;
	int submitter_node;
	int ret;
};

static int
submit_from(void *arg)
{
	struct submit_job *j = arg;
	unsigned int lcore = rte_lcore_id();

	j->submitter_node = cpu_node();
	j->ret = 0;
	if (j->ran != NULL)
		j->ret = np_exec_submit_fn(ex, lcore, j->dst, record_node, j->ran);
	if (j->mbufs != NULL && np_exec_submit_burst(ex, lcore, j->dst, j->mbufs, j->n_mbufs) !=
	    j->n_mbufs)
		j->ret = -ENOBUFS;
	return 0;
}

struct poll_job {
	int node;
	unsigned int done;
	int poller_node;
};

static int
poll_on(void *arg)
{
	struct poll_job *j = arg;
	unsigned int lcore = rte_lcore_id();

	j->poller_node = cpu_node();
	j->done = 0;
	/* Everything was queued before this lcore started: poll until empty. */
	for (unsigned int n; (n = np_exec_poll(ex, j->node, lcore, 32)) != 0;)
		j->done += n;
	return 0;
}

static void
test_function_runs_on_destination(void)
{
	for (int i = 0; i < n_nodes; i++) {
		struct ran r;
		struct submit_job s = { .dst = nodes[i], .ran = &r };
		struct poll_job p = { .node = nodes[i] };

		atomic_store(&r.node, -2);
		atomic_store(&r.times, 0);
		NP_REQUIRE_INT(run_on(lcore_of[0], submit_from, &s), 0);
		NP_CHECK_INT(s.submitter_node, nodes[0]);
		NP_CHECK_INT(s.ret, 0);
		NP_CHECK_INT(atomic_load(&r.times), 0);   /* queued, not run by the submitter */
		NP_REQUIRE_INT(run_on(lcore_of[i], poll_on, &p), 0);
		NP_CHECK_INT(p.poller_node, nodes[i]);
		NP_CHECK_INT(p.done, 1);
		NP_CHECK_INT(atomic_load(&r.times), 1);
		NP_CHECK(atomic_load(&r.node) == nodes[i], "submitted from node %d to node %d: ran on "
			 "a CPU of node %d", nodes[0], nodes[i], atomic_load(&r.node));
	}
}

/* The handler: on the destination's lcore, each packet's flow goes in that node's table. */
struct deliveries {
	atomic_uint count;
	atomic_uint wrong_node;
	atomic_uint refused;
};

static struct deliveries delivered[MAX_NODES];

static int
index_of_node(int node)
{
	for (int i = 0; i < n_nodes; i++)
		if (nodes[i] == node)
			return i;
	return -1;
}

static void
handler(void *ctx, unsigned int lcore, struct rte_mbuf **m, uint16_t n)
{
	struct np_flow_key keys[NP_EXEC_BURST];
	uint8_t res[NP_EXEC_BURST];
	int here = cpu_node(), i = index_of_node(here);

	(void)ctx;
	np_flow_key_extract_burst(m, n, keys, res);
	for (uint16_t p = 0; p < n; p++) {
		uint64_t *count;

		atomic_fetch_add(&delivered[i < 0 ? 0 : i].count, 1);
		if (i < 0) {
			atomic_fetch_add(&delivered[0].wrong_node, 1);
			continue;
		}
		count = res[p] == NP_FLOW_PARSE_OK ?
			np_flow_add(tables[i], lcore, &keys[p], 1, NULL) : NULL;
		if (count == NULL)
			atomic_fetch_add(&delivered[i].refused, 1);
		else
			(*count)++;
	}
	rte_pktmbuf_free_bulk(m, n);
}

/* A UDP/IPv4 frame of flow @id. */
static struct rte_mbuf *
frame(uint32_t id)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint8_t *b;

	NP_REQUIRE(m != NULL, "mbuf");
	b = (uint8_t *)rte_pktmbuf_append(m, 14 + 20 + 8);
	memset(b, 0, 42);
	b[12] = 0x08;
	b[14] = 0x45;
	b[17] = 28;
	b[23] = 17;
	memcpy(b + 26, &id, 4);
	b[30] = 10;
	b[34] = 0x12;
	b[36] = 0x34;
	return m;
}

static void
test_mbufs_cross_once(void)
{
	for (int i = 0; i < n_nodes; i++) {
		struct rte_mbuf *m[FLOWS_PER_NODE];
		struct submit_job s = { .dst = nodes[i], .mbufs = m, .n_mbufs = FLOWS_PER_NODE };
		struct poll_job p = { .node = nodes[i] };
		struct np_flow_stats st;

		for (uint32_t f = 0; f < FLOWS_PER_NODE; f++)
			m[f] = frame(1000u * (uint32_t)i + f);
		NP_REQUIRE_INT(run_on(lcore_of[0], submit_from, &s), 0);
		NP_CHECK_INT(s.ret, 0);
		NP_REQUIRE_INT(run_on(lcore_of[i], poll_on, &p), 0);
		NP_CHECK_INT(p.done, FLOWS_PER_NODE);
		NP_CHECK_INT(atomic_load(&delivered[i].count), FLOWS_PER_NODE);
		NP_CHECK_INT(atomic_load(&delivered[i].refused), 0);
		NP_CHECK_INT(np_exec_pair_count(ex, nodes[0], nodes[i], NP_EXEC_CTR_MBUF_SUBMITTED),
			     FLOWS_PER_NODE);
		NP_CHECK_INT(np_exec_pair_count(ex, nodes[0], nodes[i], NP_EXEC_CTR_MBUF_DROPPED), 0);
		/* Each flow once in node i's table, counted once, its state on node i. */
		NP_REQUIRE_INT(np_flow_stats(tables[i], &st), 0);
		NP_CHECK_INT(st.entries, FLOWS_PER_NODE);
		for (uint32_t f = 0; f < FLOWS_PER_NODE; f++) {
			struct rte_mbuf *one = frame(1000u * (uint32_t)i + f);
			struct np_flow_key k;
			const struct np_flow_key *kp[1] = { &k };
			uint8_t r;
			void *state = NULL;
			uint64_t mask = 0;

			np_flow_key_extract_burst(&one, 1, &k, &r);
			rte_pktmbuf_free(one);
			NP_REQUIRE_INT(r, NP_FLOW_PARSE_OK);
			NP_CHECK_INT(np_flow_lookup_burst(tables[i], rte_lcore_id(), kp, 1, &mask, &state),
				     1);
			if (state != NULL) {
				NP_CHECK_INT(*(uint64_t *)state, 1);
				if (f == 0)
					check_on_node("a flow's state", i, state);
			}
		}
	}
	NP_CHECK_INT(atomic_load(&delivered[0].wrong_node), 0);
	NP_CHECK_INT(rte_mempool_in_use_count(pool), 0);
}

/* ---- set-up ---------------------------------------------------------------------- */

/*
 * The CPU an lcore runs on: the first of its cpuset. (rte_lcore_to_cpu_id()
 * is the core id within its socket, not the CPU number.)
 */
static int
lcore_cpu(unsigned int l)
{
	rte_cpuset_t set = rte_lcore_cpuset(l);

	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			return c;
	return -1;
}

static int
suite_init(void)
{
	static const char prog[] = "test_vm_flow";
	char lcores[32], prefix[64];
	const char *argv[16];
	int argc = 0, sockets[MAX_NODES];

	snprintf(lcores, sizeof(lcores), "0-%ld", sysconf(_SC_NPROCESSORS_ONLN) - 1);
	snprintf(prefix, sizeof(prefix), "np_vm_flow_%d", (int)getpid());
	argv[argc++] = prog;
	argv[argc++] = "-l";
	argv[argc++] = lcores;
	argv[argc++] = "--in-memory";
	argv[argc++] = "--file-prefix";
	argv[argc++] = prefix;
	argv[argc++] = "--no-pci";
	argv[argc++] = "--log-level=lib.eal:notice";
	if (np_eal_init(argc, (char **)argv) < 0) {
		fprintf(stderr, "rte_eal_init failed: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	for (int i = 0; i < n_nodes; i++) {
		unsigned int l;
		bool found = false;

		RTE_LCORE_FOREACH(l) {
			if ((int)rte_lcore_to_socket_id(l) == nodes[i] &&
			    numa_node_of_cpu(lcore_cpu(l)) == nodes[i]) {
				lcore_of[i] = l;
				found = true;
				break;
			}
		}
		if (!found) {
			fprintf(stderr, "no lcore on node %d; lcores:", nodes[i]);
			RTE_LCORE_FOREACH(l)
				fprintf(stderr, " %u (cpu %d, socket %u, node %d)", l, lcore_cpu(l),
					rte_lcore_to_socket_id(l), numa_node_of_cpu(lcore_cpu(l)));
			fprintf(stderr, "\n");
			return -1;
		}
	}
	for (int i = 0; i < n_nodes; i++) {
		struct np_flow_table_params p = {
			.name = "vm", .node = nodes[i], .socket = nodes[i], .capacity = 1024,
			.state_size = sizeof(uint64_t),
		};

		sockets[i] = nodes[i];
		tables[i] = np_flow_table_create(&p);
		if (tables[i] == NULL) {
			fprintf(stderr, "flow table on node %d: %s\n", nodes[i], np_last_error());
			return -1;
		}
	}
	{
		struct np_exec_params p = {
			.name = "vm", .nodes = nodes, .sockets = sockets, .n_nodes = (unsigned int)n_nodes,
			.mbuf_ring_size = 256, .fn_ring_size = 64, .handler = handler,
		};

		ex = np_exec_create(&p);
		if (ex == NULL) {
			fprintf(stderr, "executors: %s\n", np_last_error());
			return -1;
		}
	}
	pool = rte_pktmbuf_pool_create("vm_flow", 511, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, nodes[0]);
	if (pool == NULL) {
		fprintf(stderr, "mbuf pool on node %d: %s\n", nodes[0], rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

static int
suite_cleanup(void)
{
	np_exec_destroy(ex);
	for (int i = 0; i < n_nodes; i++)
		np_flow_table_destroy(tables[i]);
	rte_mempool_free(pool);
	return np_eal_cleanup() == 0 ? 0 : -1;
}

static const struct np_test_case cases[] = {
	{ "each table on its node", test_tables_on_their_nodes },
	{ "each executor on its node", test_executors_on_their_nodes },
	{ "a function runs on its destination node", test_function_runs_on_destination },
	{ "mbufs cross once, flows land in the destination's table", test_mbufs_cross_once },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	expected_nodes = np_test_nodes_option(argc, argv);
	n_nodes = np_test_multinode(NP_TEST_NODES_WITH_CPUS, nodes, MAX_NODES, argv[0]);
	if (geteuid() != 0)
		NP_TEST_SKIP_ALL("needs root for hugepages (euid %d)", (int)geteuid());
	for (int i = 0; i < n_nodes; i++) {
		long long free_pages = np_test_free_hugepages(nodes[i], 2u << 20);

		if (free_pages < NEED_HUGEPAGES)
			NP_TEST_SKIP_ALL("node %d has %lld free 2 MB hugepages; need %d: echo 96 > "
					 "/sys/devices/system/node/node%d/hugepages/hugepages-2048kB/"
					 "nr_hugepages", nodes[i], free_pages, NEED_HUGEPAGES, nodes[i]);
	}
	const struct np_test_suite suites[] = {
		{ "flow tables and executors per node", suite_init, suite_cleanup, cases },
	};
	return np_test_run(suites, 1);
}
