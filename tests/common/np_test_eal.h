/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Starting DPDK's EAL for a unit test that needs rte_* objects but no
 * device and no hugepage: --no-huge with 256 MB, no PCI, no shared config,
 * a file prefix of its own (tests run in parallel), and up to @want lcores
 * on the first CPUs of the test's affinity; np_test_eal_stop() ends it and
 * checks that nothing is left in /var/run/dpdk. A host where EAL cannot start
 * skips the whole file with the reason.
 *
 * Header only, like np_test.h.
 */
#ifndef NP_TEST_EAL_H
#define NP_TEST_EAL_H

#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "np_runtime.h"
#include "np_test.h"

/*
 * Start EAL as @name on up to @want (1 or 2) lcores; the CPUs used go to
 * @cpus[0..], their count is returned; @before (may be NULL) gets the
 * process's CPUs as they were before EAL pinned the main thread. Skips the
 * file (exit 77) if the affinity cannot be read or EAL does not start.
 */
static inline unsigned int
np_test_eal_start(const char *name, unsigned int want, unsigned int cpus[2], cpu_set_t *before)
{
	char lcores[32], prefix[64];
	const char *argv[16];
	unsigned int n = 0;
	int argc = 0;
	cpu_set_t set;

	if (want < 1 || want > 2)
		want = 1;
	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		NP_TEST_SKIP_ALL("sched_getaffinity failed");
	if (before != NULL)
		*before = set;
	for (unsigned int c = 0; c < CPU_SETSIZE && n < want; c++)
		if (CPU_ISSET(c, &set))
			cpus[n++] = c;
	if (n == 0)
		NP_TEST_SKIP_ALL("the test may run on no CPU");
	if (n == 2)
		snprintf(lcores, sizeof(lcores), "%u,%u", cpus[0], cpus[1]);
	else
		snprintf(lcores, sizeof(lcores), "%u", cpus[0]);
	snprintf(prefix, sizeof(prefix), "np_%s_%d", name, (int)getpid());
	argv[argc++] = name;
	argv[argc++] = "-l";
	argv[argc++] = lcores;
	argv[argc++] = "--no-huge";
	argv[argc++] = "-m";
	argv[argc++] = "256";
	argv[argc++] = "--no-pci";
	argv[argc++] = "--no-shconf";
	argv[argc++] = "--file-prefix";
	argv[argc++] = prefix;
	argv[argc++] = "--log-level=lib.eal:error";
	/* No socket in the runtime directory: np_test_eal_stop() sees it gone at once. */
	argv[argc++] = "--no-telemetry";
	if (np_eal_init(argc, (char **)argv) < 0)
		NP_TEST_SKIP_ALL("EAL does not start here with --no-huge: %s",
				 rte_strerror(rte_errno));
	return n;
}

/*
 * End EAL as every program should (np_eal_cleanup()): 0, or 1 with the
 * reason when rte_eal_cleanup() fails or EAL's runtime directory for this
 * test's prefix is left behind.
 */
static inline int
np_test_eal_stop(void)
{
	char dir[PATH_MAX];

	/* np_test_eal_start() ran EAL without telemetry: nothing waits for exit. */
	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	if (np_eal_cleanup() != 0) {
		fprintf(stderr, "FAIL: rte_eal_cleanup: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (access(dir, F_OK) == 0) {
		fprintf(stderr, "FAIL: EAL's runtime directory %s is left behind\n", dir);
		return 1;
	}
	return 0;
}

#endif /* NP_TEST_EAL_H */
