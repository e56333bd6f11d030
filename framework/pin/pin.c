/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pinning with a restore scope, and the check that the kernel did what was
 * asked: sched_setaffinity succeeds even when a cpuset or offline CPUs
 * removed most of the request, so the affinity is read back and compared.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "np_error_private.h"
#include "np_list_private.h"
#include "np_pin.h"

#define NP_LOGTYPE np_pin_logtype
NP_LOG_REGISTER(np_pin_logtype, "numaperf.pin");

int
np_cpuset_format(const cpu_set_t *cpus, char *buf, size_t len)
{
	struct np_idlist_writer w;

	if (cpus == NULL || buf == NULL)
		return np_fail(EINVAL, "np_cpuset_format: %s is NULL", cpus == NULL ? "cpus" : "buf");
	np_idlist_begin(&w, buf, len);
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, cpus))
			np_idlist_add(&w, c);
	return np_idlist_end(&w);
}

static void
fmt(const cpu_set_t *s, char *buf, size_t len)
{
	np_cpuset_format(s, buf, len);
	if (buf[0] == '\0')
		snprintf(buf, len, "none");
}

static void
add_cpus(void *set, long lo, long hi)
{
	for (long c = lo; c <= hi && c < CPU_SETSIZE; c++)
		CPU_SET((int)c, (cpu_set_t *)set);
}

/* Read a kernel CPU list file ("0-3,5\n"); -errno if missing or malformed. */
static int
read_cpulist(const char *path, cpu_set_t *out)
{
	CPU_ZERO(out);
	return np_idlist_read(path, "CPU", INT_MAX, add_cpus, out);
}

int
np_cpus_online(cpu_set_t *out)
{
	if (out == NULL)
		return np_fail(EINVAL, "np_cpus_online: out is NULL");
	if (read_cpulist("/sys/devices/system/cpu/online", out) < 0)
		return np_fail(EIO, "cannot read /sys/devices/system/cpu/online: is /sys mounted?");
	return 0;
}

struct node_in_list {
	long node;
	bool found;
};

static void
find_node(void *arg, long lo, long hi)
{
	struct node_in_list *q = arg;

	q->found |= q->node >= lo && q->node <= hi;
}

/* Whether node @node is in /sys/devices/system/node/online. */
static int
node_online(int node)
{
	struct node_in_list q = { .node = node, .found = false };
	int ret = np_idlist_read("/sys/devices/system/node/online", "node", NP_MAX_NODE_ID,
				 find_node, &q);

	if (ret < 0 && ret != -EINVAL)
		return -ENOSYS; /* no such file: a kernel without NUMA, only node 0 */
	/* Malformed (-EINVAL): the nodes listed before the fault still count. */
	return q.found;
}

int
np_node_cpus(int node, cpu_set_t *out)
{
	char path[96];
	int on;

	if (out == NULL)
		return np_fail(EINVAL, "np_node_cpus: out is NULL");
	if (node < 0 || node > NP_MAX_NODE_ID)
		return np_fail(EINVAL, "node %d is not a node id (0..%d)%s", node, NP_MAX_NODE_ID,
			       node == NP_NODE_ANY ? ": NP_NODE_ANY names no CPUs" : "");
	on = node_online(node);
	if (on == -ENOSYS) {
		if (node != 0)
			return np_fail(ENODEV, "node %d does not exist: this kernel has no NUMA, only node 0",
				       node);
		if (np_cpus_online(out) < 0)
			return -EIO;
		return CPU_COUNT(out);
	}
	if (on == 0)
		return np_fail(ENODEV, "node %d does not exist (see /sys/devices/system/node/online)", node);
	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/cpulist", node);
	if (read_cpulist(path, out) < 0)
		return np_fail(ENODEV, "node %d: cannot read %s", node, path);
	return CPU_COUNT(out);
}

static void __attribute__((format(printf, 3, 4)))
note(struct np_pin_scope *s, unsigned int fb, const char *f, ...)
{
	size_t used = strlen(s->detail);
	va_list ap;

	s->fallbacks |= fb;
	if (used > 0 && used + 2 < sizeof(s->detail)) {
		memcpy(s->detail + used, "; ", 3);
		used += 2;
	}
	if (used + 1 >= sizeof(s->detail))
		return;
	va_start(ap, f);
	vsnprintf(s->detail + used, sizeof(s->detail) - used, f, ap);
	va_end(ap);
}

/*
 * The one pinning path. @what names the request for messages ("node 1",
 * "CPU 3", "CPUs 0-3").
 */
static int
pin(struct np_pin_scope *s, const cpu_set_t *asked, unsigned int flags, const char *what)
{
	cpu_set_t online, missing, off, cs;
	char a[256], b[256];
	bool strict = flags & NP_PIN_STRICT;
	bool have_online;
	int err;

	memset(s, 0, sizeof(*s));
	s->asked = *asked;
	if (sched_getaffinity(0, sizeof(s->saved), &s->saved) < 0) {
		err = errno;
		return np_fail(err, "pin to %s: cannot read the current affinity (sched_getaffinity: %s)",
			       what, strerror(err));
	}
	have_online = read_cpulist("/sys/devices/system/cpu/online", &online) == 0;
	if (!have_online)
		online = *asked; /* cannot tell: treat what was asked as online */
	CPU_AND(&cs, asked, &online);
	if (CPU_COUNT(&cs) == 0) {
		fmt(asked, a, sizeof(a));
		fmt(&online, b, sizeof(b));
		return np_fail(EINVAL, "pin to %s: none of CPUs %s is online (online CPUs: %s)",
			       what, a, b);
	}

	if (sched_setaffinity(0, sizeof(*asked), asked) < 0) {
		err = errno;
		fmt(asked, a, sizeof(a));
		fmt(&s->saved, b, sizeof(b));
		if (err != EPERM && err != EINVAL)
			return np_fail(err, "pin to %s: sched_setaffinity(%s) failed: %s", what, a,
				       strerror(err));
		/* EINVAL with online CPUs asked: the cpuset allows none of them. */
		if (strict)
			return np_fail(EPERM, "pin to %s: sched_setaffinity(%s) %s; affinity unchanged "
				       "(%s) (NP_PIN_STRICT)", what, a,
				       err == EPERM ? "was refused (EPERM: seccomp or another user's thread)"
						    : "failed: the cgroup cpuset allows none of these CPUs",
				       b);
		note(s, NP_PIN_FB_REFUSED | (err == EINVAL ? NP_PIN_FB_CPUSET : 0),
		     "sched_setaffinity(%s) %s: still running on CPUs %s", a,
		     err == EPERM ? "refused (EPERM)" : "failed: the cpuset allows none of them", b);
		s->got = s->saved;
		goto done;
	}
	if (sched_getaffinity(0, sizeof(s->got), &s->got) < 0)
		s->got = *asked;

	/* What the kernel dropped, and why: offline, or removed by the cpuset. */
	CPU_XOR(&missing, asked, &s->got);
	CPU_AND(&missing, &missing, asked);
	if (CPU_COUNT(&missing) > 0) {
		CPU_AND(&cs, &missing, &online);
		CPU_XOR(&off, &missing, &cs);
		if (CPU_COUNT(&off) > 0) {
			fmt(&off, a, sizeof(a));
			note(s, NP_PIN_FB_OFFLINE, "CPUs %s are offline or do not exist", a);
		}
		if (CPU_COUNT(&cs) > 0) {
			fmt(&cs, a, sizeof(a));
			note(s, NP_PIN_FB_CPUSET, "CPUs %s are online but not allowed by the cgroup cpuset", a);
		}
		fmt(&s->got, b, sizeof(b));
		note(s, 0, "running on CPUs %s", b);
		if (strict) {
			char why[sizeof(s->detail)];

			snprintf(why, sizeof(why), "%s", s->detail);
			err = (s->fallbacks & NP_PIN_FB_CPUSET) ? EPERM : EINVAL;
			if (sched_setaffinity(0, sizeof(s->saved), &s->saved) < 0)
				return np_fail(errno, "pin to %s narrowed (%s) and restoring the previous "
					       "affinity failed too: %s", what, why, strerror(errno));
			return np_fail(err, "pin to %s: the kernel narrowed it: %s; previous affinity "
				       "restored (NP_PIN_STRICT)", what, why);
		}
	}
done:
	s->tid = gettid();
	s->state = NP__PIN_ACTIVE;
	if (s->fallbacks)
		NP_LOG(DEBUG, "pin to %s: best effort: %s", what, s->detail);
	return 0;
}

static int
check(const struct np_pin_scope *s, unsigned int flags, const char *fn)
{
	if (s == NULL)
		return np_fail(EINVAL, "%s: scope is NULL", fn);
	if (flags & ~NP_PIN_STRICT)
		return np_fail(EINVAL, "%s: flags 0x%x has unknown bits (only NP_PIN_STRICT is defined)",
			       fn, flags);
	return 0;
}

int
np_pin_node(struct np_pin_scope *scope, int node, unsigned int flags)
{
	char what[32];
	cpu_set_t cpus;
	int n;

	if (check(scope, flags, "np_pin_node") < 0)
		return -EINVAL;
	n = np_node_cpus(node, &cpus);
	if (n < 0) {
		char why[400];

		snprintf(why, sizeof(why), "%s", np_last_error());
		return np_fail(-n, "np_pin_node: %s", why);
	}
	if (n == 0)
		return np_fail(ENODEV, "np_pin_node: node %d has no CPUs (a memory-only node): pin to the "
			       "node nearest to it instead (np_topo_nodes_by_distance)", node);
	snprintf(what, sizeof(what), "node %d", node);
	return pin(scope, &cpus, flags, what);
}

int
np_pin_cpus(struct np_pin_scope *scope, const cpu_set_t *cpus, unsigned int flags)
{
	char what[300], list[256];

	if (check(scope, flags, "np_pin_cpus") < 0)
		return -EINVAL;
	if (cpus == NULL)
		return np_fail(EINVAL, "np_pin_cpus: cpus is NULL");
	if (CPU_COUNT(cpus) == 0)
		return np_fail(EINVAL, "np_pin_cpus: the CPU set is empty: set at least one CPU with CPU_SET");
	fmt(cpus, list, sizeof(list));
	snprintf(what, sizeof(what), "CPUs %s", list);
	return pin(scope, cpus, flags, what);
}

int
np_pin_cpu(struct np_pin_scope *scope, unsigned int cpu, unsigned int flags)
{
	char what[32];
	cpu_set_t one;

	if (check(scope, flags, "np_pin_cpu") < 0)
		return -EINVAL;
	if (cpu >= CPU_SETSIZE)
		return np_fail(EINVAL, "np_pin_cpu: CPU %u is out of range (CPU ids are below %d)",
			       cpu, CPU_SETSIZE);
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	snprintf(what, sizeof(what), "CPU %u", cpu);
	return pin(scope, &one, flags, what);
}

int
np_pin_restore(struct np_pin_scope *scope)
{
	pid_t me = gettid();
	char list[256];
	int err;

	if (scope == NULL)
		return np_fail(EINVAL, "np_pin_restore: scope is NULL");
	if (scope->state != NP__PIN_ACTIVE)
		return np_fail(EINVAL, "np_pin_restore: this scope is not pinned (never pinned, pin failed, "
			       "or already restored)");
	if (scope->tid != me)
		return np_fail(EINVAL, "np_pin_restore: the scope was pinned by thread %d, not by this "
			       "thread %d: restore it from the thread that pinned", (int)scope->tid, (int)me);
	scope->state = 0;
	/* Refused: the affinity never changed, and asking again would be refused too. */
	if (scope->fallbacks & NP_PIN_FB_REFUSED)
		return 0;
	if (sched_setaffinity(0, sizeof(scope->saved), &scope->saved) < 0) {
		err = errno;
		fmt(&scope->saved, list, sizeof(list));
		return np_fail(err, "np_pin_restore: sched_setaffinity(%s) failed: %s (the cpuset may "
			       "have changed since)", list, strerror(err));
	}
	return 0;
}
