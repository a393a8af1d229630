// SPDX-License-Identifier: GPL-2.0
/*
 * Thread-local storage: each thread's copy lives at its own (randomized)
 * address and counts what that thread did before the others stopped it.
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "threads.h"

#define NTHREADS 4

static __thread long tls_count;
static __thread char tls_name[16] = "unset";
static volatile int stop;
static long result[NTHREADS];
static void *where[NTHREADS];

static void *worker(void *arg)
{
	long id = (long)arg;

	snprintf(tls_name, sizeof(tls_name), "worker-%ld", id);
	while (!stop)
		tls_count++;
	result[id] = tls_count;
	where[id] = &tls_count;
	return NULL;
}

int main(void)
{
	pthread_t t[NTHREADS];

	if (start_threads(t, NTHREADS, worker))
		return 1;
	usleep(2000);
	stop = 1;
	join_threads(t, NTHREADS);
	for (int i = 0; i < NTHREADS; i++)
		printf("thread %d tls at %p counted %ld\n", i, where[i],
		       result[i]);
	printf("main tls at %p name %s count %ld\n", (void *)&tls_count,
	       tls_name, tls_count);
	return 0;
}
