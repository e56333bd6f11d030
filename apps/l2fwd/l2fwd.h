/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * numaperf-l2fwd internals: the run's state, built from the configuration
 * and the plan by l2fwd_setup.c, read by the lcore loops (l2fwd_worker.h,
 * l2fwd_loop.c) and by the report (l2fwd_report.c).
 */
#ifndef L2FWD_H
#define L2FWD_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_lcore.h>
#include <rte_ring.h>

#include "np_config.h"
#include "np_mempool.h"
#include "np_plan.h"
#include "np_port.h"
#include "np_topo.h"

/* RX queues one lcore may poll. */
#define L2FWD_MAX_RXQ 64

/*
 * Per-lcore, per-port counters, from one X-macro list so the enum and the
 * names cannot drift (STYLE.md). Plain uint64_t written by one lcore only,
 * summed by the main lcore after the loops stop. Latency histograms (a later
 * issue) go into struct l2fwd_stats next to these, per lcore as well.
 */
#define L2FWD_COUNTERS(X) \
	X(RX, "rx", "packets received on the port") \
	X(TX, "tx", "packets the port accepted for sending") \
	X(DROP_TX, "drop_tx", "packets for the port its TX queue refused (freed, counted)") \
	X(DROP_RING, "drop_ring", "packets for the port a full handoff ring refused (congestion)")

enum l2fwd_counter {
#define X(e, name, doc) L2FWD_##e,
	L2FWD_COUNTERS(X)
#undef X
	L2FWD_N_COUNTERS
};

extern const char *const l2fwd_counter_names[L2FWD_N_COUNTERS];

/* One lcore's counters: one cache line block per lcore, nothing shared. */
struct l2fwd_stats {
	uint64_t port[NP_CONFIG_MAX_PORTS][L2FWD_N_COUNTERS];
} __rte_cache_aligned;

_Static_assert(sizeof(struct l2fwd_stats) % RTE_CACHE_LINE_SIZE == 0,
	       "per-lcore counters must not share a cache line");

/* One RX queue an lcore polls, with where its packets go. */
struct l2fwd_rxq {
	uint16_t port_id;      /* DPDK port */
	uint16_t queue;
	uint16_t dst_port_id;  /* the peer port */
	uint16_t dst_txq;      /* this lcore's TX queue on it (io mode) */
	uint8_t port;          /* config index of port_id, for counters */
	uint8_t dst;           /* config index of dst_port_id */
	struct rte_ring *dst_ring; /* handoff ring of the peer's polling node */
};

/* What one lcore does; written before launch, read-only in the loop. */
struct l2fwd_lcore {
	unsigned int lcore;
	int node;
	unsigned int n_rxq;
	struct l2fwd_rxq rxq[L2FWD_MAX_RXQ];
	struct rte_ring *drain;              /* handoff: its node's ring, or NULL */
	int16_t txq[RTE_MAX_ETHPORTS];       /* handoff: its TX queue per port id, -1 none */
	uint8_t index_of[RTE_MAX_ETHPORTS];  /* config index of a port id */
} __rte_cache_aligned;

/* The command line. */
struct l2fwd_args {
	const char *config;
	bool dry_run;
	bool verbose;
	const char *overrides[64];
	unsigned int n_overrides;
	char *override_buf[64];     /* strings built for shortcuts, freed at exit */
	unsigned int n_override_buf;
	char **eal_extra;           /* after "--" */
	int n_eal_extra;
};

/* The whole run. */
struct l2fwd {
	struct l2fwd_args args;
	np_topo *topo;
	struct np_config *cfg;
	np_plan *plan;
	struct np_port_node nodes[NP_CONFIG_MAX_PORTS];  /* as read for the plan */
	uint16_t port_ids[NP_CONFIG_MAX_PORTS];
	uint16_t nb_rxd[NP_CONFIG_MAX_PORTS], nb_txd[NP_CONFIG_MAX_PORTS];
	np_mempools *pools;
	np_port *ports[NP_CONFIG_MAX_PORTS];
	struct rte_ether_addr mac[RTE_MAX_ETHPORTS];     /* by port id */
	struct l2fwd_lcore *lcores[RTE_MAX_LCORE];       /* by lcore id, NULL if idle */
	struct l2fwd_stats *stats[RTE_MAX_LCORE];        /* by lcore id, on its node */
	char **eal_argv;
	int eal_argc;
	bool eal_up;
	uint64_t seeded[NP_CONFIG_MAX_PORTS];
	double seconds;
};

extern volatile bool l2fwd_quit;

/* l2fwd_setup.c */
int l2fwd_parse_args(struct l2fwd *app, int argc, char **argv);
int l2fwd_load(struct l2fwd *app);
int l2fwd_plan(struct l2fwd *app);
int l2fwd_start_eal(struct l2fwd *app);
int l2fwd_start_ports(struct l2fwd *app);
int l2fwd_seed(struct l2fwd *app);
void l2fwd_cleanup(struct l2fwd *app);
void l2fwd_usage(FILE *f);

/* l2fwd_loop.c */
int l2fwd_lcore_main(void *arg);

/* l2fwd_report.c */
void l2fwd_report(const struct l2fwd *app, FILE *f);

#endif /* L2FWD_H */
