// SPDX-License-Identifier: GPL-2.0
/*
 * Signals whose delivery point is fixed: raise(), kill() of self, a
 * SIGSEGV recovered by siglongjmp, a SIGFPE from a division, sigreturn
 * with a handler that changes the mask.  Counts include the handlers,
 * the signal trampoline and rt_sigreturn.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile sig_atomic_t hits;
static sigjmp_buf env;

static void on_usr(int sig, siginfo_t *si, void *uc)
{
	hits += sig + si->si_code;
}

static void on_fault(int sig)
{
	hits++;
	siglongjmp(env, sig);
}

int main(void)
{
	struct sigaction sa;
	volatile int zero = 0;
	char *page;
	int recovered = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sa.sa_flags = 0;
	sa.sa_handler = on_fault;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);

	for (int i = 0; i < 20; i++) {
		raise(SIGUSR1);
		kill(getpid(), SIGUSR2);
	}
	page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < 10; i++) {
		if (sigsetjmp(env, 1) == 0)
			page[i] = 1;
		else
			recovered++;
	}
	for (int i = 0; i < 10; i++) {
		if (sigsetjmp(env, 1) == 0)
			hits += 10 / zero;
		else
			recovered++;
	}
	printf("hits %d recovered %d\n", (int)hits, recovered);
	return 0;
}
