/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal helpers implementing the error rule of np_common.h and the
 * per-module DPDK log types. Not installed.
 */
#ifndef NP_ERROR_PRIVATE_H
#define NP_ERROR_PRIVATE_H

#include <errno.h>
#include <rte_log.h>

#include "np_common.h"

/*
 * Record a failure: store the formatted message for np_last_error(), set
 * errno and rte_errno to err, and return -err so call sites can write
 *     return np_fail(EINVAL, "node %d does not exist", node);
 * err is a positive errno value.
 */
int np_fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Same as np_fail() for constructors: records the failure and returns NULL. */
void *np_fail_null(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * np_fail() for a failure about one parameter (see np_last_error_param()):
 *     return np_fail_param(ENOENT, "workers.cpus", "CPU %u does not exist", cpu);
 */
int np_fail_param(int err, const char *param, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void *np_fail_param_null(int err, const char *param, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Each module defines NP_LOGTYPE to its own log type before using NP_LOG,
 * registered with NP_LOG_REGISTER(var, "numaperf.<module>"), so users can
 * say --log-level=numaperf.topo:debug as with any DPDK library. The name is
 * a string: RTE_LOG_REGISTER() stringifies its argument again, which
 * registered the types as "\"numaperf.topo\"", quotes included, so EAL's
 * glob form (numaperf.topo:debug, numaperf.*:debug) matched none of them.
 */
#define NP_LOG_REGISTER(var, name) RTE_LOG_REGISTER_IMPL(var, name, INFO)
#define NP_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, NP_LOGTYPE, "numaperf: " fmt "\n", ##__VA_ARGS__)

#endif /* NP_ERROR_PRIVATE_H */
