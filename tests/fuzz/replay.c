/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Runs a fuzz target's LLVMFuzzerTestOneInput() on files and folders given
 * as arguments, without libFuzzer: the seed corpora and every input a fuzzer
 * once crashed on (tests/fuzz/regress/) replay in the ordinary build, under
 * valgrind (suite memcheck) and the sanitizers (scripts/sanitize.sh), so a
 * fixed crash stays fixed on machines without clang. A target's own checks
 * abort() on a broken promise; the input's name is printed before it runs.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;

	if (f == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		size_t n;

		if (len == cap) {
			uint8_t *p = realloc(buf, cap = cap ? cap * 2 : 4096);

			if (p == NULL) {
				free(buf);
				fclose(f);
				fprintf(stderr, "replay: %s: out of memory\n", path);
				return -1;
			}
			buf = p;
		}
		n = fread(buf + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	printf("replay: %s (%zu bytes)\n", path, len);
	fflush(stdout);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int
compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A file, or each regular file of a folder in name order (not recursive). */
static int
run_path(const char *path, unsigned int *count)
{
	struct stat st;
	struct dirent *d;
	char **names = NULL;
	size_t n = 0;
	int ret = 0;
	DIR *dir;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	dir = opendir(path);
	if (dir == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((d = readdir(dir)) != NULL) {
		char full[4096], **grown;

		snprintf(full, sizeof(full), "%s/%s", path, d->d_name);
		if (d->d_name[0] == '.' || stat(full, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		grown = realloc(names, (n + 1) * sizeof(*names));
		if (grown == NULL || (grown[n] = strdup(full)) == NULL) {
			names = grown ? grown : names;
			ret = -1;
			break;
		}
		names = grown;
		n++;
	}
	closedir(dir);
	if (n > 1)
		qsort(names, n, sizeof(*names), compare);
	for (size_t i = 0; i < n; i++) {
		if (ret == 0 && run_file(names[i]) < 0)
			ret = -1;
		(*count)++;
		free(names[i]);
	}
	free(names);
	return ret;
}

int
main(int argc, char **argv)
{
	unsigned int count = 0;
	int ret = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|FOLDER...\n", argv[0]);
		return 2;
	}
	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++)
		if (run_path(argv[i], &count) < 0)
			ret = 1;
	printf("replay: %u inputs run\n", count);
	return ret;
}
