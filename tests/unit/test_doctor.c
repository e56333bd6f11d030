/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * numa-doctor's verdicts on described machines, and its writers. The process
 * facts (privileges, balancing, mounts) are made up per test so the verdicts
 * do not depend on who runs the tests. An expected finding that is missing
 * fails the test with its code named; it never crashes the program.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "doctor.h"
#include "np_json.h"
#include "np_test.h"
#include "np_test_topo.h"

static struct doctor_report rep;

static const struct np_enforcement good_enf = {
	.root = true, .cap_sys_nice = true, .cap_ipc_lock = true,
	.numa_balancing = NP_BALANCING_OFF, .n_mounts = 1,
	.mounts = { { "/dev/hugepages", 2u << 20 } },
};

static const struct finding *
find(const char *code)
{
	for (unsigned int i = 0; i < rep.n_findings; i++)
		if (strcmp(rep.findings[i].code, code) == 0)
			return &rep.findings[i];
	return NULL;
}

/*
 * The message of finding @code. A missing finding is a failed check that
 * names the code, and the message is then "" so the caller's own checks
 * fail too, cleanly (never a NULL dereference).
 */
static const char *
msg(const char *code)
{
	const struct finding *f = find(code);

	NP_CHECK(f != NULL, "finding \"%s\" expected; the report has %u findings", code,
		 rep.n_findings);
	return f ? f->message : "";
}

/* Step @i, or "" (a failed check) when the report has fewer steps. */
static const char *
step_at(unsigned int i)
{
	NP_CHECK(i < rep.n_steps, "step %u expected; the report has %u steps", i + 1,
		 rep.n_steps);
	return i < rep.n_steps ? rep.steps[i] : "";
}

#define CHECK_FINDING(code, sev) do {                                        \
		const struct finding *f_ = find(code);                      \
		NP_CHECK(f_ != NULL, "finding \"%s\" expected", code);      \
		if (f_)                                                     \
			NP_CHECK_INT(f_->severity, sev);                    \
	} while (0)
#define CHECK_NO_FINDING(code) \
	NP_CHECK(find(code) == NULL, "finding \"%s\" not expected", code)

/* A described machine: its process facts are not this machine's. */
static void
analyze(const char *file, const struct np_enforcement *enf)
{
	np_topo *t = np_test_topo(file);

	doctor_analyze(t, enf, false, &rep);
	np_topo_destroy(t);
}

/* As if @enf had been read from a live machine shaped like @file. */
static void
analyze_as_live(const char *file, const struct np_enforcement *enf)
{
	np_topo *t = np_test_topo(file);

	doctor_analyze(t, enf, true, &rep);
	np_topo_destroy(t);
}

static void
test_single_node(void)
{
	analyze("1node.xml", &good_enf);
	NP_CHECK_STR(doctor_verdict_code(rep.verdict), "single-node");
	NP_CHECK_STR(doctor_verdict_summary(rep.verdict), "NUMA is not your bottleneck here");
	NP_CHECK(!rep.is_numa, "one node is not NUMA");
	NP_CHECK_INT(doctor_exit_status(&rep), DOCTOR_EXIT_OK);
	/* What to look at instead: allocator, scheduler, locks. */
	NP_CHECK_INT(rep.n_steps, 3);
	NP_CHECK_CONTAINS(step_at(0), "allocator");
	NP_CHECK_CONTAINS(step_at(1), "scheduler");
	NP_CHECK_CONTAINS(step_at(2), "locks");
	CHECK_NO_FINDING("no-hugetlbfs");
}

static void
test_interleaving(void)
{
	analyze("2pkg-1node.xml", &good_enf);
	NP_CHECK_STR(doctor_verdict_code(rep.verdict), "interleaving-suspected");
	NP_CHECK(rep.is_numa, "two sockets are NUMA even when hidden");
	CHECK_FINDING("interleaving-suspected", SEV_WARNING);
	NP_CHECK_INT(doctor_exit_status(&rep), DOCTOR_EXIT_ATTENTION);
	NP_CHECK_CONTAINS(step_at(0), "node interleaving");
}

static void
test_two_nodes_unknown_nic(void)
{
	analyze("2node.xml", &good_enf);
	NP_CHECK_STR(doctor_verdict_code(rep.verdict), "numa-attention");
	CHECK_FINDING("nic-node-unknown", SEV_WARNING);
	NP_CHECK_CONTAINS(msg("nic-node-unknown"), "0000:00:05.0");
	CHECK_FINDING("nic-node", SEV_INFO);
	NP_CHECK_CONTAINS(msg("nic-node"), "0000:0a:02.0 (no interface) is on node 1");
	NP_CHECK_CONTAINS(msg("distances"), "distance 21, 2.1x");
	CHECK_NO_FINDING("nic-node-no-hugepages");
	CHECK_NO_FINDING("numa-balancing-on");
	NP_CHECK_INT(doctor_exit_status(&rep), DOCTOR_EXIT_ATTENTION);
}

static void
test_four_nodes_ok(void)
{
	analyze("4node-asym.xml", &good_enf);
	NP_CHECK_STR(doctor_verdict_code(rep.verdict), "numa-ok");
	CHECK_FINDING("sub-numa-clustering", SEV_INFO);
	NP_CHECK_INT(doctor_exit_status(&rep), DOCTOR_EXIT_OK);
	NP_CHECK_CONTAINS(msg("distances"), "distance 30");
	NP_CHECK_CONTAINS(msg("sub-numa-clustering"), "4 nodes with CPUs on 2 packages");
}

static void
test_balancing_on(void)
{
	struct np_enforcement enf = good_enf;

	enf.numa_balancing = NP_BALANCING_ON;
	analyze("4node-asym.xml", &enf);
	NP_CHECK_STR(doctor_verdict_code(rep.verdict), "numa-attention");
	CHECK_FINDING("numa-balancing-on", SEV_WARNING);
	NP_CHECK_CONTAINS(step_at(0), "echo 0 > /proc/sys/kernel/numa_balancing");
}

static void
test_no_privileges(void)
{
	struct np_enforcement enf = good_enf;

	enf.root = false;
	enf.cap_sys_nice = false;
	analyze("4node-asym.xml", &enf);
	CHECK_FINDING("no-cap-sys-nice", SEV_WARNING);
	NP_CHECK_INT(doctor_exit_status(&rep), DOCTOR_EXIT_ATTENTION);
}

static void
test_nic_node_without_hugepages(void)
{
	analyze("gap-0-2.xml", &good_enf);
	CHECK_FINDING("nic-node-no-hugepages", SEV_WARNING);
	NP_CHECK_CONTAINS(msg("nic-node-no-hugepages"), "node 2");
	NP_CHECK_CONTAINS(step_at(0), "nodeN/hugepages/hugepages-2048kB/nr_hugepages");
}

static void
test_memory_only(void)
{
	analyze("memory-only.xml", &good_enf);
	CHECK_FINDING("memory-only-node", SEV_INFO);
	NP_CHECK_CONTAINS(msg("memory-only-node"), "node 2");
	NP_CHECK_STR(doctor_verdict_code(rep.verdict), "numa-ok");
	/* 3 nodes on 2 packages, but node 2 has no CPU: no socket is split. */
	CHECK_NO_FINDING("sub-numa-clustering");
}

static void
test_cpus_without_memory(void)
{
	analyze("cpu-no-memory.xml", &good_enf);
	CHECK_FINDING("cpus-without-memory", SEV_WARNING);
	NP_CHECK_STR(doctor_verdict_code(rep.verdict), "numa-attention");
}

/* Two nodes and no NIC, no distance matrix: both facts said, nothing warned. */
static void
test_no_nics_no_distances(void)
{
	np_topo *t;

	analyze("2node-no-distances.xml", &good_enf);
	CHECK_FINDING("no-nics", SEV_INFO);
	CHECK_FINDING("distances-unknown", SEV_INFO);
	CHECK_NO_FINDING("distances");
	NP_CHECK_CONTAINS(msg("distances-unknown"), "2 NUMA nodes; the firmware gives no "
			  "distance matrix (assumed 10 local, 20 remote)");
	NP_CHECK_CONTAINS(msg("no-nics"), "no PCI network device found");
	NP_CHECK_STR(doctor_verdict_code(rep.verdict), "numa-ok");
	NP_CHECK_INT(doctor_exit_status(&rep), DOCTOR_EXIT_OK);

	/* A synthetic description has neither either. */
	t = np_topo_load_synthetic("pack:2 numa:1 core:2 pu:1");
	NP_REQUIRE(t != NULL, "synthetic: %s", np_last_error());
	doctor_analyze(t, &good_enf, false, &rep);
	np_topo_destroy(t);
	CHECK_FINDING("no-nics", SEV_INFO);
	CHECK_FINDING("distances-unknown", SEV_INFO);
	NP_CHECK_STR(doctor_verdict_code(rep.verdict), "numa-ok");
}

/* nic-on-memory-only.xml: NIC 0000:50:00.0 beside node 2, which has memory and no CPU. */
static void
test_nic_on_node_without_cpus(void)
{
	analyze("nic-on-memory-only.xml", &good_enf);
	CHECK_FINDING("nic-node-no-cpus", SEV_WARNING);
	NP_CHECK_CONTAINS(msg("nic-node-no-cpus"), "NIC 0000:50:00.0 (no interface) is on "
			  "node 2, which has no CPUs: every poller is remote to it");
	CHECK_FINDING("nic-node", SEV_INFO);   /* the other NIC, on node 0 */
	CHECK_NO_FINDING("nic-node-unknown");
	NP_CHECK_STR(doctor_verdict_code(rep.verdict), "numa-attention");
	NP_CHECK_INT(doctor_exit_status(&rep), DOCTOR_EXIT_ATTENTION);
	NP_CHECK_CONTAINS(step_at(0), "for a NIC on a node without CPUs: poll it from the "
			  "nearest node that has CPUs");
}

/*
 * No hugetlbfs mounted, on a machine whose facts were read (live): a warning
 * and the mount command, on one node (issue 12: it was never said there),
 * behind hidden interleaving and on several nodes. A described machine has
 * no mounts to check: nothing said.
 */
static void
test_no_hugetlbfs(void)
{
	static const char *const files[] = { "1node.xml", "2pkg-1node.xml", "4node-asym.xml" };
	struct np_enforcement enf = good_enf;

	enf.n_mounts = 0;
	for (unsigned int i = 0; i < 3; i++) {
		analyze_as_live(files[i], &enf);
		CHECK_FINDING("no-hugetlbfs", SEV_WARNING);
		NP_CHECK_CONTAINS(msg("no-hugetlbfs"), "no hugetlbfs is mounted: DPDK cannot "
				  "get hugepage memory");
		NP_CHECK(doctor_exit_status(&rep) == DOCTOR_EXIT_ATTENTION,
			 "%s without hugetlbfs: exit status %d, expected %d", files[i],
			 doctor_exit_status(&rep), DOCTOR_EXIT_ATTENTION);
	}
	/* One node: the verdict stays, the mount comes first in what to try. */
	analyze_as_live("1node.xml", &enf);
	NP_CHECK_STR(doctor_verdict_code(rep.verdict), "single-node");
	NP_CHECK_CONTAINS(step_at(0), "mount -t hugetlbfs nodev /dev/hugepages");
	NP_CHECK_CONTAINS(step_at(1), "allocator");

	analyze_as_live("1node.xml", &good_enf);
	CHECK_NO_FINDING("no-hugetlbfs");
	analyze("1node.xml", &enf);
	CHECK_NO_FINDING("no-hugetlbfs");
	analyze("4node-asym.xml", &enf);
	CHECK_NO_FINDING("no-hugetlbfs");
}

/* ---- writers: escaping and write errors ------------------------------- */

/* np_json_str of @in into a buffer: the JSON string written, quotes included. */
static char *
json_of(const char *in)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct np_json j;

	NP_REQUIRE(f != NULL, "open_memstream");
	np_json_init(&j, f, false);
	np_json_str(&j, NULL, in);
	NP_CHECK_INT(np_json_error(&j), 0);
	fclose(f);
	return buf;
}

/*
 * Strings are valid UTF-8 whatever their bytes (json_out.h, README): each
 * expectation is the JSON text written by hand from RFC 8259 and RFC 3629.
 */
static void
test_json_escaping(void)
{
	static const struct { const char *in, *out, *why; } cases[] = {
		{ "eth0", "\"eth0\"", "plain ASCII" },
		{ "a\"b\\c", "\"a\\\"b\\\\c\"", "quote and backslash" },
		{ "\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"", "short escapes" },
		{ "\x01\x1b[31m\x1f", "\"\\u0001\\u001b[31m\\u001f\"", "control bytes" },
		{ "\x7f", "\"\\u007f\"", "DEL" },
		{ "\xc2\x9b", "\"\\u009b\"", "C1 control U+009B (CSI), valid UTF-8" },
		{ "caf\xc3\xa9", "\"caf\xc3\xa9\"", "valid 2-byte sequence kept" },
		{ "\xe2\x82\xac", "\"\xe2\x82\xac\"", "valid 3-byte sequence kept" },
		{ "\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"", "valid 4-byte sequence kept" },
		{ "a\xffz", "\"a\\ufffdz\"", "0xff is never UTF-8" },
		{ "\xe9t\xe9", "\"\\ufffdt\\ufffd\"", "Latin-1 bytes" },
		{ "\xc0\xaf", "\"\\ufffd\\ufffd\"", "overlong '/'" },
		{ "\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"", "overlong 3-byte" },
		{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"", "surrogate U+D800" },
		{ "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "above U+10FFFF" },
		{ "\xe2\x82", "\"\\ufffd\\ufffd\"", "truncated at the end" },
		{ "\x80x", "\"\\ufffdx\"", "lone continuation byte" },
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = json_of(cases[i].in);

		NP_CHECK(got != NULL && strcmp(got, cases[i].out) == 0,
			 "%s: got %s, expected %s", cases[i].why, got ? got : "(null)",
			 cases[i].out);
		free(got);
	}
}

static void
test_text_escaping(void)
{
	char buf[64];

	NP_CHECK_STR(doctor_text_escape("eth0", buf, sizeof(buf)), "eth0");
	NP_CHECK_STR(doctor_text_escape("a\x1b[31m\xff\\", buf, sizeof(buf)),
		     "a\\x1b[31m\\xff\\\\");
	NP_CHECK_STR(doctor_text_escape("caf\xc3\xa9 \xc2\x9b", buf, sizeof(buf)),
		     "caf\xc3\xa9 \\xc2\\x9b");
	/* Cut at a whole escape, never overrun. */
	NP_CHECK_STR(doctor_text_escape("\x01\x02", buf, 6), "\\x01");
}

/*
 * Writes that fail are reported, not lost. /dev/full fails every write with
 * ENOSPC; the stream is unbuffered so the first write fails, as a report
 * longer than the buffer would.
 */
static void
test_write_errors(void)
{
	np_topo *t = np_test_topo("2node.xml");
	FILE *f = fopen("/dev/full", "w");
	struct np_json j;

	NP_REQUIRE(f != NULL, "opening /dev/full: %s", strerror(errno));
	doctor_analyze(t, &good_enf, false, &rep);
	setvbuf(f, NULL, _IONBF, 0);
	NP_CHECK_INT(doctor_print_text(f, t, &good_enf, &rep), -ENOSPC);
	clearerr(f);
	NP_CHECK_INT(doctor_print_json(f, t, &good_enf, &rep), -ENOSPC);
	fclose(f);

	/* Buffered: the failure shows at np_json_finish's flush, and is kept. */
	f = fopen("/dev/full", "w");
	NP_REQUIRE(f != NULL, "opening /dev/full: %s", strerror(errno));
	np_json_init(&j, f, true);
	np_json_obj_begin(&j, NULL);
	np_json_str(&j, "k", "v");
	NP_CHECK_INT(np_json_error(&j), 0);
	np_json_obj_end(&j);
	NP_CHECK_INT(np_json_finish(&j), -ENOSPC);
	NP_CHECK_INT(np_json_error(&j), -ENOSPC);
	fclose(f);
	np_topo_destroy(t);
}

static const struct np_test_case cases[] = {
	{ "1 node: not your bottleneck", test_single_node },
	{ "2 packages 1 node: interleaving", test_interleaving },
	{ "2 nodes: NIC with unknown node", test_two_nodes_unknown_nic },
	{ "4 nodes asymmetric: ok", test_four_nodes_ok },
	{ "NUMA balancing on", test_balancing_on },
	{ "no privileges", test_no_privileges },
	{ "NIC node without hugepages", test_nic_node_without_hugepages },
	{ "memory-only node", test_memory_only },
	{ "CPUs without memory", test_cpus_without_memory },
	{ "no NICs, no distance matrix", test_no_nics_no_distances },
	{ "NIC on a node without CPUs", test_nic_on_node_without_cpus },
	{ "no hugetlbfs mounted", test_no_hugetlbfs },
	{ "JSON strings are valid UTF-8", test_json_escaping },
	{ "text escapes control bytes", test_text_escaping },
	{ "write errors reported", test_write_errors },
	{ NULL, NULL },
};

NP_TEST_MAIN({ "numa-doctor verdicts", NULL, NULL, cases })
