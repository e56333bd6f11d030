/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * DPDK ports on their NIC's node: where a port's node is decided, and the
 * set-up of its queues on the node and with the mbuf pool a plan chose.
 *
 * Where a NIC's node is decided (port_node.c):
 *  - the application may give it (a node for the port): that wins;
 *  - otherwise the device says: before EAL, the topology's sysfs numa_node
 *    for a PCI device, the nodeaction argument of a net_ring vdev, or the
 *    main lcore's node for other vdevs (DPDK gives a vdev the node of the
 *    thread that probes it); after EAL, rte_eth_dev_socket_id();
 *  - a device that says -1 (SOCKET_ID_ANY: every VM, some servers) is
 *    NP_NODE_UNKNOWN here, never 0 and never "any": the plan's unknown-node
 *    policy decides (framework/plan/plan_node.c), and the decision is logged
 *    once per port.
 *
 * Ports are set up from an np_plan (port_setup.c): RX queues with the nb_rxd
 * descriptors and the pool of the node the plan gives each queue, TX queues
 * one per sending lcore, all descriptor rings on the port's memory node.
 * This module needs EAL except for np_port_node_expect().
 */
#ifndef NP_PORT_H
#define NP_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#include "np_common.h"
#include "np_mempool.h"
#include "np_plan.h"
#include "np_topo.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque handle of a started port. */
typedef struct np_port np_port;

/** A port's node and how it was decided (before the unknown-node policy). */
struct np_port_node {
	int node;                    /**< A node id, or NP_NODE_UNKNOWN. */
	enum np_node_source source;  /**< NP_NODE_FROM_DEVICE or NP_NODE_FROM_CONFIG. */
	char reason[192];            /**< E.g. "sysfs numa_node of 0000:0a:02.0 is 1". */
};

/**
 * The node a device will have, before EAL runs (for the plan that sizes
 * hugepages and for --dry-run).
 *
 * @param topo
 *   The machine.
 * @param pci
 *   The PCI address, or NULL / "" for a vdev.
 * @param vdev
 *   The vdev with its arguments, or NULL / "" for a PCI device.
 * @param config_node
 *   The configuration's node, or NP_NODE_UNKNOWN for "auto".
 * @param main_node
 *   The node of the main lcore (which probes vdevs).
 * @param out
 *   Filled in.
 * @return
 *   0, or -EINVAL (neither or both of pci and vdev, NULL topo/out, a
 *   malformed nodeaction), -ENOENT (a node that is not in the topology).
 */
int np_port_node_expect(const np_topo *topo, const char *pci, const char *vdev,
			int config_node, int main_node, struct np_port_node *out);

/**
 * The node DPDK reports for a probed port (rte_eth_dev_socket_id()), with
 * -1 turned into NP_NODE_UNKNOWN and the configuration's override applied.
 *
 * @param port_id
 *   The DPDK port id.
 * @param config_node
 *   The configuration's node, or NP_NODE_UNKNOWN for "auto".
 * @param out
 *   Filled in.
 * @return
 *   0, or -ENODEV if @p port_id is not a valid port, -EINVAL if out is NULL.
 */
int np_port_node_probe(uint16_t port_id, int config_node, struct np_port_node *out);

/**
 * The ethdev of a device: by its PCI address or its vdev name (the part of
 * the vdev argument before the first ','), as rte_dev_name() says.
 *
 * @param device
 *   The PCI address or vdev name.
 * @param port_id
 *   Receives the port id.
 * @return
 *   0 with *port_id set, or -ENODEV (no such probed device: not bound to a
 *   DPDK driver, or not allowed with -a), -EINVAL (NULL argument).
 */
int np_port_find(const char *device, uint16_t *port_id);

/**
 * Fit descriptor counts to the device's limits (rte_eth_dev_adjust_nb_rx_tx_desc).
 * Call before building the plan that sizes the pools.
 *
 * @param port_id
 *   The DPDK port id.
 * @param nb_rxd
 *   In: descriptors per RX queue wanted; out: what the device allows.
 * @param nb_txd
 *   In: descriptors per TX queue wanted; out: what the device allows.
 * @return
 *   0 (the counts may have changed; a notice is logged if so), -EINVAL
 *   (a NULL count), or the negative errno DPDK returned (-ENODEV,
 *   -ENOTSUP...).
 */
int np_port_adjust_desc(uint16_t port_id, uint16_t *nb_rxd, uint16_t *nb_txd);

/** Options of np_port_start(). */
struct np_port_opts {
	/** Enable promiscuous mode once started. */
	bool promiscuous;
};

/**
 * Configure and start port @p port_id as port @p idx of @p plan: RX queue q
 * with the plan's descriptors on the port's memory node and the mbuf pool of
 * the queue's pool node from @p pools, one TX queue per sending lcore (one
 * spare queue if nobody sends on it: drivers expect one), then start it and
 * enable promiscuous mode if asked. Logs the port's node and how it was
 * decided, once.
 *
 * The plan must have been built with the descriptor counts
 * np_port_adjust_desc() returned, so the pools it sized are big enough.
 *
 * @param plan
 *   The plan.
 * @param idx
 *   The port's index in the plan.
 * @param port_id
 *   The DPDK port id.
 * @param pools
 *   The plan's pools (np_mempools_create()).
 * @param opts
 *   Options.
 * @return
 *   A port, or NULL with errno and np_last_error() set: EINVAL (NULL
 *   argument, idx out of range, descriptors the device would raise above
 *   the plan's), ENOTSUP (more queues than the device has), ENOENT (the
 *   plan's pool for a queue is missing from pools), ENOMEM, or the error of
 *   the failing DPDK call, named with port and queue.
 */
np_port *np_port_start(const np_plan *plan, unsigned int idx, uint16_t port_id,
		       const np_mempools *pools, const struct np_port_opts *opts);

/**
 * Stop and close a port, and free the handle whatever DPDK says.
 *
 * @param port
 *   The port; NULL is accepted (returns 0).
 * @return
 *   0, or the negative errno of the failing rte_eth_dev_stop() or
 *   rte_eth_dev_close() (np_last_error() names the port).
 */
int np_port_close(np_port *port);

/** Everything a report says about a port. */
struct np_port_info {
	/** The DPDK port id. */
	uint16_t port_id;
	char name[64];        /**< ethdev name (for net_ring with nodeaction, the ring's name). */
	char driver[32];      /**< e.g. "net_e1000_em", "net_ring". */
	char device[64];      /**< PCI address or vdev name. */
	/** The device is on the PCI bus (else a vdev). */
	bool is_pci;
	int device_node;      /**< What the device or configuration said (NP_NODE_UNKNOWN if nothing). */
	int node;             /**< The decided node. */
	/** How node was decided. */
	enum np_node_source node_source;
	/** One sentence saying how node was decided. */
	char node_reason[320];
	/** @{ */
	/** RX and TX queues, and descriptors per RX and per TX queue, as set up. */
	uint16_t n_rxq, n_txq, nb_rxd, nb_txd;
	/** @} */
	int desc_node;        /**< Node the descriptor rings were requested on. */
	/** The port's MAC address. */
	struct rte_ether_addr mac;
};

/**
 * Everything a report says about a port.
 *
 * @param port
 *   The port.
 * @param out
 *   Receives the description.
 * @return
 *   0, or -EINVAL if port or out is NULL.
 */
int np_port_info(const np_port *port, struct np_port_info *out);

/**
 * The DPDK port id.
 *
 * @param port
 *   The port; not NULL (not checked).
 * @return
 *   Its port id.
 */
uint16_t np_port_id(const np_port *port);

/**
 * Wait up to @p wait_ms for the link to come up and describe it.
 *
 * @param port
 *   The port.
 * @param wait_ms
 *   Longest wait, in ms (checked every 100 ms).
 * @param text
 *   Receives "link up, <speed> Mbps, full-duplex" or "link down after N
 *   ms"; may be NULL.
 * @param len
 *   Size of @p text.
 * @return
 *   1 if up, 0 if down, -EINVAL if @p port is NULL, or a negative errno
 *   from rte_eth_link_get_nowait().
 */
int np_port_link(const np_port *port, unsigned int wait_ms, char *text, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* NP_PORT_H */
