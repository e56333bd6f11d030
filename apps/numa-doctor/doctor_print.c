/* SPDX-License-Identifier: BSD-3-Clause */
/* numa-doctor's two outputs: a numactl-like text report and JSON. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "doctor.h"
#include "json_out.h"

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

static void
print_size(FILE *f, uint64_t page_size)
{
	if (page_size >= (1ULL << 30))
		fprintf(f, "%" PRIu64 "GB", page_size >> 30);
	else
		fprintf(f, "%" PRIu64 "MB", page_size >> 20);
}

void
doctor_print_text(FILE *f, const np_topo *topo, const struct np_enforcement *enf,
		  const struct doctor_report *rep)
{
	unsigned int nn = np_topo_node_count(topo);
	static unsigned int cpus[MAX_CPUS];
	uint64_t sizes[4];
	int n_sizes = np_topo_hugepage_sizes(topo, sizes, 4);

	fprintf(f, "numa-doctor: topology of %s\n", np_topo_source_name(topo));
	/* The first lines follow numactl --hardware, so they read the same. */
	fprintf(f, "available: %u nodes (", nn);
	for (unsigned int i = 0; i < nn; i++)
		fprintf(f, "%s%d", i ? "," : "", np_topo_node_id(topo, i));
	fprintf(f, ")\n");
	for (unsigned int i = 0; i < nn; i++) {
		int node = np_topo_node_id(topo, i);
		int nc = np_topo_node_cpus(topo, node, cpus, MAX_CPUS);

		fprintf(f, "node %d cpus:", node);
		for (int c = 0; c < nc && c < MAX_CPUS; c++)
			fprintf(f, " %u", cpus[c]);
		fprintf(f, "\nnode %d size: %" PRIu64 " MB\n", node,
			np_topo_node_memory(topo, node) >> 20);
		fprintf(f, "node %d hugepages:", node);
		if (n_sizes <= 0)
			fprintf(f, " none");
		for (int s = 0; s < n_sizes && s < 4; s++) {
			struct np_hugepages hp;

			np_topo_node_hugepages(topo, node, sizes[s], &hp);
			fputc(' ', f);
			print_size(f, sizes[s]);
			fprintf(f, " %" PRIu64 " free of %" PRIu64 "%s", hp.free, hp.total,
				s + 1 < n_sizes ? "," : "");
		}
		fputc('\n', f);
	}
	fprintf(f, "node distances%s:\nnode ",
		np_topo_distances_known(topo) ? "" : " (not given: assumed)");
	for (unsigned int j = 0; j < nn; j++)
		fprintf(f, "%3d ", np_topo_node_id(topo, j));
	fputc('\n', f);
	for (unsigned int i = 0; i < nn; i++) {
		fprintf(f, "%3d: ", np_topo_node_id(topo, i));
		for (unsigned int j = 0; j < nn; j++)
			fprintf(f, "%3d ", np_topo_distance(topo, np_topo_node_id(topo, i),
							   np_topo_node_id(topo, j)));
		fputc('\n', f);
	}
	fprintf(f, "packages: %u, cpus: %u\n", np_topo_package_count(topo),
		np_topo_cpu_count(topo));
	fprintf(f, "network devices: %u\n", np_topo_nic_count(topo));
	for (unsigned int i = 0; i < np_topo_nic_count(topo); i++) {
		struct np_nic_info nic;

		np_topo_nic(topo, i, &nic);
		fprintf(f, "  %s %-12s driver %-16s ", nic.pci_addr,
			nic.ifname[0] ? nic.ifname : "-", nic.driver[0] ? nic.driver : "-");
		if (nic.node == NP_NODE_UNKNOWN)
			fprintf(f, "node unknown (kernel reports -1)\n");
		else
			fprintf(f, "node %d\n", nic.node);
	}
	fprintf(f, "process: root %s, CAP_SYS_NICE %s, CAP_IPC_LOCK %s\n",
		enf->root ? "yes" : "no", enf->cap_sys_nice ? "yes" : "no",
		enf->cap_ipc_lock ? "yes" : "no");
	fprintf(f, "kernel: NUMA balancing %s, hugetlbfs", balancing_name(enf->numa_balancing));
	if (enf->n_mounts == 0)
		fprintf(f, " %s", np_topo_source(topo) == NP_TOPO_LIVE ? "not mounted" : "n/a");
	for (unsigned int m = 0; m < enf->n_mounts; m++) {
		fprintf(f, " %s (", enf->mounts[m].path);
		print_size(f, enf->mounts[m].page_size);
		fputc(')', f);
	}
	fprintf(f, "\n\nIs this box NUMA? %s\n", rep->is_numa ? "yes" : "no");
	fprintf(f, "Verdict: %s.\n", doctor_verdict_summary(rep->verdict));
	fprintf(f, "Reasons:\n");
	for (unsigned int i = 0; i < rep->n_findings; i++)
		fprintf(f, "  %s %s\n",
			rep->findings[i].severity == SEV_WARNING ? "[warning]" : "[info]   ",
			rep->findings[i].message);
	fprintf(f, "Try next:\n");
	for (unsigned int i = 0; i < rep->n_steps; i++)
		fprintf(f, "  %u. %s\n", i + 1, rep->steps[i]);
}

void
doctor_print_json(FILE *f, const np_topo *topo, const struct np_enforcement *enf,
		  const struct doctor_report *rep)
{
	unsigned int nn = np_topo_node_count(topo);
	static unsigned int cpus[MAX_CPUS];
	uint64_t sizes[4];
	int n_sizes = np_topo_hugepage_sizes(topo, sizes, 4);
	struct json_out j;

	json_init(&j, f, true);
	json_obj_begin(&j, NULL);
	json_str(&j, "schema", "numaperf/numa-doctor/1");
	json_str(&j, "source", np_topo_source_name(topo));
	json_bool(&j, "numa", rep->is_numa);
	json_uint(&j, "node_count", nn);
	json_uint(&j, "package_count", np_topo_package_count(topo));
	json_uint(&j, "cpu_count", np_topo_cpu_count(topo));

	json_arr_begin(&j, "nodes");
	for (unsigned int i = 0; i < nn; i++) {
		int node = np_topo_node_id(topo, i);
		int nc = np_topo_node_cpus(topo, node, cpus, MAX_CPUS);

		json_obj_begin(&j, NULL);
		json_int(&j, "id", node);
		json_arr_begin(&j, "cpus");
		for (int c = 0; c < nc && c < MAX_CPUS; c++)
			json_uint(&j, NULL, cpus[c]);
		json_arr_end(&j);
		json_uint(&j, "memory_bytes", np_topo_node_memory(topo, node));
		json_bool(&j, "memory_only", np_topo_node_is_memory_only(topo, node));
		json_arr_begin(&j, "hugepages");
		for (int s = 0; s < n_sizes && s < 4; s++) {
			struct np_hugepages hp;

			np_topo_node_hugepages(topo, node, sizes[s], &hp);
			json_obj_begin(&j, NULL);
			json_uint(&j, "page_size", hp.page_size);
			json_uint(&j, "total", hp.total);
			json_uint(&j, "free", hp.free);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);

	json_bool(&j, "distances_known", np_topo_distances_known(topo));
	json_arr_begin(&j, "distances");
	for (unsigned int a = 0; a < nn; a++) {
		json_arr_begin(&j, NULL);
		for (unsigned int b = 0; b < nn; b++)
			json_int(&j, NULL, np_topo_distance(topo, np_topo_node_id(topo, a),
							    np_topo_node_id(topo, b)));
		json_arr_end(&j);
	}
	json_arr_end(&j);

	json_arr_begin(&j, "nics");
	for (unsigned int i = 0; i < np_topo_nic_count(topo); i++) {
		struct np_nic_info nic;
		char id[8];

		np_topo_nic(topo, i, &nic);
		json_obj_begin(&j, NULL);
		json_str(&j, "pci", nic.pci_addr);
		json_str(&j, "ifname", nic.ifname[0] ? nic.ifname : NULL);
		json_str(&j, "driver", nic.driver[0] ? nic.driver : NULL);
		snprintf(id, sizeof(id), "%04x", nic.vendor_id);
		json_str(&j, "vendor_id", id);
		snprintf(id, sizeof(id), "%04x", nic.device_id);
		json_str(&j, "device_id", id);
		if (nic.node == NP_NODE_UNKNOWN)
			json_null(&j, "node");
		else
			json_int(&j, "node", nic.node);
		json_obj_end(&j);
	}
	json_arr_end(&j);

	json_obj_begin(&j, "enforcement");
	json_bool(&j, "root", enf->root);
	json_bool(&j, "cap_sys_nice", enf->cap_sys_nice);
	json_bool(&j, "cap_ipc_lock", enf->cap_ipc_lock);
	json_str(&j, "numa_balancing", balancing_name(enf->numa_balancing));
	json_arr_begin(&j, "hugetlbfs");
	for (unsigned int m = 0; m < enf->n_mounts; m++) {
		json_obj_begin(&j, NULL);
		json_str(&j, "path", enf->mounts[m].path);
		json_uint(&j, "page_size", enf->mounts[m].page_size);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);

	json_obj_begin(&j, "verdict");
	json_str(&j, "code", doctor_verdict_code(rep->verdict));
	json_str(&j, "summary", doctor_verdict_summary(rep->verdict));
	json_int(&j, "exit_status", doctor_exit_status(rep));
	json_obj_end(&j);

	json_arr_begin(&j, "findings");
	for (unsigned int i = 0; i < rep->n_findings; i++) {
		json_obj_begin(&j, NULL);
		json_str(&j, "severity",
			 rep->findings[i].severity == SEV_WARNING ? "warning" : "info");
		json_str(&j, "code", rep->findings[i].code);
		json_str(&j, "message", rep->findings[i].message);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_arr_begin(&j, "next_steps");
	for (unsigned int i = 0; i < rep->n_steps; i++)
		json_str(&j, NULL, rep->steps[i]);
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}
