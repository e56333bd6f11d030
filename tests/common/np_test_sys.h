/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * System scaffolding for tests that produce failures for real: a seccomp
 * filter that makes chosen system calls fail, a forked child that reports
 * a struct back through a pipe (for changes a process cannot undo: a
 * seccomp filter, a move into a cgroup), and writing sysfs and cgroup
 * files, CPUs offline and back included.
 *
 * Header only, like np_test.h; no numaperf or libnuma needed.
 */
#ifndef NP_TEST_SYS_H
#define NP_TEST_SYS_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "np_test.h"

/* ---- seccomp: make a system call fail for real --------------------------- */

#if defined(__x86_64__)
#define NP_TEST_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NP_TEST_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

/* A system call to refuse. */
struct np_test_deny {
	long nr;           /* system call (SYS_...) */
	int arg;           /* argument to compare, -1 for any call */
	uint32_t val;      /* the low 32 bits it must have */
	int err;           /* errno the call returns */
};

/*
 * Make each call of @d return its errno in this process and the threads
 * it makes from now on, for good: call it in a child (np_test_fork).
 *
 * @return 0, -ENOSYS on an architecture without a filter here, or -errno
 *   from prctl (seccomp unavailable: the caller says so and skips).
 */
static inline int
np_test_deny_syscalls(const struct np_test_deny *d, unsigned int n)
{
#ifdef NP_TEST_AUDIT_ARCH
	struct sock_filter f[64];
	struct sock_fprog prog;
	unsigned int k = 0;

	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, arch));
	f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NP_TEST_AUDIT_ARCH, 1, 0);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	for (unsigned int i = 0; i < n && k + 6 < 64; i++) {
		f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						      offsetof(struct seccomp_data, nr));
		if (d[i].arg < 0) {
			f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
							      (uint32_t)d[i].nr, 0, 1);
		} else {
			f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
							      (uint32_t)d[i].nr, 0, 3);
			/* Little-endian: the low word of args[i] comes first. */
			f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
							      offsetof(struct seccomp_data, args) +
							      8 * (unsigned int)d[i].arg);
			f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, d[i].val, 0, 1);
		}
		f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						      SECCOMP_RET_ERRNO | ((uint32_t)d[i].err & 0xffff));
	}
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog.len = (unsigned short)k;
	prog.filter = f;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		return -errno;
	return 0;
#else
	(void)d;
	(void)n;
	return -ENOSYS;
#endif
}

/* Make every call of system call @nr return @err (see np_test_deny_syscalls). */
static inline int
np_test_deny_syscall(long nr, int err)
{
	const struct np_test_deny d = { nr, -1, 0, err };

	return np_test_deny_syscalls(&d, 1);
}

/* ---- a child that reports back -------------------------------------------- */

/* How a child of np_test_fork() ended. */
struct np_test_child {
	int status;        /* from waitpid */
	size_t got;        /* bytes of the report read back */
	bool ok;           /* the whole report, and exit status 0 */
};

/*
 * Run @fn(@report, @arg) in a forked child and copy the child's @report
 * (@size bytes, zeroed before @fn runs) back into the parent's through a
 * pipe. The test asserts on the report in the parent, where CUnit is.
 * pipe() and fork() failing is fatal to the test.
 */
static inline struct np_test_child
np_test_fork(void (*fn)(void *report, void *arg), void *arg, void *report, size_t size)
{
	struct np_test_child c = { 0, 0, false };
	int fds[2];
	pid_t pid;

	memset(report, 0, size);
	NP_REQUIRE(pipe(fds) == 0, "pipe: %s", strerror(errno));
	pid = fork();
	NP_REQUIRE(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		ssize_t w;

		close(fds[0]);
		fn(report, arg);
		w = write(fds[1], report, size);
		_exit(w == (ssize_t)size ? 0 : 1);
	}
	close(fds[1]);
	while (c.got < size) {
		ssize_t n = read(fds[0], (char *)report + c.got, size - c.got);

		if (n <= 0)
			break;
		c.got += (size_t)n;
	}
	close(fds[0]);
	waitpid(pid, &c.status, 0);
	c.ok = c.got == size && WIFEXITED(c.status) && WEXITSTATUS(c.status) == 0;
	return c;
}

/* The child of np_test_fork() reported everything and exited 0. */
#define NP_REQUIRE_CHILD_OK(c)                                              \
	NP_REQUIRE((c).ok, "child died (status 0x%x, %zu bytes reported)",  \
		   (c).status, (c).got)

/* ---- sysfs and cgroup files ----------------------------------------------- */

/*
 * Write @text to an existing file (sysfs, cgroup) in one write.
 *
 * @return 0, -errno if it cannot be opened, -EIO if the write fell short
 *   (errno says why).
 */
static inline int
np_test_write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -EIO;
}

/* Take CPU @cpu offline, or bring it back (needs root); as np_test_write_file. */
static inline int
np_test_set_cpu_online(int cpu, bool on)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	return np_test_write_file(path, on ? "1\n" : "0\n");
}

#endif /* NP_TEST_SYS_H */
