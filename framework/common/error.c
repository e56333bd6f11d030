/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdarg.h>
#include <stdio.h>

#include <rte_errno.h>

#include "np_error_private.h"

/* One message per thread: a worker's failure never overwrites another's. */
static __thread char last_error[512];

const char *
np_last_error(void)
{
	return last_error;
}

void
np_clear_error(void)
{
	last_error[0] = '\0';
}

static void
record(int err, const char *fmt, va_list ap)
{
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	errno = err;
	rte_errno = err;
}

int
np_fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(err, fmt, ap);
	va_end(ap);
	return -err;
}

void *
np_fail_null(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(err, fmt, ap);
	va_end(ap);
	return NULL;
}
