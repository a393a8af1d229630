// SPDX-License-Identifier: GPL-2.0
/*
 * Threads meet at a barrier ten times; each round logs the order in
 * which they arrived and which one got PTHREAD_BARRIER_SERIAL_THREAD.
 */
#include <pthread.h>
#include <stdio.h>

#include "threads.h"

#define NTHREADS 4
#define ROUNDS 10

static pthread_barrier_t barrier;
static char order[ROUNDS][NTHREADS + 1];
static int arrived[ROUNDS], serial[ROUNDS];

static void *worker(void *arg)
{
	long id = (long)arg;

	for (int r = 0; r < ROUNDS; r++) {
		int pos = __atomic_fetch_add(&arrived[r], 1, __ATOMIC_SEQ_CST);

		order[r][pos] = '0' + id;
		if (pthread_barrier_wait(&barrier) ==
		    PTHREAD_BARRIER_SERIAL_THREAD)
			serial[r] = id;
	}
	return NULL;
}

int main(void)
{
	pthread_t t[NTHREADS];

	pthread_barrier_init(&barrier, NULL, NTHREADS);
	if (start_threads(t, NTHREADS, worker))
		return 1;
	join_threads(t, NTHREADS);
	for (int r = 0; r < ROUNDS; r++)
		printf("round %d arrived %s serial %d\n", r, order[r],
		       serial[r]);
	pthread_barrier_destroy(&barrier);
	return 0;
}
