/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reading the INI file: once, bounded, into memory; then one scan, line by
 * line, that follows rte_cfgfile's rules and hands each section header and
 * key = value to config_keys.c as it goes, so the first error reported is
 * the first faulty line. Finally DPDK's rte_cfgfile parses the same bytes and
 * must agree with the scan.
 *
 * Why not let rte_cfgfile read the file itself: rte_cfgfile_load() opens the
 * file by name, so the file would be opened twice (a FIFO or `<(cat f)` can
 * be read only once) and read without bound (a line is refused only after
 * fgets, but /dev/zero through a pipe is never ending). fmemopen() cannot
 * help, since rte_cfgfile_load() takes a name, not a FILE *. Building the
 * rte_cfgfile with rte_cfgfile_add_entry() from the scan would leave DPDK's
 * parser unused, and add_entry() searches the section on every call. So the
 * bytes read once go into a memfd, an in-memory file that has a name
 * (/proc/self/fd/N), and rte_cfgfile_load() parses that: DPDK stays the
 * parser of record, reading exactly what was scanned, and the scan only adds
 * what rte_cfgfile does not keep (line numbers) or does not check (lines it
 * skips, values it truncates, control bytes).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <rte_cfgfile.h>

#include "config_private.h"
#include "np_error_private.h"
#include "np_list_private.h"
#include "np_path_private.h"

/* Reads grow the buffer from this size, doubling up to CFG_MAX_FILE + 1. */
#define READ_CHUNK (64u << 10)

int
cfg_fail(int err, const char *fmt, ...)
{
	char raw[2048], msg[512];
	size_t off = 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	if (n < 0)
		raw[0] = '\0';
	msg[0] = '\0';
	np_buf_append_escaped(msg, sizeof(msg), &off, raw, strlen(raw));
	return np_fail(err, "%s", msg);
}

static int
refuse_kind(const struct cfg_reader *r, mode_t mode)
{
	const char *kind = np_path_not_a_file(mode);

	if (S_ISDIR(mode))
		return cfg_fail(EISDIR, "%s is %s, not a configuration file: give an INI file "
				"(see config/examples/)", r->path, kind);
	/* Devices are never opened: opening some has effects (a watchdog, a tape). */
	return cfg_fail(EINVAL, "%s is %s, not a configuration file: give a regular file "
			"or a pipe holding an INI configuration (see config/examples/)",
			r->path, kind);
}

static int
cannot_open(const struct cfg_reader *r, int err)
{
	return cfg_fail(err, "cannot open configuration %s: %s; give an existing, "
			"readable INI file (see config/examples/)", r->path, strerror(err));
}

/*
 * Read at most CFG_MAX_FILE + 1 bytes (one more tells there is more), and
 * stop early at a line longer than CFG_MAX_LINE: that line is an error
 * anyway, and the scan reports it with its number.
 */
static int
read_bounded(struct cfg_reader *r, int fd)
{
	size_t cap = 0, line_len = 0;
	bool long_line = false;

	r->len = 0;
	while (!long_line) {
		ssize_t n;

		if (r->len == cap) {
			size_t grown = cap ? cap * 2 : READ_CHUNK;
			char *p;

			if (cap == CFG_MAX_FILE + 1) {
				r->too_big = true;
				break;
			}
			if (grown > CFG_MAX_FILE + 1)
				grown = CFG_MAX_FILE + 1;
			p = realloc(r->text, grown + 1);
			if (p == NULL)
				return cfg_fail(ENOMEM, "%s: no memory to read the configuration",
						r->path);
			r->text = p;
			cap = grown;
		}
		n = read(fd, r->text + r->len, cap - r->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return cfg_fail(EIO, "%s: read error: %s", r->path, strerror(errno));
		if (n == 0)
			break;
		for (size_t i = r->len; i < r->len + (size_t)n; i++) {
			if (r->text[i] == '\n') {
				line_len = 0;
			} else if (++line_len > CFG_MAX_LINE) {
				long_line = true;
				break;
			}
		}
		r->len += (size_t)n;
	}
	if (r->text == NULL && (r->text = malloc(1)) == NULL)
		return cfg_fail(ENOMEM, "%s: no memory to read the configuration", r->path);
	r->text[r->len] = '\0';
	return 0;
}

int
cfg_read_path(struct cfg_reader *r)
{
	struct stat st;
	int fd, ret;

	/* Look before opening: a device is refused without being opened. */
	if (stat(r->path, &st) < 0)
		return cannot_open(r, errno);
	if (np_path_not_a_file(st.st_mode) != NULL)
		return refuse_kind(r, st.st_mode);
	/* A FIFO blocks here until its writer opens it, as cat(1) does. */
	fd = open(r->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return cannot_open(r, errno);
	/* What was opened, in case the path changed since stat(). */
	if (fstat(fd, &st) < 0) {
		ret = cannot_open(r, errno);
	} else if (np_path_not_a_file(st.st_mode) != NULL) {
		ret = refuse_kind(r, st.st_mode);
	} else {
		r->fifo = S_ISFIFO(st.st_mode);
		ret = read_bounded(r, fd);
	}
	close(fd);
	return ret;
}

int
cfg_set_buffer(struct cfg_reader *r, const void *data, size_t len)
{
	if (data == NULL && len > 0)
		return cfg_fail(EINVAL, "%s: no data but a length of %zu", r->path, len);
	/* Keep what the file reader would: one byte more than the limit. */
	r->too_big = len > CFG_MAX_FILE;
	r->len = r->too_big ? CFG_MAX_FILE + 1 : len;
	r->text = malloc(r->len + 1);
	if (r->text == NULL)
		return cfg_fail(ENOMEM, "%s: no memory for the configuration", r->path);
	if (r->len > 0)
		memcpy(r->text, data, r->len);
	r->text[r->len] = '\0';
	return 0;
}

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

/* rte_cfgfile's unescaping of a value: "\;" is ';', every other '\' stays. */
static void
unescape(char *v)
{
	char *bs = strchr(v, '\\');

	while (bs != NULL) {
		if (bs[1] == ';')
			memmove(bs, bs + 1, strlen(bs + 1) + 1); /* bs now at the ';' */
		else
			bs++;
		bs = strchr(bs, '\\');
	}
}

/* One line, as rte_cfgfile_load() sees it; syntax errors name the line. */
static int
scan_line(struct cfg_reader *r, char *buf, size_t len, unsigned int line)
{
	const char *section;
	char *s, *eq, *end, *comment;
	struct cfg_entry e;

	/* rte_cfgfile cuts at the first ';' unless it is escaped as "\;". */
	comment = memchr(buf, ';', len);
	if (comment != NULL && (comment == buf || comment[-1] != '\\'))
		*comment = '\0';
	s = strip(buf);
	if (*s == '\0')
		return 0;
	if (*s == '#')
		return cfg_fail(EINVAL, "%s:%u: '#' does not start a comment here: "
				"comments start with ';' (rte_cfgfile)", r->path, line);
	if (*s == '[') {
		end = strchr(s, ']');
		if (end == NULL)
			return cfg_fail(EINVAL, "%s:%u: section header '%s' has no closing ']'",
					r->path, line, s);
		if (*strip(end + 1) != '\0')
			return cfg_fail(EINVAL, "%s:%u: text after the section header '%s'",
					r->path, line, s);
		*end = '\0';
		s = strip(s + 1);
		if (*s == '\0')
			return cfg_fail(EINVAL, "%s:%u: empty section name '[]'", r->path, line);
		if (strlen(s) >= CFG_NAME_LEN)
			return cfg_fail(EINVAL, "%s:%u: section name '%s' is longer than %d "
					"characters", r->path, line, s, CFG_NAME_LEN - 1);
		return cfg_file_section(r, s, line);
	}
	eq = strchr(s, '=');
	if (eq == NULL)
		return cfg_fail(EINVAL, "%s:%u: '%s' is neither a [section] nor key = value",
				r->path, line, s);
	*eq = '\0';
	memset(&e, 0, sizeof(e));
	s = strip(s);
	if (*s == '\0')
		return cfg_fail(EINVAL, "%s:%u: '= %s' has no key", r->path, line,
				strip(eq + 1));
	if (r->n_sections == 0)
		return cfg_fail(EINVAL, "%s:%u: key '%s' comes before any [section]",
				r->path, line, s);
	section = r->sections[r->n_sections - 1].name;
	if (strlen(s) >= CFG_NAME_LEN)
		return cfg_fail(EINVAL, "%s:%u: key '%s' is longer than %d characters",
				r->path, line, s, CFG_NAME_LEN - 1);
	snprintf(e.key, sizeof(e.key), "%s", s);
	s = strip(eq + 1);
	unescape(s);
	if (*s == '\0')
		return cfg_fail(EINVAL, "%s:%u: [%s] %s has no value", r->path, line, section,
				e.key);
	if (strlen(s) >= CFG_VALUE_LEN)
		return cfg_fail(EINVAL, "%s:%u: [%s] %s: value longer than %d characters",
				r->path, line, section, e.key, CFG_VALUE_LEN - 1);
	snprintf(e.section, sizeof(e.section), "%s", section);
	snprintf(e.value, sizeof(e.value), "%s", s);
	e.line = line;
	return cfg_file_entry(r, &e);
}

/* A configuration is text: the first control byte of a line, or -1. */
static long
control_byte(const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		/* Tabs anywhere; a carriage return only as in "\r\n". */
		if (p[i] == '\t' || (p[i] == '\r' && i + 1 == len))
			continue;
		if (p[i] < 0x20 || p[i] == 0x7f)
			return (long)i;
	}
	return -1;
}

int
cfg_scan(struct cfg_reader *r)
{
	const char *p = r->text;
	/* Too big: scan the first CFG_MAX_FILE bytes' whole lines, then say so. */
	const char *end = r->text + (r->too_big ? CFG_MAX_FILE : r->len);
	unsigned int line = 0;

	if (r->len >= 3 && memcmp(r->text, "\xef\xbb\xbf", 3) == 0)
		return cfg_fail(EINVAL, "%s:1: starts with a UTF-8 byte-order mark (EF BB BF): "
				"save the file without it", r->path);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char buf[CFG_MAX_LINE + 1];
		long c;
		int ret;

		line++;
		if (len > CFG_MAX_LINE)
			return cfg_fail(EINVAL, "%s:%u: line longer than %d bytes: rte_cfgfile "
					"reads at most %d, and a value is at most %d characters",
					r->path, line, CFG_MAX_LINE, CFG_MAX_LINE,
					CFG_VALUE_LEN - 1);
		if (nl == NULL && r->too_big)
			break; /* cut by the limit, not by its writer */
		c = control_byte((const unsigned char *)p, len);
		if (c >= 0)
			return cfg_fail(EINVAL, "%s:%u: control byte \\x%02x at column %ld: a "
					"configuration is text (is this a binary file?)", r->path,
					line, (unsigned char)p[c], c + 1);
		memcpy(buf, p, len);
		buf[len] = '\0';
		ret = scan_line(r, buf, len, line);
		if (ret < 0)
			return ret;
		p += len + 1;
	}
	if (r->too_big)
		return cfg_fail(EFBIG, "%s%s: more than %u bytes: a configuration is at most "
				"1 MiB; is this the right file?", r->path,
				r->fifo ? " (a FIFO)" : "", CFG_MAX_FILE);
	if (r->n_sections == 0 && r->len == 0 && r->fifo)
		return cfg_fail(EINVAL, "%s is a FIFO (pipe) that gave no data: write a "
				"configuration into it, or give a regular file (see "
				"config/examples/)", r->path);
	if (r->n_sections == 0)
		return cfg_fail(EINVAL, "%s has no [section] (it is %s): a configuration "
				"needs at least [workers] and [port0] (see config/examples/)",
				r->path, r->len == 0 ? "empty" : "only comments and blank lines");
	return 0;
}

/*
 * rte_cfgfile parses the bytes the scan read, and must find the same
 * sections, keys and values in the same order: a disagreement is a bug in
 * the scan, reported rather than papered over.
 */
int
cfg_cross_check(const struct cfg_reader *r)
{
	struct rte_cfgfile_entry *ents = NULL;
	struct rte_cfgfile *cfg;
	char name[CFG_NAME_LEN], fdpath[64];
	unsigned int k = 0;
	int fd, ret = 0, n_sections;
	size_t done = 0;

	fd = memfd_create("numaperf-config", MFD_CLOEXEC);
	if (fd < 0)
		return cfg_fail(errno, "%s: memfd_create for rte_cfgfile failed: %s", r->path,
				strerror(errno));
	while (done < r->len) {
		ssize_t n = write(fd, r->text + done, r->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = cfg_fail(EIO, "%s: copying it for rte_cfgfile failed: %s", r->path,
				       strerror(errno));
			close(fd);
			return ret;
		}
		done += (size_t)n;
	}
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	cfg = rte_cfgfile_load(fdpath, 0);
	close(fd);
	if (cfg == NULL)
		return cfg_fail(EINVAL, "%s: rte_cfgfile cannot parse the file that numaperf's "
				"scan accepted (%s unreadable?): please report it", r->path,
				fdpath);
	n_sections = rte_cfgfile_num_sections(cfg, NULL, 0);
	if (n_sections != (int)r->n_sections) {
		ret = cfg_fail(EINVAL, "%s: rte_cfgfile found %d sections, numaperf's scan %u: "
			       "please report it", r->path, n_sections, r->n_sections);
		goto out;
	}
	ents = calloc(CFG_SLOT_KEYS + 1, sizeof(*ents));
	if (ents == NULL) {
		ret = cfg_fail(ENOMEM, "%s: no memory", r->path);
		goto out;
	}
	for (int s = 0; s < n_sections; s++) {
		int n = rte_cfgfile_section_entries_by_index(cfg, s, name, ents,
							     CFG_SLOT_KEYS + 1);

		if (n < 0 || strcmp(name, r->sections[s].name) != 0) {
			ret = cfg_fail(EINVAL, "%s:%u: rte_cfgfile disagrees on section [%s]: "
				       "please report it", r->path, r->sections[s].line,
				       r->sections[s].name);
			goto out;
		}
		for (int i = 0; i < n; i++, k++) {
			const struct cfg_entry *e = &r->entries[k];

			if (k >= r->n_entries || strcmp(e->section, name) != 0 ||
			    strcmp(e->key, ents[i].name) != 0 ||
			    strcmp(e->value, ents[i].value) != 0) {
				ret = cfg_fail(EINVAL, "%s: rte_cfgfile disagrees on [%s] %s = %s: "
					       "please report it", r->path, name, ents[i].name,
					       ents[i].value);
				goto out;
			}
		}
	}
	if (k != r->n_entries)
		ret = cfg_fail(EINVAL, "%s: rte_cfgfile found %u entries, numaperf's scan %u: "
			       "please report it", r->path, k, r->n_entries);
out:
	free(ents);
	rte_cfgfile_close(cfg);
	return ret;
}

int
cfg_parse_override(const char *text, struct cfg_entry *e)
{
	const char *dot, *eq;
	char sec[CFG_NAME_LEN], key[CFG_NAME_LEN], val[CFG_VALUE_LEN];

	memset(e, 0, sizeof(*e));
	e->override = text;
	dot = text ? strchr(text, '.') : NULL;
	eq = text ? strchr(text, '=') : NULL;
	if (dot == NULL || eq == NULL || dot > eq || dot == text || eq == dot + 1)
		return cfg_fail(EINVAL, "command line: override '%s' is not "
				"section.key=value (e.g. --set workers.lcores=0-1)",
				text ? text : "(null)");
	if ((size_t)(dot - text) >= CFG_NAME_LEN || (size_t)(eq - dot - 1) >= CFG_NAME_LEN ||
	    strlen(eq + 1) >= CFG_VALUE_LEN)
		return cfg_fail(EINVAL, "command line: override '%s' is too long", text);
	snprintf(sec, sizeof(sec), "%.*s", (int)(dot - text), text);
	snprintf(key, sizeof(key), "%.*s", (int)(eq - dot - 1), dot + 1);
	snprintf(val, sizeof(val), "%s", eq + 1);
	snprintf(e->section, sizeof(e->section), "%s", strip(sec));
	snprintf(e->key, sizeof(e->key), "%s", strip(key));
	snprintf(e->value, sizeof(e->value), "%s", strip(val));
	if (e->value[0] == '\0')
		return cfg_fail(EINVAL, "command line (--set %s): [%s] %s has no value",
				text, e->section, e->key);
	return 0;
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
	free(r->text);
	free(r->entries);
	free(r->overrides);
	r->text = NULL;
	r->entries = NULL;
	r->overrides = NULL;
}
