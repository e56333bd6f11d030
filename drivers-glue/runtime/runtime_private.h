/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of the bring-up. */
#ifndef RUNTIME_PRIVATE_H
#define RUNTIME_PRIVATE_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>

#include <rte_dev.h>

#include "np_runtime.h"

#define NP_LOGTYPE np_runtime_logtype
extern int np_runtime_logtype;

/* A port's parameters, copied. */
struct rt_port {
	char pci[32];
	char vdev[512];
	char name[RTE_DEV_NAME_MAX_LEN];  /* the device name DPDK knows it by */
	struct np_runtime_port p;         /* pci/vdev point into the fields above */
	struct np_port_node node;         /* expected, then as DPDK reports it */
	uint16_t rx_desc, tx_desc;        /* fitted to the device */
	uint16_t port_id;
	bool found;                       /* port_id is valid */
	bool vdev_probed;                 /* created with rte_vdev_init() */
	np_port *started;
	struct np_port_info info;         /* kept after the port closes, for reports */
	bool have_info;
	bool have_stats;
	struct rte_eth_stats stats;       /* read at stop */
};

struct np_runtime {
	struct np_runtime_params p;       /* pointers into the copies below */
	struct rt_port ports[NP_RUNTIME_MAX_PORTS];
	unsigned int *cpus;
	int *nodes;
	char **eal_args;
	char **stages;
	char *name;

	np_topo *topo;
	bool own_topo;
	int main_node;
	np_plan *plan;
	uint64_t *lcore_bytes;            /* per plan lcore: context, buffers, stages */

	char **eal_argv;                  /* what EAL was given (freed at destroy) */
	int eal_argc;
	bool eal_up;
	np_mempools *pools;
	np_pipeline *pipeline;
	bool stopped;
	volatile sig_atomic_t stop_signal;

	/* Statistics: one reader at a time (monitor, telemetry, reports). */
	pthread_mutex_t stats_lock;
	pthread_t monitor;
	bool monitor_running;
	volatile bool monitor_stop;
	np_numastat *numastat_before, *numastat_delta;
	np_audit *audit;

	/* Per-node flow tables (np_runtime_flow_tables), by node id. */
	np_flow_table *flow[NP_PIPELINE_MAX_NODES];
	/* The copy of params.flow_tables (p.flow_tables points here, or is NULL). */
	struct np_flow_table_params flow_tmpl;
};

/* runtime_create.c */
int rt_build_plan(np_runtime *rt);
int rt_mempools_opts(const np_runtime *rt, struct np_mempools_opts *mo);

/* runtime_stats.c */
int rt_monitor_start(np_runtime *rt);
void rt_monitor_stop(np_runtime *rt);
void rt_telemetry_register(np_runtime *rt);
void rt_stats_free(np_runtime *rt);

/* runtime_flow.c */
void rt_flow_free(np_runtime *rt);

/* runtime_eal.c */
int rt_start_eal(np_runtime *rt);
/* Each EAL argument an option EAL has, not owned by the runtime, or an option's value. */
int rt_check_eal_args(const char *const *args, unsigned int n);

#endif /* RUNTIME_PRIVATE_H */
