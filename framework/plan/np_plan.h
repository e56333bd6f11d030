/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Placement plan: which lcore polls which port RX queue, which TX queue each
 * lcore sends on, on which node every queue's descriptors and mbuf pool live,
 * where the rings are, and how many mbufs each per-node pool needs.
 *
 * A plan is pure computation on an np_topo: it calls no DPDK function and
 * allocates nothing on any NUMA node, so it is built and tested on described
 * machines (tests/topologies/) without EAL. drivers-glue/ turns a plan into
 * ports, queues, pools and rings; np_plan_print() shows it as a table.
 *
 * The rules, in the order they apply:
 *
 *  1. A port's node is the node given in its np_plan_port (from the device or
 *     from the configuration). When that is NP_NODE_UNKNOWN (the kernel says
 *     -1, as on every VM and some servers) the unknown-node policy decides
 *     (enum np_unknown_node_policy) and a warning records the decision. The
 *     node is never silently 0 and never forwarded as "any".
 *  2. Local first: a port's RX queues are polled by workers on the port's
 *     node, spread over them: each queue goes to the worker of that node with
 *     the fewest queues so far, ties to the lowest lcore id.
 *  3. A port whose node has no worker is polled from the nearest node that
 *     has workers: the smallest distance in the port node's row of the
 *     distance matrix (np_topo_distance(topo, port node, candidate)). When
 *     several nodes with workers are equally near, the port goes to the one
 *     whose workers already carry the fewest RX queues (summed over the
 *     node's workers, counting every port planned before this one), then to
 *     the lowest node id; so the ports of a worker-less node spread over the
 *     equally near nodes instead of all landing on the lowest id. A warning
 *     names the distances (and the tie, when there was one). With
 *     np_plan_params.strict this is an error instead (OVS logs this case and
 *     carries on; VPP ignores NUMA). Ports are planned in the order given,
 *     those with a known node first, then those the unknown-node policy
 *     places (rule 1), so "already planned" is well defined.
 *  4. Memory meant for a node that has no memory (a CPU-only node) goes to
 *     the NEAREST node that has memory, by that node's row of the distance
 *     matrix (np_topo_nodes_by_distance(): nearest first, ties to the lowest
 *     node id), never simply to the lowest id that has memory. This applies
 *     to a port's descriptor rings and pool (its mem_node, with a warning),
 *     to a worker's own data (np_plan_lcore.mem_node) and to a handoff
 *     ring (np_plan_ring.mem_node). A source that reports no memory on any
 *     node (synthetic descriptions) keeps the node itself.
 *  5. Each RX queue takes mbufs from the pool of one node: the port's memory
 *     node (NP_POOL_AT_PORT, the default: the NIC DMAs into local memory) or
 *     the polling lcore's node (NP_POOL_AT_POLLER). One pool per node that
 *     needs one, sized by the arithmetic of struct np_plan_pool.
 *  6. TX queues: NP_TX_BY_POLLER gives every lcore that polls a port P one TX
 *     queue of its own on P's peer port (all ports for NP_PLAN_PEER_ANY, and
 *     every worker one on every port with np_plan_params.tx_everywhere);
 *     NP_TX_BY_HANDOFF gives every worker of the node that polls port Q a TX
 *     queue on Q, and one handoff ring on each polling node (on that node: its
 *     workers dequeue from it and transmit). TX queues are numbered from 0 per
 *     port in ascending lcore order.
 *
 * Workers are lcores whose id is the CPU id (the application passes the list
 * to EAL as -l), given explicitly or as "N per node".
 *
 * What a plan does not do: open devices, check hugepages (drivers-glue does,
 * from np_plan_pool), or pin threads.
 */
#ifndef NP_PLAN_H
#define NP_PLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "np_common.h"
#include "np_topo.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque plan handle. */
typedef struct np_plan np_plan;

/** Largest number of ports, workers and RX queues per port a plan accepts. */
#define NP_PLAN_MAX_PORTS 64
/** Largest number of worker lcores a plan accepts. */
#define NP_PLAN_MAX_WORKERS 256
/** Largest number of RX queues per port a plan accepts. */
#define NP_PLAN_MAX_QUEUES 128

/** np_plan_port.peer: this port's packets may leave on any port. */
#define NP_PLAN_PEER_ANY (-1)

/** Where a port's node came from. */
enum np_node_source {
	NP_NODE_FROM_DEVICE = 0, /**< The device or driver said (sysfs numa_node, ethdev socket id, vdev argument). */
	NP_NODE_FROM_CONFIG,     /**< Given for the port by the application (its configuration). */
	NP_NODE_FROM_POLICY,     /**< Nobody knew: the unknown-node policy decided (plan output only). */
};

/** What to do with a port whose node is NP_NODE_UNKNOWN. */
enum np_unknown_node_policy {
	/**
	 * Default. The node of the workers that will poll it: the node with
	 * the most workers; ties go to the node whose workers have the fewest
	 * RX queues from the ports planned before it (ports with a known node
	 * are planned first, then unknown ones in order), then to the lowest
	 * node id. The port's queues are then local to their pollers.
	 */
	NP_UNKNOWN_NEAREST_WORKER = 0,
	/** A fixed node (np_plan_params.unknown_node), e.g. the one the firmware forgot. */
	NP_UNKNOWN_FIXED_NODE,
	/** Refuse: np_plan_build() fails naming the port. */
	NP_UNKNOWN_FAIL,
};

/** Which node each RX queue's mbuf pool is on. */
enum np_pool_placement {
	NP_POOL_AT_PORT = 0,  /**< The port's memory node (the NIC writes packets locally). */
	NP_POOL_AT_POLLER,    /**< The polling lcore's node (the CPU reads headers locally). */
};

/** Who transmits, and so who owns TX queues. */
enum np_tx_mode {
	NP_TX_BY_POLLER = 0,  /**< Run to completion: the RX lcore transmits on the peer port. */
	NP_TX_BY_HANDOFF,     /**< RX lcores hand packets to a ring on the TX port's polling node. */
};

/** One port as the plan sees it. */
struct np_plan_port {
	const char *name;     /**< Shown in the table and messages ("0000:0a:02.0", "net_ring0"). */
	int node;             /**< Node id, or NP_NODE_UNKNOWN. */
	enum np_node_source node_source; /**< DEVICE or CONFIG. */
	const char *node_reason; /**< Optional: where node came from ("sysfs numa_node"); NULL if none. */
	uint16_t n_rxq;       /**< RX queues, 1..NP_PLAN_MAX_QUEUES. */
	uint16_t nb_rxd;      /**< Descriptors per RX queue, >= 1. */
	uint16_t nb_txd;      /**< Descriptors per TX queue, >= 1. */
	int peer;             /**< Index of the port its packets are sent on, or NP_PLAN_PEER_ANY. */
};

/** Everything the planner needs besides the topology. */
struct np_plan_params {
	const struct np_plan_port *ports; /**< The ports, in DPDK/config order. */
	unsigned int n_ports;             /**< 1..NP_PLAN_MAX_PORTS. */

	/** Explicit workers: CPU ids (= lcore ids). NULL to use per_node. */
	const unsigned int *cpus;
	/** Entries in cpus[]. */
	unsigned int n_cpus;
	/** Without cpus: this many workers on each node of nodes[] (the lowest CPU ids). */
	unsigned int per_node;
	/** Nodes for per_node; NULL means every node that has CPUs. */
	const int *nodes;
	/** Entries in nodes[]. */
	unsigned int n_nodes;
	/**
	 * Keep EAL's main lcore apart from the workers, on CPU main_lcore: no
	 * worker may be on it (cpus[] must not list it; per_node skips it).
	 * false: the lowest worker is the main lcore and works too.
	 */
	bool main_apart;
	/** With main_apart: the main lcore's CPU id (= lcore id). */
	unsigned int main_lcore;

	/** What to do with a port whose node is NP_NODE_UNKNOWN. */
	enum np_unknown_node_policy unknown_policy;
	int unknown_node;          /**< Node for NP_UNKNOWN_FIXED_NODE. */
	bool strict;               /**< A port with no worker on its node is an error. */
	/** Which node each RX queue's mbuf pool is on. */
	enum np_pool_placement pool_placement;
	/** Who transmits, and so who owns TX queues. */
	enum np_tx_mode tx_mode;
	unsigned int ring_size;    /**< Handoff ring slots (power of 2), NP_TX_BY_HANDOFF only. */
	unsigned int burst;        /**< Packets per rx/tx burst, >= 1. */
	unsigned int cache_size;   /**< Per-lcore mempool cache (objects). */
	/** mbufs the application holds per port outside the queues (packets it injects at start...). */
	unsigned int held_per_port;
	/**
	 * Every worker gets a TX queue on every port (NP_TX_BY_POLLER), not only
	 * on the peers of the ports it polls: for pipelines whose executors hand
	 * packets to any node's workers, which may then send on any port.
	 */
	bool tx_everywhere;
};

/** A port after planning. */
struct np_plan_port_info {
	/** As given in np_plan_port.name (the plan's copy). */
	const char *name;
	int node;            /**< Decided node: a real node id, never UNKNOWN or ANY. */
	int device_node;     /**< As given: a node id or NP_NODE_UNKNOWN. */
	enum np_node_source node_source; /**< How node was decided. */
	const char *node_reason; /**< One sentence saying how node was decided. */
	int poll_node;       /**< Node of the workers polling it (= node when local). */
	int mem_node;        /**< Node of its descriptor rings (= node unless node has no memory). */
	/** RX queues, as given. */
	uint16_t n_rxq;
	uint16_t n_txq;      /**< TX queues it needs (may be 0: nobody sends on it). */
	/** Descriptors per RX queue, as given. */
	uint16_t nb_rxd;
	/** Descriptors per TX queue, as given. */
	uint16_t nb_txd;
	/** Index of the port its packets are sent on, or NP_PLAN_PEER_ANY, as given. */
	int peer;
};

/** One RX queue: who polls it and where its memory is. */
struct np_plan_rxq {
	unsigned int port;    /**< Index of the port. */
	uint16_t queue;       /**< Queue id on that port. */
	unsigned int lcore;   /**< Polling lcore (= CPU id). */
	int lcore_node;       /**< Node of that lcore. */
	int desc_node;        /**< Node of the descriptor ring (the port's mem_node). */
	int pool_node;        /**< Node of the mbuf pool it takes buffers from. */
	bool poller_local;    /**< lcore_node == the port's node. */
	bool pool_local;      /**< pool_node == the port's node. */
};

/** One TX queue. */
struct np_plan_txq {
	/** Index of the port. */
	unsigned int port;
	/** Queue id on that port. */
	uint16_t queue;
	unsigned int lcore;   /**< The only lcore that sends on it. */
	/** Node of that lcore. */
	int lcore_node;
	/** Node of the descriptor ring (the port's mem_node). */
	int desc_node;
};

/** One worker lcore. */
struct np_plan_lcore {
	unsigned int lcore;   /**< lcore id = CPU id. */
	/** Node of that CPU. */
	int node;
	int mem_node;         /**< Where its own data goes: node, or the nearest node with memory. */
	unsigned int n_rxq;   /**< RX queues it polls. */
	unsigned int n_txq;   /**< TX queues it owns. */
};

/**
 * One per-node mbuf pool and the arithmetic behind its size. "Lcores that
 * touch it" are the lcores that allocate from it or free into it: the
 * pollers of its queues, and with NP_TX_BY_HANDOFF every worker (any worker
 * may transmit, hence free, its mbufs).
 */
struct np_plan_pool {
	/** The node the pool is on. */
	int node;
	char name[32];        /**< "np_mbuf_n<node>". */
	unsigned int n_rxq;   /**< RX queues filling from it. */
	unsigned int n_lcores; /**< Lcores that touch it. */
	uint64_t rx_desc;     /**< Sum of nb_rxd over its RX queues. */
	uint64_t tx_desc;     /**< Sum of nb_txd over the TX queues of lcores that touch it. */
	/**
	 * n_lcores x ceil(1.5 x cache_size) (a cache fills up to 1.5 x its
	 * size), and one more for a main lcore kept apart when the pool gives
	 * out held mbufs (the application injects them from the main lcore).
	 */
	uint64_t caches;
	uint64_t rings;       /**< Capacity of every ring that can hold mbufs. */
	uint64_t bursts;      /**< n_lcores x burst x (1, or 2 with handoff: the RX burst and the dequeued burst). */
	uint64_t held;        /**< held_per_port x ports whose queue 0 fills from it. */
	uint64_t sum;         /**< The total of the above. */
	uint32_t n_mbufs;     /**< sum rounded up to 2^k - 1 (rte_mempool's best size). */
};

/** One ring. */
struct np_plan_ring {
	char name[32];        /**< "np_handoff_n<node>". */
	int node;             /**< The polling node whose workers consume it. */
	int mem_node;         /**< Where its memory lives: node, or the nearest node with memory. */
	unsigned int size;    /**< Slots (power of 2); capacity is size - 1. */
	/** It carries mbufs (every handoff ring does): counted in the pools' sizes. */
	bool holds_mbufs;
};

/**
 * Build a plan.
 *
 * @param topo
 *   The machine (live or described).
 * @param params
 *   Ports, workers and policies; copied, so it may be freed afterwards.
 * @return
 *   A plan, or NULL with errno set and np_last_error() saying what, where and
 *   what to do: EINVAL (NULL argument, a count or size out of range, a peer
 *   that is not a port index, ring_size not a power of 2 with handoff, both
 *   or neither of cpus and per_node), ENOENT (a worker CPU, a port node, a
 *   per-node node or the fixed unknown node does not exist), EEXIST (a CPU
 *   or a per-node node listed twice), ERANGE (per_node exceeds a node's CPUs), ENODEV (a node
 *   given to per_node has no CPU, or no worker at all), EDOM (a port's node
 *   is unknown and the policy is NP_UNKNOWN_FAIL), EXDEV (strict: a port's
 *   node has no worker), ENOMEM.
 */
np_plan *np_plan_build(const np_topo *topo, const struct np_plan_params *params);

/**
 * Release a plan.
 *
 * @param plan
 *   The plan; NULL is accepted.
 */
void np_plan_destroy(np_plan *plan);

/**
 * Number of ports (as given).
 *
 * @param plan
 *   The plan.
 * @return
 *   The number of ports; 0 if plan is NULL.
 */
unsigned int np_plan_port_count(const np_plan *plan);

/**
 * Port @p idx after planning.
 *
 * @param plan
 *   The plan.
 * @param idx
 *   The port's index, in [0, np_plan_port_count()).
 * @param out
 *   Receives the port on success. Its strings stay valid while the plan lives.
 * @return
 *   0, or -EINVAL if idx is out of range or plan or out is NULL.
 */
int np_plan_port(const np_plan *plan, unsigned int idx, struct np_plan_port_info *out);

/**
 * Number of RX queues over all ports.
 *
 * @param plan
 *   The plan.
 * @return
 *   The number of RX queues; 0 if plan is NULL.
 */
unsigned int np_plan_rxq_count(const np_plan *plan);

/**
 * RX queue @p idx (ordered by port, then queue).
 *
 * @param plan
 *   The plan.
 * @param idx
 *   An index in [0, np_plan_rxq_count()).
 * @param out
 *   Receives the queue on success.
 * @return
 *   0, or -EINVAL if idx is out of range or plan or out is NULL.
 */
int np_plan_rxq(const np_plan *plan, unsigned int idx, struct np_plan_rxq *out);

/**
 * Number of TX queues over all ports.
 *
 * @param plan
 *   The plan.
 * @return
 *   The number of TX queues; 0 if plan is NULL.
 */
unsigned int np_plan_txq_count(const np_plan *plan);

/**
 * TX queue @p idx (ordered by port, then queue).
 *
 * @param plan
 *   The plan.
 * @param idx
 *   An index in [0, np_plan_txq_count()).
 * @param out
 *   Receives the queue on success.
 * @return
 *   0, or -EINVAL if idx is out of range or plan or out is NULL.
 */
int np_plan_txq(const np_plan *plan, unsigned int idx, struct np_plan_txq *out);

/**
 * The TX queue lcore @p lcore owns on port @p port.
 *
 * @param plan
 *   The plan.
 * @param lcore
 *   A worker's lcore id.
 * @param port
 *   The port's index.
 * @return
 *   The queue id, or -ENOENT if that lcore is not a worker or does not send
 *   on that port, -EINVAL if port is out of range or plan is NULL.
 */
int np_plan_lcore_txq(const np_plan *plan, unsigned int lcore, unsigned int port);

/**
 * Number of worker lcores.
 *
 * @param plan
 *   The plan.
 * @return
 *   The number of workers; 0 if plan is NULL.
 */
unsigned int np_plan_lcore_count(const np_plan *plan);

/**
 * Worker @p idx (ascending lcore id).
 *
 * @param plan
 *   The plan.
 * @param idx
 *   An index in [0, np_plan_lcore_count()).
 * @param out
 *   Receives the worker on success.
 * @return
 *   0, or -EINVAL if idx is out of range or plan or out is NULL.
 */
int np_plan_lcore(const np_plan *plan, unsigned int idx, struct np_plan_lcore *out);

/**
 * EAL's main lcore: np_plan_params.main_lcore when main_apart is set, else
 * the lowest worker (which then works too, as in DPDK's l2fwd).
 *
 * @param plan
 *   The plan.
 * @param apart
 *   If not NULL, receives whether the main lcore is apart from the workers.
 * @return
 *   The main lcore's CPU id (= lcore id), or -EINVAL if plan is NULL.
 */
int np_plan_main_lcore(const np_plan *plan, bool *apart);

/**
 * Number of per-node mbuf pools.
 *
 * @param plan
 *   The plan.
 * @return
 *   The number of pools; 0 if plan is NULL.
 */
unsigned int np_plan_pool_count(const np_plan *plan);

/**
 * Pool @p idx (ascending node id).
 *
 * @param plan
 *   The plan.
 * @param idx
 *   An index in [0, np_plan_pool_count()).
 * @param out
 *   Receives the pool on success.
 * @return
 *   0, or -EINVAL if idx is out of range or plan or out is NULL.
 */
int np_plan_pool(const np_plan *plan, unsigned int idx, struct np_plan_pool *out);

/**
 * The index of the pool on node @p node.
 *
 * @param plan
 *   The plan.
 * @param node
 *   A node id.
 * @return
 *   The index, or -ENOENT if the plan has no pool there, -EINVAL if plan
 *   is NULL.
 */
int np_plan_pool_index(const np_plan *plan, int node);

/**
 * Number of rings.
 *
 * @param plan
 *   The plan.
 * @return
 *   The number of rings (0 unless NP_TX_BY_HANDOFF); 0 if plan is NULL.
 */
unsigned int np_plan_ring_count(const np_plan *plan);

/**
 * Ring @p idx (ascending node id).
 *
 * @param plan
 *   The plan.
 * @param idx
 *   An index in [0, np_plan_ring_count()).
 * @param out
 *   Receives the ring on success.
 * @return
 *   0, or -EINVAL if idx is out of range or plan or out is NULL.
 */
int np_plan_ring(const np_plan *plan, unsigned int idx, struct np_plan_ring *out);

/**
 * Number of warnings (remote polling, unknown nodes decided, idle workers...).
 *
 * @param plan
 *   The plan.
 * @return
 *   The number of warnings; 0 if plan is NULL.
 */
unsigned int np_plan_warning_count(const np_plan *plan);

/**
 * Warning @p idx, one sentence saying what, where and what to do.
 *
 * @param plan
 *   The plan.
 * @param idx
 *   An index in [0, np_plan_warning_count()).
 * @return
 *   The text, valid while the plan lives, or NULL if idx is out of range or
 *   plan is NULL.
 */
const char *np_plan_warning(const np_plan *plan, unsigned int idx);

/**
 * The name of a node source.
 *
 * @param src
 *   The source.
 * @return
 *   "device", "config" or "policy"; "?" for a value outside the enum.
 */
const char *np_node_source_name(enum np_node_source src);

/**
 * The name of an unknown-node policy.
 *
 * @param p
 *   The policy.
 * @return
 *   "nearest-worker", "node" or "fail"; "?" for a value outside the enum.
 */
const char *np_unknown_node_policy_name(enum np_unknown_node_policy p);

/**
 * Print the plan: one row per RX queue (port, node, queue, lcore, lcore node,
 * mempool node, poller LOCAL/REMOTE, mempool LOCAL/REMOTE), then TX queues,
 * pools, rings and warnings.
 *
 * @param plan
 *   The plan.
 * @param f
 *   Where to print.
 * @return
 *   0, or -EINVAL if plan or f is NULL, -EIO if writing fails.
 */
int np_plan_print(const np_plan *plan, FILE *f);

/**
 * Print the pool sizing arithmetic, one pool per paragraph (--verbose).
 *
 * @param plan
 *   The plan.
 * @param f
 *   Where to print.
 * @return
 *   0, or -EINVAL if plan or f is NULL, -EIO if writing fails.
 */
int np_plan_print_pools(const np_plan *plan, FILE *f);

#ifdef __cplusplus
}
#endif

#endif /* NP_PLAN_H */
