/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What pinbench prints: a progress line as each configuration starts and
 * ends, the table at the end, and the same results as JSON (schema
 * numaperf/pinbench/1) and CSV. Columns and fields are documented in
 * README.md; a configuration that did not run has its status and reason,
 * never a figure.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "np_json.h"
#include "pinbench.h"

const char *
pb_status_name(enum pb_status s)
{
	switch (s) {
	case PB_ST_NOT_RUN: return "not run";
	case PB_ST_RAN: return "ran";
	case PB_ST_REFUSED: return "refused";
	case PB_ST_NOT_APPLICABLE: return "not applicable";
	case PB_ST_NOT_SUPPORTED: return "not supported";
	case PB_ST_FAILED: return "failed";
	case PB_ST_PLANNED: return "planned";
	}
	return "?";
}

void
pb_result_latency(struct pb_result *r, const struct np_hist_summary *s,
		  uint64_t units_per_second)
{
	r->have_latency = s->count > 0;
	r->count = s->count;
	r->min = np_hist_units_to_ns(s->min, units_per_second);
	r->mean = s->mean * 1e9 / (double)units_per_second;
	r->p50 = np_hist_units_to_ns(s->p50, units_per_second);
	r->p90 = np_hist_units_to_ns(s->p90, units_per_second);
	r->p99 = np_hist_units_to_ns(s->p99, units_per_second);
	r->p999 = np_hist_units_to_ns(s->p999, units_per_second);
	r->max = np_hist_units_to_ns(s->max, units_per_second);
	r->saturated = s->saturated;
}

void
pb_result_numastat(struct pb_result *r, const np_numastat *d)
{
	r->have_numastat = d != NULL;
	r->n_numastat = 0;
	for (unsigned int i = 0; d != NULL && i < np_numastat_count(d) && i < PB_MAX_NODES; i++) {
		const struct np_numastat_node *n = np_numastat_at(d, i);

		r->numastat[i].node = n->node;
		memcpy(r->numastat[i].v, n->v, sizeof(n->v));
		r->n_numastat++;
	}
}

/* "CPU 0 (node 0)", "not pinned" */
static const char *
thread_text(const struct pb_result *r, char *buf, size_t len)
{
	if (r->thread_node < 0)
		snprintf(buf, len, "not pinned");
	else if (r->cpu < 0)
		snprintf(buf, len, "node %d", r->thread_node);
	else
		snprintf(buf, len, "CPU %d (node %d)", r->cpu, r->thread_node);
	return buf;
}

static const char *
memory_text(const struct pb_result *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s", r->policy == NP_MEM_INTERLEAVE ? "nodes" : "node",
		 r->mem_nodes);
	return buf;
}

void
pb_progress_start(const struct pb_run *run, const struct pb_place *pl, unsigned int i,
		  FILE *f)
{
	char mem[64], cpus[64];

	fprintf(f, "[%u/%u] %s: ", i, run->n_selected, pb_config_name(pl->cfg));
	if (pl->status == PB_ST_NOT_APPLICABLE || pl->status == PB_ST_NOT_SUPPORTED) {
		fprintf(f, "%s\n", pl->why);
		fflush(f);
		return;
	}
	np_nodemask_format(&pl->mem_mask, mem, sizeof(mem));
	if (pl->thread_node < 0)
		fprintf(f, "thread not pinned");
	else if (run->args.mode == PB_MODE_PIPELINE)
		fprintf(f, "worker lcore %d on node %d (CPUs %s)", pl->cpu, pl->thread_node,
			pb_node_cpus_text(run->m.topo, pl->thread_node, cpus, sizeof(cpus)));
	else
		fprintf(f, "thread on CPU %d, node %d", pl->cpu, pl->thread_node);
	if (run->args.mode == PB_MODE_PIPELINE)
		fprintf(f, ", ports and mbuf pool on node %s: EAL in a child process, placing, "
			"verifying, %.3g s of traffic...\n", mem, run->args.duration);
	else
		fprintf(f, ", memory %s %s %s: placing, verifying, measuring...\n",
			pl->policy == NP_MEM_INTERLEAVE ? "interleaved over" : "bound to",
			pl->policy == NP_MEM_INTERLEAVE ? "nodes" : "node", mem);
	fflush(f);
}

static void
where_summary(const struct pb_result *r, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < r->n_where && off < len; i++) {
		int n = snprintf(buf + off, len - off, "%s%" PRIu64 " on node %d", i ? ", " : "",
				 r->where[i].pages, r->where[i].node);

		if (n < 0)
			break;
		off += (size_t)n;
	}
}

void
pb_progress_end(const struct pb_run *run, const struct pb_result *r, unsigned int i, FILE *f)
{
	char where[256];

	if (r->status == PB_ST_NOT_APPLICABLE || r->status == PB_ST_NOT_SUPPORTED)
		return;   /* said by pb_progress_start() */
	fprintf(f, "[%u/%u] %s: ", i, run->n_selected, pb_config_name(r->cfg));
	if (r->status != PB_ST_RAN) {
		fprintf(f, "%s: %s\n", r->status == PB_ST_REFUSED ? "REFUSED" : "FAILED",
			r->reason);
		fflush(f);
		return;
	}
	if (run->args.mode == PB_MODE_MEMORY) {
		where_summary(r, where, sizeof(where));
		fprintf(f, "verified (pages: %s of %" PRIu64 "; thread on CPU%s %s, node%s %s); "
			"p50 %.1f, p99 %.1f, p99.9 %.1f, max %.1f ns per hop; %.2f M hops/s\n",
			where, r->pages, strpbrk(r->ran_cpus, ",-") ? "s" : "", r->ran_cpus,
			strpbrk(r->ran_nodes, ",-") ? "s" : "", r->ran_nodes, r->p50, r->p99,
			r->p999, r->max, r->rate / 1e6);
	} else {
		fprintf(f, "verified (plan, audit: %u objects %u OK %u REMOTE; worker on CPU %s, "
			"node %s; %.1f%% local); %.2f Mpps, p50 %.0f, p99 %.0f, p99.9 %.0f, max "
			"%.0f ns per packet\n", r->audit_objects, r->audit_ok, r->audit_remote,
			r->ran_cpus, r->ran_nodes, r->locality * 100, r->rate / 1e6, r->p50, r->p99,
			r->p999, r->max);
	}
	fflush(f);
}

/* "n0 65601/0/0" : numa_hit/numa_miss/other_node per node. */
static void
numastat_short(const struct pb_result *r, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	if (!r->have_numastat) {
		snprintf(buf, len, "-");
		return;
	}
	for (unsigned int i = 0; i < r->n_numastat && off < len; i++) {
		int n = snprintf(buf + off, len - off, "%sn%d %" PRIu64 "/%" PRIu64 "/%" PRIu64,
				 i ? " " : "", r->numastat[i].node,
				 r->numastat[i].v[NP_NUMASTAT_NUMA_HIT],
				 r->numastat[i].v[NP_NUMASTAT_NUMA_MISS],
				 r->numastat[i].v[NP_NUMASTAT_OTHER_NODE]);

		if (n < 0)
			break;
		off += (size_t)n;
	}
}

void
pb_print_table(const struct pb_run *run, FILE *f)
{
	bool mem = run->args.mode == PB_MODE_MEMORY;
	char th[64], me[64], ns[512];

	fprintf(f, "\n%s\n", mem ?
		"latency in ns per hop (one dependent load each); numastat: numa_hit/numa_miss/"
		"other_node per node over the run (allocations, not accesses)" :
		"latency in ns per packet (RX to TX); locality: packets whose port, worker and "
		"pool share a node; numastat: numa_hit/numa_miss/other_node per node");
	if (mem)
		fprintf(f, "%-14s %-16s %-11s %9s %9s %9s %10s %8s  %s\n", "configuration",
			"thread", "memory", "p50", "p99", "p99.9", "max", "Mhops/s", "numastat");
	else
		fprintf(f, "%-14s %-16s %-11s %7s %9s %9s %9s %10s %9s  %s\n", "configuration",
			"worker", "memory", "Mpps", "p50", "p99", "p99.9", "max", "locality",
			"audit");
	for (int c = 0; c < PB_N_CONFIGS; c++) {
		const struct pb_result *r = &run->res[c];

		if (!run->args.configs[c])
			continue;
		fprintf(f, "%-14s ", pb_config_name(r->cfg));
		if (r->status == PB_ST_NOT_APPLICABLE || r->status == PB_ST_NOT_SUPPORTED) {
			fprintf(f, "%s\n", r->reason);
			continue;
		}
		if (r->status != PB_ST_RAN) {
			fprintf(f, "%s: %s\n", r->status == PB_ST_REFUSED ? "REFUSED" : "FAILED",
				r->reason);
			continue;
		}
		thread_text(r, th, sizeof(th));
		if (r->thread_node < 0)
			snprintf(th, sizeof(th), "ran on CPU%s %s", strpbrk(r->ran_cpus, ",-") ? "s" : "",
				 r->ran_cpus);
		memory_text(r, me, sizeof(me));
		if (mem) {
			numastat_short(r, ns, sizeof(ns));
			fprintf(f, "%-16s %-11s %9.1f %9.1f %9.1f %10.1f %8.2f  %s\n", th, me,
				r->p50, r->p99, r->p999, r->max, r->rate / 1e6, ns);
		} else {
			fprintf(f, "%-16s %-11s %7.2f %9.0f %9.0f %9.0f %10.0f %8.1f%%  %u OK, "
				"%u REMOTE of %u\n", th, me, r->rate / 1e6, r->p50, r->p99, r->p999,
				r->max, r->locality * 100, r->audit_ok, r->audit_remote,
				r->audit_objects);
		}
	}
}

/* ---- JSON ------------------------------------------------------------------ */

static void
json_result(struct np_json *j, const struct pb_run *run, const struct pb_result *r)
{
	bool mem = run->args.mode == PB_MODE_MEMORY;

	np_json_obj_begin(j, NULL);
	np_json_str(j, "name", pb_config_name(r->cfg));
	np_json_str(j, "status", pb_status_name(r->status));
	if (r->status != PB_ST_RAN)
		np_json_str(j, "reason", r->reason);
	if (r->status == PB_ST_NOT_APPLICABLE || r->status == PB_ST_NOT_SUPPORTED) {
		np_json_obj_end(j);
		return;
	}
	np_json_obj_begin(j, "thread");
	if (r->thread_node >= 0)
		np_json_int(j, "node", r->thread_node);
	else
		np_json_null(j, "node");
	np_json_bool(j, "pinned", r->thread_node >= 0);
	if (r->cpu >= 0)
		np_json_int(j, "cpu", r->cpu);
	else
		np_json_null(j, "cpu");
	np_json_str(j, "ran_on_cpus", r->ran_cpus[0] ? r->ran_cpus : NULL);
	np_json_str(j, "ran_on_nodes", r->ran_nodes[0] ? r->ran_nodes : NULL);
	np_json_obj_end(j);
	np_json_obj_begin(j, "memory");
	/* Pipeline mode: DPDK memory of one socket per pool, not an mbind policy. */
	np_json_str(j, "policy", mem ? np_mem_policy_name(r->policy) : "dpdk-socket");
	np_json_str(j, "nodes", r->mem_nodes);
	if (mem) {
		np_json_uint(j, "pages", r->pages);
		np_json_uint(j, "page_size", r->page_size);
		np_json_obj_begin(j, "pages_by_node");
		for (unsigned int i = 0; i < r->n_where; i++) {
			char key[16];

			snprintf(key, sizeof(key), "%d", r->where[i].node);
			np_json_uint(j, key, r->where[i].pages);
		}
		np_json_obj_end(j);
	} else {
		np_json_str(j, "pools", r->pools);
	}
	np_json_obj_end(j);
	if (r->distance >= 0)
		np_json_int(j, "distance", r->distance);
	else
		np_json_null(j, "distance");
	if (r->status == PB_ST_RAN && r->have_latency) {
		np_json_obj_begin(j, "latency_ns");
		np_json_str(j, "unit", mem ? "ns per hop" : "ns per packet");
		np_json_uint(j, "count", r->count);
		np_json_double(j, "min", r->min);
		np_json_double(j, "mean", r->mean);
		np_json_double(j, "p50", r->p50);
		np_json_double(j, "p90", r->p90);
		np_json_double(j, "p99", r->p99);
		np_json_double(j, "p999", r->p999);
		np_json_double(j, "max", r->max);
		np_json_uint(j, "saturated", r->saturated);
		np_json_obj_end(j);
		np_json_double(j, "seconds", r->seconds);
		if (mem) {
			np_json_double(j, "hops_per_second", r->rate);
			np_json_double(j, "tsc_hz", r->tsc_hz);
		} else {
			np_json_double(j, "mpps", r->rate / 1e6);
			np_json_uint(j, "rx_packets", r->rx);
			np_json_uint(j, "tx_packets", r->tx);
			np_json_uint(j, "drops", r->drops);
		}
	}
	if (!mem && r->audit_objects > 0) {
		np_json_double(j, "locality_ratio", r->locality);
		np_json_uint(j, "locality_packets", r->locality_pkts);
		np_json_str(j, "locality_health", r->health);
		np_json_str(j, "workers", r->workers);
		np_json_obj_begin(j, "audit");
		np_json_uint(j, "objects", r->audit_objects);
		np_json_uint(j, "OK", r->audit_ok);
		np_json_uint(j, "MISPLACED", r->audit_misplaced);
		np_json_uint(j, "REMOTE", r->audit_remote);
		np_json_uint(j, "UNKNOWN", r->audit_unknown);
		np_json_obj_end(j);
	}
	if (r->have_numastat) {
		np_json_arr_begin(j, "numastat");
		for (unsigned int i = 0; i < r->n_numastat; i++) {
			np_json_obj_begin(j, NULL);
			np_json_int(j, "node", r->numastat[i].node);
			for (int k = 0; k < NP_NUMASTAT_N_FIELDS; k++)
				np_json_uint(j, np_numastat_field_name((enum np_numastat_field)k),
					     r->numastat[i].v[k]);
			np_json_obj_end(j);
		}
		np_json_arr_end(j);
	}
	np_json_obj_end(j);
}

int
pb_write_json(const struct pb_run *run, int status, FILE *f)
{
	const struct pb_args *a = &run->args;
	const struct pb_machine *m = &run->m;
	struct np_json j;

	np_json_init(&j, f, true);
	np_json_obj_begin(&j, NULL);
	np_json_str(&j, "schema", "numaperf/pinbench/1");
	np_json_str(&j, "mode", pb_mode_name(a->mode));
	np_json_obj_begin(&j, "machine");
	np_json_str(&j, "host", m->host);
	np_json_str(&j, "cpu_model", m->cpu_model);
	np_json_str(&j, "topology", m->source);
	np_json_uint(&j, "nodes", m->n_nodes);
	np_json_uint(&j, "cpus", m->n_cpus);
	np_json_obj_end(&j);
	np_json_int(&j, "home_node", m->home);
	if (m->away >= 0)
		np_json_int(&j, "away_node", m->away);
	else
		np_json_null(&j, "away_node");
	np_json_str(&j, "away_node_why", m->away_why);
	np_json_obj_begin(&j, "parameters");
	if (a->mode == PB_MODE_MEMORY) {
		np_json_uint(&j, "size_bytes", a->size);
		np_json_str(&j, "pages", np_page_mode_name(a->pages));
		np_json_uint(&j, "samples", a->samples);
		np_json_uint(&j, "hops_per_sample", a->hops);
		np_json_uint(&j, "seed", a->seed);
	} else {
		np_json_double(&j, "duration_s", a->duration);
		np_json_uint(&j, "burst", a->burst);
		np_json_bool(&j, "no_huge", a->no_huge);
	}
	np_json_obj_end(&j);
	np_json_arr_begin(&j, "configurations");
	for (int c = 0; c < PB_N_CONFIGS; c++)
		if (a->configs[c])
			json_result(&j, run, &run->res[c]);
	np_json_arr_end(&j);
	np_json_int(&j, "exit_status", status);
	np_json_obj_end(&j);
	return np_json_finish(&j);
}

/* ---- CSV ------------------------------------------------------------------- */

/* A field, quoted if it holds a comma, a quote or a line break (RFC 4180). */
static void
csv_str(FILE *f, const char *s, bool last)
{
	if (strpbrk(s, ",\"\r\n") != NULL) {
		fputc('"', f);
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				fputc('"', f);
			fputc(*p, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputs(last ? "\r\n" : ",", f);
}

static void
csv_num(FILE *f, bool have, double v, const char *fmt)
{
	if (have && isfinite(v))
		fprintf(f, fmt, v);
	fputc(',', f);
}

static void
csv_numastat(FILE *f, const struct pb_result *r, enum np_numastat_field k)
{
	for (unsigned int i = 0; r->have_numastat && i < r->n_numastat; i++)
		fprintf(f, "%s%d:%" PRIu64, i ? " " : "", r->numastat[i].node,
			r->numastat[i].v[k]);
	fputc(',', f);
}

int
pb_write_csv(const struct pb_run *run, FILE *f)
{
	bool mem = run->args.mode == PB_MODE_MEMORY;

	fputs("mode,configuration,status,thread_node,thread_cpu,ran_on_cpus,ran_on_nodes,"
	      "memory_policy,memory_nodes,distance,unit,count,min,mean,p50,p90,p99,p999,max,"
	      "rate_per_s,locality_ratio,audit_ok,audit_misplaced,audit_remote,audit_unknown,"
	      "numa_hit,numa_miss,numa_foreign,interleave_hit,local_node,other_node,reason\r\n",
	      f);
	for (int c = 0; c < PB_N_CONFIGS; c++) {
		const struct pb_result *r = &run->res[c];
		bool ran = r->status == PB_ST_RAN, placed;
		bool lat = ran && r->have_latency;

		if (!run->args.configs[c])
			continue;
		placed = r->status != PB_ST_NOT_APPLICABLE && r->status != PB_ST_NOT_SUPPORTED;
		fprintf(f, "%s,%s,%s,", pb_mode_name(run->args.mode), pb_config_name(r->cfg),
			pb_status_name(r->status));
		if (placed && r->thread_node >= 0)
			fprintf(f, "%d", r->thread_node);
		fputc(',', f);
		if (placed && r->cpu >= 0)
			fprintf(f, "%d", r->cpu);
		fputc(',', f);
		csv_str(f, ran ? r->ran_cpus : "", false);
		csv_str(f, ran ? r->ran_nodes : "", false);
		fprintf(f, "%s,", !placed ? "" : mem ? np_mem_policy_name(r->policy) : "dpdk-socket");
		csv_str(f, placed ? r->mem_nodes : "", false);
		if (placed && r->distance >= 0)
			fprintf(f, "%d", r->distance);
		fputc(',', f);
		fprintf(f, "%s,", lat ? (mem ? "ns per hop" : "ns per packet") : "");
		if (lat)
			fprintf(f, "%" PRIu64, r->count);
		fputc(',', f);
		csv_num(f, lat, r->min, "%.3f");
		csv_num(f, lat, r->mean, "%.3f");
		csv_num(f, lat, r->p50, "%.3f");
		csv_num(f, lat, r->p90, "%.3f");
		csv_num(f, lat, r->p99, "%.3f");
		csv_num(f, lat, r->p999, "%.3f");
		csv_num(f, lat, r->max, "%.3f");
		csv_num(f, ran, r->rate, "%.0f");
		csv_num(f, ran && !mem, r->locality, "%.6f");
		if (ran && !mem)
			fprintf(f, "%u,%u,%u,%u,", r->audit_ok, r->audit_misplaced,
				r->audit_remote, r->audit_unknown);
		else
			fputs(",,,,", f);
		for (int k = 0; k < NP_NUMASTAT_N_FIELDS; k++) {
			if (ran)
				csv_numastat(f, r, (enum np_numastat_field)k);
			else
				fputc(',', f);
		}
		csv_str(f, ran ? "" : r->reason, true);
	}
	if (fflush(f) != 0 || ferror(f))
		return -(errno ? errno : EIO);
	return 0;
}

int
pb_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int err = 0;

	if (f == NULL)
		return -errno;
	if (len > 0 && fwrite(data, 1, len, f) != len)
		err = errno ? errno : EIO;
	if (fflush(f) != 0 && err == 0)
		err = errno ? errno : EIO;
	if (fclose(f) != 0 && err == 0)
		err = errno ? errno : EIO;
	return -err;
}
