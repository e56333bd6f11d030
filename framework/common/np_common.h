/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * numaperf common definitions: node sentinels and the one error rule.
 *
 * Every numaperf call follows the same rule (libuv's clarity, DPDK's vocabulary):
 *  - functions returning int return 0 (or a count) on success and a negative
 *    errno value on failure;
 *  - constructors return a pointer, or NULL with errno (and rte_errno) set;
 *  - in every failure case a human-readable message saying what was wrong,
 *    where, and what to do is kept per thread and returned by np_last_error().
 *
 * This header does not allocate and does not depend on DPDK being initialised.
 */
#ifndef NP_COMMON_H
#define NP_COMMON_H

#ifdef __cplusplus
extern "C" {
#endif

/**
 * "Any node": passed to an allocating call, lets the kernel/DPDK choose.
 * Same value as DPDK's SOCKET_ID_ANY so it can be forwarded unchanged.
 */
#define NP_NODE_ANY (-1)

/**
 * "The node is not known": what the kernel reports as -1 for a device on a
 * bus without NUMA affinity. Deliberately different from NP_NODE_ANY so that
 * an unknown node can never be forwarded to an allocation as "any" by
 * accident: it has to be resolved by an explicit policy first.
 */
#define NP_NODE_UNKNOWN (-2)

/** Largest NUMA node OS index numaperf accepts (Linux MAX_NUMNODES is 1024). */
#define NP_MAX_NODE_ID 1023

/**
 * The message describing the last failure of a numaperf call on this thread.
 *
 * @return
 *   A NUL-terminated string owned by numaperf, valid until the next failing
 *   numaperf call on the same thread; "" if no call has failed yet.
 */
const char *np_last_error(void);

/**
 * The parameter the last failure on this thread was about, so that the layer
 * that read it from a file or a command line can say where it came from
 * (config/ turns "workers.cpus" into "l2fwd.ini:25: [workers] lcores").
 *
 * Names are those of the parameter structs, dotted, with an index for
 * arrays: "workers.cpus", "workers.per_node", "workers.nodes",
 * "ports[2].node", "ports[2].vdev", "ports[2].rx_queues", "unknown_node",
 * "strict", "eal_args[3]", "no_huge"...
 *
 * @return
 *   The parameter, or "" if the last failure was not about one parameter
 *   (or nothing failed). Valid until the next failing call on this thread.
 */
const char *np_last_error_param(void);

/**
 * Forget the last error message of this thread (np_last_error() returns "",
 * and np_last_error_param() too).
 */
void np_clear_error(void);

#ifdef __cplusplus
}
#endif

#endif /* NP_COMMON_H */
