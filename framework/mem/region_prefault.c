/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Prefaulting a region: every page is faulted in now, so that the cost of
 * zeroing it is not paid in the packet loop and its placement is decided
 * now, by the policy installed before.
 *
 * A page is faulted with madvise(MADV_POPULATE_WRITE) (Linux 5.14+) where the
 * range is contiguous: one system call per range, and, unlike a write, a
 * hugetlb page that cannot be allocated comes back as an error (EFAULT or
 * ENOMEM) instead of killing the process with SIGBUS. Older kernels, and the
 * page-by-page walk of an interleaved normal-page region, write one byte per
 * page instead.
 *
 * Parallel touch: one thread per node (times threads_per_node), pinned to
 * the node's CPUs, so that the kernel zeroes each page from a CPU next to
 * it. Which pages belong to a node:
 *  - bind/preferred/local: a contiguous slice per thread. Bind allocates
 *    from the toucher's own node when it is in the mask, so each slice
 *    lands on its toucher's node;
 *  - interleave: the pages the policy itself puts on that node. The kernel
 *    picks node (index mod k) of the mask for a page, where index is the
 *    page's offset in the mapping in units of its page size: for anonymous
 *    memory that is the virtual page number (addr >> shift), for hugetlb
 *    (a file mapping at offset 0) the page's index from the region start.
 *    Should a kernel compute it differently the pages are still all touched
 *    once and still placed by the policy; only the zeroing is then remote.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "mem_private.h"
#include "np_error_private.h"
#include "np_pin.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* Cleared once the kernel says it does not know MADV_POPULATE_WRITE. */
static atomic_bool populate_ok = true;

struct job {
	struct np_region *r;
	const struct plan *pl;
	int node;              /* node whose share this is; -1: no pinning */
	/* Contiguous: units [first, last). Interleave: first, first+step, ... < last. */
	uint64_t first, last, step;
	bool sparse;           /* units are not adjacent */
	/* results */
	int err;
	uint64_t err_offset;
	uint64_t pages;
	int cpu_start, cpu_end;
	bool pinned;
	char why[256];
};

/* Write one byte per base page (or per hugepage): the fallback toucher. */
static void
write_touch(char *a, size_t len, size_t step)
{
	for (size_t off = 0; off < len; off += step)
		*(volatile char *)(a + off) = 0;
}

/*
 * Fault in [a, a+len). Returns 0 or -errno; only hugetlb can fail here
 * (normal pages that cannot be had end in the OOM killer, as any write).
 */
static int
touch(const struct plan *pl, char *a, size_t len, bool allow_write)
{
	size_t step = pl->hugetlb ? pl->page_size : mem_base_page();

	if (allow_write && !pl->hugetlb) {
		write_touch(a, len, step);
		return 0;
	}
	if (atomic_load_explicit(&populate_ok, memory_order_relaxed)) {
		if (madvise(a, len, MADV_POPULATE_WRITE) == 0)
			return 0;
		if (errno != EINVAL)
			return errno == EFAULT ? -ENOMEM : -errno;
		/* Kernel older than 5.14: remember, and write instead. */
		atomic_store_explicit(&populate_ok, false, memory_order_relaxed);
	}
	/*
	 * Without MADV_POPULATE_WRITE a hugetlb page that cannot be had would
	 * SIGBUS here; region.c checked the per-node free counts first.
	 */
	write_touch(a, len, step);
	return 0;
}

static void
run_job(struct job *j)
{
	const struct plan *pl = j->pl;
	char *base = j->r->addr;
	size_t unit = pl->unit;
	uint64_t per_unit = unit / pl->page_size;

	j->cpu_start = sched_getcpu();
	if (!j->sparse) {
		size_t off = (size_t)j->first * unit;
		size_t end = (size_t)j->last * unit;

		if (end > j->r->len)
			end = j->r->len;
		if (off < end) {
			int ret = touch(pl, base + off, end - off, false);

			if (ret < 0) {
				j->err = -ret;
				j->err_offset = off;
			} else {
				j->pages = (end - off) / pl->page_size;
			}
		}
	} else {
		/* Normal pages one by one: a write beats a system call per page. */
		bool by_write = unit == mem_base_page() && !pl->hugetlb;

		for (uint64_t u = j->first; u < j->last; u += j->step) {
			int ret = touch(pl, base + u * unit, unit, by_write);

			if (ret < 0) {
				j->err = -ret;
				j->err_offset = u * unit;
				break;
			}
			j->pages += per_unit;
		}
	}
	j->cpu_end = sched_getcpu();
}

static void *
toucher(void *arg)
{
	struct job *j = arg;
	struct np_pin_scope scope;

	if (j->node >= 0) {
		/* Strict: anything less than the node's CPUs is "unpinned". */
		j->pinned = np_pin_node(&scope, j->node, NP_PIN_STRICT) == 0;
		if (!j->pinned)
			snprintf(j->why, sizeof(j->why), "%s", np_last_error());
	}
	run_job(j);
	/* The thread ends here: its affinity dies with it, nothing to restore. */
	return NULL;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Interleave index of unit u (see the top of this file); one node: contiguous. */
static uint64_t
il_index(const struct plan *pl, const char *base, uint64_t u)
{
	if (pl->hugetlb)
		return u;
	return ((uintptr_t)base + u * pl->unit) / pl->unit;
}

/* Split the region between the jobs; returns the number of jobs. */
static unsigned int
plan_jobs(struct np_region *r, const struct plan *pl, struct job *jobs)
{
	uint64_t units = (r->len + pl->unit - 1) / pl->unit;
	unsigned int k = pl->n_touch_nodes, tpn = pl->threads_per_node, n = k * tpn;

	for (unsigned int i = 0; i < n; i++) {
		struct job *j = &jobs[i];
		unsigned int ni = i / tpn, t = i % tpn;

		memset(j, 0, sizeof(*j));
		j->r = r;
		j->pl = pl;
		j->node = pl->touch_nodes[ni];
		j->cpu_start = j->cpu_end = -1;
		if (pl->interleave_touch && k > 1) {
			/*
			 * The node's threads split the range into tpn contiguous
			 * parts; in its part a thread takes the units whose
			 * interleave index is its node's: the first such, then
			 * every k-th. (Round-robin between a node's threads would
			 * have them fault neighbouring pages, under one page-table
			 * lock.)
			 */
			uint64_t lo = units * t / tpn, hi = units * (t + 1) / tpn;
			uint64_t i0 = il_index(pl, r->addr, lo) % k;

			j->sparse = true;
			j->first = lo + (ni + k - i0) % k;
			j->step = k;
			j->last = hi;
		} else {
			j->first = units * i / n;
			j->last = units * (i + 1) / n;
			j->step = 1;
		}
	}
	return n;
}

int
mem_prefault(struct np_region *r, struct plan *pl)
{
	struct job jobs[NP_REGION_MAX_THREADS];
	pthread_t tids[NP_REGION_MAX_THREADS];
	bool started[NP_REGION_MAX_THREADS];
	struct np_region_info *in = &r->info;
	uint64_t t0 = now_ns();
	unsigned int n;

	if (pl->prefault == NP_PREFAULT_TOUCH) {
		memset(&jobs[0], 0, sizeof(jobs[0]));
		jobs[0].r = r;
		jobs[0].pl = pl;
		jobs[0].node = -1;
		jobs[0].first = 0;
		jobs[0].last = (r->len + pl->unit - 1) / pl->unit;
		jobs[0].step = 1;
		run_job(&jobs[0]);
		n = 1;
	} else {
		n = plan_jobs(r, pl, jobs);
		for (unsigned int i = 0; i < n; i++) {
			int ret = pthread_create(&tids[i], NULL, toucher, &jobs[i]);

			started[i] = ret == 0;
			if (!started[i])
				snprintf(jobs[i].why, sizeof(jobs[i].why),
					 "pthread_create failed (%s): touched from the calling thread",
					 strerror(ret));
		}
		/* A thread that could not start: its share is touched here, unpinned. */
		for (unsigned int i = 0; i < n; i++)
			if (!started[i])
				run_job(&jobs[i]);
		for (unsigned int i = 0; i < n; i++)
			if (started[i])
				pthread_join(tids[i], NULL);
	}
	in->prefault_ns = now_ns() - t0;

	for (unsigned int i = 0; i < n; i++) {
		if (jobs[i].err != 0) {
			const struct job *j = &jobs[i];
			char who[48];

			if (j->node < 0)
				snprintf(who, sizeof(who), "calling thread");
			else
				snprintf(who, sizeof(who), "thread of node %d", j->node);
			if (j->err == ENOMEM && pl->hugetlb)
				return np_fail(ENOMEM, "np_region_create: no free %zu MB hugepage for offset %"
					       PRIu64 " of the region while prefaulting (%s): reserve more "
					       "in /sys/devices/system/node/node<N>/hugepages/",
					       pl->page_size >> 20, j->err_offset, who);
			return np_fail(j->err, "np_region_create: prefault failed at offset %" PRIu64
				       " (%s): %s", j->err_offset, who, strerror(j->err));
		}
	}
	if (pl->prefault == NP_PREFAULT_PARALLEL) {
		in->n_touchers = n;
		for (unsigned int i = 0; i < n; i++) {
			struct np_region_toucher *t = &in->touchers[i];

			t->node = jobs[i].node;
			t->cpu_start = jobs[i].cpu_start;
			t->cpu_end = jobs[i].cpu_end;
			t->pinned = jobs[i].pinned;
			t->pages = jobs[i].pages;
			if (!jobs[i].pinned)
				mem_note(pl, NP_REGION_FB_PREFAULT_UNPINNED,
					 "prefault thread for node %d not pinned: %s", jobs[i].node,
					 jobs[i].why);
		}
	}
	return 0;
}

int
mem_current_node(void)
{
	unsigned int cpu, node;

	if (getcpu(&cpu, &node) < 0)
		return 0;
	return (int)node;
}
