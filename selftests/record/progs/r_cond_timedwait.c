// SPDX-License-Identifier: GPL-2.0
/*
 * A worker computes while the main thread polls it with a timed
 * condition wait; the worker's signal wakes the main thread from inside
 * a wait.  How many polls it took, the progress each saw, and the time
 * in TSC cycles vary.
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

static volatile unsigned long progress;
static int done;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;

static void *worker(void *arg)
{
	for (unsigned long i = 0; i < 40000000UL; i++)
		progress = i;
	pthread_mutex_lock(&lock);
	done = 1;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	return arg;
}

int main(void)
{
	pthread_t t;
	int polls = 0;
	unsigned long long t0 = __rdtsc();

	if (pthread_create(&t, NULL, worker, NULL))
		return 1;
	pthread_mutex_lock(&lock);
	while (!done) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 2000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&cond, &lock, &ts);
		if (++polls % 5 == 0)
			printf("poll %d progress %lu\n", polls, progress);
	}
	pthread_mutex_unlock(&lock);
	pthread_join(t, NULL);
	printf("polls %d in %llu cycles\n", polls, __rdtsc() - t0);
	return 0;
}
