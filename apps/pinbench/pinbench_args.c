/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pinbench's command line: every option checked here, with a message that
 * names the option, what it got and what it accepts.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pinbench.h"

#define MIN_SIZE 4096ull                 /* one page */
#define MAX_SIZE (256ull << 30)          /* 2^32 cells of 64 bytes */
#define MAX_SAMPLES 1000000000ull
#define MAX_HOPS 4096u
#define MAX_DURATION 3600.0
#define MAX_BURST 256u                   /* NP_PIPELINE_MAX_BURST */

static const char *const config_names[PB_N_CONFIGS] = {
	[PB_LOCAL] = "local",
	[PB_REMOTE_MEMORY] = "remote-memory",
	[PB_REMOTE_CPU] = "remote-cpu",
	[PB_UNPINNED] = "unpinned",
	[PB_INTERLEAVE] = "interleave",
};

const char *
pb_config_name(enum pb_config c)
{
	return (unsigned int)c < PB_N_CONFIGS ? config_names[c] : "?";
}

const char *
pb_mode_name(enum pb_mode m)
{
	return m == PB_MODE_PIPELINE ? "pipeline" : "memory";
}

const char *
pb_size_text(uint64_t bytes, char *buf, size_t len)
{
	static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	unsigned int u = 0;
	double v = (double)bytes;

	while (v >= 1024 && u + 1 < sizeof(unit) / sizeof(unit[0])) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%" PRIu64 " bytes", bytes);
	else if (v == (double)(uint64_t)v)
		snprintf(buf, len, "%" PRIu64 " %s", (uint64_t)v, unit[u]);
	else
		snprintf(buf, len, "%.1f %s", v, unit[u]);
	return buf;
}

static void
usage(FILE *f)
{
	fprintf(f,
"usage: pinbench [--mode memory|pipeline] [--configs LIST] [--home NODE] [--away NODE]\n"
"                [--size SIZE] [--pages normal|thp|2M|1G] [--samples N] [--hops N]\n"
"                [--seed N] [--duration SECONDS] [--burst N] [--no-huge]\n"
"                [--dry-run] [--topology FILE|synthetic:DESC]\n"
"                [--json FILE] [--csv FILE] [--chart PREFIX]\n"
"\n"
"The same work measured under five placements of a thread and its memory, each\n"
"placed by numaperf and verified before it is timed (X = home node, Y = away node):\n"
"  local          memory and thread on X\n"
"  remote-memory  thread on X, memory on Y\n"
"  remote-cpu     memory on X, thread on Y (same physics as remote-memory, placed\n"
"                 the other way round)\n"
"  unpinned       memory on X, thread not pinned: the CPUs it ran on are recorded\n"
"  interleave     memory interleaved over every node with memory, thread on X\n"
"A configuration whose placement is not what its name says (pages elsewhere, a\n"
"thread off its node, mbind or sched_setaffinity refused) is refused, not reported.\n"
"On one NUMA node the remote and interleave configurations print\n"
"\"not applicable: 1 NUMA node\".\n"
"\n"
"  --mode memory    (default) a dependent pointer chase over a random cyclic order of\n"
"                   64-byte cells, one thread; figures in ns per hop\n"
"  --mode pipeline  numaperf's pipeline on a net_null pair (net_null RX generates,\n"
"                   TX sinks, one stage touches each header), EAL in one child\n"
"                   process per configuration; figures in Mpps and ns per packet;\n"
"                   unpinned and interleave are not supported there\n"
"  --configs LIST   comma-separated subset of local,remote-memory,remote-cpu,\n"
"                   unpinned,interleave (default: all five)\n"
"  --home NODE      X (default: the lowest node with CPUs and memory)\n"
"  --away NODE      Y (default: the nearest other node with CPUs and memory, by the\n"
"                   distance matrix row of X)\n"
"  --size SIZE      memory mode buffer, bytes or with K/M/G (default 256M, larger\n"
"                   than any last-level cache); %s to %s\n"
"  --pages P        page size of the buffer: normal (default), thp, 2M, 1G\n"
"  --samples N      memory mode samples (default 100000), 1..%llu\n"
"  --hops N         hops timed per sample (default 64), 1..%u\n"
"  --seed N         seed of the random order (default 1)\n"
"  --duration S     pipeline mode seconds per configuration (default 2), up to %.0f\n"
"  --burst N        pipeline mode packets per RX burst (default 32), 1..%u\n"
"  --no-huge        pipeline mode: EAL without hugepages (memory on one socket only,\n"
"                   so on several nodes the placement checks refuse the remote runs)\n"
"  --dry-run        print where each configuration's thread and memory would go on\n"
"                   this machine (nodes, CPUs, distances); measure nothing\n"
"  --topology FILE  the same dry run on a described machine: an hwloc XML file or\n"
"                   synthetic:DESC ($NP_TOPOLOGY does the same)\n"
"  --json FILE      the results as JSON (schema numaperf/pinbench/1, README.md)\n"
"  --csv FILE       the results as CSV, one row per configuration (README.md)\n"
"  --chart PREFIX   PREFIX.png and PREFIX.svg: p50/p99/p99.9/max per configuration,\n"
"                   log scale (gnuplot: apt-get install -y gnuplot-nox)\n"
"  -h, --help       this help\n"
"\n"
"exit status: 0 every applicable configuration ran and was verified (not applicable\n"
"             and not supported are not failures)\n"
"             1 a configuration failed for a reason other than placement (memory,\n"
"               EAL, a device, a child process)\n"
"             2 bad command line or input (option values, an option of the other\n"
"               mode, node ids, a node without CPUs or memory for its role, a buffer\n"
"               larger than the node's memory, gnuplot missing for --chart); nothing\n"
"               was measured\n"
"             3 a configuration was refused: its placement was not what its name\n"
"               says (the others are still reported)\n"
"             4 standard output, --json, --csv or --chart could not be written\n"
"             when several apply: 4, then 1, then 3\n",
		"4K", "256G", (unsigned long long)MAX_SAMPLES, MAX_HOPS, MAX_DURATION, MAX_BURST);
}

/* A whole unsigned number in [min, max]. */
static int
parse_u64(const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (s[0] == '\0' || s[0] == '-' || isspace((unsigned char)s[0]) || *end != '\0' ||
	    errno != 0 || v < min || v > max) {
		fprintf(stderr, PB_PROG ": %s needs a whole number from %" PRIu64 " to %" PRIu64
			", got '%s'\n", opt, min, max, s);
		return -1;
	}
	*out = v;
	return 0;
}

static int
parse_node(const char *opt, const char *s, int *out)
{
	uint64_t v;

	if (parse_u64(opt, s, 0, NP_MAX_NODE_ID, &v) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

/* "256M", "4096", "1G", "64KiB": binary units. */
static int
parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned int shift = 0;
	char buf[32];

	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s || s[0] == '-' || errno != 0)
		goto bad;
	switch (toupper((unsigned char)*end)) {
	case '\0': break;
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	case 'T': shift = 40; end++; break;
	default: goto bad;
	}
	if (shift != 0 && (strcmp(end, "iB") == 0 || strcmp(end, "B") == 0))
		end += strlen(end);
	if (*end != '\0')
		goto bad;
	if (v > (MAX_SIZE >> shift)) {
		fprintf(stderr, PB_PROG ": --size %s is above the largest buffer, %s\n", s,
			pb_size_text(MAX_SIZE, buf, sizeof(buf)));
		return -1;
	}
	v <<= shift;
	if (v < MIN_SIZE) {
		fprintf(stderr, PB_PROG ": --size %s is below the smallest buffer, 4 KiB (one "
			"page)\n", s);
		return -1;
	}
	*out = v;
	return 0;
bad:
	fprintf(stderr, PB_PROG ": --size needs a size in bytes with an optional K, M or G "
		"suffix (e.g. 256M), got '%s'\n", s);
	return -1;
}

static int
parse_configs(struct pb_args *a, const char *s)
{
	char *copy = strdup(s), *save = NULL;
	bool any = false;

	if (copy == NULL) {
		fprintf(stderr, PB_PROG ": out of memory\n");
		return -1;
	}
	memset(a->configs, 0, sizeof(a->configs));
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int found = -1;

		for (int c = 0; c < PB_N_CONFIGS; c++)
			if (strcmp(t, config_names[c]) == 0)
				found = c;
		if (found < 0) {
			fprintf(stderr, PB_PROG ": --configs: unknown configuration '%s' (the "
				"configurations are local, remote-memory, remote-cpu, unpinned, "
				"interleave)\n", t);
			free(copy);
			return -1;
		}
		a->configs[found] = true;
		any = true;
	}
	free(copy);
	if (!any) {
		fprintf(stderr, PB_PROG ": --configs needs at least one configuration (local, "
			"remote-memory, remote-cpu, unpinned, interleave)\n");
		return -1;
	}
	return 0;
}

/* A file option's value: not empty. */
static int
need_name(const char *opt, const char *v)
{
	if (v[0] != '\0')
		return 0;
	fprintf(stderr, PB_PROG ": %s needs a file name\n", opt);
	return -1;
}

int
pb_parse_args(struct pb_args *a, int argc, char **argv)
{
	enum { O_MODE = 256, O_CONFIGS, O_HOME, O_AWAY, O_SIZE, O_PAGES, O_SAMPLES, O_HOPS,
	       O_SEED, O_DURATION, O_BURST, O_NO_HUGE, O_DRY_RUN, O_TOPOLOGY, O_JSON, O_CSV,
	       O_CHART };
	static const struct option opts[] = {
		{ "mode", required_argument, NULL, O_MODE },
		{ "configs", required_argument, NULL, O_CONFIGS },
		{ "home", required_argument, NULL, O_HOME },
		{ "away", required_argument, NULL, O_AWAY },
		{ "size", required_argument, NULL, O_SIZE },
		{ "pages", required_argument, NULL, O_PAGES },
		{ "samples", required_argument, NULL, O_SAMPLES },
		{ "hops", required_argument, NULL, O_HOPS },
		{ "seed", required_argument, NULL, O_SEED },
		{ "duration", required_argument, NULL, O_DURATION },
		{ "burst", required_argument, NULL, O_BURST },
		{ "no-huge", no_argument, NULL, O_NO_HUGE },
		{ "dry-run", no_argument, NULL, O_DRY_RUN },
		{ "topology", required_argument, NULL, O_TOPOLOGY },
		{ "json", required_argument, NULL, O_JSON },
		{ "csv", required_argument, NULL, O_CSV },
		{ "chart", required_argument, NULL, O_CHART },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	/* Options of one mode given in the other: said, not silently ignored. */
	const char *memory_only = NULL, *pipeline_only = NULL;
	uint64_t v;
	char *end;
	int c;

	*a = (struct pb_args){
		.mode = PB_MODE_MEMORY, .home = NP_NODE_ANY, .away = NP_NODE_ANY,
		.size = 256ull << 20, .pages = NP_PAGE_NORMAL, .samples = 100000, .hops = 64,
		.seed = 1, .duration = 2.0, .burst = 32,
	};
	for (int i = 0; i < PB_N_CONFIGS; i++)
		a->configs[i] = true;
	opterr = 0;
	/* A leading ':' tells a missing value (':') from an unknown option ('?'). */
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case O_MODE:
			if (strcmp(optarg, "memory") == 0) {
				a->mode = PB_MODE_MEMORY;
			} else if (strcmp(optarg, "pipeline") == 0) {
				a->mode = PB_MODE_PIPELINE;
			} else {
				fprintf(stderr, PB_PROG ": --mode is memory or pipeline, got '%s'\n",
					optarg);
				return -1;
			}
			break;
		case O_CONFIGS:
			if (parse_configs(a, optarg) < 0)
				return -1;
			break;
		case O_HOME:
			if (parse_node("--home", optarg, &a->home) < 0)
				return -1;
			break;
		case O_AWAY:
			if (parse_node("--away", optarg, &a->away) < 0)
				return -1;
			break;
		case O_SIZE:
			memory_only = "--size";
			if (parse_size(optarg, &a->size) < 0)
				return -1;
			break;
		case O_PAGES:
			memory_only = "--pages";
			if (strcmp(optarg, "normal") == 0) {
				a->pages = NP_PAGE_NORMAL;
			} else if (strcmp(optarg, "thp") == 0) {
				a->pages = NP_PAGE_THP;
			} else if (strcmp(optarg, "2M") == 0) {
				a->pages = NP_PAGE_HUGE_2M;
			} else if (strcmp(optarg, "1G") == 0) {
				a->pages = NP_PAGE_HUGE_1G;
			} else {
				fprintf(stderr, PB_PROG ": --pages is normal, thp, 2M or 1G, got "
					"'%s'\n", optarg);
				return -1;
			}
			break;
		case O_SAMPLES:
			memory_only = "--samples";
			if (parse_u64("--samples", optarg, 1, MAX_SAMPLES, &a->samples) < 0)
				return -1;
			break;
		case O_HOPS:
			memory_only = "--hops";
			if (parse_u64("--hops", optarg, 1, MAX_HOPS, &v) < 0)
				return -1;
			a->hops = (unsigned int)v;
			break;
		case O_SEED:
			memory_only = "--seed";
			if (parse_u64("--seed", optarg, 0, UINT64_MAX, &a->seed) < 0)
				return -1;
			break;
		case O_DURATION:
			pipeline_only = "--duration";
			errno = 0;
			a->duration = strtod(optarg, &end);
			if (optarg[0] == '\0' || *end != '\0' || errno != 0 ||
			    !(a->duration > 0) || a->duration > MAX_DURATION) {
				fprintf(stderr, PB_PROG ": --duration needs seconds above 0 and up "
					"to %.0f, got '%s'\n", MAX_DURATION, optarg);
				return -1;
			}
			break;
		case O_BURST:
			pipeline_only = "--burst";
			if (parse_u64("--burst", optarg, 1, MAX_BURST, &v) < 0)
				return -1;
			a->burst = (unsigned int)v;
			break;
		case O_NO_HUGE:
			pipeline_only = "--no-huge";
			a->no_huge = true;
			break;
		case O_DRY_RUN: a->dry_run = true; break;
		case O_TOPOLOGY:
			if (optarg[0] == '\0') {
				fprintf(stderr, PB_PROG ": --topology needs a file name or "
					"synthetic:DESC\n");
				return -1;
			}
			a->topology = optarg;
			a->dry_run = true;
			break;
		case O_JSON:
			if (need_name("--json", optarg) < 0)
				return -1;
			a->json = optarg;
			break;
		case O_CSV:
			if (need_name("--csv", optarg) < 0)
				return -1;
			a->csv = optarg;
			break;
		case O_CHART:
			if (need_name("--chart", optarg) < 0)
				return -1;
			a->chart = optarg;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case ':':
			fprintf(stderr, PB_PROG ": option %s needs a value\n", argv[optind - 1]);
			return -1;
		default:
			fprintf(stderr, PB_PROG ": unknown option '%s'; run " PB_PROG " --help for "
				"the options\n", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, PB_PROG ": unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (a->mode == PB_MODE_MEMORY && pipeline_only != NULL) {
		fprintf(stderr, PB_PROG ": %s is an option of pipeline mode: add --mode pipeline, or "
			"leave it out\n", pipeline_only);
		return -1;
	}
	if (a->mode == PB_MODE_PIPELINE && memory_only != NULL) {
		fprintf(stderr, PB_PROG ": %s is an option of memory mode (the pointer chase), not "
			"of --mode pipeline\n", memory_only);
		return -1;
	}
	return 0;
}
