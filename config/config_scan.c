/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reading the INI file: rte_cfgfile parses it; a light pre-scan that
 * follows rte_cfgfile's own rules finds what it does not report (line
 * numbers, lines it skips silently, values it truncates silently) so every
 * error can name the line.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cfgfile.h>

#include "config_private.h"
#include "np_error_private.h"

/* rte_cfgfile reads lines with fgets into CFG_NAME_LEN + CFG_VALUE_LEN + 4 bytes. */
#define CFG_MAX_LINE (CFG_NAME_LEN + CFG_VALUE_LEN + 2)

static char *
strip(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int
add_entry(struct cfg_reader *r, const struct cfg_entry *e)
{
	struct cfg_entry *n = realloc(r->entries, (r->n_entries + 1) * sizeof(*n));

	if (n == NULL)
		return np_fail(ENOMEM, "%s: no memory for the configuration", r->path);
	n[r->n_entries++] = *e;
	r->entries = n;
	return 0;
}

static int
add_section(struct cfg_reader *r, const char *name, unsigned int line)
{
	struct cfg_section *n = realloc(r->sections, (r->n_sections + 1) * sizeof(*n));

	if (n == NULL)
		return np_fail(ENOMEM, "%s: no memory for the configuration", r->path);
	snprintf(n[r->n_sections].name, CFG_NAME_LEN, "%s", name);
	n[r->n_sections].line = line;
	r->n_sections++;
	r->sections = n;
	return 0;
}

/* One line, as rte_cfgfile_load() sees it; syntax errors name the line. */
static int
scan_line(struct cfg_reader *r, char *buf, size_t len, unsigned int line)
{
	char *s, *eq, *end, *comment;
	struct cfg_entry e;

	if (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (len > CFG_MAX_LINE)
		return np_fail(EINVAL, "%s:%u: line too long (%zu characters, at most %d)",
			       r->path, line, len, CFG_MAX_LINE);
	/* rte_cfgfile cuts at the first ';' unless it is escaped as "\;". */
	comment = memchr(buf, ';', len);
	if (comment != NULL && (comment == buf || comment[-1] != '\\'))
		*comment = '\0';
	s = strip(buf);
	if (*s == '\0')
		return 0;
	if (*s == '#')
		return np_fail(EINVAL, "%s:%u: '#' does not start a comment here: "
			       "comments start with ';' (rte_cfgfile)", r->path, line);
	if (*s == '[') {
		end = strchr(s, ']');
		if (end == NULL)
			return np_fail(EINVAL, "%s:%u: section header '%s' has no closing ']'",
				       r->path, line, s);
		if (*strip(end + 1) != '\0')
			return np_fail(EINVAL, "%s:%u: text after the section header '%s'",
				       r->path, line, s);
		*end = '\0';
		s = strip(s + 1);
		if (*s == '\0')
			return np_fail(EINVAL, "%s:%u: empty section name '[]'", r->path, line);
		if (strlen(s) >= CFG_NAME_LEN)
			return np_fail(EINVAL, "%s:%u: section name '%s' is longer than %d "
				       "characters", r->path, line, s, CFG_NAME_LEN - 1);
		return add_section(r, s, line);
	}
	eq = strchr(s, '=');
	if (eq == NULL)
		return np_fail(EINVAL, "%s:%u: '%s' is neither a [section] nor key = value",
			       r->path, line, s);
	*eq = '\0';
	memset(&e, 0, sizeof(e));
	s = strip(s);
	if (*s == '\0')
		return np_fail(EINVAL, "%s:%u: '= %s' has no key", r->path, line, strip(eq + 1));
	if (r->n_sections == 0)
		return np_fail(EINVAL, "%s:%u: key '%s' comes before any [section]",
			       r->path, line, s);
	if (strlen(s) >= CFG_NAME_LEN)
		return np_fail(EINVAL, "%s:%u: key '%s' is longer than %d characters",
			       r->path, line, s, CFG_NAME_LEN - 1);
	snprintf(e.key, sizeof(e.key), "%s", s);
	s = strip(eq + 1);
	if (*s == '\0')
		return np_fail(EINVAL, "%s:%u: [%s] %s has no value",
			       r->path, line, r->sections[r->n_sections - 1].name, e.key);
	if (strlen(s) >= CFG_VALUE_LEN)
		return np_fail(EINVAL, "%s:%u: [%s] %s: value longer than %d characters",
			       r->path, line, r->sections[r->n_sections - 1].name, e.key,
			       CFG_VALUE_LEN - 1);
	snprintf(e.section, sizeof(e.section), "%s", r->sections[r->n_sections - 1].name);
	e.line = line;
	e.section_idx = (int)r->n_sections - 1;
	return add_entry(r, &e);
}

static int
prescan(struct cfg_reader *r)
{
	FILE *f = fopen(r->path, "r");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned int line = 0;
	int ret = 0;

	if (f == NULL) {
		int err = errno;

		return np_fail(err, "cannot open configuration %s: %s; give an existing, "
			       "readable INI file (see config/examples/)", r->path,
			       strerror(err));
	}
	while ((len = getline(&buf, &cap, f)) >= 0) {
		line++;
		if (memchr(buf, '\0', (size_t)len) != NULL) {
			ret = np_fail(EINVAL, "%s:%u: NUL byte: not a text file", r->path, line);
			break;
		}
		ret = scan_line(r, buf, (size_t)len, line);
		if (ret < 0)
			break;
	}
	if (ret == 0 && ferror(f))
		ret = np_fail(EIO, "%s: read error", r->path);
	free(buf);
	fclose(f);
	return ret;
}

/*
 * Let rte_cfgfile parse, then take its sections and entries in its order,
 * which is the file's: the pre-scan's n-th entry of section s is its n-th.
 */
int
cfg_read_file(struct cfg_reader *r)
{
	struct rte_cfgfile *cfg;
	struct rte_cfgfile_entry *ents = NULL;
	char name[CFG_NAME_LEN];
	unsigned int k = 0;
	int n_sections, ret = 0;

	ret = prescan(r);
	if (ret < 0)
		return ret;
	cfg = rte_cfgfile_load(r->path, 0);
	if (cfg == NULL)
		return np_fail(EINVAL, "%s: rte_cfgfile could not parse the file", r->path);
	n_sections = rte_cfgfile_num_sections(cfg, NULL, 0);
	if (n_sections != (int)r->n_sections) {
		ret = np_fail(EINVAL, "%s: rte_cfgfile found %d sections, the pre-scan %u",
			      r->path, n_sections, r->n_sections);
		goto out;
	}
	for (int s = 0; s < n_sections; s++) {
		int n = rte_cfgfile_section_num_entries_by_index(cfg, name, s);

		if (n < 0 || strcmp(name, r->sections[s].name) != 0) {
			ret = np_fail(EINVAL, "%s:%u: rte_cfgfile disagrees on section [%s]",
				      r->path, r->sections[s].line, r->sections[s].name);
			goto out;
		}
		free(ents);
		ents = calloc(n ? n : 1, sizeof(*ents));
		if (ents == NULL) {
			ret = np_fail(ENOMEM, "%s: no memory", r->path);
			goto out;
		}
		n = rte_cfgfile_section_entries_by_index(cfg, s, name, ents, n);
		for (int i = 0; i < n; i++, k++) {
			struct cfg_entry *e = &r->entries[k];

			if (k >= r->n_entries || e->section_idx != s ||
			    strcmp(e->key, ents[i].name) != 0) {
				ret = np_fail(EINVAL, "%s: rte_cfgfile disagrees on key '%s' "
					      "of [%s]", r->path, ents[i].name, name);
				goto out;
			}
			/* rte_cfgfile's value: "\;" unescaped. */
			snprintf(e->value, sizeof(e->value), "%s", ents[i].value);
		}
	}
	if (k != r->n_entries)
		ret = np_fail(EINVAL, "%s: rte_cfgfile found %u entries, the pre-scan %u",
			      r->path, k, r->n_entries);
out:
	free(ents);
	rte_cfgfile_close(cfg);
	return ret;
}

int
cfg_add_override(struct cfg_reader *r, const char *text)
{
	struct cfg_entry e;
	const char *dot, *eq;
	char sec[CFG_NAME_LEN], key[CFG_NAME_LEN], val[CFG_VALUE_LEN];

	memset(&e, 0, sizeof(e));
	e.section_idx = -1;
	e.override = text;
	dot = text ? strchr(text, '.') : NULL;
	eq = text ? strchr(text, '=') : NULL;
	if (dot == NULL || eq == NULL || dot > eq || dot == text || eq == dot + 1)
		return np_fail(EINVAL, "command line: override '%s' is not "
			       "section.key=value (e.g. --set workers.lcores=0-1)",
			       text ? text : "(null)");
	if ((size_t)(dot - text) >= CFG_NAME_LEN || (size_t)(eq - dot - 1) >= CFG_NAME_LEN ||
	    strlen(eq + 1) >= CFG_VALUE_LEN)
		return np_fail(EINVAL, "command line: override '%s' is too long", text);
	snprintf(sec, sizeof(sec), "%.*s", (int)(dot - text), text);
	snprintf(key, sizeof(key), "%.*s", (int)(eq - dot - 1), dot + 1);
	snprintf(val, sizeof(val), "%s", eq + 1);
	snprintf(e.section, sizeof(e.section), "%s", strip(sec));
	snprintf(e.key, sizeof(e.key), "%s", strip(key));
	snprintf(e.value, sizeof(e.value), "%s", strip(val));
	if (e.value[0] == '\0')
		return np_fail(EINVAL, "command line (--set %s): [%s] %s has no value",
			       text, e.section, e.key);
	return add_entry(r, &e);
}

const char *
cfg_where(const struct cfg_reader *r, const struct cfg_entry *e, char *buf, size_t len)
{
	if (e->override != NULL)
		snprintf(buf, len, "command line (--set %s)", e->override);
	else if (e->line > 0)
		snprintf(buf, len, "%s:%u", r->path, e->line);
	else
		snprintf(buf, len, "%s", r->path);
	return buf;
}

void
cfg_reader_free(struct cfg_reader *r)
{
	free(r->sections);
	free(r->entries);
	r->sections = NULL;
	r->entries = NULL;
}
