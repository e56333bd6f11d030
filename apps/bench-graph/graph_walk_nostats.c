/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The same walk loop as bench_graph_walk_stats() (engine_graph.c), compiled
 * as a DPDK build with RTE_LIBRTE_GRAPH_STATS = 0 would compile it: the walk
 * then reads no TSC per node call. rte_graph_walk() is inline in the
 * application, so an application can choose this for its own walk loop;
 * Debian's rte_config.h (force-included by libdpdk's pkg-config flags) says 1.
 */
#include <rte_config.h>
#undef RTE_LIBRTE_GRAPH_STATS
#define RTE_LIBRTE_GRAPH_STATS 0

#include <rte_cycles.h>
#include <rte_graph_worker.h>

#include "bench_graph.h"

_Static_assert(RTE_LIBRTE_GRAPH_STATS == 0, "this file compiles the walk without statistics");

uint64_t
bench_graph_walk_nostats(struct rte_graph *g, uint64_t tsc_end, const np_pipeline *stop)
{
	uint64_t walks = 0;

	for (;;) {
		rte_graph_walk(g);
		if (unlikely((++walks & 63) == 0) &&
		    (rte_rdtsc() >= tsc_end || np_pipeline_stopping(stop)))
			break;
	}
	return walks;
}
