/* SPDX-License-Identifier: BSD-3-Clause */
/* The stage registry and the names of causes and counters. */
#include <errno.h>
#include <string.h>

#include "np_error_private.h"
#include "pipeline_private.h"

#define MAX_REGISTERED 64
#define NAME_MAX_LEN 31

static struct {
	char name[NAME_MAX_LEN + 1];
	struct np_stage stage;
} registry[MAX_REGISTERED];
static unsigned int n_registered;

int
np_stage_register(const struct np_stage *s)
{
	if (s == NULL || s->name == NULL || s->name[0] == '\0' || s->process == NULL)
		return np_fail(EINVAL, "np_stage_register: a stage needs a name and a process "
			       "callback");
	if (strlen(s->name) > NAME_MAX_LEN)
		return np_fail(EINVAL, "stage name \"%.40s...\" is longer than %d characters",
			       s->name, NAME_MAX_LEN);
	if (stage_find(s->name) != NULL)
		return np_fail(EEXIST, "a stage named \"%s\" is registered already", s->name);
	if (n_registered >= MAX_REGISTERED)
		return np_fail(ENOSPC, "cannot register stage \"%s\": %d stages are registered "
			       "already", s->name, MAX_REGISTERED);
	snprintf(registry[n_registered].name, sizeof(registry[0].name), "%s", s->name);
	registry[n_registered].stage = *s;
	registry[n_registered].stage.name = registry[n_registered].name;
	n_registered++;
	return 0;
}

const struct np_stage *
stage_find(const char *name)
{
	for (unsigned int i = 0; i < n_registered; i++)
		if (strcmp(registry[i].name, name) == 0)
			return &registry[i].stage;
	return NULL;
}

static const char *const drop_names[NP_DROP_FLOW_FIRST] = {
#define X(e, name, doc) name,
	NP_DROP_CAUSES(X)
#undef X
};
static const char *const drop_docs[NP_DROP_FLOW_FIRST] = {
#define X(e, name, doc) doc,
	NP_DROP_CAUSES(X)
#undef X
};
static const char *const port_names[NP_PORT_N] = {
#define X(e, name, doc) name,
	NP_PORT_COUNTERS(X)
#undef X
};
static const char *const lcore_names[NP_LCORE_N] = {
#define X(e, name, doc) name,
	NP_LCORE_COUNTERS(X)
#undef X
};

const char *
np_drop_cause_name(enum np_drop_cause c)
{
	if ((unsigned int)c < NP_DROP_FLOW_FIRST)
		return drop_names[c];
	if ((unsigned int)c < NP_DROP_N)
		return np_flow_parse_name((enum np_flow_parse)(c - NP_DROP_FLOW_FIRST));
	return NULL;
}

const char *
np_drop_cause_doc(enum np_drop_cause c)
{
	if ((unsigned int)c < NP_DROP_FLOW_FIRST)
		return drop_docs[c];
	if ((unsigned int)c < NP_DROP_N)
		return np_flow_parse_doc((enum np_flow_parse)(c - NP_DROP_FLOW_FIRST));
	return NULL;
}

const char *
np_port_counter_name(enum np_port_counter c)
{
	return (unsigned int)c < NP_PORT_N ? port_names[c] : NULL;
}

const char *
np_lcore_counter_name(enum np_lcore_counter c)
{
	return (unsigned int)c < NP_LCORE_N ? lcore_names[c] : NULL;
}
