/* SPDX-License-Identifier: BSD-3-Clause */
/* Reading the per-lcore counters: summed over the workers, while they run. */
#include "pipeline_private.h"

static inline uint64_t
rd(const uint64_t *x)
{
	return __atomic_load_n(x, __ATOMIC_RELAXED);
}

uint64_t
np_pipeline_port_stat(const np_pipeline *pl, unsigned int port, enum np_port_counter c)
{
	uint64_t sum = 0;

	if (pl == NULL || port >= pl->n_ports || (unsigned int)c >= NP_PORT_N)
		return 0;
	for (unsigned int i = 0; i < pl->n_lcores; i++)
		sum += rd(&pl->lcores[i]->cnt->port[port][c]);
	return sum;
}

uint64_t
np_pipeline_lcore_port_stat(const np_pipeline *pl, unsigned int lcore, unsigned int port,
			    enum np_port_counter c)
{
	if (pl == NULL || lcore >= RTE_MAX_LCORE || pl->by_lcore[lcore] == NULL ||
	    port >= pl->n_ports || (unsigned int)c >= NP_PORT_N)
		return 0;
	return rd(&pl->by_lcore[lcore]->cnt->port[port][c]);
}

uint64_t
np_pipeline_lcore_stat(const np_pipeline *pl, unsigned int lcore, enum np_lcore_counter c)
{
	if (pl == NULL || lcore >= RTE_MAX_LCORE || pl->by_lcore[lcore] == NULL ||
	    (unsigned int)c >= NP_LCORE_N)
		return 0;
	return rd(&pl->by_lcore[lcore]->cnt->lcore[c]);
}

uint64_t
np_pipeline_drops(const np_pipeline *pl, unsigned int stage, enum np_drop_cause c)
{
	uint64_t sum = 0;

	if (pl == NULL || stage > pl->n_stages || (unsigned int)c >= NP_DROP_N)
		return 0;
	for (unsigned int i = 0; i < pl->n_lcores; i++)
		sum += rd(&pl->lcores[i]->cnt->drops[stage][c]);
	return sum;
}

uint64_t
np_pipeline_drops_total(const np_pipeline *pl)
{
	uint64_t sum = 0;

	for (unsigned int s = 0; pl && s <= pl->n_stages; s++)
		for (unsigned int c = 0; c < NP_DROP_N; c++)
			sum += np_pipeline_drops(pl, s, (enum np_drop_cause)c);
	return sum;
}
