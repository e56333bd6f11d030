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
 * An empty item is a typo ("0,,1" meant "0,1" or "0,2,1"?), never "nothing":
 * each is refused with the position of the stray comma (1-based, spaces
 * counted), and so are the other faults, so a user finds the spot.
 */
static void
test_idlist_empty_items(void)
{
	static const struct {
		const char *list, *why;
	} bad[] = {
		{ "0,,1", "CPU list \"0,,1\": stray ',' at position 3 (an empty item; write "
			  "e.g. \"0,2-3\")" },
		{ ",0", "CPU list \",0\": stray ',' at position 1 (an empty item; write "
			"e.g. \"0,2-3\")" },
		{ "0,", "CPU list \"0,\": stray ',' at position 2 (an empty item; write "
			"e.g. \"0,2-3\")" },
		{ "0, ,1", "CPU list \"0, ,1\": stray ',' at position 4 (an empty item; "
			   "write e.g. \"0,2-3\")" },
		{ " 1-2 ,\n", "CPU list \" 1-2 ,\\x0a\": stray ',' at position 6 (an empty "
			      "item; write e.g. \"0,2-3\")" },
		{ ",", "CPU list \",\": stray ',' at position 1 (an empty item; write e.g. "
		       "\"0,2-3\")" },
		{ "0-", "CPU list \"0-\": expected a CPU id at position 3, found the end of "
			"the list" },
		{ "0-x", "CPU list \"0-x\": expected a CPU id at position 3, found \"x\"" },
		{ "1;2", "CPU list \"1;2\": unexpected \";2\" at position 2 (write e.g. "
			 "\"0,2-3\")" },
		{ "0,2048", "CPU list \"0,2048\": CPU 2048 is above the largest CPU id 1023 "
			    "(position 3)" },
		{ "\x1b[2J", "CPU list \"\\x1b[2J\": expected a CPU id at position 1, found "
			     "\"\\x1b[2J\"" },
	};
	char why[256];

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct collected c = { .n = 0 };

		why[0] = '\0';
		NP_CHECK_INT(np_idlist_parse(bad[i].list, "CPU", 1023, collect, &c, why,
					     sizeof(why)), -EINVAL);
		NP_CHECK_STR(why, bad[i].why);
	}
	/* Without room for the reason the answer is the same. */
	NP_CHECK_INT(np_idlist_parse("0,", "CPU", 1023, collect, &(struct collected){ .n = 0 },
				     NULL, 0), -EINVAL);
}

/*
 * Input quoted in a message cannot act on the terminal: control bytes and
 * bytes that are not UTF-8 become \xHH, UTF-8 text stays, and nothing is cut
 * in the middle of an escape or of a character.
 */
static void
test_buf_append_escaped(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain 0-3", "plain 0-3" },
		{ "\x01\x1b[31m\x7f", "\\x01\\x1b[31m\\x7f" },
		{ "tab\there\r\n", "tab\\x09here\\x0d\\x0a" },
		{ "caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac" },      /* é € */
		{ "caf\xe9", "caf\\xe9" },                                       /* Latin-1 */
		{ "\xc2\x9b" "2J", "\\xc2\\x9b2J" },                             /* C1 CSI */
		{ "\xc0\xaf", "\\xc0\\xaf" },                                    /* overlong */
		{ "\xed\xa0\x80", "\\xed\\xa0\\x80" },                           /* surrogate */
		{ "\xef\xbb\xbf[eal]", "\xef\xbb\xbf[eal]" },                    /* BOM: valid */
		{ "\xf0\x9f\x98", "\\xf0\\x9f\\x98" },                           /* cut short */
	};
	char buf[64], small[8];
	size_t off;

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		off = 0;
		buf[0] = '\0';
		np_buf_append_escaped(buf, sizeof(buf), &off, cases[i].in, strlen(cases[i].in));
		NP_CHECK_STR(buf, cases[i].out);
		NP_CHECK_INT(off, strlen(cases[i].out));
	}
	/* A NUL inside the counted bytes is escaped too. */
	off = 0;
	np_buf_append_escaped(buf, sizeof(buf), &off, "a\0b", 3);
	NP_CHECK_STR(buf, "a\\x00b");
	/* 7 bytes of room: "ab" and one escape (4) fit, the next escape does not. */
	off = 0;
	memset(small, '#', sizeof(small));
	np_buf_append_escaped(small, sizeof(small), &off, "ab\x01\x02", 4);
	NP_CHECK_STR(small, "ab\\x01");
	NP_CHECK_INT(off, 6);
	off = 0;
	np_buf_append_escaped(small, sizeof(small), &off, "abcdef\xc3\xa9", 8);
	NP_CHECK_STR(small, "abcdef");  /* "é" would need bytes 7 and 8: not half of it */
	np_buf_append_escaped(small, 0, &off, "x", 1); /* len 0: no write at all */
	NP_CHECK_STR(small, "abcdef");
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
	{ "id list parser: empty items and positions", test_idlist_empty_items },
	{ "np_buf_appendf bounded", test_buf_appendf },
	{ "np_buf_append_escaped", test_buf_append_escaped },
	{ NULL, NULL },
};

NP_TEST_MAIN(
	{ "common: error rule", NULL, NULL, error_cases },
	{ "common: lists", NULL, NULL, list_cases },
)
