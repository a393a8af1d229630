// SPDX-License-Identifier: GPL-2.0
/* Children exit after random delays; the SIGCHLD handler reaps in order. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#define NCHILD 5

static volatile int reaped;
static int order[NCHILD];
static pid_t pids[NCHILD];

static void handler(int sig)
{
	int status;
	pid_t pid;

	(void)sig;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		if (reaped < NCHILD)
			order[reaped++] = WEXITSTATUS(status);
}

int main(void)
{
	unsigned char delay[NCHILD];
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigaction(SIGCHLD, &sa, NULL);
	if (getrandom(delay, sizeof(delay), 0) != sizeof(delay))
		return 1;
	for (int i = 0; i < NCHILD; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			usleep(delay[i] * 40);
			_exit(i);
		}
	}
	while (reaped < NCHILD)
		usleep(100);
	printf("reaped in order:");
	for (int i = 0; i < NCHILD; i++)
		printf(" %d (pid %d)", order[i], pids[order[i]]);
	printf("\n");
	return 0;
}
