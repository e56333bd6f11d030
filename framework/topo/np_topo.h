/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Topology discovery: NUMA nodes, their CPUs, memory and hugepages, the
 * distance matrix, packages, PCI network devices with their node, and what
 * the running process may enforce (privileges, NUMA balancing, hugetlbfs).
 *
 * A topology is read once, from the live machine (hwloc + sysfs) or from a
 * description (an hwloc XML file or an hwloc synthetic string), and is then
 * immutable: every query is a lookup in tables built at load time, safe to
 * call from any thread.
 *
 * Node ids are the kernel's (OS) indices and may have gaps (nodes 0 and 2
 * only): never index an array by node id. Use np_topo_node_index() to map a
 * node id to a dense index in [0, np_topo_node_count()).
 *
 * This module does not place anything: it only tells where things are.
 */
#ifndef NP_TOPO_H
#define NP_TOPO_H

#include <stdbool.h>
#include <stdint.h>

#include "np_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque topology handle. */
typedef struct np_topo np_topo;

/**
 * Environment variable naming a description to load instead of the live
 * machine: a path to an hwloc XML file, or "synthetic:<hwloc synthetic
 * description>" (e.g. "synthetic:pack:2 numa:1 core:2 pu:1").
 */
#define NP_TOPOLOGY_ENV "NP_TOPOLOGY"

/** Distance of a node to itself in the ACPI SLIT convention. */
#define NP_DISTANCE_LOCAL 10

/** Where a topology came from. */
enum np_topo_source {
	NP_TOPO_LIVE = 0,      /**< This machine, through hwloc and sysfs. */
	NP_TOPO_XML,           /**< An hwloc XML file. */
	NP_TOPO_SYNTHETIC,     /**< An hwloc synthetic description. */
};

/**
 * Load the topology: the description named by $NP_TOPOLOGY if it is set and
 * not empty, otherwise the live machine.
 *
 * @return
 *   A topology handle, or NULL with errno set (see np_topo_load_xml() and
 *   np_topo_load_live()) and np_last_error() explaining what and where.
 */
np_topo *np_topo_load(void);

/**
 * Load the topology of the machine this process runs on.
 *
 * @return
 *   A topology handle, or NULL with errno set: ENOMEM, or EIO when hwloc
 *   cannot read the machine's topology.
 */
np_topo *np_topo_load_live(void);

/**
 * Load a machine described by an hwloc XML file (as written by
 * `lstopo file.xml` or by hand, see tests/topologies/).
 *
 * @param path
 *   The XML file.
 * @return
 *   A topology handle, or NULL with errno set: EINVAL (path NULL or empty),
 *   ENOENT (no such file), EACCES (not readable), EBADMSG (not a valid hwloc
 *   XML topology, or a description numaperf rejects, e.g. no NUMA node, or a
 *   malformed distance matrix), ENOMEM.
 */
np_topo *np_topo_load_xml(const char *path);

/**
 * Load a machine described by an hwloc synthetic string, e.g.
 * "pack:2 numa:1 l3:1 core:4 pu:1". Synthetic descriptions carry no
 * distances, NICs or hugepages: distances default to 10 local / 20 remote
 * and np_topo_distances_known() returns false.
 *
 * @return
 *   A topology handle, or NULL with errno set: EINVAL (NULL or empty),
 *   EBADMSG (hwloc rejects the description), ENOMEM.
 */
np_topo *np_topo_load_synthetic(const char *description);

/** Release a topology. NULL is accepted and ignored. */
void np_topo_destroy(np_topo *topo);

/** Where this topology came from. */
enum np_topo_source np_topo_source(const np_topo *topo);

/**
 * A short description of the source: "live", or the XML path, or
 * "synthetic:<description>".
 */
const char *np_topo_source_name(const np_topo *topo);

/* ---- NUMA nodes ------------------------------------------------------- */

/** Number of NUMA nodes (at least 1). */
unsigned int np_topo_node_count(const np_topo *topo);

/**
 * The OS id of the node at dense index @p idx (ascending id order).
 * @return the node id, or -EINVAL if idx >= np_topo_node_count().
 */
int np_topo_node_id(const np_topo *topo, unsigned int idx);

/**
 * The dense index of node @p node.
 * @return the index, or -ENOENT if the topology has no such node.
 */
int np_topo_node_index(const np_topo *topo, int node);

/** True if node @p node exists in the topology. */
bool np_topo_node_exists(const np_topo *topo, int node);

/**
 * The CPUs (OS indices, ascending) local to node @p node.
 *
 * @param cpus
 *   Array filled with up to @p max CPU ids; may be NULL when max is 0 to
 *   only count.
 * @return
 *   The number of CPUs of the node (which may exceed max), or -ENOENT if no
 *   such node.
 */
int np_topo_node_cpus(const np_topo *topo, int node, unsigned int *cpus,
		      unsigned int max);

/**
 * Bytes of memory local to node @p node (0 for a CPU-only node).
 * @return the size, or 0 if there is no such node.
 */
uint64_t np_topo_node_memory(const np_topo *topo, int node);

/**
 * The node the CPU @p cpu belongs to.
 * @return a node id, or -ENOENT if the CPU is unknown.
 */
int np_topo_cpu_node(const np_topo *topo, unsigned int cpu);

/** True if CPU @p cpu belongs to node @p node (its memory is local). */
bool np_topo_cpu_is_local(const np_topo *topo, unsigned int cpu, int node);

/** Total number of CPUs in the topology. */
unsigned int np_topo_cpu_count(const np_topo *topo);

/* ---- Hugepages -------------------------------------------------------- */

/** Hugepages of one size on one node. */
struct np_hugepages {
	uint64_t page_size; /**< Bytes per page, e.g. 2097152. */
	uint64_t total;     /**< Pages reserved on the node. */
	uint64_t free;      /**< Pages not in use (described machines: = total). */
};

/**
 * Hugepage sizes known on this machine, ascending.
 * @return the number of sizes (may exceed max); sizes[] gets up to max.
 */
int np_topo_hugepage_sizes(const np_topo *topo, uint64_t *sizes,
			   unsigned int max);

/**
 * Hugepages of @p page_size bytes on node @p node.
 * @return 0, or -ENOENT (no such node), -EINVAL (page size unknown here).
 */
int np_topo_node_hugepages(const np_topo *topo, int node, uint64_t page_size,
			   struct np_hugepages *out);

/* ---- Distances -------------------------------------------------------- */

/**
 * The distance between two nodes (ACPI SLIT units, 10 = local).
 * @return the distance, or -ENOENT if either node does not exist.
 */
int np_topo_distance(const np_topo *topo, int from, int to);

/**
 * False when the source had no distance matrix (synthetic descriptions,
 * some firmware): distances are then 10 local and 20 remote.
 */
bool np_topo_distances_known(const np_topo *topo);

/**
 * Nodes ordered by distance from @p from, nearest first: @p from itself,
 * then by increasing distance, ties broken by ascending node id.
 *
 * @return the number of nodes (may exceed max), or -ENOENT if no such node.
 */
int np_topo_nodes_by_distance(const np_topo *topo, int from, int *nodes,
			      unsigned int max);

/* ---- Packages and odd shapes ------------------------------------------ */

/** Number of processor packages (sockets); 1 if the source does not say. */
unsigned int np_topo_package_count(const np_topo *topo);

/** True if node @p node has memory but no CPUs (CXL, HBM, hot-plugged). */
bool np_topo_node_is_memory_only(const np_topo *topo, int node);

/**
 * CPUs without local memory: CPUs whose node reports no memory.
 * @return the number of such CPUs (may exceed max).
 */
int np_topo_cpus_without_memory(const np_topo *topo, unsigned int *cpus,
				unsigned int max);

/* ---- Network devices -------------------------------------------------- */

/** A PCI network device and where it sits. */
struct np_nic_info {
	char pci_addr[16];  /**< "0000:0a:02.0". */
	char ifname[32];    /**< Kernel interface name, "" if none (e.g. bound to vfio/uio). */
	char driver[32];    /**< Kernel driver bound to it, "" if none or unknown. */
	uint16_t vendor_id; /**< PCI vendor id. */
	uint16_t device_id; /**< PCI device id. */
	/**
	 * The NUMA node of the device, or NP_NODE_UNKNOWN when the kernel
	 * reports -1 (no affinity known). Never silently 0.
	 */
	int node;
};

/** Number of PCI network devices. */
unsigned int np_topo_nic_count(const np_topo *topo);

/**
 * Information on the NIC at index @p idx (ordered by PCI address).
 * @return 0, or -EINVAL if idx >= np_topo_nic_count().
 */
int np_topo_nic(const np_topo *topo, unsigned int idx, struct np_nic_info *out);

/**
 * Find a NIC by PCI address ("0000:0a:02.0"; the domain may be omitted).
 * @return its index, or -ENOENT.
 */
int np_topo_nic_find(const np_topo *topo, const char *pci_addr);

/* ---- What this process can enforce ------------------------------------ */

/** State of the kernel's automatic NUMA balancing. */
enum np_numa_balancing {
	NP_BALANCING_UNKNOWN = -1, /**< Not a live topology, or not readable. */
	NP_BALANCING_OFF = 0,
	NP_BALANCING_ON = 1,
	NP_BALANCING_ABSENT = 2,   /**< Kernel built without it. */
};

/** A mounted hugetlbfs. */
struct np_hugetlbfs_mount {
	char path[256];
	uint64_t page_size; /**< Bytes; the mount's pagesize= or the default size. */
};

/** What the running process can enforce on this machine. */
struct np_enforcement {
	bool root;          /**< Effective uid 0. */
	bool cap_sys_nice;  /**< May move other threads' pages and set their affinity. */
	bool cap_ipc_lock;  /**< May lock memory (mlock, hugepage shm). */
	enum np_numa_balancing numa_balancing;
	unsigned int n_mounts;                    /**< Valid entries in mounts[]. */
	struct np_hugetlbfs_mount mounts[8];
};

/**
 * What this process may enforce. Privileges are always the running
 * process's; NUMA balancing and mounts are read only for a live topology
 * (a described machine reports NP_BALANCING_UNKNOWN and no mounts).
 */
void np_topo_enforcement(const np_topo *topo, struct np_enforcement *out);

#ifdef __cplusplus
}
#endif

#endif /* NP_TOPO_H */
