// SPDX-License-Identifier: GPL-2.0
/*
 * Four threads that each run long enough to be switched out, so that
 * the recorded schedule interleaves them.
 */
#include <pthread.h>
#include <stdio.h>

#define NTHREADS 4

static volatile long counters[NTHREADS];

__attribute__((noinline)) static long work(long id)
{
	long s = 0; /* WORK */

	for (long i = 0; i < 300000; i++) {
		s += i ^ id; /* STEP */
		counters[id]++; /* COUNT */
	}
	return s; /* DONE */
}

static void *run(void *arg)
{
	return (void *)work((long)arg);
}

int main(void)
{
	pthread_t t[NTHREADS];
	long total = 0;

	for (long i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, run, (void *)i);
	for (int i = 0; i < NTHREADS; i++) {
		void *r;
		pthread_join(t[i], &r); /* JOIN */
		total += (long)r;
	}
	printf("%ld %ld\n", total, counters[NTHREADS - 1]);
	return 0;
}
