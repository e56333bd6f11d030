/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of the placement plan: the tables every query reads. */
#ifndef PLAN_PRIVATE_H
#define PLAN_PRIVATE_H

#include "np_plan.h"

struct plan_port {
	char *name;
	char reason[320];           /* how the node was decided */
	struct np_plan_port_info info;
	bool node_known;            /* the input gave a node */
};

struct plan_worker {
	unsigned int cpu;
	int node;
	int mem_node;
	unsigned int n_rxq;
	unsigned int n_txq;
};

struct np_plan {
	char *topo_name;
	unsigned int n_topo_nodes;

	struct plan_port *ports;
	unsigned int n_ports;

	struct plan_worker *workers;  /* ascending CPU id */
	unsigned int n_workers;
	bool main_apart;              /* EAL's main lcore is not a worker */
	unsigned int main_lcore;      /* its CPU, when main_apart */

	struct np_plan_rxq *rxqs;     /* by port, then queue */
	unsigned int n_rxqs;

	struct np_plan_txq *txqs;     /* by port, then queue */
	unsigned int n_txqs;
	int *txq_of;                  /* [worker * n_ports + port] = queue or -1 */

	struct np_plan_pool *pools;   /* ascending node */
	unsigned int n_pools;

	struct np_plan_ring *rings;   /* ascending node */
	unsigned int n_rings;

	char **warnings;
	unsigned int n_warnings;
	bool warn_failed;             /* a warning could not be stored: ENOMEM */

	/* Copied parameters, for printing and sizing. */
	enum np_tx_mode tx_mode;
	bool tx_everywhere;
	enum np_pool_placement pool_placement;
	unsigned int burst;
	unsigned int cache_size;
};

/*
 * plan_node.c: where a port's node is decided when the device does not say
 * (the unknown-node policy), and the fallbacks for nodes without workers or
 * memory. Each returns a node id or a negative errno (message recorded).
 */
int plan_decide_unknown_node(np_plan *plan, const np_topo *topo,
			     const struct np_plan_params *p, unsigned int port);
int plan_poll_node(np_plan *plan, const np_topo *topo, bool strict,
		   unsigned int port);
int plan_memory_node(const np_topo *topo, int node);
bool plan_node_has_workers(const np_plan *plan, int node);

/* plan_build.c */
int plan_warn(np_plan *plan, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* plan_pool.c: size the per-node pools and lay out the rings. */
int plan_size_pools(np_plan *plan, const np_topo *topo, const struct np_plan_params *p);

#endif /* PLAN_PRIVATE_H */
