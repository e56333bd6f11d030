/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Key extraction over raw bytes. Every read goes through need(), which
 * checks the range against both limits first: nothing here reads a byte
 * it has not proved is inside the frame. Kept free of EAL and mbufs so the
 * fuzz target links this file alone.
 */
#include <string.h>

#include "flow_key_private.h"

static const char *const parse_names[NP_FLOW_PARSE_COUNT] = {
#define NAME(e, name, doc) [NP_FLOW_PARSE_##e] = name,
	NP_FLOW_PARSE_RESULTS(NAME)
#undef NAME
};

static const char *const parse_docs[NP_FLOW_PARSE_COUNT] = {
#define DOC(e, name, doc) [NP_FLOW_PARSE_##e] = doc,
	NP_FLOW_PARSE_RESULTS(DOC)
#undef DOC
};

const char *
np_flow_parse_name(enum np_flow_parse r)
{
	return (unsigned int)r < NP_FLOW_PARSE_COUNT ? parse_names[r] : "unknown";
}

const char *
np_flow_parse_doc(enum np_flow_parse r)
{
	return (unsigned int)r < NP_FLOW_PARSE_COUNT ? parse_docs[r] : "unknown outcome";
}

#define ETH_HLEN 14
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define TPID_8021Q 0x8100
#define TPID_8021AD 0x88a8
#define TPID_QINQ_OLD 0x9100

#define IPPROTO_HOPOPTS_ 0
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define IPPROTO_ROUTING_ 43
#define IPPROTO_FRAGMENT_ 44
#define IPPROTO_AH_ 51
#define IPPROTO_DSTOPTS_ 60
#define IPPROTO_SCTP_ 132
#define IPPROTO_MH_ 135
#define IPPROTO_HIP_ 139
#define IPPROTO_SHIM6_ 140

/*
 * The bytes a parse may read: [0, avail) is in memory, [0, len) is the
 * frame (len shrinks to the IP datagram's end once its length is known).
 */
struct span {
	const uint8_t *p;
	uint32_t avail;
	uint32_t len;
};

/*
 * 0 if [off, off + n) may be read; else @short_cause when the frame (or
 * datagram) itself is too short, NP_FLOW_PARSE_DROP_SEGMENTED when it is long
 * enough but the bytes are not in this buffer.
 */
static inline enum np_flow_parse
need(const struct span *s, uint32_t off, uint32_t n, enum np_flow_parse short_cause)
{
	if (off > s->len || s->len - off < n)
		return short_cause;
	if (off > s->avail || s->avail - off < n)
		return NP_FLOW_PARSE_DROP_SEGMENTED;
	return NP_FLOW_PARSE_OK;
}

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

/* Ports of TCP, UDP, SCTP (each starts with source, destination port). */
static enum np_flow_parse
parse_l4(const struct span *s, uint32_t off, uint8_t proto, struct np_flow_key *k)
{
	uint32_t hlen;
	enum np_flow_parse r;

	k->proto = proto;
	switch (proto) {
	case IPPROTO_TCP_: hlen = 20; break;
	case IPPROTO_UDP_: hlen = 8; break;
	case IPPROTO_SCTP_: hlen = 12; break;
	default: return NP_FLOW_PARSE_OK;   /* no ports: 0 */
	}
	r = need(s, off, hlen, NP_FLOW_PARSE_DROP_L4_TRUNCATED);
	if (r != NP_FLOW_PARSE_OK)
		return r;
	k->sport = rd16(s->p + off);
	k->dport = rd16(s->p + off + 2);
	return NP_FLOW_PARSE_OK;
}

static enum np_flow_parse
parse_ipv4(struct span *s, uint32_t off, struct np_flow_key *k)
{
	const uint8_t *ip;
	uint32_t ihl, total;
	enum np_flow_parse r;

	r = need(s, off, 20, NP_FLOW_PARSE_DROP_IPV4_TRUNCATED);
	if (r != NP_FLOW_PARSE_OK)
		return r;
	ip = s->p + off;
	if (ip[0] >> 4 != 4)
		return NP_FLOW_PARSE_DROP_BAD_IP_VERSION;
	ihl = (uint32_t)(ip[0] & 0x0f) * 4;
	if (ihl < 20)
		return NP_FLOW_PARSE_DROP_IPV4_BAD_IHL;
	r = need(s, off, ihl, NP_FLOW_PARSE_DROP_IPV4_BAD_IHL);
	if (r != NP_FLOW_PARSE_OK)
		return r;
	total = rd16(ip + 2);
	/* Against the frame's length, not the buffer's: a segmented frame is longer. */
	if (total < ihl || total > s->len - off)
		return NP_FLOW_PARSE_DROP_IPV4_BAD_TOTAL_LEN;
	s->len = off + total;   /* Ethernet padding is not L4 */
	k->family = 4;
	memcpy(k->src, ip + 12, 4);
	memcpy(k->dst, ip + 16, 4);
	/* MF set or a non-zero offset: a fragment, keyed without ports (see np_flow_key.h). */
	if (rd16(ip + 6) & 0x3fff) {
		k->proto = ip[9];
		k->flags |= NP_FLOW_KEY_F_FRAGMENT;
		return NP_FLOW_PARSE_OK;
	}
	return parse_l4(s, off + ihl, ip[9], k);
}

static enum np_flow_parse
parse_ipv6(struct span *s, uint32_t off, struct np_flow_key *k)
{
	const uint8_t *ip;
	uint32_t plen;
	uint8_t nh;
	enum np_flow_parse r;

	r = need(s, off, 40, NP_FLOW_PARSE_DROP_IPV6_TRUNCATED);
	if (r != NP_FLOW_PARSE_OK)
		return r;
	ip = s->p + off;
	if (ip[0] >> 4 != 6)
		return NP_FLOW_PARSE_DROP_BAD_IP_VERSION;
	plen = rd16(ip + 4);
	if (plen == 0 || plen > s->len - off - 40)
		return NP_FLOW_PARSE_DROP_IPV6_BAD_PAYLOAD_LEN;
	s->len = off + 40 + plen;
	k->family = 6;
	memcpy(k->src, ip + 8, 16);
	memcpy(k->dst, ip + 24, 16);
	nh = ip[6];
	off += 40;
	for (unsigned int n_ext = 0;; n_ext++) {
		uint32_t elen;
		uint16_t frag;

		switch (nh) {
		case IPPROTO_HOPOPTS_:
		case IPPROTO_ROUTING_:
		case IPPROTO_DSTOPTS_:
		case IPPROTO_AH_:
			if (n_ext == NP_FLOW_MAX_IPV6_EXT)
				return NP_FLOW_PARSE_DROP_IPV6_EXT_TOO_MANY;
			r = need(s, off, 2, NP_FLOW_PARSE_DROP_IPV6_EXT_TRUNCATED);
			if (r != NP_FLOW_PARSE_OK)
				return r;
			/* AH counts 4-byte units minus 2, the others 8-byte units minus 1. */
			elen = nh == IPPROTO_AH_ ? ((uint32_t)s->p[off + 1] + 2) * 4 :
						   ((uint32_t)s->p[off + 1] + 1) * 8;
			r = need(s, off, elen, NP_FLOW_PARSE_DROP_IPV6_EXT_TRUNCATED);
			if (r != NP_FLOW_PARSE_OK)
				return r;
			nh = s->p[off];
			off += elen;
			break;
		case IPPROTO_FRAGMENT_:
			if (n_ext == NP_FLOW_MAX_IPV6_EXT)
				return NP_FLOW_PARSE_DROP_IPV6_EXT_TOO_MANY;
			r = need(s, off, 8, NP_FLOW_PARSE_DROP_IPV6_EXT_TRUNCATED);
			if (r != NP_FLOW_PARSE_OK)
				return r;
			nh = s->p[off];
			frag = rd16(s->p + off + 2);   /* offset << 3 | M */
			off += 8;
			if (frag & 0xfff9) {
				k->proto = nh;
				k->flags |= NP_FLOW_KEY_F_FRAGMENT;
				return NP_FLOW_PARSE_OK;
			}
			break;   /* atomic fragment: the whole datagram follows */
		case IPPROTO_MH_:
		case IPPROTO_HIP_:
		case IPPROTO_SHIM6_:
		case 253:
		case 254:
			return NP_FLOW_PARSE_DROP_IPV6_EXT_UNSUPPORTED;
		default:
			return parse_l4(s, off, nh, k);
		}
	}
}

enum np_flow_parse
flow_key_parse(const uint8_t *frame, uint32_t avail, uint32_t len, struct np_flow_key *k)
{
	struct span s = { frame, avail, len };
	uint32_t off = ETH_HLEN;
	unsigned int tags = 0;
	enum np_flow_parse r;
	uint16_t type;

	memset(k, 0, sizeof(*k));
	r = need(&s, 0, ETH_HLEN, NP_FLOW_PARSE_DROP_TOO_SHORT);
	if (r != NP_FLOW_PARSE_OK)
		return r;
	type = rd16(frame + 12);
	while (type == TPID_8021Q || type == TPID_8021AD || type == TPID_QINQ_OLD) {
		if (tags == 2) {
			r = NP_FLOW_PARSE_DROP_VLAN_TOO_DEEP;
			goto drop;
		}
		r = need(&s, off, 4, NP_FLOW_PARSE_DROP_VLAN_TRUNCATED);
		if (r != NP_FLOW_PARSE_OK)
			goto drop;
		k->vlan[tags++] = rd16(frame + off) & 0x0fff;
		type = rd16(frame + off + 2);
		off += 4;
	}
	if (tags == 1)
		k->flags |= NP_FLOW_KEY_F_VLAN;
	else if (tags == 2)
		k->flags |= NP_FLOW_KEY_F_QINQ;
	if (type == ETHERTYPE_IPV4)
		r = parse_ipv4(&s, off, k);
	else if (type == ETHERTYPE_IPV6)
		r = parse_ipv6(&s, off, k);
	else
		r = NP_FLOW_PARSE_DROP_NOT_IP;
	if (r == NP_FLOW_PARSE_OK)
		return r;
drop:
	/* A dropped frame's key is all zero, whatever was read before the fault. */
	memset(k, 0, sizeof(*k));
	return r;
}

enum np_flow_parse
np_flow_key_extract(const uint8_t *frame, uint32_t len, struct np_flow_key *key)
{
	return flow_key_parse(frame, len, len, key);
}
