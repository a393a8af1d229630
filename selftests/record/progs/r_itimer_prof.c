// SPDX-License-Identifier: GPL-2.0
/* ITIMER_PROF: SIGPROF after each millisecond of CPU time, loop counts. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#define NSIG_WANTED 8

static volatile unsigned long counter;
static unsigned long at[NSIG_WANTED];
static volatile int fired;

static void handler(int sig)
{
	(void)sig;
	if (fired < NSIG_WANTED)
		at[fired] = counter;
	fired++;
}

int main(void)
{
	struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
	struct sigaction sa;
	char buf[64];

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGPROF, &sa, NULL);
	setitimer(ITIMER_PROF, &it, NULL);
	while (fired < NSIG_WANTED) {
		counter++;
		if (counter % 100000 == 0)
			snprintf(buf, sizeof(buf), "%lu", counter);
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_PROF, &it, NULL);
	for (int i = 0; i < NSIG_WANTED; i++)
		printf("SIGPROF %d at loop count %lu\n", i, at[i]);
	return 0;
}
