/* SPDX-License-Identifier: BSD-3-Clause */
/* np_config_load(): file, then overrides, then checks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config_private.h"
#include "np_error_private.h"

NP_LOG_REGISTER(np_config_logtype, "numaperf.config");

/* Where each section and key came from, for np_config_explain(). */
static void
keep_origins(const struct cfg_reader *r, struct np_config *cfg)
{
	const unsigned int cap = sizeof(cfg->origin) / sizeof(cfg->origin[0]);

	for (unsigned int i = 0; i < r->n_sections && cfg->n_origin < cap; i++) {
		struct np_config_origin *o = &cfg->origin[cfg->n_origin++];

		snprintf(o->section, sizeof(o->section), "%s", r->sections[i].name);
		o->line = r->sections[i].line;
	}
	for (unsigned int i = 0; i < r->n_entries && cfg->n_origin < cap; i++) {
		const struct cfg_entry *e = &r->entries[i];
		struct np_config_origin *o;

		if (e->dropped)
			continue;
		o = &cfg->origin[cfg->n_origin++];
		snprintf(o->section, sizeof(o->section), "%s", e->section);
		snprintf(o->key, sizeof(o->key), "%s", e->key);
		o->line = e->override ? 0 : e->line;
		snprintf(o->override, sizeof(o->override), "%s", e->override ? e->override : "");
	}
}

struct np_config *
np_config_load(const char *path, const char *const *overrides, unsigned int n_overrides,
	       const np_topo *topo)
{
	struct cfg_reader r = { .path = path, .topo = topo };
	struct np_config *cfg;
	int err;

	if (path == NULL || path[0] == '\0')
		return np_fail_null(EINVAL, "no configuration file: give one with --config "
				    "FILE (see config/examples/)");
	if (n_overrides > 0 && overrides == NULL)
		return np_fail_null(EINVAL, "np_config_load: %u overrides but no array",
				    n_overrides);
	cfg = calloc(1, sizeof(*cfg));
	if (cfg == NULL)
		return np_fail_null(ENOMEM, "%s: no memory for the configuration", path);
	snprintf(cfg->path, sizeof(cfg->path), "%s", path);
	if (cfg_read_file(&r) < 0)
		goto fail;
	for (unsigned int i = 0; i < n_overrides; i++) {
		if (cfg_add_override(&r, overrides[i]) < 0)
			goto fail;
		NP_LOG(DEBUG, "%s: command line overrides %s", path, overrides[i]);
	}
	if (cfg_apply(&r, cfg) < 0)
		goto fail;
	keep_origins(&r, cfg);
	cfg_reader_free(&r);
	return cfg;
fail:
	err = errno;
	cfg_reader_free(&r);
	free(cfg);
	errno = err;
	return NULL;
}

void
np_config_free(struct np_config *cfg)
{
	free(cfg);
}

const char *
np_config_mac_name(enum np_config_mac mac)
{
	switch (mac) {
	case NP_MAC_SWAP: return "swap";
	case NP_MAC_REWRITE: return "rewrite";
	case NP_MAC_NONE: return "none";
	}
	return "?";
}

int
np_config_plan_params(const struct np_config *cfg, struct np_plan_port *ports,
		      struct np_plan_params *params)
{
	if (cfg == NULL || ports == NULL || params == NULL)
		return -EINVAL;
	for (unsigned int i = 0; i < cfg->n_ports; i++)
		ports[i] = (struct np_plan_port){
			.name = cfg->ports[i].name, .node = NP_NODE_UNKNOWN,
			.node_source = NP_NODE_FROM_DEVICE, .n_rxq = cfg->ports[i].rx_queues,
			.nb_rxd = cfg->ports[i].rx_desc, .nb_txd = cfg->ports[i].tx_desc,
			.peer = cfg->ports[i].peer,
		};
	*params = (struct np_plan_params){
		.ports = ports, .n_ports = cfg->n_ports,
		.cpus = cfg->n_lcores ? cfg->lcores : NULL, .n_cpus = cfg->n_lcores,
		.per_node = cfg->per_node,
		.nodes = cfg->n_nodes ? cfg->nodes : NULL, .n_nodes = cfg->n_nodes,
		.unknown_policy = cfg->unknown_node, .unknown_node = cfg->unknown_node_id,
		.strict = cfg->strict, .pool_placement = cfg->placement,
		.tx_mode = cfg->mode, .ring_size = cfg->ring_size, .burst = cfg->burst,
		.cache_size = cfg->cache_size, .held_per_port = cfg->seed_packets,
	};
	return 0;
}
