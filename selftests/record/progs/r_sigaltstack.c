// SPDX-License-Identifier: GPL-2.0
/*
 * A SIGALRM handler on an alternate stack from malloc: where its frame
 * was, and what the interrupted loop had counted.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

static volatile unsigned long counter;
static volatile int fired;
static unsigned long at[4];
static void *frame[4];
static int on_alt[4];

static void handler(int sig)
{
	stack_t cur;
	int local;

	(void)sig;
	sigaltstack(NULL, &cur);
	if (fired < 4) {
		at[fired] = counter;
		frame[fired] = &local;
		on_alt[fired] = !!(cur.ss_flags & SS_ONSTACK);
	}
	fired++;
}

int main(void)
{
	struct itimerval it = { { 0, 2000 }, { 0, 2000 } };
	stack_t ss = { .ss_size = 65536 };
	struct sigaction sa;

	ss.ss_sp = malloc(ss.ss_size);
	if (!ss.ss_sp || sigaltstack(&ss, NULL))
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	while (fired < 4)
		counter++;
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	printf("alt stack %p..%p\n", ss.ss_sp, (char *)ss.ss_sp + ss.ss_size);
	for (int i = 0; i < 4; i++)
		printf("signal %d at %lu frame %p on alt stack %d\n", i, at[i],
		       frame[i], on_alt[i]);
	return 0;
}
