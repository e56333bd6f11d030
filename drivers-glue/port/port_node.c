/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where a NIC's node is decided (see np_port.h for the order). This file
 * reads what is known about a port's node; what nobody knows stays
 * NP_NODE_UNKNOWN and goes to the plan's unknown-node policy
 * (framework/plan/plan_node.c), never to node 0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>

#include "np_error_private.h"
#include "port_private.h"

NP_LOG_REGISTER(np_port_logtype, "numaperf.port");

/*
 * net_ring's nodeaction=NAME:NODE:ACTION puts the ring (and the port's
 * numa_node) on NODE: the one vdev whose node is an argument.
 * @return the node, NP_NODE_UNKNOWN if the vdev has no such argument, or
 *   -EINVAL if it is malformed.
 */
static int
vdev_nodeaction(const char *vdev)
{
	const char *a = strstr(vdev, ",nodeaction=");
	const char *n;
	char *end;
	long node;

	if (strncmp(vdev, "net_ring", 8) != 0 && strncmp(vdev, "eth_ring", 8) != 0)
		return NP_NODE_UNKNOWN;
	if (a == NULL)
		return NP_NODE_UNKNOWN;
	n = strchr(a + strlen(",nodeaction="), ':');
	if (n == NULL)
		return -EINVAL;
	node = strtol(n + 1, &end, 10);
	if (end == n + 1 || *end != ':' || node < 0 || node > NP_MAX_NODE_ID)
		return -EINVAL;
	return (int)node;
}

static void
apply_config(struct np_port_node *out, int dev_node, int config_node)
{
	char dev[sizeof(out->reason)];

	if (config_node == NP_NODE_UNKNOWN) {
		out->node = dev_node;
		out->source = NP_NODE_FROM_DEVICE;
		return;
	}
	snprintf(dev, sizeof(dev), "%s", out->reason);
	out->node = config_node;
	out->source = NP_NODE_FROM_CONFIG;
	snprintf(out->reason, sizeof(out->reason), "node %d given for the port overrides "
		 "the device (%.140s)", config_node, dev);
}

int
np_port_node_expect(const np_topo *topo, const char *pci, const char *vdev,
		    int config_node, int main_node, struct np_port_node *out)
{
	bool has_pci = pci && pci[0], has_vdev = vdev && vdev[0];
	int dev_node;

	if (topo == NULL || out == NULL || has_pci == has_vdev)
		return np_fail(EINVAL, "np_port_node_expect: give a topology and exactly "
			       "one of pci and vdev");
	memset(out, 0, sizeof(*out));
	if (has_pci) {
		struct np_nic_info nic;
		int idx = np_topo_nic_find(topo, pci);

		if (idx < 0 || np_topo_nic(topo, (unsigned int)idx, &nic) < 0) {
			dev_node = NP_NODE_UNKNOWN;
			snprintf(out->reason, sizeof(out->reason), "%s is not in topology %s",
				 pci, np_topo_source_name(topo));
		} else if (nic.node == NP_NODE_UNKNOWN) {
			dev_node = NP_NODE_UNKNOWN;
			snprintf(out->reason, sizeof(out->reason), "%s numa_node of %s is -1 "
				 "(no NUMA affinity)", np_topo_source(topo) == NP_TOPO_LIVE ?
				 "sysfs" : np_topo_source_name(topo), pci);
		} else {
			dev_node = nic.node;
			snprintf(out->reason, sizeof(out->reason), "%s numa_node of %s is %d",
				 np_topo_source(topo) == NP_TOPO_LIVE ? "sysfs" :
				 np_topo_source_name(topo), pci, nic.node);
		}
	} else {
		dev_node = vdev_nodeaction(vdev);
		if (dev_node == -EINVAL)
			return np_fail(EINVAL, "vdev %s: nodeaction must be NAME:NODE:ACTION "
				       "(e.g. nodeaction=r0:0:CREATE)", vdev);
		if (dev_node >= 0) {
			snprintf(out->reason, sizeof(out->reason), "vdev argument nodeaction "
				 "puts its ring on node %d", dev_node);
		} else {
			/* DPDK gives a vdev the node of the thread that probes it. */
			dev_node = main_node;
			snprintf(out->reason, sizeof(out->reason), "virtual device: DPDK gives "
				 "it the node of the main lcore that probes it (node %d)",
				 main_node);
		}
		if (dev_node >= 0 && !np_topo_node_exists(topo, dev_node))
			return np_fail(ENOENT, "vdev %s: node %d does not exist in topology %s",
				       vdev, dev_node, np_topo_source_name(topo));
	}
	if (config_node != NP_NODE_UNKNOWN && !np_topo_node_exists(topo, config_node))
		return np_fail(ENOENT, "port %s: node = %d does not exist in topology %s",
			       has_pci ? pci : vdev, config_node, np_topo_source_name(topo));
	apply_config(out, dev_node, config_node);
	return 0;
}

int
np_port_node_probe(uint16_t port_id, int config_node, struct np_port_node *out)
{
	int sid;

	if (out == NULL)
		return np_fail(EINVAL, "np_port_node_probe: out is NULL");
	if (!rte_eth_dev_is_valid_port(port_id))
		return np_fail(ENODEV, "port %u is not a valid DPDK port", port_id);
	memset(out, 0, sizeof(*out));
	sid = rte_eth_dev_socket_id(port_id);
	if (sid < 0)
		snprintf(out->reason, sizeof(out->reason), "DPDK reports SOCKET_ID_ANY (-1) "
			 "for port %u: the device has no NUMA affinity", port_id);
	else
		snprintf(out->reason, sizeof(out->reason), "DPDK reports socket %d for "
			 "port %u", sid, port_id);
	apply_config(out, sid < 0 ? NP_NODE_UNKNOWN : sid, config_node);
	return 0;
}
