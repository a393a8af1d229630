// SPDX-License-Identifier: GPL-2.0
/*
 * Four threads doing the same fixed amount of work each: their counts
 * must not depend on scheduling.  Workers touch no lock, so no futex
 * path depends on timing; only the main thread's pthread_join may or may
 * not wait.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define NTHREADS 4

static uint64_t results[NTHREADS];

static void *worker(void *arg)
{
	uintptr_t id = (uintptr_t)arg;
	uint64_t h = id + 1;

	for (int i = 0; i < 5000; i++)
		h = h * 6364136223846793005ULL + 1442695040888963407ULL;
	results[id] = h;
	return NULL;
}

int main(void)
{
	pthread_t t[NTHREADS];

	for (uintptr_t i = 0; i < NTHREADS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i))
			return 1;
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < NTHREADS; i++)
		printf("%d %016llx\n", i, (unsigned long long)results[i]);
	return 0;
}
