/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pinbench: the pinning-configuration benchmark. The command line
 * (pinbench_args.c), the machine and where each configuration goes
 * (pinbench_place.c: a described machine or --dry-run stops there), each
 * configuration placed, verified and measured in turn (pinbench_mem.c or
 * pinbench_pipeline.c) with a progress line, then the table, --json, --csv
 * and --chart. README.md: what it measures and the exit statuses.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pinbench.h"

/* stdout is the report: a full disk or a closed pipe is an error, not silence. */
static int
finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, PB_PROG ": could not write the report to standard output: %s\n",
			strerror(errno ? errno : EIO));
		return PB_EXIT_OUTPUT;
	}
	return status;
}

/* Write --json or --csv: 0, or -1 with the message printed. */
static int
write_export(const struct pb_run *run, const char *opt, const char *path, int status)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (f == NULL) {
		fprintf(stderr, PB_PROG ": %s %s: cannot create it: %s\n", opt, path,
			strerror(errno));
		return -1;
	}
	ret = strcmp(opt, "--json") == 0 ? pb_write_json(run, status, f) : pb_write_csv(run, f);
	if (fclose(f) != 0 && ret == 0)
		ret = -(errno ? errno : EIO);
	if (ret < 0) {
		fprintf(stderr, PB_PROG ": %s %s: could not write it: %s\n", opt, path,
			strerror(-ret));
		return -1;
	}
	return 0;
}

/* Every selected configuration, in order. 0, or -1 (nothing could start). */
static int
run_all(struct pb_run *run)
{
	uint32_t *order = NULL;
	uint64_t n_cells = run->args.size / 64;
	unsigned int i = 0;

	if (run->args.mode == PB_MODE_MEMORY) {
		order = pb_mem_order(n_cells, run->args.seed);
		if (order == NULL) {
			fprintf(stderr, PB_PROG ": cannot allocate the chase order (%llu MiB): %s\n",
				(unsigned long long)(n_cells * sizeof(uint32_t)) >> 20,
				strerror(errno));
			return -1;
		}
	}
	for (int c = 0; c < PB_N_CONFIGS; c++) {
		const struct pb_place *pl = &run->place[c];
		struct pb_result *r = &run->res[c];

		memset(r, 0, sizeof(*r));
		r->cfg = pl->cfg;
		if (!run->args.configs[c])
			continue;
		pb_progress_start(run, pl, ++i, stdout);
		if (pl->status == PB_ST_NOT_APPLICABLE || pl->status == PB_ST_NOT_SUPPORTED) {
			r->status = pl->status;
			snprintf(r->reason, sizeof(r->reason), "%s", pl->why);
			continue;
		}
		if (run->args.mode == PB_MODE_MEMORY)
			pb_mem_run(run, pl, order, n_cells, r);
		else
			pb_pipeline_run(run, pl, r);
		pb_progress_end(run, r, i, stdout);
	}
	free(order);
	return 0;
}

int
main(int argc, char **argv)
{
	static struct pb_run run;   /* results are large: not on the stack */
	bool failed = false, refused = false, output = false;
	int ret, status;

	/* A closed pipe is a write error to report (exit 4), not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	ret = pb_parse_args(&run.args, argc, argv);
	if (ret != 0)
		return ret > 0 ? finish(PB_EXIT_OK) : PB_EXIT_USAGE;
	/* A closed stdout would be reused by the first file opened: refuse it now. */
	if (fcntl(STDOUT_FILENO, F_GETFD) < 0) {
		fprintf(stderr, PB_PROG ": standard output is closed: nothing to write the report "
			"to\n");
		return PB_EXIT_OUTPUT;
	}
	if (run.args.dry_run && (run.args.json || run.args.csv || run.args.chart)) {
		fprintf(stderr, PB_PROG ": --json, --csv and --chart report measurements; a dry run "
			"(--dry-run, --topology, $NP_TOPOLOGY) measures nothing\n");
		return PB_EXIT_USAGE;
	}
	if (run.args.chart && !pb_chart_available()) {
		fprintf(stderr, PB_PROG ": --chart needs gnuplot, which is not on $PATH: apt-get "
			"install -y gnuplot-nox\n");
		return PB_EXIT_USAGE;
	}
	if (pb_machine_load(&run) < 0) {
		pb_machine_free(&run.m);
		return PB_EXIT_USAGE;
	}
	if (run.args.dry_run && (run.args.json || run.args.csv || run.args.chart)) {
		fprintf(stderr, PB_PROG ": %s is a described machine: a dry run, so --json, --csv "
			"and --chart have nothing to report\n", run.m.source);
		pb_machine_free(&run.m);
		return PB_EXIT_USAGE;
	}
	pb_plan_configs(&run);
	if (run.args.dry_run) {
		ret = pb_dry_run(&run, stdout);
		pb_machine_free(&run.m);
		return finish(ret < 0 ? PB_EXIT_FAILED : PB_EXIT_OK);
	}

	pb_print_header(&run, stdout);
	fflush(stdout);
	if (run_all(&run) < 0) {
		pb_machine_free(&run.m);
		return finish(PB_EXIT_FAILED);
	}
	pb_print_table(&run, stdout);
	for (int c = 0; c < PB_N_CONFIGS; c++) {
		failed = failed || run.res[c].status == PB_ST_FAILED;
		refused = refused || run.res[c].status == PB_ST_REFUSED;
	}
	status = failed ? PB_EXIT_FAILED : refused ? PB_EXIT_REFUSED : PB_EXIT_OK;
	if (refused)
		printf("\nrefused: a configuration's placement was not what its name says; its "
		       "figures are not reported (exit status %d)\n", PB_EXIT_REFUSED);
	if (run.args.json && write_export(&run, "--json", run.args.json, status) < 0)
		output = true;
	if (run.args.csv && write_export(&run, "--csv", run.args.csv, status) < 0)
		output = true;
	if (run.args.chart && pb_chart(&run, run.args.chart) < 0)
		output = true;
	pb_machine_free(&run.m);
	return finish(output ? PB_EXIT_OUTPUT : status);
}
