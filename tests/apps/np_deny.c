/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * np-deny: run a command with some system calls refused, the way a
 * container's seccomp profile refuses them, so an app's "no permission"
 * paths run for real (tests/common/np_test_sys.h's filter, inherited by the
 * command across execve).
 *
 * usage: np-deny CALL[,CALL...] COMMAND [ARG...]
 *   CALL: mbind, set_mempolicy, move_pages, sched_setaffinity (EPERM each)
 * Exit status: the command's; 125 when the filter cannot be installed (the
 * caller skips), 126/127 when the command cannot be run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "np_test_sys.h"

static const struct {
	const char *name;
	long nr;
} calls[] = {
	{ "mbind", SYS_mbind },
	{ "set_mempolicy", SYS_set_mempolicy },
	{ "move_pages", SYS_move_pages },
	{ "sched_setaffinity", SYS_sched_setaffinity },
};

int
main(int argc, char **argv)
{
	struct np_test_deny deny[8];
	unsigned int n = 0;
	char *list, *save = NULL;
	int ret;

	if (argc < 3) {
		fprintf(stderr, "usage: np-deny CALL[,CALL...] COMMAND [ARG...]\n");
		return 125;
	}
	list = argv[1];
	for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		unsigned int i;

		for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
			if (strcmp(t, calls[i].name) == 0)
				break;
		if (i == sizeof(calls) / sizeof(calls[0]) || n == 8) {
			fprintf(stderr, "np-deny: unknown or too many system calls: '%s'\n", t);
			return 125;
		}
		deny[n++] = (struct np_test_deny){ calls[i].nr, -1, 0, EPERM };
	}
	ret = np_test_deny_syscalls(deny, n);
	if (ret < 0) {
		fprintf(stderr, "np-deny: seccomp unavailable: %s\n", strerror(-ret));
		return 125;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "np-deny: cannot run %s: %s\n", argv[2], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
