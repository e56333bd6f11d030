/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-node sharded state (framework/shard/np_sharded.h): every API and bad
 * argument, placement checked independently with move_pages, the local
 * lookup against libnuma's CPU-to-node map, and cleanup on every failure.
 *
 * The program interposes mmap/munmap (as test_region.c does) to prove a
 * failed creation unmaps every shard made so far, once. Verification that
 * cannot be done (move_pages refused by seccomp, in a child) is best effort
 * by default and an error with NP_SHARDED_STRICT.
 *
 * Shards landing on different nodes: tests/multinode/test_vm_shard.c.
 */
#include <errno.h>
#include <numa.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "np_pin.h"
#include "np_sharded.h"
#include "np_test.h"
#include "np_test_numa.h"
#include "np_test_sys.h"

static size_t page;

/* ---- mmap/munmap tracking (see test_region.c) -------------------------- */

static bool tracking;
static long live_bytes;
static unsigned int n_maps, n_unmaps;

void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	long r = syscall(SYS_mmap, addr, len, prot, flags, fd, off);

	if (r == -1)
		return MAP_FAILED;
	if (tracking) {
		n_maps++;
		live_bytes += (long)((len + page - 1) & ~(page - 1));
	}
	return (void *)r;
}

int
munmap(void *addr, size_t len)
{
	if (tracking) {
		n_unmaps++;
		live_bytes -= (long)((len + page - 1) & ~(page - 1));
	}
	return (int)syscall(SYS_munmap, addr, len);
}

static void
track_start(void)
{
	live_bytes = 0;
	n_maps = n_unmaps = 0;
	tracking = true;
}

#define CHECK_ALL_UNMAPPED(what) do {                                        \
		tracking = false;                                            \
		NP_CHECK(live_bytes == 0, "%s: %ld bytes still mapped or unmapped twice " \
			 "(%u mmap, %u munmap)", what, live_bytes, n_maps, n_unmaps); \
	} while (0)

/* ---- helpers ------------------------------------------------------------ */

static int
suite_init(void)
{
	page = (size_t)sysconf(_SC_PAGESIZE);
	return 0;
}

struct init_log {
	unsigned int calls;
	int nodes[64];
	int fail_node;     /* make init fail for this node (-100: never) */
	int fail_ret;
};

struct payload {
	int node;
	uint32_t magic;
	char rest[100];
};

static int
init_shard(void *shard, int node, void *arg)
{
	struct init_log *log = arg;
	struct payload *p = shard;

	if (log->calls < 64)
		log->nodes[log->calls] = node;
	log->calls++;
	if (node == log->fail_node)
		return log->fail_ret;
	p->node = node;
	p->magic = 0x5eed;
	return 0;
}

#define CHECK_CREATE_FAILS(expr, errno_, needle) do {                        \
		np_clear_error();                                            \
		errno = 0;                                                   \
		track_start();                                               \
		np_sharded *np__s = (expr);                                  \
		int np__e = errno;                                           \
		NP_CHECK(np__s == NULL, "%s: expected failure", #expr);      \
		np_sharded_destroy(np__s);                                   \
		CHECK_ALL_UNMAPPED(#expr);                                   \
		NP_CHECK_INT(np__e, errno_);                                 \
		NP_CHECK_CONTAINS(np_last_error(), needle);                  \
	} while (0)

/* ---- cases -------------------------------------------------------------- */

static void
test_bad_args(void)
{
	np_nodemask m = { { 0 } };
	long long total = numa_node_size64(0, NULL);

	CHECK_CREATE_FAILS(np_sharded_create(0, 0, NULL, NULL, NULL, 0), EINVAL, "size is 0");
	CHECK_CREATE_FAILS(np_sharded_create(8, 3, NULL, NULL, NULL, 0), EINVAL,
			   "align 3 is not a power of two");
	CHECK_CREATE_FAILS(np_sharded_create(8, 0, NULL, NULL, NULL, 0x4), EINVAL,
			   "flags 0x4 has unknown bits");
	CHECK_CREATE_FAILS(np_sharded_create(8, 0, &m, NULL, NULL, 0), EINVAL, "the node mask is empty");
	np_nodemask_set(&m, NP_MAX_NODE_ID);
	CHECK_CREATE_FAILS(np_sharded_create(8, 0, &m, NULL, NULL, 0), ENODEV,
			   "shard for node 1023: np_region_create: bind node 1023 does not exist");
	NP_REQUIRE(total > 0, "node 0 memory");
	np_nodemask_zero(&m);
	np_nodemask_set(&m, 0);
	CHECK_CREATE_FAILS(np_sharded_create((size_t)total + (1ULL << 30), 0, &m, NULL, NULL, 0),
			   ENOMEM, "shard for node 0: np_region_create: size");
}

static void
test_init_fails(void)
{
	struct init_log log = { .fail_node = -100 };
	np_nodemask usable;
	int last = -1;

	NP_REQUIRE_INT(np_nodemask_usable(&usable), 0);
	NP_NODEMASK_FOREACH(n, &usable)
		last = n;
	/* Fail on the last node: every shard before it was made and must go. */
	log.fail_node = last;
	log.fail_ret = -EBADMSG;
	CHECK_CREATE_FAILS(np_sharded_create(sizeof(struct payload), 0, NULL, init_shard, &log, 0),
			   EBADMSG, "the init callback failed for the shard of node");
	NP_CHECK_INT(log.calls, np_nodemask_weight(&usable));
	NP_CHECK(n_maps > 0 && n_unmaps >= n_maps, "every shard mapping was unmapped (%u maps, %u unmaps)",
		 n_maps, n_unmaps);

	/* A positive return is not an errno: reported as EINVAL. */
	log.calls = 0;
	log.fail_ret = 1;
	CHECK_CREATE_FAILS(np_sharded_create(sizeof(struct payload), 0, NULL, init_shard, &log, 0),
			   EINVAL, "Invalid argument");
}

static void
test_create_all_nodes(void)
{
	struct init_log log = { .fail_node = -100 };
	np_nodemask usable, seen = { { 0 } };
	np_sharded *s;
	int prev = -1;

	NP_REQUIRE_INT(np_nodemask_usable(&usable), 0);
	track_start();
	s = np_sharded_create(sizeof(struct payload), 0, NULL, init_shard, &log, NP_SHARDED_STRICT);
	NP_REQUIRE(s != NULL, "create: %s", np_last_error());
	NP_CHECK_INT(np_sharded_count(s), np_nodemask_weight(&usable));
	NP_CHECK_INT(log.calls, np_sharded_count(s));

	NP_SHARDED_FOREACH(s, i) {
		struct np_shard_info in;
		struct payload *p;

		NP_REQUIRE_INT(np_sharded_shard(s, i, &in), 0);
		NP_CHECK(in.node > prev, "shards in ascending node order: %d after %d", in.node, prev);
		prev = in.node;
		np_nodemask_set(&seen, in.node);
		NP_CHECK(in.verified, "shard %u verified on node %d", i, in.node);
		NP_CHECK_INT(in.pages, 1);
		NP_CHECK_INT(in.pages_on_node, 1);
		/* Independently: the kernel says the shard's page is on its node. */
		NP_CHECK_INT(np_test_page_node(in.ptr), in.node);
		NP_CHECK(((uintptr_t)in.ptr & (page - 1)) == 0, "default alignment is the page");
		NP_CHECK(np_sharded_get(s, i) == in.ptr, "get(%u)", i);
		NP_CHECK_INT(np_sharded_node(s, i), in.node);
		NP_CHECK(np_sharded_on(s, in.node) == in.ptr, "on(node %d)", in.node);
		p = in.ptr;
		NP_CHECK_INT(p->node, in.node);     /* init ran on this shard with its node */
		NP_CHECK_INT(p->magic, 0x5eed);
		NP_CHECK_INT(p->rest[99], 0);       /* zeroed */
		NP_CHECK_INT(log.nodes[i], in.node);
	}
	NP_CHECK(np_nodemask_equal(&seen, &usable), "a shard on every usable node");
	NP_CHECK_INT(np_sharded_verify(s), 0);
	np_sharded_destroy(s);
	CHECK_ALL_UNMAPPED("create + destroy");
	NP_CHECK_INT(n_maps, n_unmaps);
}

static void
test_alignment(void)
{
	static const size_t aligns[] = { 1, 64, 4096, 1u << 16, 1u << 21 };

	for (unsigned int k = 0; k < sizeof(aligns) / sizeof(aligns[0]); k++) {
		np_sharded *s = np_sharded_create(1000, aligns[k], NULL, NULL, NULL, NP_SHARDED_STRICT);

		NP_REQUIRE(s != NULL, "align %zu: %s", aligns[k], np_last_error());
		NP_SHARDED_FOREACH(s, i) {
			char *p = np_sharded_get(s, i);
			struct np_shard_info in;

			NP_CHECK(((uintptr_t)p & (aligns[k] - 1)) == 0, "align %zu: %p", aligns[k], (void *)p);
			p[999] = 1;   /* the whole size is usable */
			np_sharded_shard(s, i, &in);
			NP_CHECK(in.verified, "align %zu: verified", aligns[k]);
		}
		np_sharded_destroy(s);
	}
}

static void
test_local_lookup(void)
{
	np_sharded *s = np_sharded_create(64, 64, NULL, NULL, NULL, 0);
	cpu_set_t online;

	NP_REQUIRE(s != NULL, "create: %s", np_last_error());
	NP_REQUIRE_INT(np_cpus_online(&online), 0);
	/* Every online CPU maps to the shard of its node (libnuma's word). */
	for (int c = 0; c < CPU_SETSIZE; c++) {
		int node, idx;

		if (!CPU_ISSET(c, &online))
			continue;
		node = numa_node_of_cpu(c);
		idx = np_sharded_index_for_cpu(s, (unsigned int)c);
		NP_CHECK(idx >= 0 && (unsigned int)idx < np_sharded_count(s), "index for CPU %d: %d", c, idx);
		NP_CHECK_INT(np_sharded_node(s, (unsigned int)idx), node);
		NP_CHECK(np_sharded_for_cpu(s, (unsigned int)c) == np_sharded_on(s, node),
			 "CPU %d gets node %d's shard", c, node);
	}
	/* Pinned to one CPU, "local" is that CPU's node's shard. */
	for (int c = 0; c < CPU_SETSIZE; c++) {
		struct np_pin_scope scope;

		if (!CPU_ISSET(c, &online) || np_pin_cpu(&scope, (unsigned int)c, NP_PIN_STRICT) < 0)
			continue;
		NP_CHECK(np_sharded_local(s) == np_sharded_on(s, numa_node_of_cpu(c)),
			 "local on CPU %d", c);
		np_pin_restore(&scope);
	}
	/* A CPU id beyond any the machine can have: the first shard. */
	NP_CHECK(np_sharded_for_cpu(s, 100000) == np_sharded_get(s, 0), "unknown CPU -> first shard");
	NP_CHECK_INT(np_sharded_index_for_cpu(s, 100000), 0);
	np_sharded_destroy(s);
}

static void
test_lookup_errors(void)
{
	np_sharded *s = np_sharded_create(8, 0, NULL, NULL, NULL, 0);
	struct np_shard_info in;
	char needle[64];

	NP_REQUIRE(s != NULL, "create: %s", np_last_error());
	np_clear_error();
	errno = 0;
	NP_CHECK(np_sharded_on(s, NP_MAX_NODE_ID) == NULL, "no shard on node 1023");
	NP_CHECK_INT(errno, ENOENT);
	NP_CHECK_CONTAINS(np_last_error(), "no shard on node 1023 (shards are on nodes 0");
	NP_CHECK_INT(np_sharded_shard(s, np_sharded_count(s), &in), -EINVAL);
	snprintf(needle, sizeof(needle), "index %u is not below the shard count %u",
		 np_sharded_count(s), np_sharded_count(s));
	NP_CHECK_CONTAINS(np_last_error(), needle);
	NP_CHECK_INT(np_sharded_shard(s, 0, NULL), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "out is NULL");
	NP_CHECK_INT(np_sharded_shard(NULL, 0, &in), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "sharded object is NULL");
	errno = 0;
	NP_CHECK(np_sharded_get(s, 1000) == NULL && errno == EINVAL, "get out of range");
	NP_CHECK_CONTAINS(np_last_error(), "index out of range");
	NP_CHECK_INT(np_sharded_node(s, 1000), -EINVAL);
	NP_CHECK_INT(np_sharded_node(NULL, 0), -EINVAL);
	NP_CHECK(np_sharded_on(NULL, 0) == NULL, "on(NULL)");
	NP_CHECK_INT(np_sharded_verify(NULL), -EINVAL);
	NP_CHECK_INT(np_sharded_index_for_cpu(NULL, 0), -EINVAL);
	NP_CHECK_INT(np_sharded_count(NULL), 0);
	NP_CHECK(np_sharded_local(NULL) == NULL && np_sharded_for_cpu(NULL, 0) == NULL, "NULL lookups");
	np_sharded_destroy(NULL);
	np_sharded_destroy(s);
}

/* ---- verification that cannot be done ----------------------------------- */

struct child_out {
	int setup_err;
	bool created;
	int err;
	bool verified;
	int verify_ret;
	long live_bytes;
	char msg[400];
};

/* In the child: move_pages refused, then a creation that cannot check its placement. */
static void
create_in_child(void *report, void *arg)
{
	unsigned int flags = *(const unsigned int *)arg;
	struct child_out *o = report;
	np_sharded *s;

	o->setup_err = np_test_deny_syscall(SYS_move_pages, EPERM);
	if (o->setup_err != 0)
		return;
	track_start();
	s = np_sharded_create(64, 0, NULL, NULL, NULL, flags);
	o->created = s != NULL;
	o->err = s ? 0 : errno;
	snprintf(o->msg, sizeof(o->msg), "%s", np_last_error());
	if (s != NULL) {
		struct np_shard_info in;

		np_sharded_shard(s, 0, &in);
		o->verified = in.verified;
		o->verify_ret = np_sharded_verify(s);
		np_sharded_destroy(s);
	}
	tracking = false;
	o->live_bytes = live_bytes;
}

static void
create_without_move_pages(unsigned int flags, struct child_out *out)
{
	struct np_test_child c = np_test_fork(create_in_child, &flags, out, sizeof(*out));

	NP_REQUIRE_CHILD_OK(c);
}

static void
test_unverifiable(void)
{
	struct child_out o;

	create_without_move_pages(0, &o);
	if (o.setup_err != 0) {
		fprintf(stderr, "note: seccomp unavailable (%s): case not run\n", strerror(-o.setup_err));
		return;
	}
	NP_CHECK(o.created, "best effort: created although unverifiable: %s", o.msg);
	NP_CHECK(!o.verified, "reported as not verified");
	NP_CHECK_INT(o.verify_ret, -EPERM);
	NP_CHECK_INT(o.live_bytes, 0);

	create_without_move_pages(NP_SHARDED_STRICT, &o);
	NP_CHECK(!o.created, "strict: fails");
	NP_CHECK_INT(o.err, EIO);
	NP_CHECK_CONTAINS(o.msg, "its placement could not be checked");
	NP_CHECK_CONTAINS(o.msg, "NP_SHARDED_STRICT");
	NP_CHECK_INT(o.live_bytes, 0);
}

static const struct np_test_case cases[] = {
	{ "bad arguments", test_bad_args },
	{ "init callback fails: everything freed", test_init_fails },
	{ "a verified shard on every usable node", test_create_all_nodes },
	{ "alignment", test_alignment },
	{ "local lookup follows the CPU's node", test_local_lookup },
	{ "lookup errors", test_lookup_errors },
	{ "placement unverifiable (move_pages refused)", test_unverifiable },
	{ NULL, NULL },
};

NP_TEST_MAIN({ "sharded", suite_init, NULL, cases })
