// SPDX-License-Identifier: GPL-2.0
/*
 * Two threads, released together, increment a shared counter without a
 * lock.  Updates get lost; each thread also counts how often the counter
 * moved under it and notes the value when it finished.  All of it
 * depends on the interleaving.
 */
#include <pthread.h>
#include <stdio.h>
#include <x86intrin.h>

#include "threads.h"

#define NTHREADS 2
#define ITERS 1000000

static volatile long counter;
static long moved[NTHREADS], at_end[NTHREADS];
static int ready;

/* How long each thread ran, by rdtsc: varies even when they do not race. */
static unsigned long long cycles[NTHREADS];

static void *worker(void *arg)
{
	long id = (long)arg, last;
	unsigned long long t0 = __rdtsc();

	__atomic_add_fetch(&ready, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&ready, __ATOMIC_SEQ_CST) < NTHREADS)
		;
	last = counter;
	for (long i = 0; i < ITERS; i++) {
		long v = counter;

		if (v != last)
			moved[id]++;
		counter = v + 1;
		last = v + 1;
	}
	at_end[id] = counter;
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
		printf("thread %d: counter moved %ld times, %ld at its end\n",
		       i, moved[i], at_end[i]);
	printf("counter %ld of %d\n", counter, NTHREADS * ITERS);
	for (int i = 0; i < NTHREADS; i++)
		printf("thread %d ran %llu cycles\n", i, cycles[i]);
	return 0;
}
