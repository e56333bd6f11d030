/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a path given by the user is, when it names something no reader
 * should open: the configuration reader and the topology loader refuse the
 * same kinds with the same words. Not installed.
 */
#ifndef NP_PATH_PRIVATE_H
#define NP_PATH_PRIVATE_H

#include <sys/types.h>

/*
 * "a directory", "a character device", "a block device" or "a socket" for a
 * @mode (stat's st_mode) that cannot hold a file to read; NULL for a
 * regular file or a FIFO (a stream of text: `--config <(gen)` works).
 * Devices are named before anything opens them: opening some has effects
 * (a watchdog, a tape), and /dev/zero is not "empty".
 */
const char *np_path_not_a_file(mode_t mode);

#endif /* NP_PATH_PRIVATE_H */
