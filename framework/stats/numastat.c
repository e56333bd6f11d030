/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The kernel's numastat counters per node: read, subtract, look up. How to
 * read them is in np_numastat.h.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np_list_private.h"
#include "np_nodemask.h"
#include "np_numastat.h"
#include "stats_private.h"

#define SYSFS_NODE_ROOT "/sys/devices/system/node"

struct np_numastat {
	unsigned int n;
	struct np_numastat_node node[];   /* ascending node id */
};

static const char *const field_names[] = {
#define NP__NUMASTAT_NAME(e, name) #name,
	NP_NUMASTAT_FIELDS(NP__NUMASTAT_NAME)
#undef NP__NUMASTAT_NAME
};

static_assert(RTE_DIM(field_names) == NP_NUMASTAT_N_FIELDS, "one name per counter");

const char *
np_numastat_field_name(enum np_numastat_field f)
{
	return (unsigned int)f < NP_NUMASTAT_N_FIELDS ? field_names[f] : NULL;
}

static np_numastat *
alloc_snapshot(unsigned int n)
{
	np_numastat *s = calloc(1, sizeof(*s) + (size_t)n * sizeof(s->node[0]));

	if (s == NULL)
		return np_fail_null(ENOMEM, "numastat: out of memory");
	s->n = n;
	return s;
}

static void
add_nodes(void *ctx, long lo, long hi)
{
	for (long id = lo; id <= hi; id++)
		np_nodemask_set(ctx, (int)id);
}

static int
field_index(const char *name)
{
	for (unsigned int f = 0; f < NP_NUMASTAT_N_FIELDS; f++)
		if (strcmp(name, field_names[f]) == 0)
			return (int)f;
	return -1;
}

/*
 * Parse one node's file: "name value" lines. Counters the kernel may add
 * later are skipped; each of the six must be there.
 */
static int
read_node(const char *root, int id, struct np_numastat_node *out)
{
	char path[4200], line[256];
	unsigned int seen = 0, lineno = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/node%d/numastat", root, id);
	f = fopen(path, "r");
	if (f == NULL) {
		int err = errno;

		return np_fail(err == ENOENT ? ENOENT : EIO, "numastat: node %d is listed in %s/online "
			       "but %s cannot be read: %s (did the node go offline?)", id, root, path,
			       strerror(err));
	}
	out->node = id;
	while (fgets(line, sizeof(line), f) != NULL) {
		char name[64], *end;
		int n = 0, k;
		uint64_t v;

		lineno++;
		if (sscanf(line, "%63s %n", name, &n) != 1 || n == 0 || !isdigit((unsigned char)line[n]))
			goto malformed;
		errno = 0;
		v = strtoull(line + n, &end, 10);
		while (*end == ' ' || *end == '\t' || *end == '\n')
			end++;
		if (errno != 0 || *end != '\0')
			goto malformed;
		k = field_index(name);
		if (k < 0)
			continue;
		out->v[k] = v;
		seen |= 1u << k;
	}
	if (ferror(f)) {
		fclose(f);
		return np_fail(EIO, "numastat: reading %s failed", path);
	}
	fclose(f);
	for (unsigned int k = 0; k < NP_NUMASTAT_N_FIELDS; k++)
		if (!(seen & (1u << k)))
			return np_fail(EIO, "numastat: %s has no %s line (not a numastat file?)", path,
				       field_names[k]);
	return 0;
malformed:
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	return np_fail(EIO, "numastat: %s:%u: \"%s\" is not \"<counter> <unsigned number>\"", path,
		       lineno, line);
}

np_numastat *
np_numastat_read(const char *root)
{
	char path[4200];
	np_nodemask nodes;
	np_numastat *s;
	unsigned int i = 0;
	int ret;

	if (root == NULL)
		root = SYSFS_NODE_ROOT;
	snprintf(path, sizeof(path), "%s/online", root);
	np_nodemask_zero(&nodes);
	ret = np_idlist_read(path, "node", NP_MAX_NODE_ID, add_nodes, &nodes);
	if (ret == -EINVAL)
		return np_fail_null(EINVAL, "numastat: %s is not a node list (\"0-1,3\")", path);
	if (ret < 0)
		return np_fail_null(ENOENT, "numastat: cannot read %s: %s (a kernel without NUMA "
				    "support has no %s)", path, strerror(-ret), SYSFS_NODE_ROOT);
	if (np_nodemask_weight(&nodes) == 0)
		return np_fail_null(EINVAL, "numastat: %s lists no node", path);
	s = alloc_snapshot(np_nodemask_weight(&nodes));
	if (s == NULL)
		return NULL;
	NP_NODEMASK_FOREACH(id, &nodes) {
		if (read_node(root, id, &s->node[i++]) < 0) {
			int err = errno;

			free(s);
			errno = err;
			return NULL;
		}
	}
	NP_LOG(DEBUG, "numastat: %u node%s from %s", s->n, s->n == 1 ? "" : "s", root);
	return s;
}

np_numastat *
np_numastat_delta(const np_numastat *after, const np_numastat *before)
{
	np_numastat *d;
	unsigned int i = 0, j = 0, n = 0;

	if (after == NULL || before == NULL)
		return np_fail_null(EINVAL, "np_numastat_delta: %s is NULL",
				    after == NULL ? "after" : "before");
	d = alloc_snapshot(RTE_MIN(after->n, before->n));
	if (d == NULL)
		return NULL;
	/* Both ascending: walk them together, keep the nodes in both. */
	while (i < after->n && j < before->n) {
		const struct np_numastat_node *a = &after->node[i], *b = &before->node[j];

		if (a->node < b->node) {
			i++;
			continue;
		}
		if (b->node < a->node) {
			j++;
			continue;
		}
		for (unsigned int k = 0; k < NP_NUMASTAT_N_FIELDS; k++) {
			if (a->v[k] < b->v[k]) {
				free(d);
				return np_fail_null(EINVAL, "np_numastat_delta: node %d %s went down from "
						    "%" PRIu64 " to %" PRIu64 ": pass the later snapshot "
						    "as 'after'", a->node, field_names[k], b->v[k],
						    a->v[k]);
			}
			d->node[n].v[k] = a->v[k] - b->v[k];
		}
		d->node[n++].node = a->node;
		i++;
		j++;
	}
	d->n = n;
	return d;
}

void
np_numastat_destroy(np_numastat *s)
{
	free(s);
}

unsigned int
np_numastat_count(const np_numastat *s)
{
	return s == NULL ? 0 : s->n;
}

const struct np_numastat_node *
np_numastat_at(const np_numastat *s, unsigned int i)
{
	return s == NULL || i >= s->n ? NULL : &s->node[i];
}

const struct np_numastat_node *
np_numastat_node(const np_numastat *s, int node)
{
	for (unsigned int i = 0; s != NULL && i < s->n; i++)
		if (s->node[i].node == node)
			return &s->node[i];
	return NULL;
}
