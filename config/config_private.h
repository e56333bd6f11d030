/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of the configuration reader. */
#ifndef CONFIG_PRIVATE_H
#define CONFIG_PRIVATE_H

#include <rte_cfgfile.h>

#include "np_config.h"

#define NP_LOGTYPE np_config_logtype
extern int np_config_logtype;

/* One key = value, from the file (with its line) or from an override. */
struct cfg_entry {
	char section[CFG_NAME_LEN];
	char key[CFG_NAME_LEN];
	char value[CFG_VALUE_LEN];
	unsigned int line;       /* 0 when unknown or an override */
	int section_idx;         /* index of the section in the file, -1 for overrides */
	const char *override;    /* the "section.key=value" text, or NULL */
	bool dropped;            /* replaced by an override */
};

/* One [section] header of the file. */
struct cfg_section {
	char name[CFG_NAME_LEN];
	unsigned int line;
};

struct cfg_reader {
	const char *path;
	const np_topo *topo;
	struct cfg_section *sections;
	unsigned int n_sections;
	struct cfg_entry *entries;
	unsigned int n_entries;
};

/* config_scan.c: the file's entries with their line numbers. */
int cfg_read_file(struct cfg_reader *r);
int cfg_add_override(struct cfg_reader *r, const char *text);
void cfg_reader_free(struct cfg_reader *r);
/* "file:line" or "command line (--set text)" for messages. */
const char *cfg_where(const struct cfg_reader *r, const struct cfg_entry *e,
		      char *buf, size_t len);

/* config_keys.c: sections, keys and their values. */
int cfg_apply(struct cfg_reader *r, struct np_config *cfg);

#endif /* CONFIG_PRIVATE_H */
