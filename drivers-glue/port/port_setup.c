/* SPDX-License-Identifier: BSD-3-Clause */
/* Ports set up from a plan: queues on the planned node with the planned pool. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include "np_error_private.h"
#include "np_list_private.h"
#include "port_private.h"

int
np_port_find(const char *device, uint16_t *port_id)
{
	char have[512] = "";
	size_t off = 0;
	uint16_t p;

	if (device == NULL || port_id == NULL)
		return np_fail(EINVAL, "np_port_find: device and port_id are required");
	RTE_ETH_FOREACH_DEV(p) {
		struct rte_eth_dev_info di;
		const char *name;

		if (rte_eth_dev_info_get(p, &di) != 0 || di.device == NULL)
			continue;
		name = rte_dev_name(di.device);
		if (strcmp(name, device) == 0) {
			*port_id = p;
			return 0;
		}
		np_buf_appendf(have, sizeof(have), &off, "%s%s", off ? ", " : "", name);
	}
	return np_fail(ENODEV, "device %s has no DPDK port: a PCI NIC must be bound to "
		       "vfio-pci or uio_pci_generic (dpdk-devbind.py --status) and a vdev "
		       "must have been created; DPDK has: %s", device,
		       have[0] ? have : "no port at all");
}

int
np_port_adjust_desc(uint16_t port_id, uint16_t *nb_rxd, uint16_t *nb_txd)
{
	uint16_t rx, tx;
	int ret;

	if (nb_rxd == NULL || nb_txd == NULL)
		return np_fail(EINVAL, "np_port_adjust_desc: counts are required");
	rx = *nb_rxd;
	tx = *nb_txd;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(port_id, nb_rxd, nb_txd);
	if (ret < 0)
		return np_fail(-ret, "port %u: cannot check descriptor counts (rx %u, tx %u) "
			       "against the device's limits: %s", port_id, rx, tx,
			       rte_strerror(-ret));
	if (rx != *nb_rxd || tx != *nb_txd)
		NP_LOG(NOTICE, "port %u: descriptors adjusted to the device's limits: "
		       "rx %u -> %u, tx %u -> %u", port_id, rx, *nb_rxd, tx, *nb_txd);
	return 0;
}

static bool
is_pci(const struct rte_device *dev)
{
	const struct rte_bus *bus = rte_dev_bus(dev);

	return bus != NULL && strcmp(rte_bus_name(bus), "pci") == 0;
}

static void
fill_info(np_port *port, const np_plan *plan, unsigned int idx, uint16_t port_id,
	  const struct rte_eth_dev_info *di)
{
	struct np_port_info *in = &port->info;
	struct np_plan_port_info pi;

	np_plan_port(plan, idx, &pi);
	in->port_id = port_id;
	if (rte_eth_dev_get_name_by_port(port_id, in->name) != 0)
		snprintf(in->name, sizeof(in->name), "port%u", port_id);
	snprintf(in->driver, sizeof(in->driver), "%s", di->driver_name);
	snprintf(in->device, sizeof(in->device), "%s",
		 di->device ? rte_dev_name(di->device) : in->name);
	in->is_pci = di->device && is_pci(di->device);
	in->device_node = pi.device_node;
	in->node = pi.node;
	in->node_source = pi.node_source;
	snprintf(in->node_reason, sizeof(in->node_reason), "%s", pi.node_reason);
	in->n_rxq = pi.n_rxq;
	in->n_txq = pi.n_txq ? pi.n_txq : 1;
	in->nb_rxd = pi.nb_rxd;
	in->nb_txd = pi.nb_txd;
	in->desc_node = pi.mem_node;
}

static int
setup_queues(np_port *port, const np_plan *plan, unsigned int idx,
	     const np_mempools *pools, const struct rte_eth_dev_info *di)
{
	struct np_port_info *in = &port->info;
	struct rte_eth_rxconf rxconf = di->default_rxconf;
	struct rte_eth_txconf txconf = di->default_txconf;
	uint16_t id = in->port_id;
	bool spare_txq = true;
	int ret;

	for (unsigned int i = 0; i < np_plan_rxq_count(plan); i++) {
		struct np_plan_rxq q;
		struct rte_mempool *mp;

		np_plan_rxq(plan, i, &q);
		if (q.port != idx)
			continue;
		mp = np_mempools_pool(pools, q.pool_node);
		if (mp == NULL)
			return np_fail(ENOENT, "port %u (%s) RX queue %u: the plan's pool on "
				       "node %d was not created", id, in->device, q.queue,
				       q.pool_node);
		/* Descriptors where the NIC is, buffers from the pool the plan chose. */
		ret = rte_eth_rx_queue_setup(id, q.queue, in->nb_rxd,
					     (unsigned int)np_mempools_socket(pools, q.desc_node),
					     &rxconf, mp);
		if (ret < 0)
			return np_fail(-ret, "port %u (%s) RX queue %u: setup with %u "
				       "descriptors on node %d and pool %s failed: %s", id,
				       in->device, q.queue, in->nb_rxd, q.desc_node, mp->name,
				       rte_strerror(-ret));
	}
	for (unsigned int i = 0; i < np_plan_txq_count(plan); i++) {
		struct np_plan_txq t;

		np_plan_txq(plan, i, &t);
		if (t.port != idx)
			continue;
		spare_txq = false;
		ret = rte_eth_tx_queue_setup(id, t.queue, in->nb_txd,
					     (unsigned int)np_mempools_socket(pools, t.desc_node),
					     &txconf);
		if (ret < 0)
			return np_fail(-ret, "port %u (%s) TX queue %u (lcore %u): setup with "
				       "%u descriptors on node %d failed: %s", id, in->device,
				       t.queue, t.lcore, in->nb_txd, t.desc_node,
				       rte_strerror(-ret));
	}
	if (spare_txq) {
		ret = rte_eth_tx_queue_setup(id, 0, in->nb_txd,
					     (unsigned int)np_mempools_socket(pools, in->desc_node),
					     &txconf);
		if (ret < 0)
			return np_fail(-ret, "port %u (%s) spare TX queue: setup failed: %s",
				       id, in->device, rte_strerror(-ret));
	}
	return 0;
}

np_port *
np_port_start(const np_plan *plan, unsigned int idx, uint16_t port_id,
	      const np_mempools *pools, const struct np_port_opts *opts)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info di;
	struct np_port_info *in;
	uint16_t rxd, txd;
	np_port *port;
	int ret, err;

	if (plan == NULL || pools == NULL || opts == NULL || idx >= np_plan_port_count(plan))
		return np_fail_null(EINVAL, "np_port_start: plan, pools, options and a port "
				    "index of the plan are required");
	ret = rte_eth_dev_info_get(port_id, &di);
	if (ret != 0)
		return np_fail_null(-ret, "port %u: cannot read device info: %s", port_id,
				    rte_strerror(-ret));
	port = calloc(1, sizeof(*port));
	if (port == NULL)
		return np_fail_null(ENOMEM, "port %u: no memory", port_id);
	fill_info(port, plan, idx, port_id, &di);
	in = &port->info;
	if (in->n_rxq > di.max_rx_queues || in->n_txq > di.max_tx_queues) {
		np_fail(ENOTSUP, "port %u (%s, %s) has at most %u RX and %u TX queues; the "
			"plan needs %u RX (port %u's RX queues) and %u TX (one per sending "
			"lcore): give it fewer RX queues or fewer workers", port_id,
			in->device, in->driver, di.max_rx_queues, di.max_tx_queues, in->n_rxq,
			idx, in->n_txq);
		goto fail;
	}
	rxd = in->nb_rxd;
	txd = in->nb_txd;
	if (np_port_adjust_desc(port_id, &rxd, &txd) < 0)
		goto fail;
	if (rxd > in->nb_rxd || txd > in->nb_txd) {
		np_fail(EINVAL, "port %u (%s): the device needs %u RX / %u TX descriptors, "
			"the plan sized pools for %u / %u: build the plan with the counts "
			"np_port_adjust_desc() returns", port_id, in->device, rxd, txd,
			in->nb_rxd, in->nb_txd);
		goto fail;
	}
	/*
	 * No offloads. In particular no MBUF_FAST_FREE: a TX queue carries
	 * mbufs of every node's pool whose packets are sent on this port.
	 */
	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(port_id, in->n_rxq, in->n_txq, &conf);
	if (ret < 0) {
		np_fail(-ret, "port %u (%s): configure with %u RX / %u TX queues failed: %s",
			port_id, in->device, in->n_rxq, in->n_txq, rte_strerror(-ret));
		goto fail;
	}
	if (setup_queues(port, plan, idx, pools, &di) < 0)
		goto fail;
	ret = rte_eth_dev_start(port_id);
	if (ret < 0) {
		np_fail(-ret, "port %u (%s): start failed: %s", port_id, in->device,
			rte_strerror(-ret));
		goto fail;
	}
	if (opts->promiscuous) {
		ret = rte_eth_promiscuous_enable(port_id);
		if (ret < 0)
			NP_LOG(NOTICE, "port %u (%s): promiscuous mode unavailable: %s",
			       port_id, in->device, rte_strerror(-ret));
	}
	ret = rte_eth_macaddr_get(port_id, &in->mac);
	if (ret < 0) {
		np_fail(-ret, "port %u (%s): cannot read its MAC address: %s", port_id,
			in->device, rte_strerror(-ret));
		rte_eth_dev_stop(port_id);
		goto fail;
	}
	/* The one log line per port saying where its node came from. */
	rte_log(in->node_source == NP_NODE_FROM_POLICY ? RTE_LOG_NOTICE : RTE_LOG_INFO,
		NP_LOGTYPE, "numaperf: port %u (%s, %s): node %d, decided by %s: %s; "
		"descriptors on node %d, %u RX / %u TX queues\n", port_id, in->device,
		in->driver, in->node, np_node_source_name(in->node_source),
		in->node_reason, in->desc_node, in->n_rxq, in->n_txq);
	return port;
fail:
	/*
	 * The device stays as it is (closing a vdev would destroy it): the
	 * caller may fix the plan and try again; rte_eal_cleanup() closes it.
	 */
	err = errno;
	free(port);
	errno = err;
	return NULL;
}

int
np_port_close(np_port *port)
{
	uint16_t id;
	int ret, ret2;

	if (port == NULL)
		return 0;
	id = port->info.port_id;
	ret = rte_eth_dev_stop(id);
	if (ret < 0)
		np_fail(-ret, "port %u (%s): stop failed: %s", id, port->info.device,
			rte_strerror(-ret));
	ret2 = rte_eth_dev_close(id);
	if (ret2 < 0)
		np_fail(-ret2, "port %u (%s): close failed: %s", id, port->info.device,
			rte_strerror(-ret2));
	free(port);
	return ret < 0 ? ret : ret2;
}

int
np_port_info(const np_port *port, struct np_port_info *out)
{
	if (port == NULL || out == NULL)
		return -EINVAL;
	*out = port->info;
	return 0;
}

uint16_t
np_port_id(const np_port *port)
{
	return port->info.port_id;
}

int
np_port_link(const np_port *port, unsigned int wait_ms, char *text, size_t len)
{
	struct rte_eth_link link;
	unsigned int waited = 0;
	int ret;

	if (port == NULL)
		return -EINVAL;
	for (;;) {
		memset(&link, 0, sizeof(link));
		ret = rte_eth_link_get_nowait(port->info.port_id, &link);
		if (ret < 0)
			return ret;
		if (link.link_status == RTE_ETH_LINK_UP || waited >= wait_ms)
			break;
		usleep(100 * 1000);
		waited += 100;
	}
	/* rte_eth_link_to_str() is still experimental in DPDK 22.11. */
	if (text != NULL && len > 0 && link.link_status == RTE_ETH_LINK_UP)
		snprintf(text, len, "link up, %u Mbps, %s-duplex", link.link_speed,
			 link.link_duplex == RTE_ETH_LINK_FULL_DUPLEX ? "full" : "half");
	else if (text != NULL && len > 0)
		snprintf(text, len, "link down after %u ms", waited);
	return link.link_status == RTE_ETH_LINK_UP;
}
