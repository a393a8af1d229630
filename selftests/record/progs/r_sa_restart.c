// SPDX-License-Identifier: GPL-2.0
/*
 * read() on a pipe with SA_RESTART while SIGALRM fires every 500 us; a
 * child writes after a random delay.  The read restarts transparently;
 * how many signals came first varies.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int alarms;

static void handler(int sig)
{
	(void)sig;
	alarms++;
}

int main(void)
{
	struct itimerval it = { { 0, 500 }, { 0, 500 } };
	struct sigaction sa;
	unsigned int delay;
	char buf[64];
	int p[2];
	ssize_t n;
	pid_t pid;

	if (pipe(p) || getrandom(&delay, sizeof(delay), 0) != sizeof(delay))
		return 1;
	delay = 5000 + delay % 20000;
	pid = fork();
	if (pid == 0) {
		usleep(delay);
		n = snprintf(buf, sizeof(buf), "slept %u us", delay);
		if (write(p[1], buf, n) != n)
			_exit(1);
		_exit(0);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	n = read(p[0], buf, sizeof(buf) - 1);
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	printf("read %zd: %.*s\n", n, (int)(n > 0 ? n : 0), buf);
	printf("signals during read: %d\n", alarms);
	waitpid(pid, NULL, 0);
	return 0;
}
