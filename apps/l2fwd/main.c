/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * numaperf-l2fwd: an l2fwd-style demo of NUMA-local placement, and the
 * example to copy for a new app. The configuration becomes the runtime's
 * parameters; the runtime plans (--dry-run stops there), checks hugepages,
 * starts EAL, ports, pools and rings on their nodes; the pipeline runs one
 * stage (l2fwd_stage.c) on every worker for --duration seconds or until
 * SIGINT/SIGTERM/SIGHUP; the stop drains what is in flight and checks that
 * every mbuf is back; the report says what ran where.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "l2fwd.h"

#define PROG "numaperf-l2fwd"

/* Exit statuses (README.md). */
enum { EXIT_OK = 0, EXIT_RUN = 1, EXIT_INPUT = 2 };

static void
cleanup(struct l2fwd *app)
{
	np_runtime_destroy(app->rt);
	app->rt = NULL;
	np_config_free(app->cfg);
	app->cfg = NULL;
	np_topo_destroy(app->topo);
	app->topo = NULL;
	l2fwd_args_free(&app->args);
}

/*
 * Say what failed, and where it came from when it was about a parameter
 * the configuration set. A failure about a parameter is bad input (exit
 * 2); any other is the machine or DPDK (exit 1).
 */
static int
fail(struct l2fwd *app, int status)
{
	char msg[1024];
	bool about_param = np_last_error_param()[0] != '\0';
	int err = errno;

	np_config_explain(app->cfg, app->n_file_eal_args, msg, sizeof(msg));
	if (msg[0])
		fprintf(stderr, PROG ": %s\n", msg);
	if (err == ENOMEM && !about_param && app->cfg && !app->cfg->no_huge)
		fprintf(stderr, PROG ": to run without hugepages: --no-huge or [eal] no_huge = "
			"yes\n");
	cleanup(app);
	if (status == EXIT_RUN && about_param)
		status = EXIT_INPUT;
	return status;
}

/* stdout is a report: a full disk or a closed pipe is an error, not silence. */
static int
finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, PROG ": could not write the report to standard output: %s\n",
			strerror(errno));
		return status == EXIT_OK ? EXIT_RUN : status;
	}
	return status;
}

static int
load(struct l2fwd *app)
{
	struct np_runtime_params *p = &app->rtp.params;
	static const char *const stages[] = { L2FWD_STAGE };

	app->topo = np_topo_load();
	if (app->topo == NULL)
		return -1;
	app->cfg = np_config_load(app->args.config, app->args.overrides,
				  app->args.n_overrides, app->topo);
	if (app->cfg == NULL || np_config_runtime(app->cfg, &app->rtp) < 0)
		return -1;
	app->n_file_eal_args = p->n_eal_args;
	for (int i = 0; i < app->args.n_eal_extra; i++) {
		if (p->n_eal_args >= NP_RUNTIME_MAX_EAL_ARGS) {
			fprintf(stderr, PROG ": more than %d EAL arguments\n",
				NP_RUNTIME_MAX_EAL_ARGS);
			errno = EINVAL;
			return -1;
		}
		app->rtp.eal_args[p->n_eal_args++] = app->args.eal_extra[i];
	}
	p->name = PROG;
	p->topo = app->topo;
	p->stages = stages;
	p->n_stages = 1;
	p->verbose = app->args.verbose ? stdout : NULL;
	p->progress = app->args.quiet ? NULL : stdout;
	p->latency = !app->args.no_latency;
	app->rt = np_runtime_create(p);
	return app->rt ? 0 : -1;
}

static int
dry_run(struct l2fwd *app)
{
	np_plan_print(np_runtime_plan(app->rt), stdout);
	if (app->args.verbose) {
		np_plan_print_pools(np_runtime_plan(app->rt), stdout);
		if (np_runtime_print_hugepages(app->rt, stdout) < 0)
			printf("hugepages: %s\n", np_last_error());
	}
	cleanup(app);
	return finish(EXIT_OK);
}

/* The MAC stage's table: a packet from port i leaves on its peer. */
static void
fill_macs(struct l2fwd *app)
{
	struct l2fwd_mac_table *t = &app->macs;

	t->mode = app->cfg->mac;
	t->n_ports = app->cfg->n_ports;
	for (unsigned int i = 0; i < app->cfg->n_ports; i++) {
		int peer = app->cfg->ports[i].peer;
		struct np_port_info in;

		if (peer < 0)
			continue;
		np_runtime_port_info(app->rt, (unsigned int)peer, &in);
		/* l2fwd's convention: 02:00:00:00:00:<TX port>, source = TX port's MAC. */
		t->src[i] = in.mac;
		memset(&t->dst[i], 0, sizeof(t->dst[i]));
		t->dst[i].addr_bytes[0] = 0x02;
		t->dst[i].addr_bytes[5] = (uint8_t)in.port_id;
	}
	l2fwd_stage_set_table(t);
}

/*
 * net_ring ports loop what is sent on them back to their own RX and make no
 * traffic of their own: inject seed_packets per port, from the pool its RX
 * queue 0 fills from, on TX queue 0 before the loops start. A port takes
 * what its TX queue has room for: the rest is freed, and said.
 */
static int
seed(struct l2fwd *app)
{
	const unsigned int want = app->cfg->seed_packets;
	struct rte_mbuf *m[64];

	for (unsigned int p = 0; p < app->cfg->n_ports && want > 0; p++) {
		struct rte_mempool *mp = np_runtime_rxq_pool(app->rt, p, 0);
		uint16_t port_id = (uint16_t)np_runtime_port_id(app->rt, p);
		struct np_port_info in;
		unsigned int left = want;

		np_runtime_port_info(app->rt, p, &in);
		while (mp != NULL && left > 0) {
			unsigned int n = left < 64 ? left : 64;
			uint16_t sent;

			if (rte_pktmbuf_alloc_bulk(mp, m, n) != 0) {
				fprintf(stderr, PROG ": pool %s has no %u free mbufs for seeding "
					"port%u\n", mp->name, n, p);
				return -1;
			}
			for (unsigned int i = 0; i < n; i++) {
				const uint16_t len = RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN;
				char *d = rte_pktmbuf_append(m[i], len);
				struct rte_ether_hdr *eth = (struct rte_ether_hdr *)d;

				if (d == NULL) {
					fprintf(stderr, PROG ": a %u-byte frame does not fit an "
						"mbuf of pool %s\n", len, mp->name);
					rte_pktmbuf_free_bulk(m, n);
					return -1;
				}
				memset(d, 0, len);
				memset(&eth->dst_addr, 0xff, sizeof(eth->dst_addr));
				rte_ether_addr_copy(&in.mac, &eth->src_addr);
				eth->ether_type = rte_cpu_to_be_16(0x88b5); /* local experimental */
			}
			sent = rte_eth_tx_burst(port_id, 0, m, (uint16_t)n);
			if (sent < n)
				rte_pktmbuf_free_bulk(m + sent, n - sent);
			app->seeded[p] += sent;
			left -= n;
			if (sent < n)
				break;
		}
		if (app->seeded[p] < want)
			fprintf(stderr, PROG ": warning: port%u (%s) took %" PRIu64 " of the %u "
				"seed packets ([pipeline] seed_packets): its TX queue had no room "
				"for more; the rest were freed\n", p, in.device, app->seeded[p],
				want);
	}
	return 0;
}

/*
 * net_ring loops TX queue i of a port back to its own RX queue i: a TX
 * queue without an RX queue of the same number fills a ring nobody reads,
 * and the pair stalls. Say so before it happens.
 */
static void
warn_net_ring_queues(const struct l2fwd *app)
{
	for (unsigned int p = 0; p < app->cfg->n_ports; p++) {
		struct np_port_info in;

		np_runtime_port_info(app->rt, p, &in);
		if (strcmp(in.driver, "net_ring") == 0 && in.n_txq > in.n_rxq)
			fprintf(stderr, PROG ": warning: port%u (%s, net_ring) has %u TX queues "
				"(one per sending lcore) but %u RX queues: what is sent on TX "
				"queues %u-%u loops back to RX queues nobody polls and stays "
				"there; set [port%u] rx_queues = %u\n", p, in.device, in.n_txq,
				in.n_rxq, in.n_rxq, in.n_txq - 1, p, in.n_txq);
	}
}

/* --stats-json and --prom: a file that cannot be written fails the run. */
static int
write_exports(struct l2fwd *app)
{
	int ret = 0;

	if (app->args.stats_json != NULL) {
		FILE *f = fopen(app->args.stats_json, "w");

		if (f == NULL) {
			fprintf(stderr, PROG ": --stats-json %s: cannot create it: %s\n",
				app->args.stats_json, strerror(errno));
			ret = -1;
		} else if (np_runtime_write_json(app->rt, f, &app->stop) < 0) {
			fprintf(stderr, PROG ": --stats-json %s: %s\n", app->args.stats_json,
				np_last_error());
			fclose(f);
			ret = -1;
		} else if (fclose(f) != 0) {
			fprintf(stderr, PROG ": --stats-json %s: %s\n", app->args.stats_json,
				strerror(errno));
			ret = -1;
		}
	}
	if (app->args.prom != NULL && np_runtime_write_prom(app->rt, app->args.prom,
							     &app->stop) < 0) {
		fprintf(stderr, PROG ": --prom %s: %s\n", app->args.prom, np_last_error());
		ret = -1;
	}
	return ret;
}

int
main(int argc, char **argv)
{
	static struct l2fwd app; /* large (per-port tables): not on the stack */
	static const char *const stages[] = { L2FWD_STAGE };
	unsigned int n_lcores;
	int ret;

	ret = l2fwd_parse_args(&app.args, argc, argv);
	if (ret != 0) {
		l2fwd_args_free(&app.args);
		return ret > 0 ? finish(EXIT_OK) : EXIT_INPUT;
	}
	if (load(&app) < 0)
		return fail(&app, EXIT_INPUT);
	if (app.args.dry_run)
		return dry_run(&app);
	if (app.args.verbose)
		np_plan_print_pools(np_runtime_plan(app.rt), stdout);
	np_clear_error();
	if (np_runtime_start(app.rt) < 0)
		return fail(&app, EXIT_RUN);
	np_plan_print(np_runtime_plan(app.rt), stdout);
	for (unsigned int i = 0; i < app.cfg->n_ports; i++) {
		char link[96];
		int up = np_port_link(np_runtime_port(app.rt, i), 3000, link, sizeof(link));

		printf("port%u %s: %s\n", i, app.cfg->ports[i].name,
		       up < 0 ? "link status unknown" : link);
	}
	warn_net_ring_queues(&app);
	fill_macs(&app);
	app.pl = np_runtime_pipeline(app.rt, stages, 1);
	if (app.pl == NULL)
		return fail(&app, EXIT_RUN);
	if (seed(&app) < 0 || np_runtime_handle_signals(app.rt) < 0)
		return fail(&app, EXIT_RUN);
	n_lcores = np_pipeline_lcore_count(app.pl);
	printf("forwarding on %u lcore%s%s\n", n_lcores, n_lcores == 1 ? "" : "s",
	       app.cfg->duration ? "" : " until SIGINT/SIGTERM");
	fflush(stdout);
	if (np_runtime_run(app.rt, app.cfg->duration) < 0)
		return fail(&app, EXIT_RUN);
	app.stop_status = np_runtime_stop(app.rt, &app.stop);
	if (app.stop_status < 0)
		snprintf(app.stop_error, sizeof(app.stop_error), "%s", np_last_error());
	ret = EXIT_OK;
	if (l2fwd_report(&app, stdout) < 0)
		ret = EXIT_RUN;
	if (write_exports(&app) < 0)
		ret = EXIT_RUN;
	if (app.stop_status < 0) {
		fprintf(stderr, PROG ": %s\n", app.stop_error);
		ret = EXIT_RUN;
	}
	cleanup(&app);
	return finish(ret);
}
