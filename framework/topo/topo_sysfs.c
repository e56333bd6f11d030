/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Facts read straight from the live kernel, where hwloc has nothing or
 * something less precise: a PCI device's numa_node (-1 kept as unknown),
 * free hugepages per node, privileges, NUMA balancing, hugetlbfs mounts.
 */
#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "np_error_private.h"
#include "np_sysfs_private.h"
#include "topo_private.h"

#define CAP_IPC_LOCK_BIT 14
#define CAP_SYS_NICE_BIT 23

int
topo_sysfs_nic_node(const char *pci_addr)
{
	char path[128];
	long long v;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/numa_node", pci_addr);
	if (np_sysfs_read_ll(path, &v) < 0)
		return -EIO;
	/* -1: the bus has no NUMA affinity. Unknown, never node 0. */
	return v < 0 ? NP_NODE_UNKNOWN : (int)v;
}

void
topo_sysfs_nic_driver(const char *pci_addr, char *buf, size_t len)
{
	char path[128], target[PATH_MAX];
	ssize_t n;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", pci_addr);
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	snprintf(buf, len, "%s", basename(target));
}

int
topo_sysfs_hugepages(int node, uint64_t page_size, uint64_t *total, uint64_t *free_pages)
{
	int ret = np_sysfs_node_hugepages(node, page_size, "nr", total);

	return ret < 0 ? ret : np_sysfs_node_hugepages(node, page_size, "free", free_pages);
}

static uint64_t
parse_size(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 10);

	switch (*end) {
	case 'k': case 'K': return v << 10;
	case 'm': case 'M': return v << 20;
	case 'g': case 'G': return v << 30;
	default: return v;
	}
}

static uint64_t
default_hugepage_size(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	uint64_t kb = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Hugepagesize: %" SCNu64 " kB", &kb) == 1)
			break;
	fclose(f);
	return kb << 10;
}

static void
read_mounts(struct np_enforcement *out)
{
	FILE *f = fopen("/proc/mounts", "r");
	char dev[256], dir[256], type[64], opts[512];

	if (f == NULL)
		return;
	while (fscanf(f, "%255s %255s %63s %511s %*d %*d", dev, dir, type, opts) == 4) {
		struct np_hugetlbfs_mount *m;
		char *ps;

		if (strcmp(type, "hugetlbfs") != 0 || out->n_mounts >= RTE_DIM(out->mounts))
			continue;
		m = &out->mounts[out->n_mounts++];
		snprintf(m->path, sizeof(m->path), "%s", dir);
		ps = strstr(opts, "pagesize=");
		m->page_size = ps ? parse_size(ps + 9) : default_hugepage_size();
	}
	fclose(f);
}

static void
read_caps(struct np_enforcement *out)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long eff = 0;

	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	out->cap_ipc_lock = (eff >> CAP_IPC_LOCK_BIT) & 1;
	out->cap_sys_nice = (eff >> CAP_SYS_NICE_BIT) & 1;
}

void
topo_sysfs_enforcement(struct np_enforcement *out, bool live)
{
	long long v;
	int ret;

	memset(out, 0, sizeof(*out));
	out->root = geteuid() == 0;
	read_caps(out);
	out->numa_balancing = NP_BALANCING_UNKNOWN;
	if (!live)
		return;
	ret = np_sysfs_read_ll("/proc/sys/kernel/numa_balancing", &v);
	if (ret == -ENOENT)
		out->numa_balancing = NP_BALANCING_ABSENT;
	else if (ret == 0)
		out->numa_balancing = v ? NP_BALANCING_ON : NP_BALANCING_OFF;
	read_mounts(out);
}
