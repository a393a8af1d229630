// SPDX-License-Identifier: GPL-2.0
/* A mutex-protected log of which thread took the lock, in what order. */
#include <pthread.h>
#include <stdio.h>
#include <x86intrin.h>

#include "threads.h"

#define NTHREADS 4
#define ROUNDS 64

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char log_buf[NTHREADS * ROUNDS + 1];
static int log_len, busy[NTHREADS];

/* How long each thread ran, by rdtsc: varies even when they do not race. */
static unsigned long long cycles[NTHREADS];

static void *worker(void *arg)
{
	long id = (long)arg;
	unsigned long long t0 = __rdtsc();

	for (int i = 0; i < ROUNDS; i++) {
		if (pthread_mutex_trylock(&lock)) {
			busy[id]++;
			pthread_mutex_lock(&lock);
		}
		log_buf[log_len++] = 'a' + id;
		for (volatile int j = 0; j < 200; j++)
			;
		pthread_mutex_unlock(&lock);
	}
	cycles[id] = __rdtsc() - t0;
	return NULL;
}

int main(void)
{
	pthread_t t[NTHREADS];

	if (start_threads(t, NTHREADS, worker))
		return 1;
	join_threads(t, NTHREADS);
	for (int i = 0; i < log_len; i += 64)
		printf("%.64s\n", log_buf + i);
	for (int i = 0; i < NTHREADS; i++)
		printf("thread %c found the lock busy %d times\n", 'a' + i,
		       busy[i]);
	for (int i = 0; i < NTHREADS; i++)
		printf("thread %d ran %llu cycles\n", i, cycles[i]);
	return 0;
}
