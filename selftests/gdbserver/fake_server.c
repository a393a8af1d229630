// SPDX-License-Identifier: GPL-2.0
/*
 * The fake backend served on standard input and output, for gdb's
 * "target remote | fake_server".
 *
 *   fake_server [--avx512] [--exec-file]
 */
#include <stdio.h>
#include <string.h>

#include "fake.h"

int main(int argc, char **argv)
{
	bool avx512 = false, exec_file = false;
	struct gdbs_server *s;
	struct fake f;
	int r;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--avx512"))
			avx512 = true;
		else if (!strcmp(argv[i], "--exec-file"))
			exec_file = true;
	}
	fake_init(&f, avx512, exec_file);
	s = gdbs_new(&f.be, &f, 0, 1, 0);
	if (!s) {
		fprintf(stderr, "fake_server: cannot start\n");
		return 1;
	}
	r = gdbs_run(s);
	gdbs_free(s);
	fprintf(stderr, "fake_server: end %d at position %d\n", r, f.pos);
	return r < 0;
}
