// SPDX-License-Identifier: GPL-2.0
/* The vDSO's clock_gettime, gettimeofday, time and getcpu in a loop. */
#include <sched.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

int main(void)
{
	struct timespec a, b;
	struct timeval tv;
	unsigned int cpu, node;
	int monotonic = 1, sane = 1;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 5; i++) {
		clock_gettime(CLOCK_MONOTONIC, &b);
		monotonic &= b.tv_sec > a.tv_sec ||
			     (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec);
		a = b;
		clock_gettime(CLOCK_REALTIME, &b);
		gettimeofday(&tv, NULL);
		sane &= time(NULL) >= tv.tv_sec && tv.tv_sec > 1600000000;
		sane &= getcpu(&cpu, &node) == 0;
	}
	printf("monotonic %d sane %d\n", monotonic, sane);
	return 0;
}
