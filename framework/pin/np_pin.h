/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Pinning the calling thread to a node, a CPU set or one CPU, for a scope:
 * np_pin_restore() puts back the affinity the thread had before.
 *
 * The kernel may not do what was asked: a seccomp profile can refuse
 * sched_setaffinity (EPERM), CPUs may be offline, and a cgroup cpuset
 * silently removes the CPUs it does not allow. After pinning, the affinity
 * the thread really has is read back (sched_getaffinity) and compared with
 * the request and with /sys/devices/system/cpu/online, and the scope says
 * what was lost and why. By default that is best effort (the thread runs on
 * what it got); NP_PIN_STRICT makes it an error, with the previous affinity
 * restored.
 *
 * Only the calling thread is pinned, and a scope must be restored by the
 * thread that made it. Scopes nest like a stack: restore the innermost
 * first. This module does not choose CPUs for you (which lcore runs what is
 * the executor's job) and does not handle more than CPU_SETSIZE (1024) CPUs.
 *
 * Needs _GNU_SOURCE (cpu_set_t), as DPDK does.
 */
#ifndef NP_PIN_H
#define NP_PIN_H

#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "np_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Pin flag: anything less than the request is an error (affinity restored). */
#define NP_PIN_STRICT (1u << 0)

/** What a best-effort pin lost. Several may be set. */
enum np_pin_fallback {
	/** sched_setaffinity was refused (EPERM, or a cpuset allowing none of
	 *  the CPUs): the thread kept its previous affinity. */
	NP_PIN_FB_REFUSED = 1u << 0,
	/** Some CPUs asked for are offline (or do not exist): left out. */
	NP_PIN_FB_OFFLINE = 1u << 1,
	/** Some online CPUs asked for were removed by the cgroup cpuset. */
	NP_PIN_FB_CPUSET = 1u << 2,
};

/**
 * A pinning scope. Allocate it anywhere (the stack is fine); it is filled
 * by np_pin_node(), np_pin_cpus() or np_pin_cpu() and read-only after.
 */
struct np_pin_scope {
	cpu_set_t saved;          /**< Affinity before pinning (restored by np_pin_restore()). */
	cpu_set_t asked;          /**< CPUs asked for. */
	cpu_set_t got;            /**< Affinity the kernel really gave (sched_getaffinity). */
	unsigned int fallbacks;   /**< enum np_pin_fallback bits; 0 = exactly as asked. */
	char detail[192];         /**< The fallbacks in words ("" if none). */
	/** @cond INTERNAL */
	/** @internal thread that pinned; restore must come from it. */
	pid_t tid;
	/** @internal NP__PIN_ACTIVE while the scope can be restored. */
	uint32_t state;
	/** @endcond */
};

/** @cond INTERNAL */
/** @internal np_pin_scope::state of a scope that can be restored. */
#define NP__PIN_ACTIVE 0x70696e31u
/** @endcond */

/**
 * Pin the calling thread to the CPUs of node @p node.
 *
 * @param scope
 *   Filled; pass it to np_pin_restore() later.
 * @param node
 *   A node id (not NP_NODE_ANY).
 * @param flags
 *   NP_PIN_STRICT or 0.
 * @return
 *   0 (pinned; scope->fallbacks says if best effort lost something), or:
 *   -EINVAL (scope NULL, unknown flags, node out of range or NP_NODE_ANY,
 *   none of the node's CPUs online), -ENODEV (no such node, or a node
 *   without CPUs), -EPERM (strict: refused, or narrowed by the cpuset),
 *   -EINVAL (strict: narrowed because CPUs are offline), -EIO (a kernel
 *   without NUMA and /sys/devices/system/cpu/online unreadable), or the
 *   errno of sched_getaffinity, or of sched_setaffinity when it is neither
 *   EPERM nor EINVAL. On error the thread's affinity is what it was (unless
 *   restoring it after a strict refusal failed too: that errno is returned).
 */
int np_pin_node(struct np_pin_scope *scope, int node, unsigned int flags);

/**
 * Pin the calling thread to a set of CPUs.
 *
 * @param scope
 *   Filled.
 * @param cpus
 *   The CPUs (not empty).
 * @param flags
 *   NP_PIN_STRICT or 0.
 * @return
 *   As np_pin_node(); -EINVAL also for a NULL or empty set, or a set none
 *   of whose CPUs is online.
 */
int np_pin_cpus(struct np_pin_scope *scope, const cpu_set_t *cpus, unsigned int flags);

/**
 * Pin the calling thread to one CPU.
 *
 * @param scope
 *   Filled.
 * @param cpu
 *   CPU id, below CPU_SETSIZE.
 * @param flags
 *   NP_PIN_STRICT or 0.
 * @return
 *   As np_pin_cpus(); -EINVAL if @p cpu is out of range or not online.
 */
int np_pin_cpu(struct np_pin_scope *scope, unsigned int cpu, unsigned int flags);

/**
 * Give the calling thread back the affinity it had before the scope.
 *
 * @param scope
 *   A scope filled by a successful pin, not yet restored.
 * @return
 *   0, or -EINVAL (scope NULL, never pinned or already restored, or made by
 *   another thread), or the errno of sched_setaffinity (e.g. -EINVAL when
 *   the cpuset has since removed every CPU of the saved affinity).
 */
int np_pin_restore(struct np_pin_scope *scope);

/**
 * Write a CPU set as a list ("0-3,8"; "" for an empty set).
 *
 * @param cpus
 *   The set.
 * @param buf
 *   Receives the text, truncated to @p len bytes with its NUL.
 * @param len
 *   Size of @p buf.
 * @return
 *   Length of the full text (as snprintf), or -EINVAL if an argument is NULL.
 */
int np_cpuset_format(const cpu_set_t *cpus, char *buf, size_t len);

/**
 * The online CPUs (/sys/devices/system/cpu/online).
 *
 * @param out
 *   Receives the set.
 * @return
 *   0, or -EINVAL (NULL), -EIO (file unreadable or malformed).
 */
int np_cpus_online(cpu_set_t *out);

/**
 * The CPUs of node @p node (`/sys/devices/system/node/node<N>/cpulist`). On
 * a kernel without NUMA (no /sys/devices/system/node/online), node 0 has
 * every online CPU.
 *
 * @param node
 *   A node id, 0 to NP_MAX_NODE_ID.
 * @param out
 *   Receives the set.
 * @return
 *   The number of CPUs (0 for a memory-only node), or -EINVAL (NULL, or
 *   node out of range), -ENODEV (no such node, or its cpulist unreadable),
 *   -EIO (no NUMA in the kernel and the online CPUs unreadable).
 */
int np_node_cpus(int node, cpu_set_t *out);

#ifdef __cplusplus
}
#endif

#endif /* NP_PIN_H */
