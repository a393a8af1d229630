// SPDX-License-Identifier: GPL-2.0
/* A 1 ms timerfd: expirations counted between busy stretches. */
#include <stdint.h>
#include <stdio.h>
#include <sys/timerfd.h>
#include <unistd.h>

int main(void)
{
	struct itimerspec its = { { 0, 1000000 }, { 0, 1000000 } };
	uint64_t exp, total = 0;
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);

	if (fd < 0 || timerfd_settime(fd, 0, &its, NULL))
		return 1;
	for (int i = 0; i < 8; i++) {
		for (volatile long j = 0; j < 300000 * (i + 1); j++)
			;
		if (read(fd, &exp, sizeof(exp)) != sizeof(exp))
			return 1;
		total += exp;
		timerfd_gettime(fd, &its);
		printf("round %d: %llu expirations, next in %ld ns\n", i,
		       (unsigned long long)exp, its.it_value.tv_nsec);
	}
	printf("total %llu\n", (unsigned long long)total);
	close(fd);
	return 0;
}
