/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Flow keys: the 5-tuple of an IPv4 or IPv6 frame (VLAN-tagged or not),
 * taken from the frame's bytes without ever reading past its end, and the
 * flow's home node.
 *
 * Extraction is a pure function of (bytes, length): it never allocates,
 * never reads outside [frame, frame + len), and answers either a key or the
 * one reason the frame has none (enum np_flow_parse, generated with its
 * names and explanations from one list, NP_FLOW_PARSE_RESULTS, so a
 * pipeline can count drops per cause). What it accepts:
 *  - Ethernet II with 0, 1 (802.1Q) or 2 (802.1ad QinQ, or two 802.1Q)
 *    VLAN tags; TPIDs 0x8100, 0x88a8 and 0x9100 are tags;
 *  - IPv4 with options; IPv6 with hop-by-hop, routing, destination-options,
 *    AH and fragment extension headers (at most NP_FLOW_MAX_IPV6_EXT);
 *  - TCP, UDP and SCTP ports; every other protocol (ICMP, ICMPv6, ESP, GRE,
 *    ...) is keyed with ports 0.
 *
 * Fragments are NOT dropped: every fragment of a datagram (the first one
 * too) is keyed with ports 0 and NP_FLOW_KEY_F_FRAGMENT, so all fragments
 * of one datagram make one flow, distinct from the conversation's
 * unfragmented 5-tuple flow (a later fragment has no ports to read, and
 * the first must agree with it). An IPv6 "atomic fragment" (offset 0, no
 * more fragments) is not a fragment and keeps its ports.
 *
 * The VLAN ids are part of the key: the same 5-tuple in two VLANs is two
 * flows (VLANs often carry separate address spaces).
 *
 * np_flow_key_extract() needs no EAL (the fuzz target links flow_key.c
 * alone); np_flow_key_extract_burst() is its wrapper over mbufs.
 */
#ifndef NP_FLOW_KEY_H
#define NP_FLOW_KEY_H

#include <assert.h>
#include <stdint.h>

#include <rte_config.h>

#include "np_common.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rte_mbuf;

/** Key flag: the frame is an IPv4 or IPv6 fragment (ports are 0). */
#define NP_FLOW_KEY_F_FRAGMENT (1u << 0)
/** Key flag: one VLAN tag (vlan[0] is its VID). */
#define NP_FLOW_KEY_F_VLAN (1u << 1)
/** Key flag: two VLAN tags (vlan[0] outer, vlan[1] inner VID). */
#define NP_FLOW_KEY_F_QINQ (1u << 2)

/** Most IPv6 extension headers walked before NP_FLOW_PARSE_DROP_IPV6_EXT_TOO_MANY. */
#define NP_FLOW_MAX_IPV6_EXT 8

/**
 * A flow key: fixed size, every byte defined (padding zero), so two keys
 * are the same flow exactly when their bytes are equal (rte_hash compares
 * bytes; 48 is one of its vector compare sizes).
 *
 * Numbers are in host byte order; addresses are the bytes on the wire. An
 * IPv4 address fills the first 4 bytes of its field, the other 12 are 0.
 */
struct np_flow_key {
	uint8_t src[16];      /**< Source address. */
	uint8_t dst[16];      /**< Destination address. */
	uint16_t sport;       /**< Source port (TCP, UDP, SCTP), else 0. */
	uint16_t dport;       /**< Destination port, else 0. */
	uint16_t vlan[2];     /**< VIDs (12 bits), outer first; 0 where there is no tag. */
	uint8_t proto;        /**< IP protocol (IPv6: the upper-layer header after the extensions). */
	uint8_t family;       /**< 4 or 6. */
	uint8_t flags;        /**< NP_FLOW_KEY_F_* bits. */
	uint8_t pad[5];       /**< Always 0. */
};

static_assert(sizeof(struct np_flow_key) == 48, "a flow key is 48 bytes, no hidden padding");

/**
 * Every outcome of key extraction, in one list: X(ENUM, name, explanation).
 * NP_FLOW_PARSE_OK is the only one with a key; the others are drop causes.
 */
#define NP_FLOW_PARSE_RESULTS(X)                                                             \
	X(OK, "ok", "a key was extracted")                                                   \
	X(DROP_TOO_SHORT, "too_short", "shorter than an Ethernet header (14 bytes)")        \
	X(DROP_VLAN_TRUNCATED, "vlan_truncated", "a VLAN tag ends past the frame")          \
	X(DROP_VLAN_TOO_DEEP, "vlan_too_deep", "more than two VLAN tags")                   \
	X(DROP_NOT_IP, "not_ip", "the EtherType is neither IPv4 nor IPv6 (ARP, LLDP, ...)") \
	X(DROP_BAD_IP_VERSION, "bad_ip_version",                                             \
	  "the IP version field does not match the EtherType")                              \
	X(DROP_IPV4_TRUNCATED, "ipv4_truncated", "fewer than 20 bytes of IPv4 header")       \
	X(DROP_IPV4_BAD_IHL, "ipv4_bad_ihl",                                                 \
	  "IPv4 header length below 20 bytes, or its options end past the frame")           \
	X(DROP_IPV4_BAD_TOTAL_LEN, "ipv4_bad_total_len",                                     \
	  "IPv4 total length below the header length, or past the end of the frame")        \
	X(DROP_IPV6_TRUNCATED, "ipv6_truncated", "fewer than 40 bytes of IPv6 header")       \
	X(DROP_IPV6_BAD_PAYLOAD_LEN, "ipv6_bad_payload_len",                                 \
	  "IPv6 payload length past the end of the frame, or 0 (jumbogram)")                \
	X(DROP_IPV6_EXT_TRUNCATED, "ipv6_ext_truncated",                                     \
	  "an IPv6 extension header ends past the payload")                                 \
	X(DROP_IPV6_EXT_UNSUPPORTED, "ipv6_ext_unsupported",                                 \
	  "an IPv6 extension header this parser does not walk (Mobility, HIP, Shim6, 253, 254)") \
	X(DROP_IPV6_EXT_TOO_MANY, "ipv6_ext_too_many",                                       \
	  "more than NP_FLOW_MAX_IPV6_EXT IPv6 extension headers")                          \
	X(DROP_L4_TRUNCATED, "l4_truncated",                                                 \
	  "the TCP (20), UDP (8) or SCTP (12 bytes) header ends past the IP payload")       \
	X(DROP_SEGMENTED, "segmented",                                                       \
	  "the headers continue in the next mbuf segment (only the first is parsed)")

/** Outcome of key extraction: NP_FLOW_PARSE_OK or a drop cause. */
enum np_flow_parse {
#define NP__FLOW_PARSE_ENUM(e, name, doc) NP_FLOW_PARSE_##e,
	NP_FLOW_PARSE_RESULTS(NP__FLOW_PARSE_ENUM)
#undef NP__FLOW_PARSE_ENUM
	NP_FLOW_PARSE_COUNT   /**< Number of outcomes (for per-cause counter arrays). */
};

static_assert(NP_FLOW_PARSE_COUNT <= 256, "outcomes fit the uint8_t of the burst wrapper");

/**
 * Short name of an outcome ("too_short"), for counters and telemetry.
 *
 * @param r
 *   The outcome.
 * @return The name, or "unknown" for a value out of range.
 */
const char *np_flow_parse_name(enum np_flow_parse r);

/**
 * One-line explanation of an outcome, for reports.
 *
 * @param r
 *   The outcome.
 * @return The explanation, or "unknown outcome" for a value out of range.
 */
const char *np_flow_parse_doc(enum np_flow_parse r);

/**
 * Extract the key of one Ethernet frame.
 *
 * Reads only bytes [0, len) of @p frame, whatever they hold. Ethernet
 * padding after the IP datagram is ignored (IPv4 total length, IPv6
 * payload length bound the parse).
 *
 * @param frame
 *   The frame, from its destination MAC; may be NULL when @p len is 0.
 * @param len
 *   Bytes readable at @p frame.
 * @param key
 *   Out: the key; all zero unless the result is NP_FLOW_PARSE_OK.
 * @return
 *   NP_FLOW_PARSE_OK with @p key filled, or the drop cause (never
 *   NP_FLOW_PARSE_DROP_SEGMENTED: that is the burst wrapper's).
 */
enum np_flow_parse np_flow_key_extract(const uint8_t *frame, uint32_t len, struct np_flow_key *key);

/**
 * Extract the keys of a burst of mbufs, from each one's first segment.
 *
 * A frame whose headers end inside its first segment is parsed exactly as
 * np_flow_key_extract() parses its bytes; a frame whose headers would
 * continue into the next segment is NP_FLOW_PARSE_DROP_SEGMENTED (not copied
 * together: DPDK's receive path keeps headers in the first segment).
 * Lengths are validated against pkt_len, reads bounded by data_len.
 *
 * @param pkts
 *   @p n mbufs (read only).
 * @param n
 *   Burst size.
 * @param keys
 *   Out: @p n keys.
 * @param results
 *   Out: @p n outcomes (enum np_flow_parse values).
 * @return
 *   How many frames have a key (results[i] == NP_FLOW_PARSE_OK).
 */
unsigned int np_flow_key_extract_burst(struct rte_mbuf *const *pkts, unsigned int n,
				       struct np_flow_key *keys, uint8_t *results);

/* ---- home node --------------------------------------------------------------- */

/*
 * Which node's table holds a flow. The home is a pure function of the key
 * and of the node of the port the packet came in on: every worker of every
 * node computes the same answer with no directory to look up or keep
 * coherent. Two built-ins, and the trade-off between them:
 *
 *  - np_flow_home_ingress(): the node of the ingress port. A packet is
 *    handled on the node where it arrived, so nothing crosses nodes and no
 *    handoff is paid. But the two directions of a conversation that enter
 *    on ports of different nodes get two independent entries, one per
 *    node: right for per-direction counters, wrong for state that both
 *    directions must see (TCP tracking, NAT, a firewall's pinhole). Every
 *    packet of one direction on one port meets the same entry.
 *  - np_flow_home_symmetric(): a hash of the 5-tuple that gives the same
 *    value for both directions (the endpoints are put in a canonical order
 *    first), spread over the nodes with tables. One entry per
 *    conversation, both directions meet there; the price is that on N
 *    nodes about (N-1)/N of the packets are handed to another node's
 *    executor (an inter-socket transfer plus the ring), and a flow's state
 *    cannot follow its traffic. Fragments (ports 0) land where their
 *    3-tuple hashes, which may differ from the 5-tuple's node.
 *
 * A custom function has the same signature and the same duty: pure, and one
 * of nodes->node[] as its answer.
 */

/** Largest number of nodes with flow tables (DPDK's socket limit). */
#define NP_FLOW_MAX_NODES RTE_MAX_NUMA_NODES

/** The nodes that have a flow table, in the order given to np_flow_home_init(). */
struct np_flow_nodes {
	unsigned int n;                     /**< How many, 1..NP_FLOW_MAX_NODES. */
	int node[NP_FLOW_MAX_NODES];        /**< Their ids. */
};

/**
 * A home function.
 *
 * @param key
 *   The flow's key.
 * @param ingress_node
 *   The node of the port the packet came in on (NP_NODE_UNKNOWN if the
 *   port's node is unknown).
 * @param nodes
 *   The nodes with tables.
 * @param arg
 *   The pointer given to np_flow_home_init().
 * @return
 *   One of nodes->node[].
 */
typedef int (*np_flow_home_fn)(const struct np_flow_key *key, int ingress_node,
			       const struct np_flow_nodes *nodes, void *arg);

/**
 * Built-in: the ingress port's node when it has a table; otherwise (a port
 * on a node without workers, or of unknown node) np_flow_home_symmetric().
 *
 * @param key
 *   The flow's key.
 * @param ingress_node
 *   The node of the port the packet came in on.
 * @param nodes
 *   The nodes with tables.
 * @param arg
 *   Passed on to np_flow_home_symmetric(), which ignores it.
 * @return
 *   One of nodes->node[].
 */
int np_flow_home_ingress(const struct np_flow_key *key, int ingress_node,
			 const struct np_flow_nodes *nodes, void *arg);

/**
 * Built-in: nodes->node[np_flow_key_hash_symmetric(key) spread over nodes->n]
 * (multiply-shift: uniform, no division).
 *
 * @param key
 *   The flow's key.
 * @param ingress_node
 *   Ignored.
 * @param nodes
 *   The nodes with tables.
 * @param arg
 *   Ignored.
 * @return
 *   One of nodes->node[].
 */
int np_flow_home_symmetric(const struct np_flow_key *key, int ingress_node,
			   const struct np_flow_nodes *nodes, void *arg);

/**
 * A 32-bit hash of @p key that is the same for the key of the reverse
 * direction (source and destination address and port swapped): CRC32-C
 * of the key with its endpoints in canonical order.
 *
 * @param key
 *   The key.
 * @return
 *   The hash.
 */
uint32_t np_flow_key_hash_symmetric(const struct np_flow_key *key);

/** A home policy: the function, its argument, the nodes it chooses from. */
struct np_flow_home {
	np_flow_home_fn fn;         /**< Called per flow. */
	void *arg;                  /**< Its argument. */
	struct np_flow_nodes nodes; /**< Nodes with tables. */
};

/**
 * Set up a home policy.
 *
 * @param h
 *   Filled.
 * @param fn
 *   np_flow_home_ingress, np_flow_home_symmetric or the application's.
 * @param arg
 *   Passed to @p fn.
 * @param nodes
 *   Ids of the nodes with tables, distinct, each 0..NP_FLOW_MAX_NODES-1.
 * @param n
 *   How many, 1..NP_FLOW_MAX_NODES.
 * @return
 *   0, or -EINVAL (NULL argument, n out of range, a node out of range or
 *   given twice), with np_last_error() saying which.
 */
int np_flow_home_init(struct np_flow_home *h, np_flow_home_fn fn, void *arg,
		      const int *nodes, unsigned int n);

/**
 * The home node of @p key arriving on a port of @p ingress_node.
 *
 * @param h
 *   The policy (np_flow_home_init()).
 * @param key
 *   The flow's key.
 * @param ingress_node
 *   The node of the port the packet came in on (NP_NODE_UNKNOWN if unknown).
 * @return
 *   What the policy's function answers: one of its nodes.
 */
static inline int
np_flow_home(const struct np_flow_home *h, const struct np_flow_key *key, int ingress_node)
{
	return h->fn(key, ingress_node, &h->nodes, h->arg);
}

#ifdef __cplusplus
}
#endif

#endif /* NP_FLOW_KEY_H */
