/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A configuration as the bring-up's parameters, and the way back: a lower
 * layer's failure names a parameter ("workers.cpus"), this file names the
 * file, line, section and key it came from.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_private.h"
#include "np_error_private.h"

int
np_config_runtime(const struct np_config *cfg, struct np_config_runtime *out)
{
	struct np_runtime_params *p;
	unsigned int n_eal = 0;
	char *save = NULL;

	if (cfg == NULL || out == NULL)
		return np_fail(EINVAL, "np_config_runtime: configuration and output are required");
	memset(out, 0, sizeof(*out));
	for (unsigned int i = 0; i < cfg->n_ports; i++) {
		const struct np_config_port *cp = &cfg->ports[i];

		out->ports[i] = (struct np_runtime_port){
			.pci = cp->pci[0] ? cp->pci : NULL, .vdev = cp->vdev[0] ? cp->vdev : NULL,
			.node = cp->node, .rx_queues = cp->rx_queues, .rx_desc = cp->rx_desc,
			.tx_desc = cp->tx_desc, .peer = cp->peer, .promiscuous = cp->promiscuous,
		};
	}
	snprintf(out->eal_buf, sizeof(out->eal_buf), "%s", cfg->eal_args);
	for (char *t = strtok_r(out->eal_buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (n_eal >= NP_RUNTIME_MAX_EAL_ARGS)
			return np_fail(EINVAL, "%s: [eal] args has more than %d arguments",
				       cfg->path, NP_RUNTIME_MAX_EAL_ARGS);
		out->eal_args[n_eal++] = t;
	}
	p = &out->params;
	*p = (struct np_runtime_params){
		.ports = out->ports, .n_ports = cfg->n_ports,
		.cpus = cfg->n_lcores ? cfg->lcores : NULL, .n_cpus = cfg->n_lcores,
		.per_node = cfg->per_node,
		.nodes = cfg->n_nodes ? cfg->nodes : NULL, .n_nodes = cfg->n_nodes,
		.main_lcore_apart = cfg->main_lcore >= 0,
		.main_lcore = cfg->main_lcore >= 0 ? (unsigned int)cfg->main_lcore : 0,
		.unknown_policy = cfg->unknown_node, .unknown_node = cfg->unknown_node_id,
		.strict = cfg->strict, .pool_placement = cfg->placement,
		.tx_mode = cfg->mode, .ring_size = cfg->ring_size, .burst = cfg->burst,
		.cache_size = cfg->cache_size, .data_room = cfg->data_room,
		.held_per_port = cfg->seed_packets, .no_huge = cfg->no_huge,
		.latency = cfg->latency, .tx_drain_us = cfg->tx_drain_us,
		.eal_args = out->eal_args, .n_eal_args = n_eal,
	};
	return 0;
}

/* A runtime parameter and the [section] key that sets it. */
static const struct {
	const char *param;
	const char *section;
	const char *key;
} keys[] = {
	{ "workers.cpus", "workers", "lcores" },
	{ "workers.per_node", "workers", "per_node" },
	{ "workers.nodes", "workers", "nodes" },
	{ "workers.main_lcore", "workers", "main_lcore" },
	{ "workers", "workers", NULL },
	{ "unknown_node", "policies", "unknown_node" },
	{ "strict", "policies", "strict" },
	{ "pool_placement", "pools", "placement" },
	{ "cache_size", "pools", "cache_size" },
	{ "data_room", "pools", "data_room" },
	{ "tx_mode", "pipeline", "mode" },
	{ "burst", "pipeline", "burst" },
	{ "ring_size", "pipeline", "ring_size" },
	{ "held_per_port", "pipeline", "seed_packets" },
	{ "latency", "pipeline", "latency" },
	{ "tx_drain_us", "pipeline", "tx_drain_us" },
	{ "flow_tables", "flows", NULL },
	{ "no_huge", "eal", "no_huge" },
	{ "eal_args", "eal", "args" },
};

/* Port keys: "ports[3].vdev" -> [port3] vdev; "ports[3]" -> [port3]. */
static bool
port_key(const char *param, char *section, size_t slen, const char **key)
{
	unsigned int idx;
	int n = 0;

	if (sscanf(param, "ports[%u]%n", &idx, &n) != 1 || n == 0)
		return false;
	snprintf(section, slen, "port%u", idx);
	*key = param[n] == '.' ? param + n + 1 : NULL;
	return true;
}

static const struct np_config_origin *
find_origin(const struct np_config *cfg, const char *section, const char *key)
{
	for (unsigned int i = 0; i < cfg->n_origin; i++) {
		const struct np_config_origin *o = &cfg->origin[i];

		if (strcmp(o->section, section) == 0 && strcmp(o->key, key ? key : "") == 0)
			return o;
	}
	return NULL;
}

const char *
np_config_explain(const struct np_config *cfg, unsigned int n_file_eal_args, char *buf,
		  size_t len)
{
	const char *param = np_last_error_param(), *msg = np_last_error();
	const char *section = NULL, *key = NULL;
	const struct np_config_origin *o;
	char port_section[16];
	unsigned int eal_idx;

	if (buf == NULL || len == 0)
		return buf;
	snprintf(buf, len, "%s", msg);
	if (cfg == NULL || param[0] == '\0')
		return buf;
	if (sscanf(param, "eal_args[%u]", &eal_idx) == 1) {
		if (eal_idx >= n_file_eal_args)
			return buf; /* from the command line after "--" */
		param = "eal_args";
	}
	if (port_key(param, port_section, sizeof(port_section), &key)) {
		section = port_section;
	} else {
		for (unsigned int i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (strcmp(keys[i].param, param) == 0) {
				section = keys[i].section;
				key = keys[i].key;
			}
	}
	if (section == NULL)
		return buf;
	o = find_origin(cfg, section, key);
	if (o == NULL && key != NULL && find_origin(cfg, section, NULL) != NULL)
		/* The key is not set: its default applies, in a section the file has. */
		snprintf(buf, len, "%s:%u: [%s] %s (not set: the default): %s", cfg->path,
			 find_origin(cfg, section, NULL)->line, section, key, msg);
	else if (o == NULL)
		snprintf(buf, len, "%s: [%s]%s%s (not set: the default): %s", cfg->path, section,
			 key ? " " : "", key ? key : "", msg);
	else if (o->override[0])
		snprintf(buf, len, "command line (--set %s): %s", o->override, msg);
	else
		snprintf(buf, len, "%s:%u: [%s]%s%s: %s", cfg->path, o->line, section,
			 key ? " " : "", key ? key : "", msg);
	return buf;
}
