/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The run-to-completion pipeline: what every worker lcore runs.
 *
 * Each worker lcore loops until stopped:
 *   1. RX: one burst from each RX queue the plan gave it (np_plan_rxq), the
 *      packets' arrival time stamped in their np_pkt_meta;
 *   2. the application's stages, in order, on that burst. A stage gives
 *      each packet a verdict (np_pipeline_worker.h): go on to the next stage
 *      (the default), leave on port P, go to node N's executor, or drop with
 *      a cause. After the last stage a packet still marked "next" leaves on
 *      the peer of the port it came in on (the plan's np_plan_port.peer);
 *   3. TX: packets for a port go into the lcore's TX buffer of that port
 *      (the lcore's own TX queue, from the plan); a buffer is sent when it
 *      holds a full burst and at the end of each loop iteration, or, with
 *      np_pipeline_params.tx_drain_us, when it is that old (DPDK l2fwd's
 *      rte_eth_tx_buffer + 100 us drain). What a TX queue refuses is freed
 *      and counted (NP_DROP_TX_REFUSED), never lost silently;
 *   4. with NP_TX_BY_HANDOFF (the plan's tx_mode), packets for a port go
 *      through the handoff ring of the node that polls the port, and every
 *      worker drains its own node's ring into its TX buffers (batched: one
 *      enqueue per destination ring per loop iteration, what a full ring
 *      refuses counted as NP_DROP_HANDOFF_FULL).
 *
 * Stages are registered by name (np_stage_register(), or NP_STAGE_REGISTER
 * at load time, as rte_graph's RTE_NODE_REGISTER) with a burst callback and
 * a per-lcore context that the pipeline allocates on the lcore's node. The
 * pipeline keeps, per lcore and cache-aligned on its node, plain counters:
 * per port (NP_PORT_COUNTERS), per lcore (NP_LCORE_COUNTERS) and drops per
 * stage and cause (NP_DROP_CAUSES); readers sum them over the lcores.
 *
 * Stop: np_pipeline_stop() (async-signal-safe: it stores a sig_atomic_t the
 * loops read), or the duration given to np_pipeline_run(). After the loops
 * return, np_pipeline_drain() frees whatever is still in TX buffers, handoff
 * rings and the devices' RX rings, and counts it "in flight at stop".
 *
 * What the pipeline does not do: start EAL, open ports or create pools and
 * rings (drivers-glue/runtime does, and hands them over as np_pipeline_params).
 * Every hot-path read is of memory on the worker's own node: the per-lcore
 * context holds copies of everything the loop needs.
 */
#ifndef NP_PIPELINE_H
#define NP_PIPELINE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ring.h>

#include "np_common.h"
#include "np_flow_key.h"
#include "np_plan.h"
#include "np_topo.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque pipeline handle. */
typedef struct np_pipeline np_pipeline;

/** Largest burst (packets per RX burst and per TX buffer flush). */
#define NP_PIPELINE_MAX_BURST 256
/** Largest number of stages in one pipeline. */
#define NP_PIPELINE_MAX_STAGES 16
/** Largest number of RX queues one lcore polls. */
#define NP_PIPELINE_MAX_RXQ 64
/** Largest number of mbuf pools whose packets the locality counters tell apart. */
#define NP_PIPELINE_MAX_POOLS 16
/** Node ids the node-pair counters and the executors tell apart: 0..15. */
#define NP_PIPELINE_MAX_NODES 16

/**
 * Why a packet was dropped: one X-macro list (enum value, name, meaning),
 * so the enum, the names in reports and telemetry, and their documentation
 * never drift. Every drop is counted per stage and cause.
 */
#define NP_DROP_CAUSES(X) \
	X(FILTERED, "filtered", "a stage dropped the packet on purpose") \
	X(MALFORMED, "malformed", "a stage found the packet malformed") \
	X(NO_ROUTE, "no_route", "no port to send on: the port's peer is 'any' and no stage chose one, or the port has no TX queue for this lcore") \
	X(BAD_VERDICT, "bad_verdict", "a stage gave a verdict naming a port that does not exist") \
	X(NO_EXECUTOR, "no_executor", "a verdict to a node's executor, and the pipeline has no executor for that node") \
	X(TX_REFUSED, "tx_refused", "the port's TX queue was full: freed") \
	X(HANDOFF_FULL, "handoff_full", "the handoff ring of the port's polling node was full: freed (congestion)") \
	X(EXEC_FULL, "exec_full", "the destination node's executor ring was full: freed (congestion, counted by node pair)")

/**
 * Drop causes: NP_DROP_CAUSES, then the flow key's (NP_FLOW_PARSE_RESULTS
 * in np_flow_key.h, from NP_DROP_FLOW_FIRST on: np_drop_flow_cause()), so a
 * stage that extracts flow keys drops a malformed frame under its own cause.
 */
enum np_drop_cause {
#define NP__X(e, name, doc) NP_DROP_##e,
	NP_DROP_CAUSES(NP__X)
#undef NP__X
	NP_DROP_FLOW_FIRST,
	NP_DROP_N = NP_DROP_FLOW_FIRST + NP_FLOW_PARSE_COUNT
};

/**
 * The drop cause of a flow key extraction's outcome (np_flow_key.h).
 *
 * @param r
 *   An outcome of np_flow_key_extract() other than NP_FLOW_PARSE_OK.
 * @return
 *   NP_DROP_FLOW_FIRST + r.
 */
static inline enum np_drop_cause
np_drop_flow_cause(enum np_flow_parse r)
{
	return (enum np_drop_cause)(NP_DROP_FLOW_FIRST + (unsigned int)r);
}

/**
 * Per-port counters, per lcore (the lcore that received or sent). "Port"
 * is the port's index in the plan.
 */
#define NP_PORT_COUNTERS(X) \
	X(RX, "rx", "packets received on the port") \
	X(TX, "tx", "packets the port's TX queue accepted") \
	X(TX_REFUSED, "tx_refused", "packets for the port its TX queue refused (freed, counted as a drop)") \
	X(HANDOFF_OUT, "handoff_out", "packets for the port handed to the ring of its polling node") \
	X(HANDOFF_IN, "handoff_in", "packets for the port taken from this node's handoff ring") \
	X(DROPPED, "dropped", "packets received on the port and dropped, whatever the cause")

/** Per-port counters (NP_PORT_COUNTERS). */
enum np_port_counter {
#define NP__X(e, name, doc) NP_PORT_##e,
	NP_PORT_COUNTERS(NP__X)
#undef NP__X
	NP_PORT_N
};

/** Per-lcore counters of the loop itself. */
#define NP_LCORE_COUNTERS(X) \
	X(LOOPS, "loops", "loop iterations") \
	X(IDLE_LOOPS, "idle_loops", "loop iterations that received nothing") \
	X(TX_BURSTS, "tx_bursts", "rte_eth_tx_burst calls") \
	X(EXEC_IN, "exec_in", "packets this lcore took from its node's executor and ran through the rest of the stages") \
	X(STOP_FREED, "stop_freed", "packets this lcore's TX buffers held at stop (freed by the drain)")

/** Per-lcore counters (NP_LCORE_COUNTERS). */
enum np_lcore_counter {
#define NP__X(e, name, doc) NP_LCORE_##e,
	NP_LCORE_COUNTERS(NP__X)
#undef NP__X
	NP_LCORE_N
};

/**
 * The name of a drop cause, as reports and telemetry write it.
 *
 * @param c
 *   The cause.
 * @return
 *   "tx_refused"..., the flow key's outcome names from NP_DROP_FLOW_FIRST
 *   on (np_flow_parse_name()); NULL if out of range.
 */
const char *np_drop_cause_name(enum np_drop_cause c);
/**
 * One sentence saying what a drop cause means.
 *
 * @param c
 *   The cause.
 * @return
 *   The sentence (np_flow_parse_doc() from NP_DROP_FLOW_FIRST on); NULL if
 *   out of range.
 */
const char *np_drop_cause_doc(enum np_drop_cause c);
/**
 * The name of a port counter.
 *
 * @param c
 *   The counter.
 * @return
 *   "rx", "tx"...; NULL if out of range.
 */
const char *np_port_counter_name(enum np_port_counter c);
/**
 * The name of a loop counter.
 *
 * @param c
 *   The counter.
 * @return
 *   "loops", "idle_loops"...; NULL if out of range.
 */
const char *np_lcore_counter_name(enum np_lcore_counter c);

struct np_burst;

/** Where a stage's per-lcore context lives, given to its init callback. */
struct np_stage_lcore {
	unsigned int lcore;   /**< The worker lcore. */
	int node;             /**< Its node. */
	int socket;           /**< The DPDK socket its memory was asked on. */
	unsigned int stage;   /**< The stage's position in the pipeline. */
};

/**
 * A stage: a name, a burst callback and an optional per-lcore context.
 * Looks like an rte_node (DPDK lib/graph): the pipeline calls process() on
 * each burst, the stage sets verdicts (np_pipeline_worker.h), the pipeline
 * keeps the counters.
 */
struct np_stage {
	/** Unique name, e.g. "l2fwd-mac"; at most 31 characters. */
	const char *name;
	/**
	 * Process a burst: b->pkts[0..b->n) arrive with verdict "next"; set
	 * the verdict of each packet that should not go on. Must not free a
	 * packet (give it NP_VERDICT_DROP instead) nor change b->n.
	 */
	void (*process)(void *ctx, struct np_burst *b);
	/** Bytes of per-lcore context, zeroed and on the lcore's node; 0 for none. */
	size_t ctx_size;
	/** Optional: fill a context before the loops start. 0, or a negative errno to refuse. */
	int (*init)(void *ctx, const struct np_stage_lcore *where, void *arg);
	/** Optional: release what init took (the context memory itself is the pipeline's). */
	void (*fini)(void *ctx, void *arg);
	/**
	 * Optional: called once per loop iteration on every worker, with the
	 * iteration's TSC, for bounded background work (a slice of flow-table
	 * aging, an RCU quiescent state). Must not block or run long: it is on
	 * the hot loop.
	 */
	void (*tick)(void *ctx, uint64_t now);
	/** Given to init and fini. */
	void *arg;
	/**
	 * Set if process() reads np_burst.now: the loops then read the TSC on
	 * every iteration. Left false (and with no tick and no latency
	 * recording), np_burst.now is 0 and the loops read the TSC
	 * once per 64 iterations, for their deadline: a TSC read per iteration
	 * cost 0.2 ns of a 13 ns packet on a net_null pair
	 * (scripts/bench-forward.sh), the pipeline's own work being 1.3 ns.
	 */
	bool uses_now;
};

/**
 * Register a stage by name (copied). Stages are looked up by name when a
 * pipeline is created.
 *
 * @param stage
 *   The stage; copied, so it may be freed afterwards.
 * @return
 *   0, or -EINVAL (NULL, no name or process, name too long), -EEXIST (a
 *   stage of that name exists), -ENOSPC (too many stages).
 */
int np_stage_register(const struct np_stage *stage);

/**
 * Register a stage when the program loads (a constructor), like
 * RTE_NODE_REGISTER: `NP_STAGE_REGISTER(my_stage);` after the definition of
 * `static struct np_stage my_stage = {...}`. A registration failure is
 * reported when a pipeline names the stage.
 */
#define NP_STAGE_REGISTER(s) \
	static void __attribute__((constructor, used)) np__stage_register_##s(void) \
	{ \
		(void)np_stage_register(&(s)); \
	}

/** Everything a pipeline needs besides the plan. */
struct np_pipeline_params {
	/** The plan: lcores, RX queues, TX queues, rings. Must outlive the pipeline. */
	const np_plan *plan;
	/** DPDK port id of each plan port (np_plan_port_count() entries). */
	const uint16_t *port_ids;
	/**
	 * Handoff ring of each node the plan has a ring on (NP_TX_BY_HANDOFF),
	 * indexed like np_plan_ring(); NULL when the plan has no rings.
	 */
	struct rte_ring *const *rings;
	/** Stage names, in order: 1..NP_PIPELINE_MAX_STAGES. */
	const char *const *stages;
	/** Entries in stages[]. */
	unsigned int n_stages;
	/** Packets per RX burst, 1..NP_PIPELINE_MAX_BURST. */
	unsigned int burst;
	/**
	 * 0 (default): TX buffers are sent at the end of every loop iteration
	 * (latency first). N > 0: a partly filled buffer waits up to N us for
	 * more packets (DPDK l2fwd's BURST_TX_DRAIN_US = 100; throughput first),
	 * counted from the end of the loop iteration that put its first packet
	 * in. The timer reads the TSC only while a buffer holds packets: a busy
	 * loop whose bursts leave whole reads no clock for it.
	 */
	unsigned int tx_drain_us;
	/**
	 * The DPDK socket id for every allocation, or -1 (default) to use each
	 * lcore's memory node. EAL --no-huge has memory on one socket only.
	 */
	int socket_override;
	/**
	 * The plan's mbuf pools (np_plan_pool() order), so the locality
	 * counters know the node of the pool each received mbuf came from.
	 * NULL/0: every mbuf counts as from an unknown pool.
	 */
	struct rte_mempool *const *pools;
	/** Entries in pools[], 0..NP_PIPELINE_MAX_POOLS. */
	unsigned int n_pools;
	/**
	 * Record latency: a TSC stamp at RX in each packet's np_pkt_meta,
	 * recorded into a per-lcore, per-port histogram when the packet leaves
	 * (TX, or a drop). Off: no stamp, no histogram touched.
	 */
	bool latency;
	/** The machine; may be NULL. */
	const np_topo *topo;
	/**
	 * Per-node executors (framework/exec) for NP_VERDICT_NODE: the capacity
	 * of each worker node's mbuf ring, on that node. 0: none, and a packet
	 * given NP_VERDICT_NODE is dropped as no_executor. A packet handed to
	 * node N continues at the next stage on one of N's workers, which poll
	 * their node's executor once per loop iteration.
	 */
	unsigned int exec_ring_size;
};

/**
 * Create a pipeline: look up the stages, and for every worker lcore of the
 * plan allocate, on the lcore's memory node, its context (RX queue list,
 * port tables, TX buffers, stage contexts, counters), then call each stage's
 * init. Needs EAL.
 *
 * @param params
 *   What to build; read during the call (the plan must outlive the
 *   pipeline).
 * @return
 *   A pipeline, or NULL with errno and np_last_error() set: EINVAL (NULL
 *   argument, a count out of range, a plan lcore that is not an EAL lcore,
 *   a handoff ring of the plan not given), ENOENT (no stage of a given
 *   name), E2BIG (an lcore would poll more than NP_PIPELINE_MAX_RXQ
 *   queues), ERANGE (executors asked and a worker on a node above
 *   NP_PIPELINE_MAX_NODES - 1), ENOMEM (naming the node), the errors of
 *   np_exec_create(), the rte_errno of rte_mbuf_dynfield_register(), or the
 *   error a stage's init returned (naming the stage and lcore).
 */
np_pipeline *np_pipeline_create(const struct np_pipeline_params *params);

/**
 * Bytes np_pipeline_create() will allocate on the memory node of worker
 * @p idx of @p plan (context, counters, TX and handoff buffers, the stages'
 * contexts, with DPDK's per-allocation overhead), for the hugepage check
 * that runs before EAL. Stages not registered yet count as 0 bytes.
 *
 * @param plan
 *   The plan.
 * @param idx
 *   A worker's index in the plan (np_plan_lcore()).
 * @param stages
 *   The stage names the pipeline will have; may be NULL when @p n_stages
 *   is 0.
 * @param n_stages
 *   Entries in @p stages.
 * @return
 *   The bytes, or -EINVAL (@p plan NULL, @p idx out of range, @p stages
 *   NULL with @p n_stages > 0).
 */
int64_t np_pipeline_lcore_bytes(const np_plan *plan, unsigned int idx,
				const char *const *stages, unsigned int n_stages);

/**
 * Free a pipeline: each stage's fini, then every context. Call after the
 * loops returned and np_pipeline_drain().
 *
 * @param pl
 *   The pipeline; NULL is accepted.
 */
void np_pipeline_destroy(np_pipeline *pl);

/**
 * Run the worker loops on every worker lcore (the main lcore too, if it is
 * a worker) until np_pipeline_stop() or for @p seconds, and wait for them.
 *
 * @param pl
 *   The pipeline.
 * @param seconds
 *   0 runs until np_pipeline_stop().
 * @return
 *   0, or -EBUSY (the pipeline is running already, or a worker lcore is
 *   busy: launched elsewhere), -EINVAL (@p pl NULL, @p seconds negative),
 *   -EIO (a worker loop returned an error).
 */
int np_pipeline_run(np_pipeline *pl, double seconds);

/**
 * Ask every loop to return. Async-signal-safe (one store to a
 * volatile sig_atomic_t per worker): call it from a SIGINT/SIGTERM handler.
 *
 * @param pl
 *   The pipeline; NULL is ignored.
 */
void np_pipeline_stop(np_pipeline *pl);

/**
 * Whether a stop was asked.
 *
 * @param pl
 *   The pipeline.
 * @return
 *   True after np_pipeline_stop(); false for NULL.
 */
bool np_pipeline_stopping(const np_pipeline *pl);

/**
 * How long the last run took.
 *
 * @param pl
 *   The pipeline.
 * @return
 *   Seconds the last np_pipeline_run() ran (0 before one, and for NULL).
 */
double np_pipeline_seconds(const np_pipeline *pl);

/** What np_pipeline_drain() found. */
struct np_pipeline_drain {
	uint64_t tx_buffers;   /**< Packets still in lcores' TX buffers. */
	uint64_t handoff;      /**< Packets in handoff buffers and rings. */
	uint64_t rx_rings;     /**< Packets still in the devices' RX queues. */
	uint64_t total;        /**< The sum: "in flight at stop". */
};

/**
 * After the loops returned: free every packet still held by the pipeline
 * (TX buffers, handoff buffers and rings) and still in the RX queues of the
 * plan's ports (received until empty, at most a bounded number of bursts
 * per queue), and count them. Idempotent: a second call finds nothing.
 *
 * @param pl
 *   The pipeline.
 * @param out
 *   Receives what was found; may be NULL.
 * @return
 *   0, or -EBUSY if the loops are running, -EINVAL (@p pl NULL).
 */
int np_pipeline_drain(np_pipeline *pl, struct np_pipeline_drain *out);

/**
 * Number of worker lcores (the plan's).
 *
 * @param pl
 *   The pipeline.
 * @return
 *   The number of workers; 0 for NULL.
 */
unsigned int np_pipeline_lcore_count(const np_pipeline *pl);

/** A worker lcore as the pipeline set it up. */
struct np_pipeline_lcore_info {
	/** The lcore id. */
	unsigned int lcore;
	int node;              /**< The lcore's node. */
	int mem_node;          /**< The node its context was meant for. */
	int socket;            /**< The DPDK socket it was asked on. */
	/** RX queues it polls. */
	unsigned int n_rxq;
	const void *ctx;       /**< Its context (for the placement audit). */
	/** Bytes of the context. */
	size_t ctx_size;
	const void *counters;  /**< Its counter block. */
	/** Bytes of the counter block. */
	size_t counters_size;
	unsigned int n_txbuf;  /**< TX buffers (one per port it may send on). */
};

/**
 * Worker @p idx (the plan's order).
 *
 * @param pl
 *   The pipeline.
 * @param idx
 *   An index in [0, np_pipeline_lcore_count()).
 * @param out
 *   Receives the worker's description.
 * @return
 *   0, or -EINVAL (NULL, @p idx out of range).
 */
int np_pipeline_lcore(const np_pipeline *pl, unsigned int idx, struct np_pipeline_lcore_info *out);

/**
 * The memory of the TX buffer of worker @p idx for port @p port, for the
 * placement audit.
 *
 * @param pl
 *   The pipeline.
 * @param idx
 *   A worker's index.
 * @param port
 *   A port's index in the plan.
 * @param size
 *   Receives the buffer's size in bytes when there is one; may be NULL.
 * @return
 *   The address, or NULL if that lcore has no TX buffer for that port (or
 *   an argument is out of range).
 */
const void *np_pipeline_txbuf(const np_pipeline *pl, unsigned int idx, unsigned int port,
			      size_t *size);

/**
 * The per-lcore context of stage @p stage on worker @p idx.
 *
 * @param pl
 *   The pipeline.
 * @param idx
 *   A worker's index.
 * @param stage
 *   The stage's position.
 * @return
 *   The context, or NULL (no context, or out of range).
 */
void *np_pipeline_stage_ctx(const np_pipeline *pl, unsigned int idx, unsigned int stage);

/**
 * Number of stages.
 *
 * @param pl
 *   The pipeline.
 * @return
 *   The number of stages; 0 for NULL.
 */
unsigned int np_pipeline_stage_count(const np_pipeline *pl);

/**
 * Name of stage @p stage.
 *
 * @param pl
 *   The pipeline.
 * @param stage
 *   The stage's position.
 * @return
 *   Its name; NULL if out of range.
 */
const char *np_pipeline_stage_name(const np_pipeline *pl, unsigned int stage);

/**
 * A port counter summed over every lcore. Readable while the loops run.
 *
 * @param pl
 *   The pipeline.
 * @param port
 *   A port's index in the plan.
 * @param c
 *   The counter.
 * @return
 *   The sum; 0 if out of range.
 */
uint64_t np_pipeline_port_stat(const np_pipeline *pl, unsigned int port, enum np_port_counter c);

/**
 * A port counter of one lcore (by lcore id).
 *
 * @param pl
 *   The pipeline.
 * @param lcore
 *   An lcore id.
 * @param port
 *   A port's index in the plan.
 * @param c
 *   The counter.
 * @return
 *   The value; 0 if that lcore is not a worker or out of range.
 */
uint64_t np_pipeline_lcore_port_stat(const np_pipeline *pl, unsigned int lcore,
				     unsigned int port, enum np_port_counter c);

/**
 * A loop counter of one lcore (by lcore id).
 *
 * @param pl
 *   The pipeline.
 * @param lcore
 *   An lcore id.
 * @param c
 *   The counter.
 * @return
 *   The value; 0 if that lcore is not a worker or out of range.
 */
uint64_t np_pipeline_lcore_stat(const np_pipeline *pl, unsigned int lcore,
				enum np_lcore_counter c);

/**
 * Drops of cause @p c at stage @p stage, summed over the lcores. Stage
 * np_pipeline_stage_count() is the pipeline's own dispatch (TX and handoff).
 *
 * @param pl
 *   The pipeline.
 * @param stage
 *   A stage's position, or np_pipeline_stage_count() for the dispatch.
 * @param c
 *   The cause.
 * @return
 *   The count; 0 if out of range.
 */
uint64_t np_pipeline_drops(const np_pipeline *pl, unsigned int stage, enum np_drop_cause c);

/**
 * Every drop, all stages and causes.
 *
 * @param pl
 *   The pipeline.
 * @return
 *   The count; 0 for NULL.
 */
uint64_t np_pipeline_drops_total(const np_pipeline *pl);

/**
 * Where the packets one worker received on one port came from, as counted
 * at RX: the port's node and the lcore's node are fixed for the pair, the
 * mbuf's pool is told packet by packet: by the mbuf's address when the RX
 * queue's pool is one range of memory (a compare on the burst's pointers,
 * no mbuf read), else, and for any burst with an mbuf outside it, by
 * m->pool.
 */
struct np_pipeline_locality {
	unsigned int lcore;       /**< The worker (lcore id). */
	/** The worker's node. */
	int lcore_node;
	int port_node;            /**< The port's node (the plan's decision). */
	uint64_t pkts;            /**< Received by this lcore on this port. */
	/** Of which the port, the polling lcore and the mbuf's pool are on one node. */
	uint64_t local;
	/** By the pool the mbufs came from: its node, and how many. */
	unsigned int n_pools;
	/**
	 * The first n_pools entries: the plan's pools in np_plan_pool() order,
	 * then one for mbufs from any other pool.
	 */
	struct {
		int node;         /**< The pool's planned node; NP_NODE_UNKNOWN: not a plan's pool. */
		uint64_t pkts;    /**< Packets whose mbuf came from it. */
	} pool[NP_PIPELINE_MAX_POOLS + 1];
};

/**
 * The locality counters of worker @p idx on port @p port.
 *
 * @param pl
 *   The pipeline.
 * @param idx
 *   A worker's index.
 * @param port
 *   A port's index in the plan.
 * @param out
 *   Receives the counters.
 * @return
 *   0, or -EINVAL (NULL, an index out of range).
 */
int np_pipeline_locality(const np_pipeline *pl, unsigned int idx, unsigned int port,
			 struct np_pipeline_locality *out);

/**
 * The share of local packets (port, lcore and pool on one node) received on
 * @p port (-1: every port) by lcore id @p lcore (-1: every worker).
 *
 * @param pl
 *   The pipeline.
 * @param port
 *   A port's index in the plan, or -1.
 * @param lcore
 *   An lcore id, or -1.
 * @param pkts
 *   Receives the number of packets counted; may be NULL.
 * @return
 *   The ratio in [0, 1]; 0 if no packet was counted.
 */
double np_pipeline_locality_ratio(const np_pipeline *pl, int port, int lcore, uint64_t *pkts);

/**
 * One word for a locality ratio, with documented thresholds.
 *
 * @param ratio
 *   A ratio from np_pipeline_locality_ratio().
 * @param pkts
 *   The packets it was computed over.
 * @return
 *   "idle" (no packet counted), "local" (>= 99% local), "mostly-local"
 *   (>= 90%), "remote" (below 90%: a NIC polled from another node, or pools
 *   on the wrong node; the p99 pays for it).
 */
const char *np_locality_health(double ratio, uint64_t pkts);

/** Node pairs the pipeline counts (filled by the executors and flow tables). */
enum np_node_pair_kind {
	NP_PAIR_HANDOFF = 0,    /**< Packets or work handed from the source node's lcores to the destination node's executor. */
	NP_PAIR_FLOW_LOOKUP,    /**< Flow-table lookups by an lcore of the source node in the destination node's table. */
	NP_PAIR_N               /**< Number of kinds. */
};

/**
 * A node-pair counter summed over the workers of node @p src.
 *
 * @param pl
 *   The pipeline.
 * @param kind
 *   What is counted.
 * @param src
 *   The node of the counting workers.
 * @param dst
 *   The destination node, 0..NP_PIPELINE_MAX_NODES - 1.
 * @return
 *   The count; 0 if out of range or not counted.
 */
uint64_t np_pipeline_node_pair(const np_pipeline *pl, enum np_node_pair_kind kind, int src,
			       int dst);

struct np_executor;

/**
 * The per-node executors the pipeline made (np_exec.h: its counters give
 * the congestion drops by (source, destination) node pair).
 *
 * @param pl
 *   The pipeline.
 * @return
 *   The executor set, or NULL (np_pipeline_params.exec_ring_size 0, or
 *   @p pl NULL).
 */
const struct np_executor *np_pipeline_executor(const np_pipeline *pl);

/**
 * Whether latency is recorded (np_pipeline_params.latency).
 *
 * @param pl
 *   The pipeline.
 * @return
 *   True if it is; false for NULL.
 */
bool np_pipeline_latency_enabled(const np_pipeline *pl);

/**
 * Pause or resume latency recording between runs, on a pipeline created
 * with np_pipeline_params.latency (its histograms exist and keep what they
 * hold). Paused, the loops neither stamp nor record, as if created without:
 * what recording costs can be measured in one process, on the same ports
 * and memory, alternating (apps/bench-graph's np-latency engine).
 *
 * @param pl
 *   The pipeline, not running.
 * @param on
 *   Record (true) or not.
 * @return
 *   0, -EINVAL (NULL), -ENOTSUP (created without latency), -EBUSY (its
 *   loops are running).
 */
int np_pipeline_latency_record(np_pipeline *pl, bool on);

/** The window of a latency query. */
enum np_latency_window {
	NP_LATENCY_TOTAL = 0,   /**< Since the pipeline started. */
	NP_LATENCY_INTERVAL,    /**< Between the last two np_pipeline_stats_tick() calls. */
};

/** Latency from RX to leaving (TX or drop), in nanoseconds. */
struct np_latency {
	/** Packets recorded in the window. */
	uint64_t count;
	/** @{ */
	/** Minimum, mean, percentiles (np_hist.h's definition) and maximum. */
	double min, mean, p50, p90, p99, p999, p9999, max;
	/** @} */
	uint64_t saturated;   /**< Values above the histogram's range: percentiles there are lower bounds. */
};

/**
 * Latency percentiles of the packets that came in on @p port (-1: every
 * port) and left from lcore id @p lcore (-1: every worker), merged from
 * the per-lcore, per-port histograms. Readable while the loops run; not
 * concurrently with another query or a tick (one reader thread, or lock).
 * While they run, a worker's last run of packets may be missing: each run
 * is recorded when the next one is timed (or the loop idles, or ends).
 *
 * @param pl
 *   The pipeline.
 * @param port
 *   A port's index in the plan, or -1.
 * @param lcore
 *   An lcore id, or -1.
 * @param w
 *   The window.
 * @param out
 *   Receives the latency.
 * @return
 *   0, or -ENODATA (nothing recorded in that window, or @p lcore is not a
 *   worker), -ENOTSUP (latency is not recorded), -EINVAL (NULL, @p port out
 *   of range).
 */
int np_pipeline_latency(np_pipeline *pl, int port, int lcore, enum np_latency_window w,
			struct np_latency *out);

/**
 * Close an interval: what was recorded since the previous tick becomes the
 * NP_LATENCY_INTERVAL window. Call it from one thread (the runtime's
 * monitor does, once a second).
 *
 * @param pl
 *   The pipeline.
 * @return
 *   0, or -ENOTSUP (latency off), -EINVAL (@p pl NULL).
 */
int np_pipeline_stats_tick(np_pipeline *pl);

/**
 * The latency histogram of worker @p idx for port @p port (for the audit:
 * where its memory is).
 *
 * @param pl
 *   The pipeline.
 * @param idx
 *   A worker's index.
 * @param port
 *   A port's index in the plan.
 * @param size
 *   Receives the histogram's size in bytes; may be NULL.
 * @return
 *   The histogram's memory, or NULL (latency off, out of range).
 */
const void *np_pipeline_hist(const np_pipeline *pl, unsigned int idx, unsigned int port,
			     size_t *size);

#ifdef __cplusplus
}
#endif

#endif /* NP_PIPELINE_H */
