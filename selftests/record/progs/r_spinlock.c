// SPDX-License-Identifier: GPL-2.0
/* A test-and-set spinlock on C11 atomics: spins and hand-over order. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <x86intrin.h>

#include "threads.h"

#define NTHREADS 4
#define ROUNDS 2000

static atomic_flag lock = ATOMIC_FLAG_INIT;
static long spins[NTHREADS], total;
static int last_owner = -1, handovers;

/* How long each thread ran, by rdtsc: varies even when they do not race. */
static unsigned long long cycles[NTHREADS];

static void *worker(void *arg)
{
	long id = (long)arg;
	unsigned long long t0 = __rdtsc();

	for (int i = 0; i < ROUNDS; i++) {
		while (atomic_flag_test_and_set_explicit(
			&lock, memory_order_acquire)) {
			spins[id]++;
			__builtin_ia32_pause();
		}
		total++;
		if (last_owner != id)
			handovers++;
		last_owner = id;
		atomic_flag_clear_explicit(&lock, memory_order_release);
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
	for (int i = 0; i < NTHREADS; i++)
		printf("thread %d spun %ld times\n", i, spins[i]);
	printf("total %ld handovers %d last owner %d\n", total, handovers,
	       last_owner);
	for (int i = 0; i < NTHREADS; i++)
		printf("thread %d ran %llu cycles\n", i, cycles[i]);
	return 0;
}
