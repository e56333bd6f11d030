/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * framework/flow: key extraction (a table of frames, every malformed case
 * with its cause, every valid frame cut at every length), the mbuf burst
 * wrapper (segmented frames), the home-node functions, and the flow table
 * (add/lookup/delete, bulk lookup, aging with an injected clock, a full
 * table, slot reuse held back by a reader, concurrent writers, iteration,
 * where its memory is).
 *
 * EAL runs with --no-huge and its own --file-prefix on two lcores when
 * the process may use two CPUs. Truncated frames are copied into buffers of
 * exactly their length, so running this under ASan or valgrind catches any
 * read past the end.
 */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memory.h>
#include <rte_random.h>
#include <rte_rcu_qsbr.h>

#include "np_flow_worker.h"
#include "np_test.h"
#include "np_test_eal.h"

static unsigned int n_lcores;
static struct rte_mempool *pool;

/* DPDK memory in use on socket 0: a table destroyed (or failed) gives all of it back. */
static size_t
dpdk_bytes(unsigned int *count)
{
	struct rte_malloc_socket_stats st;

	rte_malloc_get_socket_stats(0, &st);
	*count = st.alloc_count;
	return st.heap_allocsz_bytes;
}

/* ---- frame builder ------------------------------------------------------------ */

struct pkt {
	uint8_t b[600];
	uint32_t n;
	uint32_t l3;      /* offset of the IP header */
	int family;
};

static void
put(struct pkt *p, const void *d, uint32_t len)
{
	memcpy(p->b + p->n, d, len);
	p->n += len;
}

static void
put8(struct pkt *p, uint8_t v)
{
	p->b[p->n++] = v;
}

static void
put16(struct pkt *p, uint16_t v)
{
	put8(p, (uint8_t)(v >> 8));
	put8(p, (uint8_t)v);
}

static void
zeros(struct pkt *p, uint32_t len)
{
	memset(p->b + p->n, 0, len);
	p->n += len;
}

/* Ethernet header with @n_tags (TPID, VID) pairs, then @type. */
static void
eth(struct pkt *p, const uint16_t (*tags)[2], unsigned int n_tags, uint16_t type)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };

	memset(p, 0, sizeof(*p));
	put(p, macs, sizeof(macs));
	for (unsigned int i = 0; i < n_tags; i++) {
		put16(p, tags[i][0]);
		put16(p, tags[i][1]);
	}
	put16(p, type);
}

static const uint8_t v4a[4] = { 10, 0, 0, 1 }, v4b[4] = { 192, 168, 7, 9 };
static const uint8_t v6a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t v6b[16] = { 0xfe, 0x80, [14] = 0xab, [15] = 0xcd };

/* IPv4 header of @ihl words (options zero); lengths fixed by finish(). */
static void
ipv4(struct pkt *p, uint8_t proto, unsigned int ihl, uint16_t frag)
{
	p->l3 = p->n;
	p->family = 4;
	put8(p, (uint8_t)(0x40 | ihl));
	put8(p, 0);
	put16(p, 0);        /* total length */
	put16(p, 0x1234);
	put16(p, frag);
	put8(p, 64);
	put8(p, proto);
	put16(p, 0);
	put(p, v4a, 4);
	put(p, v4b, 4);
	zeros(p, (ihl - 5) * 4);
}

static void
ipv6(struct pkt *p, uint8_t nh)
{
	p->l3 = p->n;
	p->family = 6;
	put8(p, 0x60);
	zeros(p, 3);
	put16(p, 0);        /* payload length */
	put8(p, nh);
	put8(p, 64);
	put(p, v6a, 16);
	put(p, v6b, 16);
}

/* An extension header of @units (8 bytes each; AH: 4 bytes each) after which comes @nh. */
static void
ext(struct pkt *p, uint8_t nh, uint8_t len_field, bool ah)
{
	uint32_t len = ah ? ((uint32_t)len_field + 2) * 4 : ((uint32_t)len_field + 1) * 8;

	put8(p, nh);
	put8(p, len_field);
	zeros(p, len - 2);
}

static void
frag6(struct pkt *p, uint8_t nh, uint16_t off_m)
{
	put8(p, nh);
	put8(p, 0);
	put16(p, off_m);
	put16(p, 0xabcd);
	put16(p, 0x0001);
}

/* L4 header of @proto with ports, plus @payload bytes. */
static void
l4(struct pkt *p, uint8_t proto, uint16_t sport, uint16_t dport, uint32_t payload)
{
	uint32_t hl = proto == 6 ? 20 : proto == 17 ? 8 : proto == 132 ? 12 : 8;

	put16(p, sport);
	put16(p, dport);
	zeros(p, hl - 4 + payload);
	if (proto == 6)
		p->b[p->n - payload - 8] = 0x50;   /* data offset 5 */
}

/* Set the IP length fields to what was built. */
static void
finish(struct pkt *p)
{
	uint32_t ip_len = p->n - p->l3;

	if (p->family == 4) {
		p->b[p->l3 + 2] = (uint8_t)(ip_len >> 8);
		p->b[p->l3 + 3] = (uint8_t)ip_len;
	} else if (p->family == 6) {
		p->b[p->l3 + 4] = (uint8_t)((ip_len - 40) >> 8);
		p->b[p->l3 + 5] = (uint8_t)(ip_len - 40);
	}
}

/* ---- the frames: each builder gives a frame and what it must parse to ----------- */

struct expect {
	enum np_flow_parse r;
	int family;
	uint8_t proto;
	uint16_t sport, dport;
	uint16_t vlan0, vlan1;
	uint8_t flags;
};

typedef void (*build_fn)(struct pkt *p, struct expect *e);

static const uint16_t q100[1][2] = { { 0x8100, 100 } };
static const uint16_t qinq[2][2] = { { 0x88a8, 200 }, { 0x8100, 0x2000 | 300 } };
static const uint16_t three[3][2] = { { 0x88a8, 1 }, { 0x8100, 2 }, { 0x8100, 3 } };

#define OK4(pr, s, d) (struct expect){ NP_FLOW_PARSE_OK, 4, pr, s, d, 0, 0, 0 }
#define OK6(pr, s, d) (struct expect){ NP_FLOW_PARSE_OK, 6, pr, s, d, 0, 0, 0 }
#define BAD(cause) (struct expect){ NP_FLOW_PARSE_DROP_##cause, 0, 0, 0, 0, 0, 0, 0 }

static void v4_tcp(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x0800); ipv4(p, 6, 5, 0x4000); l4(p, 6, 1234, 80, 10); finish(p); *e = OK4(6, 1234, 80); }
static void v4_udp(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x0800); ipv4(p, 17, 5, 0); l4(p, 17, 53, 40000, 30); finish(p); *e = OK4(17, 53, 40000); }
static void v4_icmp(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x0800); ipv4(p, 1, 5, 0); l4(p, 1, 0x0800, 0x1111, 20); finish(p); *e = OK4(1, 0, 0); }
static void v4_sctp(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x0800); ipv4(p, 132, 5, 0); l4(p, 132, 3868, 3869, 4); finish(p); *e = OK4(132, 3868, 3869); }
static void v4_options(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x0800); ipv4(p, 17, 7, 0); l4(p, 17, 5, 6, 0); finish(p); *e = OK4(17, 5, 6); }
static void v4_padded(struct pkt *p, struct expect *e)
{
	eth(p, NULL, 0, 0x0800); ipv4(p, 17, 5, 0); l4(p, 17, 7, 8, 0); finish(p);
	zeros(p, 60 - p->n);   /* Ethernet minimum: padding past the datagram */
	*e = OK4(17, 7, 8);
}
static void v4_frag_first(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x0800); ipv4(p, 17, 5, 0x2000); l4(p, 17, 9, 10, 40); finish(p); *e = OK4(17, 0, 0); e->flags = NP_FLOW_KEY_F_FRAGMENT; }
static void v4_frag_later(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x0800); ipv4(p, 6, 5, 0x00b9); zeros(p, 3); finish(p); *e = OK4(6, 0, 0); e->flags = NP_FLOW_KEY_F_FRAGMENT; }
static void v4_vlan(struct pkt *p, struct expect *e)
{ eth(p, q100, 1, 0x0800); ipv4(p, 6, 5, 0); l4(p, 6, 443, 50000, 0); finish(p); *e = OK4(6, 443, 50000); e->vlan0 = 100; e->flags = NP_FLOW_KEY_F_VLAN; }
static void v6_qinq(struct pkt *p, struct expect *e)
{ eth(p, qinq, 2, 0x86dd); ipv6(p, 17); l4(p, 17, 4789, 4790, 16); finish(p); *e = OK6(17, 4789, 4790); e->vlan0 = 200; e->vlan1 = 300; e->flags = NP_FLOW_KEY_F_QINQ; }
static void v6_tcp(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x86dd); ipv6(p, 6); l4(p, 6, 22, 61000, 5); finish(p); *e = OK6(6, 22, 61000); }
static void v6_exts(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x86dd); ipv6(p, 0); ext(p, 60, 0, false); ext(p, 43, 1, false); ext(p, 17, 0, false); l4(p, 17, 1, 2, 0); finish(p); *e = OK6(17, 1, 2); }
static void v6_ah(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x86dd); ipv6(p, 51); ext(p, 6, 4, true); l4(p, 6, 3, 4, 0); finish(p); *e = OK6(6, 3, 4); }
static void v6_frag(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x86dd); ipv6(p, 44); frag6(p, 17, 0x0001); l4(p, 17, 5, 6, 8); finish(p); *e = OK6(17, 0, 0); e->flags = NP_FLOW_KEY_F_FRAGMENT; }
static void v6_frag_later(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x86dd); ipv6(p, 44); frag6(p, 6, 0x0100); zeros(p, 8); finish(p); *e = OK6(6, 0, 0); e->flags = NP_FLOW_KEY_F_FRAGMENT; }
static void v6_atomic_frag(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x86dd); ipv6(p, 44); frag6(p, 17, 0x0000); l4(p, 17, 7, 8, 0); finish(p); *e = OK6(17, 7, 8); }
static void v6_icmp(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x86dd); ipv6(p, 58); l4(p, 58, 0x8000, 1, 8); finish(p); *e = OK6(58, 0, 0); }
static void v6_nonext(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x86dd); ipv6(p, 59); zeros(p, 4); finish(p); *e = OK6(59, 0, 0); }

/* Malformed. */
static void short_eth(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x0800); p->n = 13; *e = BAD(TOO_SHORT); }
static void empty(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x0800); p->n = 0; *e = BAD(TOO_SHORT); }
static void vlan_cut(struct pkt *p, struct expect *e)
{ eth(p, q100, 1, 0x0800); p->n = 16; *e = BAD(VLAN_TRUNCATED); }
static void vlan_deep(struct pkt *p, struct expect *e)
{ eth(p, three, 3, 0x0800); ipv4(p, 6, 5, 0); l4(p, 6, 1, 2, 0); finish(p); *e = BAD(VLAN_TOO_DEEP); }
static void arp(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x0806); zeros(p, 28); *e = BAD(NOT_IP); }
static void v4_says_6(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x0800); ipv6(p, 6); l4(p, 6, 1, 2, 0); finish(p); *e = BAD(BAD_IP_VERSION); }
static void v6_says_4(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x86dd); ipv4(p, 6, 5, 0); l4(p, 6, 1, 2, 40); finish(p); *e = BAD(BAD_IP_VERSION); }
static void v4_19(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x0800); ipv4(p, 6, 5, 0); p->n = 14 + 19; *e = BAD(IPV4_TRUNCATED); }
static void v4_ihl4(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x0800); ipv4(p, 6, 5, 0); l4(p, 6, 1, 2, 0); finish(p); p->b[14] = 0x44; *e = BAD(IPV4_BAD_IHL); }
static void v4_ihl_past(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x0800); ipv4(p, 17, 5, 0); l4(p, 17, 1, 2, 0); finish(p); p->b[14] = 0x4f; *e = BAD(IPV4_BAD_IHL); }
static void v4_total_small(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x0800); ipv4(p, 17, 6, 0); l4(p, 17, 1, 2, 0); finish(p); p->b[16] = 0; p->b[17] = 23; *e = BAD(IPV4_BAD_TOTAL_LEN); }
static void v4_total_big(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x0800); ipv4(p, 17, 5, 0); l4(p, 17, 1, 2, 0); finish(p); p->b[17]++; *e = BAD(IPV4_BAD_TOTAL_LEN); }
static void v4_tcp_cut(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x0800); ipv4(p, 6, 5, 0); zeros(p, 10); finish(p); *e = BAD(L4_TRUNCATED); }
static void v4_udp_in_padding(struct pkt *p, struct expect *e)
{
	/* The UDP header's bytes are in the frame, but past the datagram's end. */
	eth(p, NULL, 0, 0x0800); ipv4(p, 17, 5, 0); l4(p, 17, 1, 2, 10); finish(p);
	p->b[17] = 20 + 6;
	*e = BAD(L4_TRUNCATED);
}
static void v6_39(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x86dd); ipv6(p, 6); p->n = 14 + 39; *e = BAD(IPV6_TRUNCATED); }
static void v6_plen0(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x86dd); ipv6(p, 17); l4(p, 17, 1, 2, 0); *e = BAD(IPV6_BAD_PAYLOAD_LEN); }
static void v6_plen_big(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x86dd); ipv6(p, 17); l4(p, 17, 1, 2, 0); finish(p); p->b[19]++; *e = BAD(IPV6_BAD_PAYLOAD_LEN); }
static void v6_ext_cut(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x86dd); ipv6(p, 0); ext(p, 17, 0, false); finish(p); p->b[14 + 41] = 3; *e = BAD(IPV6_EXT_TRUNCATED); }
static void v6_ext_1byte(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x86dd); ipv6(p, 60); put8(p, 17); finish(p); *e = BAD(IPV6_EXT_TRUNCATED); }
static void v6_frag_cut(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x86dd); ipv6(p, 44); zeros(p, 6); finish(p); *e = BAD(IPV6_EXT_TRUNCATED); }
static void v6_mobility(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x86dd); ipv6(p, 135); ext(p, 59, 0, false); finish(p); *e = BAD(IPV6_EXT_UNSUPPORTED); }
static void v6_too_many(struct pkt *p, struct expect *e)
{
	eth(p, NULL, 0, 0x86dd); ipv6(p, 60);
	for (int i = 0; i < NP_FLOW_MAX_IPV6_EXT; i++)
		ext(p, 60, 0, false);
	ext(p, 17, 0, false); l4(p, 17, 1, 2, 0); finish(p);
	*e = BAD(IPV6_EXT_TOO_MANY);
}
static void v6_max_exts(struct pkt *p, struct expect *e)
{
	eth(p, NULL, 0, 0x86dd); ipv6(p, 60);
	for (int i = 0; i < NP_FLOW_MAX_IPV6_EXT - 1; i++)
		ext(p, 60, 0, false);
	ext(p, 17, 0, false); l4(p, 17, 11, 12, 0); finish(p);
	*e = OK6(17, 11, 12);
}
static void v6_udp_cut(struct pkt *p, struct expect *e)
{ eth(p, NULL, 0, 0x86dd); ipv6(p, 17); zeros(p, 7); finish(p); *e = BAD(L4_TRUNCATED); }

static const struct {
	const char *name;
	build_fn fn;
} frames[] = {
	{ "v4 tcp", v4_tcp }, { "v4 udp", v4_udp }, { "v4 icmp", v4_icmp }, { "v4 sctp", v4_sctp },
	{ "v4 options", v4_options }, { "v4 padded", v4_padded },
	{ "v4 first fragment", v4_frag_first }, { "v4 later fragment", v4_frag_later },
	{ "802.1Q v4", v4_vlan }, { "QinQ v6", v6_qinq }, { "v6 tcp", v6_tcp },
	{ "v6 hop/dst/routing", v6_exts }, { "v6 ah", v6_ah }, { "v6 fragment", v6_frag },
	{ "v6 later fragment", v6_frag_later }, { "v6 atomic fragment", v6_atomic_frag },
	{ "v6 icmp", v6_icmp }, { "v6 no next header", v6_nonext }, { "v6 7+1 exts", v6_max_exts },
	{ "13 bytes", short_eth }, { "empty", empty }, { "vlan cut", vlan_cut },
	{ "3 tags", vlan_deep }, { "arp", arp }, { "0800 carrying v6", v4_says_6 },
	{ "86dd carrying v4", v6_says_4 }, { "v4 19 bytes", v4_19 }, { "ihl 4", v4_ihl4 },
	{ "ihl past frame", v4_ihl_past }, { "total < ihl", v4_total_small },
	{ "total > frame", v4_total_big }, { "tcp cut", v4_tcp_cut },
	{ "udp in padding", v4_udp_in_padding }, { "v6 39 bytes", v6_39 },
	{ "v6 payload 0", v6_plen0 }, { "v6 payload > frame", v6_plen_big },
	{ "v6 ext past payload", v6_ext_cut }, { "v6 ext 1 byte", v6_ext_1byte },
	{ "v6 frag cut", v6_frag_cut }, { "v6 mobility", v6_mobility },
	{ "v6 9 exts", v6_too_many }, { "v6 udp cut", v6_udp_cut },
};
#define N_FRAMES (sizeof(frames) / sizeof(frames[0]))

/* Parse @len bytes of @p from a buffer of exactly that size. */
static enum np_flow_parse
parse_exact(const struct pkt *p, uint32_t len, struct np_flow_key *k)
{
	uint8_t *copy = len ? malloc(len) : NULL;
	enum np_flow_parse r;

	if (len)
		memcpy(copy, p->b, len);
	r = np_flow_key_extract(copy, len, k);
	free(copy);
	return r;
}

static bool
key_is_zero(const struct np_flow_key *k)
{
	static const struct np_flow_key zero;

	return memcmp(k, &zero, sizeof(zero)) == 0;
}

static void
test_key_table(void)
{
	bool seen[NP_FLOW_PARSE_COUNT] = { false };

	for (unsigned int i = 0; i < N_FRAMES; i++) {
		struct np_flow_key k;
		struct expect e;
		struct pkt p;
		enum np_flow_parse r;

		frames[i].fn(&p, &e);
		r = parse_exact(&p, p.n, &k);
		seen[r] = true;
		NP_CHECK(r == e.r, "%s: got %s, expected %s", frames[i].name, np_flow_parse_name(r),
			 np_flow_parse_name(e.r));
		if (e.r != NP_FLOW_PARSE_OK) {
			NP_CHECK(key_is_zero(&k), "%s: a dropped frame's key is all zero", frames[i].name);
			continue;
		}
		NP_CHECK(k.family == e.family && k.proto == e.proto && k.sport == e.sport &&
			 k.dport == e.dport, "%s: family %u proto %u ports %u->%u, expected %d %u "
			 "%u->%u", frames[i].name, k.family, k.proto, k.sport, k.dport, e.family,
			 e.proto, e.sport, e.dport);
		NP_CHECK(k.vlan[0] == e.vlan0 && k.vlan[1] == e.vlan1 && k.flags == e.flags,
			 "%s: vlan %u/%u flags 0x%x, expected %u/%u 0x%x", frames[i].name, k.vlan[0],
			 k.vlan[1], k.flags, e.vlan0, e.vlan1, e.flags);
		if (e.family == 4) {
			static const uint8_t z[12];

			NP_CHECK(memcmp(k.src, v4a, 4) == 0 && memcmp(k.dst, v4b, 4) == 0 &&
				 memcmp(k.src + 4, z, 12) == 0 && memcmp(k.dst + 4, z, 12) == 0,
				 "%s: IPv4 addresses", frames[i].name);
		} else {
			NP_CHECK(memcmp(k.src, v6a, 16) == 0 && memcmp(k.dst, v6b, 16) == 0,
				 "%s: IPv6 addresses", frames[i].name);
		}
		NP_CHECK(memcmp(k.pad, (uint8_t[5]){ 0 }, 5) == 0, "%s: padding zero", frames[i].name);
	}
	/* Every cause but the mbuf wrapper's is exercised by some frame. */
	for (unsigned int c = 0; c < NP_FLOW_PARSE_COUNT; c++)
		if (c != NP_FLOW_PARSE_DROP_SEGMENTED)
			NP_CHECK(seen[c], "no frame in the table ends in %s", np_flow_parse_name(c));
}

/* Every frame cut at every length: never past the cut, never a key that was not there. */
static void
test_key_truncation(void)
{
	for (unsigned int i = 0; i < N_FRAMES; i++) {
		struct np_flow_key full, k;
		struct expect e;
		struct pkt p;
		enum np_flow_parse rf;

		frames[i].fn(&p, &e);
		rf = parse_exact(&p, p.n, &full);
		for (uint32_t len = 0; len < p.n; len++) {
			enum np_flow_parse r = parse_exact(&p, len, &k);

			NP_CHECK(r < NP_FLOW_PARSE_COUNT && r != NP_FLOW_PARSE_DROP_SEGMENTED,
				 "%s cut to %u: result %d", frames[i].name, len, r);
			/* Only padding can be cut from a frame that keeps its key. */
			if (r == NP_FLOW_PARSE_OK)
				NP_CHECK(rf == NP_FLOW_PARSE_OK && memcmp(&k, &full, sizeof(k)) == 0,
					 "%s cut to %u bytes still parses, to another key",
					 frames[i].name, len);
		}
	}
}

static void
test_key_names(void)
{
	NP_CHECK_STR(np_flow_parse_name(NP_FLOW_PARSE_OK), "ok");
	NP_CHECK_STR(np_flow_parse_name(NP_FLOW_PARSE_DROP_SEGMENTED), "segmented");
	NP_CHECK_STR(np_flow_parse_name(NP_FLOW_PARSE_COUNT), "unknown");
	NP_CHECK_STR(np_flow_parse_name((enum np_flow_parse)-1), "unknown");
	NP_CHECK_CONTAINS(np_flow_parse_doc(NP_FLOW_PARSE_DROP_TOO_SHORT), "14 bytes");
	NP_CHECK_STR(np_flow_parse_doc(NP_FLOW_PARSE_COUNT), "unknown outcome");
	for (unsigned int c = 0; c < NP_FLOW_PARSE_COUNT; c++)
		for (unsigned int d = 0; d < c; d++)
			NP_CHECK(strcmp(np_flow_parse_name(c), np_flow_parse_name(d)) != 0,
				 "outcomes %u and %u share the name %s", c, d, np_flow_parse_name(c));
	NP_CHECK_STR(np_flow_counter_name(NP_FLOW_CTR_ADD_REFUSED_FULL), "adds_refused_full");
	NP_CHECK_STR(np_flow_counter_name(NP_FLOW_CTR_COUNT), "unknown");
	NP_CHECK_CONTAINS(np_flow_counter_doc(NP_FLOW_CTR_EXPIRED), "np_flow_age");
}

/* ---- the mbuf wrapper ---------------------------------------------------------- */

static struct rte_mbuf *
mbuf_of(const struct pkt *p, uint32_t first_seg)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool), *m2;

	NP_REQUIRE(m != NULL, "mbuf alloc");
	if (first_seg >= p->n) {
		memcpy(rte_pktmbuf_append(m, (uint16_t)p->n), p->b, p->n);
		return m;
	}
	memcpy(rte_pktmbuf_append(m, (uint16_t)first_seg), p->b, first_seg);
	m2 = rte_pktmbuf_alloc(pool);
	NP_REQUIRE(m2 != NULL, "mbuf alloc");
	memcpy(rte_pktmbuf_append(m2, (uint16_t)(p->n - first_seg)), p->b + first_seg,
	       p->n - first_seg);
	NP_REQUIRE(rte_pktmbuf_chain(m, m2) == 0, "chain");
	return m;
}

static void
test_key_burst(void)
{
	struct rte_mbuf *m[N_FRAMES + 3];
	struct np_flow_key keys[N_FRAMES + 3], k;
	uint8_t res[N_FRAMES + 3];
	unsigned int ok = 0, n = 0, got;
	struct expect e;
	struct pkt p;

	for (unsigned int i = 0; i < N_FRAMES; i++) {
		frames[i].fn(&p, &e);
		m[n++] = mbuf_of(&p, UINT32_MAX);
		ok += e.r == NP_FLOW_PARSE_OK;
	}
	/* v4 TCP split inside the IPv4 header: its headers straddle segments. */
	v4_tcp(&p, &e);
	m[n++] = mbuf_of(&p, 14 + 10);
	/* Split after the TCP header: all headers in the first segment, a valid key. */
	m[n++] = mbuf_of(&p, 14 + 20 + 20);
	/* Split inside a truncated TCP header: the frame's own cause, not "segmented". */
	v4_tcp_cut(&p, &e);
	m[n++] = mbuf_of(&p, 14 + 22);

	got = np_flow_key_extract_burst(m, n, keys, res);
	NP_CHECK_INT(got, ok + 1);
	for (unsigned int i = 0; i < N_FRAMES; i++) {
		frames[i].fn(&p, &e);
		NP_CHECK(res[i] == e.r, "%s in an mbuf: %s, expected %s", frames[i].name,
			 np_flow_parse_name(res[i]), np_flow_parse_name(e.r));
		np_flow_key_extract(p.b, p.n, &k);
		NP_CHECK(memcmp(&k, &keys[i], sizeof(k)) == 0, "%s: same key as from bytes",
			 frames[i].name);
	}
	NP_CHECK_STR(np_flow_parse_name(res[N_FRAMES]), "segmented");
	NP_CHECK_STR(np_flow_parse_name(res[N_FRAMES + 1]), "ok");
	NP_CHECK_INT(keys[N_FRAMES + 1].dport, 80);
	NP_CHECK_STR(np_flow_parse_name(res[N_FRAMES + 2]), "l4_truncated");
	rte_pktmbuf_free_bulk(m, n);
	NP_CHECK_INT(rte_mempool_in_use_count(pool), 0);
}

/* ---- home node ------------------------------------------------------------------ */

static void
random_key(struct np_flow_key *k, uint32_t i)
{
	memset(k, 0, sizeof(*k));
	k->family = (i & 1) ? 6 : 4;
	for (unsigned int b = 0; b < (k->family == 4 ? 4u : 16u); b++) {
		k->src[b] = (uint8_t)rte_rand();
		k->dst[b] = (uint8_t)rte_rand();
	}
	k->sport = (uint16_t)rte_rand();
	k->dport = (uint16_t)rte_rand();
	k->proto = (i & 2) ? 6 : 17;
}

static void
reverse(const struct np_flow_key *k, struct np_flow_key *r)
{
	*r = *k;
	memcpy(r->src, k->dst, 16);
	memcpy(r->dst, k->src, 16);
	r->sport = k->dport;
	r->dport = k->sport;
}

static void
test_home(void)
{
	static const int two[2] = { 0, 1 }, dup[2] = { 1, 1 }, bad[1] = { NP_FLOW_MAX_NODES };
	struct np_flow_home sym, ing;
	unsigned int on[2] = { 0, 0 }, differ = 0;
	struct np_flow_key k, r;

	NP_REQUIRE_INT(np_flow_home_init(&sym, np_flow_home_symmetric, NULL, two, 2), 0);
	NP_REQUIRE_INT(np_flow_home_init(&ing, np_flow_home_ingress, NULL, two, 2), 0);
	for (uint32_t i = 0; i < 20000; i++) {
		int h;

		random_key(&k, i);
		reverse(&k, &r);
		differ += memcmp(&k, &r, sizeof(k)) != 0;
		NP_CHECK(np_flow_key_hash_symmetric(&k) == np_flow_key_hash_symmetric(&r),
			 "key %u: both directions hash alike", i);
		h = np_flow_home(&sym, &k, 0);
		NP_CHECK(h == 0 || h == 1, "home %d is a node with a table", h);
		NP_CHECK_INT(np_flow_home(&sym, &r, 1), h);
		on[h == 1]++;
		/* Ingress: the port's node when it has a table; else the symmetric answer. */
		NP_CHECK_INT(np_flow_home(&ing, &k, 1), 1);
		NP_CHECK_INT(np_flow_home(&ing, &k, 0), 0);
		NP_CHECK_INT(np_flow_home(&ing, &k, 3), h);
		NP_CHECK_INT(np_flow_home(&ing, &k, NP_NODE_UNKNOWN), h);
	}
	NP_CHECK_INT(differ, 20000);
	/* Spread: each node gets 45..55% of random flows. */
	NP_CHECK(on[0] > 9000 && on[1] > 9000, "symmetric spread %u / %u", on[0], on[1]);
	/* Equal endpoints are ordered by port, so a swap still meets. */
	random_key(&k, 0);
	memcpy(k.dst, k.src, 16);
	reverse(&k, &r);
	NP_CHECK(np_flow_key_hash_symmetric(&k) == np_flow_key_hash_symmetric(&r), "same address");

	NP_CHECK_INT(np_flow_home_init(&sym, np_flow_home_symmetric, NULL, dup, 2), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "node 1 is given twice");
	NP_CHECK_INT(np_flow_home_init(&sym, np_flow_home_symmetric, NULL, bad, 1), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "is not a node id");
	NP_CHECK_INT(np_flow_home_init(&sym, np_flow_home_symmetric, NULL, two, 0), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "0 nodes");
	NP_CHECK_INT(np_flow_home_init(&sym, NULL, NULL, two, 2), -EINVAL);
	NP_CHECK_CONTAINS(np_last_error(), "home function is NULL");
}

/* ---- the table ------------------------------------------------------------------ */

struct st {
	uint64_t id;
	uint64_t count;
	uint8_t rest[32];
};

static void
key_n(struct np_flow_key *k, uint32_t n)
{
	memset(k, 0, sizeof(*k));
	k->family = 4;
	k->proto = 17;
	memcpy(k->src, &n, sizeof(n));
	k->dst[0] = 10;
	k->sport = (uint16_t)n;
	k->dport = 4789;
}

static np_flow_table *
table(uint32_t capacity, uint64_t timeout, np_flow_expire_fn fn, void *arg)
{
	struct np_flow_table_params p = {
		.name = "test", .node = 0, .socket = 0, .capacity = capacity,
		.state_size = sizeof(struct st), .idle_timeout = timeout, .expire = fn,
		.expire_arg = arg,
	};
	np_flow_table *t = np_flow_table_create(&p);

	NP_REQUIRE(t != NULL, "np_flow_table_create: %s", np_last_error());
	return t;
}

static void
test_table_bad_args(void)
{
	struct np_flow_table_params p = { .capacity = 64, .state_size = 8 };
	unsigned int n0, n1;
	size_t b0 = dpdk_bytes(&n0), b1;
	struct np_flow_key k;
	void *s;

	key_n(&k, 1);
	errno = 0;
	NP_CHECK(np_flow_table_create(NULL) == NULL && errno == EINVAL, "NULL params");
	p.capacity = 7;
	NP_CHECK(np_flow_table_create(&p) == NULL && errno == EINVAL, "capacity 7");
	NP_CHECK_CONTAINS(np_last_error(), "capacity 7 is not in 8..");
	p.capacity = 64;
	p.state_size = NP_FLOW_MAX_STATE_SIZE + 1;
	NP_CHECK(np_flow_table_create(&p) == NULL, "state too big");
	NP_CHECK_CONTAINS(np_last_error(), "state_size 65537 is above 65536 bytes");
	p.state_size = 8;
	p.socket = RTE_MAX_NUMA_NODES;
	NP_CHECK(np_flow_table_create(&p) == NULL, "socket");
	NP_CHECK_CONTAINS(np_last_error(), "is not a DPDK socket id");
	p.socket = 0;
	p.node = -5;
	NP_CHECK(np_flow_table_create(&p) == NULL, "node");
	NP_CHECK_CONTAINS(np_last_error(), "node -5 is not a node id");
	/* More than EAL has (-m 256): ENOMEM, saying what and where. */
	p.node = 0;
	p.capacity = 1u << 16;
	p.state_size = NP_FLOW_MAX_STATE_SIZE;
	errno = 0;
	NP_CHECK(np_flow_table_create(&p) == NULL, "4 GB of states do not fit");
	NP_CHECK_INT(errno, ENOMEM);
	NP_CHECK_CONTAINS(np_last_error(), "bytes of DPDK memory on socket 0 for its per-flow states");
	p.capacity = 1u << 26;
	p.state_size = 8;
	errno = 0;
	NP_CHECK(np_flow_table_create(&p) == NULL, "64 M entries do not fit");
	NP_CHECK_INT(errno, ENOMEM);
	NP_CHECK_CONTAINS(np_last_error(), "rte_hash_create(67108864 entries on socket 0) failed");

	NP_CHECK(np_flow_add(NULL, 0, &k, 0, NULL) == NULL && errno == EINVAL, "add NULL table");
	NP_CHECK_CONTAINS(np_last_error(), "table is NULL");
	np_flow_table *t = table(64, 0, NULL, NULL);

	NP_CHECK(np_flow_add(t, RTE_MAX_LCORE, &k, 0, NULL) == NULL, "lcore out of range");
	NP_CHECK_CONTAINS(np_last_error(), "is not below RTE_MAX_LCORE");
	NP_CHECK_INT(np_flow_add_burst(t, 0, (const struct np_flow_key *[]){ &k }, 65, 0, &s, NULL),
		     -EINVAL);
	NP_CHECK_INT(np_flow_delete(t, 0, NULL), -EINVAL);
	NP_CHECK_INT(np_flow_age(NULL, 0, 0, 1), -EINVAL);
	NP_CHECK_INT(np_flow_reader_register(t, RTE_MAX_LCORE), -EINVAL);
	NP_CHECK_INT(np_flow_stats(NULL, NULL), -EINVAL);
	NP_CHECK_INT(np_flow_stats_lcore(t, RTE_MAX_LCORE, &(struct np_flow_stats){ 0 }), -EINVAL);
	NP_CHECK_INT(np_flow_table_mem(t, NULL), -EINVAL);
	NP_CHECK_INT(np_flow_table_node(NULL), NP_NODE_ANY);
	np_flow_table_destroy(t);
	np_flow_table_destroy(NULL);
	/* Failed creations and the destroyed table left no DPDK memory behind. */
	b1 = dpdk_bytes(&n1);
	NP_CHECK(b1 == b0 && n1 == n0, "DPDK heap: %zu bytes in %u blocks before, %zu in %u after",
		 b0, n0, b1, n1);
}

static void
test_add_lookup_delete(void)
{
	unsigned int n0, n1;
	size_t b0 = dpdk_bytes(&n0);
	np_flow_table *t = table(64, 0, NULL, NULL);
	struct np_flow_key a, b;
	const struct np_flow_key *keys[2] = { &a, &b };
	void *states[2] = { NULL, NULL };
	struct np_flow_stats s;
	uint64_t mask = ~0ull;
	struct st *sa, *sa2;
	bool created = false;

	key_n(&a, 1);
	key_n(&b, 2);
	NP_CHECK_INT(np_flow_table_slot_size(t), 64);   /* 16 + 48, one line */
	sa = np_flow_add(t, 0, &a, 1000, &created);
	NP_REQUIRE(sa != NULL, "add: %s", np_last_error());
	NP_CHECK(created, "a new key is created");
	NP_CHECK(sa->id == 0 && sa->count == 0, "a new state is zero");
	NP_CHECK(((uintptr_t)sa & 15) == 0, "state 16-byte aligned");
	NP_CHECK_INT(np_flow_last_seen(sa), 1000);
	sa->id = 77;
	NP_CHECK_INT(np_flow_lookup_burst(t, 0, keys, 2, &mask, states), 1);
	NP_CHECK_INT(mask, 1);
	NP_CHECK(states[0] == sa, "lookup gives the added state");
	sa2 = np_flow_add(t, 0, &a, 2000, &created);
	NP_CHECK(sa2 == sa && !created, "adding again finds it");
	NP_CHECK_INT(sa2->id, 77);
	NP_CHECK_INT(np_flow_last_seen(sa), 2000);
	np_flow_touch(sa, 2500);
	NP_CHECK_INT(np_flow_last_seen(sa), 2500);
	NP_CHECK_INT(np_flow_delete(t, 0, &b), -ENOENT);
	NP_CHECK_INT(np_flow_delete(t, 0, &a), 0);
	NP_CHECK_INT(np_flow_delete(t, 0, &a), -ENOENT);
	NP_CHECK_INT(np_flow_lookup_burst(t, 3, keys, 2, &mask, states), 0);
	NP_CHECK_INT(mask, 0);
	/* Re-added: a new, zeroed state (the slot was reclaimed: no reader is registered). */
	sa = np_flow_add(t, 0, &a, 3000, &created);
	NP_REQUIRE(sa != NULL && created, "re-add");
	NP_CHECK_INT(sa->id, 0);

	NP_REQUIRE_INT(np_flow_stats(t, &s), 0);
	NP_CHECK_INT(s.entries, 1);
	NP_CHECK_INT(s.capacity, 64);
	NP_CHECK_INT(s.count[NP_FLOW_CTR_ADD], 2);
	NP_CHECK_INT(s.count[NP_FLOW_CTR_ADD_EXISTING], 1);
	NP_CHECK_INT(s.count[NP_FLOW_CTR_DELETE], 1);
	NP_CHECK_INT(s.count[NP_FLOW_CTR_LOOKUP_HIT], 1);
	NP_CHECK_INT(s.count[NP_FLOW_CTR_LOOKUP_MISS], 3);
	NP_REQUIRE_INT(np_flow_stats_lcore(t, 3, &s), 0);
	NP_CHECK_INT(s.count[NP_FLOW_CTR_LOOKUP_MISS], 2);
	NP_CHECK_INT(s.count[NP_FLOW_CTR_LOOKUP_HIT], 0);
	NP_CHECK_INT(s.count[NP_FLOW_CTR_ADD], 0);
	np_flow_table_destroy(t);
	NP_CHECK(dpdk_bytes(&n1) == b0 && n1 == n0, "a used table gives back its DPDK memory");
}

/*
 * An add publishes the key before its state (np_flow_add() does it in two
 * rte_hash steps under the lock). Frozen in that window here, by doing the
 * first step by hand: a lookup must call it a miss and iteration skip it.
 */
static void
test_add_in_progress(void)
{
	np_flow_table *t = table(64, 0, NULL, NULL);
	struct np_flow_key a, b;
	const struct np_flow_key *keys[2] = { &a, &b };
	void *states[2] = { NULL, NULL }, *state;
	const struct np_flow_key *key;
	uint32_t cursor = 0;
	uint64_t mask = ~0ull;
	int n = 0;

	key_n(&a, 1);
	key_n(&b, 2);
	NP_REQUIRE(np_flow_add(t, 0, &b, 0, NULL) != NULL, "add b");
	NP_REQUIRE(rte_hash_add_key(t->h, &a) >= 0, "publish a without a state");
	NP_CHECK_INT(np_flow_lookup_burst(t, 0, keys, 2, &mask, states), 1);
	NP_CHECK_INT(mask, 2);
	while (np_flow_iterate(t, &cursor, &key, &state) == 0) {
		NP_CHECK(memcmp(key, &b, sizeof(b)) == 0, "only the complete entry is iterated");
		n++;
	}
	NP_CHECK_INT(n, 1);
	rte_hash_del_key(t->h, &a);
	np_flow_table_destroy(t);
}

static void
test_bulk_lookup(void)
{
	np_flow_table *t = table(1024, 0, NULL, NULL);
	struct np_flow_key k[64];
	const struct np_flow_key *kp[64];
	void *added[64], *states[64];
	uint64_t created = 0, mask = 0, want = 0;

	for (uint32_t i = 0; i < 64; i++) {
		key_n(&k[i], 1000 + i);
		kp[i] = &k[i];
	}
	/* Every third key is in the table. */
	for (uint32_t i = 0; i < 64; i += 3) {
		added[i] = np_flow_add(t, 1, &k[i], 0, NULL);
		NP_REQUIRE(added[i] != NULL, "add %u", i);
		((struct st *)added[i])->id = i;
		want |= 1ull << i;
	}
	NP_CHECK_INT(np_flow_lookup_burst(t, 1, kp, 64, &mask, states), 22);
	NP_CHECK(mask == want, "hit mask 0x%" PRIx64 ", expected 0x%" PRIx64, mask, want);
	for (uint32_t i = 0; i < 64; i += 3)
		NP_CHECK(states[i] == added[i] && ((struct st *)states[i])->id == i, "state of key %u", i);
	/* A burst add of all 64: 22 found, 42 created. */
	NP_CHECK_INT(np_flow_add_burst(t, 1, kp, 64, 5, states, &created), 64);
	NP_CHECK(created == ~want, "created mask 0x%" PRIx64, created);
	NP_CHECK_INT(np_flow_lookup_burst(t, 1, kp, 64, &mask, states), 64);
	np_flow_table_destroy(t);
}

struct expiry_log {
	np_flow_table *t;
	unsigned int calls;
	unsigned int per_key[64];
	unsigned int present_at_callback;
};

static void
on_expire(void *arg, const struct np_flow_key *key, void *state)
{
	struct expiry_log *log = arg;
	const struct np_flow_key *kp[1] = { key };
	void *found = NULL;
	uint64_t mask = 0;
	uint32_t n;

	memcpy(&n, key->src, sizeof(n));
	log->calls++;
	if (n < 64)
		log->per_key[n]++;
	/* Called before the entry is removed: it is still there, with this state. */
	if (np_flow_lookup_burst(log->t, 0, kp, 1, &mask, &found) == 1 && found == state)
		log->present_at_callback++;
	NP_CHECK_INT(((struct st *)state)->id, n + 1);
}

static void
test_aging(void)
{
	struct expiry_log log = { 0 };
	np_flow_table *t = table(64, 100, on_expire, &log);
	struct np_flow_stats s;
	struct np_flow_key k;
	unsigned int total = 0;
	int got;

	log.t = t;
	/* 20 flows seen at t=0; flows 0..9 seen again at t=60. */
	for (uint32_t i = 0; i < 20; i++) {
		struct st *st;

		key_n(&k, i);
		st = np_flow_add(t, 0, &k, 0, NULL);
		NP_REQUIRE(st != NULL, "add");
		st->id = i + 1;
		if (i < 10)
			np_flow_touch(st, 60);
	}
	NP_CHECK_INT(np_flow_age(t, 0, 99, 64), 0);   /* idle 99 < 100: nothing */
	/* Slices of 7 slots: ceil(64 / 7) = 10 calls cover the table once. */
	for (int call = 0; call < 10; call++) {
		got = np_flow_age(t, 0, 100, 7);
		NP_CHECK(got >= 0 && got <= 7, "a slice expires at most what it visits: %d", got);
		total += (unsigned int)got;
	}
	NP_CHECK_INT(total, 10);
	NP_CHECK_INT(log.calls, 10);
	NP_CHECK_INT(log.present_at_callback, 10);
	for (uint32_t i = 0; i < 20; i++)
		NP_CHECK_INT(log.per_key[i], i < 10 ? 0 : 1);
	/* Nothing left to expire at t=100; a clock that went back expires nothing. */
	NP_CHECK_INT(np_flow_age(t, 0, 100, 64), 0);
	NP_CHECK_INT(np_flow_age(t, 0, 5, 64), 0);
	NP_REQUIRE_INT(np_flow_stats(t, &s), 0);
	NP_CHECK_INT(s.entries, 10);
	NP_CHECK_INT(s.count[NP_FLOW_CTR_EXPIRED], 10);
	/* At t=160 the touched ones have been idle 100. */
	NP_CHECK_INT(np_flow_age(t, 0, 160, 1000), 10);
	NP_CHECK_INT(log.calls, 20);
	for (uint32_t i = 0; i < 20; i++)
		NP_CHECK_INT(log.per_key[i], 1);
	NP_REQUIRE_INT(np_flow_stats(t, &s), 0);
	NP_CHECK_INT(s.entries, 0);
	np_flow_table_destroy(t);

	/* Idle timeout 0: aging never expires. */
	t = table(64, 0, on_expire, &log);
	key_n(&k, 1);
	NP_REQUIRE(np_flow_add(t, 0, &k, 0, NULL) != NULL, "add");
	NP_CHECK_INT(np_flow_age(t, 0, UINT64_MAX, 64), 0);
	np_flow_table_destroy(t);
}

static void
test_full_table(void)
{
	np_flow_table *t = table(16, 0, NULL, NULL);
	struct np_flow_stats s;
	struct np_flow_key k;
	struct st *st[17];
	bool created;

	for (uint32_t i = 0; i < 16; i++) {
		key_n(&k, i);
		st[i] = np_flow_add(t, 0, &k, 0, &created);
		NP_REQUIRE(st[i] != NULL && created, "add %u of 16: %s", i, np_last_error());
		st[i]->id = 100 + i;
	}
	key_n(&k, 16);
	errno = 0;
	NP_CHECK(np_flow_add(t, 0, &k, 0, &created) == NULL, "the 17th is refused");
	NP_CHECK_INT(errno, ENOSPC);
	NP_CHECK(np_flow_add(t, 0, &k, 0, &created) == NULL, "and again");
	/* A key already there is found, even when full. */
	key_n(&k, 3);
	NP_CHECK(np_flow_add(t, 0, &k, 0, &created) == st[3] && !created, "existing key when full");
	/* Nothing was overwritten. */
	for (uint32_t i = 0; i < 16; i++) {
		const struct np_flow_key *kp[1] = { &k };
		void *found = NULL;
		uint64_t mask;

		key_n(&k, i);
		NP_CHECK_INT(np_flow_lookup_burst(t, 0, kp, 1, &mask, &found), 1);
		NP_CHECK(found == st[i] && st[i]->id == 100 + i, "entry %u intact", i);
	}
	NP_REQUIRE_INT(np_flow_stats(t, &s), 0);
	NP_CHECK_INT(s.entries, 16);
	NP_CHECK_INT(s.count[NP_FLOW_CTR_ADD], 16);
	NP_CHECK_INT(s.count[NP_FLOW_CTR_ADD_REFUSED_FULL], 2);
	/* Room again after a delete. */
	key_n(&k, 5);
	NP_CHECK_INT(np_flow_delete(t, 0, &k), 0);
	key_n(&k, 16);
	NP_CHECK(np_flow_add(t, 0, &k, 0, &created) != NULL && created, "room after a delete");
	np_flow_table_destroy(t);
}

/* A deleted slot is not reused while a registered reader may hold its state. */
static void
test_reclaim_waits_for_readers(void)
{
	np_flow_table *t = table(8, 0, NULL, NULL);
	const unsigned int reader = 7;
	struct np_flow_stats s;
	struct np_flow_key k;
	struct st *st[8], *nw;

	for (uint32_t i = 0; i < 8; i++) {
		key_n(&k, i);
		st[i] = np_flow_add(t, 0, &k, 0, NULL);
		NP_REQUIRE(st[i] != NULL, "add");
		st[i]->id = 0xdead0000 + i;
	}
	NP_REQUIRE_INT(np_flow_reader_register(t, reader), 0);
	key_n(&k, 2);
	NP_REQUIRE_INT(np_flow_delete(t, 0, &k), 0);
	/* The reader has not reported since the delete: st[2] may still be in its hands. */
	key_n(&k, 100);
	errno = 0;
	NP_CHECK(np_flow_add(t, 0, &k, 0, NULL) == NULL, "slot held back while the reader may use it");
	NP_CHECK_INT(errno, ENOSPC);
	NP_CHECK_INT(st[2]->id, 0xdead0002);
	NP_REQUIRE_INT(np_flow_stats(t, &s), 0);
	NP_CHECK_INT(s.count[NP_FLOW_CTR_ADD_REFUSED_RECLAIM], 1);
	NP_CHECK_INT(s.count[NP_FLOW_CTR_ADD_REFUSED_FULL], 0);
	np_flow_quiescent(t, reader);
	nw = np_flow_add(t, 0, &k, 0, NULL);
	NP_REQUIRE(nw != NULL, "reused after the quiescent state");
	NP_CHECK(nw == st[2], "the freed slot is the one reused");
	NP_CHECK_INT(nw->id, 0);
	NP_CHECK_INT(np_flow_reader_unregister(t, reader), 0);
	np_flow_table_destroy(t);
}

static void
test_iterate_and_mem(void)
{
	np_flow_table *t = table(256, 0, NULL, NULL);
	const struct np_flow_key *key;
	unsigned int seen[100] = { 0 }, n = 0;
	struct np_flow_mem m;
	uint32_t cursor = 0;
	struct np_flow_key k;
	void *state;

	for (uint32_t i = 0; i < 100; i++) {
		struct st *s;

		key_n(&k, i);
		s = np_flow_add(t, 0, &k, 0, NULL);
		NP_REQUIRE(s != NULL, "add");
		s->id = i;
	}
	while (np_flow_iterate(t, &cursor, &key, &state) == 0) {
		uint32_t id;

		memcpy(&id, key->src, sizeof(id));
		NP_REQUIRE(id < 100, "iterated key %u was added", id);
		seen[id]++;
		NP_CHECK_INT(((struct st *)state)->id, id);
		n++;
	}
	NP_CHECK_INT(n, 100);
	for (uint32_t i = 0; i < 100; i++)
		NP_CHECK_INT(seen[i], 1);
	NP_CHECK_INT(np_flow_iterate(t, &cursor, &key, &state), -ENOENT);
	NP_CHECK_INT(np_flow_iterate(t, NULL, &key, &state), -EINVAL);

	/* Every block DPDK lets us see is on the table's socket (0 here). */
	NP_REQUIRE_INT(np_flow_table_mem(t, &m), 0);
	NP_CHECK_INT(m.node, 0);
	NP_CHECK_INT(m.socket, 0);
	NP_CHECK_INT(m.state_bytes, 256 * 64);
	{
		const void *a[] = { m.table, m.hash, m.key_store, m.free_slots, m.ext_buckets,
				    m.state, (const char *)m.state + m.state_bytes - 1, m.qsbr,
				    m.counters };
		for (unsigned int i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
			const struct rte_memseg *ms;

			NP_REQUIRE(a[i] != NULL, "address %u known", i);
			ms = rte_mem_virt2memseg(a[i], NULL);
			NP_CHECK(ms != NULL && ms->socket_id == 0, "address %u in a socket-0 memseg", i);
		}
	}
	np_flow_table_destroy(t);

	/*
	 * Why the audit compares: with --no-huge DPDK ignores the socket id, so a
	 * table asked on socket 1 lands on socket 0, and only the memsegs say so.
	 */
	{
		struct np_flow_table_params p = { .node = 1, .socket = 1, .capacity = 64 };
		const struct rte_memseg *ms;

		t = np_flow_table_create(&p);
		NP_REQUIRE(t != NULL, "create on socket 1: %s", np_last_error());
		NP_REQUIRE_INT(np_flow_table_mem(t, &m), 0);
		NP_CHECK_INT(m.node, 1);
		NP_CHECK_INT(m.socket, 1);
		ms = rte_mem_virt2memseg(m.state, NULL);
		NP_CHECK(ms != NULL && ms->socket_id == 0, "--no-huge: the states are on socket %d",
			 ms ? ms->socket_id : -1);
		np_flow_table_destroy(t);
	}
}

/* ---- concurrent writers --------------------------------------------------------- */

#define CW_KEYS 20000u

struct cw {
	np_flow_table *t;
	uint32_t first;       /* keys first .. first + CW_KEYS - 1 */
	unsigned int lcore;
	unsigned int created;
	unsigned int refused;
	atomic_uint *go;
};

static int
cw_main(void *arg)
{
	struct cw *w = arg;

	while (atomic_load(w->go) == 0)
		;
	for (uint32_t i = 0; i < CW_KEYS; i++) {
		struct np_flow_key k;
		const struct np_flow_key *kp[1] = { &k };
		struct st *s = NULL;
		uint64_t mask = 0;
		bool created = false;

		key_n(&k, w->first + i);
		/* As a pipeline does: look up, add on a miss. */
		if (np_flow_lookup_burst(w->t, w->lcore, kp, 1, &mask, (void **)&s) == 0)
			s = np_flow_add(w->t, w->lcore, &k, i, &created);
		if (s == NULL) {
			w->refused++;
			continue;
		}
		w->created += created;
		__atomic_fetch_add(&s->count, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

static void
test_concurrent_writers(void)
{
	np_flow_table *t = table(2 * CW_KEYS, 0, NULL, NULL);
	const uint32_t distinct = CW_KEYS + CW_KEYS / 2;
	atomic_uint go = 0;
	struct cw w[2] = {
		{ .t = t, .first = 0, .lcore = rte_lcore_id(), .go = &go },
		{ .t = t, .first = CW_KEYS / 2, .go = &go },
	};
	struct np_flow_stats s;
	unsigned int worker = rte_get_next_lcore(rte_lcore_id(), 1, 0);
	bool launched = false;

	if (n_lcores >= 2 && worker < RTE_MAX_LCORE) {
		w[1].lcore = worker;
		launched = rte_eal_remote_launch(cw_main, &w[1], worker) == 0;
	}
	NP_CHECK(launched || n_lcores < 2, "launch the second writer on lcore %u", worker);
	atomic_store(&go, 1);
	if (launched) {
		cw_main(&w[0]);
		rte_eal_wait_lcore(worker);
	} else {
		/* One usable CPU: run them one after the other (still overlapping keys). */
		w[1].lcore = 1;
		cw_main(&w[0]);
		cw_main(&w[1]);
	}
	NP_CHECK_INT(w[0].refused + w[1].refused, 0);
	NP_CHECK_INT(w[0].created + w[1].created, distinct);
	NP_REQUIRE_INT(np_flow_stats(t, &s), 0);
	NP_CHECK_INT(s.entries, distinct);
	NP_CHECK_INT(s.count[NP_FLOW_CTR_ADD], distinct);
	/* Every key once, its count from every writer that had it: nothing zeroed twice. */
	{
		unsigned int bad = 0, n = 0;
		uint32_t cursor = 0;
		const struct np_flow_key *key;
		void *state;

		for (uint32_t id = 0; id < distinct; id++) {
			struct np_flow_key k;
			const struct np_flow_key *kp[1] = { &k };
			struct st *st = NULL;
			uint64_t mask;
			uint64_t want = (id >= CW_KEYS / 2 && id < CW_KEYS) ? 2 : 1;

			key_n(&k, id);
			if (np_flow_lookup_burst(t, 0, kp, 1, &mask, (void **)&st) != 1 ||
			    st->count != want) {
				if (bad++ < 5)
					NP_CHECK(false, "key %u: %s, count %" PRIu64 ", expected %" PRIu64,
						 id, st ? "present" : "missing", st ? st->count : 0, want);
			}
		}
		NP_CHECK_INT(bad, 0);
		while (np_flow_iterate(t, &cursor, &key, &state) == 0)
			n++;
		NP_CHECK_INT(n, distinct);
	}
	np_flow_table_destroy(t);
}

static const struct np_test_case key_cases[] = {
	{ "table of frames", test_key_table },
	{ "every truncation", test_key_truncation },
	{ "names", test_key_names },
	{ "mbuf burst, segments", test_key_burst },
	{ "home node", test_home },
	{ NULL, NULL },
};

/*
 * np_flow_table_memory() against what rte_malloc really handed out for the
 * table (its heap's allocated bytes before and after the create): never
 * below, at most 15% above (plus 16 KB for the small tables' fixed parts).
 * A DPDK whose hash grows its layout makes this fail, and the estimate is
 * what a --no-huge run or a hugepage check budgets with.
 */
static void
test_memory_estimate(void)
{
	static const struct { uint32_t capacity, state; bool shared; } cases[] = {
		{ NP_FLOW_MIN_CAPACITY, 0, false }, { 1000, 16, false }, { 4096, 200, true },
		{ 100000, 16, false }, { 200001, 64, false },
	};
	struct rte_rcu_qsbr *q = rte_zmalloc("qsbr", rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE), 64);

	NP_REQUIRE(q != NULL && rte_rcu_qsbr_init(q, RTE_MAX_LCORE) == 0, "an RCU variable");
	for (unsigned int i = 0; i < RTE_DIM(cases); i++) {
		struct np_flow_table_params p = {
			.name = "estimate", .node = 0, .socket = 0, .capacity = cases[i].capacity,
			.state_size = cases[i].state, .qsbr = cases[i].shared ? q : NULL,
		};
		struct rte_malloc_socket_stats before, after;
		uint64_t est = np_flow_table_memory(&p), real;
		np_flow_table *t;

		NP_REQUIRE_INT(rte_malloc_get_socket_stats(0, &before), 0);
		t = np_flow_table_create(&p);
		NP_REQUIRE(t != NULL, "capacity %u: %s", p.capacity, np_last_error());
		NP_REQUIRE_INT(rte_malloc_get_socket_stats(0, &after), 0);
		real = after.heap_allocsz_bytes - before.heap_allocsz_bytes;
		printf("\n    capacity %u, state %u%s: estimate %" PRIu64 " B, allocated %" PRIu64
		       " B (%+.1f%%)", p.capacity, p.state_size, cases[i].shared ? ", shared RCU" : "",
		       est, real, real ? 100.0 * ((double)est - (double)real) / (double)real : 0.0);
		NP_CHECK(est >= real && est <= real + real * 15 / 100 + 16384,
			 "capacity %u, state %u%s: estimate %" PRIu64 " bytes, rte_malloc handed out "
			 "%" PRIu64, p.capacity, p.state_size, cases[i].shared ? ", shared RCU" : "",
			 est, real);
		np_flow_table_destroy(t);
	}
	printf("\n");
	rte_free(q);
	/* What create refuses, the estimate does not price. */
	NP_CHECK(np_flow_table_memory(NULL) == 0, "NULL: 0");
	NP_CHECK(np_flow_table_memory(&(struct np_flow_table_params){ .capacity = 1 }) == 0,
		 "capacity 1: 0");
	NP_CHECK(np_flow_table_memory(&(struct np_flow_table_params){
		.capacity = 1024, .state_size = NP_FLOW_MAX_STATE_SIZE + 1 }) == 0, "state too big: 0");
}

static const struct np_test_case table_cases[] = {
	{ "bad arguments", test_table_bad_args },
	{ "add, lookup, delete", test_add_lookup_delete },
	{ "an add in progress is a miss", test_add_in_progress },
	{ "bulk lookup and add", test_bulk_lookup },
	{ "aging with an injected clock", test_aging },
	{ "full table", test_full_table },
	{ "slot reuse waits for readers", test_reclaim_waits_for_readers },
	{ "iterate, memory", test_iterate_and_mem },
	{ "concurrent writers", test_concurrent_writers },
	{ "memory estimate", test_memory_estimate },
	{ NULL, NULL },
};

int
main(void)
{
	unsigned int cpus[2];
	int ret;

	n_lcores = np_test_eal_start("test_flow", 2, cpus, NULL);
	pool = rte_pktmbuf_pool_create("test_flow", 255, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	if (pool == NULL)
		NP_TEST_SKIP_ALL("no mbuf pool: %s", rte_strerror(rte_errno));
	ret = np_test_run((const struct np_test_suite[]){
		{ "flow keys", NULL, NULL, key_cases },
		{ "flow table", NULL, NULL, table_cases },
	}, 2);
	rte_mempool_free(pool);
	if (np_test_eal_stop() != 0 && ret == 0)
		ret = 1;
	return ret;
}
