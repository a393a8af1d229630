// SPDX-License-Identifier: GPL-2.0
/*
 * sched_getcpu (the vDSO's getcpu, or rdtscp/rdpid) from several threads
 * for a few milliseconds: how many samples, and on which CPUs.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>

#include "threads.h"

#define NTHREADS 3

static long samples[NTHREADS], migrations[NTHREADS];
static int first[NTHREADS], last[NTHREADS];

static void *worker(void *arg)
{
	long id = (long)arg;
	struct timespec a, b;
	int prev = sched_getcpu(), cpu;

	first[id] = prev;
	clock_gettime(CLOCK_MONOTONIC, &a);
	do {
		cpu = sched_getcpu();
		samples[id]++;
		if (cpu != prev)
			migrations[id]++;
		prev = cpu;
		clock_gettime(CLOCK_MONOTONIC, &b);
	} while ((b.tv_sec - a.tv_sec) * 1000000000L + b.tv_nsec - a.tv_nsec <
		 3000000);
	last[id] = prev;
	return NULL;
}

int main(void)
{
	pthread_t t[NTHREADS];

	printf("main on cpu %d\n", sched_getcpu());
	if (start_threads(t, NTHREADS, worker))
		return 1;
	join_threads(t, NTHREADS);
	for (int i = 0; i < NTHREADS; i++)
		printf("thread %d: cpu %d..%d, %ld samples, %ld migrations\n",
		       i, first[i], last[i], samples[i], migrations[i]);
	return 0;
}
