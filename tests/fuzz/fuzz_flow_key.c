/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for flow key extraction (framework/flow/flow_key.c):
 * arbitrary bytes as a frame must never be read past their end, and the
 * answer must be consistent:
 *  - a result that is a valid outcome, never "segmented" for plain bytes;
 *  - a dropped frame's key all zero; a key's padding zero, its family 4 or
 *    6, its flags known bits, an IPv4 key's upper address bytes zero, a
 *    fragment's ports zero;
 *  - the same frame with only its first @avail bytes in memory (an mbuf's
 *    first segment, the first input byte chooses where) gives the same
 *    answer, or "segmented", never another cause or another key. Those
 *    bytes are copied into a buffer of exactly that size, so AddressSanitizer
 *    sees a read past the segment.
 *
 * Build and run by hand (the fuzz build proper is tests/fuzz's meson):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined \
 *       -Iframework/flow -Iframework/common $(pkg-config --cflags libdpdk) \
 *       tests/fuzz/fuzz_flow_key.c framework/flow/flow_key.c -o fuzz_flow_key
 *   ./fuzz_flow_key -max_total_time=300 -max_len=512
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flow_key_private.h"

static void
check_key(const struct np_flow_key *k, enum np_flow_parse r)
{
	static const struct np_flow_key zero;
	static const uint8_t z[16];

	if ((unsigned int)r >= NP_FLOW_PARSE_COUNT)
		abort();
	if (r != NP_FLOW_PARSE_OK) {
		if (memcmp(k, &zero, sizeof(zero)) != 0)
			abort();
		return;
	}
	if (k->family != 4 && k->family != 6)
		abort();
	if (memcmp(k->pad, z, sizeof(k->pad)) != 0)
		abort();
	if (k->flags & ~(NP_FLOW_KEY_F_FRAGMENT | NP_FLOW_KEY_F_VLAN | NP_FLOW_KEY_F_QINQ))
		abort();
	if ((k->flags & NP_FLOW_KEY_F_FRAGMENT) && (k->sport != 0 || k->dport != 0))
		abort();
	if (k->family == 4 && (memcmp(k->src + 4, z, 12) != 0 || memcmp(k->dst + 4, z, 12) != 0))
		abort();
	if (k->vlan[0] > 0x0fff || k->vlan[1] > 0x0fff)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Nothing to set up: the extractor needs no EAL. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct np_flow_key full, part;
	enum np_flow_parse rf, rp;
	uint32_t len, avail;
	uint8_t *seg;

	/* The whole input is one frame (libFuzzer's buffer is exactly size bytes). */
	rf = np_flow_key_extract(size ? data : NULL, (uint32_t)size, &full);
	if (rf == NP_FLOW_PARSE_DROP_SEGMENTED)
		abort();
	check_key(&full, rf);
	if (size < 2)
		return 0;

	/* Byte 0 picks a first-segment length for the frame in bytes 1.. */
	len = (uint32_t)size - 1;
	avail = data[0] < len ? data[0] : len;
	rf = np_flow_key_extract(data + 1, len, &full);
	seg = malloc(avail ? avail : 1);
	if (seg == NULL)
		return 0;
	memcpy(seg, data + 1, avail);
	rp = flow_key_parse(seg, avail, len, &part);
	free(seg);
	check_key(&part, rp);
	if (rp != rf && rp != NP_FLOW_PARSE_DROP_SEGMENTED)
		abort();
	if (rp == NP_FLOW_PARSE_OK && memcmp(&part, &full, sizeof(full)) != 0)
		abort();
	return 0;
}
