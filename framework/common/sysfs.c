/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "np_sysfs_private.h"

int
np_sysfs_read_ll(const char *path, long long *v)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (f == NULL)
		return -errno;
	ok = fscanf(f, "%lld", v) == 1;
	fclose(f);
	return ok ? 0 : -EIO;
}

int
np_sysfs_node_hugepages(int node, uint64_t page_size, const char *which, uint64_t *v)
{
	char path[160];
	long long n;
	int ret;

	snprintf(path, sizeof(path),
		 "/sys/devices/system/node/node%d/hugepages/hugepages-%" PRIu64 "kB/%s_hugepages",
		 node, page_size >> 10, which);
	ret = np_sysfs_read_ll(path, &n);
	if (ret == 0)
		*v = (uint64_t)n;
	return ret;
}
