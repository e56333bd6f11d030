/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * numa-doctor: is this box NUMA, and is NUMA my problem?
 * See README.md beside this file for the output, the JSON schema and the
 * exit statuses.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doctor.h"

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: numa-doctor [--json] [--topology FILE|synthetic:DESC]\n"
		"  --json            print one JSON document (schema numaperf/numa-doctor/1)\n"
		"  --topology FILE   analyse a machine described by an hwloc XML file\n"
		"                    (or \"synthetic:pack:2 numa:1 core:2 pu:1\") instead of this one;\n"
		"                    $NP_TOPOLOGY does the same when --topology is absent\n"
		"  -h, --help        this help\n"
		"exit status: 0 nothing needs attention, 1 findings need attention,\n"
		"             2 bad command line, 3 topology could not be loaded,\n"
		"             4 the report could not be written to standard output\n");
}

/*
 * The end of every run that wrote to stdout: flush and close it, checking
 * both (a full disk or a closed pipe shows here, not at the fprintf), and
 * turn a failure of the report's writes (@ret) or of these into exit 4.
 */
static int
finish_stdout(int ret, int status)
{
	if (fflush(stdout) != 0 && ret == 0)
		ret = -(errno ? errno : EIO);
	if (ferror(stdout) && ret == 0)
		ret = -EIO;
	if (fclose(stdout) != 0 && ret == 0)
		ret = -(errno ? errno : EIO);
	if (ret < 0) {
		fprintf(stderr, "numa-doctor: could not write the report to standard output: "
			"%s\n", strerror(-ret));
		return DOCTOR_EXIT_OUTPUT;
	}
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "topology", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *topo_arg = NULL;
	bool json = false;
	struct np_enforcement enf;
	struct doctor_report *rep;
	char *esc;
	np_topo *topo;
	int c, status, ret;

	/*
	 * A closed stdout (numa-doctor >&-) would have its descriptor reused by
	 * the first file opened while loading the topology: refuse it up front.
	 */
	if (fcntl(STDOUT_FILENO, F_GETFD) < 0) {
		fprintf(stderr, "numa-doctor: standard output is closed: nothing to write "
			"the report to; run it with stdout open (a terminal, a file or a pipe)\n");
		return DOCTOR_EXIT_OUTPUT;
	}

	while ((c = getopt_long(argc, argv, "jt:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 't': topo_arg = optarg; break;
		case 'h': usage(stdout); return finish_stdout(0, DOCTOR_EXIT_OK);
		default: usage(stderr); return DOCTOR_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		esc = malloc(4 * strlen(argv[optind]) + 1);
		fprintf(stderr, "numa-doctor: unexpected argument '%s'\n", esc == NULL ? "?" :
			doctor_text_escape(argv[optind], esc, 4 * strlen(argv[optind]) + 1));
		free(esc);
		usage(stderr);
		return DOCTOR_EXIT_USAGE;
	}
	if (topo_arg != NULL && topo_arg[0] == '\0') {
		fprintf(stderr, "numa-doctor: --topology needs a file name\n");
		return DOCTOR_EXIT_USAGE;
	}

	if (topo_arg == NULL)
		topo = np_topo_load();
	else if (strncmp(topo_arg, "synthetic:", 10) == 0)
		topo = np_topo_load_synthetic(topo_arg + 10);
	else
		topo = np_topo_load_xml(topo_arg);
	if (topo == NULL) {
		/* The library escapes the input its messages quote: print it as it is. */
		fprintf(stderr, "numa-doctor: %s\n", np_last_error());
		return DOCTOR_EXIT_TOPOLOGY;
	}

	rep = malloc(sizeof(*rep));
	if (rep == NULL) {
		fprintf(stderr, "numa-doctor: out of memory\n");
		np_topo_destroy(topo);
		return DOCTOR_EXIT_TOPOLOGY;
	}
	np_topo_enforcement(topo, &enf);
	doctor_analyze(topo, &enf, np_topo_source(topo) == NP_TOPO_LIVE, rep);
	if (json)
		ret = doctor_print_json(stdout, topo, &enf, rep);
	else
		ret = doctor_print_text(stdout, topo, &enf, rep);
	status = doctor_exit_status(rep);
	free(rep);
	np_topo_destroy(topo);
	return finish_stdout(ret, status);
}
