/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * framework/common: the one error rule (np_fail, np_last_error), kernel-style
 * id lists, and the bounded append that builds lists quoted in messages and
 * reports.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <rte_errno.h>

#include "np_error_private.h"
#include "np_list_private.h"
#include "np_test.h"

static void
test_fail_sets_errno_and_message(void)
{
	void *p;

	np_clear_error();
	NP_CHECK_STR(np_last_error(), "");
	NP_CHECK_INT(np_fail(ENODEV, "node %d does not exist", 7), -ENODEV);
	NP_CHECK_INT(errno, ENODEV);
	NP_CHECK_INT(rte_errno, ENODEV);
	NP_CHECK_STR(np_last_error(), "node 7 does not exist");
	errno = 0;
	p = np_fail_null(ENOMEM, "out of memory for %s", "shards");
	NP_CHECK(p == NULL, "constructor failure returns NULL");
	NP_CHECK_INT(errno, ENOMEM);
	NP_CHECK_STR(np_last_error(), "out of memory for shards");
	np_clear_error();
	NP_CHECK_STR(np_last_error(), "");
}

static void *
other_thread(void *arg)
{
	(void)arg;
	np_fail(EINVAL, "the other thread's failure");
	return NULL;
}

static void
test_message_is_per_thread(void)
{
	pthread_t t;

	np_fail(EIO, "this thread's failure");
	NP_REQUIRE_INT(pthread_create(&t, NULL, other_thread, NULL), 0);
	pthread_join(t, NULL);
	NP_CHECK_STR(np_last_error(), "this thread's failure");
}

static void
test_long_message_truncated(void)
{
	char big[2048];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	np_fail(EINVAL, "%s", big);
	NP_CHECK(strlen(np_last_error()) > 100 && strlen(np_last_error()) < sizeof(big),
		 "message truncated, terminated: length %zu", strlen(np_last_error()));
}

static int
idlist(char *buf, size_t len, const long *ids, unsigned int n)
{
	struct np_idlist_writer w;

	np_idlist_begin(&w, buf, len);
	for (unsigned int i = 0; i < n; i++)
		np_idlist_add(&w, ids[i]);
	return np_idlist_end(&w);
}

static void
test_idlist_writer(void)
{
	static const long ids[] = { 0, 1, 2, 3, 5, 7, 8 };
	char buf[64], small[6];

	NP_CHECK_INT(idlist(buf, sizeof(buf), ids, 7), 9);
	NP_CHECK_STR(buf, "0-3,5,7-8");
	NP_CHECK_INT(idlist(buf, sizeof(buf), ids, 0), 0);
	NP_CHECK_STR(buf, "");
	/* Like snprintf: the whole length counted, as much as fits written. */
	NP_CHECK_INT(idlist(small, sizeof(small), ids, 7), 9);
	NP_CHECK_STR(small, "0-3,5");
}

struct collected {
	long lo[8], hi[8];
	unsigned int n;
};

static void
collect(void *ctx, long lo, long hi)
{
	struct collected *c = ctx;

	if (c->n < 8) {
		c->lo[c->n] = lo;
		c->hi[c->n++] = hi;
	}
}

static void
test_idlist_parser(void)
{
	struct collected c = { .n = 0 };
	char why[128];

	NP_REQUIRE_INT(np_idlist_parse("0-3, 5,7-8\n", "CPU", 1023, collect, &c, why,
				       sizeof(why)), 0);
	NP_REQUIRE_INT(c.n, 3);
	NP_CHECK_INT(c.lo[0], 0);
	NP_CHECK_INT(c.hi[0], 3);
	NP_CHECK_INT(c.lo[1], 5);
	NP_CHECK_INT(c.hi[2], 8);
	c.n = 0;
	NP_CHECK_INT(np_idlist_parse("", "node", 1023, collect, &c, why, sizeof(why)), 0);
	NP_CHECK_INT(c.n, 0);
	NP_CHECK_INT(np_idlist_parse("1-x", "node", 1023, collect, &c, why, sizeof(why)),
		     -EINVAL);
	NP_CHECK_CONTAINS(why, "node");
	NP_CHECK_INT(np_idlist_parse("3-1", "node", 1023, collect, &c, why, sizeof(why)),
		     -EINVAL);
	NP_CHECK_INT(np_idlist_parse("2048", "node", 1023, collect, &c, why, sizeof(why)),
		     -EINVAL);
	NP_CHECK_CONTAINS(why, "1023");
}

/*
 * Past the end nothing is written and the offset stays inside the buffer:
 * with the plain "off += snprintf()" idiom, len - off wraps round and the
 * next append overruns the buffer.
 */
static void
test_buf_appendf(void)
{
	char buf[16 + 8];
	size_t off = 0;

	memset(buf, '#', sizeof(buf));
	for (int i = 0; i < 20; i++)
		np_buf_appendf(buf, 16, &off, "%s%d", i ? "," : "", i);
	NP_CHECK_STR(buf, "0,1,2,3,4,5,6,7");
	NP_CHECK(off <= 15, "offset stays inside the buffer: %zu", off);
	for (size_t i = 16; i < sizeof(buf); i++)
		NP_CHECK(buf[i] == '#', "byte %zu past the buffer untouched", i);
	off = 0;
	np_buf_appendf(buf, 16, &off, "%s", "short");
	np_buf_appendf(buf, 16, &off, "%s", ", more");
	NP_CHECK_STR(buf, "short, more");
	NP_CHECK_INT(off, 11);
	np_buf_appendf(buf, 0, &off, "%s", "nothing"); /* len 0: no write at all */
	NP_CHECK_STR(buf, "short, more");
}

static const struct np_test_case error_cases[] = {
	{ "np_fail sets errno, rte_errno, message", test_fail_sets_errno_and_message },
	{ "message is per thread", test_message_is_per_thread },
	{ "long message truncated", test_long_message_truncated },
	{ NULL, NULL },
};

static const struct np_test_case list_cases[] = {
	{ "id list writer", test_idlist_writer },
	{ "id list parser", test_idlist_parser },
	{ "np_buf_appendf bounded", test_buf_appendf },
	{ NULL, NULL },
};

NP_TEST_MAIN(
	{ "common: error rule", NULL, NULL, error_cases },
	{ "common: lists", NULL, NULL, list_cases },
)
