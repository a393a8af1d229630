// SPDX-License-Identifier: GPL-2.0
/*
 * A long computation for the reverse-debugging benchmark: 'target' is
 * written once at the start and never again, so that a watchpoint on it
 * set at the end is found about ITERS * 5 instructions back.
 */
#include <stdio.h>
#include <stdlib.h>

static volatile long target;

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 200000000;
	unsigned long s = 1;

	target = 42; /* WRITE */
	for (long i = 0; i < iters; i++)
		s = s * 6364136223846793005UL + (unsigned long)i;
	printf("%lu %ld\n", s, target);
	return 0;
}
