// SPDX-License-Identifier: GPL-2.0
/* A second or so of computation, long enough to be interrupted. */
#include <stdio.h>

int main(void)
{
	unsigned long s = 1;

	for (long i = 0; i < 2000000000L; i++)
		s = s * 6364136223846793005UL + (unsigned long)i; /* SPIN */
	printf("%lu\n", s);
	return 0;
}
