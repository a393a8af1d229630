// SPDX-License-Identifier: GPL-2.0
/*
 * One producer, three consumers on a condition variable: which consumer
 * got which item is up to the scheduler, and how long each waited (in
 * TSC cycles) always differs.
 */
#include <pthread.h>
#include <stdio.h>
#include <x86intrin.h>

#include "threads.h"

#define NCONS 3
#define NITEMS 60

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t more = PTHREAD_COND_INITIALIZER;
static int queue[NITEMS], head, tail, done;
static char taken_by[NITEMS + 1];
static int wakeups[NCONS];
static unsigned long long waited[NCONS], lived[NCONS];

static void *consumer(void *arg)
{
	long id = (long)arg;
	unsigned long long start = __rdtsc();

	pthread_mutex_lock(&lock);
	for (;;) {
		while (head == tail && !done) {
			unsigned long long t0 = __rdtsc();
			pthread_cond_wait(&more, &lock);
			waited[id] += __rdtsc() - t0;
			wakeups[id]++;
		}
		if (head == tail)
			break;
		taken_by[queue[head++]] = 'A' + id;
	}
	pthread_mutex_unlock(&lock);
	lived[id] = __rdtsc() - start;
	return NULL;
}

int main(void)
{
	pthread_t t[NCONS];

	if (start_threads(t, NCONS, consumer))
		return 1;
	for (int i = 0; i < NITEMS; i++) {
		pthread_mutex_lock(&lock);
		queue[tail++] = i;
		pthread_cond_signal(&more);
		pthread_mutex_unlock(&lock);
		for (volatile int j = 0; j < 3000; j++)
			;
	}
	pthread_mutex_lock(&lock);
	done = 1;
	pthread_cond_broadcast(&more);
	pthread_mutex_unlock(&lock);
	join_threads(t, NCONS);
	printf("taken by %s\n", taken_by);
	for (int i = 0; i < NCONS; i++)
		printf("consumer %c woke %d times, waited %llu of %llu "
		       "cycles\n",
		       'A' + i, wakeups[i], waited[i], lived[i]);
	return 0;
}
