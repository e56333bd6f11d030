/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL, started once, the way the plan says: its lcores are the plan's
 * workers, its devices the ports (PCI devices allowed with -a; vdevs are
 * created after EAL, one by one, so a refusal names its port), its memory
 * hugepages (--in-memory) or a bounded amount of anonymous memory.
 */
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "np_error_private.h"
#include "np_list_private.h"
#include "runtime_private.h"

/* EAL's long options (DPDK 22.11 lib/eal/common/eal_options.h) and who owns each. */
enum { FLAG, VALUE, OPTIONAL };   /* what follows the option: nothing, a value, '=value' */

static const struct {
	const char *name;
	int arg;
	const char *owner;   /* NULL: free to pass */
} eal_long[] = {
	{ "lcores", VALUE, "workers" }, { "main-lcore", VALUE, "workers.main_lcore" },
	{ "allow", VALUE, "ports" }, { "block", VALUE, "ports" }, { "vdev", VALUE, "ports" },
	{ "no-pci", FLAG, "ports" },
	{ "no-huge", FLAG, "no_huge" }, { "in-memory", FLAG, "no_huge" },
	{ "no-shconf", FLAG, "no_huge" },
	{ "socket-mem", VALUE, "the memory the plan sizes" },
	{ "socket-limit", VALUE, "the memory the plan sizes" },
	{ "huge-worker-stack", OPTIONAL, "the memory the plan sizes (worker stacks on "
					 "hugepages are not counted by the hugepage check)" },
	{ "proc-type", VALUE, "not supported: numaperf runs EAL as a primary process with "
			      "--in-memory, so there is nothing a secondary could attach to" },
	{ "help", FLAG, "not supported: EAL would print its usage and stop; see DPDK's EAL "
			"parameters guide" },
	{ "mbuf-pool-ops-name", VALUE, NULL }, { "iova-mode", VALUE, NULL },
	{ "vmware-tsc-map", FLAG, NULL }, { "syslog", VALUE, NULL },
	{ "log-level", VALUE, NULL }, { "trace", VALUE, NULL }, { "trace-dir", VALUE, NULL },
	{ "trace-bufsz", VALUE, NULL }, { "trace-mode", VALUE, NULL },
	{ "base-virtaddr", VALUE, NULL }, { "telemetry", FLAG, NULL },
	{ "no-telemetry", FLAG, NULL }, { "force-max-simd-bitwidth", VALUE, NULL },
	{ "huge-unlink", OPTIONAL, NULL }, { "no-hpet", FLAG, NULL }, { "huge-dir", VALUE, NULL },
	{ "file-prefix", VALUE, NULL }, { "create-uio-dev", FLAG, NULL },
	{ "vfio-intr", VALUE, NULL }, { "vfio-vf-token", VALUE, NULL },
	{ "legacy-mem", FLAG, NULL }, { "single-file-segments", FLAG, NULL },
	{ "match-allocations", FLAG, NULL },
};

/* EAL's short options: those taking a value, and who owns each. */
static const char eal_short_with_value[] = "bcdlmnrsSa";
static const struct {
	char opt;
	const char *owner;
} eal_short_owned[] = {
	{ 'l', "workers" }, { 'c', "workers" }, { 's', "workers (service cores)" },
	{ 'S', "workers (service cores)" }, { 'a', "ports" }, { 'b', "ports" },
	{ 'm', "the memory the plan sizes" },
	{ 'h', "not supported: EAL would print its usage and stop" },
};

static const char *
short_owner(char c)
{
	for (unsigned int i = 0; i < RTE_DIM(eal_short_owned); i++)
		if (eal_short_owned[i].opt == c)
			return eal_short_owned[i].owner;
	return NULL;
}

/*
 * One EAL argument, read the way EAL's getopt_long reads it.
 * @return NULL if it may go to EAL, else why not; *needs_value says whether
 *   the next argument is this option's value.
 */
static const char *
read_arg(const char *arg, bool *needs_value)
{
	static __thread char why[160];

	*needs_value = false;
	if (arg == NULL || arg[0] != '-' || arg[1] == '\0')
		return arg && arg[0] == '-' ? "a lone '-' is not an EAL option" : NULL;
	if (arg[1] == '-') {
		const char *name = arg + 2;
		size_t len = strcspn(name, "=");
		int match = -1, n_match = 0;

		if (len == 0)
			return "'--' would end EAL's options: give only options";
		/* getopt_long: an exact name, or an unambiguous prefix of one. */
		for (unsigned int i = 0; i < RTE_DIM(eal_long); i++) {
			if (strncmp(eal_long[i].name, name, len) != 0)
				continue;
			if (eal_long[i].name[len] == '\0') {
				match = (int)i;
				n_match = 1;
				break;
			}
			match = (int)i;
			n_match++;
		}
		if (n_match == 0) {
			snprintf(why, sizeof(why), "EAL has no option --%.*s", (int)len, name);
			return why;
		}
		if (n_match > 1) {
			snprintf(why, sizeof(why), "--%.*s is ambiguous: EAL has several options "
				 "starting so; spell it out", (int)len, name);
			return why;
		}
		*needs_value = eal_long[match].arg == VALUE && name[len] != '=';
		return eal_long[match].owner;
	}
	/* Clustered short options, "-vl0": each letter until one takes a value. */
	for (const char *c = arg + 1; *c; c++) {
		const char *owner = short_owner(*c);

		if (owner != NULL)
			return owner;
		if (strchr(eal_short_with_value, *c) != NULL) {
			*needs_value = c[1] == '\0';
			return NULL;
		}
		if (*c != 'v') {
			snprintf(why, sizeof(why), "EAL has no option -%c", *c);
			return why;
		}
	}
	return NULL;
}

const char *
np_runtime_eal_arg_owner(const char *arg)
{
	bool needs_value;

	return read_arg(arg, &needs_value);
}

int
rt_check_eal_args(const char *const *args, unsigned int n)
{
	bool value_next = false;

	for (unsigned int i = 0; i < n; i++) {
		char param[32];
		const char *why;
		bool needs_value;

		snprintf(param, sizeof(param), "eal_args[%u]", i);
		if (args[i] == NULL)
			return np_fail_param(EINVAL, param, "EAL argument %u is NULL", i);
		if (value_next) {
			/* The value of the option before it, whatever it looks like. */
			value_next = false;
			continue;
		}
		why = read_arg(args[i], &needs_value);
		if (why != NULL)
			return np_fail_param(EINVAL, param, "EAL argument %s: %s", args[i], why);
		/* EAL stops at the first word that is not an option: it would ignore the rest. */
		if (args[i][0] != '-')
			return np_fail_param(EINVAL, param, "EAL argument \"%s\" is neither an "
					     "option nor an option's value: EAL would ignore it "
					     "and everything after it", args[i]);
		value_next = needs_value;
	}
	if (value_next)
		return np_fail_param(EINVAL, "eal_args", "EAL argument %s needs a value",
				     args[n - 1]);
	return 0;
}

static int
push(np_runtime *rt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
push(np_runtime *rt, const char *fmt, ...)
{
	char **v = realloc(rt->eal_argv, (rt->eal_argc + 2) * sizeof(char *));
	va_list ap;
	int n;

	if (v == NULL)
		return -1;
	rt->eal_argv = v;
	va_start(ap, fmt);
	n = vasprintf(&v[rt->eal_argc], fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	v[++rt->eal_argc] = NULL;
	return 0;
}

static int
build_argv(np_runtime *rt)
{
	const struct np_runtime_params *p = &rt->p;
	char lcores[2048];
	size_t off = 0;
	bool pci = false, apart = false;
	int ret = 0, main_lcore = np_plan_main_lcore(rt->plan, &apart);

	/* EAL: the main lcore is --main-lcore, or the first of -l (the lowest worker). */
	lcores[0] = '\0';
	if (apart)
		np_buf_appendf(lcores, sizeof(lcores), &off, "%d", main_lcore);
	for (unsigned int i = 0; i < np_plan_lcore_count(rt->plan); i++) {
		struct np_plan_lcore l;

		np_plan_lcore(rt->plan, i, &l);
		np_buf_appendf(lcores, sizeof(lcores), &off, "%s%u", off ? "," : "", l.lcore);
		if (off >= sizeof(lcores) - 1)
			return np_fail_param(E2BIG, "workers", "the worker list does not fit "
					     "EAL's -l argument (%zu bytes)", sizeof(lcores));
	}
	ret |= push(rt, "%s", p->name);
	ret |= push(rt, "-l");
	ret |= push(rt, "%s", lcores);
	if (apart) {
		ret |= push(rt, "--main-lcore");
		ret |= push(rt, "%d", main_lcore);
	}
	for (unsigned int i = 0; i < p->n_ports; i++) {
		if (rt->ports[i].pci[0]) {
			ret |= push(rt, "-a");
			ret |= push(rt, "%s", rt->ports[i].pci);
			pci = true;
		}
	}
	if (!pci)
		ret |= push(rt, "--no-pci"); /* only the configured devices are probed */
	if (p->no_huge) {
		struct np_mempools_opts mo;
		uint64_t mb;

		rt_mempools_opts(rt, &mo);
		mb = np_mempool_total_bytes(rt->topo, rt->plan, &mo, rt->main_node) >> 20;
		/* --no-huge takes its memory up front: the plan's, and some room. */
		ret |= push(rt, "--no-huge");
		ret |= push(rt, "--no-shconf");
		ret |= push(rt, "-m");
		ret |= push(rt, "%" PRIu64, mb + 64);
	} else {
		ret |= push(rt, "--in-memory");
	}
	for (unsigned int i = 0; i < p->n_eal_args; i++)
		ret |= push(rt, "%s", p->eal_args[i]);
	if (ret != 0)
		return np_fail(ENOMEM, "no memory for EAL's arguments");
	return 0;
}

/*
 * EAL's runtime directory, kept from np_eal_init() (EAL's copy goes with
 * rte_eal_cleanup()), and whether np_eal_cleanup() has run: the exit
 * handler removes the directory only then.
 */
static char eal_run_dir[PATH_MAX];
static bool eal_ended;

/* Runs after EAL's telemetry handler (registered later, run earlier). */
static void
rm_run_dir_at_exit(void)
{
	int saved = errno;

	if (eal_ended && eal_run_dir[0] != '\0')
		(void)rmdir(eal_run_dir);
	errno = saved;
}

int
np_eal_init(int argc, char **argv)
{
	static bool registered;
	int ret;

	if (!registered && atexit(rm_run_dir_at_exit) == 0)
		registered = true;
	ret = rte_eal_init(argc, argv);
	if (ret >= 0) {
		snprintf(eal_run_dir, sizeof(eal_run_dir), "%s", rte_eal_get_runtime_dir());
		eal_ended = false;
	}
	return ret;
}

int
np_eal_cleanup(void)
{
	int ret = rte_eal_cleanup(), saved = errno;

	eal_ended = true;
	/*
	 * Empty already without a telemetry socket (--no-telemetry), else at
	 * exit. Only if empty: files of another process of the prefix keep it.
	 * The caller's errno is kept (a report's write error may be in it).
	 */
	if (eal_run_dir[0] != '\0' && rmdir(eal_run_dir) != 0 && errno != ENOTEMPTY &&
	    errno != EEXIST && errno != ENOENT)
		NP_LOG(DEBUG, "EAL's runtime directory %s stays: %s", eal_run_dir,
		       strerror(errno));
	errno = saved;
	return ret;
}

int
rt_start_eal(np_runtime *rt)
{
	char **copy;
	int ret;

	if (build_argv(rt) < 0)
		return -errno;
	if (rt->p.verbose != NULL) {
		fprintf(rt->p.verbose, "EAL:");
		for (int i = 1; i < rt->eal_argc; i++)
			fprintf(rt->p.verbose, " %s", rt->eal_argv[i]);
		fprintf(rt->p.verbose, "\n");
	}
	/* rte_eal_init() may permute argv: give it a copy, keep ours to free. */
	copy = calloc(rt->eal_argc + 1, sizeof(char *));
	if (copy == NULL)
		return np_fail(ENOMEM, "no memory for EAL's arguments");
	memcpy(copy, rt->eal_argv, rt->eal_argc * sizeof(char *));
	ret = np_eal_init(rt->eal_argc, copy);
	if (ret < 0) {
		int err = rte_errno;

		free(copy);
		return np_fail_param(err ? err : EINVAL, "eal_args", "EAL did not start: %s "
				     "(EAL's own message is above; its arguments were built from "
				     "the workers, ports and eal_args)", rte_strerror(err));
	}
	rt->eal_up = true;
	/* EAL stops at the first argument that is not an option: refuse leftovers. */
	if (ret < rt->eal_argc - 1) {
		char left[256];
		size_t off = 0;

		left[0] = '\0';
		for (int i = ret + 1; i < rt->eal_argc; i++)
			np_buf_appendf(left, sizeof(left), &off, "%s%s", off ? " " : "", copy[i]);
		free(copy);
		return np_fail_param(EINVAL, "eal_args", "EAL ignored the argument%s \"%s\": "
				     "give only EAL options", rt->eal_argc - ret - 1 > 1 ? "s" : "",
				     left);
	}
	free(copy);
	return 0;
}
