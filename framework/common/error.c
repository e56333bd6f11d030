/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>

#include "np_error_private.h"

/* One message per thread: a worker's failure never overwrites another's. */
static __thread char last_error[512];
static __thread char last_param[64];

const char *
np_last_error(void)
{
	return last_error;
}

const char *
np_last_error_param(void)
{
	return last_param;
}

void
np_clear_error(void)
{
	last_error[0] = '\0';
	last_param[0] = '\0';
}

static void
record(int err, const char *param, const char *fmt, va_list ap)
{
	char msg[sizeof(last_error)];

	/* Through a copy: a caller may quote np_last_error() in its own message. */
	vsnprintf(msg, sizeof(msg), fmt, ap);
	memcpy(last_error, msg, sizeof(msg));
	snprintf(last_param, sizeof(last_param), "%s", param ? param : "");
	errno = err;
	rte_errno = err;
}

int
np_fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(err, NULL, fmt, ap);
	va_end(ap);
	return -err;
}

void *
np_fail_null(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(err, NULL, fmt, ap);
	va_end(ap);
	return NULL;
}

int
np_fail_param(int err, const char *param, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(err, param, fmt, ap);
	va_end(ap);
	return -err;
}

void *
np_fail_param_null(int err, const char *param, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(err, param, fmt, ap);
	va_end(ap);
	return NULL;
}
