/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Not part of the consumer's build: test_install.sh compiles it with one
 * cc line against the installed library, twice. np_fail() is an internal
 * helper of libnumaperf (framework/common/np_error_private.h, not
 * installed): declared by hand and called, it must NOT link, because the
 * library exports only its public API. With -DCALL_PUBLIC the same program
 * calls a public function instead and must link: the control that shows
 * the first failure is about np_fail and nothing else.
 *
 * With -DOWN_NAMES it also defines functions named like numaperf's internal
 * cross-file helpers: linked against the installed static library
 * (libnumaperf.a, one object), that must work, because there those helpers
 * are local symbols, not globals that clash with an application's own.
 */
#include <stdio.h>

#include <np_common.h>

int np_fail(int err, const char *fmt, ...);

#ifdef OWN_NAMES
/* Names of numaperf's internal helpers (config/, framework/mem, framework/plan). */
int cfg_scan(void);
int mem_note(void);
int plan_poll_node(void);
int cfg_scan(void) { return 1; }
int mem_note(void) { return 2; }
int plan_poll_node(void) { return 3; }
#endif

int
main(void)
{
#ifdef CALL_PUBLIC
	np_clear_error();
	printf("public call: \"%s\"\n", np_last_error());
#ifdef OWN_NAMES
	return cfg_scan() + mem_note() + plan_poll_node() == 6 ? 0 : 1;
#else
	return 0;
#endif
#else
	return np_fail(22, "reached an internal helper") == -22 ? 1 : 2;
#endif
}
