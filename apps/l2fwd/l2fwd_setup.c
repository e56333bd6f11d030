/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * numaperf-l2fwd set-up, in the order drivers-glue/README.md gives:
 * command line -> topology -> configuration -> expected port nodes -> plan
 * -> (hugepage check, in main.c) -> EAL -> ports as DPDK sees them -> plan
 * again -> pools and rings -> ports started -> lcore contexts on their node.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "l2fwd.h"
#include "np_list_private.h" /* in-tree app: the library's bounded append */

const char *const l2fwd_counter_names[L2FWD_N_COUNTERS] = {
#define X(e, name, doc) name,
	L2FWD_COUNTERS(X)
#undef X
};

void
l2fwd_usage(FILE *f)
{
	fprintf(f,
		"usage: numaperf-l2fwd --config FILE [options] [-- EAL arguments]\n"
		"  --config FILE         INI configuration (see config/examples/)\n"
		"  --dry-run             print the placement plan and exit, without EAL\n"
		"  --verbose             also print the pool and hugepage arithmetic\n"
		"  --duration S          run S seconds (0: until SIGINT/SIGTERM)\n"
		"  --lcores LIST         workers, e.g. 0-1   ([workers] lcores)\n"
		"  --per-node N          N workers per node  ([workers] per_node)\n"
		"  --unknown-node P      nearest-worker, 'node N' or fail\n"
		"  --strict, --no-strict refuse, or allow, polling a NIC from another node\n"
		"  --mode M              io or handoff      ([pipeline] mode)\n"
		"  --no-huge             run EAL without hugepages ([eal] no_huge)\n"
		"  --set SECTION.KEY=VALUE  override any key of the file\n"
		"Options override the file. The topology is this machine's, or the one\n"
		"named by $NP_TOPOLOGY (an hwloc XML file) for a --dry-run elsewhere.\n"
		"Exit status: 0 done, 1 run-time failure, 2 bad command line or configuration.\n");
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

/* @return 0 to go on, 1 for --help (exit 0), -1 on a usage error (exit 2). */
int
l2fwd_parse_args(struct l2fwd *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "duration", required_argument, NULL, 'd' },
		{ "lcores", required_argument, NULL, 'l' },
		{ "per-node", required_argument, NULL, 'p' },
		{ "unknown-node", required_argument, NULL, 'u' },
		{ "strict", no_argument, NULL, 'S' },
		{ "no-strict", no_argument, NULL, 's' },
		{ "mode", required_argument, NULL, 'm' },
		{ "no-huge", no_argument, NULL, 'H' },
		{ "set", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct l2fwd_args *a = &app->args;
	int c, ret = 0;

	opterr = 1;
	while (ret == 0 && (c = getopt_long(argc, argv, "hv", opts, NULL)) != -1) {
		switch (c) {
		case 'c': a->config = optarg; break;
		case 'n': a->dry_run = true; break;
		case 'v': a->verbose = true; break;
		case 'd': ret = add_override(a, "pipeline.duration", optarg); break;
		case 'l': ret = add_override(a, "workers.lcores", optarg); break;
		case 'p': ret = add_override(a, "workers.per_node", optarg); break;
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
			l2fwd_usage(stdout);
			return 1;
		default:
			l2fwd_usage(stderr);
			return -1;
		}
	}
	if (ret < 0)
		return -1;
	if (a->config == NULL) {
		fprintf(stderr, "numaperf-l2fwd: --config FILE is required (see "
			"config/examples/l2fwd-vdev.ini)\n");
		l2fwd_usage(stderr);
		return -1;
	}
	/* Everything after "--" goes to EAL, minus what the configuration owns. */
	a->eal_extra = argv + optind;
	a->n_eal_extra = argc - optind;
	for (int i = 0; i < a->n_eal_extra; i++) {
		const char *use = np_config_eal_owner(a->eal_extra[i]);

		if (use != NULL) {
			fprintf(stderr, "numaperf-l2fwd: EAL argument %s is set by the "
				"configuration: use %s\n", a->eal_extra[i], use);
			return -1;
		}
	}
	return 0;
}

/* The main lcore is the lowest worker CPU: EAL makes the first of -l main. */
static unsigned int
main_cpu(const struct np_config *cfg, const np_topo *topo)
{
	unsigned int best = UINT32_MAX;

	for (unsigned int i = 0; i < cfg->n_lcores; i++)
		if (cfg->lcores[i] < best)
			best = cfg->lcores[i];
	if (cfg->per_node == 0)
		return best;
	for (unsigned int i = 0; i < np_topo_node_count(topo); i++) {
		int node = np_topo_node_id(topo, i);
		unsigned int cpu;
		bool sel = cfg->n_nodes == 0;

		for (unsigned int j = 0; j < cfg->n_nodes; j++)
			sel |= cfg->nodes[j] == node;
		if (sel && np_topo_node_cpus(topo, node, &cpu, 1) > 0 && cpu < best)
			best = cpu;
	}
	return best;
}

int
l2fwd_load(struct l2fwd *app)
{
	int main_node;

	app->topo = np_topo_load();
	if (app->topo == NULL)
		return -1;
	app->cfg = np_config_load(app->args.config, app->args.overrides,
				  app->args.n_overrides, app->topo);
	if (app->cfg == NULL)
		return -1;
	main_node = np_topo_cpu_node(app->topo, main_cpu(app->cfg, app->topo));
	for (unsigned int i = 0; i < app->cfg->n_ports; i++) {
		const struct np_config_port *p = &app->cfg->ports[i];

		if (np_port_node_expect(app->topo, p->pci, p->vdev, p->node, main_node,
					&app->nodes[i]) < 0)
			return -1;
		app->nb_rxd[i] = p->rx_desc;
		app->nb_txd[i] = p->tx_desc;
	}
	return 0;
}

int
l2fwd_plan(struct l2fwd *app)
{
	struct np_plan_port ports[NP_CONFIG_MAX_PORTS];
	struct np_plan_params p;

	np_config_plan_params(app->cfg, ports, &p);
	for (unsigned int i = 0; i < app->cfg->n_ports; i++) {
		ports[i].node = app->nodes[i].node;
		ports[i].node_source = app->nodes[i].source;
		ports[i].node_reason = app->nodes[i].reason;
		ports[i].nb_rxd = app->nb_rxd[i];
		ports[i].nb_txd = app->nb_txd[i];
	}
	np_plan_destroy(app->plan);
	app->plan = np_plan_build(app->topo, &p);
	return app->plan ? 0 : -1;
}

static int
push(struct l2fwd *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
push(struct l2fwd *app, const char *fmt, ...)
{
	char **v = realloc(app->eal_argv, (app->eal_argc + 2) * sizeof(char *));
	va_list ap;
	int n;

	if (v == NULL)
		return -1;
	app->eal_argv = v;
	va_start(ap, fmt);
	n = vasprintf(&v[app->eal_argc], fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	v[++app->eal_argc] = NULL;
	return 0;
}

int
l2fwd_start_eal(struct l2fwd *app)
{
	const struct np_config *cfg = app->cfg;
	char lcores[1024] = "";
	char **copy;
	bool pci = false;
	size_t off = 0;
	int ret = 0;

	for (unsigned int i = 0; i < np_plan_lcore_count(app->plan); i++) {
		struct np_plan_lcore l;

		np_plan_lcore(app->plan, i, &l);
		np_buf_appendf(lcores, sizeof(lcores), &off, "%s%u", i ? "," : "", l.lcore);
	}
	ret |= push(app, "numaperf-l2fwd");
	ret |= push(app, "-l");
	ret |= push(app, "%s", lcores);
	for (unsigned int i = 0; i < cfg->n_ports; i++) {
		if (cfg->ports[i].pci[0]) {
			ret |= push(app, "-a");
			ret |= push(app, "%s", cfg->ports[i].pci);
			pci = true;
		} else {
			ret |= push(app, "--vdev");
			ret |= push(app, "%s", cfg->ports[i].vdev);
		}
	}
	if (!pci)
		ret |= push(app, "--no-pci"); /* only configured devices are probed */
	if (cfg->no_huge) {
		struct np_mempools_opts mo = { .data_room = cfg->data_room,
					       .cache_size = cfg->cache_size, .no_numa = true };
		struct np_plan_lcore first;
		uint64_t mb;

		np_plan_lcore(app->plan, 0, &first);
		mb = np_mempool_total_bytes(app->topo, app->plan, &mo, first.node) >> 20;
		/* --no-huge takes its memory up front: give it the plan's and some room. */
		ret |= push(app, "--no-huge");
		ret |= push(app, "--no-shconf");
		ret |= push(app, "-m");
		ret |= push(app, "%" PRIu64, mb + 64);
	} else {
		ret |= push(app, "--in-memory");
	}
	if (cfg->eal_args[0]) {
		char buf[sizeof(cfg->eal_args)];
		char *save = NULL;

		snprintf(buf, sizeof(buf), "%s", cfg->eal_args);
		for (char *t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
			ret |= push(app, "%s", t);
	}
	for (int i = 0; i < app->args.n_eal_extra; i++)
		ret |= push(app, "%s", app->args.eal_extra[i]);
	if (ret != 0) {
		fprintf(stderr, "numaperf-l2fwd: no memory for EAL arguments\n");
		return -1;
	}
	if (app->args.verbose) {
		printf("EAL:");
		for (int i = 1; i < app->eal_argc; i++)
			printf(" %s", app->eal_argv[i]);
		printf("\n");
	}
	/* rte_eal_init() may reorder argv: give it a copy, keep ours to free. */
	copy = calloc(app->eal_argc + 1, sizeof(char *));
	if (copy == NULL)
		return -1;
	memcpy(copy, app->eal_argv, app->eal_argc * sizeof(char *));
	ret = rte_eal_init(app->eal_argc, copy);
	free(copy);
	if (ret < 0) {
		fprintf(stderr, "numaperf-l2fwd: EAL did not start: %s (arguments: run with "
			"--verbose to see them)\n", rte_strerror(rte_errno));
		return -1;
	}
	app->eal_up = true;
	return 0;
}

/* Read each port as DPDK probed it; plan again if the node differs. */
static int
probe_ports(struct l2fwd *app, bool *changed)
{
	const struct np_config *cfg = app->cfg;

	*changed = false;
	for (unsigned int i = 0; i < cfg->n_ports; i++) {
		struct np_port_node n;
		uint16_t rxd = cfg->ports[i].rx_desc, txd = cfg->ports[i].tx_desc;

		if (np_port_find(cfg->ports[i].name, &app->port_ids[i]) < 0 ||
		    np_port_node_probe(app->port_ids[i], cfg->ports[i].node, &n) < 0 ||
		    np_port_adjust_desc(app->port_ids[i], &rxd, &txd) < 0)
			return -1;
		if (n.node != app->nodes[i].node) {
			fprintf(stderr, "numaperf-l2fwd: port%u %s: DPDK reports node %s%d, the "
				"topology said %s%d: planning with DPDK's\n", i,
				cfg->ports[i].name, n.node < 0 ? "unknown " : "", n.node,
				app->nodes[i].node < 0 ? "unknown " : "", app->nodes[i].node);
			*changed = true;
		}
		app->nodes[i] = n;
		*changed |= rxd != app->nb_rxd[i] || txd != app->nb_txd[i];
		app->nb_rxd[i] = rxd;
		app->nb_txd[i] = txd;
	}
	return 0;
}

static int
build_lcores(struct l2fwd *app)
{
	const struct np_config *cfg = app->cfg;

	for (unsigned int w = 0; w < np_plan_lcore_count(app->plan); w++) {
		struct np_plan_lcore pl;
		struct l2fwd_lcore *lc;
		int socket;

		np_plan_lcore(app->plan, w, &pl);
		socket = np_mempools_socket(app->pools, pl.mem_node);
		/* An lcore's context and counters live on its own node. */
		lc = rte_zmalloc_socket("l2fwd_lcore", sizeof(*lc), RTE_CACHE_LINE_SIZE, socket);
		app->stats[pl.lcore] = rte_zmalloc_socket("l2fwd_stats", sizeof(struct l2fwd_stats),
							  RTE_CACHE_LINE_SIZE, socket);
		app->lcores[pl.lcore] = lc;
		if (lc == NULL || app->stats[pl.lcore] == NULL) {
			fprintf(stderr, "numaperf-l2fwd: no memory on node %d for lcore %u\n",
				pl.node, pl.lcore);
			return -1;
		}
		lc->lcore = pl.lcore;
		lc->node = pl.node;
		lc->drain = cfg->mode == NP_TX_BY_HANDOFF ?
			    np_mempools_ring(app->pools, pl.node) : NULL;
		for (unsigned int i = 0; i < RTE_MAX_ETHPORTS; i++)
			lc->txq[i] = -1;
		for (unsigned int p = 0; p < cfg->n_ports; p++) {
			lc->txq[app->port_ids[p]] = (int16_t)np_plan_lcore_txq(app->plan, pl.lcore, p);
			lc->index_of[app->port_ids[p]] = (uint8_t)p;
		}
		for (unsigned int i = 0; i < np_plan_rxq_count(app->plan); i++) {
			struct np_plan_rxq q;
			struct np_plan_port_info dst;
			struct l2fwd_rxq *r;
			int txq;

			np_plan_rxq(app->plan, i, &q);
			if (q.lcore != pl.lcore)
				continue;
			if (lc->n_rxq >= L2FWD_MAX_RXQ) {
				fprintf(stderr, "numaperf-l2fwd: lcore %u would poll more than %d "
					"RX queues: add workers or lower rx_queues\n", pl.lcore,
					L2FWD_MAX_RXQ);
				return -1;
			}
			np_plan_port(app->plan, (unsigned int)cfg->ports[q.port].peer, &dst);
			r = &lc->rxq[lc->n_rxq++];
			r->port_id = app->port_ids[q.port];
			r->queue = q.queue;
			r->port = (uint8_t)q.port;
			r->dst = (uint8_t)cfg->ports[q.port].peer;
			r->dst_port_id = app->port_ids[r->dst];
			txq = np_plan_lcore_txq(app->plan, pl.lcore, r->dst);
			r->dst_txq = txq < 0 ? 0 : (uint16_t)txq;
			r->dst_ring = cfg->mode == NP_TX_BY_HANDOFF ?
				      np_mempools_ring(app->pools, dst.poll_node) : NULL;
			if ((cfg->mode == NP_TX_BY_POLLER && txq < 0) ||
			    (cfg->mode == NP_TX_BY_HANDOFF && r->dst_ring == NULL)) {
				fprintf(stderr, "numaperf-l2fwd: the plan gives lcore %u no way "
					"to send on port%u\n", pl.lcore, r->dst);
				return -1;
			}
		}
	}
	return 0;
}

int
l2fwd_start_ports(struct l2fwd *app)
{
	const struct np_config *cfg = app->cfg;
	struct np_mempools_opts mo = { .data_room = cfg->data_room,
				       .cache_size = cfg->cache_size, .no_numa = cfg->no_huge };
	bool changed;

	if (probe_ports(app, &changed) < 0)
		return -1;
	if (changed && l2fwd_plan(app) < 0)
		return -1;
	app->pools = np_mempools_create(app->plan, &mo);
	if (app->pools == NULL)
		return -1;
	for (unsigned int i = 0; i < cfg->n_ports; i++) {
		struct np_port_opts po = { .promiscuous = cfg->ports[i].promiscuous };
		char link[96];
		int up;

		app->ports[i] = np_port_start(app->plan, i, app->port_ids[i], app->pools, &po);
		if (app->ports[i] == NULL)
			return -1;
		rte_eth_macaddr_get(app->port_ids[i], &app->mac[app->port_ids[i]]);
		up = np_port_link(app->ports[i], 3000, link, sizeof(link));
		printf("port%u %s: %s\n", i, cfg->ports[i].name,
		       up < 0 ? "link status unknown" : link);
	}
	return build_lcores(app);
}

/*
 * net_ring ports loop what is sent on them back to their own RX and make no
 * traffic of their own: inject seed_packets per port, from the pool its RX
 * queue 0 uses, before the loops start (so TX queue 0 is free to use).
 */
int
l2fwd_seed(struct l2fwd *app)
{
	const struct np_config *cfg = app->cfg;
	struct rte_mbuf *m[64];

	for (unsigned int p = 0; p < cfg->n_ports && cfg->seed_packets > 0; p++) {
		struct rte_mempool *mp = NULL;
		unsigned int left = cfg->seed_packets;

		for (unsigned int i = 0; i < np_plan_rxq_count(app->plan); i++) {
			struct np_plan_rxq q;

			np_plan_rxq(app->plan, i, &q);
			if (q.port == p && q.queue == 0)
				mp = np_mempools_pool(app->pools, q.pool_node);
		}
		while (mp != NULL && left > 0) {
			unsigned int n = left < 64 ? left : 64;
			uint16_t sent;

			if (rte_pktmbuf_alloc_bulk(mp, m, n) != 0) {
				fprintf(stderr, "numaperf-l2fwd: pool %s has no %u free mbufs "
					"for seeding port%u\n", mp->name, n, p);
				return -1;
			}
			for (unsigned int i = 0; i < n; i++) {
				const uint16_t len = RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN;
				char *d = rte_pktmbuf_append(m[i], len);
				struct rte_ether_hdr *eth = (struct rte_ether_hdr *)d;

				if (d == NULL) {
					fprintf(stderr, "numaperf-l2fwd: a %u-byte frame does "
						"not fit an mbuf of pool %s\n", len, mp->name);
					rte_pktmbuf_free_bulk(m, n);
					return -1;
				}
				memset(d, 0, len);
				memset(&eth->dst_addr, 0xff, sizeof(eth->dst_addr));
				rte_ether_addr_copy(&app->mac[app->port_ids[p]], &eth->src_addr);
				eth->ether_type = rte_cpu_to_be_16(0x88b5); /* local experimental */
			}
			sent = rte_eth_tx_burst(app->port_ids[p], 0, m, (uint16_t)n);
			if (sent < n)
				rte_pktmbuf_free_bulk(m + sent, n - sent);
			app->seeded[p] += sent;
			left -= n;
			if (sent < n)
				break;
		}
	}
	return 0;
}

void
l2fwd_cleanup(struct l2fwd *app)
{
	for (unsigned int i = 0; i < NP_CONFIG_MAX_PORTS; i++)
		np_port_close(app->ports[i]);
	for (unsigned int i = 0; i < RTE_MAX_LCORE; i++) {
		rte_free(app->lcores[i]);
		rte_free(app->stats[i]);
	}
	np_mempools_destroy(app->pools);
	if (app->eal_up)
		rte_eal_cleanup();
	for (int i = 0; i < app->eal_argc; i++)
		free(app->eal_argv[i]);
	free(app->eal_argv);
	for (unsigned int i = 0; i < app->args.n_override_buf; i++)
		free(app->args.override_buf[i]);
	np_plan_destroy(app->plan);
	np_config_free(app->cfg);
	np_topo_destroy(app->topo);
}
