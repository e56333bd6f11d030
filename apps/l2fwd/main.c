/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * numaperf-l2fwd: an l2fwd-style demo of NUMA-local placement. Loads the
 * configuration and the topology, plans which lcore polls which queue with
 * which node's mbufs, prints the plan (--dry-run stops there, before EAL),
 * checks hugepages per node, starts EAL, ports, pools and rings per the plan,
 * runs one run-to-completion loop per worker lcore for --duration seconds
 * (or until SIGINT/SIGTERM) and reports per port and per lcore what was
 * received, sent and dropped, and whether pollers and pools were local.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "l2fwd.h"

static void
on_signal(int sig)
{
	(void)sig;
	l2fwd_quit = true;
}

static int
fail(struct l2fwd *app, int status)
{
	const char *msg = np_last_error();

	if (msg[0])
		fprintf(stderr, "numaperf-l2fwd: %s\n", msg);
	l2fwd_cleanup(app);
	return status;
}

/* What the plan and the hugepages would be, without starting anything. */
static int
dry_run(struct l2fwd *app)
{
	struct np_mempools_opts mo = { .data_room = app->cfg->data_room,
				       .cache_size = app->cfg->cache_size,
				       .no_numa = app->cfg->no_huge };
	struct np_plan_lcore first;

	np_plan_print(app->plan, stdout);
	if (app->args.verbose) {
		np_plan_print_pools(app->plan, stdout);
		np_plan_lcore(app->plan, 0, &first);
		if (!app->cfg->no_huge &&
		    np_mempool_check_hugepages(app->topo, app->plan, &mo, first.node, stdout) < 0)
			printf("hugepages: %s\n", np_last_error());
	}
	l2fwd_cleanup(app);
	return 0;
}

int
main(int argc, char **argv)
{
	static struct l2fwd app; /* large (per-port tables): not on the stack */
	struct np_mempools_opts mo;
	struct np_plan_lcore first;
	uint64_t t0;
	int ret;

	ret = l2fwd_parse_args(&app, argc, argv);
	if (ret != 0) {
		l2fwd_cleanup(&app);
		return ret > 0 ? 0 : 2;
	}
	if (l2fwd_load(&app) < 0 || l2fwd_plan(&app) < 0)
		return fail(&app, 2);
	if (app.args.dry_run)
		return dry_run(&app);

	/* Hugepages first: EAL would only fail later, without saying how many. */
	mo = (struct np_mempools_opts){ .data_room = app.cfg->data_room,
					.cache_size = app.cfg->cache_size,
					.no_numa = app.cfg->no_huge };
	np_plan_lcore(app.plan, 0, &first);
	if (app.args.verbose)
		np_plan_print_pools(app.plan, stdout);
	if (!app.cfg->no_huge &&
	    np_mempool_check_hugepages(app.topo, app.plan, &mo, first.node,
				       app.args.verbose ? stdout : NULL) < 0)
		return fail(&app, 1);
	np_clear_error();
	if (l2fwd_start_eal(&app) < 0 || l2fwd_start_ports(&app) < 0)
		return fail(&app, 1);
	np_plan_print(app.plan, stdout);
	if (l2fwd_seed(&app) < 0)
		return fail(&app, 1);

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGALRM, on_signal);
	if (app.cfg->duration > 0)
		alarm(app.cfg->duration);
	printf("forwarding on %u lcore%s%s\n", np_plan_lcore_count(app.plan),
	       np_plan_lcore_count(app.plan) == 1 ? "" : "s",
	       app.cfg->duration ? "" : " until SIGINT/SIGTERM");
	fflush(stdout);
	t0 = rte_get_timer_cycles();
	rte_eal_mp_remote_launch(l2fwd_lcore_main, &app, CALL_MAIN);
	rte_eal_mp_wait_lcore();
	app.seconds = (double)(rte_get_timer_cycles() - t0) / rte_get_timer_hz();
	l2fwd_report(&app, stdout);
	l2fwd_cleanup(&app);
	return 0;
}
