/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * INI configuration of a numaperf application: EAL options, ports, workers,
 * pools, policies and the pipeline, read with DPDK's rte_cfgfile and checked
 * against the topology. Every key is documented in the commented examples
 * of config/examples/.
 *
 * The file is read once, into memory and bounded (lines of at most 322
 * bytes, as rte_cfgfile reads them, and at most 1 MiB in all), so a FIFO or
 * `--config <(cat f)` works and /dev/zero through a pipe stops at once;
 * directories and devices are refused by name without being read. Errors
 * name the file and line (rte_cfgfile keeps no line numbers, so numaperf
 * scans the text itself and rte_cfgfile must agree), the section, the key,
 * the value and the allowed values, and report the first faulty line, e.g.
 *   l2fwd.ini:12: [workers] lcores = 0,9: CPU 9 does not exist in topology
 *   live; allowed: CPU ids 0-1
 * Command-line overrides ("section.key=value") are applied after the file
 * and checked the same way; their errors name the option instead of a line.
 * Input quoted in a message (values, keys, paths) has its control bytes and
 * invalid UTF-8 escaped as `\xHH`, so it cannot act on the terminal.
 *
 * A parsed configuration is plain data, like rte_eth_conf: the caller reads
 * its fields (np_config_load() fills them, np_config_free() releases them).
 * Nothing here initialises EAL or opens a device.
 */
#ifndef NP_CONFIG_H
#define NP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "np_common.h"
#include "np_plan.h"
#include "np_runtime.h"
#include "np_topo.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Sections [port0] .. [port31]. */
#define NP_CONFIG_MAX_PORTS 32

/** What the pipeline does to each packet's Ethernet header. */
enum np_config_mac {
	NP_MAC_SWAP = 0,   /**< Swap source and destination (reflect). */
	NP_MAC_REWRITE,    /**< l2fwd's: dst `02:00:00:00:00:<tx port>`, src = tx port's MAC. */
	NP_MAC_NONE,       /**< Leave the header alone. */
};

/** [flows] home: which node's flow table holds a flow. */
enum np_config_flow_home {
	NP_FLOW_HOME_SYMMETRIC = 0, /**< A hash of the 5-tuple over the nodes with workers (np_flow_home_symmetric). */
	NP_FLOW_HOME_INGRESS,       /**< The node of the port it arrived on (np_flow_home_ingress). */
};

/** One [portN] section. */
struct np_config_port {
	char pci[16];        /**< Normalised PCI address "0000:0a:02.0", or "". */
	char vdev[256];      /**< Virtual device with its arguments ("net_ring0,nodeaction=r0:0:CREATE"), or "". */
	char name[64];       /**< The device name DPDK knows it by: pci, or vdev up to the first ','. */
	int node;            /**< node = N, or NP_NODE_UNKNOWN when "auto" (the device decides). */
	uint16_t rx_queues;  /**< RX queues. */
	uint16_t rx_desc;    /**< Descriptors per RX queue (DPDK may adjust). */
	uint16_t tx_desc;    /**< Descriptors per TX queue (DPDK may adjust). */
	int peer;            /**< Index of the port its packets leave on. */
	/** Promiscuous mode (promiscuous = yes, the default). */
	bool promiscuous;
};

/** A whole configuration. */
struct np_config {
	char path[4096];     /**< The file it was read from. */

	/* [eal] */
	char eal_args[256];  /**< Extra EAL arguments, whitespace-separated. */
	bool no_huge;        /**< Run EAL with --no-huge (anonymous memory, no NUMA placement). */

	/* [workers]: either lcores or per_node (with optional nodes). */
	/** [workers] lcores: worker CPU ids (= lcore ids). */
	unsigned int lcores[NP_PLAN_MAX_WORKERS];
	/** Entries in lcores[]; 0 when per_node is used. */
	unsigned int n_lcores;
	/** [workers] per_node: this many workers on each node; 0 when lcores is used. */
	unsigned int per_node;
	/** [workers] nodes: the nodes for per_node. */
	int nodes[NP_PLAN_MAX_WORKERS];
	/** Entries in nodes[]; 0: every node that has CPUs. */
	unsigned int n_nodes;
	/**
	 * [workers] main_lcore: EAL's main lcore kept apart from the workers on
	 * this CPU id, or -1 (first-worker, the default): the lowest worker is
	 * the main lcore.
	 */
	int main_lcore;

	/* [pools] */
	uint16_t data_room;  /**< Bytes of data room per mbuf, headroom included. */
	/** [pools] cache_size: per-lcore mempool cache, 0-512 (default 256). */
	unsigned int cache_size;
	/** [pools] placement: port (default) or poller. */
	enum np_pool_placement placement;

	/* [policies] */
	/** [policies] unknown_node: nearest-worker (default), node N (unknown_node_id) or fail. */
	enum np_unknown_node_policy unknown_node;
	int unknown_node_id; /**< For NP_UNKNOWN_FIXED_NODE. */
	/** [policies] strict: a port whose node has no worker is an error. */
	bool strict;

	/* [pipeline] */
	/** [pipeline] mode: io (NP_TX_BY_POLLER, default) or handoff. */
	enum np_tx_mode mode;
	/** [pipeline] burst: packets per RX/TX burst, 1-256 (default 32). */
	unsigned int burst;
	/** [pipeline] mac: swap, rewrite (default) or none. */
	enum np_config_mac mac;
	/** [pipeline] ring_size: handoff ring slots, a power of 2 in 64-65536 (default 1024). */
	unsigned int ring_size;
	/** [pipeline] seed_packets: packets injected into each port at start, 0-4096. */
	unsigned int seed_packets;
	unsigned int duration; /**< Seconds; 0 = until SIGINT/SIGTERM. */
	/** [pipeline] latency: record each packet's RX-to-TX latency (default yes). */
	bool latency;
	/**
	 * [pipeline] tx_drain_us: 0 (default) sends TX buffers every loop
	 * iteration; N, 1-1000000, lets a partly filled one wait up to N us.
	 */
	unsigned int tx_drain_us;

	/** [flows] count: flows of the stateful forwarder, 1-1073741824; 0 (default): none. */
	unsigned int flows;
	/** [flows] zipf: the flows' popularity skew, 0 (uniform, default) to 10. */
	double flow_zipf;
	/** [flows] home: symmetric (default) or ingress. */
	enum np_config_flow_home flow_home;
	/** [flows] capacity: entries per node's table, 64-1073741824; 0 (default): 4 x count, at least 1024. */
	unsigned int flow_capacity;

	/** The [portN] sections, N from 0 without gaps. */
	struct np_config_port ports[NP_CONFIG_MAX_PORTS];
	/** Entries in ports[]. */
	unsigned int n_ports;

	/** @cond INTERNAL */
	/**
	 * @internal Where each key and section came from (file line, or the
	 * override that set it), for np_config_explain().
	 */
	struct np_config_origin {
		char section[64];        /**< As rte_cfgfile's CFG_NAME_LEN. */
		char key[64];            /**< "" for the section header itself. */
		unsigned int line;       /**< 0 for an override. */
		char override[96];       /**< The "section.key=value" text, or "". */
	} origin[NP_CONFIG_MAX_PORTS * 10 + 32];
	unsigned int n_origin;
	/** @endcond */
};

/** The runtime's parameters from a configuration, with the arrays they point to. */
struct np_config_runtime {
	/** What to give np_runtime_create(), once the app has added its own. */
	struct np_runtime_params params;
	/** The ports params.ports points to. */
	struct np_runtime_port ports[NP_CONFIG_MAX_PORTS];
	/** The EAL arguments params.eal_args points to: [eal] args first, room for the app's after. */
	const char *eal_args[NP_RUNTIME_MAX_EAL_ARGS];
	char eal_buf[256];       /**< [eal] args, split in place. */
};

/**
 * Read, override and check a configuration.
 *
 * @param path
 *   The INI file.
 * @param overrides
 *   "section.key=value" strings applied after the file (the command line
 *   wins); may be NULL when n_overrides is 0. Setting [workers] lcores
 *   drops the file's per_node and nodes and vice versa; setting a port's
 *   pci drops its vdev and vice versa.
 * @param n_overrides
 *   Number of overrides.
 * @param topo
 *   The machine to check CPUs, nodes and PCI addresses against; NULL skips
 *   those checks.
 * @return
 *   A configuration to release with np_config_free(), or NULL with errno set
 *   and np_last_error() naming the file, line, section, key and allowed
 *   values: EINVAL (NULL path, syntax error, a line over 322 bytes, a control
 *   byte, a UTF-8 byte-order mark, an empty file, a device or socket given
 *   as the file, unknown section or key, wrong type, a missing or
 *   contradictory key), ERANGE (a value out of range), EEXIST (a section or
 *   key given twice), EISDIR (a directory), EFBIG (more than 1 MiB), ENOENT
 *   (no such file, or a CPU, node or PCI device that is not in the
 *   topology), EACCES (unreadable), EIO (read error), ENOMEM.
 */
struct np_config *np_config_load(const char *path, const char *const *overrides,
				 unsigned int n_overrides, const np_topo *topo);

/**
 * Same as np_config_load(), from a configuration already in memory (embedded
 * in an application, received over a socket; the fuzz target uses it).
 *
 * @param name
 *   What messages call the configuration, where they would name the file.
 * @param data
 *   The INI text, @p len bytes, not necessarily NUL-terminated; copied.
 *   May be NULL when @p len is 0.
 * @param len
 *   Bytes at @p data.
 * @param overrides
 *   As for np_config_load().
 * @param n_overrides
 *   Number of overrides.
 * @param topo
 *   As for np_config_load().
 * @return
 *   As np_config_load(), without the errors of opening and reading a file
 *   (EINVAL also for a NULL or empty name, or NULL data with len > 0).
 */
struct np_config *np_config_load_buffer(const char *name, const void *data, size_t len,
					const char *const *overrides,
					unsigned int n_overrides, const np_topo *topo);

/**
 * Release a configuration.
 *
 * @param cfg
 *   The configuration; NULL is accepted.
 */
void np_config_free(struct np_config *cfg);

/**
 * The bring-up's parameters (np_runtime.h) from a configuration: ports,
 * workers, pools, policies, pipeline, EAL. The app adds its own: name,
 * stages, verbose, and EAL arguments from its command line (appended to
 * out->eal_args after out->params.n_eal_args, which it then raises).
 *
 * @param cfg
 *   The configuration.
 * @param out
 *   Filled; out->params points into @p cfg and into @p out, so both must
 *   outlive its use.
 * @return 0, or -EINVAL (NULL argument, or more [eal] args than
 *   NP_RUNTIME_MAX_EAL_ARGS, with a message naming the key).
 */
int np_config_runtime(const struct np_config *cfg, struct np_config_runtime *out);

/**
 * Say where the parameter a lower layer's failure was about came from.
 * Takes np_last_error() and np_last_error_param() and writes, e.g.,
 * "l2fwd.ini:25: [workers] lcores: CPU 9 does not exist in topology live
 * (CPUs 0-1)", or "command line (--set port1.vdev=...): ...", or
 * "l2fwd.ini: [pools] cache_size (not set: the default): ...". A failure
 * about no parameter (or one the configuration does not set, such as
 * command-line EAL arguments) is written as it is.
 *
 * @param cfg
 *   The configuration the parameters came from; NULL writes the message as
 *   it is.
 * @param n_file_eal_args
 *   How many of the runtime's eal_args came from [eal] args (the rest came
 *   from the command line).
 * @param buf
 *   Receives the text, truncated to @p len bytes with its NUL.
 * @param len
 *   Size of @p buf; 0 writes nothing.
 * @return @p buf.
 */
const char *np_config_explain(const struct np_config *cfg, unsigned int n_file_eal_args,
			      char *buf, size_t len);

/**
 * Whether an EAL argument may go to EAL: np_runtime_eal_arg_owner() (EAL's
 * own reading: abbreviations, clustered short options), with the runtime's
 * parameter turned into the key that sets it.
 *
 * @param arg
 *   One EAL argument, as it would appear in argv.
 * @return NULL if the argument is free to pass to EAL; else the key to use
 *   instead ("[workers] lcores or per_node", "[portN] pci or vdev",
 *   "[eal] no_huge"), or why numaperf cannot run with it.
 */
const char *np_config_eal_owner(const char *arg);

/**
 * The name of a MAC mode.
 *
 * @param mac
 *   The mode.
 * @return
 *   "swap", "rewrite" or "none"; "?" outside the enum.
 */
const char *np_config_mac_name(enum np_config_mac mac);

#ifdef __cplusplus
}
#endif

#endif /* NP_CONFIG_H */
