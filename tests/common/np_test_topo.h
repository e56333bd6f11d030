/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The described machines of tests/topologies/ (hwloc XML), loaded by name
 * from NP_TOPO_DIR (np_test.h). Header only; the program links numaperf.
 */
#ifndef NP_TEST_TOPO_H
#define NP_TEST_TOPO_H

#include <stdio.h>

#include "np_test.h"
#include "np_topo.h"

/* Load the described machine @name ("2node.xml"); failing is fatal to the test. */
static inline np_topo *
np_test_topo(const char *name)
{
	char path[1024];
	np_topo *t;

	snprintf(path, sizeof(path), "%s/%s", NP_TOPO_DIR, name);
	t = np_topo_load_xml(path);
	NP_REQUIRE(t != NULL, "loading %s: %s", name, np_last_error());
	return t;
}

#endif /* NP_TEST_TOPO_H */
