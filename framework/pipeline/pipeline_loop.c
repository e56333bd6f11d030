/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker loop: RX bursts, the stages, TX buffered per port; and run,
 * stop and the drain at stop. Everything the loop reads is in its
 * lcore_ctx, on the worker's node.
 */
/* rte_vect_get_max_simd_bitwidth() (EAL --force-max-simd-bitwidth) is experimental in 22.11. */
#define ALLOW_EXPERIMENTAL_API

#include <assert.h>
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_vect.h>

#include "np_counter_worker.h"
#include "np_error_private.h"
#include "np_exec_worker.h"
#include "pipeline_private.h"

/* The framework's one per-lcore counter increment (np_counter_worker.h). */
#define CNT_ADD(x, n) np_counter_u64_add(&(x), (n))

/* Packets a loop iteration frees: at most every packet of one RX burst. */
struct freeset {
	uint16_t n;
	struct rte_mbuf *pkts[NP_PIPELINE_MAX_BURST];
};

#define META(c, m) RTE_MBUF_DYNFIELD((m), (c)->meta_offset, struct np_pkt_meta *)

/*
 * The time packets leave, for latency: a TSC read, kept as the start of the
 * next loop iteration (its RX stamp) when nothing reads the clock between
 * (a read costs tens of cycles; a busy loop then reads it once per TX burst).
 */
static inline uint64_t
leave_tsc(struct lcore_ctx *c)
{
	c->tsc_last = rte_rdtsc();
	return c->tsc_last;
}

/* Latency: record the run record_run() left waiting, if any. */
static inline void
record_settle(struct lcore_ctx *c)
{
	if (c->pend.h != NULL) {
		np_hist_record_n(c->pend.h, c->pend.v, c->pend.n);
		c->pend.h = NULL;
	}
}

/*
 * Latency: @p n packets received at @p rx_tsc on @p in_port leave now.
 * Recorded one run late: this run waits in c->pend while the previous one
 * goes into its histogram. Recorded at once, right before the TX call,
 * recording cost 3.4% of a forwarding loop, about 1% so (bench-graph
 * --engines np,np-latency, side by side in one process; the TSC read alone
 * 0.4%). Likely why: the bucket's address depends on the TSC read just made
 * (tens of cycles), and the TX call waited behind that store.
 * What waits is recorded by the next run, an idle iteration or the loop's
 * end: a reader sees at most one run late, never one lost.
 */
static inline void
record_run(struct lcore_ctx *c, uint16_t in_port, uint64_t rx_tsc, uint16_t n, uint64_t now)
{
	if (likely(in_port < c->n_ports)) {
		record_settle(c);
		c->pend.h = c->hist[in_port];
		c->pend.v = now > rx_tsc ? now - rx_tsc : 0;
		c->pend.n = n;
	}
}

/*
 * Latency: @p n packets leave now (refused or dropped), each with its
 * stamp and input port in its metadata: only where packets were handed off
 * (handoff rings, executors), the only paths that write it. Packets of one
 * RX burst share their stamp and input port: one histogram update per run
 * of them, read before the packets are freed.
 */
static inline void
record_leave(struct lcore_ctx *c, struct rte_mbuf **m, uint16_t n)
{
	uint64_t now;
	uint16_t i = 0;

	if (!c->latency || n == 0)
		return;
	now = leave_tsc(c);
	while (i < n) {
		const struct np_pkt_meta *meta = META(c, m[i]);
		uint64_t t = meta->rx_tsc;
		uint16_t port = meta->in_port, k = 1;

		while (i + k < n && META(c, m[i + k])->rx_tsc == t &&
		       META(c, m[i + k])->in_port == port)
			k++;
		record_run(c, port, t, k, now);
		i += k;
	}
}

/* Where each of @p n mbufs came from, by its pool pointer (mbufs read). */
static __rte_noinline void
count_pools(struct lcore_ctx *c, const struct rxq *q, struct rte_mbuf **m, uint16_t n)
{
	struct rte_mempool *expect = q->pool < c->n_pools ? c->pools[q->pool] : NULL;
	uint16_t same = 0;

	for (uint16_t i = 0; i < n; i++) {
		unsigned int k;

		if (likely(m[i]->pool == expect)) {
			same++;
			continue;
		}
		for (k = 0; k < c->n_pools && c->pools[k] != m[i]->pool; k++)
			;
		CNT_ADD(c->cnt->pool_pkts[q->port][k < c->n_pools ? k : POOL_OTHER], 1);
	}
	CNT_ADD(c->cnt->pool_pkts[q->port][q->pool], same);
}

/*
 * Whether all @p n mbuf addresses are in the queue's pool range, several at
 * a time in vector registers (GCC vector extensions: SSE on x86-64, NEON on
 * arm64; with @p wide, in the loop's AVX2 copy, four to a register), no
 * mbuf read. The unsigned test p - base < len is one signed compare once
 * both sides are offset by 2^63: (p - (base + 2^63)) < (len + 2^63) as
 * int64_t.
 */
typedef int64_t np_v2s __attribute__((vector_size(16)));
typedef int64_t np_v4s __attribute__((vector_size(32)));

static __rte_always_inline bool
in_pool_range(const struct rxq *q, struct rte_mbuf *const *m, uint16_t n, const bool wide)
{
	const uint64_t bias = UINT64_C(1) << 63;
	const int64_t b = (int64_t)((uint64_t)q->pool_base + bias);
	const int64_t l = (int64_t)((uint64_t)q->pool_len + bias);
	int64_t in = -1;
	unsigned int i = 0;

	static_assert(sizeof(uintptr_t) == sizeof(int64_t), "64-bit addresses");
	if (wide) {
		const np_v4s bb = { b, b, b, b }, ll = { l, l, l, l };
		np_v4s in0 = { -1, -1, -1, -1 }, in1 = in0, in2 = in0, in3 = in0;

		for (; i + 16 <= n; i += 16) {
			np_v4s p0, p1, p2, p3;

			memcpy(&p0, &m[i], sizeof(p0));
			memcpy(&p1, &m[i + 4], sizeof(p1));
			memcpy(&p2, &m[i + 8], sizeof(p2));
			memcpy(&p3, &m[i + 12], sizeof(p3));
			in0 &= (np_v4s)(ll > p0 - bb);   /* all ones where inside */
			in1 &= (np_v4s)(ll > p1 - bb);
			in2 &= (np_v4s)(ll > p2 - bb);
			in3 &= (np_v4s)(ll > p3 - bb);
		}
		in0 &= in1 & in2 & in3;
		in &= in0[0] & in0[1] & in0[2] & in0[3];
	} else {
		const np_v2s bb = { b, b }, ll = { l, l };
		np_v2s in0 = { -1, -1 }, in1 = { -1, -1 }, in2 = { -1, -1 }, in3 = { -1, -1 };

		for (; i + 8 <= n; i += 8) {
			np_v2s p0, p1, p2, p3;

			memcpy(&p0, &m[i], sizeof(p0));
			memcpy(&p1, &m[i + 2], sizeof(p1));
			memcpy(&p2, &m[i + 4], sizeof(p2));
			memcpy(&p3, &m[i + 6], sizeof(p3));
			in0 &= (np_v2s)(ll > p0 - bb);
			in1 &= (np_v2s)(ll > p1 - bb);
			in2 &= (np_v2s)(ll > p2 - bb);
			in3 &= (np_v2s)(ll > p3 - bb);
		}
		in0 &= in1 & in2 & in3;
		in &= in0[0] & in0[1];
	}
	for (; i < n; i++)
		in &= (int64_t)((uint64_t)(uintptr_t)m[i] - (uint64_t)b) < l ? -1 : 0;
	return in == -1;
}

/*
 * At RX: where the mbufs came from, and with handoff rings or executors the
 * packet's metadata (latency alone needs none: TX buffers keep the bursts'
 * stamps). Almost always every mbuf is from the queue's own pool: told by
 * an address compare each, on the burst's pointer array, without reading
 * the mbufs (reading each one's pool pointer measured up to 5% of a
 * forwarding loop in one run of bench-graph --engines np,bare, though runs
 * in other processes moved by as much). Any other burst is counted mbuf by
 * mbuf.
 */
static __rte_always_inline void
on_rx(struct lcore_ctx *c, const struct rxq *q, struct rte_mbuf **m, uint16_t n,
      uint64_t now, const bool plain, const bool wide)
{
	if (likely(in_pool_range(q, m, n, wide)))
		CNT_ADD(c->cnt->pool_pkts[q->port][q->pool], n);
	else
		count_pools(c, q, m, n);
	/* A received packet starts afresh: its stamp, its port, no crossing yet. */
	if (!plain && (c->handoff || c->exec != NULL))
		for (uint16_t i = 0; i < n; i++) {
			struct np_pkt_meta *meta = META(c, m[i]);

			meta->rx_tsc = now;
			meta->in_port = q->port;
			meta->handoffs = 0;
		}
}

static inline void
drop(struct lcore_ctx *c, struct freeset *f, struct rte_mbuf *m, unsigned int stage,
     unsigned int cause, uint16_t in_port)
{
	f->pkts[f->n++] = m;
	CNT_ADD(c->cnt->drops[stage][cause], 1);
	CNT_ADD(c->cnt->port[in_port][NP_PORT_DROPPED], 1);
}

static void
tx_flush(struct lcore_ctx *c, struct txbuf *t)
{
	uint16_t sent;

	if (c->latency) {
		uint64_t now = leave_tsc(c);

		for (uint16_t r = 0; r < t->n_runs; r++)
			record_run(c, t->runs[r].in_port, t->runs[r].rx_tsc, t->runs[r].n, now);
	}
	t->n_runs = 0;
	sent = rte_eth_tx_burst(t->port_id, t->queue, t->pkts, t->len);

	CNT_ADD(c->cnt->lcore[NP_LCORE_TX_BURSTS], 1);
	CNT_ADD(c->cnt->port[t->port][NP_PORT_TX], sent);
	if (unlikely(sent < t->len)) {
		/* The queue is full: free and count, never wait on it. */
		rte_pktmbuf_free_bulk(t->pkts + sent, t->len - sent);
		CNT_ADD(c->cnt->port[t->port][NP_PORT_TX_REFUSED], t->len - sent);
		CNT_ADD(c->cnt->drops[c->n_stages][NP_DROP_TX_REFUSED], t->len - sent);
	}
	t->len = 0;
}

/*
 * Buffer @p n packets for port @p t, received at @p rx_tsc on @p in_port; a
 * full burst goes out at once.
 */
static __rte_always_inline void
tx_put(struct lcore_ctx *c, struct txbuf *t, struct rte_mbuf **m, uint16_t n,
       uint16_t in_port, uint64_t rx_tsc)
{
	if (t->len == 0 && n >= c->burst) {
		/* A whole burst and nothing waiting: send it without copying. */
		uint16_t sent;

		if (c->latency)
			record_run(c, in_port, rx_tsc, n, leave_tsc(c));
		sent = rte_eth_tx_burst(t->port_id, t->queue, m, n);

		CNT_ADD(c->cnt->lcore[NP_LCORE_TX_BURSTS], 1);
		CNT_ADD(c->cnt->port[t->port][NP_PORT_TX], sent);
		if (unlikely(sent < n)) {
			rte_pktmbuf_free_bulk(m + sent, n - sent);
			CNT_ADD(c->cnt->port[t->port][NP_PORT_TX_REFUSED], n - sent);
			CNT_ADD(c->cnt->drops[c->n_stages][NP_DROP_TX_REFUSED], n - sent);
		}
		return;
	}
	if (t->len + n > TXBUF_CAP)
		tx_flush(c, t);
	if (t->len == 0)
		t->since = 0;   /* flush_all() starts the drain timer */
	if (c->latency) {
		struct stamp_run *r = &t->runs[t->n_runs - (t->n_runs > 0)];

		if (t->n_runs > 0 && r->rx_tsc == rx_tsc && r->in_port == in_port) {
			r->n += n;
		} else {
			r = &t->runs[t->n_runs++];
			r->rx_tsc = rx_tsc;
			r->in_port = in_port;
			r->n = n;
		}
	}
	memcpy(&t->pkts[t->len], m, n * sizeof(*m));
	t->len += n;
	if (t->len >= c->burst)
		tx_flush(c, t);
}

static void
ho_flush(struct lcore_ctx *c, struct hobuf *h)
{
	unsigned int done = rte_ring_enqueue_burst(h->ring, (void **)h->pkts, h->len, NULL);

	if (unlikely(done < h->len)) {
		/* Congestion: the consumer node is behind. Count, never block (VPP handoff). */
		record_leave(c, h->pkts + done, (uint16_t)(h->len - done));
		for (unsigned int i = done; i < h->len; i++) {
			struct np_pkt_meta *meta = META(c, h->pkts[i]);

			CNT_ADD(c->cnt->port[meta->out_port][NP_PORT_DROPPED], 1);
		}
		rte_pktmbuf_free_bulk(h->pkts + done, h->len - done);
		CNT_ADD(c->cnt->drops[c->n_stages][NP_DROP_HANDOFF_FULL], h->len - done);
	}
	h->len = 0;
}

/*
 * Packets for port @p port: this lcore's TX queue, or the handoff ring.
 * @p plain: a plain worker's loop (run_loop()), which has no handoff ring.
 */
static __rte_always_inline void
send_port(struct lcore_ctx *c, struct freeset *f, uint16_t port, struct rte_mbuf **m,
	  uint16_t n, uint16_t in_port, uint64_t rx_tsc, const bool plain)
{
	if (!plain && c->handoff) {
		struct hobuf *h = c->ho_of_port[port];

		if (unlikely(h == NULL))
			goto no_route;
		if (h->len + n > TXBUF_CAP)
			ho_flush(c, h);
		for (uint16_t i = 0; i < n; i++) {
			struct np_pkt_meta *meta = META(c, m[i]);

			meta->out_port = port;
			meta->handoffs++;
			h->pkts[h->len++] = m[i];
		}
		CNT_ADD(c->cnt->port[port][NP_PORT_HANDOFF_OUT], n);
		return;
	}
	if (likely(c->tx[port] != NULL)) {
		tx_put(c, c->tx[port], m, n, in_port, rx_tsc);
		return;
	}
no_route:
	for (uint16_t i = 0; i < n; i++)
		drop(c, f, m[i], c->n_stages, NP_DROP_NO_ROUTE, in_port);
}

/*
 * Submit what is buffered for one node's executor: one burst. What its ring
 * refuses was freed by the executor (and counted by node pair there): count
 * it here as drops too, with its latency, from metadata read before.
 */
static void
ex_flush(struct lcore_ctx *c, struct exbuf *x)
{
	uint64_t tsc[TXBUF_CAP];
	uint16_t in_port[TXBUF_CAP];
	unsigned int taken;
	uint16_t n = x->len;

	for (uint16_t i = 0; i < n; i++) {
		const struct np_pkt_meta *meta = META(c, x->pkts[i]);

		tsc[i] = meta->rx_tsc;
		in_port[i] = meta->in_port;
	}
	taken = np_exec_submit_burst(c->exec, c->lcore, x->node, x->pkts, n);
	CNT_ADD(c->cnt->pair[NP_PAIR_HANDOFF][x->node], taken);
	if (unlikely(taken < n)) {
		/* Only latency reads the clock here: tsc_last stays 0 otherwise (run_loop()). */
		uint64_t now = c->latency ? leave_tsc(c) : 0;

		CNT_ADD(c->cnt->drops[c->n_stages][NP_DROP_EXEC_FULL], n - taken);
		for (uint16_t i = (uint16_t)taken; i < n; i++) {
			CNT_ADD(c->cnt->port[in_port[i]][NP_PORT_DROPPED], 1);
			if (c->latency)
				record_run(c, in_port[i], tsc[i], 1, now);
		}
	}
	x->len = 0;
}

/* Continue on node @p node: its executor, at the stage after @p stage. */
static inline void
to_node(struct lcore_ctx *c, struct freeset *f, struct rte_mbuf *m, unsigned int node,
	unsigned int stage, uint16_t in_port)
{
	struct np_pkt_meta *meta;
	struct exbuf *x;

	if (unlikely(node >= NP_PIPELINE_MAX_NODES || c->exidx[node] < 0)) {
		drop(c, f, m, stage, NP_DROP_NO_EXECUTOR, in_port);
		return;
	}
	x = &c->exbufs[c->exidx[node]];
	if (x->len == TXBUF_CAP)
		ex_flush(c, x);
	meta = META(c, m);
	meta->stage = (uint16_t)(stage + 1);
	meta->in_port = in_port;
	meta->handoffs++;
	x->pkts[x->len++] = m;
}

static inline void
dispatch(struct lcore_ctx *c, struct freeset *f, struct rte_mbuf *m, uint16_t v,
	 unsigned int stage, uint16_t in_port, uint64_t rx_tsc)
{
	unsigned int arg = v & NP__VERDICT_ARG;

	switch (v & NP__VERDICT_KIND) {
	case NP__VERDICT_PORT:
		if (likely(arg < c->n_ports))
			send_port(c, f, (uint16_t)arg, &m, 1, in_port, rx_tsc, false);
		else
			drop(c, f, m, stage, NP_DROP_BAD_VERDICT, in_port);
		break;
	case NP__VERDICT_NODE:
		to_node(c, f, m, arg, stage, in_port);
		break;
	default:
		drop(c, f, m, stage, arg < NP_DROP_N ? arg : NP_DROP_BAD_VERDICT, in_port);
		break;
	}
}

/*
 * Whether every packet of the burst is still "next": one OR per eight
 * verdicts in a vector register (sixteen with @p wide, the AVX2 copy). Most
 * stages set no verdict on most bursts, and then the burst goes on whole,
 * with no compaction pass over it. @p verdict has NP_PIPELINE_MAX_BURST
 * entries (a multiple of 16), and those from @p n on are NEXT too: no stage
 * sets them, run_stages() never does (a stage that did would only send its
 * bursts down the slow path).
 */
static __rte_always_inline bool
all_next(const uint16_t *verdict, uint16_t n, const bool wide)
{
	static_assert(NP_PIPELINE_MAX_BURST % 16 == 0, "whole vectors of verdicts");
	if (wide) {
		np_v4s acc = { 0, 0, 0, 0 };

		for (unsigned int i = 0; i < n; i += 16) {
			np_v4s w;

			memcpy(&w, &verdict[i], sizeof(w));
			acc |= w;
		}
		return (acc[0] | acc[1] | acc[2] | acc[3]) == 0;
	} else {
		np_v2s acc = { 0, 0 };

		for (unsigned int i = 0; i < n; i += 8) {
			np_v2s w;

			memcpy(&w, &verdict[i], sizeof(w));
			acc |= w;
		}
		return (acc[0] | acc[1]) == 0;
	}
}

/*
 * The stages from @p first on one burst of one input port, received at
 * @p rx_tsc, then the default route (the port's peer) for what is left.
 * @p verdict is all NP_VERDICT_NEXT (zero) on entry, and is left so: a
 * burst no stage set a verdict in costs no clearing.
 */
static __rte_always_inline void
run_stages(struct lcore_ctx *c, struct rte_mbuf **pkts, uint16_t *verdict, uint16_t n,
	   unsigned int first, uint16_t in_port, int16_t peer, uint64_t now, uint64_t rx_tsc,
	   const bool plain, const bool wide)
{
	struct np_burst b = {
		.pkts = pkts, .verdict = verdict, .in_port = in_port,
		.n_ports = (uint16_t)c->n_ports, .lcore = (uint16_t)c->lcore,
		.node = (int16_t)c->node, .meta_offset = c->meta_offset, .now = now,
		.pairs = &c->cnt->pair[0][0],
	};
	struct freeset f;

	f.n = 0;
	for (unsigned int s = first; s < c->n_stages && n > 0; s++) {
		uint16_t k = 0;

		b.n = n;
		c->stage[s].process(c->stage[s].ctx, &b);
		if (likely(all_next(verdict, n, wide)))
			continue;
		for (uint16_t i = 0; i < n; i++) {
			if (likely(verdict[i] == NP_VERDICT_NEXT))
				pkts[k++] = pkts[i];
			else
				dispatch(c, &f, pkts[i], verdict[i], s, in_port, rx_tsc);
		}
		/* Next for every packet again, the dispatched ones' slots too. */
		memset(verdict, 0, n * sizeof(*verdict));
		n = k;
	}
	if (n > 0) {
		if (likely(peer >= 0))
			send_port(c, &f, (uint16_t)peer, pkts, n, in_port, rx_tsc, plain);
		else
			for (uint16_t i = 0; i < n; i++)
				drop(c, &f, pkts[i], c->n_stages, NP_DROP_NO_ROUTE, in_port);
	}
	if (f.n > 0) {
		/* Every packet dropped here came with this burst. */
		if (c->latency)
			record_run(c, in_port, rx_tsc, f.n, leave_tsc(c));
		rte_pktmbuf_free_bulk(f.pkts, f.n);
	}
}

/* Handoff consumer: what other lcores sent for this node's ports. */
static inline unsigned int
drain_ring(struct lcore_ctx *c, struct rte_mbuf **pkts)
{
	unsigned int n = rte_ring_dequeue_burst(c->drain_ring, (void **)pkts, c->burst, NULL);
	struct freeset f;

	f.n = 0;
	for (unsigned int i = 0; i < n; i++) {
		struct np_pkt_meta *meta = META(c, pkts[i]);
		uint16_t port = meta->out_port;

		CNT_ADD(c->cnt->port[port][NP_PORT_HANDOFF_IN], 1);
		if (likely(c->tx[port] != NULL))
			tx_put(c, c->tx[port], &pkts[i], 1, meta->in_port, meta->rx_tsc);
		else
			drop(c, &f, pkts[i], c->n_stages, NP_DROP_NO_ROUTE, meta->in_port);
	}
	if (f.n > 0) {
		record_leave(c, f.pkts, f.n);
		rte_pktmbuf_free_bulk(f.pkts, f.n);
	}
	return n;
}

/*
 * The executor hands this lcore packets other nodes sent here: each run of
 * packets of one input port resuming at one stage goes through the rest of
 * the stages, as if it had been received here.
 */
void
pl_exec_handler(void *ctx, unsigned int lcore, struct rte_mbuf **mbufs, uint16_t n)
{
	np_pipeline *pl = ctx;
	struct lcore_ctx *c = pl->by_lcore[lcore];
	uint64_t now = rte_rdtsc();
	uint16_t i = 0;

	if (unlikely(c == NULL)) {
		/* Not a worker of this pipeline: nothing may run here. Never lost: counted. */
		rte_pktmbuf_free_bulk(mbufs, n);
		return;
	}
	CNT_ADD(c->cnt->lcore[NP_LCORE_EXEC_IN], n);
	while (i < n) {
		const struct np_pkt_meta *meta = META(c, mbufs[i]);
		uint16_t stage = meta->stage, port = meta->in_port, k = 1;
		uint64_t rx_tsc = meta->rx_tsc;

		/* Runs of one input port, one stage to resume at and one RX stamp. */
		while (i + k < n && k < NP_PIPELINE_MAX_BURST &&
		       META(c, mbufs[i + k])->stage == stage &&
		       META(c, mbufs[i + k])->in_port == port &&
		       META(c, mbufs[i + k])->rx_tsc == rx_tsc)
			k++;
		/*
		 * The loop's verdict array: this lcore's loop polled the executor
		 * (np_exec_poll()) between bursts, with the array all NEXT.
		 */
		if (likely(port < c->n_ports))
			run_stages(c, mbufs + i, c->verdict, k, stage, port, c->peer_of[port], now,
				   rx_tsc, false, false);
		else
			rte_pktmbuf_free_bulk(mbufs + i, k);
		i += k;
	}
}

/*
 * The end of an iteration: handoff and executor buffers go out; a TX buffer
 * goes out now without a drain timer, else once its timer has run
 * tx_drain_us. A buffer's timer starts here, at the end of the iteration
 * that put its first packet in (since 0 until then). @p now is the time if
 * the loop reads it every iteration, else 0: the clock is then read only
 * when a buffer holds packets, so a loop whose bursts all go out whole (the
 * busy case) reads no clock for the timer at all.
 */
static __rte_always_inline void
flush_all(struct lcore_ctx *c, uint64_t now, const bool plain)
{
	if (!plain) {
		for (unsigned int i = 0; i < c->n_exbuf; i++)
			if (c->exbufs[i].len > 0)
				ex_flush(c, &c->exbufs[i]);
		for (unsigned int i = 0; i < c->n_hobuf; i++)
			if (c->hobufs[i].len > 0)
				ho_flush(c, &c->hobufs[i]);
	}
	for (unsigned int i = 0; i < c->n_txbuf; i++) {
		struct txbuf *t = &c->txbufs[i];

		if (t->len == 0)
			continue;
		if (c->drain_tsc == 0) {
			tx_flush(c, t);
			continue;
		}
		if (now == 0)
			now = rte_rdtsc();
		if (t->since == 0)
			t->since = now;
		else if (now - t->since >= c->drain_tsc)
			tx_flush(c, t);
	}
}

/*
 * The worker loop. @p plain is a constant: true in the copy for a worker
 * with no handoff ring, no executor and no tick, the common forwarding
 * case, which then tests for none of them anywhere in its burst path; false
 * in the copy for any worker. lcore_loop() picks one at start.
 */
static __rte_always_inline void
run_loop(struct lcore_ctx *c, const bool plain, const bool wide)
{
	struct rte_mbuf **pkts = c->pkts;
	uint16_t *verdict = c->verdict;
	uint64_t now = 0, tsc;
	unsigned int tick = 0;

	while (likely(!c->stop)) {
		unsigned int got = 0;

		/*
		 * A TSC read costs tens of cycles: every iteration only when
		 * latency, a tick or a stage needs the time, else once per 64 for
		 * the deadline (late by at most 63 iterations). The drain timer
		 * reads it only while a TX buffer holds packets (flush_all()).
		 */
		if (c->tsc_every_loop || unlikely((++tick & 63) == 0)) {
			/* The last iteration's last leave time, if any: a few ns ago. */
			tsc = c->tsc_last ? c->tsc_last : rte_rdtsc();
			c->tsc_last = 0;
			if (unlikely(tsc >= c->deadline))
				break;
			now = c->tsc_every_loop ? tsc : 0;
		}
		for (unsigned int i = 0; i < c->n_rxq; i++) {
			const struct rxq *q = &c->rxq[i];
			uint16_t n = rte_eth_rx_burst(q->port_id, q->queue, pkts,
						      (uint16_t)c->burst);

			if (n == 0)
				continue;
			/*
			 * The burst's RX stamp: the leave time a TX burst of this
			 * iteration read last, if any (just before this RX call),
			 * else the iteration's start. Stamping a second queue's
			 * burst with the start would add the first queue's whole
			 * burst to its latency.
			 */
			if (c->tsc_last != 0)
				now = c->tsc_last;
			got += n;
			CNT_ADD(c->cnt->port[q->port][NP_PORT_RX], n);
			on_rx(c, q, pkts, n, now, plain, wide);
			run_stages(c, pkts, verdict, n, 0, q->port, q->peer, now, now, plain, wide);
		}
		if (!plain && c->drain_ring != NULL)
			got += drain_ring(c, pkts);
		if (!plain && c->exec != NULL)
			got += np_exec_poll(c->exec, c->node, c->lcore, c->burst);
		flush_all(c, c->tsc_every_loop ? now : 0, plain);
		if (!plain) {
			for (unsigned int t = 0; t < c->n_ticks; t++)
				c->ticks[t].tick(c->ticks[t].ctx, now);
			/* Ticks may take a while (aging): the next RX stamp is read afresh. */
			if (c->n_ticks > 0)
				c->tsc_last = 0;
		}
		CNT_ADD(c->cnt->lcore[NP_LCORE_LOOPS], 1);
		if (got == 0) {
			CNT_ADD(c->cnt->lcore[NP_LCORE_IDLE_LOOPS], 1);
			record_settle(c);
		}
	}
	record_settle(c);
}

/*
 * The copies are flattened: with three copies of the loop in this file,
 * GCC's growth limits otherwise leave tx_put(), rte_eth_rx_burst() and the
 * like as calls in them. And they are hot: their one caller, lcore_loop(),
 * calls each right after an NP_LOG(), and rte_log() is declared cold, which
 * made GCC take the calls, and so the loops, for code that hardly runs: it
 * put them in .text.unlikely, unaligned, optimized for size.
 */
static __rte_noinline __rte_hot __attribute__((flatten)) void
loop_plain(struct lcore_ctx *c)
{
	run_loop(c, true, false);
}

static __rte_noinline __rte_hot __attribute__((flatten)) void
loop_any(struct lcore_ctx *c)
{
	run_loop(c, false, false);
}

#ifdef RTE_ARCH_X86_64
/* The plain loop compiled for AVX2, as DPDK's own vector paths are. */
static __rte_noinline __rte_hot __attribute__((flatten, target("avx2"))) void
loop_plain_avx2(struct lcore_ctx *c)
{
	run_loop(c, true, true);
}

/* Whether the CPU has AVX2 and EAL allows 256-bit vectors (--force-max-simd-bitwidth). */
static bool
use_avx2(void)
{
	return rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX2) == 1 &&
	       rte_vect_get_max_simd_bitwidth() >= RTE_VECT_SIMD_256;
}
#endif

static int
lcore_loop(void *arg)
{
	np_pipeline *pl = arg;
	struct lcore_ctx *c = pl->by_lcore[rte_lcore_id()];

	if (c == NULL)
		return 0;
	if (!c->handoff && c->drain_ring == NULL && c->exec == NULL && c->n_ticks == 0) {
#ifdef RTE_ARCH_X86_64
		if (use_avx2()) {
			NP_LOG(DEBUG, "lcore %u: the plain loop, AVX2", c->lcore);
			loop_plain_avx2(c);
			return 0;
		}
#endif
		NP_LOG(DEBUG, "lcore %u: the plain loop", c->lcore);
		loop_plain(c);
	} else {
		NP_LOG(DEBUG, "lcore %u: the loop for handoff, executors and ticks", c->lcore);
		loop_any(c);
	}
	return 0;
}

void
np_pipeline_stop(np_pipeline *pl)
{
	if (pl == NULL)
		return;
	/* Each loop reads its own flag, on its own node. */
	for (unsigned int i = 0; i < pl->n_lcores; i++)
		pl->lcores[i]->stop = 1;
}

bool
np_pipeline_stopping(const np_pipeline *pl)
{
	return pl != NULL && pl->n_lcores > 0 && pl->lcores[0]->stop;
}

double
np_pipeline_seconds(const np_pipeline *pl)
{
	return pl ? pl->seconds : 0.0;
}

int
np_pipeline_run(np_pipeline *pl, double seconds)
{
	unsigned int main_lcore = rte_get_main_lcore();
	bool main_works;
	uint64_t t0, deadline = UINT64_MAX;
	int ret = 0;

	if (pl == NULL || seconds < 0)
		return np_fail(EINVAL, "np_pipeline_run: a pipeline and a duration >= 0 are "
			       "required");
	if (pl->running)
		return np_fail(EBUSY, "the pipeline is running already");
	main_works = pl->by_lcore[main_lcore] != NULL;
	t0 = rte_rdtsc();
	if (seconds > 0)
		deadline = t0 + (uint64_t)(seconds * (double)rte_get_tsc_hz());
	for (unsigned int i = 0; i < pl->n_lcores; i++)
		pl->lcores[i]->deadline = deadline;
	/* Every worker but the main lcore, then the main lcore's own loop. */
	for (unsigned int i = 0; i < pl->n_lcores; i++) {
		unsigned int l = pl->lcores[i]->lcore;

		if (l == main_lcore)
			continue;
		ret = rte_eal_remote_launch(lcore_loop, pl, l);
		if (ret < 0) {
			np_fail(-ret, "cannot start the loop on lcore %u: %s", l,
				rte_strerror(-ret));
			np_pipeline_stop(pl);
			break;
		}
	}
	pl->running = true;
	if (ret == 0 && main_works)
		lcore_loop(pl);
	else if (ret == 0)
		/* The main lcore is not a worker: it only waits. */
		while (!np_pipeline_stopping(pl) && rte_rdtsc() < deadline)
			rte_delay_us_sleep(1000);
	for (unsigned int i = 0; i < pl->n_lcores; i++) {
		unsigned int l = pl->lcores[i]->lcore;
		int r;

		if (l == main_lcore)
			continue;
		r = rte_eal_wait_lcore(l);
		if (r != 0 && ret == 0)
			ret = np_fail(EIO, "the loop on lcore %u returned %d", l, r);
	}
	pl->running = false;
	pl->seconds = (double)(rte_rdtsc() - t0) / (double)rte_get_tsc_hz();
	return ret;
}

/* Free @p n packets and count them. */
static uint64_t
free_count(struct rte_mbuf **m, unsigned int n)
{
	if (n > 0)
		rte_pktmbuf_free_bulk(m, n);
	return n;
}

int
np_pipeline_drain(np_pipeline *pl, struct np_pipeline_drain *out)
{
	struct np_pipeline_drain d = { 0 };
	struct rte_mbuf *pkts[NP_PIPELINE_MAX_BURST];

	if (pl == NULL)
		return np_fail(EINVAL, "np_pipeline_drain: a pipeline is required");
	if (pl->running)
		return np_fail(EBUSY, "np_pipeline_drain: the loops are still running");
	for (unsigned int i = 0; i < pl->n_lcores; i++) {
		struct lcore_ctx *c = pl->lcores[i];

		for (unsigned int t = 0; t < c->n_txbuf; t++) {
			uint64_t n = free_count(c->txbufs[t].pkts, c->txbufs[t].len);

			c->txbufs[t].len = 0;
			c->txbufs[t].n_runs = 0;
			d.tx_buffers += n;
			CNT_ADD(c->cnt->lcore[NP_LCORE_STOP_FREED], n);
		}
		for (unsigned int h = 0; h < c->n_hobuf; h++) {
			d.handoff += free_count(c->hobufs[h].pkts, c->hobufs[h].len);
			c->hobufs[h].len = 0;
		}
		for (unsigned int x = 0; x < c->n_exbuf; x++) {
			d.handoff += free_count(c->exbufs[x].pkts, c->exbufs[x].len);
			c->exbufs[x].len = 0;
		}
	}
	if (pl->exec != NULL) {
		/* What sits in the executors' rings: freed and counted by the executor. */
		int n = np_exec_drain(pl->exec);

		if (n > 0)
			d.handoff += (uint64_t)n;
	}
	for (unsigned int r = 0; r < pl->n_rings; r++) {
		unsigned int n;

		while ((n = rte_ring_dequeue_burst(pl->rings[r], (void **)pkts,
						   NP_PIPELINE_MAX_BURST, NULL)) > 0)
			d.handoff += free_count(pkts, n);
	}
	/*
	 * What the devices still hold on their RX side (a net_ring port's ring
	 * holds what was sent on it, a memif peer's last bursts wait in ours):
	 * received until empty, at most one descriptor ring's worth, so a
	 * device cannot keep us here. net_null holds nothing: its RX makes
	 * packets up on demand, so reading it would count packets that were
	 * never in flight.
	 */
	for (unsigned int i = 0; i < np_plan_rxq_count(pl->plan); i++) {
		struct rte_eth_dev_info di;
		struct np_plan_port_info pi;
		struct np_plan_rxq q;
		uint16_t port_id;
		unsigned int left;

		np_plan_rxq(pl->plan, i, &q);
		np_plan_port(pl->plan, q.port, &pi);
		port_id = pl->port_ids[q.port];
		/* A closed port has nothing to give, and may not be read. */
		if (!rte_eth_dev_is_valid_port(port_id) ||
		    rte_eth_dev_info_get(port_id, &di) != 0 ||
		    (di.driver_name != NULL && strcmp(di.driver_name, "net_null") == 0))
			continue;
		for (left = pi.nb_rxd + NP_PIPELINE_MAX_BURST; left > 0;) {
			uint16_t n = rte_eth_rx_burst(port_id, q.queue, pkts,
						      NP_PIPELINE_MAX_BURST);

			if (n == 0)
				break;
			d.rx_rings += free_count(pkts, n);
			left = left > n ? left - n : 0;
		}
	}
	d.total = d.tx_buffers + d.handoff + d.rx_rings;
	if (out != NULL)
		*out = d;
	return 0;
}
