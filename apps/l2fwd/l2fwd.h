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
#include "np_runtime.h"

/* The command line. */
struct l2fwd_args {
	const char *config;
	bool dry_run;
	bool verbose;
	bool no_latency;
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
	uint64_t seeded[NP_CONFIG_MAX_PORTS];
	struct np_runtime_stop_report stop;
	int stop_status;                  /* np_runtime_stop()'s return */
	char stop_error[512];             /* and its message */
};

/* The stage's name (l2fwd_stage.c registers it). */
#define L2FWD_STAGE "l2fwd-mac"

/* l2fwd_args.c: 0 go on, 1 --help (exit 0), -1 usage error (exit 2). */
int l2fwd_parse_args(struct l2fwd_args *a, int argc, char **argv);
void l2fwd_args_free(struct l2fwd_args *a);

/* l2fwd_stage.c */
void l2fwd_stage_set_table(const struct l2fwd_mac_table *t);

/* l2fwd_report.c: -EIO if writing failed. */
int l2fwd_report(const struct l2fwd *app, FILE *f);

#endif /* L2FWD_H */
