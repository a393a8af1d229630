// SPDX-License-Identifier: GPL-2.0
/*
 * Four threads that each run long enough to be switched out, so that
 * the recorded schedule interleaves them.  None starts its work before
 * all four exist, and none ends before all four are done, so that every
 * stop in work() finds five threads however the recording scheduled
 * them (on a busy machine one thread may do all its work before the
 * next one starts).
 */
#include <pthread.h>
#include <stdio.h>

#define NTHREADS 4

static volatile long counters[NTHREADS];
static pthread_barrier_t all_made, all_done;

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
	long r;

	pthread_barrier_wait(&all_made);
	r = work((long)arg);
	pthread_barrier_wait(&all_done);
	return (void *)r;
}

int main(void)
{
	pthread_t t[NTHREADS];
	long total = 0;

	pthread_barrier_init(&all_made, NULL, NTHREADS + 1);
	pthread_barrier_init(&all_done, NULL, NTHREADS);
	for (long i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, run, (void *)i);
	pthread_barrier_wait(&all_made);
	for (int i = 0; i < NTHREADS; i++) {
		void *r;
		pthread_join(t[i], &r); /* JOIN */
		total += (long)r;
	}
	printf("%ld %ld\n", total, counters[NTHREADS - 1]);
	return 0;
}
