/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * numa-doctor's analysis, kept apart from printing so tests can check the
 * verdict for any described machine: the seed's two-question filter.
 *   1. Is this box NUMA?          (more than one node, or a hidden one)
 *   2. Could NUMA be my problem?  (NIC placement, hugepages, balancing...)
 */
#ifndef NP_DOCTOR_H
#define NP_DOCTOR_H

#include <stdbool.h>
#include <stdio.h>

#include "np_topo.h"

/* Exit statuses of numa-doctor (documented in README.md beside this file). */
enum doctor_exit {
	DOCTOR_EXIT_OK = 0,        /* report printed, nothing needs attention */
	DOCTOR_EXIT_ATTENTION = 1, /* report printed, findings need attention */
	DOCTOR_EXIT_USAGE = 2,     /* bad command line */
	DOCTOR_EXIT_TOPOLOGY = 3,  /* the topology could not be loaded */
};

enum doctor_verdict {
	VERDICT_SINGLE_NODE,   /* one node, one package: NUMA is not the bottleneck */
	VERDICT_INTERLEAVED,   /* several packages, one node: BIOS node interleaving */
	VERDICT_NUMA_OK,       /* several nodes, placement looks right */
	VERDICT_NUMA_ATTENTION /* several nodes, something to fix */
};

enum finding_severity { SEV_INFO, SEV_WARNING };

#define DOCTOR_MAX_FINDINGS 64
#define DOCTOR_MAX_STEPS 16

struct finding {
	enum finding_severity severity;
	char code[32];     /* stable machine-readable id, e.g. "nic-node-unknown" */
	char message[320];
};

struct doctor_report {
	enum doctor_verdict verdict;
	bool is_numa;
	unsigned int n_findings;
	struct finding findings[DOCTOR_MAX_FINDINGS];
	unsigned int n_steps;
	char steps[DOCTOR_MAX_STEPS][320]; /* what to try next, in order */
};

/*
 * Analyse topo, with enf describing what the process may enforce (from
 * np_topo_enforcement(), or made up by a test).
 */
void doctor_analyze(const np_topo *topo, const struct np_enforcement *enf,
		    struct doctor_report *rep);

const char *doctor_verdict_code(enum doctor_verdict v);    /* "single-node"... */
const char *doctor_verdict_summary(enum doctor_verdict v); /* one sentence */
int doctor_exit_status(const struct doctor_report *rep);

void doctor_print_text(FILE *f, const np_topo *topo, const struct np_enforcement *enf,
		       const struct doctor_report *rep);
void doctor_print_json(FILE *f, const np_topo *topo, const struct np_enforcement *enf,
		       const struct doctor_report *rep);

#endif /* NP_DOCTOR_H */
