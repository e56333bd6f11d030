/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Loading a topology: hwloc reads the machine (or a description) once, and
 * this file copies what numaperf needs into flat tables (topo_private.h), so
 * that queries never walk hwloc's tree and the hwloc handle is released
 * straight away.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <hwloc.h>
#include <rte_common.h>

#include "np_error_private.h"
#include "np_list_private.h"
#include "np_path_private.h"
#include "topo_private.h"

NP_LOG_REGISTER(np_topo_logtype, "numaperf.topo");

/* Linux's default when firmware gives no SLIT: 10 local, 20 remote. */
#define DEFAULT_REMOTE_DISTANCE 20

static void
topo_free(np_topo *t)
{
	if (t == NULL)
		return;
	for (unsigned int i = 0; i < t->n_nodes; i++)
		free(t->nodes[i].cpus);
	free(t->nodes);
	free(t->dist);
	free(t->nics);
	free(t->source_name);
	free(t);
}

void
np_topo_destroy(np_topo *topo)
{
	topo_free(topo);
}

/*
 * Which node a CPU belongs to. Linux assigns every CPU to exactly one node;
 * hwloc instead gives each NUMA node the cpuset of the object it is attached
 * to, so a memory-only node (CXL, HBM) attached next to an ordinary node, or
 * at machine level, "covers" the same CPUs. The CPU's own node is the one
 * attached deepest in the tree (closest to the CPU); among equals, the node
 * without a subtype (ordinary DRAM rather than "MCDRAM"/"GPUMemory"), then
 * the lowest id.
 */
static hwloc_obj_t
owner_node(hwloc_topology_t h, unsigned int pu)
{
	hwloc_obj_t best = NULL, n = NULL;

	while ((n = hwloc_get_next_obj_by_type(h, HWLOC_OBJ_NUMANODE, n)) != NULL) {
		if (!hwloc_bitmap_isset(n->cpuset, pu))
			continue;
		if (best == NULL) {
			best = n;
			continue;
		}
		int nd = n->parent ? (int)n->parent->depth : 0;
		int bd = best->parent ? (int)best->parent->depth : 0;
		if (nd > bd || (nd == bd && n->subtype == NULL && best->subtype != NULL))
			best = n;
	}
	return best;
}

static int
node_index_of(const np_topo *t, int id)
{
	for (unsigned int i = 0; i < t->n_nodes; i++)
		if (t->nodes[i].id == id)
			return (int)i;
	return -1;
}

static int
cmp_node(const void *a, const void *b)
{
	const struct topo_node *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int
cmp_nic(const void *a, const void *b)
{
	return strcmp(((const struct np_nic_info *)a)->pci_addr,
		      ((const struct np_nic_info *)b)->pci_addr);
}

/* Append v to a growable array of unsigned ints. */
static int
push_cpu(struct topo_node *n, unsigned int cpu)
{
	unsigned int *c = realloc(n->cpus, (n->n_cpus + 1) * sizeof(*c));

	if (c == NULL)
		return -ENOMEM;
	c[n->n_cpus++] = cpu;
	n->cpus = c;
	return 0;
}

static int
cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return (x > y) - (x < y);
}

/* Each CPU id once: a description can repeat a PU's os_index. */
static int
check_cpu_ids(const np_topo *t, hwloc_topology_t h)
{
	unsigned int *ids = malloc(t->n_cpus * sizeof(*ids)), n = 0;
	hwloc_obj_t pu = NULL;
	int ret = 0;

	if (ids == NULL)
		return np_fail(ENOMEM, "out of memory loading %s", t->source_name);
	while ((pu = hwloc_get_next_obj_by_type(h, HWLOC_OBJ_PU, pu)) != NULL && n < t->n_cpus)
		ids[n++] = pu->os_index;
	qsort(ids, n, sizeof(*ids), cmp_uint);
	for (unsigned int i = 1; i < n && ret == 0; i++)
		if (ids[i] == ids[i - 1])
			ret = np_fail(EBADMSG, "%s: CPU id %u is given to two PUs; each PU needs "
				      "its own os_index", t->source_name, ids[i]);
	free(ids);
	return ret;
}

static int
load_nodes(np_topo *t, hwloc_topology_t h)
{
	int n = hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_NUMANODE);
	hwloc_obj_t o = NULL;
	unsigned int i = 0;

	if (n <= 0)
		return np_fail(EBADMSG, "%s: the topology has no NUMA node",
			       t->source_name);
	t->nodes = calloc((size_t)n, sizeof(*t->nodes));
	if (t->nodes == NULL)
		return np_fail(ENOMEM, "out of memory loading %s", t->source_name);
	while ((o = hwloc_get_next_obj_by_type(h, HWLOC_OBJ_NUMANODE, o)) != NULL) {
		if (o->os_index > NP_MAX_NODE_ID)
			return np_fail(EBADMSG, "%s: NUMA node id %u is above the maximum %d",
				       t->source_name, o->os_index, NP_MAX_NODE_ID);
		t->nodes[i].id = (int)o->os_index;
		t->nodes[i].memory = o->attr->numanode.local_memory;
		i++;
	}
	t->n_nodes = i;
	qsort(t->nodes, t->n_nodes, sizeof(*t->nodes), cmp_node);
	/* A description can give two nodes one id (found by tests/fuzz/fuzz_topo.c). */
	for (i = 1; i < t->n_nodes; i++)
		if (t->nodes[i].id == t->nodes[i - 1].id)
			return np_fail(EBADMSG, "%s: NUMA node id %d is given to two nodes; "
				       "each node needs its own os_index", t->source_name,
				       t->nodes[i].id);

	/* Every PU goes to exactly one node (see owner_node()). */
	hwloc_obj_t pu = NULL;
	while ((pu = hwloc_get_next_obj_by_type(h, HWLOC_OBJ_PU, pu)) != NULL) {
		hwloc_obj_t owner = owner_node(h, pu->os_index);
		int idx;

		t->n_cpus++;
		if (owner == NULL)
			continue; /* a CPU no node covers: counted as without memory */
		idx = node_index_of(t, (int)owner->os_index);
		if (push_cpu(&t->nodes[idx], pu->os_index) < 0)
			return np_fail(ENOMEM, "out of memory loading %s", t->source_name);
	}
	if (t->n_cpus == 0)
		return np_fail(EBADMSG, "%s: the topology has no CPU (PU object)",
			       t->source_name);
	return check_cpu_ids(t, h);
}

static int
load_distances(np_topo *t, hwloc_topology_t h)
{
	unsigned int nn = t->n_nodes, nr = 1;
	struct hwloc_distances_s *d = NULL;
	int ret = 0;

	t->dist = malloc((size_t)nn * nn * sizeof(*t->dist));
	if (t->dist == NULL)
		return np_fail(ENOMEM, "out of memory loading %s", t->source_name);
	for (unsigned int i = 0; i < nn; i++)
		for (unsigned int j = 0; j < nn; j++)
			t->dist[i * nn + j] = i == j ? NP_DISTANCE_LOCAL : DEFAULT_REMOTE_DISTANCE;

	/* The kernel's (or the description's) latency matrix between NUMA nodes. */
	if (hwloc_distances_get_by_type(h, HWLOC_OBJ_NUMANODE, &nr, &d,
					HWLOC_DISTANCES_KIND_MEANS_LATENCY, 0) < 0 || nr == 0) {
		/* One node: the 1x1 matrix {10} needs no firmware to be known. */
		t->dist_known = nn == 1;
		return 0;
	}
	if (d->nbobjs != nn) {
		ret = np_fail(EBADMSG,
			      "%s: the distance matrix covers %u NUMA nodes but the topology has %u",
			      t->source_name, d->nbobjs, nn);
		goto out;
	}
	for (unsigned int i = 0; i < nn; i++) {
		int a = node_index_of(t, (int)d->objs[i]->os_index);

		for (unsigned int j = 0; j < nn; j++) {
			int b = node_index_of(t, (int)d->objs[j]->os_index);
			hwloc_uint64_t v = d->values[i * nn + j];

			if (a < 0 || b < 0 || v == 0 || v > 255) {
				ret = np_fail(EBADMSG,
					      "%s: distance from node %u to node %u is %llu; "
					      "distances must be 1..255 (10 = local)",
					      t->source_name, d->objs[i]->os_index,
					      d->objs[j]->os_index, (unsigned long long)v);
				goto out;
			}
			t->dist[a * nn + b] = (int)v;
		}
	}
	t->dist_known = true;
out:
	hwloc_distances_release(h, d);
	return ret;
}

/* Hugepage sizes (ascending) and per-node counts. */
static void
add_page_size(np_topo *t, uint64_t size)
{
	for (unsigned int i = 0; i < t->n_page_sizes; i++)
		if (t->page_sizes[i] == size)
			return;
	if (t->n_page_sizes < TOPO_MAX_PAGE_SIZES)
		t->page_sizes[t->n_page_sizes++] = size;
}

static int
page_size_index(const np_topo *t, uint64_t size)
{
	for (unsigned int i = 0; i < t->n_page_sizes; i++)
		if (t->page_sizes[i] == size)
			return (int)i;
	return -1;
}

/*
 * A live machine: each size the kernel knows on any node, read from sysfs
 * once per node (hwloc has totals only, and free pages are what matters
 * before EAL init). live_sizes is ascending, so page_sizes stays sorted.
 */
static void
live_hugepages(np_topo *t)
{
	static const uint64_t live_sizes[] = { 2ULL << 20, 1ULL << 30 };

	for (unsigned int k = 0; k < RTE_DIM(live_sizes); k++) {
		unsigned int s = t->n_page_sizes;
		bool known = false;

		for (unsigned int i = 0; i < t->n_nodes; i++) {
			struct np_hugepages *hp = &t->nodes[i].hp[s];

			hp->page_size = live_sizes[k];
			if (topo_sysfs_hugepages(t->nodes[i].id, live_sizes[k], &hp->total,
						 &hp->free) == 0)
				known = true;
			else
				hp->total = hp->free = 0;
		}
		if (known)
			t->page_sizes[t->n_page_sizes++] = live_sizes[k];
	}
}

/*
 * A description: the page_type entries of its NUMA nodes, whose first entry
 * is the base page size and is skipped. A description has no usage: all its
 * pages count as free.
 */
static void
described_hugepages(np_topo *t, hwloc_topology_t h)
{
	hwloc_obj_t o = NULL;

	while ((o = hwloc_get_next_obj_by_type(h, HWLOC_OBJ_NUMANODE, o)) != NULL)
		for (unsigned int k = 1; k < o->attr->numanode.page_types_len; k++)
			if (o->attr->numanode.page_types[k].size > 0)
				add_page_size(t, o->attr->numanode.page_types[k].size);
	qsort(t->page_sizes, t->n_page_sizes, sizeof(t->page_sizes[0]), cmp_u64);
	for (unsigned int i = 0; i < t->n_nodes; i++)
		for (unsigned int s = 0; s < t->n_page_sizes; s++)
			t->nodes[i].hp[s].page_size = t->page_sizes[s];
	while ((o = hwloc_get_next_obj_by_type(h, HWLOC_OBJ_NUMANODE, o)) != NULL) {
		int ni = node_index_of(t, (int)o->os_index);

		for (unsigned int k = 1; k < o->attr->numanode.page_types_len; k++) {
			int s = page_size_index(t, o->attr->numanode.page_types[k].size);

			if (s < 0)
				continue;
			t->nodes[ni].hp[s].total = o->attr->numanode.page_types[k].count;
			t->nodes[ni].hp[s].free = o->attr->numanode.page_types[k].count;
		}
	}
}

/*
 * A NIC's node. On the live machine the kernel's own answer
 * (/sys/bus/pci/devices/X/numa_node) is authoritative, -1 included: hwloc
 * would attach a -1 device to the machine, which on a one-node box reads as
 * "node 0". A description only has the device's place in the tree: the node
 * is known when the CPUs near the device all belong to one node or, when no
 * CPU is near it (a NIC beside a CPU-less node: a CXL or HBM expander), when
 * its ancestor holds exactly one node.
 */
static int
nic_node_from_tree(const np_topo *t, hwloc_topology_t h, hwloc_obj_t pci)
{
	hwloc_obj_t anc = hwloc_get_non_io_ancestor_obj(h, pci);
	int node = NP_NODE_UNKNOWN;
	unsigned int cpu;

	if (anc == NULL || anc->cpuset == NULL)
		return NP_NODE_UNKNOWN;
	if (hwloc_bitmap_iszero(anc->cpuset))
		return anc->nodeset != NULL && hwloc_bitmap_weight(anc->nodeset) == 1 ?
		       hwloc_bitmap_first(anc->nodeset) : NP_NODE_UNKNOWN;
	hwloc_bitmap_foreach_begin(cpu, anc->cpuset) {
		int n = np_topo_cpu_node(t, cpu);

		if (n < 0)
			continue;
		if (node != NP_NODE_UNKNOWN && node != n)
			return NP_NODE_UNKNOWN; /* spans several nodes */
		node = n;
	} hwloc_bitmap_foreach_end();
	return node;
}

static int
load_nics(np_topo *t, hwloc_topology_t h)
{
	hwloc_obj_t o = NULL;

	while ((o = hwloc_get_next_pcidev(h, o)) != NULL) {
		struct np_nic_info *nic, *grown;

		if ((o->attr->pcidev.class_id >> 8) != 0x02) /* network controller */
			continue;
		grown = realloc(t->nics, (t->n_nics + 1) * sizeof(*grown));
		if (grown == NULL)
			return np_fail(ENOMEM, "out of memory loading %s", t->source_name);
		t->nics = grown;
		nic = &t->nics[t->n_nics++];
		memset(nic, 0, sizeof(*nic));
		snprintf(nic->pci_addr, sizeof(nic->pci_addr), "%04x:%02x:%02x.%01x",
			 o->attr->pcidev.domain, o->attr->pcidev.bus,
			 o->attr->pcidev.dev, o->attr->pcidev.func);
		nic->vendor_id = o->attr->pcidev.vendor_id;
		nic->device_id = o->attr->pcidev.device_id;
		for (hwloc_obj_t c = o->io_first_child; c != NULL; c = c->next_sibling)
			if (c->type == HWLOC_OBJ_OS_DEVICE &&
			    c->attr->osdev.type == HWLOC_OBJ_OSDEV_NETWORK && c->name) {
				snprintf(nic->ifname, sizeof(nic->ifname), "%s", c->name);
				break;
			}
		nic->node = NP_NODE_UNKNOWN;
		if (t->source == NP_TOPO_LIVE) {
			int n = topo_sysfs_nic_node(nic->pci_addr);

			/* -EIO: sysfs unreadable, fall back to hwloc's placement */
			nic->node = n == -EIO ? nic_node_from_tree(t, h, o) : n;
			topo_sysfs_nic_driver(nic->pci_addr, nic->driver, sizeof(nic->driver));
		} else {
			nic->node = nic_node_from_tree(t, h, o);
		}
		if (nic->node >= 0 && node_index_of(t, nic->node) < 0) {
			NP_LOG(WARNING, "NIC %s reports node %d which has no memory or CPUs here; "
			       "treating its node as unknown", nic->pci_addr, nic->node);
			nic->node = NP_NODE_UNKNOWN;
		}
	}
	if (t->n_nics > 1)
		qsort(t->nics, t->n_nics, sizeof(*t->nics), cmp_nic);
	return 0;
}

static np_topo *
load(hwloc_topology_t h, enum np_topo_source src, const char *name)
{
	np_topo *t = calloc(1, sizeof(*t));
	int save_errno;

	if (t == NULL || (t->source_name = strdup(name)) == NULL) {
		free(t);
		hwloc_topology_destroy(h);
		return np_fail_null(ENOMEM, "out of memory loading %s", name);
	}
	t->source = src;
	if (hwloc_topology_load(h) < 0) {
		save_errno = errno;
		topo_free(t);
		hwloc_topology_destroy(h);
		if (src == NP_TOPO_XML)
			return np_fail_null(EBADMSG,
					    "%s: not a valid hwloc XML topology; hwloc's reason: "
					    "HWLOC_XML_VERBOSE=1 hwloc-info --input %s", name, name);
		return np_fail_null(save_errno ? save_errno : EIO,
				    "%s: hwloc could not load the topology: %s", name,
				    strerror(save_errno));
	}
	if (load_nodes(t, h) < 0 || load_distances(t, h) < 0 || load_nics(t, h) < 0)
		goto fail;
	if (src == NP_TOPO_LIVE)
		live_hugepages(t);
	else
		described_hugepages(t, h);
	t->n_packages = (unsigned int)RTE_MAX(1, hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_PACKAGE));
	hwloc_topology_destroy(h);
	NP_LOG(DEBUG, "topology from %s: %u nodes, %u CPUs, %u packages, %u NICs",
	       name, t->n_nodes, t->n_cpus, t->n_packages, t->n_nics);
	return t;
fail:
	save_errno = errno;
	topo_free(t);
	hwloc_topology_destroy(h);
	errno = save_errno;
	return NULL;
}

static hwloc_topology_t
new_hwloc(unsigned long flags, const char *name)
{
	hwloc_topology_t h;

	if (hwloc_topology_init(&h) < 0)
		return np_fail_null(ENOMEM, "%s: hwloc_topology_init failed", name);
	/* NICs and their OS devices (interface names); bridges to place them. */
	hwloc_topology_set_io_types_filter(h, HWLOC_TYPE_FILTER_KEEP_IMPORTANT);
	hwloc_topology_set_flags(h, flags);
	return h;
}

np_topo *
np_topo_load_live(void)
{
	/*
	 * Include CPUs and nodes a cgroup hides from us: the topology is the
	 * machine's (what numactl --hardware shows); what this process may use
	 * is a pinning question, answered by np_pin.
	 */
	hwloc_topology_t h = new_hwloc(HWLOC_TOPOLOGY_FLAG_INCLUDE_DISALLOWED, "live");

	if (h == NULL)
		return NULL;
	/*
	 * hwloc's Linux backend reads PCI devices from sysfs by itself. The
	 * libpciaccess plugin ("pci") adds nothing numaperf uses and leaks
	 * ~600 KB per load (valgrind); the GL/OpenCL plugins only cost time.
	 */
	hwloc_topology_set_components(h, HWLOC_TOPOLOGY_COMPONENTS_FLAG_BLACKLIST, "pci");
	hwloc_topology_set_components(h, HWLOC_TOPOLOGY_COMPONENTS_FLAG_BLACKLIST, "gl");
	hwloc_topology_set_components(h, HWLOC_TOPOLOGY_COMPONENTS_FLAG_BLACKLIST, "opencl");
	return load(h, NP_TOPO_LIVE, "live");
}

/*
 * The largest description read: lstopo's XML for a big machine is a few
 * MB; a bound keeps a FIFO that never ends (or /dev/urandom behind one)
 * from filling memory.
 */
#define TOPO_MAX_XML (64u << 20)

/* The whole file, read once (hwloc then parses this copy), NUL-terminated. */
static int
read_xml(const char *path, const char *shown, char **out, size_t *len)
{
	size_t cap = 0;
	char *buf = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY), err;

	if (fd < 0)
		return np_fail(errno, "%s: cannot open the topology file: %s", shown,
			       strerror(errno));
	*len = 0;
	for (;;) {
		ssize_t n;

		if (*len == cap) {
			char *p;

			if (cap == TOPO_MAX_XML + 1) {
				err = np_fail(EBADMSG, "%s: more than %u bytes: not a topology "
					      "description (lstopo writes a few MB at most)",
					      shown, TOPO_MAX_XML);
				goto fail;
			}
			cap = cap ? RTE_MIN(cap * 2, (size_t)TOPO_MAX_XML + 1) : 64 * 1024;
			p = realloc(buf, cap + 1);
			if (p == NULL) {
				err = np_fail(ENOMEM, "%s: no memory to read the topology", shown);
				goto fail;
			}
			buf = p;
		}
		n = read(fd, buf + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = np_fail(EIO, "%s: read error: %s", shown, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	close(fd);
	if (buf == NULL && (buf = malloc(1)) == NULL)
		return np_fail(ENOMEM, "%s: no memory to read the topology", shown);
	buf[*len] = '\0';
	*out = buf;
	return 0;
fail:
	close(fd);
	free(buf);
	return err;
}

/* Past the first @what at or after @p, or NULL. */
static const char *
skip_past(const char *p, const char *end, const char *what)
{
	const char *q = memmem(p, (size_t)(end - p), what, strlen(what));

	return q ? q + strlen(what) : NULL;
}

/* The line of @at in @xml, for messages. */
static unsigned int
line_of(const char *xml, const char *at)
{
	unsigned int line = 1;

	for (const char *c = xml; c < at; c++)
		line += *c == '\n';
	return line;
}

static bool
ends_with(const char *name, size_t n, const char *suffix)
{
	size_t l = strlen(suffix);

	return n >= l && memcmp(name + n - l, suffix, l) == 0;
}

/*
 * What hwloc 2.9 itself cannot survive, refused before it reads the file
 * (all found by tests/fuzz/fuzz_topo.c; numa-doctor --topology died of
 * them):
 * - an <object> with a cpuset but no complete_cpuset, or a nodeset but no
 *   complete_nodeset: hwloc dereferences NULL while ordering children
 *   (fixed upstream, open-mpi/hwloc#783; hwloc's exporter always writes
 *   both);
 * - a bitmap attribute (cpuset, nodeset, allowed_cpuset...) that starts
 *   with ',' (",0x4"): hwloc_bitmap_sscanf() counts the items from the
 *   second byte on, finds one item too many and asserts. Empty items are
 *   otherwise fine (hwloc writes a zero word as ",,"), and any other
 *   malformed bitmap hwloc refuses by itself.
 * A lexical look at each start tag is enough (attribute names are plain
 * names in XML); comments, CDATA, declarations and processing instructions
 * are skipped so that text inside them does not count. Anything else
 * malformed is left to hwloc's parser, which refuses it properly.
 */
static int
check_hwloc_pitfalls(const char *xml, size_t len, const char *shown)
{
	const char *p = xml, *end = xml + len;

	while (p != NULL && (p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		bool cpuset = false, complete_cpuset = false, nodeset = false;
		bool complete_nodeset = false, object;
		const char *tag = p;

		if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			p = skip_past(p + 4, end, "-->");
			continue;
		}
		if (end - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
			p = skip_past(p + 9, end, "]]>");
			continue;
		}
		if (end - p >= 2 && (p[1] == '?' || p[1] == '!')) {
			p = skip_past(p + 2, end, p[1] == '?' ? "?>" : ">");
			continue;
		}
		/* A start tag: its name, then name = "value" or 'value' until '>' or "/>". */
		p++;
		while (p < end && !isspace((unsigned char)*p) && *p != '>' && *p != '/')
			p++;
		object = p - tag == 7 && memcmp(tag, "<object", 7) == 0;
		for (;;) {
			const char *name, *value;
			size_t n;
			char quote;

			while (p < end && isspace((unsigned char)*p))
				p++;
			if (p >= end || *p == '>' || *p == '/' || *p == '<')
				break;
			name = p;
			while (p < end && !isspace((unsigned char)*p) && *p != '=' && *p != '>' &&
			       *p != '/' && *p != '<')
				p++;
			n = (size_t)(p - name);
			while (p < end && isspace((unsigned char)*p))
				p++;
			if (p >= end || *p != '=')
				break; /* malformed: hwloc's parser says so */
			p++;
			while (p < end && isspace((unsigned char)*p))
				p++;
			if (p >= end || (*p != '"' && *p != '\''))
				break;
			quote = *p++;
			value = p;
			p = memchr(p, quote, (size_t)(end - p));
			if (p == NULL)
				break;
			if ((ends_with(name, n, "cpuset") || ends_with(name, n, "nodeset")) &&
			    p > value && *value == ',')
				return np_fail(EBADMSG, "%s:%u: %.*s=\"%.*s\" starts with ',': not a "
					       "bitmap such as 0x0000000f (hwloc %s would abort on it): "
					       "export the machine again with lstopo FILE.xml", shown,
					       line_of(xml, name), (int)RTE_MIN(n, 32u), name,
					       (int)RTE_MIN((size_t)(p - value), 40u), value,
					       HWLOC_VERSION);
			cpuset |= n == 6 && memcmp(name, "cpuset", 6) == 0;
			nodeset |= n == 7 && memcmp(name, "nodeset", 7) == 0;
			complete_cpuset |= n == 15 && memcmp(name, "complete_cpuset", 15) == 0;
			complete_nodeset |= n == 16 && memcmp(name, "complete_nodeset", 16) == 0;
			p++;
		}
		if (object && ((cpuset && !complete_cpuset) || (nodeset && !complete_nodeset)))
			return np_fail(EBADMSG, "%s:%u: <object> has a %s but no %s (hwloc's "
				       "export always writes both; hwloc %s would crash on it): "
				       "export the machine again with lstopo FILE.xml", shown,
				       line_of(xml, tag),
				       cpuset && !complete_cpuset ? "cpuset" : "nodeset",
				       cpuset && !complete_cpuset ? "complete_cpuset" :
				       "complete_nodeset", HWLOC_VERSION);
	}
	return 0;
}

/*
 * The longest a throwaway load may take: lstopo's XML of a large machine
 * loads in well under a second; an input hwloc loops on is cut off.
 */
#define TOPO_TRIAL_SECONDS 20

/*
 * Load @xml once in a child process before loading it here. hwloc 2.9 has
 * more ways to crash on a malformed file than check_hwloc_pitfalls() can
 * name (tests/fuzz/fuzz_topo.c keeps finding them, e.g. a topology that
 * ends up empty: hwloc removes every object, root included, then
 * dereferences the NULL root while cleaning up). A crash, abort or hang of the child is refused with a message; the
 * caller's process never runs hwloc on an input that kills it. The child
 * prints nothing (this process's own load reports what hwloc says) and
 * leaves by _exit(), so no exit handler, leak check or coverage dump runs
 * twice. If no child can be made (fork refused, SIGCHLD ignored), the file
 * is loaded here unchecked, as before.
 */
static int
check_hwloc_survives(const char *xml, size_t len, const char *shown)
{
	/* What ends the child: a crash, or the alarm that bounds a hang. */
	static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL, SIGALRM };
	int status, sig;
	pid_t pid = fork(), got;

	if (pid < 0) {
		NP_LOG(DEBUG, "%s: no trial load (fork: %s); loading it unchecked", shown,
		       strerror(errno));
		return 0;
	}
	if (pid == 0) {
		struct sigaction dfl = { .sa_handler = SIG_DFL };
		struct rlimit no_core = { 0, 0 };
		hwloc_topology_t h;
		int quiet = open("/dev/null", O_WRONLY | O_CLOEXEC);

		/* They end this child plainly: no core file, no handler of the caller's. */
		for (unsigned int i = 0; i < RTE_DIM(fatal_signals); i++)
			sigaction(fatal_signals[i], &dfl, NULL);
		setrlimit(RLIMIT_CORE, &no_core);
		if (quiet >= 0)
			dup2(quiet, STDERR_FILENO);
		alarm(TOPO_TRIAL_SECONDS);
		/* Set up as np_topo_load_xml() sets up its own load below. */
		h = new_hwloc(0, shown);
		if (h == NULL)
			_exit(2);
		if (hwloc_topology_set_xmlbuffer(h, xml, (int)len + 1) == 0)
			(void)hwloc_topology_load(h);
		hwloc_topology_destroy(h);
		_exit(0);
	}
	while ((got = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (got != pid || !WIFSIGNALED(status))
		return 0;
	sig = WTERMSIG(status);
	if (sig == SIGALRM)
		return np_fail(EBADMSG, "%s: hwloc %s did not finish reading it in %d s: not a "
			       "topology as lstopo exports one; export the machine again with "
			       "lstopo FILE.xml", shown, HWLOC_VERSION, TOPO_TRIAL_SECONDS);
	return np_fail(EBADMSG, "%s: hwloc %s crashed reading it (%s), so it was not loaded: "
		       "its objects or sets contradict each other in a way lstopo never "
		       "exports; export the machine again with lstopo FILE.xml", shown,
		       HWLOC_VERSION, strsignal(sig));
}

np_topo *
np_topo_load_xml(const char *path)
{
	hwloc_topology_t h;
	struct stat st;
	char shown[256], *xml = NULL;
	size_t off = 0, len = 0;
	const char *kind;

	if (path == NULL || path[0] == '\0')
		return np_fail_null(EINVAL, "topology file: no path given");
	/* The path is the user's input: escaped wherever a message quotes it. */
	shown[0] = '\0';
	np_buf_append_escaped(shown, sizeof(shown), &off, path, strlen(path));
	if (access(path, F_OK) != 0)
		return np_fail_null(ENOENT, "%s: no such topology file", shown);
	if (access(path, R_OK) != 0)
		return np_fail_null(EACCES, "%s: topology file is not readable: %s",
				    shown, strerror(errno));
	/* Named before anything opens it: a device is never opened, /dev/zero is not "empty". */
	if (stat(path, &st) == 0 && (kind = np_path_not_a_file(st.st_mode)) != NULL)
		return np_fail_null(EBADMSG, "%s is %s, not a topology file: give an hwloc XML "
				    "file (lstopo box.xml writes one) or synthetic:DESCRIPTION",
				    shown, kind);
	/* Read once, so a FIFO (--topology <(lstopo -)) works and is bounded. */
	if (read_xml(path, shown, &xml, &len) < 0)
		return NULL;
	if (len == 0) {
		free(xml);
		return np_fail_null(EBADMSG, "%s: the topology file is empty", shown);
	}
	if (check_hwloc_pitfalls(xml, len, shown) < 0 ||
	    check_hwloc_survives(xml, len, shown) < 0) {
		free(xml);
		return NULL;
	}
	h = new_hwloc(0, path);
	if (h == NULL) {
		free(xml);
		return NULL;
	}
	/* hwloc's size counts the terminating NUL, as its export gives it. */
	if (hwloc_topology_set_xmlbuffer(h, xml, (int)len + 1) < 0) {
		hwloc_topology_destroy(h);
		free(xml);
		return np_fail_null(EBADMSG, "%s: not an XML file; hwloc's reason: "
				    "HWLOC_XML_VERBOSE=1 hwloc-info --input %s", shown, shown);
	}
	/* hwloc copies what it needs while loading: the buffer goes after. */
	{
		np_topo *t = load(h, NP_TOPO_XML, path);
		int err = errno;

		free(xml);
		errno = err;
		return t;
	}
}

np_topo *
np_topo_load_synthetic(const char *description)
{
	char name[512];
	hwloc_topology_t h;

	if (description == NULL || description[0] == '\0')
		return np_fail_null(EINVAL, "synthetic topology: empty description");
	snprintf(name, sizeof(name), "synthetic:%s", description);
	h = new_hwloc(0, name);
	if (h == NULL)
		return NULL;
	if (hwloc_topology_set_synthetic(h, description) < 0) {
		hwloc_topology_destroy(h);
		return np_fail_null(EBADMSG,
				    "synthetic topology \"%s\": hwloc rejects the description "
				    "(expected e.g. \"pack:2 numa:1 core:2 pu:1\")", description);
	}
	return load(h, NP_TOPO_SYNTHETIC, name);
}

np_topo *
np_topo_load(void)
{
	const char *env = getenv(NP_TOPOLOGY_ENV);
	np_topo *t;

	if (env == NULL || env[0] == '\0')
		return np_topo_load_live();
	if (strncmp(env, "synthetic:", 10) == 0)
		t = np_topo_load_synthetic(env + 10);
	else
		t = np_topo_load_xml(env);
	if (t == NULL) {
		/* Say where the description came from: the user may not remember. */
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", np_last_error());
		return np_fail_null(errno, "%s (from $%s)", msg, NP_TOPOLOGY_ENV);
	}
	return t;
}
