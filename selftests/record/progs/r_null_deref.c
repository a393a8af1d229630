// SPDX-License-Identifier: GPL-2.0
/*
 * A NULL-based pointer dereference at a random iteration and offset,
 * caught by a SIGSEGV handler that siglongjmps out.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

static sigjmp_buf env;
static volatile uintptr_t fault_addr;

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	fault_addr = (uintptr_t)si->si_addr;
	siglongjmp(env, sig);
}

int main(void)
{
	struct sigaction sa;
	unsigned int r[2];
	volatile unsigned int i = 0;
	int *volatile p;
	volatile int caught = 0;

	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	for (int round = 0; round < 3; round++) {
		if (sigsetjmp(env, 1)) {
			printf("round %d: SIGSEGV at %#lx after %u iterations\n",
			       round, (unsigned long)fault_addr, i);
			caught++;
			continue;
		}
		p = NULL;
		for (i = 0; i < 1000; i++)
			if (i == (r[0] >> (round * 8) & 255))
				p = (int *)(uintptr_t)(r[1] >> (round * 8) &
						       0xffc);
		*p = 1;
	}
	printf("caught %d\n", caught);
	return 0;
}
