// SPDX-License-Identifier: GPL-2.0
/* 64 threads, joined in creation order; print the order they finished. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "threads.h"

#define NTHREADS 64

static int finished, finish_pos[NTHREADS];
static pid_t tids[NTHREADS];

static void *worker(void *arg)
{
	long id = (long)arg;
	volatile unsigned long x = 0;

	for (long i = 0; i < 20000 + id * 100; i++)
		x += i;
	tids[id] = gettid();
	finish_pos[id] = __atomic_fetch_add(&finished, 1, __ATOMIC_SEQ_CST);
	return (void *)(id * 3);
}

int main(void)
{
	pthread_t t[NTHREADS];
	long sum = 0;
	void *ret;

	if (start_threads(t, NTHREADS, worker))
		return 1;
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], &ret);
		sum += (long)ret;
	}
	for (int i = 0; i < NTHREADS; i++)
		printf("%2d:%2d%s", i, finish_pos[i], i % 8 == 7 ? "\n" : " ");
	printf("return sum %ld, tid span %d\n", sum,
	       tids[NTHREADS - 1] - tids[0]);
	return 0;
}
