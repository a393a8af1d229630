// SPDX-License-Identifier: GPL-2.0
/*
 * Eight threads increment one counter without a lock, each also adding
 * to a per-thread tally whenever it sees the counter move under it.
 */
#include <pthread.h>
#include <stdio.h>
#include <x86intrin.h>

#include "threads.h"

#define NTHREADS 8
#define ITERS 50000

static volatile long counter;
static long moved[NTHREADS];
static volatile long finish_order[NTHREADS];
static volatile int finished;

/* How long each thread ran, by rdtsc: varies even when they do not race. */
static unsigned long long cycles[NTHREADS];

static void *worker(void *arg)
{
	long id = (long)arg, last = counter;
	unsigned long long t0 = __rdtsc();

	for (long i = 0; i < ITERS; i++) {
		long v = counter;

		if (v != last)
			moved[id]++;
		counter = v + 1;
		last = v + 1;
	}
	finish_order[__atomic_fetch_add(&finished, 1, __ATOMIC_SEQ_CST)] = id;
	cycles[id] = __rdtsc() - t0;
	return NULL;
}

int main(void)
{
	pthread_t t[NTHREADS];

	if (start_threads(t, NTHREADS, worker))
		return 1;
	join_threads(t, NTHREADS);
	for (int i = 0; i < NTHREADS; i++)
		printf("thread %d: counter moved %ld times, finished #%ld\n", i,
		       moved[i], finish_order[i]);
	printf("counter %ld of %d\n", counter, NTHREADS * ITERS);
	for (int i = 0; i < NTHREADS; i++)
		printf("thread %d ran %llu cycles\n", i, cycles[i]);
	return 0;
}
