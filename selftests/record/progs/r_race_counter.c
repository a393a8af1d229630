// SPDX-License-Identifier: GPL-2.0
/*
 * Two threads, released together, increment a shared counter without a
 * lock.  Updates get lost; each thread also counts how often the counter
 * moved under it and notes the value when it finished.  All of it
 * depends on the interleaving.
 */
#include <pthread.h>
#include <stdio.h>

#define NTHREADS 2
#define ITERS 1000000

static volatile long counter;
static long moved[NTHREADS], at_end[NTHREADS];
static int ready;

static void *worker(void *arg)
{
	long id = (long)arg, last;

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
	return NULL;
}

int main(void)
{
	pthread_t t[NTHREADS];

	for (long i = 0; i < NTHREADS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i))
			return 1;
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < NTHREADS; i++)
		printf("thread %d: counter moved %ld times, %ld at its end\n",
		       i, moved[i], at_end[i]);
	printf("counter %ld of %d\n", counter, NTHREADS * ITERS);
	return 0;
}
