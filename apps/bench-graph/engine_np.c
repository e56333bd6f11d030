/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The numaperf engine: one stage that swaps the addresses of a burst and
 * sets no verdict, so every packet leaves on the peer of its port (the
 * pipeline's default route). The pipeline does RX, the stage call, TX and
 * the counters: the whole of numaperf's per-burst cost is in the figure.
 */
#include "bench_graph.h"
#include "np_pipeline_worker.h"

static void
swap_process(void *ctx, struct np_burst *b)
{
	(void)ctx;
	bench_swap_burst(b->pkts, b->n);
}

static struct np_stage bench_swap_stage = {
	.name = BENCH_STAGE,
	.process = swap_process,
};
NP_STAGE_REGISTER(bench_swap_stage);
