// SPDX-License-Identifier: GPL-2.0
/* sigwaitinfo for queued signals carrying random values from a child. */
#include <signal.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	sigset_t set;
	siginfo_t si;
	pid_t parent = getpid(), pid;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 5; i++) {
			union sigval v;

			if (getrandom(&v.sival_int, sizeof(int), 0) < 0)
				_exit(1);
			sigqueue(parent, SIGRTMIN, v);
		}
		kill(parent, SIGUSR1);
		_exit(0);
	}
	for (int rt = 0, usr1 = 0; rt < 5 || !usr1;) {
		int sig = sigwaitinfo(&set, &si);

		if (sig < 0)
			return 1;
		if (sig == SIGUSR1) {
			printf("SIGUSR1 code %d from pid %d\n", si.si_code,
			       si.si_pid);
			usr1 = 1;
			continue;
		}
		rt++;
		printf("signal SIGRTMIN+%d value %08x from %s (pid %d)\n",
		       sig - SIGRTMIN, (unsigned int)si.si_value.sival_int,
		       si.si_pid == pid ? "child" : "?", si.si_pid);
	}
	waitpid(pid, NULL, 0);
	return 0;
}
