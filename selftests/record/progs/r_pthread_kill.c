// SPDX-License-Identifier: GPL-2.0
/* Two threads pthread_kill() each other and record where they were hit. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

#define NSIGS 20

static volatile unsigned long count[2];
static __thread int self;
static unsigned long hits[2][NSIGS];
static volatile int nhits[2];
static pthread_t threads[2];
static int ready;

static void handler(int sig)
{
	(void)sig;
	if (nhits[self] < NSIGS)
		hits[self][nhits[self]] = count[self];
	nhits[self]++;
}

static void *worker(void *arg)
{
	int other;

	self = (long)arg;
	other = !self;
	/* Both must know who they are before either sends a signal. */
	__atomic_add_fetch(&ready, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&ready, __ATOMIC_SEQ_CST) < 2)
		;
	for (int sent = 0; sent < NSIGS;) {
		count[self]++;
		if (count[self] % 20000 == 0) {
			pthread_kill(threads[other], SIGUSR2);
			sent++;
			/* Never two pending at once: they would merge. */
			while (nhits[other] < sent)
				count[self]++;
		}
	}
	while (nhits[self] < NSIGS)
		count[self]++;
	return NULL;
}

int main(void)
{
	signal(SIGUSR2, handler);
	for (long i = 0; i < 2; i++)
		if (pthread_create(&threads[i], NULL, worker, (void *)i))
			return 1;
	for (int i = 0; i < 2; i++)
		pthread_join(threads[i], NULL);
	for (int i = 0; i < 2; i++) {
		printf("thread %d hit at", i);
		for (int j = 0; j < NSIGS; j++)
			printf(" %lu", hits[i][j]);
		printf("\n");
	}
	return 0;
}
