// SPDX-License-Identifier: GPL-2.0
/*
 * Smallest case of queued real-time signals: two instances of SIGRTMIN
 * queued while blocked, then unblocked.  Both must be handled, in order.
 */
#include <signal.h>
#include <unistd.h>

static void handler(int sig)
{
	write(1, "handled\n", 8);
}

int main(void)
{
	sigset_t s;

	signal(SIGRTMIN, handler);
	sigemptyset(&s);
	sigaddset(&s, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &s, NULL);
	kill(getpid(), SIGRTMIN);
	kill(getpid(), SIGRTMIN);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	write(1, "done\n", 5);
	return 0;
}
