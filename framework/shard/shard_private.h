/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of the shard module. */
#ifndef SHARD_PRIVATE_H
#define SHARD_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "np_region.h"
#include "np_sharded.h"

#define NP_LOGTYPE np_shard_logtype
extern int np_shard_logtype;

struct shard {
	int node;
	void *ptr;               /* in region, at the requested alignment */
	np_region *region;
	bool verified;
	uint64_t pages;
	uint64_t pages_on_node;
};

struct np_sharded {
	size_t size;
	size_t align;
	unsigned int n_shards;
	struct shard *shards;    /* ascending node id */
	/* CPU id -> shard index: what np_sharded_local() reads. */
	uint16_t *cpu_shard;
	unsigned int n_cpus;
};

#endif /* SHARD_PRIVATE_H */
