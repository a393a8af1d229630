// SPDX-License-Identifier: GPL-2.0
/* A statically linked program: no dynamic loader, glibc's static start. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	unsigned long sum = 0;
	char *p = malloc(1 << 20);

	if (!p)
		return 1;
	memset(p, 7, 1 << 20);
	for (int i = 0; i < (1 << 20); i += 4096)
		sum += p[i];
	printf("static: argc %d sum %lu %s\n", argc, sum,
	       argc > 1 ? argv[1] : "-");
	free(p);
	return 3;
}
