// SPDX-License-Identifier: GPL-2.0
/* gettimeofday through the vDSO, and how many calls fit in 2 ms. */
#include <stdio.h>
#include <sys/time.h>

int main(void)
{
	struct timeval start, tv, last;
	long calls = 0, steps = 0;

	gettimeofday(&start, NULL);
	printf("now %lld.%06ld\n", (long long)start.tv_sec,
	       (long)start.tv_usec);
	last = start;
	do {
		gettimeofday(&tv, NULL);
		calls++;
		if (tv.tv_usec != last.tv_usec)
			steps++;
		last = tv;
	} while ((tv.tv_sec - start.tv_sec) * 1000000 + tv.tv_usec -
			 start.tv_usec <
		 2000);
	printf("calls %ld, distinct steps %ld\n", calls, steps);
	printf("end %lld.%06ld\n", (long long)tv.tv_sec, (long)tv.tv_usec);
	return 0;
}
