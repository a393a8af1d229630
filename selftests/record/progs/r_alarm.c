// SPDX-License-Identifier: GPL-2.0
/*
 * alarm(1) while the program counts: how far it got when SIGALRM came.
 * This one takes a second; alarm() has no finer resolution.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile unsigned long counter;
static volatile unsigned long at;
static volatile sig_atomic_t fired;

static void handler(int sig)
{
	(void)sig;
	at = counter;
	fired = 1;
}

int main(void)
{
	signal(SIGALRM, handler);
	printf("previous alarm %u\n", alarm(1));
	while (!fired)
		counter++;
	printf("SIGALRM at loop count %lu\n", at);
	printf("alarm left %u\n", alarm(0));
	return 0;
}
