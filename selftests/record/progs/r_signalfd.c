// SPDX-License-Identifier: GPL-2.0
/* signalfd: signals from a child read as data, with sender and value. */
#include <signal.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	struct signalfd_siginfo si[8];
	pid_t parent = getpid(), pid;
	int fd, got = 0;
	sigset_t set;
	ssize_t n;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (fd < 0)
		return 1;
	pid = fork();
	if (pid == 0) {
		union sigval v;

		for (int i = 0; i < 4; i++) {
			if (getrandom(&v.sival_int, sizeof(int), 0) < 0)
				_exit(1);
			sigqueue(parent, SIGRTMIN + 1, v);
			usleep(v.sival_int & 1023);
		}
		kill(parent, SIGUSR1);
		_exit(0);
	}
	while (got < 5) {
		n = read(fd, si, sizeof(si));
		if (n <= 0)
			return 1;
		n /= sizeof(si[0]);
		printf("read %zd signal(s)\n", n);
		for (int i = 0; i < n; i++, got++)
			printf("  signo %u pid %u value %08x\n",
			       si[i].ssi_signo, si[i].ssi_pid,
			       (unsigned int)si[i].ssi_int);
	}
	waitpid(pid, NULL, 0);
	return 0;
}
