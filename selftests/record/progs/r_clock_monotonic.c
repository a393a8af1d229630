// SPDX-License-Identifier: GPL-2.0
/*
 * Spin on CLOCK_MONOTONIC until a millisecond has passed, several times:
 * how many calls each millisecond took depends on the machine's load.
 */
#include <stdio.h>
#include <time.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void)
{
	long long start = now_ns(), t;

	for (int round = 0; round < 10; round++) {
		long long end = now_ns() + 1000000, calls = 0;

		do {
			t = now_ns();
			calls++;
		} while (t < end);
		printf("round %d: %lld calls, overshoot %lld ns\n", round,
		       calls, t - end);
	}
	printf("total %lld ns\n", now_ns() - start);
	return 0;
}
