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
 * The file is untrusted input, and hwloc crashes on some malformed files:
 * it is first loaded in a child process (fork(), waited for here, at most
 * 20 s), and only if that child survives, loaded in this one. A caller
 * with a SIGCHLD handler sees that child end. If fork() fails, the file is
 * loaded directly.
 *
 * @param path
 *   The XML file.
 * @return
 *   A topology handle, or NULL with errno set: EINVAL (path NULL or empty),
 *   ENOENT (no such file), EACCES (not readable), EBADMSG (not a valid hwloc
 *   XML topology, one hwloc crashed or hung on in the trial load, or a
 *   description numaperf rejects, e.g. no NUMA node, or a malformed distance
 *   matrix), ENOMEM.
 */
np_topo *np_topo_load_xml(const char *path);

/**
 * Load a machine described by an hwloc synthetic string, e.g.
 * "pack:2 numa:1 l3:1 core:4 pu:1". Synthetic descriptions carry no
 * distances, NICs or hugepages: distances default to 10 local / 20 remote
 * and np_topo_distances_known() returns false.
 *
 * @param description
 *   The hwloc synthetic description, without the "synthetic:" prefix.
 * @return
 *   A topology handle, or NULL with errno set: EINVAL (NULL or empty),
 *   EBADMSG (hwloc rejects the description), ENOMEM.
 */
np_topo *np_topo_load_synthetic(const char *description);

/**
 * Release a topology.
 *
 * @param topo
 *   The topology; NULL is accepted and ignored.
 */
void np_topo_destroy(np_topo *topo);

/**
 * Where this topology came from.
 *
 * @param topo
 *   The topology.
 * @return
 *   Its source: the live machine, an XML file or a synthetic description.
 */
enum np_topo_source np_topo_source(const np_topo *topo);

/**
 * A short description of the source.
 *
 * @param topo
 *   The topology.
 * @return
 *   "live", or the XML path, or "synthetic:<description>"; valid while the
 *   topology lives.
 */
const char *np_topo_source_name(const np_topo *topo);

/* ---- NUMA nodes ------------------------------------------------------- */

/**
 * Number of NUMA nodes.
 *
 * @param topo
 *   The topology.
 * @return
 *   The number of nodes, at least 1.
 */
unsigned int np_topo_node_count(const np_topo *topo);

/**
 * The OS id of the node at dense index @p idx (ascending id order).
 *
 * @param topo
 *   The topology.
 * @param idx
 *   A dense index, in [0, np_topo_node_count()).
 * @return
 *   The node id, or -EINVAL if idx >= np_topo_node_count().
 */
int np_topo_node_id(const np_topo *topo, unsigned int idx);

/**
 * The dense index of node @p node.
 *
 * @param topo
 *   The topology.
 * @param node
 *   A node id (OS index).
 * @return
 *   The index, in [0, np_topo_node_count()), or -ENOENT if the topology has
 *   no such node.
 */
int np_topo_node_index(const np_topo *topo, int node);

/**
 * Whether node @p node exists in the topology.
 *
 * @param topo
 *   The topology.
 * @param node
 *   A node id (OS index).
 * @return
 *   True if the topology has that node.
 */
bool np_topo_node_exists(const np_topo *topo, int node);

/**
 * The CPUs (OS indices, ascending) local to node @p node.
 *
 * @param topo
 *   The topology.
 * @param node
 *   A node id (OS index).
 * @param cpus
 *   Array filled with up to @p max CPU ids; may be NULL when max is 0 to
 *   only count.
 * @param max
 *   Capacity of @p cpus.
 * @return
 *   The number of CPUs of the node (which may exceed max), or -ENOENT if no
 *   such node.
 */
int np_topo_node_cpus(const np_topo *topo, int node, unsigned int *cpus,
		      unsigned int max);

/**
 * Bytes of memory local to node @p node.
 *
 * @param topo
 *   The topology.
 * @param node
 *   A node id (OS index).
 * @return
 *   The size (0 for a CPU-only node, and for every node of a source that
 *   reports no memory), or 0 if there is no such node.
 */
uint64_t np_topo_node_memory(const np_topo *topo, int node);

/**
 * The node the CPU @p cpu belongs to.
 *
 * @param topo
 *   The topology.
 * @param cpu
 *   A CPU id (OS index).
 * @return
 *   A node id, or -ENOENT if the CPU is unknown.
 */
int np_topo_cpu_node(const np_topo *topo, unsigned int cpu);

/**
 * Whether CPU @p cpu belongs to node @p node (the node's memory is local to
 * it).
 *
 * @param topo
 *   The topology.
 * @param cpu
 *   A CPU id (OS index).
 * @param node
 *   A node id (OS index).
 * @return
 *   True if the CPU exists and is on that node; false otherwise, and for a
 *   negative node (NP_NODE_ANY, NP_NODE_UNKNOWN).
 */
bool np_topo_cpu_is_local(const np_topo *topo, unsigned int cpu, int node);

/**
 * Total number of CPUs in the topology.
 *
 * @param topo
 *   The topology.
 * @return
 *   The number of CPUs (processing units), over all nodes.
 */
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
 *
 * @param topo
 *   The topology.
 * @param sizes
 *   Array filled with up to @p max sizes in bytes; may be NULL when max is
 *   0 to only count.
 * @param max
 *   Capacity of @p sizes.
 * @return
 *   The number of sizes (may exceed max; 0 if the source knows none).
 */
int np_topo_hugepage_sizes(const np_topo *topo, uint64_t *sizes,
			   unsigned int max);

/**
 * Hugepages of @p page_size bytes on node @p node.
 *
 * @param topo
 *   The topology.
 * @param node
 *   A node id (OS index).
 * @param page_size
 *   A page size in bytes, one of np_topo_hugepage_sizes().
 * @param out
 *   Receives the counts on success.
 * @return
 *   0, or -ENOENT (no such node), -EINVAL (page size unknown here).
 */
int np_topo_node_hugepages(const np_topo *topo, int node, uint64_t page_size,
			   struct np_hugepages *out);

/* ---- Distances -------------------------------------------------------- */

/**
 * The distance between two nodes (ACPI SLIT units, 10 = local).
 *
 * @param topo
 *   The topology.
 * @param from
 *   A node id (OS index).
 * @param to
 *   A node id (OS index).
 * @return
 *   The distance, or -ENOENT if either node does not exist.
 */
int np_topo_distance(const np_topo *topo, int from, int to);

/**
 * Whether the distances come from the source.
 *
 * @param topo
 *   The topology.
 * @return
 *   False when the source had no distance matrix (synthetic descriptions,
 *   some firmware): distances are then 10 local and 20 remote.
 */
bool np_topo_distances_known(const np_topo *topo);

/**
 * Nodes ordered by distance from @p from, nearest first: @p from itself,
 * then by increasing distance, ties broken by ascending node id.
 *
 * @param topo
 *   The topology.
 * @param from
 *   A node id (OS index).
 * @param nodes
 *   Array filled with the first @p max node ids of that order.
 * @param max
 *   Capacity of @p nodes.
 * @return
 *   The number of nodes (may exceed max), or -ENOENT if no such node,
 *   -ENOMEM.
 */
int np_topo_nodes_by_distance(const np_topo *topo, int from, int *nodes,
			      unsigned int max);

/* ---- Packages and odd shapes ------------------------------------------ */

/**
 * Number of processor packages (sockets).
 *
 * @param topo
 *   The topology.
 * @return
 *   The number of packages; 1 if the source does not say.
 */
unsigned int np_topo_package_count(const np_topo *topo);

/**
 * Whether node @p node has memory but no CPUs (CXL, HBM, hot-plugged).
 *
 * @param topo
 *   The topology.
 * @param node
 *   A node id (OS index).
 * @return
 *   True if the node exists, has memory and has no CPU.
 */
bool np_topo_node_is_memory_only(const np_topo *topo, int node);

/**
 * CPUs without local memory: CPUs whose node reports no memory.
 *
 * @param topo
 *   The topology.
 * @param cpus
 *   Array filled with up to @p max CPU ids, by node then ascending; may be
 *   NULL when max is 0 to only count.
 * @param max
 *   Capacity of @p cpus.
 * @return
 *   The number of such CPUs (may exceed max).
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

/**
 * Number of PCI network devices.
 *
 * @param topo
 *   The topology.
 * @return
 *   The number of NICs (0 for a synthetic description).
 */
unsigned int np_topo_nic_count(const np_topo *topo);

/**
 * Information on the NIC at index @p idx (ordered by PCI address).
 *
 * @param topo
 *   The topology.
 * @param idx
 *   An index in [0, np_topo_nic_count()).
 * @param out
 *   Receives the information on success.
 * @return
 *   0, or -EINVAL if idx >= np_topo_nic_count().
 */
int np_topo_nic(const np_topo *topo, unsigned int idx, struct np_nic_info *out);

/**
 * Find a NIC by PCI address.
 *
 * @param topo
 *   The topology.
 * @param pci_addr
 *   "0000:0a:02.0", or "0a:02.0" for domain 0000; case does not matter.
 * @return
 *   Its index, or -ENOENT (no such NIC, or pci_addr NULL).
 */
int np_topo_nic_find(const np_topo *topo, const char *pci_addr);

/* ---- What this process can enforce ------------------------------------ */

/** State of the kernel's automatic NUMA balancing. */
enum np_numa_balancing {
	NP_BALANCING_UNKNOWN = -1, /**< Not a live topology, or not readable. */
	NP_BALANCING_OFF = 0,      /**< Present and disabled (kernel.numa_balancing = 0). */
	NP_BALANCING_ON = 1,       /**< Enabled: the kernel migrates pages and tasks. */
	NP_BALANCING_ABSENT = 2,   /**< Kernel built without it. */
};

/** A mounted hugetlbfs. */
struct np_hugetlbfs_mount {
	/** The mount point. */
	char path[256];
	uint64_t page_size; /**< Bytes; the mount's pagesize= or the default size. */
};

/** What the running process can enforce on this machine. */
struct np_enforcement {
	bool root;          /**< Effective uid 0. */
	bool cap_sys_nice;  /**< May move other threads' pages and set their affinity. */
	bool cap_ipc_lock;  /**< May lock memory (mlock, hugepage shm). */
	/** The kernel's automatic NUMA balancing (live topologies only). */
	enum np_numa_balancing numa_balancing;
	unsigned int n_mounts;                    /**< Valid entries in mounts[]. */
	/** Mounted hugetlbfs file systems (live topologies only), at most 8. */
	struct np_hugetlbfs_mount mounts[8];
};

/**
 * What this process may enforce. Privileges are always the running
 * process's; NUMA balancing and mounts are read only for a live topology
 * (a described machine reports NP_BALANCING_UNKNOWN and no mounts).
 *
 * @param topo
 *   The topology.
 * @param out
 *   Receives the answer.
 */
void np_topo_enforcement(const np_topo *topo, struct np_enforcement *out);

#ifdef __cplusplus
}
#endif

#endif /* NP_TOPO_H */
