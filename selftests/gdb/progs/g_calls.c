// SPDX-License-Identifier: GPL-2.0
/*
 * Calls to step through both ways, a signal handler in the middle, a
 * loop for breakpoint hit counts, and known vector register contents.
 */
#include <signal.h>
#include <stdio.h>

static volatile int handled;

__attribute__((noinline)) static int leaf(int x)
{
	return x * 2 + 1; /* LEAF */
}

__attribute__((noinline)) static int mid(int x)
{
	int y = leaf(x); /* MID1 */

	return y + leaf(y); /* MID2 */
}

static void on_usr1(int sig)
{
	handled += sig; /* HANDLER */
}

__attribute__((noinline)) static void marker(void)
{
	__asm__ volatile("" ::: "memory"); /* MARKER */
}

int main(void)
{
	int a, sum = 0;

	signal(SIGUSR1, on_usr1);
	a = mid(3); /* CALL */
	a += 1; /* AFTER */
	raise(SIGUSR1); /* RAISE */
	a += handled; /* BACK */
	for (int i = 0; i < 5; i++)
		sum += leaf(i); /* LOOP */
	__asm__ volatile("vpcmpeqd %%ymm1, %%ymm1, %%ymm1\n\t"
			 "vpxor %%ymm2, %%ymm2, %%ymm2" ::
				 : "xmm1", "xmm2");
	marker();
	printf("%d %d\n", a, sum);
	return 0;
}
