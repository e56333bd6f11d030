/* Uses only the installed headers and pkg-config flags. */
#include <stdio.h>

#include <np_topo.h>

int
main(void)
{
	np_topo *t = np_topo_load();

	if (t == NULL) {
		fprintf(stderr, "consumer: %s\n", np_last_error());
		return 1;
	}
	printf("consumer: %u node(s), %u cpu(s)\n", np_topo_node_count(t), np_topo_cpu_count(t));
	np_topo_destroy(t);
	return 0;
}
