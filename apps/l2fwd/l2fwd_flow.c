/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * numaperf-l2fwd --flows N: the stateful forwarder. Three stages before the
 * MAC stage:
 *
 *   flow-gen    the generator: each packet becomes a packet of flow f, drawn
 *               uniformly or Zipf-skewed from N flows (its IPv4 source
 *               address and UDP source port say which), so N flows pass even
 *               though only the seeded packets circulate;
 *   flow-steer  its 5-tuple key (a malformed frame is dropped under its own
 *               cause) and its home node (np_flow_home(): a symmetric hash
 *               of the 5-tuple over the nodes with tables, or the ingress
 *               port's node); a packet whose home is another node leaves
 *               for that node's executor (NP_VERDICT_NODE);
 *   flow-count  on the home node: find or create the flow in that node's
 *               table and count its packets and bytes; check that the
 *               packet is on its home node and crossed at most once.
 *
 * Every context is on its lcore's node; the tables are the runtime's, one
 * per node, made on that node (np_runtime_flow_tables()).
 */
#include <math.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "l2fwd.h"
#include "np_flow_worker.h"
#include "np_pipeline_worker.h"

/* Filled by main() before the pipeline is created; each init copies it. */
static struct l2fwd_flow_params params;

void
l2fwd_flow_set_params(const struct l2fwd_flow_params *p)
{
	params = *p;
}

/* ---- flow-gen ------------------------------------------------------------------ */

struct gen_ctx {
	struct l2fwd_flow_params p;
	uint64_t rng;
	/* Zipf by rejection-inversion (Hormann and Derflinger): constants per exponent. */
	double h_x1, h_n, s;
};

static inline uint64_t
next_rng(uint64_t *x)
{
	/* xorshift64*: fast, per lcore, no shared state. */
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 0x2545F4914F6CDD1DULL;
}

static inline double
uniform01(uint64_t *x)
{
	return (double)(next_rng(x) >> 11) * (1.0 / 9007199254740992.0);
}

/* log1p(x) / x and expm1(x) / x, stable near 0. */
static double
helper1(double x)
{
	return fabs(x) > 1e-8 ? log1p(x) / x : 1.0 - x / 2.0 + x * x / 3.0;
}

static double
helper2(double x)
{
	return fabs(x) > 1e-8 ? expm1(x) / x : 1.0 + x / 2.0 + x * x / 6.0;
}

static double
h_int(double x, double e)
{
	double lx = log(x);

	return helper2((1.0 - e) * lx) * lx;
}

static double
h(double x, double e)
{
	return exp(-e * log(x));
}

static double
h_int_inv(double x, double e)
{
	double t = x * (1.0 - e);

	if (t < -1.0)
		t = -1.0;
	return exp(helper1(t) * x);
}

/* A flow id in [0, n): uniform, or Zipf with exponent e (P(k) ~ 1/k^e). */
static inline uint32_t
draw(struct gen_ctx *c)
{
	double e = c->p.zipf;
	uint32_t n = c->p.n_flows;

	if (e <= 0.0)
		return (uint32_t)(next_rng(&c->rng) % n);
	for (;;) {
		double u = c->h_n + uniform01(&c->rng) * (c->h_x1 - c->h_n);
		double x = h_int_inv(u, e);
		double k = floor(x + 0.5);

		if (k < 1.0)
			k = 1.0;
		else if (k > n)
			k = n;
		if (k - x <= c->s || u >= h_int(k + 0.5, e) - h(k, e))
			return (uint32_t)k - 1;
	}
}

static int
gen_init(void *ctx, const struct np_stage_lcore *where, void *arg)
{
	struct gen_ctx *c = ctx;
	double e;

	(void)arg;
	c->p = params;
	c->rng = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)where->lcore << 32) ^ c->p.seed;
	e = c->p.zipf;
	if (e > 0.0) {
		c->h_x1 = h_int(1.5, e) - 1.0;
		c->h_n = h_int((double)c->p.n_flows + 0.5, e);
		c->s = 2.0 - h_int_inv(h_int(2.5, e) - h(2.0, e), e);
	}
	return 0;
}

/* Rewrite an IPv4/UDP frame (as seeded) as a packet of flow @p f. */
static inline void
set_flow(struct rte_mbuf *m, uint32_t f)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	if (unlikely(m->data_len < sizeof(*eth) + sizeof(*ip) + sizeof(*udp) ||
		     eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4)))
		return; /* not ours: flow-steer drops it under its cause */
	/* 10.x.y.z carries the flow's high bits, the source port its low 16. */
	ip->src_addr = rte_cpu_to_be_32(0x0a000000u | (f >> 16));
	udp->src_port = rte_cpu_to_be_16((uint16_t)(f & 0xffff));
}

static void
gen_process(void *ctx, struct np_burst *b)
{
	struct gen_ctx *c = ctx;

	for (uint16_t i = 0; i < b->n; i++) {
		/* A packet keeps its flow while it crosses nodes: only fresh ones draw. */
		if (np_pkt_meta(b, b->pkts[i])->handoffs == 0)
			set_flow(b->pkts[i], draw(c));
	}
}

/* ---- flow-steer ------------------------------------------------------------------ */

struct steer_ctx {
	struct np_flow_home home;
	int port_node[NP_CONFIG_MAX_PORTS];
	struct np_flow_key keys[NP_PIPELINE_MAX_BURST];
	uint8_t result[NP_PIPELINE_MAX_BURST];
};

static int
steer_init(void *ctx, const struct np_stage_lcore *where, void *arg)
{
	struct steer_ctx *c = ctx;

	(void)where;
	(void)arg;
	memcpy(c->port_node, params.port_node, sizeof(c->port_node));
	return np_flow_home_init(&c->home, params.home_fn, NULL, params.nodes, params.n_nodes);
}

static void
steer_process(void *ctx, struct np_burst *b)
{
	struct steer_ctx *c = ctx;
	int ingress = c->port_node[b->in_port];

	np_flow_key_extract_burst(b->pkts, b->n, c->keys, c->result);
	for (uint16_t i = 0; i < b->n; i++) {
		int home;

		if (unlikely(c->result[i] != NP_FLOW_PARSE_OK)) {
			np_burst_verdict(b, i, NP_VERDICT_DROP(np_drop_flow_cause(c->result[i])));
			continue;
		}
		home = np_flow_home(&c->home, &c->keys[i], ingress);
		if (home != b->node)
			np_burst_verdict(b, i, NP_VERDICT_NODE(home));
	}
}

/* ---- flow-count ------------------------------------------------------------------ */

struct flow_state {
	uint64_t pkts;
	uint64_t bytes;
};

struct count_ctx {
	np_flow_table *table;          /* this node's */
	unsigned int lcore;
	uint64_t tsc_per_ms;           /* the tables' clock is ms (known before EAL) */
	struct np_flow_home home;
	int port_node[NP_CONFIG_MAX_PORTS];
	uint64_t migrated;             /* packets that crossed to get here */
	uint64_t crossed_twice;        /* must stay 0 */
	uint64_t wrong_home;           /* must stay 0 */
	uint64_t no_state;             /* the table was full */
	struct np_flow_key keys[NP_FLOW_BURST_MAX];
	uint8_t result[NP_FLOW_BURST_MAX];
};

static int
count_init(void *ctx, const struct np_stage_lcore *where, void *arg)
{
	struct count_ctx *c = ctx;

	(void)arg;
	c->lcore = where->lcore;
	c->tsc_per_ms = RTE_MAX(rte_get_tsc_hz() / 1000, (uint64_t)1);
	c->table = (unsigned int)where->node < NP_PIPELINE_MAX_NODES ?
		   params.tables[where->node] : NULL;
	if (c->table == NULL)
		return -ENOENT;
	memcpy(c->port_node, params.port_node, sizeof(c->port_node));
	if (np_flow_home_init(&c->home, params.home_fn, NULL, params.nodes, params.n_nodes) < 0)
		return -EINVAL;
	return np_flow_reader_register(c->table, c->lcore);
}

static void
count_fini(void *ctx, void *arg)
{
	struct count_ctx *c = ctx;

	(void)arg;
	if (c->table != NULL)
		np_flow_reader_unregister(c->table, c->lcore);
}

static void
count_chunk(struct count_ctx *c, struct np_burst *b, uint16_t first, uint16_t n)
{
	const struct np_flow_key *kp[NP_FLOW_BURST_MAX];
	void *states[NP_FLOW_BURST_MAX];
	int ingress = c->port_node[b->in_port];

	np_flow_key_extract_burst(b->pkts + first, n, c->keys, c->result);
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = b->pkts[first + i];
		uint16_t handoffs = np_pkt_meta(b, m)->handoffs;

		kp[i] = &c->keys[i];
		c->migrated += handoffs > 0;
		c->crossed_twice += handoffs > 1;
		if (np_flow_home(&c->home, &c->keys[i], ingress) != b->node)
			c->wrong_home++;
	}
	/* Find or create, under the table's lock once for the chunk. */
	np_flow_add_burst(c->table, c->lcore, kp, n, b->now / c->tsc_per_ms, states, NULL);
	np_burst_count_pair(b, NP_PAIR_FLOW_LOOKUP, b->node, n);
	for (uint16_t i = 0; i < n; i++) {
		struct flow_state *s = states[i];

		if (unlikely(s == NULL)) {
			c->no_state++;
			continue;
		}
		s->pkts++;
		s->bytes += b->pkts[first + i]->pkt_len;
	}
}

static void
count_process(void *ctx, struct np_burst *b)
{
	for (uint16_t i = 0; i < b->n; i += NP_FLOW_BURST_MAX) {
		uint16_t n = (uint16_t)RTE_MIN((unsigned int)(b->n - i), (unsigned int)NP_FLOW_BURST_MAX);

		count_chunk(ctx, b, i, n);
	}
}

/* Each loop: a bounded slice of aging, and a quiescent state for the RCU. */
static void
count_tick(void *ctx, uint64_t now)
{
	struct count_ctx *c = ctx;

	np_flow_age(c->table, c->lcore, now / c->tsc_per_ms, 64);
	np_flow_quiescent(c->table, c->lcore);
}

static struct np_stage gen_stage = {
	.name = L2FWD_FLOW_GEN, .process = gen_process, .ctx_size = sizeof(struct gen_ctx),
	.init = gen_init,
};
static struct np_stage steer_stage = {
	.name = L2FWD_FLOW_STEER, .process = steer_process, .ctx_size = sizeof(struct steer_ctx),
	.init = steer_init,
};
static struct np_stage count_stage = {
	.name = L2FWD_FLOW_COUNT, .process = count_process, .ctx_size = sizeof(struct count_ctx),
	.init = count_init, .fini = count_fini, .tick = count_tick,
	.uses_now = true,   /* each flow's last-seen time */
};
NP_STAGE_REGISTER(gen_stage);
NP_STAGE_REGISTER(steer_stage);
NP_STAGE_REGISTER(count_stage);

/* What the flow-count contexts saw, summed over the workers. */
void
l2fwd_flow_checks(np_pipeline *pl, unsigned int stage, struct l2fwd_flow_checks *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned int i = 0; i < np_pipeline_lcore_count(pl); i++) {
		const struct count_ctx *c = np_pipeline_stage_ctx(pl, i, stage);

		if (c == NULL)
			continue;
		out->migrated += c->migrated;
		out->crossed_twice += c->crossed_twice;
		out->wrong_home += c->wrong_home;
		out->no_state += c->no_state;
	}
}
