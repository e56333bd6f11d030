/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Node sets, and the live facts about nodes every placement is checked
 * against: which exist, which have memory, which the cpuset allows.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <numaif.h>

#include "mem_private.h"
#include "np_error_private.h"
#include "np_list_private.h"
#include "np_sysfs_private.h"

#define WORD_BITS NP_NODEMASK_WORD_BITS
#define MASK_WORDS (sizeof(((np_nodemask *)0)->bits) / sizeof(unsigned long))

static bool
in_range(int node)
{
	return node >= 0 && node <= NP_MAX_NODE_ID;
}

void
np_nodemask_zero(np_nodemask *mask)
{
	if (mask != NULL)
		memset(mask, 0, sizeof(*mask));
}

int
np_nodemask_set(np_nodemask *mask, int node)
{
	if (mask == NULL)
		return np_fail(EINVAL, "np_nodemask_set: mask is NULL");
	if (!in_range(node))
		return np_fail(EINVAL, "np_nodemask_set: node %d is out of range: node ids are 0..%d%s",
			       node, NP_MAX_NODE_ID,
			       node == NP_NODE_ANY ? " (NP_NODE_ANY is not a node)" : "");
	mask->bits[node / WORD_BITS] |= 1UL << (node % WORD_BITS);
	return 0;
}

int
np_nodemask_clear(np_nodemask *mask, int node)
{
	if (mask == NULL)
		return np_fail(EINVAL, "np_nodemask_clear: mask is NULL");
	if (!in_range(node))
		return np_fail(EINVAL, "np_nodemask_clear: node %d is out of range: node ids are 0..%d",
			       node, NP_MAX_NODE_ID);
	mask->bits[node / WORD_BITS] &= ~(1UL << (node % WORD_BITS));
	return 0;
}

bool
np_nodemask_isset(const np_nodemask *mask, int node)
{
	if (mask == NULL || !in_range(node))
		return false;
	return (mask->bits[node / WORD_BITS] >> (node % WORD_BITS)) & 1UL;
}

unsigned int
np_nodemask_weight(const np_nodemask *mask)
{
	unsigned int n = 0;

	if (mask == NULL)
		return 0;
	for (size_t w = 0; w < MASK_WORDS; w++)
		n += (unsigned int)__builtin_popcountl(mask->bits[w]);
	return n;
}

bool
np_nodemask_equal(const np_nodemask *a, const np_nodemask *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return memcmp(a->bits, b->bits, sizeof(a->bits)) == 0;
}

int
np_nodemask_next(const np_nodemask *mask, int prev)
{
	int node = prev < 0 ? 0 : prev + 1;

	if (mask == NULL)
		return -ENOENT;
	while (node <= NP_MAX_NODE_ID) {
		unsigned long w = mask->bits[node / WORD_BITS] >> (node % WORD_BITS);

		if (w != 0)
			return node + __builtin_ctzl(w);
		node = (int)((node / WORD_BITS + 1) * WORD_BITS);
	}
	return -ENOENT;
}

static void
add_nodes(void *mask, long lo, long hi)
{
	for (long n = lo; n <= hi; n++)
		np_nodemask_set(mask, (int)n);
}

int
np_nodemask_parse(np_nodemask *mask, const char *list)
{
	np_nodemask m = { { 0 } };
	char why[400];

	if (mask == NULL || list == NULL)
		return np_fail(EINVAL, "np_nodemask_parse: %s is NULL", mask == NULL ? "mask" : "list");
	/* Into a copy, so that a failed parse leaves @mask as it was. */
	if (np_idlist_parse(list, "node", NP_MAX_NODE_ID, add_nodes, &m, why, sizeof(why)) < 0)
		return np_fail(EINVAL, "%s", why);
	*mask = m;
	return 0;
}

int
np_nodemask_format(const np_nodemask *mask, char *buf, size_t len)
{
	struct np_idlist_writer w;

	if (mask == NULL || buf == NULL)
		return np_fail(EINVAL, "np_nodemask_format: %s is NULL", mask == NULL ? "mask" : "buf");
	np_idlist_begin(&w, buf, len);
	NP_NODEMASK_FOREACH(node, mask)
		np_idlist_add(&w, node);
	return np_idlist_end(&w);
}

/*
 * Read a sysfs node list; -errno if the file is missing or malformed. Never
 * touches np_last_error(): what the kernel wrote is not the caller's error.
 */
static int
read_list(const char *path, np_nodemask *mask)
{
	np_nodemask m = { { 0 } };
	int ret = np_idlist_read(path, "node", NP_MAX_NODE_ID, add_nodes, &m);

	if (ret == 0)
		*mask = m;
	return ret;
}

void
mem_node_facts(struct node_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->numa = read_list("/sys/devices/system/node/online", &f->online) == 0;
	if (!f->numa) {
		/* Kernel without NUMA: everything is node 0. */
		np_nodemask_set(&f->online, 0);
		f->memory = f->online;
		f->allowed = f->online;
		return;
	}
	if (read_list("/sys/devices/system/node/has_memory", &f->memory) < 0)
		f->memory = f->online;
	/*
	 * The cpuset's mems. Asked of the kernel directly rather than through
	 * libnuma's numa_get_mems_allowed(), which prints to stderr when
	 * get_mempolicy is refused (seccomp in containers).
	 */
	if (get_mempolicy(NULL, f->allowed.bits, NP_NODEMASK_BITS + 1, NULL,
			  MPOL_F_MEMS_ALLOWED) == 0) {
		f->allowed_known = true;
	} else {
		f->allowed = f->online;
	}
}

int
np_nodemask_usable(np_nodemask *out)
{
	struct node_facts f;

	if (out == NULL)
		return np_fail(EINVAL, "np_nodemask_usable: out is NULL");
	mem_node_facts(&f);
	for (size_t w = 0; w < MASK_WORDS; w++)
		out->bits[w] = f.online.bits[w] & f.memory.bits[w] & f.allowed.bits[w];
	if (!f.numa)
		return np_fail(ENOSYS, "the kernel has no NUMA support (no /sys/devices/system/node/online): "
			       "all memory is node 0");
	return 0;
}

/* Read "Node N <key>: <v> kB" from a node's meminfo. */
uint64_t
mem_node_total(int node)
{
	char path[96], line[256];
	uint64_t kb = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo", node);
	f = fopen(path, "r");
	if (f == NULL) {
		/* No NUMA in the kernel: node 0 is the whole machine. */
		if (node == 0)
			return (uint64_t)sysconf(_SC_PHYS_PAGES) * (uint64_t)sysconf(_SC_PAGESIZE);
		return 0;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		int n;

		if (sscanf(line, "Node %d MemTotal: %" SCNu64 " kB", &n, &kb) == 2)
			break;
	}
	fclose(f);
	return kb << 10;
}

int64_t
mem_node_free_hugepages(int node, uint64_t page_size)
{
	uint64_t v;
	int ret = np_sysfs_node_hugepages(node, page_size, "free", &v);

	return ret < 0 ? ret : (int64_t)v;
}

bool
mem_hugepage_size_supported(uint64_t page_size)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%" PRIu64 "kB",
		 page_size >> 10);
	return access(path, F_OK) == 0;
}

size_t
mem_base_page(void)
{
	static size_t page;

	if (page == 0)
		page = (size_t)sysconf(_SC_PAGESIZE);
	return page;
}
