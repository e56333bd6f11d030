/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sections, keys, their types and ranges, and the checks against the
 * topology. One table per section: an error lists that table's keys, so the
 * allowed keys and the documentation in config/examples/ come from one place.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "config_private.h"
#include "np_runtime.h"
#include "np_error_private.h"
#include "np_list_private.h"

enum ktype {
	K_UINT,      /* whole number in [min, max] */
	K_DECIMAL,   /* decimal number in [min, max], a double */
	K_POW2,      /* power of 2 in [min, max] */
	K_BOOL,
	K_ENUM,      /* one of names[] (index = value) */
	K_EAL_ARGS,  /* EAL arguments, minus what the config owns */
	K_CPUS,      /* CPU list "0-3,6" -> lcores[] */
	K_NODES,     /* node list "0,2" -> nodes[] */
	K_NODE_AUTO, /* "auto" or a node id */
	K_MAIN_LCORE, /* "first-worker" or a CPU id */
	K_UNKNOWN,   /* "nearest-worker", "node N", "fail" */
	K_PCI,
	K_VDEV,
	K_PEER,      /* "portN" or N */
};

struct key {
	const char *name;
	enum ktype type;
	size_t off;               /* in struct np_config, or np_config_port for ports */
	size_t size;              /* of the field, for K_UINT / K_POW2 */
	unsigned long min, max;
	const char *const *names; /* K_ENUM */
	/*
	 * Keys of one section with different groups exclude each other: an
	 * override of one drops the file's others (lcores vs per_node/nodes).
	 */
	char group;
};

#define G(f) offsetof(struct np_config, f), sizeof(((struct np_config *)0)->f)
#define P(f) offsetof(struct np_config_port, f), sizeof(((struct np_config_port *)0)->f)

static const char *const placement_names[] = { "port", "poller", NULL };
static const char *const mode_names[] = { "io", "handoff", NULL };
static const char *const mac_names[] = { "swap", "rewrite", "none", NULL };
static const char *const home_names[] = { "symmetric", "ingress", NULL };

static const struct key eal_keys[] = {
	{ "args", K_EAL_ARGS, G(eal_args), 0, 0, NULL, 0 },
	{ "no_huge", K_BOOL, G(no_huge), 0, 0, NULL, 0 },
};
static const struct key worker_keys[] = {
	{ "lcores", K_CPUS, G(lcores), 0, 0, NULL, 'l' },
	{ "per_node", K_UINT, G(per_node), 1, NP_PLAN_MAX_WORKERS, NULL, 'n' },
	{ "nodes", K_NODES, G(nodes), 0, 0, NULL, 'n' },
	{ "main_lcore", K_MAIN_LCORE, G(main_lcore), 0, 0, NULL, 0 },
};
static const struct key pool_keys[] = {
	{ "data_room", K_UINT, G(data_room), 256, 65535, NULL, 0 },
	{ "cache_size", K_UINT, G(cache_size), 0, 512, NULL, 0 },
	{ "placement", K_ENUM, G(placement), 0, 0, placement_names, 0 },
};
static const struct key policy_keys[] = {
	{ "unknown_node", K_UNKNOWN, G(unknown_node), 0, 0, NULL, 0 },
	{ "strict", K_BOOL, G(strict), 0, 0, NULL, 0 },
};
static const struct key pipeline_keys[] = {
	{ "mode", K_ENUM, G(mode), 0, 0, mode_names, 0 },
	{ "burst", K_UINT, G(burst), 1, 256, NULL, 0 },
	{ "mac", K_ENUM, G(mac), 0, 0, mac_names, 0 },
	{ "ring_size", K_POW2, G(ring_size), 64, 65536, NULL, 0 },
	{ "seed_packets", K_UINT, G(seed_packets), 0, 4096, NULL, 0 },
	{ "duration", K_UINT, G(duration), 0, 86400, NULL, 0 },
	{ "latency", K_BOOL, G(latency), 0, 0, NULL, 0 },
	{ "tx_drain_us", K_UINT, G(tx_drain_us), 0, 1000000, NULL, 0 },
};
static const struct key flow_keys[] = {
	{ "count", K_UINT, G(flows), 0, 1u << 30, NULL, 0 },
	{ "zipf", K_DECIMAL, G(flow_zipf), 0, 10, NULL, 0 },
	{ "home", K_ENUM, G(flow_home), 0, 0, home_names, 0 },
	{ "capacity", K_UINT, G(flow_capacity), 64, 1u << 30, NULL, 0 },
};
static const struct key port_keys[] = {
	{ "pci", K_PCI, P(pci), 0, 0, NULL, 'p' },
	{ "vdev", K_VDEV, P(vdev), 0, 0, NULL, 'v' },
	{ "node", K_NODE_AUTO, P(node), 0, 0, NULL, 0 },
	{ "rx_queues", K_UINT, P(rx_queues), 1, NP_PLAN_MAX_QUEUES, NULL, 0 },
	{ "rx_desc", K_UINT, P(rx_desc), 16, 32768, NULL, 0 },
	{ "tx_desc", K_UINT, P(tx_desc), 16, 32768, NULL, 0 },
	{ "peer", K_PEER, P(peer), 0, 0, NULL, 0 },
	{ "promiscuous", K_BOOL, P(promiscuous), 0, 0, NULL, 0 },
};

struct section {
	const char *name;
	const struct key *keys;
	unsigned int n_keys;
};

#define S(n, k) { n, k, sizeof(k) / sizeof(k[0]) }
static const struct section sections[] = {
	S("eal", eal_keys), S("workers", worker_keys), S("pools", pool_keys),
	S("policies", policy_keys), S("pipeline", pipeline_keys), S("flows", flow_keys),
};
static const struct section port_section = S("portN", port_keys);

/* The reader's per-slot tables (config_private.h) must fit every section. */
static_assert(RTE_DIM(sections) == CFG_NAMED_SECTIONS, "CFG_NAMED_SECTIONS");
static_assert(RTE_DIM(eal_keys) <= CFG_SLOT_KEYS && RTE_DIM(worker_keys) <= CFG_SLOT_KEYS &&
	      RTE_DIM(pool_keys) <= CFG_SLOT_KEYS && RTE_DIM(policy_keys) <= CFG_SLOT_KEYS &&
	      RTE_DIM(pipeline_keys) <= CFG_SLOT_KEYS && RTE_DIM(flow_keys) <= CFG_SLOT_KEYS &&
	      RTE_DIM(port_keys) <= CFG_SLOT_KEYS,
	      "CFG_SLOT_KEYS");

#define ALLOWED_SECTIONS "[eal], [workers], [pools], [policies], [pipeline], [flows], " \
			 "[port0] to [port31]"

/*
 * The section's table, the port index for [portN] (-1 otherwise) and its
 * slot: the named sections first, then the ports.
 */
static const struct section *
classify_slot(const char *name, int *port, int *slot)
{
	*port = -1;
	*slot = -1;
	for (unsigned int i = 0; i < RTE_DIM(sections); i++)
		if (strcmp(name, sections[i].name) == 0) {
			*slot = (int)i;
			return &sections[i];
		}
	if (strncmp(name, "port", 4) == 0 && isdigit((unsigned char)name[4])) {
		char *end;
		unsigned long n = strtoul(name + 4, &end, 10);

		if (*end == '\0' && n < NP_CONFIG_MAX_PORTS &&
		    (name[4] != '0' || name[5] == '\0')) {
			*port = (int)n;
			*slot = CFG_NAMED_SECTIONS + (int)n;
			return &port_section;
		}
	}
	return NULL;
}

static const struct section *
classify(const char *name, int *port)
{
	int slot;

	return classify_slot(name, port, &slot);
}

static const struct key *
find_key(const struct section *s, const char *name)
{
	for (unsigned int i = 0; i < s->n_keys; i++)
		if (strcmp(s->keys[i].name, name) == 0)
			return &s->keys[i];
	return NULL;
}

/* ---- messages ------------------------------------------------------------ */

/* "where: [section] key = value: problem; allowed: ..." */
static int __attribute__((format(printf, 5, 6)))
bad_value(const struct cfg_reader *r, const struct cfg_entry *e, int err,
	  const char *allowed, const char *fmt, ...)
{
	char where[4200], what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return cfg_fail(err, "%s: [%s] %s = %s: %s; allowed: %s",
		       cfg_where(r, e, where, sizeof(where)), e->section, e->key,
		       e->value, what, allowed);
}

/* "0-3,6" from an ascending list. */
static void
format_ranges(char *buf, size_t len, const unsigned int *v, unsigned int n)
{
	struct np_idlist_writer w;

	np_idlist_begin(&w, buf, len);
	for (unsigned int i = 0; i < n; i++)
		np_idlist_add(&w, v[i]);
	np_idlist_end(&w);
}

static void
topo_cpus(const np_topo *t, char *buf, size_t len)
{
	unsigned int cpus[NP_PLAN_MAX_WORKERS * 4];
	unsigned int n = 0;

	for (unsigned int i = 0; i < np_topo_node_count(t); i++) {
		int k = np_topo_node_cpus(t, np_topo_node_id(t, i), cpus + n,
					  (unsigned int)(sizeof(cpus) / sizeof(cpus[0])) - n);

		n += k > 0 ? (unsigned int)k : 0;
		if (n > sizeof(cpus) / sizeof(cpus[0]))
			n = sizeof(cpus) / sizeof(cpus[0]);
	}
	/* Nodes list their CPUs separately: sort the union. */
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j > 0 && cpus[j - 1] > cpus[j]; j--) {
			unsigned int x = cpus[j];

			cpus[j] = cpus[j - 1];
			cpus[j - 1] = x;
		}
	format_ranges(buf, len, cpus, n);
}

static void
topo_nodes(const np_topo *t, bool with_cpus, char *buf, size_t len)
{
	unsigned int ids[NP_MAX_NODE_ID + 1];
	unsigned int n = 0;

	for (unsigned int i = 0; i < np_topo_node_count(t); i++) {
		int id = np_topo_node_id(t, i);

		if (!with_cpus || np_topo_node_cpus(t, id, NULL, 0) > 0)
			ids[n++] = (unsigned int)id;
	}
	format_ranges(buf, len, ids, n);
}

/* ---- value parsers ------------------------------------------------------- */

static bool
parse_ulong(const char *s, unsigned long *out)
{
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno == 0 && *end == '\0';
}

/* Collects a list's ids into out[], noting the first one given twice. */
struct list_ids {
	unsigned int *out;
	unsigned int max, n;
	bool overflow;
	long twice;
	unsigned char seen[(NP_MAX_NODE_ID * 64 + 1 + 7) / 8];
};

static void
collect_ids(void *ctx, long lo, long hi)
{
	struct list_ids *l = ctx;

	for (long v = lo; v <= hi && !l->overflow; v++) {
		if (l->seen[v / 8] & (1u << (v % 8))) {
			if (l->twice < 0)
				l->twice = v;
			continue;
		}
		l->seen[v / 8] |= (unsigned char)(1u << (v % 8));
		if (l->n >= l->max)
			l->overflow = true;
		else
			l->out[l->n++] = (unsigned int)v;
	}
}

/* "0-3,6" through the one list parser (np_idlist_parse), then our limits. */
static int
parse_list(const struct cfg_reader *r, const struct cfg_entry *e, const char *what,
	   long max_id, const char *allowed, unsigned int *out, unsigned int max,
	   unsigned int *n)
{
	struct list_ids *l = calloc(1, sizeof(*l));
	char why[400];
	int ret = 0;

	*n = 0;
	if (l == NULL)
		return cfg_fail(ENOMEM, "no memory to read a %s list", what);
	l->out = out;
	l->max = max;
	l->twice = -1;
	if (np_idlist_parse(e->value, what, max_id, collect_ids, l, why, sizeof(why)) < 0)
		ret = bad_value(r, e, EINVAL, allowed, "%s", why);
	else if (l->twice >= 0)
		ret = bad_value(r, e, EEXIST, allowed, "%s %ld is listed twice", what, l->twice);
	else if (l->overflow)
		ret = bad_value(r, e, ERANGE, allowed, "more than %u %ss", max, what);
	else if (l->n == 0)
		ret = bad_value(r, e, EINVAL, allowed, "empty list");
	*n = ret == 0 ? l->n : 0;
	free(l);
	return ret;
}

static int
parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (unsigned int i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* A node id that must exist in the topology (when there is one). */
static int
check_node(const struct cfg_reader *r, const struct cfg_entry *e, unsigned long node,
	   const char *allowed_fmt)
{
	char nodes[256], allowed[320];

	if (r->topo == NULL || np_topo_node_exists(r->topo, (int)node))
		return 0;
	topo_nodes(r->topo, false, nodes, sizeof(nodes));
	snprintf(allowed, sizeof(allowed), allowed_fmt, nodes);
	return bad_value(r, e, ENOENT, allowed, "node %lu does not exist in topology %s",
			 node, np_topo_source_name(r->topo));
}

static int
parse_pci(const struct cfg_reader *r, const struct cfg_entry *e, char *out, size_t len)
{
	static const char allowed[] = "a PCI address DDDD:BB:DD.F (e.g. 0000:0a:02.0)";
	unsigned int dom = 0, bus, dev, fn;
	int used = 0;

	if (sscanf(e->value, "%x:%x:%x.%x%n", &dom, &bus, &dev, &fn, &used) != 4 ||
	    e->value[used] != '\0') {
		dom = 0;
		used = 0;
		if (sscanf(e->value, "%x:%x.%x%n", &bus, &dev, &fn, &used) != 3 ||
		    e->value[used] != '\0')
			return bad_value(r, e, EINVAL, allowed, "not a PCI address");
	}
	if (dom > 0xffff || bus > 0xff || dev > 0x1f || fn > 7)
		return bad_value(r, e, ERANGE, allowed, "a field is out of range "
				 "(bus <= ff, device <= 1f, function <= 7)");
	snprintf(out, len, "%04x:%02x:%02x.%x", dom, bus, dev, fn);
	if (r->topo != NULL && np_topo_nic_find(r->topo, out) < 0) {
		char list[256] = "";
		size_t off = 0;

		for (unsigned int i = 0; i < np_topo_nic_count(r->topo); i++) {
			struct np_nic_info nic;

			if (np_topo_nic(r->topo, i, &nic) == 0)
				np_buf_appendf(list, sizeof(list), &off, "%s%s",
					       i ? ", " : "", nic.pci_addr);
		}
		return bad_value(r, e, ENOENT, list[0] ? list : "(no PCI network device here: "
				 "use a vdev)", "no network device %s in topology %s "
				 "(numa-doctor lists them)", out, np_topo_source_name(r->topo));
	}
	return 0;
}

/*
 * What EAL arguments may not say: the runtime reads them as EAL's getopt
 * will (abbreviations and clustered short options included) and says which
 * of its parameters owns one; here that parameter becomes the key that sets
 * it. Arguments numaperf cannot run with keep the runtime's reason.
 */
static const struct { const char *param; const char *use; } eal_owner_keys[] = {
	{ "workers.main_lcore", "[workers] main_lcore" },
	{ "workers", "[workers] lcores or per_node" },
	{ "ports", "[portN] pci or vdev" },
	{ "no_huge", "[eal] no_huge" },
};

const char *
np_config_eal_owner(const char *tok)
{
	const char *owner = np_runtime_eal_arg_owner(tok);

	for (unsigned int i = 0; owner && i < sizeof(eal_owner_keys) / sizeof(eal_owner_keys[0]);
	     i++)
		if (strncmp(owner, eal_owner_keys[i].param, strlen(eal_owner_keys[i].param)) == 0)
			return eal_owner_keys[i].use;
	return owner;
}

static int
check_eal_args(const struct cfg_reader *r, const struct cfg_entry *e)
{
	char buf[CFG_VALUE_LEN];
	char *save = NULL;

	snprintf(buf, sizeof(buf), "%s", e->value);
	for (char *tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		const char *use = np_config_eal_owner(tok);
		char opt[CFG_VALUE_LEN];

		if (use == NULL)
			continue;
		snprintf(opt, sizeof(opt), "%.*s", (int)strcspn(tok, "="), tok);
		if (use[0] == '[')
			return bad_value(r, e, EINVAL, "EAL options the configuration does not "
					 "own", "%s is set by the configuration: use %s", opt,
					 use);
		return bad_value(r, e, EINVAL, "EAL options numaperf can run with", "%s: %s",
				 opt, use);
	}
	return 0;
}

static int
parse_value(const struct cfg_reader *r, const struct cfg_entry *e, const struct key *k,
	    void *base, struct np_config *cfg)
{
	char allowed[512], list[256];
	void *field = (char *)base + k->off;
	unsigned long v;
	int ret;

	switch (k->type) {
	case K_UINT:
	case K_POW2:
		snprintf(allowed, sizeof(allowed), "%s%lu-%lu",
			 k->type == K_POW2 ? "a power of 2 in " : "", k->min, k->max);
		if (!parse_ulong(e->value, &v))
			return bad_value(r, e, EINVAL, allowed, "not a whole number");
		if (v < k->min || v > k->max)
			return bad_value(r, e, ERANGE, allowed, "out of range");
		if (k->type == K_POW2 && (v & (v - 1)) != 0)
			return bad_value(r, e, EINVAL, allowed, "not a power of 2");
		if (k->size == sizeof(uint16_t))
			*(uint16_t *)field = (uint16_t)v;
		else
			*(unsigned int *)field = (unsigned int)v;
		return 0;
	case K_DECIMAL: {
		char *end;
		double d;

		snprintf(allowed, sizeof(allowed), "a decimal number from %lu to %lu", k->min,
			 k->max);
		errno = 0;
		d = strtod(e->value, &end);
		/* Decimal only: no hex, inf or nan (strtod takes them all). */
		if (end == e->value || *end != '\0' || errno != 0 ||
		    strspn(e->value, "0123456789.+-eE") != strlen(e->value))
			return bad_value(r, e, EINVAL, allowed, "not a decimal number");
		if (!(d >= (double)k->min && d <= (double)k->max))
			return bad_value(r, e, ERANGE, allowed, "out of range");
		*(double *)field = d;
		return 0;
	}
	case K_BOOL:
		if (parse_bool(e->value, field) < 0)
			return bad_value(r, e, EINVAL, "yes, no (or true/false, on/off, 1/0)",
					 "not a yes/no value");
		return 0;
	case K_ENUM: {
		size_t off = 0;

		for (int i = 0; k->names[i]; i++) {
			if (strcmp(e->value, k->names[i]) == 0) {
				*(int *)field = i;
				return 0;
			}
			np_buf_appendf(allowed, sizeof(allowed), &off, "%s%s",
				       i ? ", " : "", k->names[i]);
		}
		return bad_value(r, e, EINVAL, allowed, "not a known value");
	}
	case K_EAL_ARGS:
		ret = check_eal_args(r, e);
		if (ret == 0)
			snprintf(field, k->size, "%s", e->value);
		return ret;
	case K_CPUS:
		if (r->topo)
			topo_cpus(r->topo, list, sizeof(list));
		snprintf(allowed, sizeof(allowed), "CPU ids%s%s, as a list like 0-3,6",
			 r->topo ? " " : "", r->topo ? list : "");
		ret = parse_list(r, e, "CPU", NP_MAX_NODE_ID * 64L, allowed, cfg->lcores,
				 NP_PLAN_MAX_WORKERS, &cfg->n_lcores);
		if (ret < 0)
			return ret;
		for (unsigned int i = 0; r->topo && i < cfg->n_lcores; i++)
			if (np_topo_cpu_node(r->topo, cfg->lcores[i]) < 0)
				return bad_value(r, e, ENOENT, allowed, "CPU %u does not exist "
						 "in topology %s", cfg->lcores[i],
						 np_topo_source_name(r->topo));
		return 0;
	case K_NODES: {
		unsigned int ids[NP_PLAN_MAX_WORKERS];

		if (r->topo)
			topo_nodes(r->topo, true, list, sizeof(list));
		snprintf(allowed, sizeof(allowed), "node ids%s%s (nodes with CPUs)",
			 r->topo ? " " : "", r->topo ? list : "");
		ret = parse_list(r, e, "node", NP_MAX_NODE_ID, allowed, ids, NP_PLAN_MAX_WORKERS,
				 &cfg->n_nodes);
		if (ret < 0)
			return ret;
		for (unsigned int i = 0; i < cfg->n_nodes; i++) {
			cfg->nodes[i] = (int)ids[i];
			if (r->topo == NULL)
				continue;
			if (!np_topo_node_exists(r->topo, (int)ids[i]))
				return bad_value(r, e, ENOENT, allowed, "node %u does not "
						 "exist in topology %s", ids[i],
						 np_topo_source_name(r->topo));
			if (np_topo_node_cpus(r->topo, (int)ids[i], NULL, 0) == 0)
				return bad_value(r, e, ENOENT, allowed, "node %u has no CPU",
						 ids[i]);
		}
		return 0;
	}
	case K_NODE_AUTO:
		if (strcmp(e->value, "auto") == 0) {
			*(int *)field = NP_NODE_UNKNOWN;
			return 0;
		}
		if (!parse_ulong(e->value, &v) || v > NP_MAX_NODE_ID)
			return bad_value(r, e, EINVAL, "auto, or a node id", "not a node id");
		ret = check_node(r, e, v, "auto, or a node id among %s");
		if (ret == 0)
			*(int *)field = (int)v;
		return ret;
	case K_MAIN_LCORE:
		if (r->topo)
			topo_cpus(r->topo, list, sizeof(list));
		snprintf(allowed, sizeof(allowed), "first-worker, or a CPU id%s%s that is "
			 "not a worker", r->topo ? " among " : "", r->topo ? list : "");
		if (strcmp(e->value, "first-worker") == 0) {
			*(int *)field = -1;
			return 0;
		}
		if (!parse_ulong(e->value, &v) || v >= NP_MAX_NODE_ID * 64UL)
			return bad_value(r, e, EINVAL, allowed, "not a CPU id");
		if (r->topo && np_topo_cpu_node(r->topo, (unsigned int)v) < 0)
			return bad_value(r, e, ENOENT, allowed, "CPU %lu does not exist in "
					 "topology %s", v, np_topo_source_name(r->topo));
		*(int *)field = (int)v;
		return 0;
	case K_UNKNOWN:
		snprintf(allowed, sizeof(allowed), "nearest-worker, node N, fail");
		if (strcmp(e->value, "nearest-worker") == 0) {
			cfg->unknown_node = NP_UNKNOWN_NEAREST_WORKER;
			return 0;
		}
		if (strcmp(e->value, "fail") == 0) {
			cfg->unknown_node = NP_UNKNOWN_FAIL;
			return 0;
		}
		if (strncmp(e->value, "node", 4) != 0 || !isspace((unsigned char)e->value[4]))
			return bad_value(r, e, EINVAL, allowed, "not a known policy");
		{
			const char *n = e->value + 4;

			while (isspace((unsigned char)*n))
				n++;
			if (!parse_ulong(n, &v) || v > NP_MAX_NODE_ID)
				return bad_value(r, e, EINVAL, allowed, "'%s' is not a node id", n);
		}
		ret = check_node(r, e, v, "nearest-worker, node N (N among %s), fail");
		if (ret < 0)
			return ret;
		cfg->unknown_node = NP_UNKNOWN_FIXED_NODE;
		cfg->unknown_node_id = (int)v;
		return 0;
	case K_PCI:
		return parse_pci(r, e, field, k->size);
	case K_VDEV:
		for (const char *c = e->value; *c; c++)
			if (isspace((unsigned char)*c))
				return bad_value(r, e, EINVAL, "a DPDK virtual device with its "
						 "arguments, without spaces (e.g. net_null0 or "
						 "net_ring0,nodeaction=r0:0:CREATE)",
						 "contains a space");
		if (e->value[0] == ',')
			return bad_value(r, e, EINVAL, "a DPDK virtual device name, e.g. "
					 "net_null0", "no device name before ','");
		snprintf(field, k->size, "%s", e->value);
		return 0;
	case K_PEER: {
		const char *n = strncmp(e->value, "port", 4) == 0 ? e->value + 4 : e->value;

		if (!parse_ulong(n, &v) || v >= NP_CONFIG_MAX_PORTS)
			return bad_value(r, e, EINVAL, "portN (N = 0-31) naming a declared port",
					 "not a port");
		*(int *)field = (int)v;
		return 0;
	}
	}
	return cfg_fail(EINVAL, "config: key type %d unknown", (int)k->type);
}

/* ---- applying entries ----------------------------------------------------- */

void
cfg_defaults(struct np_config *cfg)
{
	cfg->data_room = 2048 + 128; /* RTE_MBUF_DEFAULT_BUF_SIZE */
	cfg->cache_size = 256;
	cfg->placement = NP_POOL_AT_PORT;
	cfg->unknown_node = NP_UNKNOWN_NEAREST_WORKER;
	cfg->mode = NP_TX_BY_POLLER;
	cfg->burst = 32;
	cfg->mac = NP_MAC_REWRITE;
	cfg->ring_size = 1024;
	cfg->main_lcore = -1;
	cfg->latency = true;
	cfg->flow_home = NP_FLOW_HOME_SYMMETRIC;
	for (unsigned int i = 0; i < NP_CONFIG_MAX_PORTS; i++) {
		struct np_config_port *p = &cfg->ports[i];

		p->node = NP_NODE_UNKNOWN;
		p->rx_queues = 1;
		p->rx_desc = 1024;
		p->tx_desc = 1024;
		p->peer = -1;
		p->promiscuous = true;
	}
}

static const char *
allowed_keys(const struct section *s, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < s->n_keys; i++)
		np_buf_appendf(buf, len, &off, "%s%s", i ? ", " : "", s->keys[i].name);
	return buf;
}

/*
 * The command line wins: a file entry is not applied when an override sets
 * the same key, or a key of the same section that excludes it (lcores vs
 * per_node/nodes, pci vs vdev).
 */
static bool
overridden(const struct cfg_reader *r, const struct cfg_entry *fe, const struct key *kf)
{
	for (unsigned int o = 0; o < r->n_overrides; o++) {
		const struct cfg_entry *ov = &r->overrides[o];
		const struct section *so;
		const struct key *ko;
		int port;

		if (strcmp(fe->section, ov->section) != 0)
			continue;
		if (strcmp(fe->key, ov->key) == 0)
			return true;
		so = classify(ov->section, &port);
		ko = so ? find_key(so, ov->key) : NULL;
		if (ko && ko->group && kf->group && ko->group != kf->group)
			return true;
	}
	return false;
}

/* Parse an entry's value into the configuration and make it the one in force. */
static int
apply_value(struct cfg_reader *r, const struct cfg_entry *e, const struct section *s,
	    const struct key *k, int port, int slot)
{
	void *base = port >= 0 ? (void *)&r->cfg->ports[port] : (void *)r->cfg;
	int ret = parse_value(r, e, k, base, r->cfg);

	if (ret == 0)
		r->applied[slot][k - s->keys] = e;
	return ret;
}

int
cfg_file_section(struct cfg_reader *r, const char *name, unsigned int line)
{
	int port, slot;

	if (classify_slot(name, &port, &slot) == NULL)
		return cfg_fail(EINVAL, "%s:%u: unknown section [%s]; allowed sections: "
				ALLOWED_SECTIONS, r->path, line, name);
	/* Known sections are few (CFG_SLOTS): a look at each is cheap. */
	for (unsigned int j = 0; j < r->n_sections; j++)
		if (r->section_slot[j] == slot)
			return cfg_fail(EEXIST, "%s:%u: section [%s] appears again (first at "
					"line %u): merge them into one", r->path, line, name,
					r->sections[j].line);
	snprintf(r->sections[r->n_sections].name, CFG_NAME_LEN, "%s", name);
	r->sections[r->n_sections].line = line;
	r->section_slot[r->n_sections++] = slot;
	if (port >= 0)
		r->port_seen[port] = true;
	return 0;
}

int
cfg_file_entry(struct cfg_reader *r, const struct cfg_entry *e)
{
	char keys[512];
	const struct section *s;
	const struct key *k;
	struct cfg_entry *kept;
	unsigned int *first;
	int port, slot;

	/* The scan gives entries of the last section, which it has checked. */
	s = classify_slot(e->section, &port, &slot);
	if (s == NULL)
		return cfg_fail(EINVAL, "%s:%u: unknown section [%s]", r->path, e->line,
				e->section);
	k = find_key(s, e->key);
	if (k == NULL)
		return cfg_fail(EINVAL, "%s:%u: [%s] unknown key '%s'; allowed keys: %s",
				r->path, e->line, e->section, e->key,
				allowed_keys(s, keys, sizeof(keys)));
	/*
	 * A duplicate is found by its slot in a table, not by comparing with
	 * every earlier entry: each line costs the same however long the file.
	 */
	first = &r->file_line[slot][k - s->keys];
	if (*first != 0)
		return cfg_fail(EEXIST, "%s:%u: [%s] %s is set again (first at line %u): "
				"keep one", r->path, e->line, e->section, e->key, *first);
	*first = e->line;
	/* At most one entry per slot and key reaches here: the array is that big. */
	kept = &r->entries[r->n_entries++];
	*kept = *e;
	if (overridden(r, kept, k))
		return 0;
	return apply_value(r, kept, s, k, port, slot);
}

/* "where" of a section: its header line, or the first override naming it. */
static const char *
section_where(const struct cfg_reader *r, const char *name, char *buf, size_t len)
{
	for (unsigned int i = 0; i < r->n_sections; i++)
		if (strcmp(r->sections[i].name, name) == 0) {
			snprintf(buf, len, "%s:%u", r->path, r->sections[i].line);
			return buf;
		}
	for (unsigned int i = 0; i < r->n_overrides; i++)
		if (strcmp(r->overrides[i].section, name) == 0)
			return cfg_where(r, &r->overrides[i], buf, len);
	snprintf(buf, len, "%s", r->path);
	return buf;
}

/* The entry in force for a section and key, or NULL. */
static const struct cfg_entry *
applied(const struct cfg_reader *r, const char *section, const char *key)
{
	int port, slot;
	const struct section *s = classify_slot(section, &port, &slot);
	const struct key *k = s ? find_key(s, key) : NULL;

	return k ? r->applied[slot][k - s->keys] : NULL;
}

static int
apply_override(struct cfg_reader *r, const struct cfg_entry *e)
{
	char where[4200], keys[512];
	const struct section *s;
	const struct key *k;
	int port, slot;

	s = classify_slot(e->section, &port, &slot);
	cfg_where(r, e, where, sizeof(where));
	if (s == NULL)
		return cfg_fail(EINVAL, "%s: unknown section [%s]; allowed sections: "
				ALLOWED_SECTIONS, where, e->section);
	k = find_key(s, e->key);
	if (k == NULL)
		return cfg_fail(EINVAL, "%s: [%s] unknown key '%s'; allowed keys: %s",
				where, e->section, e->key, allowed_keys(s, keys, sizeof(keys)));
	if (port >= 0)
		r->port_seen[port] = true;
	return apply_value(r, e, s, k, port, slot);
}

static int
check_workers(const struct cfg_reader *r, const struct np_config *cfg)
{
	const struct cfg_entry *lc = applied(r, "workers", "lcores");
	const struct cfg_entry *pn = applied(r, "workers", "per_node");
	const struct cfg_entry *nd = applied(r, "workers", "nodes");
	const struct cfg_entry *ml = applied(r, "workers", "main_lcore");
	char where[4200], w2[4200];

	if (lc && pn)
		return cfg_fail(EINVAL, "%s: [workers] lcores and per_node (%s) both set: "
				"keep one", cfg_where(r, lc, where, sizeof(where)),
				cfg_where(r, pn, w2, sizeof(w2)));
	if (lc && nd)
		return cfg_fail(EINVAL, "%s: [workers] nodes goes with per_node, not with "
				"lcores (%s): drop one", cfg_where(r, nd, where, sizeof(where)),
				cfg_where(r, lc, w2, sizeof(w2)));
	if (nd && !pn)
		return cfg_fail(EINVAL, "%s: [workers] nodes needs per_node = N",
				cfg_where(r, nd, where, sizeof(where)));
	if (!lc && !pn)
		return cfg_fail(EINVAL, "%s: [workers] lcores = LIST or per_node = N is "
				"required (e.g. lcores = 0-1)",
				section_where(r, "workers", where, sizeof(where)));
	for (unsigned int i = 0; lc && ml && cfg->main_lcore >= 0 && i < cfg->n_lcores; i++)
		if (cfg->lcores[i] == (unsigned int)cfg->main_lcore)
			return cfg_fail(EEXIST, "%s: [workers] main_lcore = %d is also a worker "
					"in lcores (%s): the main lcore kept apart forwards "
					"nothing; choose another CPU, drop it from lcores, or "
					"set main_lcore = first-worker",
					cfg_where(r, ml, where, sizeof(where)), cfg->main_lcore,
					cfg_where(r, lc, w2, sizeof(w2)));
	if (pn && r->topo) {
		int main_node = cfg->main_lcore >= 0 ?
				np_topo_cpu_node(r->topo, (unsigned int)cfg->main_lcore) : -1;

		/* Every selected node must have per_node CPUs, the main lcore's not counted. */
		for (unsigned int i = 0; i < np_topo_node_count(r->topo); i++) {
			int node = np_topo_node_id(r->topo, i);
			int n = np_topo_node_cpus(r->topo, node, NULL, 0);
			bool sel = cfg->n_nodes == 0 ? n > 0 : false;

			for (unsigned int j = 0; j < cfg->n_nodes; j++)
				sel |= cfg->nodes[j] == node;
			n -= node == main_node;
			if (sel && (n < 1 || (unsigned int)n < cfg->per_node)) {
				char allowed[32], main_fix[160] = "";

				if (n > 1)
					snprintf(allowed, sizeof(allowed), "1-%d", n);
				else
					snprintf(allowed, sizeof(allowed), "%s", n == 1 ? "1" : "none");
				/* The main lcore takes a CPU here: say which key moves it. */
				if (node == main_node)
					snprintf(main_fix, sizeof(main_fix),
						 " besides the main lcore (CPU %d: put [workers] "
						 "main_lcore on another node, or list [workers] "
						 "nodes without node %d)", cfg->main_lcore, node);
				return bad_value(r, pn, ERANGE, allowed, "node %d has only %d "
						 "CPU%s%s", node, n, n == 1 ? "" : "s", main_fix);
			}
		}
	}
	return 0;
}

static int
check_ports(const struct cfg_reader *r, struct np_config *cfg)
{
	const bool *seen = r->port_seen;
	char where[4200], name[16];
	unsigned int n = 0;

	while (n < NP_CONFIG_MAX_PORTS && seen[n])
		n++;
	for (unsigned int i = n; i < NP_CONFIG_MAX_PORTS; i++)
		if (seen[i]) {
			snprintf(name, sizeof(name), "port%u", i);
			return cfg_fail(EINVAL, "%s: [port%u] but no [port%u]: number ports "
					"from port0 without gaps",
					section_where(r, name, where, sizeof(where)), i, n);
		}
	if (n == 0)
		return cfg_fail(EINVAL, "%s: no [port0] section: declare at least one port "
				"with pci = ADDRESS or vdev = DEVICE", r->path);
	cfg->n_ports = n;
	for (unsigned int i = 0; i < n; i++) {
		struct np_config_port *p = &cfg->ports[i];
		const struct cfg_entry *pe;

		snprintf(name, sizeof(name), "port%u", i);
		section_where(r, name, where, sizeof(where));
		if (p->pci[0] && p->vdev[0])
			return cfg_fail(EINVAL, "%s: [port%u] has both pci and vdev: a port is "
					"one device, keep one", where, i);
		if (!p->pci[0] && !p->vdev[0])
			return cfg_fail(EINVAL, "%s: [port%u] needs pci = ADDRESS (e.g. "
					"0000:0a:02.0) or vdev = DEVICE (e.g. net_null0)",
					where, i);
		snprintf(p->name, sizeof(p->name), "%.*s",
			 (int)(p->pci[0] ? strlen(p->pci) : strcspn(p->vdev, ",")),
			 p->pci[0] ? p->pci : p->vdev);
		for (unsigned int j = 0; j < i; j++)
			if (strcmp(cfg->ports[j].name, p->name) == 0)
				return cfg_fail(EEXIST, "%s: [port%u] is device %s again (as "
						"[port%u]): give each port its own device",
						where, i, p->name, j);
		pe = applied(r, name, "peer");
		if (p->peer >= (int)n) {
			char allowed[64];

			snprintf(allowed, sizeof(allowed), "port0 to port%u", n - 1);
			return bad_value(r, pe, EINVAL, allowed, "port%d is not declared",
					 p->peer);
		}
		if (p->peer < 0) /* l2fwd's pairing: 0<->1, 2<->3; a lone last port reflects */
			p->peer = (i ^ 1) < n ? (int)(i ^ 1) : (int)i;
	}
	return 0;
}

int
cfg_finish(struct cfg_reader *r)
{
	int ret;

	for (unsigned int i = 0; i < r->n_overrides; i++) {
		ret = apply_override(r, &r->overrides[i]);
		if (ret < 0)
			return ret;
	}
	ret = check_workers(r, r->cfg);
	if (ret < 0)
		return ret;
	return check_ports(r, r->cfg);
}
