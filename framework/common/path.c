/* SPDX-License-Identifier: BSD-3-Clause */
#include <stddef.h>
#include <sys/stat.h>

#include "np_path_private.h"

const char *
np_path_not_a_file(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return NULL;
}
