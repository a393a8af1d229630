// SPDX-License-Identifier: GPL-2.0
/* Prints a random value, then abort(): SIGABRT, status 128 + 6. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>

int main(void)
{
	unsigned long long r;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		return 1;
	printf("about to abort, value %016llx\n", r);
	fprintf(stderr, "aborting\n");
	fflush(stdout);
	abort();
}
