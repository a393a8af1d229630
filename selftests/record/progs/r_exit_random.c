// SPDX-License-Identifier: GPL-2.0
/* Exits with a random status (0..127), printed first as "exit status N". */
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>

int main(void)
{
	unsigned int r;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		return 1;
	printf("exit status %u\n", r & 0x7f);
	return r & 0x7f;
}
