/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-node flow tables for a runtime: one per node with workers, each made
 * by a worker of that node (DPDK puts a few of rte_hash's small blocks on
 * the creating thread's socket), with that node's memory, audited, and
 * freed with the runtime after the pipeline (whose stages unregister their
 * readers in fini).
 */
#include <errno.h>
#include <string.h>

#include <rte_launch.h>
#include <rte_lcore.h>

#include "np_error_private.h"
#include "runtime_private.h"

struct make_job {
	struct np_flow_table_params p;
	char name[32];
	np_flow_table *t;
	int err;
	char msg[256];
};

static int
make_table(void *arg)
{
	struct make_job *j = arg;

	j->t = np_flow_table_create(&j->p);
	if (j->t == NULL) {
		j->err = errno;
		snprintf(j->msg, sizeof(j->msg), "%s", np_last_error());
	}
	return 0;
}

int
np_runtime_flow_tables(np_runtime *rt, const struct np_flow_table_params *tmpl)
{
	if (rt == NULL || tmpl == NULL || rt->pools == NULL)
		return np_fail(EINVAL, "np_runtime_flow_tables: a started runtime and table "
			       "parameters are required");
	if (rt->pipeline != NULL && np_pipeline_seconds(rt->pipeline) > 0)
		return np_fail(EBUSY, "np_runtime_flow_tables: make the tables before the run");
	for (unsigned int i = 0; i < np_plan_lcore_count(rt->plan); i++) {
		struct np_plan_lcore l;
		struct make_job j;
		int ret;

		np_plan_lcore(rt->plan, i, &l);
		if (l.node < 0 || l.node >= NP_PIPELINE_MAX_NODES)
			return np_fail(ERANGE, "worker lcore %u is on node %d: flow tables serve "
				       "nodes 0 to %d", l.lcore, l.node, NP_PIPELINE_MAX_NODES - 1);
		if (rt->flow[l.node] != NULL)
			continue;
		memset(&j, 0, sizeof(j));
		j.p = *tmpl;
		snprintf(j.name, sizeof(j.name), "flow_n%d", l.node);
		j.p.name = j.name;
		j.p.node = l.node;
		/* The table's memory is its node's: the node's consumers look it up. */
		j.p.socket = np_mempools_socket(rt->pools, l.mem_node);
		if (l.lcore == rte_get_main_lcore()) {
			make_table(&j);
		} else {
			ret = rte_eal_remote_launch(make_table, &j, l.lcore);
			if (ret == 0)
				ret = rte_eal_wait_lcore(l.lcore);
			if (ret < 0)
				return np_fail(-ret, "cannot run on lcore %u to make node %d's flow "
					       "table: %s", l.lcore, l.node, rte_strerror(-ret));
		}
		if (j.t == NULL)
			return np_fail(j.err ? j.err : ENOMEM, "node %d's flow table: %s", l.node,
				       j.msg);
		rt->flow[l.node] = j.t;
	}
	return 0;
}

np_flow_table *
np_runtime_flow_table(const np_runtime *rt, int node)
{
	if (rt == NULL || node < 0 || node >= NP_PIPELINE_MAX_NODES)
		return NULL;
	return rt->flow[node];
}

void
rt_flow_free(np_runtime *rt)
{
	for (int n = 0; n < NP_PIPELINE_MAX_NODES; n++) {
		np_flow_table_destroy(rt->flow[n]);
		rt->flow[n] = NULL;
	}
}
