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
	DOCTOR_EXIT_OUTPUT = 4,    /* the report could not be written (stdout closed, full...) */
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
	bool facts_read;   /* the process facts were read from this machine (see doctor_analyze) */
	unsigned int n_findings;
	struct finding findings[DOCTOR_MAX_FINDINGS];
	unsigned int n_steps;
	char steps[DOCTOR_MAX_STEPS][320]; /* what to try next, in order */
};

/*
 * Analyse topo, with enf describing what the process may enforce (from
 * np_topo_enforcement(), or made up by a test). facts_read says whether enf's
 * mounts and NUMA balancing were read from the running machine (a live
 * topology): only then is "no hugetlbfs mounted" a finding; a described
 * machine has no mounts to check.
 */
void doctor_analyze(const np_topo *topo, const struct np_enforcement *enf,
		    bool facts_read, struct doctor_report *rep);

const char *doctor_verdict_code(enum doctor_verdict v);    /* "single-node"... */
const char *doctor_verdict_summary(enum doctor_verdict v); /* one sentence */
int doctor_exit_status(const struct doctor_report *rep);

/*
 * The two reports. Every write is checked; after the first failure nothing
 * more is written. @return 0, or -errno of the first write that failed (the
 * JSON report also flushes @f, where a full disk shows).
 */
int doctor_print_text(FILE *f, const np_topo *topo, const struct np_enforcement *enf,
		      const struct doctor_report *rep);
int doctor_print_json(FILE *f, const np_topo *topo, const struct np_enforcement *enf,
		      const struct doctor_report *rep);

/*
 * @s for a terminal: control bytes and bytes that are not UTF-8 become
 * \xNN, a backslash becomes \\. Writes into @buf (cut, never overrun, when
 * shorter than 4 x strlen(s) + 1) and returns it.
 */
const char *doctor_text_escape(const char *s, char *buf, size_t len);

#endif /* NP_DOCTOR_H */
