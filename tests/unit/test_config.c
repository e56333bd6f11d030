/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The INI reader: a table of good and bad files (tests/data/config/), each
 * bad one with the exact message expected (file, line, section, key, allowed
 * values) and errno; command-line overrides; the shipped examples.
 * Topology checks run against tests/topologies/2node.xml (CPUs 0-3, nodes
 * 0-1, NICs 0000:00:05.0 and 0000:0a:02.0).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "np_config.h"
#include "np_runtime.h"
#include "np_test.h"
#include "np_test_sys.h"
#include "np_test_topo.h"
#include "np_topo.h"

static np_topo *topo2;
static char topo_path[1024];
/* A scratch folder for FIFOs, sockets and generated files. */
static char tmp_dir[128];

static int
suite_init(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmp_dir, sizeof(tmp_dir), "%s/np-test-config.XXXXXX", t && t[0] ? t : "/tmp");
	if (mkdtemp(tmp_dir) == NULL) {
		fprintf(stderr, "mkdtemp %s: %s\n", tmp_dir, strerror(errno));
		return 1;
	}
	snprintf(topo_path, sizeof(topo_path), "%s/2node.xml", NP_TOPO_DIR);
	topo2 = np_topo_load_xml(topo_path);
	if (topo2 == NULL)
		fprintf(stderr, "loading %s: %s\n", topo_path, np_last_error());
	return topo2 == NULL;
}

static int
suite_cleanup(void)
{
	char cmd[300];

	np_topo_destroy(topo2);
	/* Only what this program made, under its own mkdtemp folder. */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
	if (tmp_dir[0] && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmp_dir);
	return 0;
}

static void expand(char *out, size_t len, const char *tmpl, const char *file);

static const char *
tmp(const char *name)
{
	static char buf[200];

	snprintf(buf, sizeof(buf), "%s/%.60s", tmp_dir, name);
	return buf;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Load @path and expect a refusal with exactly @want ({F} = @path) and @err. */
static void
expect_refused(const char *path, int err, const char *tmpl)
{
	char want[400]; /* fits np_test.h's 512-byte message */
	struct np_config *c;

	errno = 0;
	c = np_config_load(path, NULL, 0, topo2);
	NP_CHECK(c == NULL, "%s refused", path);
	NP_CHECK(errno == err, "%s: errno %d (%s), expected %d (%s)", path, errno,
		 strerror(errno), err, strerror(err));
	expand(want, sizeof(want), tmpl, path);
	NP_CHECK_STR(np_last_error(), want);
	np_config_free(c);
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

#define SECTIONS "[eal], [workers], [pools], [policies], [pipeline], [flows], [port0] to [port31]"

static const struct {
	const char *file;
	int err;
	const char *msg;
} bad[] = {
	{ "bad-unknown-section.ini", EINVAL,
	  "{F}:1: unknown section [worker]; allowed sections: " SECTIONS },
	{ "bad-unknown-key.ini", EINVAL,
	  "{F}:2: [workers] unknown key 'lcore'; allowed keys: lcores, per_node, nodes, "
	  "main_lcore" },
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
	{ "bad-decimal.ini", EINVAL,
	  "{F}:4: [flows] zipf = 0x1: not a decimal number; allowed: a decimal number from 0 "
	  "to 10" },
	{ "bad-decimal-range.ini", ERANGE,
	  "{F}:5: [flows] zipf = 10.5: out of range; allowed: a decimal number from 0 to 10" },
	{ "bad-flow-home.ini", EINVAL,
	  "{F}:4: [flows] home = egress: not a known value; allowed: symmetric, ingress" },
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
	  "use [workers] lcores or per_node; allowed: EAL options the configuration does "
	  "not own" },
	{ "bad-per-node.ini", ERANGE,
	  "{F}:2: [workers] per_node = 3: node 0 has only 2 CPUs; allowed: 1-2" },
	{ "bad-per-node-main.ini", ERANGE,
	  "{F}:2: [workers] per_node = 2: node 0 has only 1 CPU besides the main lcore "
	  "(CPU 0: put [workers] main_lcore on another node, or list [workers] nodes "
	  "without node 0); allowed: 1" },
	{ "bad-main-lcore.ini", ENOENT,
	  "{F}:3: [workers] main_lcore = 9: CPU 9 does not exist in topology {T}; allowed: "
	  "first-worker, or a CPU id among 0-3 that is not a worker" },
	{ "bad-main-lcore-word.ini", EINVAL,
	  "{F}:3: [workers] main_lcore = main: not a CPU id; allowed: first-worker, or a "
	  "CPU id among 0-3 that is not a worker" },
	{ "bad-main-lcore-worker.ini", EEXIST,
	  "{F}:3: [workers] main_lcore = 1 is also a worker in lcores ({F}:2): the main "
	  "lcore kept apart forwards nothing; choose another CPU, drop it from lcores, or "
	  "set main_lcore = first-worker" },
	{ "bad-dup-device.ini", EEXIST,
	  "{F}:5: [port1] is device net_null0 again (as [port0]): give each port its "
	  "own device" },
	{ "bad-long-value.ini", EINVAL,
	  "{F}:2: [eal] args: value longer than 255 characters" },
	{ "no-such-file.ini", ENOENT,
	  "cannot open configuration {F}: No such file or directory; give an existing, "
	  "readable INI file (see config/examples/)" },
	{ "bad-bom.ini", EINVAL,
	  "{F}:1: starts with a UTF-8 byte-order mark (EF BB BF): save the file without it" },
	{ "bad-binary.ini", EINVAL,
	  "{F}:3: control byte \\x7f at column 1: a configuration is text (is this a "
	  "binary file?)" },
	{ "bad-list-empty.ini", EINVAL,
	  "{F}:2: [workers] lcores = 0,,1: CPU list \"0,,1\": stray ',' at position 3 (an "
	  "empty item; write e.g. \"0,2-3\"); allowed: CPU ids 0-3, as a list like 0-3,6" },
	{ "bad-latin1.ini", EINVAL,
	  "{F}:5: [pipeline] mode = caf\\xe9: not a known value; allowed: io, handoff" },
	{ "bad-order.ini", ERANGE,
	  "{F}:4: [pipeline] burst = 0: out of range; allowed: 1-256" },
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
	NP_CHECK(!c->latency, "latency = no");
	NP_CHECK_INT(c->tx_drain_us, 100);
	NP_CHECK_INT(c->flows, 5000);
	NP_CHECK(c->flow_zipf == 1.25, "zipf 1.25, got %g", c->flow_zipf);
	NP_CHECK_INT(c->flow_home, NP_FLOW_HOME_INGRESS);
	NP_CHECK_INT(c->flow_capacity, 8192);
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
	NP_CHECK(c->latency, "latency recorded by default");
	NP_CHECK_INT(c->tx_drain_us, 0);
	NP_CHECK_INT(c->flows, 0);
	NP_CHECK(c->flow_zipf == 0, "uniform flows by default");
	NP_CHECK_INT(c->flow_home, NP_FLOW_HOME_SYMMETRIC);
	NP_CHECK_INT(c->flow_capacity, 0);
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

/* EAL arguments are read as EAL reads them: abbreviations and clusters are caught. */
static void
test_eal_owner(void)
{
	NP_CHECK_STR(np_config_eal_owner("--vde=net_null0"), "[portN] pci or vdev");
	NP_CHECK_STR(np_config_eal_owner("--main-lc=0"), "[workers] main_lcore");
	NP_CHECK_STR(np_config_eal_owner("-vl0"), "[workers] lcores or per_node");
	NP_CHECK_STR(np_config_eal_owner("--no-hug"), "[eal] no_huge");
	NP_CHECK(np_config_eal_owner("--log-level=8") == NULL, "--log-level is free");
	NP_CHECK_CONTAINS(np_config_eal_owner("--proc-type=secondary"), "not supported");
	/* In the file: the key's line, and the reason where no key owns it. */
	{
		struct np_config *c = np_config_load(data("good-minimal.ini"), (const char *[]){
			"eal.args=--proc-type=secondary" }, 1, topo2);

		NP_CHECK(c == NULL && errno == EINVAL, "--proc-type refused in [eal] args");
		NP_CHECK_CONTAINS(np_last_error(), "[eal] args = --proc-type=secondary: "
				  "--proc-type: not supported");
		np_config_free(c);
	}
}

/* A configuration becomes the runtime's parameters, and a plan on the machine. */
static void
test_runtime_params(void)
{
	struct np_config *c = np_config_load(data("good-full.ini"), NULL, 0, topo2);
	static struct np_config_runtime r;
	struct np_runtime_params *p = &r.params;
	np_runtime *rt;
	const np_plan *plan;

	NP_REQUIRE(c != NULL, "good-full.ini: %s", np_last_error());
	NP_REQUIRE_INT(np_config_runtime(c, &r), 0);
	NP_CHECK_INT(p->n_ports, 2);
	NP_CHECK(p->ports == r.ports && p->cpus == NULL && p->n_cpus == 0, "per_node, no list");
	NP_CHECK_INT(p->per_node, 2);
	NP_CHECK(p->nodes != NULL && p->n_nodes == 1 && p->nodes[0] == 1, "nodes = 1");
	NP_CHECK_INT(p->unknown_policy, NP_UNKNOWN_FIXED_NODE);
	NP_CHECK_INT(p->unknown_node, 1);
	NP_CHECK(p->strict, "strict");
	NP_CHECK_INT(p->pool_placement, NP_POOL_AT_POLLER);
	NP_CHECK_INT(p->tx_mode, NP_TX_BY_HANDOFF);
	NP_CHECK_INT(p->ring_size, 4096);
	NP_CHECK_INT(p->burst, 16);
	NP_CHECK_INT(p->cache_size, 128);
	NP_CHECK_INT(p->held_per_port, 8);
	NP_CHECK_STR(r.ports[0].pci, "0000:0a:02.0");
	NP_CHECK(r.ports[0].vdev == NULL, "port 0 is PCI");
	NP_CHECK_INT(r.ports[0].node, 1);               /* node = 1 in the file */
	NP_CHECK_INT(r.ports[0].rx_queues, 2);
	NP_CHECK_INT(r.ports[0].rx_desc, 512);
	NP_CHECK_INT(r.ports[0].tx_desc, 256);
	NP_CHECK_INT(r.ports[0].peer, 1);
	NP_CHECK_INT(r.ports[1].peer, 0);
	NP_CHECK(p->n_eal_args >= 1, "[eal] args split into %u arguments", p->n_eal_args);
	/* The bring-up plans on the described machine (no EAL): CPUs 2 and 3 of node 1. */
	p->topo = topo2;
	rt = np_runtime_create(p);
	NP_REQUIRE(rt != NULL, "runtime: %s", np_last_error());
	plan = np_runtime_plan(rt);
	NP_CHECK_INT(np_plan_lcore_count(plan), 2);
	NP_CHECK_INT(np_plan_ring_count(plan), 1);   /* handoff ring on node 1 */
	NP_CHECK_INT(np_plan_rxq_count(plan), 3);
	np_runtime_destroy(rt);
	NP_CHECK(!p->main_lcore_apart, "no main_lcore: the first worker is the main lcore");
	NP_CHECK_INT(np_config_runtime(NULL, &r), -EINVAL);
	np_config_free(c);
	/* [workers] main_lcore: EAL's main lcore apart, on node 0; the workers on node 1. */
	c = np_config_load(data("good-full.ini"), (const char *[]){ "workers.main_lcore=0" },
			   1, topo2);
	NP_REQUIRE(c != NULL, "good-full.ini, main_lcore=0: %s", np_last_error());
	NP_CHECK_INT(c->main_lcore, 0);
	NP_REQUIRE_INT(np_config_runtime(c, &r), 0);
	NP_CHECK(p->main_lcore_apart && p->main_lcore == 0, "main lcore 0 apart");
	p->topo = topo2;
	rt = np_runtime_create(p);
	NP_REQUIRE(rt != NULL, "runtime: %s", np_last_error());
	{
		bool apart = false;

		NP_CHECK_INT(np_plan_main_lcore(np_runtime_plan(rt), &apart), 0);
		NP_CHECK(apart, "the plan keeps it apart");
	}
	np_runtime_destroy(rt);
	np_config_free(c);
	/* first-worker sets the default back. */
	c = np_config_load(data("good-full.ini"), (const char *[]){ "workers.main_lcore=0",
		"workers.main_lcore=first-worker" }, 2, topo2);
	NP_REQUIRE(c != NULL, "good-full.ini, main_lcore=first-worker: %s", np_last_error());
	NP_CHECK_INT(c->main_lcore, -1);
	np_config_free(c);
}

/*
 * The bring-up refuses @p r's parameters about @p param, and the
 * configuration's explanation of it, left in @p buf, holds @p want.
 */
static void
expect_explained(const struct np_config *c, const struct np_config_runtime *r, const char *param,
		 const char *want, char *buf, size_t len)
{
	NP_CHECK(np_runtime_create(&r->params) == NULL, "%s refused", param);
	NP_CHECK_STR(np_last_error_param(), param);
	np_config_explain(c, r->params.n_eal_args, buf, len);
	NP_CHECK(strstr(buf, want) != NULL, "got: %.300s", buf);
}

/* A lower layer's failure about a parameter names the file's line, section and key. */
static void
test_explain(void)
{
	struct np_config *c = np_config_load(data("good-full.ini"), (const char *[]){
		"pools.cache_size=64" }, 1, topo2);
	static struct np_config_runtime r;
	char buf[512];

	NP_REQUIRE(c != NULL, "good-full.ini: %s", np_last_error());
	NP_REQUIRE_INT(np_config_runtime(c, &r), 0);
	/* A plan refusal about a key of the file: its line. */
	r.params.topo = topo2;
	r.params.n_cpus = 1;
	r.params.cpus = (const unsigned int[]){ 9 };
	r.params.per_node = 0;
	r.params.nodes = NULL;
	r.params.n_nodes = 0;
	/* good-full.ini sets per_node, not lcores: the key is not in the file. */
	expect_explained(c, &r, "workers.cpus", "[workers] lcores (not set: the default): worker "
			 "CPU 9 does not exist", buf, sizeof(buf));
	r.params.cpus = NULL;
	r.params.n_cpus = 0;
	r.params.per_node = 2;
	/* A refusal about the main lcore names its key. */
	r.params.main_lcore_apart = true;
	r.params.main_lcore = 9;
	expect_explained(c, &r, "workers.main_lcore", "[workers] main_lcore (not set: the "
			 "default): main lcore CPU 9 does not exist", buf, sizeof(buf));
	r.params.main_lcore_apart = false;
	/* A port's key the file sets: FILE:LINE: [portN] key. */
	r.ports[1].peer = 7;
	expect_explained(c, &r, "ports[1].peer", ": [port1] peer: port 1: peer 7 is not a port",
			 buf, sizeof(buf));
	NP_CHECK(strstr(buf, data("good-full.ini")) == buf, "starts with the file: %.300s", buf);
	np_config_free(c);
	/* A refusal caused by a key from the command line says so. */
	c = np_config_load(data("good-full.ini"), (const char *[]){ "workers.lcores=0-1",
		"policies.strict=yes" }, 2, topo2);
	NP_REQUIRE(c != NULL, "good-full.ini with overrides: %s", np_last_error());
	NP_REQUIRE_INT(np_config_runtime(c, &r), 0);
	r.params.topo = topo2;
	NP_CHECK(np_runtime_create(&r.params) == NULL, "strict refuses a NIC without worker");
	np_config_explain(c, r.params.n_eal_args, buf, sizeof(buf));
	NP_CHECK(strncmp(buf, "command line (--set policies.strict=yes): port 0000:0a:02.0 is "
			 "on node 1, which has no worker", 74) == 0, "got: %.300s", buf);
	/* A failure about no key of the file (a described machine cannot run): as is. */
	r.params.strict = false;
	{
		np_runtime *rt = np_runtime_create(&r.params);

		NP_REQUIRE(rt != NULL, "plan: %s", np_last_error());
		NP_CHECK_INT(np_runtime_start(rt), -EPERM);
		np_config_explain(c, r.params.n_eal_args, buf, sizeof(buf));
		NP_CHECK(strncmp(buf, "the topology is a described machine", 35) == 0, "got: %.300s",
			 buf);
		np_runtime_destroy(rt);
	}
	/* An EAL argument from the command line (after the file's): as is. */
	r.eal_args[r.params.n_eal_args] = "--proc-type=secondary";
	r.params.n_eal_args++;
	NP_CHECK(np_runtime_create(&r.params) == NULL, "--proc-type refused");
	np_config_explain(c, r.params.n_eal_args - 1, buf, sizeof(buf));
	NP_CHECK(strncmp(buf, "EAL argument --proc-type=secondary: not supported", 49) == 0,
		 "got: %.300s", buf);
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
		{ "l2fwd-memif.ini", "1node.xml", 2 },
		{ "l2fwd-flows.ini", "1node.xml", 2 },
		{ "bench-null.ini", "1node.xml", 2 },
	};
	char path[1024];
	struct dirent *d;
	DIR *dir;

	/* Every example in the folder is in the table: a new one is checked too. */
	snprintf(path, sizeof(path), "%s/../../config/examples", NP_TEST_DATA);
	dir = opendir(path);
	NP_REQUIRE(dir != NULL, "config/examples: %s", strerror(errno));
	while ((d = readdir(dir)) != NULL) {
		size_t len = strlen(d->d_name);
		unsigned int k = 0;

		if (len < 4 || strcmp(d->d_name + len - 4, ".ini") != 0)
			continue;
		while (k < sizeof(ex) / sizeof(ex[0]) && strcmp(ex[k].file, d->d_name) != 0)
			k++;
		NP_CHECK(k < sizeof(ex) / sizeof(ex[0]), "config/examples/%s is not checked here: "
			 "add it to test_examples()", d->d_name);
	}
	closedir(dir);
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


/* ---- reading the file: once, bounded, text only --------------------------- */

#define SEE_EXAMPLES "(see config/examples/)"

/* A directory, a device, a socket: named, never read (devices never opened). */
static void
test_not_regular(void)
{
	char dir[1024];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	double t0;
	int fd;

	snprintf(dir, sizeof(dir), "%s/config", NP_TEST_DATA);
	expect_refused(dir, EISDIR, "{F} is a directory, not a configuration file: give an "
		       "INI file " SEE_EXAMPLES);
	expect_refused("/dev/null", EINVAL, "{F} is a character device, not a configuration "
		       "file: give a regular file or a pipe holding an INI configuration "
		       SEE_EXAMPLES);
	t0 = now_s();
	expect_refused("/dev/zero", EINVAL, "{F} is a character device, not a configuration "
		       "file: give a regular file or a pipe holding an INI configuration "
		       SEE_EXAMPLES);
	NP_CHECK(now_s() - t0 < 5.0, "/dev/zero refused at once: %.3f s", now_s() - t0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%.100s", tmp("socket"));
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	NP_REQUIRE(fd >= 0, "socket: %s", strerror(errno));
	NP_REQUIRE(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0, "bind %s: %s",
		   sa.sun_path, strerror(errno));
	expect_refused(sa.sun_path, EINVAL, "{F} is a socket, not a configuration file: give "
		       "a regular file or a pipe holding an INI configuration " SEE_EXAMPLES);
	close(fd);
	unlink(sa.sun_path);
}

/* What a child writes into the FIFO. */
enum fifo_writer { W_CONFIG, W_NOTHING, W_ZEROS, W_COMMENTS };

static const char fifo_config[] =
	"[workers]\nlcores = 0\n[pipeline]\nburst = 7\n[port0]\nvdev = net_null0\n";

/*
 * A FIFO in the scratch folder with a writer child. The reader blocks in
 * open() until the writer opens its end, as with any FIFO: so the child
 * always opens it, and an alarm ends a child that is never read.
 */
static pid_t
fifo_with_writer(const char *path, enum fifo_writer what)
{
	pid_t pid;

	unlink(path);
	NP_REQUIRE(mkfifo(path, 0600) == 0, "mkfifo %s: %s", path, strerror(errno));
	pid = fork();
	NP_REQUIRE(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		char buf[4096];
		int fd;

		alarm(30);
		fd = open(path, O_WRONLY);
		if (fd < 0)
			_exit(2);
		switch (what) {
		case W_CONFIG:
			_exit(write(fd, fifo_config, strlen(fifo_config)) ==
			      (ssize_t)strlen(fifo_config) ? 0 : 3);
		case W_NOTHING:
			_exit(0);
		case W_ZEROS:     /* /dev/zero through a pipe: no end, no newline */
			memset(buf, 0, sizeof(buf));
			break;
		case W_COMMENTS:  /* `yes '; c'`: endless short, valid lines */
			for (size_t i = 0; i + 4 <= sizeof(buf); i += 4)
				memcpy(buf + i, "; c\n", 4);
			break;
		}
		/* Until the reader closes its end: SIGPIPE, or EPIPE if ignored. */
		for (;;)
			if (write(fd, buf, sizeof(buf)) < 0)
				_exit(0);
	}
	return pid;
}

/* The writer ended: by itself (exit 0) or by SIGPIPE when the reader stopped. */
static void
reap_writer(pid_t pid, const char *what)
{
	int status = 0;

	NP_REQUIRE(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	NP_CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
		 (WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE),
		 "%s writer: status 0x%x", what, status);
}

/* Read once: a FIFO (what `--config <(cat f)` gives) works, and is bounded. */
static void
test_fifo(void)
{
	const char *path = tmp("fifo.ini");
	struct np_config *c;
	double t0;
	pid_t pid;

	alarm(120); /* a reader stuck in open() fails the test instead of hanging */

	pid = fifo_with_writer(path, W_CONFIG);
	c = np_config_load(path, NULL, 0, topo2);
	NP_CHECK(c != NULL, "a finite FIFO is read: %s", np_last_error());
	if (c) {
		NP_CHECK_INT(c->burst, 7);
		NP_CHECK_INT(c->n_ports, 1);
		NP_CHECK_STR(c->ports[0].vdev, "net_null0");
	}
	np_config_free(c);
	reap_writer(pid, "config");

	pid = fifo_with_writer(path, W_NOTHING);
	expect_refused(path, EINVAL, "{F} is a FIFO (pipe) that gave no data: write a "
		       "configuration into it, or give a regular file " SEE_EXAMPLES);
	reap_writer(pid, "empty");

	t0 = now_s();
	pid = fifo_with_writer(path, W_ZEROS);
	expect_refused(path, EINVAL, "{F}:1: line longer than 322 bytes: rte_cfgfile reads "
		       "at most 322, and a value is at most 255 characters");
	printf("\n    endless zeros through a FIFO: refused after %.1f ms\n",
	       (now_s() - t0) * 1e3);
	NP_CHECK(now_s() - t0 < 5.0, "stops at the first long line: %.3f s", now_s() - t0);
	reap_writer(pid, "zeros");

	t0 = now_s();
	pid = fifo_with_writer(path, W_COMMENTS);
	expect_refused(path, EFBIG, "{F} (a FIFO): more than 1048576 bytes: a configuration "
		       "is at most 1 MiB; is this the right file?");
	printf("    endless comment lines through a FIFO: refused after %.1f ms\n",
	       (now_s() - t0) * 1e3);
	NP_CHECK(now_s() - t0 < 5.0, "stops at 1 MiB: %.3f s", now_s() - t0);
	reap_writer(pid, "comments");

	alarm(0);
	unlink(path);
}

static void
write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	NP_REQUIRE(f != NULL, "fopen %s: %s", path, strerror(errno));
	NP_REQUIRE(fwrite(text, 1, len, f) == len, "fwrite %s", path);
	NP_REQUIRE(fclose(f) == 0, "fclose %s", path);
}

/* Lines and values at rte_cfgfile's limits: the last length accepted, the first refused. */
static void
test_line_limits(void)
{
	const char *path = tmp("limits.ini");
	char text[1024], value[300];
	struct np_config *c;
	int n;

	/* A 322-byte comment line is accepted, 323 bytes is not. */
	for (int len = 322; len <= 323; len++) {
		n = snprintf(text, sizeof(text), "[workers]\nlcores = 0\n;%0*d\n[port0]\n"
			     "vdev = net_null0\n", len - 1, 0);
		write_file(path, text, (size_t)n);
		if (len == 322) {
			c = np_config_load(path, NULL, 0, topo2);
			NP_CHECK(c != NULL, "322 bytes: %s", np_last_error());
			np_config_free(c);
		} else {
			expect_refused(path, EINVAL, "{F}:3: line longer than 322 bytes: "
				       "rte_cfgfile reads at most 322, and a value is at most "
				       "255 characters");
		}
	}
	/* A 255-character value is kept whole; 256 is refused. */
	for (int len = 255; len <= 256; len++) {
		memset(value, 'a', sizeof(value));
		memcpy(value, "net_null0,x=", 12);
		value[len] = '\0';
		n = snprintf(text, sizeof(text), "[workers]\nlcores = 0\n[port0]\nvdev = %s\n",
			     value);
		write_file(path, text, (size_t)n);
		if (len == 255) {
			c = np_config_load(path, NULL, 0, topo2);
			NP_CHECK(c != NULL, "255 characters: %s", np_last_error());
			if (c)
				NP_CHECK_STR(c->ports[0].vdev, value);
			np_config_free(c);
		} else {
			expect_refused(path, EINVAL, "{F}:4: [port0] vdev: value longer than 255 "
				       "characters");
		}
	}
	/* "\;" is a literal ';' (rte_cfgfile's escape), and a ';' after it no comment. */
	n = snprintf(text, sizeof(text), "[workers]\nlcores = 0 ; the CPU\n[port0]\n"
		     "vdev = net_ring0,nodeaction=a\\;b:0:CREATE\n");
	write_file(path, text, (size_t)n);
	c = np_config_load(path, NULL, 0, topo2);
	NP_CHECK(c != NULL, "escaped ';': %s", np_last_error());
	if (c)
		NP_CHECK_STR(c->ports[0].vdev, "net_ring0,nodeaction=a;b:0:CREATE");
	np_config_free(c);
	/* Windows line ends are text; a lone '\r' inside a line is not. */
	n = snprintf(text, sizeof(text), "[workers]\r\nlcores = 0\r\n[port0]\r\n"
		     "vdev = net_null0\r\n");
	write_file(path, text, (size_t)n);
	c = np_config_load(path, NULL, 0, topo2);
	NP_CHECK(c != NULL, "\\r\\n line ends: %s", np_last_error());
	np_config_free(c);
	n = snprintf(text, sizeof(text), "[workers]\nlcores = 0\rmore\n");
	write_file(path, text, (size_t)n);
	expect_refused(path, EINVAL, "{F}:2: control byte \\x0d at column 11: a configuration "
		       "is text (is this a binary file?)");
	/* Only comments, or nothing: said so, not "[workers] ... is required". */
	write_file(path, "; nothing yet\n\n", 15);
	expect_refused(path, EINVAL, "{F} has no [section] (it is only comments and blank "
		       "lines): a configuration needs at least [workers] and [port0] "
		       SEE_EXAMPLES);
	write_file(path, "", 0);
	expect_refused(path, EINVAL, "{F} has no [section] (it is empty): a configuration "
		       "needs at least [workers] and [port0] " SEE_EXAMPLES);
	unlink(path);
}

/*
 * 100,000 keys: refused at the first faulty line, in linear time. The old
 * duplicate check compared every key with every earlier one before it got
 * to "unknown key" (40,000 keys took 8 s). The time is printed as a figure;
 * the bound asserted is loose, so a busy machine never fails it.
 */
static void
test_many_keys(void)
{
	static const struct {
		const char *section, *fmt, *want;
		int err;
	} kinds[] = {
		{ "workers", "k%u=1\n", "{F}:2: [workers] unknown key 'k0'; allowed keys: "
		  "lcores, per_node, nodes, main_lcore", EINVAL },
		{ "pipeline", "burst=%u\n", "{F}:3: [pipeline] burst is set again (first at "
		  "line 2): keep one", EEXIST },
	};
	const unsigned int n_keys = 100000;
	const char *path = tmp("keys.ini");

	for (unsigned int k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		FILE *f = fopen(path, "w");
		double t0;

		NP_REQUIRE(f != NULL, "fopen %s: %s", path, strerror(errno));
		fprintf(f, "[%s]\n", kinds[k].section);
		for (unsigned int i = 0; i < n_keys; i++)
			fprintf(f, kinds[k].fmt, i % 200 + (k ? 1 : i));
		NP_REQUIRE(fclose(f) == 0, "fclose");
		t0 = now_s();
		expect_refused(path, kinds[k].err, kinds[k].want);
		printf("%s    %u keys in [%s]: refused in %.1f ms\n", k ? "" : "\n", n_keys,
		       kinds[k].section, (now_s() - t0) * 1e3);
		NP_CHECK(now_s() - t0 < 5.0, "%u keys: %.3f s", n_keys, now_s() - t0);
	}
	unlink(path);
}

/* Input in messages is escaped: an override's value, a file name. */
static void
test_escaped_input(void)
{
	const char *esc[] = { "pipeline.mode=\x1b[31mred\x07" };
	char name[64], path[200];
	struct np_config *c;

	c = np_config_load(data("good-minimal.ini"), esc, 1, topo2);
	NP_CHECK(c == NULL && errno == EINVAL, "ESC in --set refused");
	NP_CHECK_STR(np_last_error(), "command line (--set pipeline.mode=\\x1b[31mred\\x07): "
		     "[pipeline] mode = \\x1b[31mred\\x07: not a known value; allowed: io, "
		     "handoff");
	snprintf(name, sizeof(name), "bad\x01name.ini");
	snprintf(path, sizeof(path), "%s", tmp(name));
	write_file(path, "[worker]\n", 9);
	c = np_config_load(path, NULL, 0, topo2);
	NP_CHECK(c == NULL && errno == EINVAL, "unknown section refused");
	NP_CHECK_CONTAINS(np_last_error(), "/bad\\x01name.ini:1: unknown section [worker]");
	NP_CHECK(strchr(np_last_error(), '\x01') == NULL, "no raw control byte: %s",
		 np_last_error());
	unlink(path);
}

/* np_config_load_buffer(): the same reader on memory (the fuzz target's entry). */
static void
test_load_buffer(void)
{
	static const char good[] = "[workers]\nlcores = 0-1\n[port0]\nvdev = net_null0\n";
	static const char nul[] = "[workers]\nlcores = 0\0\n";
	struct np_config *c;
	char *big;

	c = np_config_load_buffer("mem.ini", good, sizeof(good) - 1, NULL, 0, topo2);
	NP_REQUIRE(c != NULL, "from memory: %s", np_last_error());
	NP_CHECK(strcmp(c->path, "mem.ini") == 0, "path \"%.100s\"", c->path);
	NP_CHECK_INT(c->n_lcores, 2);
	np_config_free(c);
	/* Not NUL-terminated: only len bytes are read. */
	c = np_config_load_buffer("mem.ini", good, sizeof(good) - 6, NULL, 0, topo2);
	NP_CHECK(c != NULL, "cut buffer: %s", np_last_error());
	if (c)
		NP_CHECK_STR(c->ports[0].vdev, "net_n");
	np_config_free(c);
	c = np_config_load_buffer("mem.ini", nul, sizeof(nul) - 1, NULL, 0, topo2);
	NP_CHECK(c == NULL && errno == EINVAL, "NUL refused");
	NP_CHECK_STR(np_last_error(), "mem.ini:2: control byte \\x00 at column 11: a "
		     "configuration is text (is this a binary file?)");
	c = np_config_load_buffer(NULL, good, sizeof(good) - 1, NULL, 0, topo2);
	NP_CHECK(c == NULL && errno == EINVAL, "no name refused");
	c = np_config_load_buffer("mem.ini", NULL, 5, NULL, 0, topo2);
	NP_CHECK(c == NULL && errno == EINVAL, "NULL data refused");
	NP_CHECK_STR(np_last_error(), "mem.ini: no data but a length of 5");
	/* 1 MiB of comment lines and one byte more. */
	big = malloc((1u << 20) + 1);
	NP_REQUIRE(big != NULL, "malloc");
	for (size_t i = 0; i < (1u << 20); i += 4)
		memcpy(big + i, "; c\n", 4);
	big[1u << 20] = ';';
	c = np_config_load_buffer("big.ini", big, (1u << 20) + 1, NULL, 0, topo2);
	NP_CHECK(c == NULL && errno == EFBIG, "over 1 MiB refused");
	NP_CHECK_STR(np_last_error(), "big.ini: more than 1048576 bytes: a configuration is "
		     "at most 1 MiB; is this the right file?");
	free(big);
}

/* A read that fails for real (seccomp), in a child: EIO, said so. */
struct read_report {
	int setup, err, ok;
	char msg[300];
};

static void
read_in_child(void *report, void *arg)
{
	struct read_report *o = report;
	const char *path = arg;
	struct np_config *c;

	/*
	 * Only reads of the configuration's descriptor fail: it will get the
	 * lowest free one, found here (the child has one thread; a tool such
	 * as valgrind keeps its own descriptors far above).
	 */
	struct np_test_deny d = { SYS_read, 0, 0, EIO };
	int fd = open("/dev/null", O_RDONLY);

	close(fd);
	d.val = (uint32_t)fd;
	o->setup = fd < 0 ? -errno : np_test_deny_syscalls(&d, 1);
	if (o->setup < 0)
		return;
	c = np_config_load(path, NULL, 0, NULL);
	o->ok = c != NULL;
	o->err = errno;
	snprintf(o->msg, sizeof(o->msg), "%s", np_last_error());
	np_config_free(c);
}

static void
test_read_error(void)
{
	const char *path = data("good-minimal.ini");
	struct read_report out;
	struct np_test_child c = np_test_fork(read_in_child, (void *)path, &out, sizeof(out));
	char want[160];

	NP_REQUIRE_CHILD_OK(c);
	if (out.setup < 0) {
		printf("\n    seccomp unavailable (%s): read error not produced\n",
		       strerror(-out.setup));
		return;
	}
	NP_CHECK(!out.ok, "a failing read fails the load");
	NP_CHECK_INT(out.err, EIO);
	snprintf(want, sizeof(want), "%.100s: read error: Input/output error", path);
	NP_CHECK_STR(out.msg, want);
}


/* ---- numeric keys at the edges of their documented ranges ----------------- */

/*
 * The limits as config/examples/l2fwd-vdev.ini documents them, copied here
 * by hand (not from the code's tables): the test holds the code to what the
 * user was told. Each key is accepted at its minimum and maximum, with the
 * value stored, and refused one below and one above with the documented
 * range in the message.
 */
static const struct {
	const char *section, *key;
	long min, max;
	const char *allowed;  /* as the message quotes the documented range */
} edges[] = {
	{ "workers", "per_node", 1, 256, "1-256" },
	{ "pools", "data_room", 256, 65535, "256-65535" },
	{ "pools", "cache_size", 0, 512, "0-512" },
	{ "pipeline", "burst", 1, 256, "1-256" },
	{ "pipeline", "ring_size", 64, 65536, "a power of 2 in 64-65536" },
	{ "pipeline", "seed_packets", 0, 4096, "0-4096" },
	{ "pipeline", "duration", 0, 86400, "0-86400" },
	{ "pipeline", "tx_drain_us", 0, 1000000, "0-1000000" },
	{ "flows", "count", 0, 1073741824, "0-1073741824" },
	{ "flows", "capacity", 64, 1073741824, "64-1073741824" },
	{ "port0", "rx_queues", 1, 128, "1-128" },
	{ "port0", "rx_desc", 16, 32768, "16-32768" },
	{ "port0", "tx_desc", 16, 32768, "16-32768" },
	{ "port0", "node", 0, 1023, "auto, or a node id" },
};

/* The parsed value of edges[i]'s key. */
static long
edge_value(const struct np_config *c, unsigned int i)
{
	const char *k = edges[i].key;

	if (strcmp(k, "per_node") == 0) return c->per_node;
	if (strcmp(k, "data_room") == 0) return c->data_room;
	if (strcmp(k, "cache_size") == 0) return c->cache_size;
	if (strcmp(k, "burst") == 0) return c->burst;
	if (strcmp(k, "ring_size") == 0) return c->ring_size;
	if (strcmp(k, "seed_packets") == 0) return c->seed_packets;
	if (strcmp(k, "duration") == 0) return c->duration;
	if (strcmp(k, "tx_drain_us") == 0) return c->tx_drain_us;
	if (strcmp(k, "count") == 0) return c->flows;
	if (strcmp(k, "capacity") == 0) return c->flow_capacity;
	if (strcmp(k, "rx_queues") == 0) return c->ports[0].rx_queues;
	if (strcmp(k, "rx_desc") == 0) return c->ports[0].rx_desc;
	if (strcmp(k, "tx_desc") == 0) return c->ports[0].tx_desc;
	if (strcmp(k, "node") == 0) return c->ports[0].node;
	return -999;
}

/* A minimal configuration with "key = value" in its section; its line in *line. */
static int
edge_text(char *buf, size_t len, unsigned int i, long v, unsigned int *line)
{
	const char *sec = edges[i].section, *key = edges[i].key;

	if (strcmp(sec, "workers") == 0) {
		*line = 2;
		return snprintf(buf, len, "[workers]\n%s = %ld\n[port0]\nvdev = net_null0\n",
				key, v);
	}
	if (strcmp(sec, "port0") == 0) {
		*line = 5;
		return snprintf(buf, len, "[workers]\nlcores = 0\n[port0]\nvdev = net_null0\n"
				"%s = %ld\n", key, v);
	}
	*line = 6;
	return snprintf(buf, len, "[workers]\nlcores = 0\n[port0]\nvdev = net_null0\n"
			"[%s]\n%s = %ld\n", sec, key, v);
}

static void
test_range_edges(void)
{
	for (unsigned int i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		const long ok[] = { edges[i].min, edges[i].max };
		const long past[] = { edges[i].min - 1, edges[i].max + 1 };

		for (unsigned int j = 0; j < 2; j++) {
			char text[256];
			unsigned int line;
			int n = edge_text(text, sizeof(text), i, ok[j], &line);
			/* No topology: the documented range alone decides. */
			struct np_config *c = np_config_load_buffer("edge.ini", text, (size_t)n,
								    NULL, 0, NULL);

			NP_CHECK(c != NULL, "[%s] %s = %ld accepted: %s", edges[i].section,
				 edges[i].key, ok[j], np_last_error());
			if (c)
				NP_CHECK(edge_value(c, i) == ok[j], "[%s] %s = %ld stored as %ld",
					 edges[i].section, edges[i].key, ok[j], edge_value(c, i));
			np_config_free(c);
		}
		for (unsigned int j = 0; j < 2; j++) {
			char text[256], want[256];
			unsigned int line;
			int n = edge_text(text, sizeof(text), i, past[j], &line);
			struct np_config *c;
			int err;
			const char *why;

			errno = 0;
			c = np_config_load_buffer("edge.ini", text, (size_t)n, NULL, 0, NULL);
			/* -1 is no whole number; a node id past the last is "not a node id". */
			if (past[j] < 0) {
				err = EINVAL;
				why = strcmp(edges[i].key, "node") == 0 ? "not a node id"
									 : "not a whole number";
			} else if (strcmp(edges[i].key, "node") == 0) {
				err = EINVAL;
				why = "not a node id";
			} else {
				err = ERANGE;
				why = "out of range";
			}
			snprintf(want, sizeof(want), "edge.ini:%u: [%s] %s = %ld: %s; allowed: %s",
				 line, edges[i].section, edges[i].key, past[j], why,
				 edges[i].allowed);
			NP_CHECK(c == NULL && errno == err, "[%s] %s = %ld refused with errno %d: "
				 "got errno %d", edges[i].section, edges[i].key, past[j], err, errno);
			NP_CHECK_STR(np_last_error(), want);
			np_config_free(c);
		}
	}
	/* A power of 2 inside the range but not one: refused for that reason. */
	{
		static const char text[] = "[workers]\nlcores = 0\n[port0]\nvdev = net_null0\n"
					   "[pipeline]\nring_size = 96\n";
		struct np_config *c = np_config_load_buffer("edge.ini", text, sizeof(text) - 1,
							    NULL, 0, NULL);

		NP_CHECK(c == NULL && errno == EINVAL, "ring_size 96 refused");
		NP_CHECK_STR(np_last_error(), "edge.ini:6: [pipeline] ring_size = 96: not a "
			     "power of 2; allowed: a power of 2 in 64-65536");
	}
}

static const struct np_test_case cases[] = {
	{ "bad files, exact messages", test_bad_files },
	{ "every key", test_good_full },
	{ "defaults", test_defaults },
	{ "command-line overrides", test_overrides },
	{ "EAL arguments as EAL reads them", test_eal_owner },
	{ "runtime parameters", test_runtime_params },
	{ "a failure's parameter back to FILE:LINE", test_explain },
	{ "shipped examples", test_examples },
	{ "directory, devices, socket", test_not_regular },
	{ "FIFO: read once, bounded", test_fifo },
	{ "line and value limits, text only", test_line_limits },
	{ "100,000 keys", test_many_keys },
	{ "input escaped in messages", test_escaped_input },
	{ "from memory", test_load_buffer },
	{ "read error", test_read_error },
	{ "numeric keys at their documented edges", test_range_edges },
	{ NULL, NULL },
};

NP_TEST_MAIN({ "config", suite_init, suite_cleanup, cases })
