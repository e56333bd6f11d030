/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared CUnit glue for numaperf tests: assertions that print both values and
 * the location, a skip rule (exit 77, meson's SKIP) and one main().
 *
 * A test program defines its suites as an array of struct np_test_suite and
 * calls np_test_run(). Exit status: 0 all passed, 1 a test failed, 77 skipped
 * (with a message on stderr saying exactly what is missing).
 */
#ifndef NP_TEST_H
#define NP_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>

#define NP_TEST_SKIP 77

/*
 * Where the described machines and test data are: $NP_TOPO_DIR and
 * $NP_TEST_DATA when set, else the source tree this binary was built from
 * (tests/meson.build passes it), so a test runs by hand or in the VM too.
 */
static inline const char *
np_test_dir(const char *env, const char *dflt)
{
	const char *v = getenv(env);

	return v && v[0] ? v : dflt;
}
#define NP_TOPO_DIR np_test_dir("NP_TOPO_DIR", NP_TOPO_DIR_DEFAULT)
#define NP_TEST_DATA np_test_dir("NP_TEST_DATA", NP_TEST_DATA_DEFAULT)

struct np_test_case {
	const char *name;
	void (*fn)(void);
};

struct np_test_suite {
	const char *name;
	int (*init)(void);
	int (*cleanup)(void);
	const struct np_test_case *cases; /* terminated by { NULL, NULL } */
};

/* Exit 77 with a reason: for a whole program whose precondition is missing. */
#define NP_TEST_SKIP_ALL(...) do {                                          \
		fprintf(stderr, "SKIP: " __VA_ARGS__);                      \
		fputc('\n', stderr);                                        \
		exit(NP_TEST_SKIP);                                         \
	} while (0)

#define NP__CHECK(cond, fatal, ...) do {                                    \
		char np__m[512];                                            \
		snprintf(np__m, sizeof(np__m), __VA_ARGS__);                \
		CU_assertImplementation(!!(cond), __LINE__, np__m, __FILE__, \
					"", (fatal) ? CU_TRUE : CU_FALSE);  \
	} while (0)

/* Integer equality, showing both values. */
#define NP_CHECK_INT(actual, expected) do {                                 \
		long long np__a = (long long)(actual);                      \
		long long np__e = (long long)(expected);                    \
		NP__CHECK(np__a == np__e, 0, "%s == %s: got %lld, expected %lld", \
			  #actual, #expected, np__a, np__e);                \
	} while (0)

#define NP_REQUIRE_INT(actual, expected) do {                               \
		long long np__a = (long long)(actual);                      \
		long long np__e = (long long)(expected);                    \
		NP__CHECK(np__a == np__e, 1, "%s == %s: got %lld, expected %lld", \
			  #actual, #expected, np__a, np__e);                \
	} while (0)

/* String equality, showing both values. */
#define NP_CHECK_STR(actual, expected) do {                                 \
		const char *np__a = (actual), *np__e = (expected);          \
		NP__CHECK(np__a && np__e && strcmp(np__a, np__e) == 0, 0,   \
			  "%s == \"%s\": got \"%s\"", #actual,              \
			  np__e ? np__e : "(null)", np__a ? np__a : "(null)"); \
	} while (0)

/* Substring check, e.g. on np_last_error() messages. */
#define NP_CHECK_CONTAINS(haystack, needle) do {                            \
		const char *np__h = (haystack), *np__n = (needle);          \
		NP__CHECK(np__h && strstr(np__h, np__n) != NULL, 0,         \
			  "%s contains \"%s\": got \"%s\"", #haystack, np__n, \
			  np__h ? np__h : "(null)");                        \
	} while (0)

/* Any condition, with a formatted explanation. */
#define NP_CHECK(cond, ...) NP__CHECK(cond, 0, __VA_ARGS__)
#define NP_REQUIRE(cond, ...) NP__CHECK(cond, 1, __VA_ARGS__)

static inline int
np_test_run(const struct np_test_suite *suites, unsigned int n_suites)
{
	unsigned int failures;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	for (unsigned int i = 0; i < n_suites; i++) {
		CU_pSuite s = CU_add_suite(suites[i].name, suites[i].init,
					   suites[i].cleanup);
		if (s == NULL)
			return 1;
		for (const struct np_test_case *c = suites[i].cases; c->name; c++)
			if (CU_add_test(s, c->name, c->fn) == NULL)
				return 1;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failures = CU_get_number_of_failures() +
		   CU_get_number_of_suites_failed() +
		   CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failures ? 1 : 0;
}

#define NP_TEST_MAIN(...)                                                   \
	int main(void)                                                      \
	{                                                                   \
		static const struct np_test_suite np__suites[] = { __VA_ARGS__ }; \
		return np_test_run(np__suites,                              \
				   sizeof(np__suites) / sizeof(np__suites[0])); \
	}

#endif /* NP_TEST_H */
