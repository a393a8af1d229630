// SPDX-License-Identifier: GPL-2.0
/* ITIMER_REAL every millisecond: the loop count at each SIGALRM. */
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>

#define NSIG_WANTED 10

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
	struct sigaction sa = { .sa_handler = handler };

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	while (fired < NSIG_WANTED)
		counter++;
	it.it_value.tv_usec = it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	for (int i = 0; i < NSIG_WANTED; i++)
		printf("SIGALRM %d at loop count %lu\n", i, at[i]);
	return 0;
}
