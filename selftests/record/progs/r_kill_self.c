// SPDX-License-Identifier: GPL-2.0
/*
 * A thread kill()s its own process with SIGUSR1 at intervals while the
 * main thread counts: which thread ran the handler, and at what count.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#define NSIGS 6

static volatile unsigned long counter;
static unsigned long at[NSIGS];
static pid_t in_tid[NSIGS];
static volatile int fired;

static void handler(int sig)
{
	(void)sig;
	if (fired < NSIGS) {
		at[fired] = counter;
		in_tid[fired] = gettid();
	}
	fired++;
}

static void *sender(void *arg)
{
	(void)arg;
	for (int i = 0; i < NSIGS; i++) {
		usleep(300 + i * 100);
		kill(getpid(), SIGUSR1);
		while (fired <= i)
			usleep(50);
	}
	return NULL;
}

int main(void)
{
	pid_t main_tid = gettid();
	pthread_t t;

	signal(SIGUSR1, handler);
	if (pthread_create(&t, NULL, sender, NULL))
		return 1;
	while (fired < NSIGS)
		counter++;
	pthread_join(t, NULL);
	for (int i = 0; i < NSIGS; i++)
		printf("SIGUSR1 %d at %lu in %s thread\n", i, at[i],
		       in_tid[i] == main_tid ? "main" : "sender");
	return 0;
}
