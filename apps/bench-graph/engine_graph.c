/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The rte_graph engine: per port P, a source node bench_rx-P (RX burst of
 * `burst`), a node bench_swap-P (the MAC swap) and a node bench_tx-P (TX
 * burst, refused packets freed and counted), with the edges
 *
 *     bench_rx-P -> bench_swap-P -> bench_tx-peer(P)
 *
 * Each node moves its whole stream to the next with rte_node_next_stream_move
 * (a pointer swap, no copy), the way lib/node's ethdev_rx does. One swap node
 * per input port keeps the next hop fixed per node, as it is in the job; one
 * shared swap node would have to pick an edge per packet.
 *
 * Why not lib/node's ethdev_rx/ethdev_tx (rte_node_eth_config()): in DPDK
 * 22.11 its RX burst is RTE_GRAPH_BURST_SIZE (256 in Debian's build) and
 * cannot be set, so the job would not be the same (burst 32); its init
 * installs an RX callback that parses packet types on ports that do not
 * report them (net_null), which stays on the port for every later round of
 * both engines; and its TX queue is the graph's id. See
 * framework/pipeline/README.md.
 *
 * This file's walk loop is compiled as Debian ships DPDK: with
 * RTE_LIBRTE_GRAPH_STATS = 1, the walk reads the TSC twice per node call to
 * keep per-node cycle counts. graph_walk_nostats.c compiles it without.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_graph_worker.h>

#include "bench_graph.h"

#define GRAPH_NAME "bench-graph"

struct rx_ctx {
	uint16_t port_id;
	uint16_t queue;
	uint16_t burst;
};

struct tx_ctx {
	uint16_t port_id;
	uint16_t queue;
	struct bench_tx_count *cnt;
};

static_assert(sizeof(struct rx_ctx) <= RTE_NODE_CTX_SZ, "rx context fits rte_node.ctx");
static_assert(sizeof(struct tx_ctx) <= RTE_NODE_CTX_SZ, "tx context fits rte_node.ctx");

/*
 * What bench_graph_setup() was given, found by node id in the init callbacks
 * (lib/node's ethdev nodes keep the same kind of table).
 */
static struct {
	rte_node_t rx, swap, tx;
} ids[BENCH_MAX_PORTS];
static struct bench_port cfg[BENCH_MAX_PORTS];
static struct bench_tx_count *cfg_counts;
static unsigned int cfg_n, cfg_burst;
static rte_graph_t graph_id = RTE_GRAPH_ID_INVALID;
static struct rte_graph *graph;

static uint16_t
rx_process(struct rte_graph *g, struct rte_node *node, void **objs, uint16_t cnt)
{
	const struct rx_ctx *c = (const struct rx_ctx *)node->ctx;
	uint16_t n;

	(void)objs;
	(void)cnt;
	n = rte_eth_rx_burst(c->port_id, c->queue, (struct rte_mbuf **)node->objs, c->burst);
	if (n == 0)
		return 0;
	node->idx = n;
	rte_node_next_stream_move(g, node, 0);
	return n;
}

static int
rx_init(const struct rte_graph *g, struct rte_node *node)
{
	struct rx_ctx *c = (struct rx_ctx *)node->ctx;

	(void)g;
	for (unsigned int i = 0; i < cfg_n; i++)
		if (ids[i].rx == node->id) {
			*c = (struct rx_ctx){ .port_id = cfg[i].port_id, .queue = cfg[i].rxq,
					      .burst = (uint16_t)cfg_burst };
			return 0;
		}
	return -ENOENT;
}

static uint16_t
swap_process(struct rte_graph *g, struct rte_node *node, void **objs, uint16_t n)
{
	bench_swap_burst((struct rte_mbuf **)objs, n);
	rte_node_next_stream_move(g, node, 0);
	return n;
}

static uint16_t
tx_process(struct rte_graph *g, struct rte_node *node, void **objs, uint16_t n)
{
	struct tx_ctx *c = (struct tx_ctx *)node->ctx;
	uint16_t sent = rte_eth_tx_burst(c->port_id, c->queue, (struct rte_mbuf **)objs, n);

	(void)g;
	c->cnt->sent += sent;
	if (unlikely(sent < n)) {
		/* The queue is full: free and count, never wait (as the pipeline does). */
		rte_pktmbuf_free_bulk((struct rte_mbuf **)objs + sent, n - sent);
		c->cnt->refused += n - sent;
	}
	return sent;
}

static int
tx_init(const struct rte_graph *g, struct rte_node *node)
{
	struct tx_ctx *c = (struct tx_ctx *)node->ctx;

	(void)g;
	for (unsigned int i = 0; i < cfg_n; i++)
		if (ids[i].tx == node->id) {
			*c = (struct tx_ctx){ .port_id = cfg[i].port_id, .queue = cfg[i].txq,
					      .cnt = &cfg_counts[i] };
			return 0;
		}
	return -ENOENT;
}

/* The base nodes: not in the graph themselves, only their per-port clones. */
static struct rte_node_register bench_rx_node = {
	.name = "bench_rx",
	.flags = RTE_NODE_SOURCE_F,
	.process = rx_process,
	.init = rx_init,
};
RTE_NODE_REGISTER(bench_rx_node);

static struct rte_node_register bench_swap_node = {
	.name = "bench_swap",
	.process = swap_process,
};
RTE_NODE_REGISTER(bench_swap_node);

static struct rte_node_register bench_tx_node = {
	.name = "bench_tx",
	.process = tx_process,
	.init = tx_init,
};
RTE_NODE_REGISTER(bench_tx_node);

static int
add_edge(rte_node_t from, const char *to)
{
	const char *next[] = { to };

	if (rte_node_edge_update(from, RTE_EDGE_ID_INVALID, next, 1) == 0) {
		fprintf(stderr, "bench-graph: cannot add the edge %s -> %s: %s\n",
			rte_node_id_to_name(from), to, rte_strerror(rte_errno));
		return -EINVAL;
	}
	return 0;
}

int
bench_graph_setup(const struct bench_port *ports, unsigned int n_ports, unsigned int burst,
		  int socket, struct bench_tx_count *counts)
{
	static const char *patterns[] = { "bench_rx-*", "bench_swap-*", "bench_tx-*" };
	struct rte_graph_param prm = {
		.socket_id = socket,
		.nb_node_patterns = RTE_DIM(patterns),
		.node_patterns = patterns,
	};

	if (n_ports == 0 || n_ports > BENCH_MAX_PORTS || burst == 0 ||
	    burst > RTE_GRAPH_BURST_SIZE) {
		fprintf(stderr, "bench-graph: %u ports (1-%d) and burst %u (1-%d) are out of "
			"range\n", n_ports, BENCH_MAX_PORTS, burst, RTE_GRAPH_BURST_SIZE);
		return -EINVAL;
	}
	memcpy(cfg, ports, n_ports * sizeof(*ports));
	cfg_n = n_ports;
	cfg_burst = burst;
	cfg_counts = counts;
	for (unsigned int i = 0; i < n_ports; i++) {
		char name[16];

		snprintf(name, sizeof(name), "%u", i);
		ids[i].rx = rte_node_clone(bench_rx_node.id, name);
		ids[i].swap = rte_node_clone(bench_swap_node.id, name);
		ids[i].tx = rte_node_clone(bench_tx_node.id, name);
		if (ids[i].rx == RTE_NODE_ID_INVALID || ids[i].swap == RTE_NODE_ID_INVALID ||
		    ids[i].tx == RTE_NODE_ID_INVALID) {
			fprintf(stderr, "bench-graph: cannot clone the nodes of port %u: %s\n", i,
				rte_strerror(rte_errno));
			return -ENOMEM;
		}
	}
	for (unsigned int i = 0; i < n_ports; i++) {
		char swap[RTE_NODE_NAMESIZE], tx[RTE_NODE_NAMESIZE];

		snprintf(swap, sizeof(swap), "bench_swap-%u", i);
		snprintf(tx, sizeof(tx), "bench_tx-%u", ports[i].peer);
		if (add_edge(ids[i].rx, swap) < 0 || add_edge(ids[i].swap, tx) < 0)
			return -EINVAL;
	}
	graph_id = rte_graph_create(GRAPH_NAME, &prm);
	if (graph_id == RTE_GRAPH_ID_INVALID) {
		fprintf(stderr, "bench-graph: rte_graph_create failed: %s (DPDK's message is "
			"above)\n", rte_strerror(rte_errno));
		return -rte_errno;
	}
	graph = rte_graph_lookup(GRAPH_NAME);
	if (graph == NULL) {
		fprintf(stderr, "bench-graph: graph %s was created but rte_graph_lookup does not "
			"find it\n", GRAPH_NAME);
		return -ENOENT;
	}
	return 0;
}

struct rte_graph *
bench_graph_get(void)
{
	return graph;
}

void
bench_graph_teardown(void)
{
	if (graph_id != RTE_GRAPH_ID_INVALID)
		rte_graph_destroy(graph_id);
	graph_id = RTE_GRAPH_ID_INVALID;
	graph = NULL;
}

/*
 * Walk until the TSC passes @p tsc_end, as lean as an rte_graph application's
 * own loop (l3fwd-graph: `while (!force_quit) rte_graph_walk(graph);`): the
 * TSC and the stop flag (SIGINT) are read once per 64 walks, not per walk.
 */
uint64_t
bench_graph_walk_stats(struct rte_graph *g, uint64_t tsc_end, const np_pipeline *stop)
{
	uint64_t walks = 0;

	for (;;) {
		rte_graph_walk(g);
		if (unlikely((++walks & 63) == 0) &&
		    (rte_rdtsc() >= tsc_end || np_pipeline_stopping(stop)))
			break;
	}
	return walks;
}
