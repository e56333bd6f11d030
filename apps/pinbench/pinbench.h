/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pinbench: the same work measured under five placements of a thread and
 * its memory (local, remote-memory, remote-cpu, unpinned, interleave), each
 * placed by the framework and verified before it is timed. Two workloads:
 * a dependent pointer chase over a large buffer (memory mode,
 * pinbench_mem.c) and numaperf's pipeline on a net_null pair (pipeline
 * mode, pinbench_pipeline.c). README.md beside this file says what it
 * measures, how to read it and the exit statuses.
 *
 * Files: the command line (pinbench_args.c), the machine and where each
 * configuration goes, dry runs included (pinbench_place.c), the two modes,
 * the report, JSON and CSV (pinbench_report.c), the chart (pinbench_chart.c).
 */
#ifndef PINBENCH_H
#define PINBENCH_H

#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "np_hist.h"
#include "np_nodemask.h"
#include "np_numastat.h"
#include "np_region.h"
#include "np_topo.h"

#define PB_PROG "pinbench"

/* Exit statuses (README.md, --help). */
enum {
	PB_EXIT_OK = 0,       /* every applicable configuration ran, verified */
	PB_EXIT_FAILED = 1,   /* a configuration failed for a reason other than placement */
	PB_EXIT_USAGE = 2,    /* bad command line or input: nothing was measured */
	PB_EXIT_REFUSED = 3,  /* a configuration's placement was not what its name says */
	PB_EXIT_OUTPUT = 4,   /* a report, --json, --csv or --chart could not be written */
};

enum pb_mode { PB_MODE_MEMORY = 0, PB_MODE_PIPELINE };

/* The configurations, in report order; names in pb_config_name(). */
enum pb_config {
	PB_LOCAL = 0,         /* memory and thread on X */
	PB_REMOTE_MEMORY,     /* thread on X, memory on Y */
	PB_REMOTE_CPU,        /* memory on X, thread on Y */
	PB_UNPINNED,          /* memory on X, thread where the scheduler puts it */
	PB_INTERLEAVE,        /* memory over every node with memory, thread on X */
	PB_N_CONFIGS
};

/* What became of a configuration. */
enum pb_status {
	PB_ST_NOT_RUN = 0,    /* not selected (--configs) */
	PB_ST_RAN,            /* placed, verified, measured */
	PB_ST_REFUSED,        /* placed, but not as its name says: no figure */
	PB_ST_NOT_APPLICABLE, /* this machine cannot have it (one node...) */
	PB_ST_NOT_SUPPORTED,  /* the pipeline runtime cannot express it */
	PB_ST_FAILED,         /* an error unrelated to placement */
	PB_ST_PLANNED,        /* a dry run: where it would go */
};

/* Largest number of nodes a result lists (pages, numastat). */
#define PB_MAX_NODES 64

/* The command line. */
struct pb_args {
	enum pb_mode mode;
	bool configs[PB_N_CONFIGS];
	int home;                /* --home, or NP_NODE_ANY */
	int away;                /* --away, or NP_NODE_ANY */
	uint64_t size;           /* --size, bytes */
	enum np_page_mode pages; /* --pages */
	uint64_t samples;        /* --samples */
	unsigned int hops;       /* --hops per sample */
	uint64_t seed;           /* --seed */
	double duration;         /* --duration, pipeline mode */
	unsigned int burst;      /* --burst, pipeline mode */
	bool no_huge;            /* --no-huge, pipeline mode */
	bool dry_run;            /* --dry-run, or a described machine */
	const char *topology;    /* --topology FILE or synthetic:DESC */
	const char *json;        /* --json FILE */
	const char *csv;         /* --csv FILE */
	const char *chart;       /* --chart PREFIX */
};

/* The machine and the two nodes the configurations are built from. */
struct pb_machine {
	np_topo *topo;
	bool live;
	char source[256];        /* "live" or the description */
	char host[80];
	char cpu_model[256];
	unsigned int n_nodes;
	unsigned int n_cpus;
	int home;                /* X */
	int away;                /* Y, or NP_NODE_ANY if there is none */
	char home_why[160];      /* how X was chosen */
	char away_why[200];      /* how Y was chosen, or why there is none */
	np_nodemask mem_nodes;   /* every node with memory (interleave) */
	cpu_set_t allowed;       /* this process's affinity at start */
};

/* Where one configuration goes. */
struct pb_place {
	enum pb_config cfg;
	enum pb_status status;   /* PB_ST_NOT_RUN (to do), NOT_APPLICABLE or NOT_SUPPORTED */
	char why[200];           /* the reason of NOT_APPLICABLE / NOT_SUPPORTED */
	int thread_node;         /* NP_NODE_ANY: not pinned */
	int cpu;                 /* the CPU it is pinned to, -1 if not pinned or none allowed */
	enum np_mem_policy policy;   /* NP_MEM_BIND or NP_MEM_INTERLEAVE */
	int mem_node;            /* bind: the node */
	np_nodemask mem_mask;    /* the nodes of the policy */
};

/* One configuration's outcome: plain data, copied back through a pipe from
 * the child of pipeline mode. */
struct pb_result {
	enum pb_config cfg;
	enum pb_status status;
	char reason[640];        /* refused / failed / not applicable: why */
	/* placement */
	int thread_node;         /* NP_NODE_ANY: not pinned */
	int cpu;                 /* pinned CPU, -1 if not pinned */
	char ran_cpus[96];       /* CPUs it was seen on (sched_getcpu) */
	char ran_nodes[64];      /* their nodes */
	enum np_mem_policy policy;
	char mem_nodes[64];      /* the nodes of the policy, "0" or "0-3" */
	int distance;            /* thread node -> memory node, -1 if not one pair */
	uint64_t pages;          /* pages of the buffer (memory mode) */
	size_t page_size;
	unsigned int n_where;
	struct { int node; uint64_t pages; } where[PB_MAX_NODES];
	/* latency, ns (per hop in memory mode, per packet in pipeline mode) */
	bool have_latency;
	uint64_t count;          /* samples or packets */
	double min, mean, p50, p90, p99, p999, max;
	uint64_t saturated;
	double rate;             /* hops per second, or packets per second forwarded */
	double seconds;          /* measured time */
	double tsc_hz;           /* memory mode: the TSC rate measured over the run */
	/* pipeline mode */
	uint64_t rx, tx, drops;
	double locality;
	uint64_t locality_pkts;
	char health[16];
	unsigned int audit_objects, audit_ok, audit_misplaced, audit_remote, audit_unknown;
	char workers[64];        /* "lcore 2 (node 1)" */
	char pools[64];          /* pool nodes, "0" */
	/* numastat over the run */
	bool have_numastat;
	unsigned int n_numastat;
	struct { int node; uint64_t v[NP_NUMASTAT_N_FIELDS]; } numastat[PB_MAX_NODES];
};

/* The whole run. */
struct pb_run {
	struct pb_args args;
	struct pb_machine m;
	struct pb_place place[PB_N_CONFIGS];
	struct pb_result res[PB_N_CONFIGS];
	unsigned int n_selected;
};

/* pinbench_args.c: 0 go on, 1 --help printed (exit 0), -1 bad usage (exit 2). */
int pb_parse_args(struct pb_args *a, int argc, char **argv);
const char *pb_config_name(enum pb_config c);
const char *pb_mode_name(enum pb_mode m);
/* "256 MiB", "4 KiB", "1.5 GiB" */
const char *pb_size_text(uint64_t bytes, char *buf, size_t len);

/* pinbench_place.c */
/* Load the machine, choose X and Y, check --home/--away/--size: 0, or -1
 * with the message printed (exit 2; 3... see the caller). */
int pb_machine_load(struct pb_run *run);
void pb_machine_free(struct pb_machine *m);
/* Fill run->place[]: what each selected configuration asks for. */
void pb_plan_configs(struct pb_run *run);
/* The CPUs of @node, as a list, into buf. */
const char *pb_node_cpus_text(const np_topo *t, int node, char *buf, size_t len);
/* Print where everything would go; measures nothing. 0, or -1. */
int pb_dry_run(struct pb_run *run, FILE *f);
/* The header line of a run. */
void pb_print_header(const struct pb_run *run, FILE *f);

/* pinbench_mem.c: one configuration of memory mode, @order the shared chase order. */
void pb_mem_run(const struct pb_run *run, const struct pb_place *pl, const uint32_t *order,
		uint64_t n_cells, struct pb_result *r);
/* The chase order: a random cyclic order of @n cells, or NULL (errno). */
uint32_t *pb_mem_order(uint64_t n, uint64_t seed);

/* pinbench_pipeline.c: one configuration of pipeline mode, in a child process. */
void pb_pipeline_run(const struct pb_run *run, const struct pb_place *pl, struct pb_result *r);
/* The dry run's plan of a pipeline configuration, printed; 0 or -1. */
int pb_pipeline_dry(const struct pb_run *run, const struct pb_place *pl, FILE *f);

/* pinbench_report.c */
void pb_progress_start(const struct pb_run *run, const struct pb_place *pl, unsigned int i,
		       FILE *f);
void pb_progress_end(const struct pb_run *run, const struct pb_result *r, unsigned int i,
		     FILE *f);
void pb_print_table(const struct pb_run *run, FILE *f);
/* 0, or -errno of the first write that failed. */
int pb_write_json(const struct pb_run *run, int status, FILE *f);
int pb_write_csv(const struct pb_run *run, FILE *f);
/* The numastat delta of @d into @r. */
void pb_result_numastat(struct pb_result *r, const np_numastat *d);
/* Fill @r's latency from a summary in the histogram's unit. */
void pb_result_latency(struct pb_result *r, const struct np_hist_summary *s,
		       uint64_t units_per_second);
/* Status words: "ran", "refused"... */
const char *pb_status_name(enum pb_status s);

/* pinbench_chart.c: PREFIX.png and PREFIX.svg; 0, or -1 with the message printed. */
int pb_chart(const struct pb_run *run, const char *prefix);
/* Whether gnuplot can be run (before anything is measured). */
bool pb_chart_available(void);

/* Write @len bytes to @path, every write checked: 0 or -errno. */
int pb_write_file(const char *path, const void *data, size_t len);

#endif /* PINBENCH_H */
