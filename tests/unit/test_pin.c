/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pinning scopes (framework/pin): every API and bad argument, and each way
 * the kernel gives less than asked, produced for real:
 *  - offline CPUs: a CPU id that is not online on this machine;
 *  - refused: a seccomp filter makes sched_setaffinity return EPERM, in a
 *    forked child;
 *  - a cgroup cpuset that removes CPUs: a forked child moved into a
 *    scratch cpuset holding CPU 0 only (cgroup v1 cpuset hierarchy, needs
 *    root and 2 online CPUs; said and not run otherwise).
 * After every case the thread's affinity is compared with what it must be.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "np_pin.h"
#include "np_test.h"
#include "np_test_numa.h"
#include "np_test_sys.h"

static cpu_set_t original;   /* the affinity the program started with */
static cpu_set_t online;

static int
suite_init(void)
{
	if (sched_getaffinity(0, sizeof(original), &original) < 0)
		return 1;
	return np_cpus_online(&online) == 0 ? 0 : 1;
}

static void
current(cpu_set_t *s)
{
	NP_REQUIRE(sched_getaffinity(0, sizeof(*s), s) == 0, "sched_getaffinity: %s", strerror(errno));
}

static const char *
list(const cpu_set_t *s, char *buf, size_t len)
{
	np_cpuset_format(s, buf, len);
	return buf;
}

#define CHECK_AFFINITY(want) do {                                            \
		cpu_set_t np__now;                                           \
		char np__a[128], np__b[128];                                 \
		current(&np__now);                                           \
		NP_CHECK(CPU_EQUAL(&np__now, (want)), "affinity is %s, expected %s", \
			 list(&np__now, np__a, sizeof(np__a)),               \
			 list((want), np__b, sizeof(np__b)));                \
	} while (0)

/* A CPU id that is not online here (below CPU_SETSIZE). */
static int
offline_cpu(void)
{
	for (int c = CPU_SETSIZE - 1; c >= 0; c--)
		if (!CPU_ISSET(c, &online))
			return c;
	return -1;
}

static int
first_online(void)
{
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &online) && CPU_ISSET(c, &original))
			return c;
	return 0;
}

/* What a child reports: one pin, then its restore. */
struct child_pin {
	int setup_err;
	int ret;
	int err_restore;
	unsigned int fallbacks;
	cpu_set_t before, got, after_pin, after_restore;
	char detail[192];
	char msg[400];
};

enum child_mode { CHILD_SECCOMP, CHILD_CPUSET };

static const char *cpuset_dir; /* CHILD_CPUSET: the scratch cpuset */

struct pin_job {
	enum child_mode mode;
	const cpu_set_t *ask;
	unsigned int flags;
};

/* In the child: refused by seccomp, or moved into the scratch cpuset; then pin and restore. */
static void
pin_in_child(void *report, void *arg)
{
	const struct pin_job *j = arg;
	struct child_pin *r = report;
	struct np_pin_scope s;
	char path[300], me[32];

	if (j->mode == CHILD_SECCOMP) {
		r->setup_err = np_test_deny_syscall(SYS_sched_setaffinity, EPERM);
	} else {
		snprintf(path, sizeof(path), "%s/tasks", cpuset_dir);
		snprintf(me, sizeof(me), "%d", (int)getpid());
		r->setup_err = np_test_write_file(path, me);
	}
	if (r->setup_err != 0)
		return;
	sched_getaffinity(0, sizeof(r->before), &r->before);
	r->ret = np_pin_cpus(&s, j->ask, j->flags);
	snprintf(r->msg, sizeof(r->msg), "%s", np_last_error());
	sched_getaffinity(0, sizeof(r->after_pin), &r->after_pin);
	if (r->ret == 0) {
		r->fallbacks = s.fallbacks;
		r->got = s.got;
		snprintf(r->detail, sizeof(r->detail), "%s", s.detail);
		r->err_restore = np_pin_restore(&s);
	}
	sched_getaffinity(0, sizeof(r->after_restore), &r->after_restore);
}

static void
run_child(enum child_mode mode, const cpu_set_t *ask, unsigned int flags, struct child_pin *out)
{
	struct pin_job j = { mode, ask, flags };
	struct np_test_child c = np_test_fork(pin_in_child, &j, out, sizeof(*out));

	NP_REQUIRE_CHILD_OK(c);
}

/* ---- cases -------------------------------------------------------------- */

static void
test_bad_args(void)
{
	struct np_pin_scope s;
	cpu_set_t empty, one;
	char needle[96];
	int off = offline_cpu();

	CPU_ZERO(&empty);
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	np_clear_error();
	NP_CHECK_INT(np_pin_node(NULL, 0, 0), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "np_pin_node: scope is NULL");
	NP_CHECK_INT(np_pin_cpus(NULL, &one, 0), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "np_pin_cpus: scope is NULL");
	NP_CHECK_INT(np_pin_cpu(NULL, 0, 0), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "np_pin_cpu: scope is NULL");
	NP_CHECK_INT(np_pin_cpu(&s, 0, 0x10), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "flags 0x10 has unknown bits");
	NP_CHECK_INT(np_pin_cpus(&s, NULL, 0), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "cpus is NULL");
	NP_CHECK_INT(np_pin_cpus(&s, &empty, 0), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "the CPU set is empty");
	NP_CHECK_INT(np_pin_cpu(&s, CPU_SETSIZE, 0), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "CPU 1024 is out of range");
	NP_CHECK_INT(np_pin_node(&s, NP_NODE_ANY, 0), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "NP_NODE_ANY names no CPUs");
	NP_CHECK_INT(np_pin_node(&s, NP_MAX_NODE_ID + 1, 0), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "node 1024 is not a node id");
	NP_CHECK_INT(np_pin_node(&s, NP_MAX_NODE_ID, 0), -ENODEV);
	NP_CHECK_CONTAINS(np_last_error(), "node 1023 does not exist");
	if (off >= 0) {
		NP_CHECK_INT(np_pin_cpu(&s, (unsigned int)off, 0), -EINVAL);
		snprintf(needle, sizeof(needle), "none of CPUs %d is online", off);
		NP_CHECK_CONTAINS(np_last_error(), needle);
	}
	CHECK_AFFINITY(&original);
	NP_CHECK_INT(np_pin_restore(NULL), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "scope is NULL");
	memset(&s, 0, sizeof(s));
	NP_CHECK_INT(np_pin_restore(&s), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "this scope is not pinned");
	NP_CHECK_INT(np_cpus_online(NULL), -EINVAL);
	NP_CHECK_INT(np_node_cpus(0, NULL), -EINVAL);
	NP_CHECK_INT(np_cpuset_format(NULL, needle, sizeof(needle)), -EINVAL);
	NP_CHECK_INT(np_cpuset_format(&one, NULL, 0), -EINVAL);
}

static void
test_pin_each_cpu(void)
{
	for (int c = 0; c < CPU_SETSIZE; c++) {
		struct np_pin_scope s;
		cpu_set_t want;

		if (!CPU_ISSET(c, &online) || !CPU_ISSET(c, &original))
			continue;
		NP_REQUIRE_INT(np_pin_cpu(&s, (unsigned int)c, NP_PIN_STRICT), 0);
		CPU_ZERO(&want);
		CPU_SET(c, &want);
		CHECK_AFFINITY(&want);
		NP_CHECK(CPU_EQUAL(&s.got, &want) && CPU_EQUAL(&s.asked, &want), "scope got/asked CPU %d", c);
		NP_CHECK(CPU_EQUAL(&s.saved, &original), "scope saved the original affinity");
		NP_CHECK_INT(s.fallbacks, 0);
		NP_CHECK_STR(s.detail, "");
		NP_CHECK_INT(sched_getcpu(), c);
		NP_CHECK_INT(np_pin_restore(&s), 0);
		CHECK_AFFINITY(&original);
		NP_CHECK_INT(np_pin_restore(&s), -EINVAL);     /* only once */
		NP_CHECK_CONTAINS(np_last_error(), "already restored");
	}
}

static void
test_pin_node(void)
{
	struct np_pin_scope s;
	cpu_set_t want, got;
	int n;

	NP_REQUIRE(np_test_libnuma_cpus(0, &want) == 0, "libnuma: node 0 CPUs");
	/* np_node_cpus agrees with libnuma. */
	n = np_node_cpus(0, &got);
	NP_CHECK_INT(n, CPU_COUNT(&want));
	NP_CHECK(CPU_EQUAL(&got, &want), "np_node_cpus(0) equals libnuma's node 0");

	NP_REQUIRE_INT(np_pin_node(&s, 0, 0), 0);
	CPU_AND(&want, &want, &original);
	CHECK_AFFINITY(&want);
	NP_CHECK(CPU_ISSET(sched_getcpu(), &want), "running on CPU %d of node 0", sched_getcpu());
	NP_CHECK_INT(np_pin_restore(&s), 0);
	CHECK_AFFINITY(&original);
}

static void
test_nesting(void)
{
	struct np_pin_scope outer, inner;
	int c = first_online();
	cpu_set_t node0, one;

	NP_REQUIRE_INT(np_pin_node(&outer, 0, 0), 0);
	current(&node0);
	NP_REQUIRE_INT(np_pin_cpu(&inner, (unsigned int)c, NP_PIN_STRICT), 0);
	CPU_ZERO(&one);
	CPU_SET(c, &one);
	CHECK_AFFINITY(&one);
	NP_CHECK(CPU_EQUAL(&inner.saved, &node0), "inner scope saved the outer pin");
	NP_CHECK_INT(np_pin_restore(&inner), 0);
	CHECK_AFFINITY(&node0);
	NP_CHECK_INT(np_pin_restore(&outer), 0);
	CHECK_AFFINITY(&original);
}

static struct np_pin_scope shared_scope;
static int other_ret;
static char other_msg[400];

static void *
restore_from_other_thread(void *arg)
{
	(void)arg;
	other_ret = np_pin_restore(&shared_scope);
	snprintf(other_msg, sizeof(other_msg), "%s", np_last_error());
	return NULL;
}

static void
test_restore_from_other_thread(void)
{
	pthread_t t;

	NP_REQUIRE_INT(np_pin_cpu(&shared_scope, (unsigned int)first_online(), 0), 0);
	NP_REQUIRE(pthread_create(&t, NULL, restore_from_other_thread, NULL) == 0, "pthread_create");
	pthread_join(t, NULL);
	NP_CHECK_INT(other_ret, -EINVAL);
	NP_CHECK_CONTAINS(other_msg, "restore it from the thread that pinned");
	NP_CHECK_INT(np_pin_restore(&shared_scope), 0);
	CHECK_AFFINITY(&original);
}

static void
test_offline_narrowing(void)
{
	struct np_pin_scope s;
	int off = offline_cpu(), c = first_online();
	cpu_set_t ask, one;
	char needle[96];

	if (off < 0) {
		fprintf(stderr, "note: all %d CPU ids online: no offline CPU to ask for\n", CPU_SETSIZE);
		return;
	}
	CPU_ZERO(&ask);
	CPU_SET(c, &ask);
	CPU_SET(off, &ask);
	CPU_ZERO(&one);
	CPU_SET(c, &one);

	NP_REQUIRE_INT(np_pin_cpus(&s, &ask, 0), 0);
	NP_CHECK_INT(s.fallbacks, NP_PIN_FB_OFFLINE);
	NP_CHECK(CPU_EQUAL(&s.got, &one), "got only the online CPU");
	snprintf(needle, sizeof(needle), "CPUs %d are offline or do not exist", off);
	NP_CHECK_CONTAINS(s.detail, needle);
	CHECK_AFFINITY(&one);
	NP_CHECK_INT(np_pin_restore(&s), 0);
	CHECK_AFFINITY(&original);

	/* Strict: an error, and the affinity is what it was. */
	NP_CHECK_INT(np_pin_cpus(&s, &ask, NP_PIN_STRICT), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "the kernel narrowed it");
	NP_CHECK_CONTAINS(np_last_error(), needle);
	NP_CHECK_CONTAINS(np_last_error(), "previous affinity restored");
	CHECK_AFFINITY(&original);
	NP_CHECK_INT(np_pin_restore(&s), -EINVAL);      /* a failed pin has nothing to restore */
}

static void
test_refused(void)
{
	struct child_pin r;
	cpu_set_t ask;

	CPU_ZERO(&ask);
	CPU_SET(first_online(), &ask);
	run_child(CHILD_SECCOMP, &ask, 0, &r);
	if (r.setup_err != 0) {
		fprintf(stderr, "note: seccomp unavailable (%s): refused case not run\n",
			strerror(-r.setup_err));
		return;
	}
	NP_CHECK_INT(r.ret, 0);
	NP_CHECK_INT(r.fallbacks, NP_PIN_FB_REFUSED);
	NP_CHECK_CONTAINS(r.detail, "refused (EPERM)");
	NP_CHECK(CPU_EQUAL(&r.got, &r.before), "scope says it kept the previous affinity");
	NP_CHECK(CPU_EQUAL(&r.after_pin, &r.before), "affinity unchanged");
	NP_CHECK_INT(r.err_restore, 0);
	NP_CHECK(CPU_EQUAL(&r.after_restore, &r.before), "affinity unchanged after restore");

	run_child(CHILD_SECCOMP, &ask, NP_PIN_STRICT, &r);
	NP_CHECK_INT(r.ret, -EPERM);
	NP_CHECK_CONTAINS(r.msg, "was refused (EPERM");
	NP_CHECK_CONTAINS(r.msg, "NP_PIN_STRICT");
	NP_CHECK(CPU_EQUAL(&r.after_pin, &r.before), "affinity unchanged");
}

/* Create a scratch cpuset with CPU 0 only; NULL (said why) if impossible. */
static char cpuset_path[256];

static const char *
make_cpuset(void)
{
	char mems[64] = "", line[256], path[320], *p;
	FILE *f;
	int n;

	if (CPU_COUNT(&online) < 2 || !CPU_ISSET(0, &online) || !CPU_ISSET(1, &original)) {
		fprintf(stderr, "note: needs CPUs 0 and 1 online and allowed: cpuset case not run\n");
		return NULL;
	}
	/* The cgroup v1 cpuset hierarchy and this process's place in it. */
	f = fopen("/proc/self/cgroup", "r");
	p = NULL;
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		char *c = strstr(line, ":cpuset:");

		if (c != NULL) {
			p = c + strlen(":cpuset:");
			p[strcspn(p, "\n")] = '\0';
			break;
		}
	}
	if (f != NULL)
		fclose(f);
	if (p == NULL || access("/sys/fs/cgroup/cpuset/cpuset.cpus", W_OK) != 0) {
		fprintf(stderr, "note: no writable cgroup v1 cpuset hierarchy at /sys/fs/cgroup/cpuset "
			"(not root, or cgroup v2 only): cpuset case not run\n");
		return NULL;
	}
	n = snprintf(cpuset_path, sizeof(cpuset_path), "/sys/fs/cgroup/cpuset%s%snp-test-pin-%d",
		     p, strcmp(p, "/") == 0 ? "" : "/", (int)getpid());
	if (n >= (int)sizeof(cpuset_path) || mkdir(cpuset_path, 0755) < 0) {
		fprintf(stderr, "note: cannot create %s (%s): cpuset case not run\n", cpuset_path,
			strerror(errno));
		return NULL;
	}
	snprintf(path, sizeof(path), "/sys/fs/cgroup/cpuset%s/cpuset.mems", p);
	f = fopen(path, "r");
	if (f == NULL || fgets(mems, sizeof(mems), f) == NULL)
		snprintf(mems, sizeof(mems), "0");
	if (f != NULL)
		fclose(f);
	snprintf(path, sizeof(path), "%s/cpuset.mems", cpuset_path);
	if (np_test_write_file(path, mems) < 0)
		goto fail;
	snprintf(path, sizeof(path), "%s/cpuset.cpus", cpuset_path);
	if (np_test_write_file(path, "0") < 0)
		goto fail;
	return cpuset_path;
fail:
	fprintf(stderr, "note: cannot configure %s: cpuset case not run\n", cpuset_path);
	rmdir(cpuset_path);
	return NULL;
}

static void
test_cpuset_narrowing(void)
{
	struct child_pin r;
	cpu_set_t ask, zero;

	cpuset_dir = make_cpuset();
	if (cpuset_dir == NULL)
		return;
	CPU_ZERO(&zero);
	CPU_SET(0, &zero);
	CPU_ZERO(&ask);
	CPU_SET(0, &ask);
	CPU_SET(1, &ask);

	/* Best effort: runs on CPU 0 and says the cpuset removed CPU 1. */
	run_child(CHILD_CPUSET, &ask, 0, &r);
	NP_CHECK_INT(r.setup_err, 0);
	NP_CHECK_INT(r.ret, 0);
	NP_CHECK_INT(r.fallbacks, NP_PIN_FB_CPUSET);
	NP_CHECK_CONTAINS(r.detail, "CPUs 1 are online but not allowed by the cgroup cpuset");
	NP_CHECK(CPU_EQUAL(&r.got, &zero) && CPU_EQUAL(&r.after_pin, &zero), "got CPU 0 only");

	/* Strict: -EPERM and the affinity restored. */
	run_child(CHILD_CPUSET, &ask, NP_PIN_STRICT, &r);
	NP_CHECK_INT(r.ret, -EPERM);
	NP_CHECK_CONTAINS(r.msg, "not allowed by the cgroup cpuset");
	NP_CHECK(CPU_EQUAL(&r.after_pin, &r.before), "affinity restored");

	/* Only CPU 1: the cpuset allows none of it. */
	CPU_CLR(0, &ask);
	run_child(CHILD_CPUSET, &ask, 0, &r);
	NP_CHECK_INT(r.ret, 0);
	NP_CHECK_INT(r.fallbacks, NP_PIN_FB_REFUSED | NP_PIN_FB_CPUSET);
	NP_CHECK_CONTAINS(r.detail, "the cpuset allows none of them");
	NP_CHECK(CPU_EQUAL(&r.after_pin, &r.before), "affinity unchanged");
	run_child(CHILD_CPUSET, &ask, NP_PIN_STRICT, &r);
	NP_CHECK_INT(r.ret, -EPERM);
	NP_CHECK_CONTAINS(r.msg, "the cgroup cpuset allows none of these CPUs");

	NP_CHECK(rmdir(cpuset_dir) == 0, "rmdir %s: %s", cpuset_dir, strerror(errno));
}

static void
test_cpu_lists(void)
{
	cpu_set_t s, o;
	char buf[64];

	CPU_ZERO(&s);
	CPU_SET(0, &s);
	CPU_SET(1, &s);
	CPU_SET(2, &s);
	CPU_SET(3, &s);
	CPU_SET(8, &s);
	CPU_SET(1023, &s);
	NP_CHECK_INT(np_cpuset_format(&s, buf, sizeof(buf)), (int)strlen("0-3,8,1023"));
	NP_CHECK_STR(buf, "0-3,8,1023");
	NP_CHECK_INT(np_cpuset_format(&s, buf, 5), (int)strlen("0-3,8,1023"));
	NP_CHECK_STR(buf, "0-3,");
	CPU_ZERO(&s);
	NP_CHECK_INT(np_cpuset_format(&s, buf, sizeof(buf)), 0);
	NP_CHECK_STR(buf, "");

	NP_REQUIRE_INT(np_cpus_online(&o), 0);
	NP_CHECK_INT(CPU_COUNT(&o), sysconf(_SC_NPROCESSORS_ONLN));
	NP_CHECK_INT(np_node_cpus(NP_MAX_NODE_ID, &s), -ENODEV);
	NP_CHECK_CONTAINS(np_last_error(), "node 1023 does not exist");
}

static const struct np_test_case cases[] = {
	{ "bad arguments", test_bad_args },
	{ "pin to each CPU and restore", test_pin_each_cpu },
	{ "pin to node 0", test_pin_node },
	{ "nested scopes", test_nesting },
	{ "restore from another thread", test_restore_from_other_thread },
	{ "offline CPUs narrow the pin", test_offline_narrowing },
	{ "refused by seccomp (EPERM)", test_refused },
	{ "narrowed by a cgroup cpuset", test_cpuset_narrowing },
	{ "CPU lists", test_cpu_lists },
	{ NULL, NULL },
};

NP_TEST_MAIN({ "pin", suite_init, NULL, cases })
