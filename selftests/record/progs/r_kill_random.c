// SPDX-License-Identifier: GPL-2.0
/*
 * Dies by a randomly chosen signal whose default action is to terminate
 * without a core dump, printed first as "signal N".
 */
#include <signal.h>
#include <stdio.h>
#include <sys/random.h>
#include <unistd.h>

int main(void)
{
	static const int sigs[] = { SIGTERM, SIGUSR1, SIGUSR2,
				    SIGHUP,  SIGALRM, SIGVTALRM };
	unsigned int r;
	int sig;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		return 1;
	sig = sigs[r % (sizeof(sigs) / sizeof(sigs[0]))];
	printf("signal %d\n", sig);
	printf("value %08x\n", r);
	fflush(stdout);
	signal(sig, SIG_DFL);
	kill(getpid(), sig);
	return 1;
}
