// SPDX-License-Identifier: GPL-2.0
/*
 * The demo program: four threads each hash a different range of numbers;
 * the main thread combines their results.  Deterministic output, and
 * per-thread work that does not depend on timing.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define NTHREADS 4

static uint64_t result[NTHREADS];

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static void *work(void *arg)
{
	uintptr_t id = (uintptr_t)arg;
	uint64_t h = id;

	for (uint64_t i = 0; i < 200000 * (id + 1); i++)
		h = mix(h + i);
	result[id] = h;
	return NULL;
}

int main(void)
{
	pthread_t t[NTHREADS];
	uint64_t all = 0;

	for (uintptr_t i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, work, (void *)i);
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], NULL);
		all ^= result[i];
		printf("thread %d: %016llx\n", i,
		       (unsigned long long)result[i]);
	}
	printf("combined: %016llx\n", (unsigned long long)all);
	return 0;
}
