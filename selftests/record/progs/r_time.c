// SPDX-License-Identifier: GPL-2.0
/*
 * time() and its broken-down forms.  time() itself changes only once a
 * second, so also count how many calls fit into 2 ms.
 */
#include <stdio.h>
#include <time.h>

int main(void)
{
	struct timespec a, b;
	char buf[64];
	time_t t = time(NULL), t2;
	long calls = 0;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
	printf("time %lld (%s UTC)\n", (long long)t, buf);
	clock_gettime(CLOCK_MONOTONIC, &a);
	do {
		t2 = time(&t2);
		calls++;
		clock_gettime(CLOCK_MONOTONIC, &b);
	} while ((b.tv_sec - a.tv_sec) * 1000000000L + b.tv_nsec - a.tv_nsec <
		 2000000);
	printf("calls in 2 ms %ld, last %lld\n", calls, (long long)t2);
	return 0;
}
