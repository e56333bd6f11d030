/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Where are my pages: for every object a runtime allocated, the node it was
 * meant for, the node of whoever uses it, and the node its memory is really
 * on, as DPDK says (the memseg of the address) and as the kernel says
 * (move_pages() on a sample of its pages).
 *
 * An entry's verdict:
 *  - OK: the memory is on the node it was meant for, which is its user's;
 *  - MISPLACED: the memory is not where it was meant to be (a node short of
 *    hugepages, a policy the kernel did not honour, first touch elsewhere);
 *  - REMOTE: it is where it was meant to be, but that is not its user's
 *    node (the plan chose so: a NIC polled from another node, pools at the
 *    poller of a remote NIC): correct, and slow;
 *  - UNKNOWN: neither DPDK nor the kernel could say.
 *
 * The registry only holds addresses; it never frees them. Resolve it again
 * after objects moved or were added.
 */
#ifndef NP_AUDIT_H
#define NP_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "np_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque registry of audited objects. */
typedef struct np_audit np_audit;

/** Who manages the memory of an object. */
enum np_audit_mem {
	NP_AUDIT_DPDK = 0,  /**< rte_malloc, memzone, mempool: DPDK's memseg says its socket. */
	NP_AUDIT_OS,        /**< mmap/libnuma memory: only the kernel can say. */
};

/** An entry's verdict. */
enum np_audit_verdict {
	NP_AUDIT_OK = 0,
	NP_AUDIT_MISPLACED,
	NP_AUDIT_REMOTE,
	NP_AUDIT_UNKNOWN,
};

/** One audited object. */
struct np_audit_entry {
	char kind[16];        /**< "pool", "ring", "context", "counters", "txbuf", "stage", "histogram"... */
	char what[80];        /**< "np_mbuf_n1", "lcore 2 (node 1)"... */
	int intended;         /**< The node it was meant for. */
	int user;             /**< The node of the lcore or port that uses it; NP_NODE_UNKNOWN if none. */
	/** Start of its memory. */
	const void *addr;
	/** Bytes of its memory. */
	size_t len;
	/** Who manages that memory. */
	enum np_audit_mem mem;
	int dpdk_node;        /**< DPDK's memseg socket; NP_NODE_UNKNOWN if not DPDK memory. */
	int kernel_node;      /**< The node most sampled pages are on; NP_NODE_UNKNOWN if unknown. */
	unsigned int pages;   /**< Pages sampled. */
	unsigned int pages_off; /**< Of which not on the intended node. */
	/** The verdict of the last np_audit_resolve() (UNKNOWN before one). */
	enum np_audit_verdict verdict;
};

/**
 * An empty registry.
 * @return it, or NULL with errno ENOMEM.
 */
np_audit *np_audit_create(void);

/**
 * Free a registry (not the objects).
 *
 * @param a
 *   The registry; NULL is accepted.
 */
void np_audit_destroy(np_audit *a);

/**
 * Forget every entry.
 *
 * @param a
 *   The registry; NULL is ignored.
 */
void np_audit_clear(np_audit *a);

/**
 * Register an object.
 *
 * @param a
 *   The registry.
 * @param kind
 *   A short category ("pool"...), at most 15 characters (longer is cut).
 * @param what
 *   Which one, at most 79 characters (longer is cut).
 * @param intended
 *   The node it was allocated for.
 * @param user
 *   The node of whoever uses it, or NP_NODE_UNKNOWN.
 * @param addr, len
 *   Its memory (len >= 1).
 * @param mem
 *   Who manages that memory.
 * @return 0, or -EINVAL (NULL or empty argument), -ENOMEM.
 */
int np_audit_add(np_audit *a, const char *kind, const char *what, int intended, int user,
		 const void *addr, size_t len, enum np_audit_mem mem);

/**
 * Ask DPDK and the kernel where each object's memory is now (up to 16
 * pages per object, spread over it) and set the verdicts. The kernel's
 * answer wins; DPDK's memseg is used when the kernel cannot say.
 *
 * @param a
 *   The registry.
 * @return
 *   The number of entries flagged (MISPLACED or REMOTE), or -EINVAL (@p a
 *   NULL).
 */
int np_audit_resolve(np_audit *a);

/**
 * Number of entries.
 *
 * @param a
 *   The registry.
 * @return
 *   The number of entries; 0 for NULL.
 */
unsigned int np_audit_count(const np_audit *a);

/**
 * Entry @p idx (as of the last np_audit_resolve()).
 *
 * @param a
 *   The registry.
 * @param idx
 *   An index in [0, np_audit_count()), in the order of np_audit_add().
 * @param out
 *   Receives the entry on success.
 * @return
 *   0, or -EINVAL (@p a or @p out NULL, @p idx out of range).
 */
int np_audit_entry(const np_audit *a, unsigned int idx, struct np_audit_entry *out);

/**
 * Entries with verdict @p v.
 *
 * @param a
 *   The registry.
 * @param v
 *   The verdict.
 * @return
 *   Their number; 0 for NULL.
 */
unsigned int np_audit_count_verdict(const np_audit *a, enum np_audit_verdict v);

/**
 * The name of a verdict.
 *
 * @param v
 *   The verdict.
 * @return
 *   "OK", "MISPLACED", "REMOTE", "UNKNOWN"; "?" outside the enum.
 */
const char *np_audit_verdict_name(enum np_audit_verdict v);

/**
 * Print a table: kind, what, intended, user, DPDK's node, the kernel's node,
 * pages off, verdict.
 *
 * @param a
 *   The registry.
 * @param f
 *   Where to print.
 * @return
 *   0, or -EIO (a write failed), -EINVAL (@p a or @p f NULL).
 */
int np_audit_print(const np_audit *a, FILE *f);

#ifdef __cplusplus
}
#endif

#endif /* NP_AUDIT_H */
