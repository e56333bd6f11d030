/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of key extraction shared by flow_key.c and flow_key_mbuf.c. Not installed. */
#ifndef FLOW_KEY_PRIVATE_H
#define FLOW_KEY_PRIVATE_H

#include <stdint.h>

#include "np_flow_key.h"

/*
 * The parser behind np_flow_key_extract(): bytes [0, avail) may be read,
 * the frame is @len bytes long (avail < len for a segmented mbuf: a header
 * in [avail, len) is NP_FLOW_PARSE_DROP_SEGMENTED, one past len is the
 * frame's own truncation cause). The key is all zero unless the result is
 * NP_FLOW_PARSE_OK.
 */
__attribute__((visibility("hidden")))
enum np_flow_parse flow_key_parse(const uint8_t *frame, uint32_t avail, uint32_t len,
				  struct np_flow_key *k);

#endif /* FLOW_KEY_PRIVATE_H */
