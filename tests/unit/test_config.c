/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The INI reader: a table of good and bad files (tests/data/config/), each
 * bad one with the exact message expected (file, line, section, key, allowed
 * values) and errno; command-line overrides; the shipped examples.
 * Topology checks run against tests/topologies/2node.xml (CPUs 0-3, nodes
 * 0-1, NICs 0000:00:05.0 and 0000:0a:02.0).
 */
#include <errno.h>
#include <stdlib.h>

#include "np_config.h"
#include "np_test.h"
#include "np_test_topo.h"
#include "np_topo.h"

static np_topo *topo2;
static char topo_path[1024];

static int
suite_init(void)
{
	snprintf(topo_path, sizeof(topo_path), "%s/2node.xml", NP_TOPO_DIR);
	topo2 = np_topo_load_xml(topo_path);
	if (topo2 == NULL)
		fprintf(stderr, "loading %s: %s\n", topo_path, np_last_error());
	return topo2 == NULL;
}

static int
suite_cleanup(void)
{
	np_topo_destroy(topo2);
	return 0;
}

static const char *
data(const char *name)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf), "%s/config/%s", NP_TEST_DATA, name);
	return buf;
}

/* Expand {F} (the file's path) and {T} (the topology's name). */
static void
expand(char *out, size_t len, const char *tmpl, const char *file)
{
	size_t o = 0;

	for (const char *s = tmpl; *s && o + 1 < len; ) {
		if (strncmp(s, "{F}", 3) == 0) {
			o += snprintf(out + o, len - o, "%s", file);
			s += 3;
		} else if (strncmp(s, "{T}", 3) == 0) {
			o += snprintf(out + o, len - o, "%s", topo_path);
			s += 3;
		} else {
			out[o++] = *s++;
			out[o] = '\0';
		}
	}
	out[o < len ? o : len - 1] = '\0';
}

#define SECTIONS "[eal], [workers], [pools], [policies], [pipeline], [port0] to [port31]"

static const struct {
	const char *file;
	int err;
	const char *msg;
} bad[] = {
	{ "bad-unknown-section.ini", EINVAL,
	  "{F}:1: unknown section [worker]; allowed sections: " SECTIONS },
	{ "bad-unknown-key.ini", EINVAL,
	  "{F}:2: [workers] unknown key 'lcore'; allowed keys: lcores, per_node, nodes" },
	{ "bad-type.ini", EINVAL,
	  "{F}:4: [pipeline] burst = many: not a whole number; allowed: 1-256" },
	{ "bad-range.ini", ERANGE,
	  "{F}:5: [port0] rx_queues = 500: out of range; allowed: 1-128" },
	{ "bad-lcore.ini", ENOENT,
	  "{F}:3: [workers] lcores = 0,9: CPU 9 does not exist in topology {T}; "
	  "allowed: CPU ids 0-3, as a list like 0-3,6" },
	{ "bad-node.ini", ENOENT,
	  "{F}:5: [port0] node = 5: node 5 does not exist in topology {T}; "
	  "allowed: auto, or a node id among 0-1" },
	{ "bad-unknown-node.ini", ENOENT,
	  "{F}:4: [policies] unknown_node = node 3: node 3 does not exist in topology "
	  "{T}; allowed: nearest-worker, node N (N among 0-1), fail" },
	{ "bad-policy-word.ini", EINVAL,
	  "{F}:2: [policies] unknown_node = zero: not a known policy; allowed: "
	  "nearest-worker, node N, fail" },
	{ "bad-bool.ini", EINVAL,
	  "{F}:2: [policies] strict = maybe: not a yes/no value; allowed: yes, no "
	  "(or true/false, on/off, 1/0)" },
	{ "bad-enum.ini", EINVAL,
	  "{F}:2: [pipeline] mode = fast: not a known value; allowed: io, handoff" },
	{ "bad-pow2.ini", EINVAL,
	  "{F}:2: [pipeline] ring_size = 1000: not a power of 2; allowed: a power of 2 "
	  "in 64-65536" },
	{ "bad-dup-key.ini", EEXIST,
	  "{F}:3: [workers] lcores is set again (first at line 2): keep one" },
	{ "bad-dup-section.ini", EEXIST,
	  "{F}:5: section [workers] appears again (first at line 1): merge them into one" },
	{ "bad-no-workers.ini", EINVAL,
	  "{F}: [workers] lcores = LIST or per_node = N is required (e.g. lcores = 0-1)" },
	{ "bad-both-workers.ini", EINVAL,
	  "{F}:2: [workers] lcores and per_node ({F}:3) both set: keep one" },
	{ "bad-port-gap.ini", EINVAL,
	  "{F}:5: [port2] but no [port1]: number ports from port0 without gaps" },
	{ "bad-port-nodev.ini", EINVAL,
	  "{F}:3: [port0] needs pci = ADDRESS (e.g. 0000:0a:02.0) or vdev = DEVICE "
	  "(e.g. net_null0)" },
	{ "bad-port-both.ini", EINVAL,
	  "{F}:3: [port0] has both pci and vdev: a port is one device, keep one" },
	{ "bad-pci.ini", ENOENT,
	  "{F}:4: [port0] pci = 0000:0b:00.0: no network device 0000:0b:00.0 in "
	  "topology {T} (numa-doctor lists them); allowed: 0000:00:05.0, 0000:0a:02.0" },
	{ "bad-pci-format.ini", EINVAL,
	  "{F}:2: [port0] pci = eth0: not a PCI address; allowed: a PCI address "
	  "DDDD:BB:DD.F (e.g. 0000:0a:02.0)" },
	{ "bad-peer.ini", EINVAL,
	  "{F}:5: [port0] peer = port5: port5 is not declared; allowed: port0 to port1" },
	{ "bad-syntax-noeq.ini", EINVAL,
	  "{F}:2: 'lcores 0-1' is neither a [section] nor key = value" },
	{ "bad-syntax-bracket.ini", EINVAL,
	  "{F}:1: section header '[workers' has no closing ']'" },
	{ "bad-syntax-hash.ini", EINVAL,
	  "{F}:2: '#' does not start a comment here: comments start with ';' (rte_cfgfile)" },
	{ "bad-empty-value.ini", EINVAL, "{F}:2: [workers] lcores has no value" },
	{ "bad-before-section.ini", EINVAL,
	  "{F}:2: key 'lcores' comes before any [section]" },
	{ "bad-eal-args.ini", EINVAL,
	  "{F}:2: [eal] args = --log-level=8 -l 0-1: -l is set by the configuration: "
	  "use [workers] lcores or per_node; allowed: EAL options other than -l, -c, "
	  "--lcores, --main-lcore, -a, -b, --vdev, --no-huge, --in-memory" },
	{ "bad-per-node.ini", ERANGE,
	  "{F}:2: [workers] per_node = 3: node 0 has only 2 CPUs; allowed: 1-2" },
	{ "bad-dup-device.ini", EEXIST,
	  "{F}:5: [port1] is device net_null0 again (as [port0]): give each port its "
	  "own device" },
	{ "bad-long-value.ini", EINVAL,
	  "{F}:2: [eal] args: value longer than 255 characters" },
	{ "no-such-file.ini", ENOENT,
	  "cannot open configuration {F}: No such file or directory; give an existing, "
	  "readable INI file (see config/examples/)" },
};

static void
test_bad_files(void)
{
	char want[400]; /* fits np_test.h's 512-byte message */

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *f = data(bad[i].file);
		struct np_config *c;

		errno = 0;
		c = np_config_load(f, NULL, 0, topo2);
		NP_CHECK(c == NULL, "%s refused", bad[i].file);
		NP_CHECK(errno == bad[i].err, "%s: errno %d, expected %d", bad[i].file,
			 errno, bad[i].err);
		expand(want, sizeof(want), bad[i].msg, f);
		NP_CHECK_STR(np_last_error(), want);
		np_config_free(c);
	}
}

static void
test_good_full(void)
{
	struct np_config *c = np_config_load(data("good-full.ini"), NULL, 0, topo2);

	NP_REQUIRE(c != NULL, "good-full.ini: %s", np_last_error());
	NP_CHECK_STR(c->eal_args, "--log-level=lib.eal:debug -n 2");
	NP_CHECK(c->no_huge, "no_huge");
	NP_CHECK_INT(c->n_lcores, 0);
	NP_CHECK_INT(c->per_node, 2);
	NP_CHECK_INT(c->n_nodes, 1);
	NP_CHECK_INT(c->nodes[0], 1);
	NP_CHECK_INT(c->data_room, 4096);
	NP_CHECK_INT(c->cache_size, 128);
	NP_CHECK_INT(c->placement, NP_POOL_AT_POLLER);
	NP_CHECK_INT(c->unknown_node, NP_UNKNOWN_FIXED_NODE);
	NP_CHECK_INT(c->unknown_node_id, 1);
	NP_CHECK(c->strict, "strict");
	NP_CHECK_INT(c->mode, NP_TX_BY_HANDOFF);
	NP_CHECK_INT(c->burst, 16);
	NP_CHECK_INT(c->mac, NP_MAC_NONE);
	NP_CHECK_INT(c->ring_size, 4096);
	NP_CHECK_INT(c->seed_packets, 8);
	NP_CHECK_INT(c->duration, 3);
	NP_REQUIRE_INT(c->n_ports, 2);
	NP_CHECK_STR(c->ports[0].pci, "0000:0a:02.0");
	NP_CHECK_STR(c->ports[0].name, "0000:0a:02.0");
	NP_CHECK_STR(c->ports[0].vdev, "");
	NP_CHECK_INT(c->ports[0].node, 1);
	NP_CHECK_INT(c->ports[0].rx_queues, 2);
	NP_CHECK_INT(c->ports[0].rx_desc, 512);
	NP_CHECK_INT(c->ports[0].tx_desc, 256);
	NP_CHECK_INT(c->ports[0].peer, 1);
	NP_CHECK(!c->ports[0].promiscuous, "promiscuous off");
	NP_CHECK_STR(c->ports[1].vdev, "net_ring0,nodeaction=r0:1:CREATE");
	NP_CHECK_STR(c->ports[1].name, "net_ring0");
	NP_CHECK_INT(c->ports[1].node, NP_NODE_UNKNOWN);
	NP_CHECK_INT(c->ports[1].peer, 0);
	np_config_free(c);
}

static void
test_defaults(void)
{
	/* No topology: CPU and node checks are skipped, defaults apply. */
	struct np_config *c = np_config_load(data("good-minimal.ini"), NULL, 0, NULL);

	NP_REQUIRE(c != NULL, "good-minimal.ini: %s", np_last_error());
	NP_CHECK_INT(c->n_lcores, 1);
	NP_CHECK_INT(c->lcores[0], 0);
	NP_CHECK(!c->no_huge, "hugepages by default");
	NP_CHECK_INT(c->data_room, 2176);
	NP_CHECK_INT(c->cache_size, 256);
	NP_CHECK_INT(c->placement, NP_POOL_AT_PORT);
	NP_CHECK_INT(c->unknown_node, NP_UNKNOWN_NEAREST_WORKER);
	NP_CHECK(!c->strict, "not strict");
	NP_CHECK_INT(c->mode, NP_TX_BY_POLLER);
	NP_CHECK_INT(c->burst, 32);
	NP_CHECK_INT(c->mac, NP_MAC_REWRITE);
	NP_CHECK_INT(c->ring_size, 1024);
	NP_CHECK_INT(c->duration, 0);
	NP_REQUIRE_INT(c->n_ports, 1);
	NP_CHECK_INT(c->ports[0].rx_queues, 1);
	NP_CHECK_INT(c->ports[0].rx_desc, 1024);
	NP_CHECK_INT(c->ports[0].node, NP_NODE_UNKNOWN);
	NP_CHECK_INT(c->ports[0].peer, 0); /* a lone port reflects */
	NP_CHECK(c->ports[0].promiscuous, "promiscuous by default");
	np_config_free(c);
}

static void
test_overrides(void)
{
	const char *ok[] = { "workers.per_node=1", "port1.vdev=net_null1",
			     " pipeline . burst = 8 " };
	const char *bad_range[] = { "pipeline.burst=0" };
	const char *bad_syntax[] = { "nokey" };
	const char *bad_section[] = { "foo.bar=1" };
	const char *bad_cpu[] = { "workers.lcores=4" };
	char want[400];
	struct np_config *c;

	c = np_config_load(data("good-minimal.ini"), ok, 3, topo2);
	NP_REQUIRE(c != NULL, "overrides: %s", np_last_error());
	/* per_node replaces the file's lcores instead of clashing with it. */
	NP_CHECK_INT(c->n_lcores, 0);
	NP_CHECK_INT(c->per_node, 1);
	NP_CHECK_INT(c->burst, 8);
	NP_REQUIRE_INT(c->n_ports, 2);
	NP_CHECK_STR(c->ports[1].name, "net_null1");
	NP_CHECK_INT(c->ports[0].peer, 1);
	np_config_free(c);

	c = np_config_load(data("good-minimal.ini"), bad_range, 1, topo2);
	NP_CHECK(c == NULL && errno == ERANGE, "burst 0 refused");
	NP_CHECK_STR(np_last_error(), "command line (--set pipeline.burst=0): [pipeline] "
		     "burst = 0: out of range; allowed: 1-256");
	c = np_config_load(data("good-minimal.ini"), bad_syntax, 1, topo2);
	NP_CHECK(c == NULL && errno == EINVAL, "nokey refused");
	NP_CHECK_STR(np_last_error(), "command line: override 'nokey' is not "
		     "section.key=value (e.g. --set workers.lcores=0-1)");
	c = np_config_load(data("good-minimal.ini"), bad_section, 1, topo2);
	NP_CHECK(c == NULL && errno == EINVAL, "foo.bar refused");
	NP_CHECK_STR(np_last_error(), "command line (--set foo.bar=1): unknown section "
		     "[foo]; allowed sections: " SECTIONS);
	c = np_config_load(data("good-minimal.ini"), bad_cpu, 1, topo2);
	NP_CHECK(c == NULL && errno == ENOENT, "CPU 4 refused");
	expand(want, sizeof(want), "command line (--set workers.lcores=4): [workers] "
	       "lcores = 4: CPU 4 does not exist in topology {T}; allowed: CPU ids "
	       "0-3, as a list like 0-3,6", "");
	NP_CHECK_STR(np_last_error(), want);
	c = np_config_load(NULL, NULL, 0, topo2);
	NP_CHECK(c == NULL && errno == EINVAL, "NULL path refused");
	NP_CHECK_CONTAINS(np_last_error(), "give one with --config FILE");
}

/* A configuration becomes plan parameters, and a plan on the machine. */
static void
test_plan_params(void)
{
	struct np_config *c = np_config_load(data("good-full.ini"), NULL, 0, topo2);
	struct np_plan_port ports[NP_CONFIG_MAX_PORTS];
	struct np_plan_params p;
	np_plan *plan;

	NP_REQUIRE(c != NULL, "good-full.ini: %s", np_last_error());
	NP_REQUIRE_INT(np_config_plan_params(c, ports, &p), 0);
	NP_CHECK_INT(p.n_ports, 2);
	NP_CHECK(p.ports == ports && p.cpus == NULL && p.n_cpus == 0, "per_node, no list");
	NP_CHECK_INT(p.per_node, 2);
	NP_CHECK(p.nodes != NULL && p.n_nodes == 1 && p.nodes[0] == 1, "nodes = 1");
	NP_CHECK_INT(p.unknown_policy, NP_UNKNOWN_FIXED_NODE);
	NP_CHECK_INT(p.unknown_node, 1);
	NP_CHECK(p.strict, "strict");
	NP_CHECK_INT(p.pool_placement, NP_POOL_AT_POLLER);
	NP_CHECK_INT(p.tx_mode, NP_TX_BY_HANDOFF);
	NP_CHECK_INT(p.ring_size, 4096);
	NP_CHECK_INT(p.burst, 16);
	NP_CHECK_INT(p.cache_size, 128);
	NP_CHECK_INT(p.held_per_port, 8);
	NP_CHECK_STR(ports[0].name, "0000:0a:02.0");
	NP_CHECK_INT(ports[0].node, NP_NODE_UNKNOWN);
	NP_CHECK_INT(ports[0].n_rxq, 2);
	NP_CHECK_INT(ports[0].nb_rxd, 512);
	NP_CHECK_INT(ports[0].nb_txd, 256);
	NP_CHECK_INT(ports[0].peer, 1);
	NP_CHECK_INT(ports[1].peer, 0);
	/* The caller gives the nodes (drivers-glue); the plan follows the file. */
	ports[0].node = 1;
	ports[1].node = 1;
	plan = np_plan_build(topo2, &p);
	NP_REQUIRE(plan != NULL, "plan: %s", np_last_error());
	NP_CHECK_INT(np_plan_lcore_count(plan), 2);  /* CPUs 2 and 3 of node 1 */
	NP_CHECK_INT(np_plan_ring_count(plan), 1);   /* handoff ring on node 1 */
	NP_CHECK_INT(np_plan_rxq_count(plan), 3);
	np_plan_destroy(plan);
	NP_CHECK_INT(np_config_plan_params(NULL, ports, &p), -EINVAL);
	np_config_free(c);
}

/* The shipped examples parse on the machines they are written for. */
static void
test_examples(void)
{
	static const struct { const char *file, *topo; unsigned int ports; } ex[] = {
		{ "l2fwd-vdev.ini", "1node.xml", 2 },
		{ "l2fwd-null.ini", "1node.xml", 2 },
		{ "l2fwd-vm.ini", "2node.xml", 2 },
	};
	char path[1024];

	for (unsigned int i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
		np_topo *t;
		struct np_config *c;

		snprintf(path, sizeof(path), "%s/../../config/examples/%s", NP_TEST_DATA,
			 ex[i].file);
		t = np_test_topo(ex[i].topo);
		c = np_config_load(path, NULL, 0, t);
		NP_CHECK(c != NULL, "%s: %s", ex[i].file, np_last_error());
		if (c)
			NP_CHECK_INT(c->n_ports, ex[i].ports);
		np_config_free(c);
		np_topo_destroy(t);
	}
}

static const struct np_test_case cases[] = {
	{ "bad files, exact messages", test_bad_files },
	{ "every key", test_good_full },
	{ "defaults", test_defaults },
	{ "command-line overrides", test_overrides },
	{ "plan parameters", test_plan_params },
	{ "shipped examples", test_examples },
	{ NULL, NULL },
};

NP_TEST_MAIN({ "config", suite_init, suite_cleanup, cases })
