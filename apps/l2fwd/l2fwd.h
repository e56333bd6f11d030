/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * numaperf-l2fwd: an l2fwd-style forwarder written on the numaperf runtime.
 * Everything an application needs is here: its command line (l2fwd_args.c),
 * its one stage (l2fwd_stage.c), its report (l2fwd_report.c) and a main that
 * calls the bring-up (main.c). Copy this folder to start a new app.
 */
#ifndef L2FWD_H
#define L2FWD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ether.h>

#include "np_config.h"
#include "np_flow.h"
#include "np_flow_key.h"
#include "np_runtime.h"

/* The command line. */
struct l2fwd_args {
	const char *config;
	bool dry_run;
	bool verbose;
	bool quiet;
	bool audit;
	const char *stats_json;     /* --stats-json FILE */
	const char *prom;           /* --prom FILE */
	const char *overrides[64];
	unsigned int n_overrides;
	char *override_buf[64];     /* strings built for shortcuts, freed at exit */
	unsigned int n_override_buf;
	char **eal_extra;           /* after "--" */
	int n_eal_extra;
};

/*
 * What the MAC stage rewrites, per input port (the packet leaves on that
 * port's peer): filled by main() once the ports are up, copied by each
 * lcore's stage context onto the lcore's node.
 */
struct l2fwd_mac_table {
	enum np_config_mac mode;
	unsigned int n_ports;
	struct rte_ether_addr src[NP_CONFIG_MAX_PORTS];  /* the peer's own MAC */
	struct rte_ether_addr dst[NP_CONFIG_MAX_PORTS];  /* 02:00:00:00:00:<peer port id> */
};

/* --flows: the stateful forwarder's parameters (l2fwd_flow.c), copied by each stage. */
struct l2fwd_flow_params {
	uint32_t n_flows;            /* flows the generator draws from */
	double zipf;                 /* 0: uniform; else Zipf's exponent */
	uint64_t seed;
	np_flow_home_fn home_fn;     /* np_flow_home_symmetric or np_flow_home_ingress */
	int nodes[NP_PIPELINE_MAX_NODES];  /* nodes with tables */
	unsigned int n_nodes;
	int port_node[NP_CONFIG_MAX_PORTS];
	np_flow_table *tables[NP_PIPELINE_MAX_NODES];
};

/* What the flow-count stage checked, over every worker. */
struct l2fwd_flow_checks {
	uint64_t migrated;       /* packets handled on their flow's node after crossing */
	uint64_t crossed_twice;  /* crossed more than once: a bug */
	uint64_t wrong_home;     /* counted on another node than their flow's: a bug */
	uint64_t no_state;       /* the table was full */
};

/* The whole run. */
struct l2fwd {
	struct l2fwd_args args;
	np_topo *topo;
	struct np_config *cfg;
	struct np_config_runtime rtp;     /* the runtime's parameters, from cfg */
	unsigned int n_file_eal_args;     /* how many of rtp's eal_args came from [eal] args */
	np_runtime *rt;
	np_pipeline *pl;
	struct l2fwd_mac_table macs;
	struct l2fwd_flow_params flow;
	struct np_flow_table_params flow_tables; /* [flows]: the runtime makes one per node */
	uint64_t seeded[NP_CONFIG_MAX_PORTS];
	struct np_runtime_stop_report stop;
	int stop_status;                  /* np_runtime_stop()'s return */
	char stop_error[512];             /* and its message */
};

/* The stages' names (l2fwd_stage.c and l2fwd_flow.c register them). */
#define L2FWD_STAGE "l2fwd-mac"
#define L2FWD_FLOW_GEN "flow-gen"
#define L2FWD_FLOW_STEER "flow-steer"
#define L2FWD_FLOW_COUNT "flow-count"
/* Index of flow-count in the --flows pipeline. */
#define L2FWD_FLOW_COUNT_STAGE 2
/* A flow silent this long expires; the flow tables' clock is milliseconds. */
#define L2FWD_FLOW_IDLE_MS 2000

/* l2fwd_args.c: 0 go on, 1 --help (exit 0), -1 usage error (exit 2). */
int l2fwd_parse_args(struct l2fwd_args *a, int argc, char **argv);
void l2fwd_args_free(struct l2fwd_args *a);

/* l2fwd_stage.c */
void l2fwd_stage_set_table(const struct l2fwd_mac_table *t);

/* l2fwd_flow.c */
void l2fwd_flow_set_params(const struct l2fwd_flow_params *p);
void l2fwd_flow_checks(np_pipeline *pl, unsigned int stage, struct l2fwd_flow_checks *out);

/* l2fwd_report.c: -EIO if writing failed. */
int l2fwd_report(const struct l2fwd *app, FILE *f);

#endif /* L2FWD_H */
