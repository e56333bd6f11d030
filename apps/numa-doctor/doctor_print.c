/* SPDX-License-Identifier: BSD-3-Clause */
/* numa-doctor's two outputs: a numactl-like text report and JSON. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor.h"
#include "np_json.h"

#define MAX_CPUS 4096

static const char *
balancing_name(enum np_numa_balancing b)
{
	switch (b) {
	case NP_BALANCING_OFF: return "off";
	case NP_BALANCING_ON: return "on";
	case NP_BALANCING_ABSENT: return "absent";
	default: return "unknown";
	}
}

/*
 * The text report's writes, checked: the first failure is kept (errno) and
 * nothing more is written, so main() can exit non-zero.
 */
struct out {
	FILE *f;
	int err;
};

static void __attribute__((format(printf, 2, 3)))
P(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->err != 0)
		return;
	va_start(ap, fmt);
	n = vfprintf(o->f, fmt, ap);
	va_end(ap);
	if (n < 0)
		o->err = errno != 0 ? errno : EIO;
}

/*
 * A name from the machine or the command line (a file name, an interface
 * name) as text a terminal shows as is: control bytes and bytes that are not
 * UTF-8 become \xNN (a backslash becomes \\), so a name cannot move the
 * cursor or change colours, and its bytes can still be read back. The
 * result is cut, never overrun, when @buf is too small (4 x strlen + 1 fits).
 */
const char *
doctor_text_escape(const char *s, char *buf, size_t len)
{
	size_t k = 0;

	if (len == 0)
		return "";
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0';) {
		uint32_t cp;
		int n = np_json_utf8_seq(p, &cp);
		char tmp[16];
		size_t t;

		if (n == 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			/* Each byte of the offending sequence (a C1 control has 2). */
			t = 0;
			for (int b = 0; b < (n ? n : 1); b++)
				t += (size_t)snprintf(tmp + t, sizeof(tmp) - t, "\\x%02x", p[b]);
			p += n ? n : 1;
		} else if (cp == '\\') {
			t = (size_t)snprintf(tmp, sizeof(tmp), "\\\\");
			p++;
		} else {
			memcpy(tmp, p, (size_t)n);
			t = (size_t)n;
			p += n;
		}
		if (k + t >= len)
			break;
		memcpy(buf + k, tmp, t);
		k += t;
	}
	buf[k] = '\0';
	return buf;
}

/* Room for the longest string escaped (a path of PATH_MAX), 4 bytes a byte. */
#define ESC_LEN (4 * 4096 + 1)

static void
print_size(struct out *o, uint64_t page_size)
{
	if (page_size >= (1ULL << 30))
		P(o, "%" PRIu64 "GB", page_size >> 30);
	else
		P(o, "%" PRIu64 "MB", page_size >> 20);
}

int
doctor_print_text(FILE *f, const np_topo *topo, const struct np_enforcement *enf,
		  const struct doctor_report *rep)
{
	unsigned int nn = np_topo_node_count(topo);
	static unsigned int cpus[MAX_CPUS];
	uint64_t sizes[4];
	int n_sizes = np_topo_hugepage_sizes(topo, sizes, 4);
	struct out o = { f, 0 };

	static char e1[ESC_LEN], e2[ESC_LEN];

	P(&o, "numa-doctor: topology of %s\n",
	  doctor_text_escape(np_topo_source_name(topo), e1, sizeof(e1)));
	/* The first lines follow numactl --hardware, so they read the same. */
	P(&o, "available: %u nodes (", nn);
	for (unsigned int i = 0; i < nn; i++)
		P(&o, "%s%d", i ? "," : "", np_topo_node_id(topo, i));
	P(&o, ")\n");
	for (unsigned int i = 0; i < nn; i++) {
		int node = np_topo_node_id(topo, i);
		int nc = np_topo_node_cpus(topo, node, cpus, MAX_CPUS);

		P(&o, "node %d cpus:", node);
		for (int c = 0; c < nc && c < MAX_CPUS; c++)
			P(&o, " %u", cpus[c]);
		P(&o, "\nnode %d size: %" PRIu64 " MB\n", node,
		  np_topo_node_memory(topo, node) >> 20);
		P(&o, "node %d hugepages:", node);
		if (n_sizes <= 0)
			P(&o, " none");
		for (int s = 0; s < n_sizes && s < 4; s++) {
			struct np_hugepages hp;

			np_topo_node_hugepages(topo, node, sizes[s], &hp);
			P(&o, " ");
			print_size(&o, sizes[s]);
			P(&o, " %" PRIu64 " free of %" PRIu64 "%s", hp.free, hp.total,
			  s + 1 < n_sizes ? "," : "");
		}
		P(&o, "\n");
	}
	P(&o, "node distances%s:\nnode ",
	  np_topo_distances_known(topo) ? "" : " (not given: assumed)");
	for (unsigned int j = 0; j < nn; j++)
		P(&o, "%3d ", np_topo_node_id(topo, j));
	P(&o, "\n");
	for (unsigned int i = 0; i < nn; i++) {
		P(&o, "%3d: ", np_topo_node_id(topo, i));
		for (unsigned int j = 0; j < nn; j++)
			P(&o, "%3d ", np_topo_distance(topo, np_topo_node_id(topo, i),
						       np_topo_node_id(topo, j)));
		P(&o, "\n");
	}
	P(&o, "packages: %u, cpus: %u\n", np_topo_package_count(topo),
	  np_topo_cpu_count(topo));
	P(&o, "network devices: %u\n", np_topo_nic_count(topo));
	for (unsigned int i = 0; i < np_topo_nic_count(topo); i++) {
		struct np_nic_info nic;

		np_topo_nic(topo, i, &nic);
		P(&o, "  %s %-12s driver %-16s ", nic.pci_addr,
		  nic.ifname[0] ? doctor_text_escape(nic.ifname, e1, sizeof(e1)) : "-",
		  nic.driver[0] ? doctor_text_escape(nic.driver, e2, sizeof(e2)) : "-");
		if (nic.node == NP_NODE_UNKNOWN)
			P(&o, "node unknown (kernel reports -1)\n");
		else
			P(&o, "node %d\n", nic.node);
	}
	P(&o, "process: root %s, CAP_SYS_NICE %s, CAP_IPC_LOCK %s\n",
	  enf->root ? "yes" : "no", enf->cap_sys_nice ? "yes" : "no",
	  enf->cap_ipc_lock ? "yes" : "no");
	P(&o, "kernel: NUMA balancing %s, hugetlbfs", balancing_name(enf->numa_balancing));
	if (enf->n_mounts == 0)
		P(&o, " %s", rep->facts_read ? "not mounted" : "n/a");
	for (unsigned int m = 0; m < enf->n_mounts; m++) {
		P(&o, " %s (", doctor_text_escape(enf->mounts[m].path, e1, sizeof(e1)));
		print_size(&o, enf->mounts[m].page_size);
		P(&o, ")");
	}
	P(&o, "\n\nIs this box NUMA? %s\n", rep->is_numa ? "yes" : "no");
	P(&o, "Verdict: %s.\n", doctor_verdict_summary(rep->verdict));
	P(&o, "Reasons:\n");
	for (unsigned int i = 0; i < rep->n_findings; i++) {
		P(&o, "  %s %s\n",
		  rep->findings[i].severity == SEV_WARNING ? "[warning]" : "[info]   ",
		  doctor_text_escape(rep->findings[i].message, e1, sizeof(e1)));
	}
	P(&o, "Try next:\n");
	for (unsigned int i = 0; i < rep->n_steps; i++) {
		P(&o, "  %u. %s\n", i + 1, doctor_text_escape(rep->steps[i], e1, sizeof(e1)));
	}
	return -o.err;
}

int
doctor_print_json(FILE *f, const np_topo *topo, const struct np_enforcement *enf,
		  const struct doctor_report *rep)
{
	unsigned int nn = np_topo_node_count(topo);
	static unsigned int cpus[MAX_CPUS];
	uint64_t sizes[4];
	int n_sizes = np_topo_hugepage_sizes(topo, sizes, 4);
	struct np_json j;

	np_json_init(&j, f, true);
	np_json_obj_begin(&j, NULL);
	np_json_str(&j, "schema", "numaperf/numa-doctor/1");
	np_json_str(&j, "source", np_topo_source_name(topo));
	np_json_bool(&j, "numa", rep->is_numa);
	np_json_uint(&j, "node_count", nn);
	np_json_uint(&j, "package_count", np_topo_package_count(topo));
	np_json_uint(&j, "cpu_count", np_topo_cpu_count(topo));

	np_json_arr_begin(&j, "nodes");
	for (unsigned int i = 0; i < nn; i++) {
		int node = np_topo_node_id(topo, i);
		int nc = np_topo_node_cpus(topo, node, cpus, MAX_CPUS);

		np_json_obj_begin(&j, NULL);
		np_json_int(&j, "id", node);
		np_json_arr_begin(&j, "cpus");
		for (int c = 0; c < nc && c < MAX_CPUS; c++)
			np_json_uint(&j, NULL, cpus[c]);
		np_json_arr_end(&j);
		np_json_uint(&j, "memory_bytes", np_topo_node_memory(topo, node));
		np_json_bool(&j, "memory_only", np_topo_node_is_memory_only(topo, node));
		np_json_arr_begin(&j, "hugepages");
		for (int s = 0; s < n_sizes && s < 4; s++) {
			struct np_hugepages hp;

			np_topo_node_hugepages(topo, node, sizes[s], &hp);
			np_json_obj_begin(&j, NULL);
			np_json_uint(&j, "page_size", hp.page_size);
			np_json_uint(&j, "total", hp.total);
			np_json_uint(&j, "free", hp.free);
			np_json_obj_end(&j);
		}
		np_json_arr_end(&j);
		np_json_obj_end(&j);
	}
	np_json_arr_end(&j);

	np_json_bool(&j, "distances_known", np_topo_distances_known(topo));
	np_json_arr_begin(&j, "distances");
	for (unsigned int a = 0; a < nn; a++) {
		np_json_arr_begin(&j, NULL);
		for (unsigned int b = 0; b < nn; b++)
			np_json_int(&j, NULL, np_topo_distance(topo, np_topo_node_id(topo, a),
							    np_topo_node_id(topo, b)));
		np_json_arr_end(&j);
	}
	np_json_arr_end(&j);

	np_json_arr_begin(&j, "nics");
	for (unsigned int i = 0; i < np_topo_nic_count(topo); i++) {
		struct np_nic_info nic;
		char id[8];

		np_topo_nic(topo, i, &nic);
		np_json_obj_begin(&j, NULL);
		np_json_str(&j, "pci", nic.pci_addr);
		np_json_str(&j, "ifname", nic.ifname[0] ? nic.ifname : NULL);
		np_json_str(&j, "driver", nic.driver[0] ? nic.driver : NULL);
		snprintf(id, sizeof(id), "%04x", nic.vendor_id);
		np_json_str(&j, "vendor_id", id);
		snprintf(id, sizeof(id), "%04x", nic.device_id);
		np_json_str(&j, "device_id", id);
		if (nic.node == NP_NODE_UNKNOWN)
			np_json_null(&j, "node");
		else
			np_json_int(&j, "node", nic.node);
		np_json_obj_end(&j);
	}
	np_json_arr_end(&j);

	np_json_obj_begin(&j, "enforcement");
	np_json_bool(&j, "root", enf->root);
	np_json_bool(&j, "cap_sys_nice", enf->cap_sys_nice);
	np_json_bool(&j, "cap_ipc_lock", enf->cap_ipc_lock);
	np_json_str(&j, "numa_balancing", balancing_name(enf->numa_balancing));
	np_json_arr_begin(&j, "hugetlbfs");
	for (unsigned int m = 0; m < enf->n_mounts; m++) {
		np_json_obj_begin(&j, NULL);
		np_json_str(&j, "path", enf->mounts[m].path);
		np_json_uint(&j, "page_size", enf->mounts[m].page_size);
		np_json_obj_end(&j);
	}
	np_json_arr_end(&j);
	np_json_obj_end(&j);

	np_json_obj_begin(&j, "verdict");
	np_json_str(&j, "code", doctor_verdict_code(rep->verdict));
	np_json_str(&j, "summary", doctor_verdict_summary(rep->verdict));
	np_json_int(&j, "exit_status", doctor_exit_status(rep));
	np_json_obj_end(&j);

	np_json_arr_begin(&j, "findings");
	for (unsigned int i = 0; i < rep->n_findings; i++) {
		np_json_obj_begin(&j, NULL);
		np_json_str(&j, "severity",
			 rep->findings[i].severity == SEV_WARNING ? "warning" : "info");
		np_json_str(&j, "code", rep->findings[i].code);
		np_json_str(&j, "message", rep->findings[i].message);
		np_json_obj_end(&j);
	}
	np_json_arr_end(&j);
	np_json_arr_begin(&j, "next_steps");
	for (unsigned int i = 0; i < rep->n_steps; i++)
		np_json_str(&j, NULL, rep->steps[i]);
	np_json_arr_end(&j);
	np_json_obj_end(&j);
	return np_json_finish(&j);
}
