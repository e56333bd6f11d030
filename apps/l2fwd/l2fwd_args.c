/* SPDX-License-Identifier: BSD-3-Clause */
/* numaperf-l2fwd's command line: options become overrides of the configuration. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l2fwd.h"

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: numaperf-l2fwd --config FILE [options] [-- EAL arguments]\n"
		"  --config FILE         INI configuration (see config/examples/)\n"
		"  --dry-run             print the placement plan and exit, without EAL\n"
		"  --verbose             also print the pool and hugepage arithmetic\n"
		"  --duration S          run S seconds (0: until SIGINT/SIGTERM)\n"
		"  --lcores LIST         workers, e.g. 0-1   ([workers] lcores)\n"
		"  --per-node N          N workers per node  ([workers] per_node)\n"
		"  --main-lcore CPU      EAL's main lcore on CPU, apart from the workers (it only\n"
		"                        waits), or first-worker (default) ([workers] main_lcore)\n"
		"  --unknown-node P      nearest-worker, 'node N' or fail\n"
		"  --strict, --no-strict refuse, or allow, polling a NIC from another node\n"
		"  --mode M              io or handoff      ([pipeline] mode)\n"
		"  --no-huge             run EAL without hugepages ([eal] no_huge)\n"
		"  --set SECTION.KEY=VALUE  override any key of the file\n"
		"  --no-latency          do not record per-packet latency ([pipeline] latency)\n"
		"  --tx-drain-us N       a partly filled TX buffer waits up to N us for more\n"
		"                        packets (default 0: sent every loop; [pipeline] tx_drain_us)\n"
		"  --quiet               no progress line while it runs\n"
		"  --stats-json FILE     the end-of-run report as JSON (docs/stats-json.md)\n"
		"  --prom FILE           the same figures as Prometheus text (textfile collector)\n"
		"  --audit               print where every object's memory is (the audit)\n"
		"  --flows N             the stateful forwarder: N flows, per-node flow tables,\n"
		"                        a packet whose flow lives on another node goes there\n"
		"                        ([flows] count)\n"
		"  --zipf S              flows drawn Zipf-skewed with exponent S (default 0: uniform)\n"
		"  --home H              a flow's node: symmetric (a hash of the 5-tuple over the\n"
		"                        nodes with workers, default) or ingress (its port's node)\n"
		"  --flow-capacity C     entries per node's table (default 4 x N, at least 1024)\n"
		"Options override the file. The topology is this machine's, or the one\n"
		"named by $NP_TOPOLOGY (an hwloc XML file) for a --dry-run elsewhere.\n"
		"Exit status: 0 done, 1 run-time failure (hugepages, EAL, devices, mbufs\n"
		"not back in their pool at the end, a report that could not be written),\n"
		"2 bad command line or configuration.\n");
}

static int
add_override(struct l2fwd_args *a, const char *section_key, const char *value)
{
	char *s;

	if (a->n_overrides >= sizeof(a->overrides) / sizeof(a->overrides[0]) ||
	    a->n_override_buf >= sizeof(a->override_buf) / sizeof(a->override_buf[0])) {
		fprintf(stderr, "numaperf-l2fwd: too many overrides (at most 64)\n");
		return -1;
	}
	if (asprintf(&s, "%s=%s", section_key, value) < 0) {
		fprintf(stderr, "numaperf-l2fwd: no memory\n");
		return -1;
	}
	a->override_buf[a->n_override_buf++] = s;
	a->overrides[a->n_overrides++] = s;
	return 0;
}

/*
 * A whole number in [lo, hi], or -1 with a message naming the option; then
 * the override of @section_key it stands for.
 */
static int
parse_u32(struct l2fwd_args *a, const char *s, const char *opt, uint32_t lo, uint32_t hi,
	  const char *section_key)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || v < lo || v > hi) {
		fprintf(stderr, "numaperf-l2fwd: %s %s: expected a whole number from %u to %u\n",
			opt, s, lo, hi);
		return -1;
	}
	return add_override(a, section_key, s);
}

static int
parse_zipf(struct l2fwd_args *a, const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= 0.0 && v <= 10.0)) {
		fprintf(stderr, "numaperf-l2fwd: --zipf %s: expected an exponent from 0 "
			"(uniform) to 10\n", s);
		return -1;
	}
	return add_override(a, "flows.zipf", s);
}

/* @return 0 to go on, 1 for --help (exit 0), -1 on a usage error (exit 2). */
int
l2fwd_parse_args(struct l2fwd_args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "no-latency", no_argument, NULL, 'L' },
		{ "tx-drain-us", required_argument, NULL, 'D' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "stats-json", required_argument, NULL, 'j' },
		{ "prom", required_argument, NULL, 'P' },
		{ "audit", no_argument, NULL, 'A' },
		{ "flows", required_argument, NULL, 'F' },
		{ "zipf", required_argument, NULL, 'Z' },
		{ "home", required_argument, NULL, 'E' },
		{ "flow-capacity", required_argument, NULL, 'C' },
		{ "duration", required_argument, NULL, 'd' },
		{ "lcores", required_argument, NULL, 'l' },
		{ "per-node", required_argument, NULL, 'p' },
		{ "main-lcore", required_argument, NULL, 'M' },
		{ "unknown-node", required_argument, NULL, 'u' },
		{ "strict", no_argument, NULL, 'S' },
		{ "no-strict", no_argument, NULL, 's' },
		{ "mode", required_argument, NULL, 'm' },
		{ "no-huge", no_argument, NULL, 'H' },
		{ "set", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret = 0;

	opterr = 1;
	while (ret == 0 && (c = getopt_long(argc, argv, "+hv", opts, NULL)) != -1) {
		switch (c) {
		case 'c': a->config = optarg; break;
		case 'n': a->dry_run = true; break;
		case 'v': a->verbose = true; break;
		case 'L': ret = add_override(a, "pipeline.latency", "no"); break;
		case 'D':
			ret = parse_u32(a, optarg, "--tx-drain-us", 0, 1000000, "pipeline.tx_drain_us");
			break;
		case 'q': a->quiet = true; break;
		case 'j': a->stats_json = optarg; break;
		case 'P': a->prom = optarg; break;
		case 'A': a->audit = true; break;
		case 'F': ret = parse_u32(a, optarg, "--flows", 1, 1u << 30, "flows.count"); break;
		case 'Z': ret = parse_zipf(a, optarg); break;
		case 'E':
			if (strcmp(optarg, "symmetric") != 0 && strcmp(optarg, "ingress") != 0) {
				fprintf(stderr, "numaperf-l2fwd: --home %s: expected symmetric or "
					"ingress\n", optarg);
				return -1;
			}
			ret = add_override(a, "flows.home", optarg);
			break;
		case 'C':
			ret = parse_u32(a, optarg, "--flow-capacity", 64, 1u << 30, "flows.capacity");
			break;
		case 'd': ret = add_override(a, "pipeline.duration", optarg); break;
		case 'l': ret = add_override(a, "workers.lcores", optarg); break;
		case 'p': ret = add_override(a, "workers.per_node", optarg); break;
		case 'M': ret = add_override(a, "workers.main_lcore", optarg); break;
		case 'u': ret = add_override(a, "policies.unknown_node", optarg); break;
		case 'S': ret = add_override(a, "policies.strict", "yes"); break;
		case 's': ret = add_override(a, "policies.strict", "no"); break;
		case 'm': ret = add_override(a, "pipeline.mode", optarg); break;
		case 'H': ret = add_override(a, "eal.no_huge", "yes"); break;
		case 'o':
			if (a->n_overrides >= sizeof(a->overrides) / sizeof(a->overrides[0])) {
				fprintf(stderr, "numaperf-l2fwd: too many overrides (at most 64)\n");
				return -1;
			}
			a->overrides[a->n_overrides++] = optarg;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (ret < 0)
		return -1;
	if (a->config == NULL) {
		fprintf(stderr, "numaperf-l2fwd: --config FILE is required (see "
			"config/examples/l2fwd-vdev.ini)\n");
		usage(stderr);
		return -1;
	}
	/* Option parsing stops at the first word that is not one: only "--" may do that. */
	if (optind < argc && strcmp(argv[optind - 1], "--") != 0) {
		fprintf(stderr, "numaperf-l2fwd: unexpected argument '%s': EAL arguments go "
			"after --\n", argv[optind]);
		return -1;
	}
	/* Everything after "--" goes to EAL, minus what the configuration owns. */
	a->eal_extra = argv + optind;
	a->n_eal_extra = argc - optind;
	for (int i = 0; i < a->n_eal_extra; i++) {
		const char *use = np_config_eal_owner(a->eal_extra[i]);

		if (use != NULL && use[0] == '[') {
			fprintf(stderr, "numaperf-l2fwd: EAL argument %s is set by the "
				"configuration: use %s%s\n", a->eal_extra[i], use,
				strcmp(use, "[eal] no_huge") == 0 ? " (or --no-huge)" :
				strcmp(use, "[workers] main_lcore") == 0 ? " (or --main-lcore)" : "");
			return -1;
		}
		if (use != NULL) {
			fprintf(stderr, "numaperf-l2fwd: EAL argument %s: %s\n", a->eal_extra[i],
				use);
			return -1;
		}
	}
	return 0;
}

void
l2fwd_args_free(struct l2fwd_args *a)
{
	for (unsigned int i = 0; i < a->n_override_buf; i++)
		free(a->override_buf[i]);
	a->n_override_buf = 0;
}
