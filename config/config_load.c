/* SPDX-License-Identifier: BSD-3-Clause */
/* np_config_load(): the file, then overrides, then checks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config_private.h"
#include "np_error_private.h"

NP_LOG_REGISTER(np_config_logtype, "numaperf.config");

/* Where each section and key in force came from, for np_config_explain(). */
static void
keep_origins(const struct cfg_reader *r, struct np_config *cfg)
{
	const unsigned int cap = sizeof(cfg->origin) / sizeof(cfg->origin[0]);

	for (unsigned int i = 0; i < r->n_sections && cfg->n_origin < cap; i++) {
		struct np_config_origin *o = &cfg->origin[cfg->n_origin++];

		snprintf(o->section, sizeof(o->section), "%s", r->sections[i].name);
		o->line = r->sections[i].line;
	}
	for (unsigned int s = 0; s < CFG_SLOTS; s++)
		for (unsigned int k = 0; k < CFG_SLOT_KEYS && cfg->n_origin < cap; k++) {
			const struct cfg_entry *e = r->applied[s][k];
			struct np_config_origin *o;

			if (e == NULL)
				continue;
			o = &cfg->origin[cfg->n_origin++];
			snprintf(o->section, sizeof(o->section), "%s", e->section);
			snprintf(o->key, sizeof(o->key), "%s", e->key);
			o->line = e->override ? 0 : e->line;
			snprintf(o->override, sizeof(o->override), "%s",
				 e->override ? e->override : "");
		}
}

/*
 * Overrides are read first (their syntax only), so that the file's entries
 * they replace are neither applied nor refused for their value; then the
 * file, line by line; rte_cfgfile's agreement; the overrides' values; the
 * checks across keys.
 */
static struct np_config *
load(struct cfg_reader *r, const char *const *overrides, unsigned int n_overrides,
     int (*read)(struct cfg_reader *, const void *, size_t), const void *data, size_t len)
{
	struct np_config *cfg = calloc(1, sizeof(*cfg));
	int err;

	if (cfg == NULL) {
		cfg_fail(ENOMEM, "%s: no memory for the configuration", r->path);
		goto fail;
	}
	snprintf(cfg->path, sizeof(cfg->path), "%s", r->path);
	cfg_defaults(cfg);
	r->cfg = cfg;
	r->entries = calloc(CFG_SLOTS * CFG_SLOT_KEYS, sizeof(*r->entries));
	r->overrides = calloc(n_overrides ? n_overrides : 1, sizeof(*r->overrides));
	if (r->entries == NULL || r->overrides == NULL) {
		cfg_fail(ENOMEM, "%s: no memory for the configuration", r->path);
		goto fail;
	}
	if (read(r, data, len) < 0)
		goto fail;
	for (unsigned int i = 0; i < n_overrides; i++) {
		if (cfg_parse_override(overrides[i], &r->overrides[i]) < 0)
			goto fail;
		r->n_overrides++;
		NP_LOG(DEBUG, "%s: command line overrides %s", r->path, overrides[i]);
	}
	if (cfg_scan(r) < 0 || cfg_cross_check(r) < 0 || cfg_finish(r) < 0)
		goto fail;
	keep_origins(r, cfg);
	cfg_reader_free(r);
	return cfg;
fail:
	err = errno;
	cfg_reader_free(r);
	free(cfg);
	errno = err;
	return NULL;
}

static int
read_path(struct cfg_reader *r, const void *data, size_t len)
{
	(void)data;
	(void)len;
	return cfg_read_path(r);
}

struct np_config *
np_config_load(const char *path, const char *const *overrides, unsigned int n_overrides,
	       const np_topo *topo)
{
	struct cfg_reader r = { .path = path, .topo = topo };

	if (path == NULL || path[0] == '\0')
		return np_fail_null(EINVAL, "no configuration file: give one with --config "
				    "FILE (see config/examples/)");
	if (n_overrides > 0 && overrides == NULL)
		return np_fail_null(EINVAL, "np_config_load: %u overrides but no array",
				    n_overrides);
	return load(&r, overrides, n_overrides, read_path, NULL, 0);
}

struct np_config *
np_config_load_buffer(const char *name, const void *data, size_t len,
		      const char *const *overrides, unsigned int n_overrides,
		      const np_topo *topo)
{
	struct cfg_reader r = { .path = name, .topo = topo };

	if (name == NULL || name[0] == '\0')
		return np_fail_null(EINVAL, "np_config_load_buffer: no name for the "
				    "configuration (messages quote it as the file)");
	if (n_overrides > 0 && overrides == NULL)
		return np_fail_null(EINVAL, "np_config_load_buffer: %u overrides but no array",
				    n_overrides);
	return load(&r, overrides, n_overrides, cfg_set_buffer, data, len);
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
