/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --chart PREFIX: PREFIX.png and PREFIX.svg, drawn by gnuplot (Debian's
 * gnuplot-nox): per configuration, four bars (p50, p99, p99.9, max) on a
 * log scale, the way people compare tails at a glance; a configuration
 * that did not run keeps its place on the axis with its status and no bar.
 *
 * gnuplot reads the script on its stdin and writes the image on its
 * stdout, which pinbench reads and writes to the file itself: every write
 * is pinbench's and is checked (a full disk is an error), and the image is
 * checked to be a PNG / an SVG before it is written.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pinbench.h"

#define SCRIPT_MAX 16384    /* well below a pipe's buffer: written before reading */

/* The first "gnuplot" on $PATH that can be run, into @buf; false if none. */
static bool
find_gnuplot(char *buf, size_t len)
{
	const char *path = getenv("PATH");
	char *copy, *save = NULL;
	bool found = false;

	if (path == NULL || (copy = strdup(path)) == NULL)
		return false;
	for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		snprintf(buf, len, "%s/gnuplot", d[0] ? d : ".");
		found = access(buf, X_OK) == 0;
	}
	free(copy);
	return found;
}

bool
pb_chart_available(void)
{
	char exe[512];

	return find_gnuplot(exe, sizeof(exe));
}

static void
append(char *buf, size_t len, size_t *off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
append(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += (size_t)n;
}

/* Text for a gnuplot double-quoted string: no quote, backslash or line break. */
static void
clean(char *s)
{
	for (; *s; s++)
		if (*s == '"' || *s == '\\' || *s == '\n' || *s == '\r')
			*s = ' ';
}

static int
script(const struct pb_run *run, const char *terminal, char *buf, size_t len)
{
	const struct pb_args *a = &run->args;
	const struct pb_machine *m = &run->m;
	bool mem = a->mode == PB_MODE_MEMORY;
	char title[512], sz[32];
	size_t off = 0;

	if (mem)
		snprintf(title, sizeof(title), "pinbench memory latency: %s buffer, %s pages, "
			 "%llu samples of %u hops\\n%s: %u NUMA node%s, %u CPUs, %s",
			 pb_size_text(a->size, sz, sizeof(sz)), np_page_mode_name(a->pages),
			 (unsigned long long)a->samples, a->hops, m->host, m->n_nodes,
			 m->n_nodes == 1 ? "" : "s", m->n_cpus, m->cpu_model);
	else
		snprintf(title, sizeof(title), "pinbench pipeline latency: net_null pair, %.3g s "
			 "per configuration\\n%s: %u NUMA node%s, %u CPUs, %s", a->duration,
			 m->host, m->n_nodes, m->n_nodes == 1 ? "" : "s", m->n_cpus,
			 m->cpu_model);
	/* The title keeps its "\n" (a line break for gnuplot); nothing else may escape. */
	for (char *p = title; *p; p++)
		if (*p == '"' || *p == '\r' || *p == '\n' || (*p == '\\' && p[1] != 'n'))
			*p = ' ';
	append(buf, len, &off, "set terminal %s size 1000,600 font \"sans,10\"\n", terminal);
	append(buf, len, &off, "set title \"%s\" noenhanced\n", title);
	append(buf, len, &off, "set ylabel \"%s (log scale)\"\n",
	       mem ? "ns per hop" : "ns per packet, RX to TX");
	append(buf, len, &off, "set xlabel \"configuration\" offset 0,-1\n"
	       "set bmargin 5\nset logscale y\nset style data histogram\n"
	       "set style histogram clustered gap 1\nset style fill solid 0.8 border -1\n"
	       "set key top left\nset grid ytics\n$data << EOD\n");
	for (int c = 0; c < PB_N_CONFIGS; c++) {
		const struct pb_result *r = &run->res[c];
		char label[64];

		if (!a->configs[c])
			continue;
		if (r->status == PB_ST_RAN && r->have_latency) {
			append(buf, len, &off, "\"%s\" %.6g %.6g %.6g %.6g\n", pb_config_name(r->cfg),
			       r->p50, r->p99, r->p999, r->max);
		} else {
			snprintf(label, sizeof(label), "%s", pb_status_name(r->status));
			clean(label);
			append(buf, len, &off, "\"%s\\n(%s)\" NaN NaN NaN NaN\n",
			       pb_config_name(r->cfg), label);
		}
	}
	append(buf, len, &off, "EOD\nplot $data using 2:xtic(1) title \"p50\", '' using 3 "
	       "title \"p99\", '' using 4 title \"p99.9\", '' using 5 title \"max\"\n");
	return off < len ? 0 : -1;
}

/* Run gnuplot on @text; its stdout into a malloc'd *out. 0, or -1 with *why. */
static int
gnuplot(const char *exe, const char *text, char **out, size_t *out_len, char *why,
	size_t why_len)
{
	int in[2], res[2], status;
	size_t cap = 1 << 16, n = 0;
	char *buf;
	pid_t pid;
	ssize_t k;

	*out = NULL;
	if (pipe(in) < 0 || pipe(res) < 0) {
		snprintf(why, why_len, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(why, why_len, "fork: %s", strerror(errno));
		close(in[0]); close(in[1]); close(res[0]); close(res[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(res[1], STDOUT_FILENO);
		close(in[0]); close(in[1]); close(res[0]); close(res[1]);
		execl(exe, "gnuplot", (char *)NULL);
		fprintf(stderr, PB_PROG ": cannot run %s: %s\n", exe, strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(res[1]);
	/* The script fits the pipe: written whole before the image is read. */
	k = write(in[1], text, strlen(text));
	close(in[1]);
	buf = malloc(cap);
	while (buf != NULL) {
		if (n == cap) {
			char *more = realloc(buf, cap * 2);

			if (more == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = more;
			cap *= 2;
		}
		ssize_t r = read(res[0], buf + n, cap - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(res[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (buf == NULL) {
		snprintf(why, why_len, "out of memory reading gnuplot's output");
		return -1;
	}
	if (k != (ssize_t)strlen(text) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(why, why_len, "gnuplot failed (%s %d)", WIFEXITED(status) ?
			 "exit status" : "signal", WIFEXITED(status) ? WEXITSTATUS(status) :
			 WTERMSIG(status));
		free(buf);
		return -1;
	}
	*out = buf;
	*out_len = n;
	return 0;
}

/* One image: draw it, check its kind, write it. 0 or -1 (message printed). */
static int
draw(const struct pb_run *run, const char *exe, const char *prefix, const char *ext,
     const char *terminal, const char *magic)
{
	char text[SCRIPT_MAX], why[256], path[4096];
	char *img = NULL;
	size_t len = 0;
	int ret;

	snprintf(path, sizeof(path), "%s.%s", prefix, ext);
	if (script(run, terminal, text, sizeof(text)) < 0) {
		fprintf(stderr, PB_PROG ": --chart %s: the gnuplot script is too long\n", path);
		return -1;
	}
	if (gnuplot(exe, text, &img, &len, why, sizeof(why)) < 0) {
		fprintf(stderr, PB_PROG ": --chart %s: %s\n", path, why);
		return -1;
	}
	if (len < strlen(magic) ||
	    memmem(img, len < 512 ? len : 512, magic, strlen(magic)) == NULL) {
		fprintf(stderr, PB_PROG ": --chart %s: gnuplot wrote %zu bytes that are not %s "
			"image\n", path, len, strcmp(ext, "png") == 0 ? "a PNG" : "an SVG");
		free(img);
		return -1;
	}
	ret = pb_write_file(path, img, len);
	free(img);
	if (ret < 0) {
		fprintf(stderr, PB_PROG ": --chart %s: cannot write it: %s\n", path, strerror(-ret));
		return -1;
	}
	return 0;
}

int
pb_chart(const struct pb_run *run, const char *prefix)
{
	char exe[512];
	bool any = false;

	for (int c = 0; c < PB_N_CONFIGS; c++)
		any = any || (run->args.configs[c] && run->res[c].status == PB_ST_RAN &&
			      run->res[c].have_latency);
	if (!any) {
		/* The run's status already says why nothing ran. */
		fprintf(stderr, PB_PROG ": --chart: no configuration was measured, so no chart "
			"was drawn\n");
		return 0;
	}
	if (!find_gnuplot(exe, sizeof(exe))) {
		fprintf(stderr, PB_PROG ": --chart needs gnuplot, which is not on $PATH: "
			"apt-get install -y gnuplot-nox\n");
		return -1;
	}
	if (draw(run, exe, prefix, "png", "pngcairo", "\x89PNG") < 0 ||
	    draw(run, exe, prefix, "svg", "svg dynamic", "<svg") < 0)
		return -1;
	return 0;
}
