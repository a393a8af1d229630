// SPDX-License-Identifier: GPL-2.0
/*
 * Threads push onto a lock-free stack with compare-and-swap: failed CAS
 * attempts and the final order of the stack depend on the interleaving.
 */
#include <pthread.h>
#include <stdio.h>
#include <x86intrin.h>

#include "threads.h"

#define NTHREADS 4
#define PER 20000

struct node {
	struct node *next;
	int owner;
};

static struct node nodes[NTHREADS][PER];
static struct node *top;
static long failed[NTHREADS];
static int ready;

/* How long each thread ran, by rdtsc: varies even when they do not race. */
static unsigned long long cycles[NTHREADS];

static void *worker(void *arg)
{
	long id = (long)arg;
	unsigned long long t0 = __rdtsc();

	__atomic_add_fetch(&ready, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&ready, __ATOMIC_SEQ_CST) < NTHREADS)
		;
	for (int i = 0; i < PER; i++) {
		struct node *n = &nodes[id][i], *old;

		n->owner = id;
		old = __atomic_load_n(&top, __ATOMIC_RELAXED);
		do
			n->next = old;
		while (!__atomic_compare_exchange_n(&top, &old, n, 1,
						    __ATOMIC_RELEASE,
						    __ATOMIC_RELAXED) &&
		       ++failed[id]);
	}
	cycles[id] = __rdtsc() - t0;
	return NULL;
}

int main(void)
{
	pthread_t t[NTHREADS];
	char line[81];
	int len = 0, count = 0, runs = 0, prev = -1;

	if (start_threads(t, NTHREADS, worker))
		return 1;
	join_threads(t, NTHREADS);
	/* The top of the stack, then how often the owner changed. */
	for (struct node *n = top; n; n = n->next, count++) {
		runs += n->owner != prev;
		prev = n->owner;
		if (count < 320) {
			line[len++] = '0' + n->owner;
			if (len == 80) {
				line[len] = 0;
				printf("%s\n", line);
				len = 0;
			}
		}
	}
	for (int i = 0; i < NTHREADS; i++)
		printf("thread %d failed cas %ld times\n", i, failed[i]);
	printf("nodes %d, owner changed %d times\n", count, runs);
	for (int i = 0; i < NTHREADS; i++)
		printf("thread %d ran %llu cycles\n", i, cycles[i]);
	return 0;
}
