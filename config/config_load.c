/* SPDX-License-Identifier: BSD-3-Clause */
/* np_config_load(): file, then overrides, then checks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config_private.h"
#include "np_error_private.h"

NP_LOG_REGISTER(np_config_logtype, "numaperf.config");

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
