// SPDX-License-Identifier: GPL-2.0
/* times(2): clock ticks since boot, and the process's CPU times. */
#include <stdio.h>
#include <sys/times.h>
#include <unistd.h>

int main(void)
{
	struct tms t;
	clock_t start = times(&t), now;
	volatile unsigned long x = 0;
	long spins = 0;

	printf("ticks %lld (%ld per second)\n", (long long)start,
	       sysconf(_SC_CLK_TCK));
	do {
		for (int i = 0; i < 1000; i++)
			x += i;
		spins++;
		now = times(&t);
	} while (now < start + 3);
	printf("ticks %lld after %ld spins\n", (long long)now, spins);
	printf("utime %ld stime %ld\n", (long)t.tms_utime, (long)t.tms_stime);
	return 0;
}
