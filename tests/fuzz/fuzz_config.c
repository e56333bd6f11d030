/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the configuration reader: the input is an INI text,
 * optionally followed by a NUL byte and "section.key=value" overrides
 * separated by NUL bytes, read with np_config_load_buffer() against the
 * described machine tests/topologies/2node.xml (so CPU, node and PCI checks
 * run too).
 *
 * Beyond "no crash, no leak, no undefined behaviour" (the sanitizers), every
 * input must either give a configuration that holds together or a message
 * that is there, whole, escaped, and never rte_cfgfile disagreeing with
 * numaperf's scan ("please report it"): any of those aborts, so the fuzzer
 * keeps the input as a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np_config.h"
#include "np_test.h"
#include "np_topo.h"

#define MAX_OVERRIDES 4

static np_topo *topo;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[1024];

	(void)argc;
	(void)argv;
	snprintf(path, sizeof(path), "%s/2node.xml", NP_TOPO_DIR);
	topo = np_topo_load_xml(path);
	if (topo == NULL) {
		fprintf(stderr, "fuzz_config: %s\n", np_last_error());
		abort();
	}
	return 0;
}

static void
fail(const char *why, const char *msg)
{
	fprintf(stderr, "fuzz_config: %s: \"%s\"\n", why, msg);
	abort();
}

/* A refusal explains itself: not empty, escaped, not an internal disagreement. */
static void
check_message(void)
{
	const char *m = np_last_error();

	if (m[0] == '\0')
		fail("refused without a message", m);
	for (const unsigned char *c = (const unsigned char *)m; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			fail("raw control byte in the message", m);
	/*
	 * cfg_cross_check()'s messages: "fuzz.ini: rte_cfgfile ..." or
	 * "fuzz.ini:LINE: rte_cfgfile ..."; input can never sit there.
	 */
	if (strncmp(m, "fuzz.ini:", 9) == 0) {
		const char *p = m + 9 + strspn(m + 9, "0123456789");

		if (strncmp(p, " rte_cfgfile ", 13) == 0 || strncmp(p, ": rte_cfgfile ", 14) == 0)
			fail("rte_cfgfile and the scan disagree", m);
	}
}

/* An accepted configuration holds together. */
static void
check_config(const struct np_config *c)
{
	static struct np_config_runtime r;

	if (c->n_ports < 1 || c->n_ports > NP_CONFIG_MAX_PORTS)
		fail("accepted with a port count out of range", c->path);
	if ((c->n_lcores == 0) == (c->per_node == 0))
		fail("accepted without exactly one of lcores and per_node", c->path);
	for (unsigned int i = 0; i < c->n_ports; i++) {
		const struct np_config_port *port = &c->ports[i];

		if ((port->pci[0] == '\0') == (port->vdev[0] == '\0'))
			fail("accepted a port without exactly one device", port->name);
		if (port->peer < 0 || port->peer >= (int)c->n_ports)
			fail("accepted a peer out of range", port->name);
		if (port->name[0] == '\0')
			fail("accepted a port without a name", c->path);
	}
	if (np_config_runtime(c, &r) != 0 || r.params.n_ports != c->n_ports)
		fail("the runtime's parameters refused an accepted configuration", c->path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *overrides[MAX_OVERRIDES];
	unsigned int n = 0;
	const uint8_t *nul = memchr(data, '\0', size);
	size_t ini_len = nul ? (size_t)(nul - data) : size;
	char *tail = NULL;
	struct np_config *c;

	/* After the first NUL: overrides, NUL-separated (copied: they need a NUL). */
	if (nul != NULL) {
		size_t tail_len = size - ini_len - 1;

		tail = malloc(tail_len + 1);
		if (tail == NULL)
			return 0;
		memcpy(tail, nul + 1, tail_len);
		tail[tail_len] = '\0';
		for (char *s = tail; n < MAX_OVERRIDES && s <= tail + tail_len; s += strlen(s) + 1)
			overrides[n++] = s;
	}
	c = np_config_load_buffer("fuzz.ini", data, ini_len, overrides, n, topo);
	if (c == NULL)
		check_message();
	else
		check_config(c);
	np_config_free(c);
	free(tail);
	return 0;
}
