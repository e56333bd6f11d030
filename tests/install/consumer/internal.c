/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Not part of the consumer's build: test_install.sh compiles it with one
 * cc line against the installed library, twice. np_fail() is an internal
 * helper of libnumaperf (framework/common/np_error_private.h, not
 * installed): declared by hand and called, it must NOT link, because the
 * library exports only its public API. With -DCALL_PUBLIC the same program
 * calls a public function instead and must link: the control that shows
 * the first failure is about np_fail and nothing else.
 */
#include <stdio.h>

#include <np_common.h>

int np_fail(int err, const char *fmt, ...);

int
main(void)
{
#ifdef CALL_PUBLIC
	np_clear_error();
	printf("public call: \"%s\"\n", np_last_error());
	return 0;
#else
	return np_fail(22, "reached an internal helper") == -22 ? 1 : 2;
#endif
}
