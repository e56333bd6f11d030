/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reading the kernel's one-value files (sysfs, procfs) in one place, so the
 * topology (what the machine has) and the memory module (what an allocation
 * can get) read hugepage counts the same way. Not installed.
 */
#ifndef NP_SYSFS_PRIVATE_H
#define NP_SYSFS_PRIVATE_H

#include <stdint.h>

/*
 * Read one integer from @path.
 * @return 0, -errno if the file cannot be opened, -EIO if it holds no integer.
 */
int np_sysfs_read_ll(const char *path, long long *v);

/*
 * Node @node's 2 MB / 1 GB hugepage count of @page_size bytes: @which is
 * "nr" (reserved) or "free".
 * @return 0, or what np_sysfs_read_ll() returns (-ENOENT: no such node or
 *   page size).
 */
int np_sysfs_node_hugepages(int node, uint64_t page_size, const char *which, uint64_t *v);

#endif /* NP_SYSFS_PRIVATE_H */
