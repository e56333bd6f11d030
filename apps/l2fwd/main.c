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

#include <netinet/in.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

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

/*
 * stdout is a report: a full disk or a closed pipe is an error, not silence.
 * The first failed write's errno is kept when it happens: once stdio has
 * set the stream's error flag, later flushes may succeed and errno be
 * whatever teardown left in it.
 */
static int stdout_errno;

static void
check_stdout(void)
{
	if (stdout_errno == 0 && (fflush(stdout) != 0 || ferror(stdout)))
		stdout_errno = errno != 0 ? errno : EIO;
}

static int
finish(int status)
{
	check_stdout();
	if (stdout_errno != 0) {
		fprintf(stderr, PROG ": could not write the report to standard output: %s\n",
			strerror(stdout_errno));
		return status == EXIT_OK ? EXIT_RUN : status;
	}
	return status;
}

/* The plain forwarder's one stage, or the stateful forwarder's four. */
static const char *const plain_stages[] = { L2FWD_STAGE };
static const char *const flow_stages[] = { L2FWD_FLOW_GEN, L2FWD_FLOW_STEER, L2FWD_FLOW_COUNT,
					   L2FWD_STAGE };

static int
load(struct l2fwd *app)
{
	struct np_runtime_params *p = &app->rtp.params;
	bool flows;

	app->topo = np_topo_load();
	if (app->topo == NULL)
		return -1;
	app->cfg = np_config_load(app->args.config, app->args.overrides,
				  app->args.n_overrides, app->topo);
	if (app->cfg == NULL || np_config_runtime(app->cfg, &app->rtp) < 0)
		return -1;
	flows = app->cfg->flows > 0;
	if (flows) {
		/* N flows on each port, both directions, room to spare: 4 x N by default. */
		app->flow_tables = (struct np_flow_table_params){
			.capacity = app->cfg->flow_capacity ? app->cfg->flow_capacity :
				    RTE_MAX(1024u, (uint32_t)RTE_MIN(4ull * app->cfg->flows,
								     1ull << 30)),
			.state_size = 16, .idle_timeout = L2FWD_FLOW_IDLE_MS,
		};
		/* Made by the runtime at start, on each node, its memory in the budget. */
		p->flow_tables = &app->flow_tables;
	}
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
	p->stages = flows ? flow_stages : plain_stages;
	p->n_stages = flows ? 4 : 1;
	/* A flow's packets may be handed to any node's workers: executors there. */
	p->exec_ring_size = flows ? 4096 : 0;
	p->verbose = app->args.verbose ? stdout : NULL;
	p->progress = app->args.quiet ? NULL : stdout;
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

#define SEED_LEN (RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN)

/*
 * A minimum-size IPv4/UDP frame from port @p port, numbered @p i (the
 * stateful forwarder's generator rewrites its source to pick its flow).
 */
static int
seed_frame(struct rte_mbuf *m, const struct rte_ether_addr *src, unsigned int port,
	   unsigned int i)
{
	char *d = rte_pktmbuf_append(m, SEED_LEN);
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)d;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	if (d == NULL)
		return -1;
	memset(d, 0, SEED_LEN);
	memset(&eth->dst_addr, 0xff, sizeof(eth->dst_addr));
	rte_ether_addr_copy(src, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(SEED_LEN - sizeof(*eth));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(0x0a000000u | i);
	ip->dst_addr = rte_cpu_to_be_32(0x0a800000u | port);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16((uint16_t)(1024 + i));
	udp->dst_port = rte_cpu_to_be_16(9);
	udp->dgram_len = rte_cpu_to_be_16(SEED_LEN - sizeof(*eth) - sizeof(*ip));
	return 0;
}

/*
 * net_ring ports loop what is sent on them back to their own RX and make no
 * traffic of their own: inject seed_packets per port before the loops
 * start, spread over the port's TX queues (TX queue q loops to RX queue q:
 * every poller gets its share), each from the pool of the RX queue it will
 * come back on. A port takes what its TX queues have room for: the rest is
 * freed, and said.
 */
static int
seed(struct l2fwd *app)
{
	const unsigned int want = app->cfg->seed_packets;
	struct rte_mbuf *m[64];

	for (unsigned int p = 0; p < app->cfg->n_ports && want > 0; p++) {
		uint16_t port_id = (uint16_t)np_runtime_port_id(app->rt, p);
		struct np_port_info in;
		unsigned int left = want, n_q;

		np_runtime_port_info(app->rt, p, &in);
		n_q = RTE_MAX(1, RTE_MIN(in.n_txq, in.n_rxq));
		for (uint16_t q = 0; q < n_q && left > 0; q++) {
			struct rte_mempool *mp = np_runtime_rxq_pool(app->rt, p, q);
			unsigned int share = (want + n_q - 1) / n_q, full = 0;

			while (mp != NULL && share > 0 && left > 0 && !full) {
				unsigned int n = RTE_MIN(RTE_MIN(share, left), 64u);
				uint16_t sent;

				if (rte_pktmbuf_alloc_bulk(mp, m, n) != 0) {
					fprintf(stderr, PROG ": pool %s has no %u free mbufs for "
						"seeding port%u\n", mp->name, n, p);
					return -1;
				}
				for (unsigned int i = 0; i < n; i++) {
					if (seed_frame(m[i], &in.mac, p, want - left + i) < 0) {
						fprintf(stderr, PROG ": a %u-byte frame does not fit "
							"an mbuf of pool %s\n", SEED_LEN, mp->name);
						rte_pktmbuf_free_bulk(m, n);
						return -1;
					}
				}
				sent = rte_eth_tx_burst(port_id, q, m, (uint16_t)n);
				if (sent < n)
					rte_pktmbuf_free_bulk(m + sent, n - sent);
				app->seeded[p] += sent;
				left -= n;
				share -= n;
				full = sent < n;
			}
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

/*
 * [flows]: what the stages need besides the tables the runtime made at
 * start: the nodes, each table, each port's node, the home policy.
 */
static void
flow_setup(struct l2fwd *app)
{
	struct l2fwd_flow_params *f = &app->flow;
	const np_plan *plan = np_runtime_plan(app->rt);

	memset(f, 0, sizeof(*f));
	f->n_flows = app->cfg->flows;
	f->zipf = app->cfg->flow_zipf;
	f->seed = 1;
	f->home_fn = app->cfg->flow_home == NP_FLOW_HOME_INGRESS ? np_flow_home_ingress :
		     np_flow_home_symmetric;
	for (unsigned int i = 0; i < np_plan_lcore_count(plan); i++) {
		struct np_plan_lcore l;
		unsigned int k;

		np_plan_lcore(plan, i, &l);
		for (k = 0; k < f->n_nodes && f->nodes[k] != l.node; k++)
			;
		if (k == f->n_nodes)
			f->nodes[f->n_nodes++] = l.node;
		f->tables[l.node] = np_runtime_flow_table(app->rt, l.node);
	}
	for (unsigned int p = 0; p < app->cfg->n_ports; p++) {
		struct np_port_info in;

		np_runtime_port_info(app->rt, p, &in);
		f->port_node[p] = in.node;
	}
	l2fwd_flow_set_params(f);
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
	if (app.cfg->flows > 0)
		flow_setup(&app);
	app.pl = np_runtime_pipeline(app.rt, app.rtp.params.stages, app.rtp.params.n_stages);
	if (app.pl == NULL)
		return fail(&app, EXIT_RUN);
	if (seed(&app) < 0 || np_runtime_handle_signals(app.rt) < 0)
		return fail(&app, EXIT_RUN);
	n_lcores = np_pipeline_lcore_count(app.pl);
	printf("forwarding on %u lcore%s%s\n", n_lcores, n_lcores == 1 ? "" : "s",
	       app.cfg->duration ? "" : " until SIGINT/SIGTERM");
	check_stdout();
	if (np_runtime_run(app.rt, app.cfg->duration) < 0)
		return fail(&app, EXIT_RUN);
	app.stop_status = np_runtime_stop(app.rt, &app.stop);
	if (app.stop_status < 0)
		snprintf(app.stop_error, sizeof(app.stop_error), "%s", np_last_error());
	ret = EXIT_OK;
	if (l2fwd_report(&app, stdout) < 0)
		ret = EXIT_RUN;
	check_stdout();
	if (write_exports(&app) < 0)
		ret = EXIT_RUN;
	if (app.stop_status < 0) {
		fprintf(stderr, PROG ": %s\n", app.stop_error);
		ret = EXIT_RUN;
	}
	cleanup(&app);
	return finish(ret);
}
