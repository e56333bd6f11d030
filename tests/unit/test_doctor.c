/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * numa-doctor's verdicts on described machines. The process facts
 * (privileges, balancing, mounts) are made up per test so the verdicts do
 * not depend on who runs the tests.
 */
#include <stdlib.h>
#include <string.h>

#include "doctor.h"
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

#define CHECK_FINDING(code, sev) do {                                        \
		const struct finding *f_ = find(code);                      \
		NP_CHECK(f_ != NULL, "finding \"%s\" expected", code);      \
		if (f_)                                                     \
			NP_CHECK_INT(f_->severity, sev);                    \
	} while (0)
#define CHECK_NO_FINDING(code) \
	NP_CHECK(find(code) == NULL, "finding \"%s\" not expected", code)

static void
analyze(const char *file, const struct np_enforcement *enf)
{
	np_topo *t = np_test_topo(file);

	doctor_analyze(t, enf, false, &rep);
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
	NP_REQUIRE_INT(rep.n_steps, 3);
	NP_CHECK_CONTAINS(rep.steps[0], "allocator");
	NP_CHECK_CONTAINS(rep.steps[1], "scheduler");
	NP_CHECK_CONTAINS(rep.steps[2], "locks");
}

static void
test_interleaving(void)
{
	analyze("2pkg-1node.xml", &good_enf);
	NP_CHECK_STR(doctor_verdict_code(rep.verdict), "interleaving-suspected");
	NP_CHECK(rep.is_numa, "two sockets are NUMA even when hidden");
	CHECK_FINDING("interleaving-suspected", SEV_WARNING);
	NP_CHECK_INT(doctor_exit_status(&rep), DOCTOR_EXIT_ATTENTION);
	NP_CHECK_CONTAINS(rep.steps[0], "node interleaving");
}

static void
test_two_nodes_unknown_nic(void)
{
	const struct finding *f;

	analyze("2node.xml", &good_enf);
	NP_CHECK_STR(doctor_verdict_code(rep.verdict), "numa-attention");
	CHECK_FINDING("nic-node-unknown", SEV_WARNING);
	f = find("nic-node-unknown");
	if (f)
		NP_CHECK_CONTAINS(f->message, "0000:00:05.0");
	CHECK_FINDING("nic-node", SEV_INFO);
	f = find("nic-node");
	if (f)
		NP_CHECK_CONTAINS(f->message, "0000:0a:02.0 (no interface) is on node 1");
	f = find("distances");
	NP_REQUIRE(f != NULL, "distances finding");
	NP_CHECK_CONTAINS(f->message, "distance 21, 2.1x");
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
	NP_CHECK_CONTAINS(find("distances")->message, "distance 30");
}

static void
test_balancing_on(void)
{
	struct np_enforcement enf = good_enf;

	enf.numa_balancing = NP_BALANCING_ON;
	analyze("4node-asym.xml", &enf);
	NP_CHECK_STR(doctor_verdict_code(rep.verdict), "numa-attention");
	CHECK_FINDING("numa-balancing-on", SEV_WARNING);
	NP_CHECK_CONTAINS(rep.steps[0], "echo 0 > /proc/sys/kernel/numa_balancing");
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
	NP_CHECK_CONTAINS(find("nic-node-no-hugepages")->message, "node 2");
	NP_CHECK_CONTAINS(rep.steps[0], "nodeN/hugepages/hugepages-2048kB/nr_hugepages");
}

static void
test_memory_only(void)
{
	analyze("memory-only.xml", &good_enf);
	CHECK_FINDING("memory-only-node", SEV_INFO);
	NP_CHECK_CONTAINS(find("memory-only-node")->message, "node 2");
	NP_CHECK_STR(doctor_verdict_code(rep.verdict), "numa-ok");
}

static void
test_cpus_without_memory(void)
{
	analyze("cpu-no-memory.xml", &good_enf);
	CHECK_FINDING("cpus-without-memory", SEV_WARNING);
	NP_CHECK_STR(doctor_verdict_code(rep.verdict), "numa-attention");
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
	{ NULL, NULL },
};

NP_TEST_MAIN({ "numa-doctor verdicts", NULL, NULL, cases })
