// SPDX-License-Identifier: GPL-2.0
/* clock_gettime through the vDSO: every clock, and a few deltas. */
#include <stdio.h>
#include <time.h>

static const struct {
	clockid_t id;
	const char *name;
} clocks[] = {
	{ CLOCK_REALTIME, "realtime" },
	{ CLOCK_MONOTONIC, "monotonic" },
	{ CLOCK_MONOTONIC_RAW, "monotonic_raw" },
	{ CLOCK_BOOTTIME, "boottime" },
	{ CLOCK_REALTIME_COARSE, "realtime_coarse" },
	{ CLOCK_MONOTONIC_COARSE, "monotonic_coarse" },
	{ CLOCK_PROCESS_CPUTIME_ID, "process_cputime" },
	{ CLOCK_THREAD_CPUTIME_ID, "thread_cputime" },
};

int main(void)
{
	struct timespec ts, prev;

	for (unsigned int i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		clock_gettime(clocks[i].id, &ts);
		printf("%-17s %lld.%09ld\n", clocks[i].name,
		       (long long)ts.tv_sec, ts.tv_nsec);
	}
	clock_gettime(CLOCK_MONOTONIC, &prev);
	for (int i = 0; i < 8; i++) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		printf("delta %d %lld ns\n", i,
		       (ts.tv_sec - prev.tv_sec) * 1000000000LL + ts.tv_nsec -
			       prev.tv_nsec);
		prev = ts;
	}
	return 0;
}
