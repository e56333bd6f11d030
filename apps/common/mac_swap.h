/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Swapping an Ethernet frame's destination and source addresses in
 * registers, as numaperf-l2fwd's stage and bench-graph's engines both do.
 * Header only; not part of the library.
 */
#ifndef MAC_SWAP_H
#define MAC_SWAP_H

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#ifdef __SSSE3__
#include <tmmintrin.h>
#endif

/*
 * Swap the two 6-byte addresses at @p hdr, which must have 16 bytes
 * readable and writable (a frame of at least 16 bytes: check data_len
 * first). With SSSE3 (every x86-64 DPDK build: -march=corei7) one 16-byte
 * shuffle, as testpmd's macswap does; bytes 12-15 (the EtherType and two
 * more) are rewritten with their own values. Elsewhere the 12 bytes as an
 * 8- and a 4-byte word, rotated. Through rte_ether_addr_copy() and a
 * temporary it took six moves and a round trip through the stack: 2.5 ns of
 * a 13 ns packet on net_null (scripts/bench-forward.sh, perf).
 */
static inline void
mac_swap16(void *hdr)
{
#ifdef __SSSE3__
	__m128i *h = hdr;
	/* Bytes 6-11 (source) to 0-5, 0-5 (destination) to 6-11, 12-15 stay. */
	const __m128i shuf = _mm_set_epi8(15, 14, 13, 12, 5, 4, 3, 2, 1, 0,
					  11, 10, 9, 8, 7, 6);

	_mm_storeu_si128(h, _mm_shuffle_epi8(_mm_loadu_si128(h), shuf));
#else
	unsigned char *h = hdr;
	uint64_t a, na;
	uint32_t b, nb;

	memcpy(&a, h, sizeof(a));       /* dst0-5 src0-1 */
	memcpy(&b, h + 8, sizeof(b));   /* src2-5 */
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	na = (a >> 48) | ((uint64_t)b << 16) | (a << 48);
#else
	na = (a << 48) | ((uint64_t)b << 16) | (a >> 48);
#endif
	nb = (uint32_t)(a >> 16);
	memcpy(h, &na, sizeof(na));
	memcpy(h + 8, &nb, sizeof(nb));
#endif
}

#endif /* MAC_SWAP_H */
