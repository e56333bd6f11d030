/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The bring-up: the one sequence that turns a parameter struct into a
 * running NUMA-local pipeline, and tears it down in reverse. Applications,
 * tests and outside projects all call it. A program that needs EAL without
 * ports or a pipeline (a unit test of rings or tables, a benchmark) starts
 * and ends it with np_eal_init() and np_eal_cleanup().
 *
 *   np_runtime_create()   topology (this machine, or a described one for a
 *                         plan only), each port's expected node, the plan.
 *                         No EAL: a dry run stops here (np_runtime_plan()).
 *   np_runtime_start()    refuses a described machine; checks hugepages on
 *                         every node that will hold anything (pools, rings,
 *                         descriptor rings and every worker's context), or
 *                         with no_huge that the memory fits the machine;
 *                         starts EAL; probes each port (vdevs one by one, so
 *                         a refusal names its port); plans again with what
 *                         DPDK reports; creates pools and rings on their
 *                         nodes; starts the ports.
 *   np_runtime_pipeline() the pipeline of the given stages on the plan's
 *                         workers (framework/pipeline).
 *   np_runtime_run()      the worker loops, for a duration or until
 *                         np_runtime_stop_async() (SIGINT/SIGTERM/SIGHUP with
 *                         np_runtime_handle_signals()).
 *   np_runtime_stop()     drains the pipeline (in flight at stop), reads the
 *                         ports' statistics, stops and closes the ports, and
 *                         checks that every mbuf is back in its pool.
 *   np_runtime_destroy()  frees the rest in reverse order and ends EAL.
 *
 * Messages speak in parameters ("ports[1].vdev", "workers.cpus"): each
 * failure records the parameter it is about (np_last_error_param()), so the
 * layer that read the parameters from a file adds the file and line.
 */
#ifndef NP_RUNTIME_H
#define NP_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ethdev.h>
#include <rte_mempool.h>

#include "np_audit.h"
#include "np_common.h"
#include "np_flow.h"
#include "np_mempool.h"
#include "np_numastat.h"
#include "np_pipeline.h"
#include "np_plan.h"
#include "np_port.h"
#include "np_topo.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque bring-up handle. */
typedef struct np_runtime np_runtime;

/** Largest number of ports of a runtime. */
#define NP_RUNTIME_MAX_PORTS 32
/** Largest number of extra EAL arguments. */
#define NP_RUNTIME_MAX_EAL_ARGS 64

/** One port. */
struct np_runtime_port {
	const char *pci;      /**< PCI address ("0000:0a:02.0"), or NULL for a vdev. */
	const char *vdev;     /**< Virtual device with its arguments ("net_ring0,nodeaction=r0:0:CREATE"), or NULL. */
	int node;             /**< A node id that overrides the device, or NP_NODE_UNKNOWN (the device decides). */
	uint16_t rx_queues;   /**< RX queues, 1..NP_PLAN_MAX_QUEUES. */
	uint16_t rx_desc;     /**< Descriptors per RX queue (fitted to the device). */
	uint16_t tx_desc;     /**< Descriptors per TX queue (fitted to the device). */
	int peer;             /**< Index of the port its packets leave on, or NP_PLAN_PEER_ANY. */
	/** Enable promiscuous mode once started. */
	bool promiscuous;
};

/** Everything the bring-up needs. */
struct np_runtime_params {
	/** Program name: EAL's argv[0] and the prefix of log lines. */
	const char *name;
	/**
	 * The machine, or NULL to load this one (np_topo_load(): $NP_TOPOLOGY
	 * names a described machine, which plans but never starts). Borrowed:
	 * it must outlive the runtime.
	 */
	np_topo *topo;

	const struct np_runtime_port *ports;  /**< 1..NP_RUNTIME_MAX_PORTS ports. */
	/** Entries in ports[]. */
	unsigned int n_ports;

	/** Workers: CPU ids (= lcore ids), or per_node with optional nodes (np_plan_params). */
	const unsigned int *cpus;
	/** Entries in cpus[]. */
	unsigned int n_cpus;
	/** Without cpus: this many workers on each node of nodes[] (np_plan_params.per_node). */
	unsigned int per_node;
	/** Nodes for per_node; NULL means every node that has CPUs. */
	const int *nodes;
	/** Entries in nodes[]. */
	unsigned int n_nodes;
	/**
	 * Keep EAL's main lcore apart from the workers, on CPU main_lcore, as
	 * dpdk-testpmd does: the process's main thread then only waits
	 * (np_runtime_run()) and the workers' loops all run on EAL's worker
	 * threads. EAL's start-up memory and vdevs take its node. false (the
	 * default): the lowest worker is the main lcore and forwards too, as in
	 * DPDK's l2fwd.
	 */
	bool main_lcore_apart;
	/** With main_lcore_apart: the main lcore's CPU id, not a worker (np_plan_params.main_lcore). */
	unsigned int main_lcore;

	/** What to do with a port whose node is NP_NODE_UNKNOWN. */
	enum np_unknown_node_policy unknown_policy;
	int unknown_node;                    /**< For NP_UNKNOWN_FIXED_NODE. */
	bool strict;                         /**< A port whose node has no worker is an error. */
	/** Which node each RX queue's mbuf pool is on. */
	enum np_pool_placement pool_placement;
	/** Who transmits (np_plan_params.tx_mode). */
	enum np_tx_mode tx_mode;
	unsigned int ring_size;              /**< Handoff ring slots (power of 2), NP_TX_BY_HANDOFF. */
	unsigned int burst;                  /**< Packets per burst, 1..NP_PIPELINE_MAX_BURST. */
	unsigned int tx_drain_us;            /**< np_pipeline_params.tx_drain_us. */
	unsigned int cache_size;             /**< Per-lcore mempool cache. */
	uint16_t data_room;                  /**< mbuf data room, headroom included. */
	/** mbufs the application holds per port outside the queues (e.g. packets it injects at start). */
	unsigned int held_per_port;

	/**
	 * The stages the pipeline will run (names registered with
	 * np_stage_register()): their per-lcore contexts count in the
	 * hugepage check. NULL/0 if not known yet.
	 */
	const char *const *stages;
	/** Entries in stages[]. */
	unsigned int n_stages;

	/** Record per-packet latency (np_pipeline_params.latency). */
	bool latency;
	/** Per-node executors' ring size (np_pipeline_params.exec_ring_size); 0: none. */
	unsigned int exec_ring_size;
	/**
	 * One flow table per node with workers, from this template (copied;
	 * its name, node and socket are set per node), made on that node by
	 * np_runtime_start() as np_runtime_flow_tables() makes them. Their
	 * memory (np_flow_table_memory()) counts in the hugepage check and in
	 * EAL's memory with no_huge. NULL: none.
	 */
	const struct np_flow_table_params *flow_tables;

	/** EAL on anonymous memory (--no-huge): no hugepages, no NUMA placement. */
	bool no_huge;
	/** Extra EAL arguments (none of those the runtime owns, see np_runtime_eal_arg_owner()). */
	const char *const *eal_args;
	/** Entries in eal_args[], 0..NP_RUNTIME_MAX_EAL_ARGS. */
	unsigned int n_eal_args;

	/** Where to print the pool and hugepage arithmetic and EAL's arguments; NULL: quiet. */
	FILE *verbose;
	/**
	 * Where to print one line per second while the loops run (per port:
	 * rx and tx Mpps, drops, locality, p99); NULL: none.
	 */
	FILE *progress;
};

/**
 * Load (or take) the topology, read each port's expected node and build the
 * plan. Starts nothing.
 *
 * @param params
 *   Everything the bring-up needs. Its strings and arrays are copied; the
 *   topology and the verbose and progress streams are borrowed.
 * @return
 *   A runtime, or NULL with errno, np_last_error() and np_last_error_param()
 *   set: EINVAL (a parameter out of range), ENOENT, EEXIST, ERANGE, ENODEV,
 *   EDOM, EXDEV (the plan's errors, see np_plan_build(), and a port's
 *   expected node, see np_port_node_expect()), the errors of np_topo_load()
 *   when the runtime loads the machine, ENOMEM.
 */
np_runtime *np_runtime_create(const struct np_runtime_params *params);

/**
 * The plan.
 *
 * @param rt
 *   The runtime.
 * @return
 *   The plan (valid while the runtime lives; np_runtime_start() may rebuild
 *   it); NULL for NULL.
 */
const np_plan *np_runtime_plan(const np_runtime *rt);

/**
 * The machine.
 *
 * @param rt
 *   The runtime.
 * @return
 *   The topology (loaded, or np_runtime_params.topo); NULL for NULL.
 */
const np_topo *np_runtime_topo(const np_runtime *rt);

/**
 * Print what the hugepage check would compute, node by node, to @p f (with
 * no_huge: the anonymous memory EAL will take).
 *
 * @param rt
 *   The runtime.
 * @param f
 *   Where to print.
 * @return
 *   0, or -EINVAL (NULL argument), or a negative errno as
 *   np_mempool_check_hugepages().
 */
int np_runtime_print_hugepages(const np_runtime *rt, FILE *f);

/**
 * Bring everything up (see the file comment). On failure everything started
 * so far stays for np_runtime_destroy() to release.
 *
 * @param rt
 *   The runtime.
 * @return
 *   0, or a negative errno with np_last_error() saying what and where:
 *   -EPERM (a described machine: a real run needs this one), -ENOMEM (a node
 *   short of hugepages, with the exact fix; or no_huge memory larger than
 *   the machine's), -ENOENT (hugetlbfs not mounted), -EINVAL (@p rt NULL,
 *   EAL refused its arguments, or ignored some), -EALREADY (started
 *   already), -ENODEV (a port DPDK does not have), the plan's errors when
 *   DPDK's nodes change it (np_plan_build()), np_mempools_create()'s, or
 *   the errno of the failing DPDK call, naming the port.
 */
int np_runtime_start(np_runtime *rt);

/**
 * Create the pipeline of @p stages on the plan's workers.
 *
 * @param rt
 *   The runtime, started.
 * @param stages
 *   Stage names, in order (registered with np_stage_register()).
 * @param n_stages
 *   Entries in @p stages.
 * @return
 *   The pipeline (owned by the runtime), or NULL with errno (as
 *   np_pipeline_create(); EINVAL before np_runtime_start(), EEXIST if one
 *   exists).
 */
np_pipeline *np_runtime_pipeline(np_runtime *rt, const char *const *stages,
				 unsigned int n_stages);

/**
 * The pipeline.
 *
 * @param rt
 *   The runtime.
 * @return
 *   The pipeline, or NULL before np_runtime_pipeline() (and for NULL).
 */
np_pipeline *np_runtime_get_pipeline(const np_runtime *rt);

/**
 * Stop the loops on SIGINT, SIGTERM and SIGHUP (a second signal of the same
 * kind restores the default action). One runtime per process.
 *
 * @param rt
 *   The runtime whose loops the signals stop.
 * @return
 *   0, or -EINVAL (@p rt NULL), -errno from sigaction.
 */
int np_runtime_handle_signals(np_runtime *rt);

/**
 * Ask the loops to return; async-signal-safe.
 *
 * @param rt
 *   The runtime; NULL, or one without a pipeline, is ignored.
 */
void np_runtime_stop_async(np_runtime *rt);

/**
 * The last signal that stopped the loops.
 *
 * @param rt
 *   The runtime.
 * @return
 *   The signal number, or 0 if none (and for NULL).
 */
int np_runtime_stop_signal(const np_runtime *rt);

/**
 * Run the loops for @p seconds (0: until stopped) and wait for them. A
 * signal caught before the call still stops them at once.
 *
 * @param rt
 *   The runtime, with a pipeline.
 * @param seconds
 *   How long; 0 runs until np_runtime_stop_async() or a signal.
 * @return
 *   0, or -EINVAL (no pipeline), the errno of starting the statistics
 *   thread, or a negative errno of np_pipeline_run().
 */
int np_runtime_run(np_runtime *rt, double seconds);

/** One pool at teardown. */
struct np_runtime_pool_check {
	/** The pool's name. */
	char name[32];
	int node;             /**< Planned node. */
	int actual_node;      /**< Where DPDK placed its memory (NP_NODE_UNKNOWN if not known). */
	unsigned int size;    /**< mbufs. */
	unsigned int in_use;  /**< Not back in the pool after the ports closed: 0, or an error. */
};

/** What np_runtime_stop() found. */
struct np_runtime_stop_report {
	struct np_pipeline_drain drain;          /**< In flight at stop. */
	/** Entries in pools[]. */
	unsigned int n_pools;
	/** Each pool, as found after the ports closed. */
	struct np_runtime_pool_check pools[NP_PLAN_MAX_PORTS];
	uint64_t not_back;                       /**< Sum of in_use: 0 unless something leaked. */
};

/**
 * Drain the pipeline, read each port's rte_eth_stats (np_runtime_eth_stats()),
 * stop and close the ports, and check every pool's in-use count.
 *
 * @param rt
 *   The runtime.
 * @param out
 *   Receives the report; may be NULL.
 * @return
 *   0, or -EIO if mbufs are not back in their pool (the report says which
 *   pool and how many), -EBUSY if the loops run, -EALREADY (stopped
 *   already), -EINVAL (@p rt NULL), or the errno of the first port that
 *   failed to stop or close (every port is still closed).
 */
int np_runtime_stop(np_runtime *rt, struct np_runtime_stop_report *out);

/**
 * The statistics DPDK kept for port @p idx, read by np_runtime_stop()
 * (before the port closed), or live if it is still open.
 *
 * @param rt
 *   The runtime.
 * @param idx
 *   The port's index.
 * @param out
 *   Receives the statistics.
 * @return
 *   0, or -EINVAL (NULL, @p idx out of range), -ENODEV (never started), or
 *   the negative errno of rte_eth_stats_get().
 */
int np_runtime_eth_stats(const np_runtime *rt, unsigned int idx, struct rte_eth_stats *out);

/**
 * Release everything in reverse order, ending EAL (np_eal_cleanup()).
 *
 * @param rt
 *   The runtime; NULL is accepted.
 */
void np_runtime_destroy(np_runtime *rt);

/**
 * Start EAL for a program that does so itself (a test, a benchmark; the
 * runtime calls it too): rte_eal_init(), with what np_eal_cleanup() needs to
 * leave nothing behind in /var/run/dpdk.
 *
 * rte_eal_cleanup() leaves EAL's runtime directory (/var/run/dpdk/PREFIX as
 * root), and the telemetry socket in it is removed only at exit, by a
 * handler EAL registers with atexit(): a program run with a --file-prefix of
 * its own (a PID, a test's name) would leave a directory on every run. This
 * registers, before EAL's, an exit handler that removes the directory once
 * the socket is gone (handlers run in reverse order), if np_eal_cleanup()
 * was called and the directory is empty.
 *
 * @param argc
 *   As rte_eal_init().
 * @param argv
 *   As rte_eal_init() (which may permute it).
 * @return
 *   What rte_eal_init() returned: the number of arguments it parsed, or -1
 *   with rte_errno set.
 */
int np_eal_init(int argc, char **argv);

/**
 * End EAL: rte_eal_cleanup(), then remove EAL's runtime directory if that
 * left it empty (else at exit, after EAL's own handler removed the telemetry
 * socket: np_eal_init()). A directory another process of the same prefix
 * still holds files in stays. np_runtime_destroy() calls it; a program that
 * started EAL with np_eal_init() calls it instead of rte_eal_cleanup().
 *
 * @return
 *   What rte_eal_cleanup() returned: 0, or a negative errno (rte_errno set).
 */
int np_eal_cleanup(void);

/**
 * One flow table (np_flow.h) per node with workers, from @p tmpl (capacity,
 * state size, aging; name, node and socket are set per node), each created
 * by a worker lcore of its node, in that node's memory; audited; freed by
 * np_runtime_destroy() after the pipeline (stages unregister their readers
 * in fini). Call after np_runtime_start(), before np_runtime_run().
 * np_runtime_params.flow_tables does this at start, with the tables'
 * memory in the hugepage check; tables made here later were not counted.
 *
 * @param rt
 *   The runtime, started.
 * @param tmpl
 *   The tables' parameters.
 * @return
 *   0, or -EINVAL (NULL argument, or not started), -EBUSY (after a run),
 *   -ERANGE (a worker on a node id above NP_PIPELINE_MAX_NODES - 1), the
 *   errno of launching on the node's lcore, or np_flow_table_create()'s
 *   errno (np_last_error() names the node).
 */
int np_runtime_flow_tables(np_runtime *rt, const struct np_flow_table_params *tmpl);

/**
 * Node @p node's flow table.
 *
 * @param rt
 *   The runtime.
 * @param node
 *   A node id.
 * @return
 *   The table, or NULL (none, or out of range).
 */
np_flow_table *np_runtime_flow_table(const np_runtime *rt, int node);

/**
 * Where are my pages: every object the runtime and its pipeline allocated
 * (pools, rings, each worker's context, counters, TX and handoff buffers,
 * stage contexts, latency histograms, executor rings, flow tables), the node it was meant for, its
 * user's node, and where its memory is now (np_audit.h). Valid until the
 * next call or np_runtime_destroy(). Call before np_runtime_stop() frees
 * nothing, so any time after np_runtime_pipeline().
 *
 * @param rt
 *   The runtime.
 * @return
 *   The audit, or NULL with errno (EINVAL before start, ENOMEM).
 */
const np_audit *np_runtime_audit(np_runtime *rt);

/**
 * The kernel's own witness: each node's numastat counters over the last
 * np_runtime_run() (after minus before).
 *
 * @param rt
 *   The runtime.
 * @return
 *   The delta, or NULL if no run completed or sysfs has no numastat.
 */
const np_numastat *np_runtime_numastat(const np_runtime *rt);

/**
 * The end-of-run report as JSON (docs/stats-json.md: plan, ports with
 * counters, locality and latency, lcores, drops by stage and cause, in
 * flight at stop, pools, the audit, numastat, DPDK's port statistics).
 *
 * @param rt
 *   The runtime, with a pipeline.
 * @param f
 *   Where to write.
 * @param stop
 *   What np_runtime_stop() reported, or NULL (no in-flight and pool part).
 * @return
 *   0, or -errno of the first write that failed, -EINVAL (a NULL argument,
 *   no pipeline).
 */
int np_runtime_write_json(np_runtime *rt, FILE *f, const struct np_runtime_stop_report *stop);

/**
 * The same figures as a Prometheus text exposition in @p path, written to
 * PATH.tmp.PID and renamed into place (node-exporter textfile collector).
 *
 * @param rt
 *   The runtime, with a pipeline.
 * @param path
 *   The file to write (a name ending in .prom for the collector).
 * @param stop
 *   What np_runtime_stop() reported, or NULL.
 * @return
 *   0, or -errno (the file, a write, the rename), -EINVAL (a NULL argument,
 *   no pipeline).
 */
int np_runtime_write_prom(np_runtime *rt, const char *path,
			  const struct np_runtime_stop_report *stop);

/**
 * Number of ports.
 *
 * @param rt
 *   The runtime.
 * @return
 *   np_runtime_params.n_ports; 0 for NULL.
 */
unsigned int np_runtime_port_count(const np_runtime *rt);

/**
 * Port @p idx while it is started (np_port.h: link...).
 *
 * @param rt
 *   The runtime.
 * @param idx
 *   The port's index.
 * @return
 *   The port, or NULL (before start, after stop, out of range).
 */
np_port *np_runtime_port(const np_runtime *rt, unsigned int idx);

/**
 * What port @p idx was when it started (device, driver, node and how it
 * was decided, queues, MAC), kept until np_runtime_destroy() for reports.
 *
 * @param rt
 *   The runtime.
 * @param idx
 *   The port's index.
 * @param out
 *   Receives the description.
 * @return
 *   0, or -EINVAL (NULL, @p idx out of range), -ENODEV (never started).
 */
int np_runtime_port_info(const np_runtime *rt, unsigned int idx, struct np_port_info *out);

/**
 * The DPDK port id of port @p idx.
 *
 * @param rt
 *   The runtime.
 * @param idx
 *   The port's index.
 * @return
 *   The id, or -ENODEV before np_runtime_start() found the port, -EINVAL
 *   (NULL, @p idx out of range).
 */
int np_runtime_port_id(const np_runtime *rt, unsigned int idx);

/**
 * The pools and rings (np_mempool.h).
 *
 * @param rt
 *   The runtime.
 * @return
 *   The set, or NULL before np_runtime_start() (and for NULL).
 */
const np_mempools *np_runtime_pools(const np_runtime *rt);

/**
 * The mbuf pool RX queue @p queue of port @p port fills from.
 *
 * @param rt
 *   The runtime, started.
 * @param port
 *   The port's index.
 * @param queue
 *   The RX queue id.
 * @return
 *   The pool, or NULL with errno (ENOENT: no such queue; EINVAL: NULL,
 *   not started, @p port out of range).
 */
struct rte_mempool *np_runtime_rxq_pool(const np_runtime *rt, unsigned int port, uint16_t queue);

/**
 * The DPDK socket id to allocate memory meant for @p node with (as
 * np_mempools_socket(): with no_huge, the one socket that has memory).
 *
 * @param rt
 *   The runtime, started.
 * @param node
 *   A node id, >= 0.
 * @return
 *   A socket id, or -EINVAL (NULL, not started, negative node).
 */
int np_runtime_socket(const np_runtime *rt, int node);

/**
 * Whether EAL runs without hugepages.
 *
 * @param rt
 *   The runtime.
 * @return
 *   np_runtime_params.no_huge; false for NULL.
 */
bool np_runtime_no_huge(const np_runtime *rt);

/**
 * Whether an EAL argument is one the runtime owns or cannot allow, so it
 * must not come in np_runtime_params.eal_args. Long options are matched
 * the way EAL's getopt matches them, abbreviations included ("--vde=x" is
 * --vdev), and clustered short options letter by letter.
 *
 * @param arg
 *   One EAL argument, as it would appear in argv.
 * @return
 *   NULL if the argument may go to EAL; else the parameter that owns it
 *   ("workers", "ports", "no_huge") or, for arguments numaperf cannot run
 *   with ("--proc-type", "--help"), a sentence saying why.
 */
const char *np_runtime_eal_arg_owner(const char *arg);

#ifdef __cplusplus
}
#endif

#endif /* NP_RUNTIME_H */
