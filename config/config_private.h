/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of the configuration reader. */
#ifndef CONFIG_PRIVATE_H
#define CONFIG_PRIVATE_H

#include <stddef.h>

#include <rte_cfgfile.h>

#include "np_config.h"

#define NP_LOGTYPE np_config_logtype
extern int np_config_logtype;

/*
 * rte_cfgfile_load() reads lines with fgets() into CFG_NAME_LEN +
 * CFG_VALUE_LEN + 4 bytes and refuses a longer one: at most 322 characters
 * before the newline. The same limit here, so a file numaperf accepts is one
 * DPDK's own reader accepts.
 */
#define CFG_MAX_LINE (CFG_NAME_LEN + CFG_VALUE_LEN + 2)

/*
 * The largest configuration read: the documented example with all 32 ports
 * is about 20 KB, so 1 MiB is far beyond any real file and small enough that
 * a wrong file (a log, /dev/urandom through a pipe) costs nothing.
 */
#define CFG_MAX_FILE (1u << 20)

/* Sections a file may have: the named ones and [port0]..[port31]. */
#define CFG_NAMED_SECTIONS 6
#define CFG_SLOTS (CFG_NAMED_SECTIONS + NP_CONFIG_MAX_PORTS)
/* Keys of the largest section ([portN]); config_keys.c checks it. */
#define CFG_SLOT_KEYS 8

/* One key = value, from the file (with its line) or from an override. */
struct cfg_entry {
	char section[CFG_NAME_LEN];
	char key[CFG_NAME_LEN];
	char value[CFG_VALUE_LEN];
	unsigned int line;       /* 0 for an override */
	const char *override;    /* the "section.key=value" text, or NULL */
};

/* One [section] header of the file. */
struct cfg_section {
	char name[CFG_NAME_LEN];
	unsigned int line;
};

struct cfg_reader {
	const char *path;          /* the name in messages */
	const np_topo *topo;
	struct np_config *cfg;

	/* The file as read, untouched (rte_cfgfile reads these very bytes). */
	char *text;
	size_t len;
	bool too_big;              /* more than CFG_MAX_FILE bytes came */
	bool fifo;                 /* read from a pipe */

	/*
	 * What the file declared, in file order. Every kept entry is a known
	 * key given once in a known section given once (anything else stops
	 * the reading), so CFG_SLOTS x CFG_SLOT_KEYS bounds both arrays.
	 */
	struct cfg_section sections[CFG_SLOTS];
	int section_slot[CFG_SLOTS];
	unsigned int n_sections;
	struct cfg_entry *entries;   /* CFG_SLOTS * CFG_SLOT_KEYS */
	unsigned int n_entries;

	struct cfg_entry *overrides; /* parsed command-line overrides */
	unsigned int n_overrides;

	/* Per section slot and key: the entry in force (file or override). */
	const struct cfg_entry *applied[CFG_SLOTS][CFG_SLOT_KEYS];
	/* Per section slot and key: the file line that set it, 0 if none. */
	unsigned int file_line[CFG_SLOTS][CFG_SLOT_KEYS];
	bool port_seen[NP_CONFIG_MAX_PORTS];
};

/*
 * Record a failure like np_fail(), with every byte of input the message
 * quotes (paths, values, keys, override text) escaped: see
 * np_buf_append_escaped().
 */
int cfg_fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* config_scan.c: reading the file once and scanning it line by line. */
int cfg_read_path(struct cfg_reader *r);
int cfg_set_buffer(struct cfg_reader *r, const void *data, size_t len);
int cfg_scan(struct cfg_reader *r);
int cfg_cross_check(const struct cfg_reader *r);
int cfg_parse_override(const char *text, struct cfg_entry *e);
void cfg_reader_free(struct cfg_reader *r);
/* "file:line" or "command line (--set text)" for messages. */
const char *cfg_where(const struct cfg_reader *r, const struct cfg_entry *e,
		      char *buf, size_t len);

/* config_keys.c: sections, keys and their values. */
void cfg_defaults(struct np_config *cfg);
/* Called by cfg_scan() for each header and each key = value, in file order. */
int cfg_file_section(struct cfg_reader *r, const char *name, unsigned int line);
int cfg_file_entry(struct cfg_reader *r, const struct cfg_entry *e);
/* After the file: the overrides, then the checks across keys. */
int cfg_finish(struct cfg_reader *r);

#endif /* CONFIG_PRIVATE_H */
